//! Changed cases grouped by the way they changed.
//!
//! One slip in a refactoring often changes hundreds of cases in the same way: every case
//! that used to exit 0 now exits 1. Two changed cases belong to one [`Group`] when the lines
//! their behaviour diff removes and adds are the same once the input is normalised away
//! (each text of three or more characters from the case's input, found in a changed line,
//! is replaced by `[input]`, so `- echo: abc` / `+ echo: abc!` and `- echo: xyz` /
//! `+ echo: xyz!` are one group). The [`Tally`](super::Tally) observes every changed case
//! through a [`Grouping`](super::grouping::Grouping), also those not shown in full, so a
//! group's count is exact.

use similar::{Algorithm, ChangeTag, TextDiff};

use crate::snapshot::format;

use super::grouping::Grouping;

/// Distinct groups kept per jail; changed cases beyond them are counted as ungrouped.
pub const MAX_GROUPS: usize = 10_000;

/// Case numbers kept per group as examples (at least; see [`Grouping::new`]).
pub(super) const EXAMPLES: usize = 10;

/// Changed cases whose behaviour changed the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// 1-based, largest group first (ties: the group whose first case comes first).
    pub number: usize,
    /// How many cases changed this way.
    pub cases: usize,
    /// The behaviour lines the change removed (normalised).
    pub removed: Vec<String>,
    /// The behaviour lines the change added (normalised).
    pub added: Vec<String>,
    /// The first cases of the group, by number (every case shown in full is among them).
    pub examples: Vec<usize>,
}

/// Lines of each side of a group that a report shows (the rest are counted).
pub const MAX_GROUP_LINES: usize = 20;

/// The first `max` of `lines`, each cut to a readable length, with a last line counting what
/// was left out: what reports show of a group's removed or added lines.
///
/// ```
/// let lines: Vec<String> = (0..5).map(|i| i.to_string()).collect();
/// assert_eq!(kaizen::verify::bounded_lines(&lines, 2), ["0", "1", "… 3 more lines"]);
/// ```
pub fn bounded_lines(lines: &[String], max: usize) -> Vec<String> {
    let mut shown: Vec<String> = lines
        .iter()
        .take(max)
        .map(|l| crate::diff::bounded(l, 1))
        .collect();
    if lines.len() > max {
        shown.push(format!(
            "… {} more lines",
            crate::diff::thousands(lines.len() - max)
        ));
    }
    shown
}

impl Group {
    /// The change in one line: `` `- exit: 0` / `+ exit: 1` `` (at most three lines a side).
    pub fn describe(&self) -> String {
        let side = |sign: &str, lines: &[String]| {
            let mut shown: Vec<String> = lines
                .iter()
                .take(3)
                .map(|l| format!("`{sign} {}`", crate::diff::bounded(l, 1)))
                .collect();
            if lines.len() > 3 {
                shown.push(format!(
                    "(… {} more)",
                    crate::diff::thousands(lines.len() - 3)
                ));
            }
            shown.join(" ")
        };
        match (self.removed.is_empty(), self.added.is_empty()) {
            (false, false) => format!("{} / {}", side("-", &self.removed), side("+", &self.added)),
            (false, true) => side("-", &self.removed),
            (true, false) => side("+", &self.added),
            (true, true) => "(only the order of lines changed)".to_string(),
        }
    }
}

/// The key of a change: its removed and added lines, normalised.
pub(crate) type Key = (Vec<String>, Vec<String>);

/// The key of one changed case, from the snapshot texts of its input and its recorded and
/// current behaviour.
///
/// ```
/// use kaizen::verify::change_key;
/// let a = change_key("- input: abc\n", "  returned: abc\n", "  returned: abc!\n");
/// let b = change_key("- input: xyz\n", "  returned: xyz\n", "  returned: xyz!\n");
/// assert_eq!(a, b);
/// assert_eq!(a.0, vec!["returned: [input]".to_string()]);
/// ```
pub fn change_key(input: &str, expected: &str, actual: &str) -> (Vec<String>, Vec<String>) {
    let mut text = String::new();
    write_key(input, expected, actual, &mut text);
    key_of_text(&text)
}

