//! Places in an output, written as insta writes them: `.created_at`, `[].id`,
//! `.items[].id`, `["a key"]`, `[0]`, `.*`.

use serde_yaml::Value;

/// One step of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A mapping's value under this key (`.name`, `["name"]`).
    Key(String),
    /// A sequence's element at this index (`[0]`).
    Index(usize),
    /// Every element of a sequence (`[]`).
    Each,
    /// Every value of a mapping (`.*`).
    AnyKey,
}

/// A parsed selector: where in an output a redaction applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selector {
    text: String,
    segments: Vec<Segment>,
}

impl Selector {
    /// Parses `text`, or says what is wrong with it.
    pub(crate) fn parse(text: &str) -> Result<Selector, String> {
        let mut segments = Vec::new();
        let mut rest = text;
        if rest.is_empty() {
            return Err("an empty selector selects nothing".into());
        }
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('.') {
                let end = after.find(['.', '[']).unwrap_or(after.len());
                let name = &after[..end];
                segments.push(match name {
                    "" => return Err(format!("a `.` without a name in `{text}`")),
                    "*" => Segment::AnyKey,
                    _ => Segment::Key(name.to_string()),
                });
                rest = &after[end..];
            } else if let Some(after) = rest.strip_prefix('[') {
                let end = after
                    .find(']')
                    .ok_or_else(|| format!("a `[` without its `]` in `{text}`"))?;
                let inside = after[..end].trim();
                segments.push(bracket(inside).ok_or_else(|| {
                    format!("`[{inside}]` in `{text}` is neither `[]`, an index nor a quoted key")
                })?);
                rest = &after[end + 1..];
            } else {
                return Err(format!(
                    "`{text}` must start each step with `.` or `[` (at `{rest}`)"
                ));
            }
        }
        Ok(Selector {
            text: text.to_string(),
            segments,
        })
    }

    /// The selector as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Replaces every value this selector reaches in `root` by `placeholder`; returns how
    /// many it replaced. Places that do not exist in this output are left alone.
    pub(crate) fn replace(&self, root: &mut Value, placeholder: &str) -> usize {
        replace_at(root, &self.segments, placeholder)
    }
}

fn bracket(inside: &str) -> Option<Segment> {
    if inside.is_empty() {
        return Some(Segment::Each);
    }
    if let Ok(index) = inside.parse::<usize>() {
        return Some(Segment::Index(index));
    }
    let quoted = inside
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| inside.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))?;
    Some(Segment::Key(quoted.to_string()))
}

fn replace_at(value: &mut Value, path: &[Segment], placeholder: &str) -> usize {
    // An enum variant's tag (`!Variant`) is looked through: the selector names its content.
    if let Value::Tagged(tagged) = value
        && !path.is_empty()
    {
        return replace_at(&mut tagged.value, path, placeholder);
    }
    let Some((first, rest)) = path.split_first() else {
        *value = Value::String(placeholder.to_string());
        return 1;
    };
    match (first, value) {
        (Segment::Key(key), Value::Mapping(map)) => map
            .get_mut(key.as_str())
            .map_or(0, |v| replace_at(v, rest, placeholder)),
        (Segment::AnyKey, Value::Mapping(map)) => map
            .values_mut()
            .map(|v| replace_at(v, rest, placeholder))
            .sum(),
        (Segment::Index(i), Value::Sequence(items)) => items
            .get_mut(*i)
            .map_or(0, |v| replace_at(v, rest, placeholder)),
        (Segment::Each, Value::Sequence(items)) => items
            .iter_mut()
            .map(|v| replace_at(v, rest, placeholder))
            .sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(selector: &str, yaml: &str) -> String {
        let mut value: Value = serde_yaml::from_str(yaml).unwrap();
        Selector::parse(selector)
            .unwrap()
            .replace(&mut value, "[x]");
        serde_yaml::to_string(&value).unwrap()
    }

    #[test]
    fn a_field_an_element_of_every_item_and_a_quoted_key_are_reached() {
        assert_eq!(redact(".at", "at: 5\nn: 1\n"), "at: '[x]'\nn: 1\n");
        assert_eq!(
            redact("[].id", "- id: 1\n  n: 2\n- id: 3\n"),
            "- id: '[x]'\n  n: 2\n- id: '[x]'\n"
        );
        assert_eq!(
            redact(".items[].id", "items:\n- id: 1\n"),
            "items:\n- id: '[x]'\n"
        );
        assert_eq!(redact("[\"a b\"]", "a b: 1\n"), "a b: '[x]'\n");
        assert_eq!(redact("[1]", "- 1\n- 2\n"), "- 1\n- '[x]'\n");
        assert_eq!(
            redact(".*.t", "a:\n  t: 1\nb:\n  t: 2\n"),
            "a:\n  t: '[x]'\nb:\n  t: '[x]'\n"
        );
    }

    #[test]
    fn a_place_missing_from_the_output_is_left_alone() {
        assert_eq!(redact(".missing", "at: 5\n"), "at: 5\n");
        assert_eq!(redact("[].id", "at: 5\n"), "at: 5\n");
    }

    #[test]
    fn a_malformed_selector_says_what_is_wrong() {
        assert!(
            Selector::parse("created_at")
                .unwrap_err()
                .contains("must start")
        );
        assert!(
            Selector::parse(".items[")
                .unwrap_err()
                .contains("without its `]`")
        );
        assert!(Selector::parse("[x]").unwrap_err().contains("neither"));
        assert!(Selector::parse("").unwrap_err().contains("empty"));
        assert!(
            Selector::parse("..a")
                .unwrap_err()
                .contains("without a name")
        );
    }
}
