//! Line diffs for people: what a report shows of a changed behaviour, and what `record`
//! shows of a case that differs between runs. Changed words are highlighted when colour is
//! on; long unchanged stretches are cut to `⋮`; a diff never grows past [`MAX_DIFF_LINES`]
//! lines of at most [`MAX_LINE_CHARS`] characters, and says what it left out.

use anstyle::{AnsiColor, Effects, Style};
use similar::{Algorithm, ChangeTag, TextDiff};

/// Unchanged lines shown around each change; longer unchanged runs are cut to `⋮`.
const CONTEXT: usize = 3;

/// The most lines a diff of one case shows; the rest are counted.
pub const MAX_DIFF_LINES: usize = 200;

/// The most characters of one line a report shows; the rest are counted.
pub const MAX_LINE_CHARS: usize = 500;

/// Styles used by reports; all plain when colour is off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    pub(crate) title: Style,
    pub(crate) good: Style,
    pub(crate) bad: Style,
    pub(crate) removed: Style,
    pub(crate) added: Style,
    pub(crate) removed_word: Style,
    pub(crate) added_word: Style,
    pub(crate) dim: Style,
}

impl Palette {
    pub(crate) fn new(color: bool) -> Palette {
        if !color {
            let p = Style::new();
            return Palette {
                title: p,
                good: p,
                bad: p,
                removed: p,
                added: p,
                removed_word: p,
                added_word: p,
                dim: p,
            };
        }
        let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
        let green = Style::new().fg_color(Some(AnsiColor::Green.into()));
        Palette {
            title: Style::new().effects(Effects::BOLD),
            good: green.effects(Effects::BOLD),
            bad: red.effects(Effects::BOLD),
            removed: red,
            added: green,
            removed_word: red.effects(Effects::BOLD | Effects::UNDERLINE),
            added_word: green.effects(Effects::BOLD | Effects::UNDERLINE),
            dim: Style::new().effects(Effects::DIMMED),
        }
    }
}

/// `text` in `style` (as it is when the style is plain).
pub(crate) fn paint(style: Style, text: &str) -> String {
    if style == Style::new() {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
}

/// A line diff of two texts, with changed words highlighted when colour is on.
///
/// ```
/// let text = kaizen::report::diff("total: 10\ncurrency: EUR", "total: 11\ncurrency: EUR", false);
/// assert_eq!(text, "  - total: 10\n  + total: 11\n    currency: EUR\n");
/// ```
///
/// Long unchanged stretches are cut to `⋮`, so the report of a long output stays short:
///
/// ```
/// let old: String = (0..20).map(|i| format!("{i}\n")).collect();
/// let new = old.replace("10\n", "ten\n");
/// assert_eq!(
///     kaizen::report::diff(&old, &new, false),
///     "  ⋮\n    7\n    8\n    9\n  - 10\n  + ten\n    11\n    12\n    13\n  ⋮\n"
/// );
/// ```
///
/// A last line is compared as a line, whether or not a newline ends the text:
///
/// ```
/// assert_eq!(
///     kaizen::report::diff("exit: 0", "exit: 0\nstdout: x", false),
///     "    exit: 0\n  + stdout: x\n"
/// );
/// ```
///
/// A diff stops after [`MAX_DIFF_LINES`] lines and says how many it left out:
///
/// ```
/// let old: String = (0..1000).map(|i| format!("{i}\n")).collect();
/// let new: String = (0..1000).map(|i| format!("x{i}\n")).collect();
/// let diff = kaizen::report::diff(&old, &new, false);
/// assert_eq!(diff.lines().count(), kaizen::diff::MAX_DIFF_LINES + 1);
/// assert!(diff.ends_with("  … 1,800 more diff lines not shown\n"), "{diff}");
/// ```
pub fn diff(expected: &str, actual: &str, color: bool) -> String {
    diff_lines(expected, actual, &Palette::new(color))
}

/// The two texts as a line diff compares them: a last line without `\n` is ended, unless
/// that newline is the only difference.
pub(crate) fn comparable(expected: &str, actual: &str) -> (String, String) {
    let ended = |text: &str| {
        let mut ended = text.to_string();
        if !text.is_empty() && !text.ends_with('\n') {
            ended.push('\n');
        }
        ended
    };
    let (old, new) = (ended(expected), ended(actual));
    if old == new && expected != actual {
        (expected.to_string(), actual.to_string())
    } else {
        (old, new)
    }
}

/// The diff with the given palette. A last line without `\n` is ended before comparing, so
/// it is never shown as changed only because the other text goes on after it (unless that
/// newline is the only difference, which is then shown).
pub(crate) fn diff_lines(expected: &str, actual: &str, p: &Palette) -> String {
    let (expected, actual) = comparable(expected, actual);
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Histogram)
        .diff_lines(&expected, &actual);
    let mut groups = diff.grouped_ops(CONTEXT);
    if groups.is_empty() {
        groups = vec![diff.ops().to_vec()];
    }
    let total = diff.ops().last().map_or(0, |op| op.old_range().end);
    let mut out = Bounded::default();
    let mut shown_up_to = 0;
    for group in &groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        if first.old_range().start > shown_up_to {
            out.line("  ⋮".to_string());
        }
        shown_up_to = last.old_range().end;
        for op in group {
            for change in diff.iter_inline_changes(op) {
                if out.full() {
                    out.left_out += 1;
                    continue;
                }
                let (sign, line_style, word_style) = match change.tag() {
                    ChangeTag::Delete => ("-", p.removed, p.removed_word),
                    ChangeTag::Insert => ("+", p.added, p.added_word),
                    ChangeTag::Equal => (" ", Style::new(), Style::new()),
                };
                let mut line = format!("  {} ", paint(line_style, sign));
                let mut chars = 0;
                let mut cut = 0;
                for (emphasized, value) in change.iter_strings_lossy() {
                    let value = value.trim_end_matches('\n');
                    let style = if emphasized { word_style } else { line_style };
                    let room = MAX_LINE_CHARS.saturating_sub(chars);
                    let n = value.chars().count();
                    if n <= room {
                        line.push_str(&paint(style, value));
                    } else {
                        let kept: String = value.chars().take(room).collect();
                        line.push_str(&paint(style, &kept));
                        cut += n - room;
                    }
                    chars += n.min(room);
                }
                if cut > 0 {
                    line.push_str(&format!(" … {} more characters", thousands(cut)));
                }
                out.line(line);
            }
        }
    }
    if shown_up_to < total && !out.full() {
        out.line("  ⋮".to_string());
    }
    out.finish()
}