/// Writes the key of one changed case (see [`change_key`]) to `out` as one text (see
/// [`write_key_text`]), allocating nothing else in the common case of one line a side that
/// does not echo the input.
pub(crate) fn write_key(input: &str, expected: &str, actual: &str, out: &mut String) {
    out.clear();
    if let (Some(old), Some(new)) = (plain_line(expected), plain_line(actual)) {
        // One line a side, shown as it is written: the diff of the shown texts is that line
        // removed and the other added (or nothing), so it need not be computed.
        if old == new {
            out.push_str("0\n");
            return;
        }
        let input = input.strip_prefix("- input:").unwrap_or(input);
        out.push_str("1\n");
        // Most changes do not echo their input: then there is nothing to normalise, and the
        // leaves need not be collected and sorted.
        let echoes = pieces(input)
            .map(leaf_of_line)
            .any(|leaf| at_least_three_chars(leaf) && (holds(old, leaf) || holds(new, leaf)));
        if echoes {
            let leaves = input_leaves(input);
            normalise_into(old, &leaves, out);
            out.push('\n');
            normalise_into(new, &leaves, out);
        } else {
            out.push_str(old);
            out.push('\n');
            out.push_str(new);
        }
        out.push('\n');
        return;
    }
    let (removed, added) = key_of_shown(
        &format::display_input(input),
        &format::display_behaviour(expected),
        &format::display_behaviour(actual),
    );
    write_key_text(&removed, &added, out);
}

/// A key as one text: the number of removed lines, then the removed and the added lines,
/// each ended by `\n` (no line of a key holds one).
pub(super) fn write_key_text(removed: &[String], added: &[String], out: &mut String) {
    out.clear();
    out.push_str(itoa::Buffer::new().format(removed.len()));
    out.push('\n');
    for line in removed.iter().chain(added) {
        out.push_str(line);
        out.push('\n');
    }
}

/// The key a text of [`write_key_text`] holds.
pub(super) fn key_of_text(text: &str) -> Key {
    let mut lines = text.lines();
    let removed: usize = lines.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    // Each side sized to its lines: a verdict may hold 10,000 groups of one line a side.
    let side = |lines: &mut std::str::Lines<'_>, n: usize| {
        let mut side = Vec::with_capacity(lines.clone().take(n).count());
        side.extend(lines.take(n).map(str::to_string));
        side
    };
    let removed_lines = side(&mut lines, removed);
    (removed_lines, side(&mut lines, usize::MAX))
}

/// The one line of a behaviour text of one line (`"  returned: 7\n"`) that is shown to
/// people exactly as written: not a program's output (which may be marked) and nothing a
/// line diff would split or trim differently.
fn plain_line(behaviour: &str) -> Option<&str> {
    let line = behaviour.strip_prefix("  ")?.strip_suffix('\n')?;
    let plain = !line.is_empty()
        && !line.starts_with(' ')
        && memchr::memchr2(b'\n', b'\r', line.as_bytes()).is_none()
        && !line.starts_with("stdout:")
        && !line.starts_with("stderr:");
    plain.then_some(line)
}

/// The key of a change from the texts as shown to people (those of a `Difference`).
pub(crate) fn key_of_shown(input: &str, expected: &str, actual: &str) -> Key {
    let leaves = input_leaves(input);
    // Compared as the report's diff compares them, so a group reads like its cases' diffs.
    let (expected, actual) = crate::diff::comparable(expected, actual);
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Histogram)
        .diff_lines(&expected, &actual);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let line = || normalise(change.value().trim_end_matches(['\n', '\r']), &leaves);
        match change.tag() {
            ChangeTag::Delete => removed.push(line()),
            ChangeTag::Insert => added.push(line()),
            ChangeTag::Equal => {}
        }
    }
    (removed, added)
}

/// The scalar texts of an input (as shown to people, or its snapshot text after `- input:`:
/// each line is trimmed, so both give the same), longest first, at least three characters
/// each: what is replaced by `[input]` in changed lines.
fn input_leaves(input: &str) -> Vec<&str> {
    let mut leaves: Vec<&str> = input
        .lines()
        .map(leaf_of_line)
        .filter(|l| at_least_three_chars(l))
        .collect();
    if leaves.len() > 1 {
        leaves.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        leaves.dedup();
    }
    leaves
}

