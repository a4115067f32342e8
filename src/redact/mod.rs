//! Redactions: what changes from run to run in a Rust jail's output (clocks, generated ids)
//! replaced by a named placeholder before anything is compared or written.
//!
//! Two kinds, applied in this order to each behaviour's snapshot text:
//!
//! 1. **by place** ([`Redactions::at`]): an insta-style selector into the returned value
//!    (`.created_at`, `[].id`, `.items[].id`) — the value there becomes the placeholder;
//! 2. **by pattern** ([`Redactions::matching`], feature `redact`): a regular expression
//!    over the encoded text, each match replaced (`$1` names a group, as in command jails'
//!    `scrub:` rules).
//!
//! Selectors start at the returned value (under `returned:`); a panic message or a timeout
//! has no places, only text. The rules are listed in the snapshot header (`info.redactions`),
//! so a reader sees why a value reads `[timestamp]`. Redacting happens where a behaviour is
//! encoded (`record::observe_into`), so recording, verifying, `--runs` and the oracle all
//! compare redacted texts.

mod selector;
mod suggest;

pub(crate) use suggest::suggestion;

use selector::Selector;
use serde_yaml::Value;

/// The redactions of a jail. Empty by default: nothing is redacted.
///
/// ```
/// use kaizen::redact::Redactions;
/// let r = Redactions::new().at(".created_at", "[timestamp]").at("[].id", "[id]");
/// assert_eq!(r.describe(), [".created_at → [timestamp]", "[].id → [id]"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Redactions {
    places: Vec<(Selector, String)>,
    #[cfg(feature = "redact")]
    patterns: Vec<(regex::Regex, String)>,
    /// Rules that could not be read, reported when the jail runs.
    problems: Vec<String>,
}

impl PartialEq for Redactions {
    fn eq(&self, other: &Self) -> bool {
        self.describe() == other.describe() && self.problems == other.problems
    }
}

impl Redactions {
    /// No redactions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the value at `selector` in the returned value by `placeholder` (a name such
    /// as `[timestamp]`). A selector that cannot be read is reported when the jail runs.
    pub fn at(mut self, selector: &str, placeholder: impl Into<String>) -> Self {
        match Selector::parse(selector) {
            Ok(parsed) => self.places.push((parsed, placeholder.into())),
            Err(problem) => self.problems.push(format!("selector {problem}")),
        }
        self
    }

    /// Replaces every match of the regular expression `pattern` in the encoded output by
    /// `placeholder` (`$1` names a group). A pattern that cannot be compiled is reported
    /// when the jail runs. Needs the `redact` feature.
    #[cfg(feature = "redact")]
    pub fn matching(mut self, pattern: &str, placeholder: impl Into<String>) -> Self {
        match regex::Regex::new(pattern) {
            Ok(regex) => self.patterns.push((regex, placeholder.into())),
            Err(e) => {
                let detail = e.to_string();
                let last = detail.lines().last().unwrap_or("").trim().to_string();
                self.problems
                    .push(format!("pattern '{pattern}' is not a valid regex ({last})"));
            }
        }
        self
    }

    /// True when nothing is redacted.
    pub fn is_empty(&self) -> bool {
        self.describe().is_empty()
    }

    /// One line per rule, in the order they apply, as the snapshot header lists them:
    /// `.created_at → [timestamp]`, `/\d{4}-\d\d-\d\d/ → [date]`.
    pub fn describe(&self) -> Vec<String> {
        let places = self
            .places
            .iter()
            .map(|(s, p)| format!("{} → {p}", s.as_str()));
        #[cfg(feature = "redact")]
        let places = places.chain(
            self.patterns
                .iter()
                .map(|(r, p)| format!("/{}/ → {p}", r.as_str())),
        );
        places.collect()
    }

    /// A rule that could not be read, as an error naming it and what to write instead.
    pub fn check(&self, jail: &str) -> Result<(), crate::Error> {
        match self.problems.first() {
            None => Ok(()),
            Some(problem) => Err(crate::Error::Config {
                message: format!("jail {jail}: the redaction {problem}"),
                hint: "write a selector as insta does (`.created_at`, `[].id`, `.items[].id`, `[\"a key\"]`, `[0]`, `.*`) and a pattern in the regex crate's syntax".into(),
            }),
        }
    }

