//! The redaction to suggest when a Rust jail's case behaved differently in two runs: the
//! first place in the returned value where the two runs differ, as a selector.

use serde_yaml::Value;

/// The builder call that would hide the first difference between two runs' behaviour texts
/// (`.redact(".created_at", "[placeholder]")`), or `None` when the texts are not a Rust
/// jail's outcome (a command jail's behaviour: its `scrub:` is the remedy).
pub(crate) fn suggestion(first: &str, later: &str) -> Option<String> {
    let (a, b) = (outcome(first)?, outcome(later)?);
    match (a, b) {
        (("returned", a), ("returned", b)) => {
            let mut path = String::new();
            first_difference(&a, &b, &mut path);
            Some(match path.as_str() {
                "" => r#".redact_regex(r"…", "[placeholder]") for the part of the returned value that changes"#.into(),
                _ => format!(r#".redact("{path}", "[placeholder]")"#),
            })
        }
        (("panicked", _), _) => Some(
            r#".redact_regex(r"…", "[placeholder]") for the part of the panic message that changes"#
                .into(),
        ),
        _ => Some(
            r#".redact(…) or .redact_regex(…) for what changes between runs"#.into(),
        ),
    }
}

/// The single key and its value of a Rust outcome (`returned`, `panicked`, …).
fn outcome(text: &str) -> Option<(&'static str, Value)> {
    let dedented: String = text
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let value: Value = serde_yaml::from_str(&dedented).ok()?;
    let map = value.as_mapping()?;
    if map.len() != 1 {
        return None;
    }
    let (key, inner) = map.iter().next()?;
    let key = ["returned", "panicked", "timeout", "exited", "crashed"]
        .into_iter()
        .find(|k| key.as_str() == Some(k))?;
    Some((key, inner.clone()))
}

/// Appends to `path` the selector of the first place where `a` and `b` differ; leaves it
/// as it is when they differ as wholes (different kinds, or scalars).
fn first_difference(a: &Value, b: &Value, path: &mut String) {
    match (a, b) {
        (Value::Tagged(a), Value::Tagged(b)) if a.tag == b.tag => {
            first_difference(&a.value, &b.value, path)
        }
        (Value::Mapping(a), Value::Mapping(b)) => {
            let differing = a
                .iter()
                .find(|(k, v)| b.get(*k) != Some(*v))
                .and_then(|(k, v)| Some((k.as_str()?, v, b.get(k)?)));
            if let Some((key, va, vb)) = differing {
                if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    path.push('.');
                    path.push_str(key);
                } else {
                    path.push_str(&format!("[{key:?}]"));
                }
                first_difference(va, vb, path);
            }
        }
        (Value::Sequence(a), Value::Sequence(b)) if a.len() == b.len() => {
            if let Some((va, vb)) = a.iter().zip(b).find(|(x, y)| x != y) {
                // Every element: an id that changes in one usually changes in all.
                path.push_str("[]");
                first_difference(va, vb, path);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_differing_place_becomes_a_selector() {
        let a = "  returned:\n    total: 7\n    items:\n    - id: 1\n      at: 5\n";
        let b = "  returned:\n    total: 7\n    items:\n    - id: 1\n      at: 6\n";
        assert_eq!(
            suggestion(a, b).unwrap(),
            r#".redact(".items[].at", "[placeholder]")"#
        );
    }

    #[test]
    fn a_changing_panic_message_suggests_a_pattern_and_a_command_behaviour_nothing() {
        let s = suggestion("  panicked: at 5\n", "  panicked: at 6\n").unwrap();
        assert!(s.starts_with(".redact_regex("), "{s}");
        assert_eq!(
            suggestion("  exit: 0\n  stdout: a\n", "  exit: 0\n  stdout: b\n"),
            None
        );
    }
}