/// The scalar text of one line of an input: list dashes, a key and quotes taken off.
fn leaf_of_line(line: &str) -> &str {
    let mut l = line.trim();
    while let Some(rest) = l.strip_prefix("- ") {
        l = rest.trim_start();
    }
    let key_end = l.as_bytes().windows(2).position(|w| w == b": ");
    if let Some(at) = key_end
        && !l[..at].contains(' ')
    {
        l = &l[at + 2..];
    }
    trim_quotes(l)
}

/// `text` without the quotes (`'` and `"`) at its ends.
fn trim_quotes(text: &str) -> &str {
    let quote = |b: &u8| *b == b'\'' || *b == b'"';
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|b| !quote(b)).unwrap_or(bytes.len());
    // A quote is one byte, so both ends fall between characters.
    let end = bytes
        .iter()
        .rposition(|b| !quote(b))
        .map_or(start, |i| i + 1);
    &text[start..end]
}

/// The pieces of `text` between line breaks: its lines as [`leaf_of_line`] reads them
/// (which trims a `\r` before a break, and finds no leaf in the empty piece after a last
/// break), found a byte search at a time.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let piece = rest?;
        match memchr::memchr(b'\n', piece.as_bytes()) {
            Some(at) => {
                rest = Some(&piece[at + 1..]);
                Some(&piece[..at])
            }
            None => {
                rest = None;
                Some(piece)
            }
        }
    })
}

fn at_least_three_chars(text: &str) -> bool {
    // No character takes more than four bytes.
    text.len() >= 12 || text.chars().nth(2).is_some()
}

/// Whether `needle` occurs in `line` (short texts: no searcher to set up).
fn holds(line: &str, needle: &str) -> bool {
    let (hay, needle) = (line.as_bytes(), needle.as_bytes());
    let Some((&first, _)) = needle.split_first() else {
        return true;
    };
    if needle.len() > hay.len() {
        return false;
    }
    let last = needle.len() - 1;
    let starts = &hay[..=hay.len() - needle.len()];
    // The last byte first: most places that start like the needle end otherwise, and
    // that costs no call to compare.
    memchr::memchr_iter(first, starts)
        .any(|i| hay[i + last] == needle[last] && &hay[i..=i + last] == needle)
}

/// Appends `line` normalised to `out`, copying it as it is when it holds no leaf.
fn normalise_into(line: &str, leaves: &[&str], out: &mut String) {
    if leaves.iter().any(|leaf| holds(line, leaf)) {
        out.push_str(&normalise(line, leaves));
    } else {
        out.push_str(line);
    }
}

fn normalise(line: &str, leaves: &[&str]) -> String {
    let mut line = line.to_string();
    for leaf in leaves {
        if line.contains(leaf) {
            line = line.replace(leaf, "[input]");
        }
    }
    line
}