    /// The behaviour text `text` (as the snapshot holds it: `  returned: …`) with every rule
    /// applied, or `None` when no rule changed it. Fails when a pattern's replacement leaves
    /// text that is no longer one YAML behaviour.
    pub(crate) fn apply(&self, text: &str) -> Result<Option<String>, String> {
        let current: Option<String> = self.apply_places(text)?;
        #[cfg(feature = "redact")]
        let current = self.apply_patterns(text, current)?;
        Ok(current)
    }

    /// The patterns applied to the text (`current` when the places changed it).
    #[cfg(feature = "redact")]
    fn apply_patterns(
        &self,
        text: &str,
        mut current: Option<String>,
    ) -> Result<Option<String>, String> {
        for (regex, placeholder) in &self.patterns {
            let now = current.as_deref().unwrap_or(text);
            if let std::borrow::Cow::Owned(replaced) = regex.replace_all(now, placeholder.as_str())
            {
                still_a_behaviour(&replaced).map_err(|e| {
                    format!(
                        "the redaction /{}/ → {placeholder} leaves output that is no longer YAML ({e}); match less (a whole value, not a line break or a `:`)",
                        regex.as_str()
                    )
                })?;
                current = Some(replaced);
            }
        }
        Ok(current)
    }

    /// The selectors applied to the returned value, re-encoded when one of them matched.
    fn apply_places(&self, text: &str) -> Result<Option<String>, String> {
        if self.places.is_empty() {
            return Ok(None);
        }
        let Ok(mut behaviour) = serde_yaml::from_str::<Value>(&dedent(text)) else {
            return Ok(None);
        };
        let Some(returned) = behaviour
            .as_mapping_mut()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.get_mut("returned"))
        else {
            return Ok(None);
        };
        let replaced: usize = self
            .places
            .iter()
            .map(|(selector, placeholder)| selector.replace(returned, placeholder))
            .sum();
        if replaced == 0 {
            return Ok(None);
        }
        let mut out = String::new();
        crate::snapshot::format::write_behaviour(&mut out, &behaviour)?;
        Ok(Some(out))
    }
}

/// A snapshot behaviour text without its two-space indent.
fn dedent(text: &str) -> String {
    text.lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks that a redacted text is still one behaviour: every line indented as a case's
/// behaviour is, and the whole a YAML mapping.
#[cfg(feature = "redact")]
fn still_a_behaviour(text: &str) -> Result<(), String> {
    if let Some(line) = text.lines().find(|l| !l.is_empty() && !l.starts_with("  ")) {
        return Err(format!("the line {line:?} left its case"));
    }
    match serde_yaml::from_str::<Value>(&dedent(text)) {
        Ok(Value::Mapping(_)) => Ok(()),
        Ok(_) => Err("not a mapping".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selector_replaces_the_value_under_returned_only() {
        let r = Redactions::new().at(".at", "[timestamp]");
        let text = "  returned:\n    at: 1733160000\n    n: 3\n";
        assert_eq!(
            r.apply(text).unwrap().unwrap(),
            "  returned:\n    at: '[timestamp]'\n    n: 3\n"
        );
        assert_eq!(r.apply("  panicked: at 5\n").unwrap(), None);
    }

    #[test]
    fn an_unreadable_selector_is_an_error_naming_the_jail() {
        let err = Redactions::new()
            .at("id", "[id]")
            .check("orders")
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("jail orders: the redaction selector `id` must start"),
            "{text}"
        );
    }

    #[cfg(feature = "redact")]
    #[test]
    fn a_pattern_replaces_matches_in_the_text_after_the_places() {
        let r = Redactions::new()
            .at(".id", "[id]")
            .matching(r"\d{4}-\d\d-\d\d", "[date]");
        let text = "  returned:\n    id: 7\n    log: made 2026-12-02 by 7\n";
        assert_eq!(
            r.apply(text).unwrap().unwrap(),
            "  returned:\n    id: '[id]'\n    log: made [date] by 7\n"
        );
        assert_eq!(r.describe()[1], r"/\d{4}-\d\d-\d\d/ → [date]");
    }

    #[cfg(feature = "redact")]
    #[test]
    fn a_pattern_that_breaks_the_yaml_is_refused() {
        let r = Redactions::new().matching(r"\n", "");
        let err = r.apply("  returned:\n    a: 1\n").unwrap_err();
        assert!(err.contains("no longer YAML"), "{err}");
    }
}
