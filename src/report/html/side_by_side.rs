//! A side-by-side diff as HTML table rows: the recorded lines on the left, the lines now on
//! the right, changed words marked (`similar`'s inline diff). Deleted and inserted lines of
//! one change are paired row by row; long unchanged stretches are cut to `⋮`. Bounded like
//! the text diff: at most [`MAX_DIFF_LINES`] rows, each side of a row cut to
//! [`MAX_LINE_CHARS`] characters, with a count of what was left out.

use std::fmt::Write as _;

use similar::{Algorithm, ChangeTag, InlineChange, TextDiff};

use super::escape;
use crate::diff::{MAX_DIFF_LINES, MAX_LINE_CHARS, comparable, thousands};

/// Unchanged lines shown around each change.
const CONTEXT: usize = 3;

/// One side of a row: its line number and its HTML (words marked).
type Cell = Option<(usize, String)>;

/// The rows of the diff, as `<tr>` elements: `exit: <del>0</del>` beside `exit: <ins>1</ins>`.
pub(crate) fn rows(expected: &str, actual: &str) -> String {
    let (expected, actual) = comparable(expected, actual);
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Histogram)
        .diff_lines(&expected, &actual);
    let mut out = Rows::default();
    let mut shown_up_to = 0;
    let total = diff.ops().last().map_or(0, |op| op.old_range().end);
    for group in diff.grouped_ops(CONTEXT) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        if first.old_range().start > shown_up_to {
            out.gap();
        }
        shown_up_to = last.old_range().end;
        let (mut removed, mut added): (Vec<Cell>, Vec<Cell>) = (Vec::new(), Vec::new());
        for op in &group {
            for change in diff.iter_inline_changes(op) {
                match change.tag() {
                    ChangeTag::Delete => removed.push(cell(&change, "del")),
                    ChangeTag::Insert => added.push(cell(&change, "ins")),
                    ChangeTag::Equal => {
                        out.pairs(&mut removed, &mut added);
                        let c = cell(&change, "");
                        out.row("same", c.clone(), c);
                    }
                }
            }
        }
        out.pairs(&mut removed, &mut added);
    }
    if shown_up_to < total && shown_up_to > 0 {
        out.gap();
    }
    out.finish()
}

/// One line of a change: its number on its side and its words, the changed ones wrapped in
/// `<del>` or `<ins>` (`mark`).
fn cell(change: &InlineChange<'_, str>, mark: &str) -> Cell {
    let number = match change.tag() {
        ChangeTag::Insert => change.new_index(),
        _ => change.old_index(),
    }? + 1;
    let mut html = String::new();
    let mut chars = 0;
    let mut cut = 0;
    for (emphasized, value) in change.iter_strings_lossy() {
        let value = value.trim_end_matches(['\n', '\r']);
        let room = MAX_LINE_CHARS.saturating_sub(chars);
        let n = value.chars().count();
        let kept: String = value.chars().take(room).collect();
        cut += n.saturating_sub(room);
        chars += n.min(room);
        if emphasized && !mark.is_empty() {
            let _ = write!(html, "<{mark}>{}</{mark}>", escape(&kept));
        } else {
            html.push_str(&escape(&kept));
        }
    }
    if cut > 0 {
        let _ = write!(
            html,
            "<span class=\"cut\"> … {} more characters</span>",
            thousands(cut)
        );
    }
    Some((number, html))
}

/// Table rows being written, up to [`MAX_DIFF_LINES`].
#[derive(Default)]
struct Rows {
    html: String,
    count: usize,
    left_out: usize,
}

impl Rows {
    fn row(&mut self, class: &str, left: Cell, right: Cell) {
        if self.count >= MAX_DIFF_LINES {
            self.left_out += 1;
            return;
        }
        self.count += 1;
        let side = |c: Cell| match c {
            Some((n, html)) => format!("<td class=\"n\">{n}</td><td class=\"t\">{html}</td>"),
            None => "<td class=\"n\"></td><td class=\"t empty\"></td>".to_string(),
        };
        let _ = writeln!(
            self.html,
            "<tr class=\"{class}\">{}{}</tr>",
            side(left),
            side(right)
        );
    }

    /// Deleted and inserted lines of one change, paired row by row.
    fn pairs(&mut self, removed: &mut Vec<Cell>, added: &mut Vec<Cell>) {
        let rows = removed.len().max(added.len());
        let mut removed = removed.drain(..);
        let mut added = added.drain(..);
        for _ in 0..rows {
            let (l, r) = (removed.next().flatten(), added.next().flatten());
            let class = match (&l, &r) {
                (Some(_), Some(_)) => "changed",
                (Some(_), None) => "removed",
                _ => "added",
            };
            self.row(class, l, r);
        }
    }

    fn gap(&mut self) {
        if self.count < MAX_DIFF_LINES {
            self.html
                .push_str("<tr class=\"gap\"><td colspan=\"4\">⋮</td></tr>\n");
        }
    }

    fn finish(mut self) -> String {
        if self.left_out > 0 {
            let _ = writeln!(
                self.html,
                "<tr class=\"gap\"><td colspan=\"4\">… {} more diff lines not shown</td></tr>",
                thousands(self.left_out)
            );
        }
        self.html
    }
}

#[cfg(test)]
mod tests {
    use super::rows;

    #[test]
    fn a_changed_word_is_marked_on_both_sides_of_one_row() {
        let html = rows("exit: 0\nstdout: a\n", "exit: 1\nstdout: a\n");
        assert!(
            html.contains("<tr class=\"changed\"><td class=\"n\">1</td><td class=\"t\">exit: <del>0</del></td><td class=\"n\">1</td><td class=\"t\">exit: <ins>1</ins></td></tr>"),
            "{html}"
        );
        assert!(html.contains("<tr class=\"same\">"), "{html}");
    }

    #[test]
    fn markup_in_behaviour_is_escaped() {
        let html = rows("<b>&\n", "<i>&\n");
        assert!(!html.contains("<b>") && !html.contains("<i>"), "{html}");
        assert!(html.contains("&lt;"), "{html}");
    }

    #[test]
    fn a_long_diff_is_cut_and_counted() {
        let old: String = (0..1000).map(|i| format!("{i}\n")).collect();
        let new: String = (0..1000).map(|i| format!("x{i}\n")).collect();
        let html = rows(&old, &new);
        assert_eq!(html.matches("<tr class=\"changed\">").count(), 200);
        assert!(html.contains("… 800 more diff lines not shown"), "{html}");
    }
}