/// The groups of the changed cases `(number, key)`, numbered as the verifier numbers them.
pub fn groups_of(
    changes: impl IntoIterator<Item = (usize, (Vec<String>, Vec<String>))>,
) -> Vec<Group> {
    let mut grouping = Grouping::new(EXAMPLES);
    for (number, key) in changes {
        grouping.add(number, key);
    }
    grouping.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(input: &str, expected: &str, actual: &str) -> Key {
        change_key(input, expected, actual)
    }

    #[test]
    fn the_same_exit_change_in_cases_with_different_inputs_is_one_group() {
        let mut g = Grouping::new(10);
        for n in [3, 17, 40] {
            let input = format!("- input:\n    args:\n    - n{n}xyz\n");
            g.add(
                n,
                key(
                    &input,
                    "  exit: 0\n  stdout: ok\n",
                    "  exit: 1\n  stdout: ok\n",
                ),
            );
        }
        g.add(5, key("- input: 5\n", "  exit: 0\n", "  exit: 2\n"));
        let groups = g.finish();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].cases, 3);
        assert_eq!(groups[0].number, 1);
        assert_eq!(groups[0].examples, vec![3, 17, 40]);
        assert_eq!(groups[0].describe(), "`- exit: 0` / `+ exit: 1`");
        assert_eq!((groups[1].number, groups[1].examples.clone()), (2, vec![5]));
    }

    #[test]
    fn the_input_is_normalised_away_from_changed_lines() {
        let a = key(
            "- input: alpha\n",
            "  stdout: alpha\n",
            "  stdout: ALPHA alpha\n",
        );
        let b = key(
            "- input: gamma\n",
            "  stdout: gamma\n",
            "  stdout: ALPHA gamma\n",
        );
        assert_eq!(a, b);
        let c = key(
            "- input: gamma\n",
            "  stdout: gamma\n",
            "  stdout: BETA gamma\n",
        );
        assert_ne!(a, c);
    }

    /// A program's behaviour, as a command jail records it (`exit: 0` left out).
    #[derive(serde::Serialize)]
    struct Program {
        #[serde(skip_serializing_if = "is_zero")]
        exit: usize,
        stdout: String,
    }

    fn is_zero(n: &usize) -> bool {
        *n == 0
    }

    /// Texts made of pieces that matter to snapshot text: keys, quotes, line ends, spaces.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        const PIECES: [&str; 19] = [
            "a", "bc", "abc", "x", " ", ": ", "- ", "'", "\"", "#", "\n", "\r", "\t", "input:",
            "stdout: ", "stderr:", "⏎", "|", ">",
        ];
        proptest::collection::vec(proptest::sample::select(&PIECES[..]), 0..6)
            .prop_map(|p| p.concat())
    }

    fn behaviour(kind: u8, text: &str) -> String {
        use crate::jail::Outcome;
        let encoded = match kind {
            0 => format::encode_behaviour(&Outcome::Returned(text)),
            1 => format::encode_behaviour(&Outcome::<()>::Panicked(text.to_string())),
            2 => format::encode_behaviour(&Outcome::Returned(vec![text, "k"])),
            _ => format::encode_behaviour(&Program {
                exit: text.len() % 2,
                stdout: text.to_string(),
            }),
        };
        encoded.unwrap()
    }

    use proptest::strategy::Strategy as _;

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]
        /// The searcher for short texts finds what `str::contains` finds; a line's leaf and
        /// the leaves of a text's pieces are those of its lines, read plainly.
        #[test]
        fn holds_is_contains(line in text(), needle in text()) {
            proptest::prop_assert_eq!(holds(&line, &needle), line.contains(needle.as_str()));
            let leaf = leaf_of_line(&line);
            proptest::prop_assert_eq!(at_least_three_chars(leaf), leaf.chars().count() >= 3);
            proptest::prop_assert_eq!(trim_quotes(&line), line.trim_matches(['\'', '"']));
            let leaves = |lines: &mut dyn Iterator<Item = &str>| -> Vec<String> {
                lines
                    .map(leaf_of_line)
                    .filter(|l| at_least_three_chars(l))
                    .map(String::from)
                    .collect()
            };
            let text = format!("{line}\n{needle}");
            proptest::prop_assert_eq!(leaves(&mut pieces(&text)), leaves(&mut text.lines()));
        }

        /// The one-line shortcut of [`change_key`] gives the key of the texts as shown.
        #[test]
        fn the_one_line_key_equals_the_key_of_the_shown_texts(
            input in text(),
            old in text(),
            new in text(),
            kinds in (0u8..4, 0u8..4),
            echo in proptest::bool::ANY,
        ) {
            let input = format::encode_input(&(input.as_str(), 7)).unwrap();
            let half: String = input.chars().skip(input.chars().count() / 2).collect();
            let new = if echo { format!("{new}{half}") } else { new };
            let (expected, actual) = (behaviour(kinds.0, &old), behaviour(kinds.1, &new));
            let shown = key_of_shown(
                &format::display_input(&input),
                &format::display_behaviour(&expected),
                &format::display_behaviour(&actual),
            );
            proptest::prop_assert_eq!(change_key(&input, &expected, &actual), shown);
        }
    }
}
