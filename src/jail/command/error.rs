//! [`SpecError`]: a jail spec that cannot be used, said so a person can fix it.

use std::fmt;
use std::path::PathBuf;

/// Separates a message from its hint inside custom serde errors raised while
/// the spec is deserialized (serde only carries one string).
pub(crate) const HINT_MARK: char = '\u{1f}';

/// Builds the text of a custom serde error that carries a hint.
pub(crate) fn with_hint(message: impl fmt::Display, hint: impl fmt::Display) -> String {
    format!("{message}{HINT_MARK}{hint}")
}

/// A jail spec that cannot be loaded or used.
///
/// Displays as `FILE:LINE: field "FIELD": MESSAGE; HINT`, e.g.
/// `jail/report.yaml:7: field "timeout": "10 seconds" is not a duration; write e.g. "500ms", "10s" or "2m"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError {
    /// The spec file, as given to [`super::CommandJail::load`] (shown relative
    /// to the project root when it lies inside it).
    pub file: PathBuf,
    /// 1-based line in the spec file, when known.
    pub line: Option<usize>,
    /// The field at fault, as a path such as `timeout`, `cases[2].files` or
    /// `scrub[0].regex`; empty when the problem concerns the whole file.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl SpecError {
    pub(crate) fn new(
        file: impl Into<PathBuf>,
        line: Option<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        SpecError {
            file: file.into(),
            line,
            field: field.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if !self.field.is_empty() {
            write!(f, "field \"{}\": ", self.field)?;
        }
        f.write_str(&self.message)?;
        if !self.hint.is_empty() {
            write!(f, "; {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// Splits a serde error text into message and hint, dropping the
/// " at line N column M" position that serde_yaml appends.
pub(crate) fn split_serde_message(text: &str) -> (String, String) {
    let cut = text.match_indices(" at line ").find_map(|(at, pattern)| {
        text[at + pattern.len()..]
            .starts_with(|c: char| c.is_ascii_digit())
            .then_some(at)
    });
    let text = cut.map_or(text, |at| &text[..at]);
    match text.split_once(HINT_MARK) {
        Some((message, hint)) => (message.to_string(), hint.to_string()),
        None => (text.to_string(), default_hint(text)),
    }
}

fn default_hint(message: &str) -> String {
    if message.starts_with("unknown field") {
        "remove it or fix its spelling".to_string()
    } else if message.starts_with("missing field `command`") {
        "add e.g. `command: [python3, \"{jail}/program.py\"]`".to_string()
    } else if message.starts_with("missing field") {
        "add it".to_string()
    } else if message.starts_with("invalid type") {
        "write the value in the form the message expects".to_string()
    } else {
        "fix the YAML at that place".to_string()
    }
}

/// 1-based line of a top-level `key:` in the spec text.
pub(crate) fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|index| index + 1)
}

/// The lines of the block-sequence items under a top-level `key:`, found in one pass.
pub(crate) struct ItemLines {
    /// 1-based line of the key; `None` when the text has no such key.
    key: Option<usize>,
    /// 1-based line of each item, in order.
    items: Vec<usize>,
}

impl ItemLines {
    /// 1-based line of the `index`th item; the key's own line when the items cannot be told
    /// apart (flow style).
    pub(crate) fn line(&self, index: usize) -> Option<usize> {
        self.items.get(index).copied().or(self.key)
    }
}

/// The lines of every block-sequence item under top-level `key:`.
pub(crate) fn item_lines(text: &str, key: &str) -> ItemLines {
    let Some(start) = key_line(text, key) else {
        return ItemLines {
            key: None,
            items: Vec::new(),
        };
    };
    let mut indent = None;
    let mut items = Vec::new();
    for (offset, line) in text.lines().enumerate().skip(start) {
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if depth == 0 && !trimmed.starts_with('-') {
            break;
        }
        let is_item = trimmed == "-" || trimmed.starts_with("- ");
        if is_item && *indent.get_or_insert(depth) == depth {
            items.push(offset + 1);
        }
    }
    ItemLines {
        key: Some(start),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_of_a_list_is_placed_on_its_own_line_in_one_pass() {
        let text = "command: [cat]\ncases:\n  # first\n  - args: [a]\n    files:\n      - x\n  - stdin: \"b\"\n\n  -\n    args: [c]\ntimeout: 1s\n";
        let lines = item_lines(text, "cases");
        let found: Vec<_> = (0..4).map(|i| lines.line(i)).collect();
        assert_eq!(found, [Some(4), Some(7), Some(9), Some(2)]);
        let flow = item_lines("cases: [{args: [a]}, {args: [b]}]\n", "cases");
        assert_eq!(flow.line(1), Some(1));
        assert_eq!(item_lines("command: [cat]\n", "cases").line(0), None);
    }
}