/// Lines of a diff, up to [`MAX_DIFF_LINES`].
#[derive(Default)]
struct Bounded {
    text: String,
    lines: usize,
    left_out: usize,
}

impl Bounded {
    fn full(&self) -> bool {
        self.lines >= MAX_DIFF_LINES
    }

    fn line(&mut self, line: String) {
        if self.full() {
            return;
        }
        self.text.push_str(&line);
        self.text.push('\n');
        self.lines += 1;
    }

    fn finish(mut self) -> String {
        if self.left_out > 0 {
            self.text.push_str(&format!(
                "  … {} more diff lines not shown\n",
                thousands(self.left_out)
            ));
        }
        self.text
    }
}

/// `text` cut to at most `max` lines of at most [`MAX_LINE_CHARS`] characters, saying what
/// was left out.
///
/// ```
/// let text: String = (0..5).map(|i| format!("{i}\n")).collect();
/// assert_eq!(kaizen::diff::bounded(&text, 2), "0\n1\n… 3 more lines not shown");
/// assert_eq!(kaizen::diff::bounded("ab", 2), "ab");
/// ```
pub fn bounded(text: &str, max: usize) -> String {
    let (kept, left_out) = first_lines(text, max);
    let mut out = String::with_capacity(kept.len());
    for (i, line) in kept.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match line.char_indices().nth(MAX_LINE_CHARS) {
            Some((at, _)) => {
                out.push_str(&line[..at]);
                let cut = line[at..].chars().count();
                out.push_str(&format!(" … {} more characters", thousands(cut)));
            }
            None => out.push_str(line),
        }
    }
    if left_out > 0 {
        out.push_str(&format!("\n… {} more lines not shown", thousands(left_out)));
    }
    out
}

/// The first `max` lines of `text`, and how many lines were left out.
///
/// ```
/// let (kept, left_out) = kaizen::diff::first_lines("a\nb\nc\n", 2);
/// assert_eq!((kept.as_str(), left_out), ("a\nb", 1));
/// ```
pub fn first_lines(text: &str, max: usize) -> (String, usize) {
    let mut lines = text.lines();
    let kept: Vec<&str> = lines.by_ref().take(max).collect();
    let left_out = lines.count();
    (kept.join("\n"), left_out)
}

/// Formats a count with thousands separators: `1,012`.
///
/// ```
/// assert_eq!(kaizen::report::thousands(1012), "1,012");
/// assert_eq!(kaizen::report::thousands(46656), "46,656");
/// assert_eq!(kaizen::report::thousands(7), "7");
/// ```
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
