//! The diff reporter: renders a [`Verdict`] as text a person reads in seconds.
//!
//! One summary line (`invoice_total: 1,012 cases — 1,009 same, 3 changed`), then for each
//! changed case (the first ten, then a count of the rest) its input and a line diff of the
//! recorded and current behaviour, with changed words highlighted when colour is on. Colour
//! is used only on a terminal; `NO_COLOR` turns it off and `CLICOLOR_FORCE` on.

use std::fmt::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Effects, Style};
use similar::{Algorithm, ChangeTag, TextDiff};

use crate::env;
use crate::verify::{Baseline, Difference, Verdict, Written};

/// Should output to a stream be coloured? `NO_COLOR` wins, then `CLICOLOR_FORCE`, then
/// whether the stream is a terminal.
pub fn use_color(is_terminal: bool) -> bool {
    use_color_with(is_terminal, |name| std::env::var(name).ok())
}

/// Like [`use_color`], reading variables through `get`.
///
/// ```
/// use kaizen::report::use_color_with;
/// let none = |_: &str| None;
/// assert!(use_color_with(true, none));
/// assert!(!use_color_with(false, none));
/// assert!(!use_color_with(true, |n: &str| (n == "NO_COLOR").then(|| "1".to_string())));
/// assert!(use_color_with(false, |n: &str| (n == "CLICOLOR_FORCE").then(|| "1".to_string())));
/// ```
pub fn use_color_with(is_terminal: bool, get: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| get(name).filter(|v| !v.is_empty());
    if set(env::NO_COLOR).is_some() {
        return false;
    }
    if set(env::CLICOLOR_FORCE).is_some_and(|v| v != "0") {
        return true;
    }
    is_terminal
}

/// Styles used by the report; all plain when colour is off.
#[derive(Debug, Clone, Copy)]
struct Palette {
    title: Style,
    good: Style,
    bad: Style,
    removed: Style,
    added: Style,
    removed_word: Style,
    added_word: Style,
    dim: Style,
}

impl Palette {
    fn new(color: bool) -> Palette {
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

fn paint(style: Style, text: &str) -> String {
    if style == Style::new() {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
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

/// `1 case`, `1,012 cases`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// The one-line summary of a verdict.
pub fn summary(v: &Verdict) -> String {
    if let Written::Recorded(path) = &v.written {
        let n = v.new + v.total;
        return format!(
            "{}: recorded {} cases to {}",
            v.jail,
            thousands(n),
            shown_path(path)
        );
    }
    if !v.had_snapshot && v.baseline == Baseline::Snapshot {
        return format!(
            "{}: no snapshot yet — {} new, not yet recorded",
            v.jail,
            thousands(v.new)
        );
    }
    let mut s = if v.baseline.is_live() {
        let (original, other) = v.baseline.labels();
        format!(
            "{}: {}, {original} vs {other} — ",
            v.jail,
            count(v.total, "case", "cases")
        )
    } else {
        format!("{}: {} — ", v.jail, count(v.total, "case", "cases"))
    };
    if v.changed == 0 {
        s.push_str("all same");
    } else {
        let _ = write!(
            s,
            "{} same, {} changed",
            thousands(v.same),
            thousands(v.changed)
        );
    }
    if v.new > 0 {
        let _ = write!(s, ", {} new, not yet recorded", thousands(v.new));
    }
    if v.dropped > 0 {
        let _ = write!(
            s,
            ", {} recorded only (no source makes them any more)",
            thousands(v.dropped)
        );
    }
    s
}

/// The full report: summary, then every shown difference and new input, then what was
/// written and what to do next.
pub fn render(v: &Verdict, color: bool) -> String {
    let p = Palette::new(color);
    let mut out = String::new();
    let title_style = if v.passed() { p.good } else { p.bad };
    out.push_str(&paint(title_style, &summary(v)));
    out.push('\n');
    for d in &v.differences {
        out.push('\n');
        render_difference(&mut out, v, d, &p);
    }
    if v.changed > v.differences.len() {
        let _ = writeln!(
            out,
            "\n…and {} more changed cases not shown",
            thousands(v.changed - v.differences.len())
        );
    }
    // Once recorded (or re-recorded), new inputs are part of the snapshot: nothing to list.
    let recorded_now = matches!(v.written, Written::Recorded(_) | Written::Rerecorded(_));
    let new_cases: &[_] = if recorded_now { &[] } else { &v.new_cases };
    for n in new_cases {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                p.title,
                &format!("new input ({}), not yet recorded", n.origin)
            )
        );
        let _ = writeln!(out, "  input:\n{}", indent(&n.input, 4));
        let _ = writeln!(out, "  now:\n{}", indent(&n.actual, 4));
    }
    if !recorded_now && v.new > v.new_cases.len() {
        let _ = writeln!(
            out,
            "\n…and {} more new inputs not shown",
            thousands(v.new - v.new_cases.len())
        );
    }
    let footer = footer(v);
    if !footer.is_empty() {
        out.push('\n');
        out.push_str(&paint(p.dim, &footer));
        out.push('\n');
    }
    out
}

fn render_difference(out: &mut String, v: &Verdict, d: &Difference, p: &Palette) {
    let origin = d
        .origin
        .as_ref()
        .map(|o| format!(" from {o}"))
        .unwrap_or_default();
    let location = if v.baseline.is_live() && d.line == 0 {
        String::new()
    } else {
        format!(" — {}:{}", shown_path(&v.snapshot), d.line)
    };
    let _ = writeln!(
        out,
        "{}",
        paint(
            p.title,
            &format!(
                "case {} of {}{origin}{location}",
                thousands(d.number),
                thousands(v.total),
            )
        )
    );
    match &d.shrunk {
        Some(s) => {
            let _ = writeln!(
                out,
                "  minimal input (shrunk in {} steps):\n{}",
                thousands(s.steps),
                indent(&d.input, 4)
            );
            let _ = writeln!(
                out,
                "  original failing input:\n{}",
                indent(&s.original_input, 4)
            );
        }
        None => {
            let _ = writeln!(out, "  input:\n{}", indent(&d.input, 4));
        }
    }
    if !d.reproduce.is_empty() {
        let width = d
            .reproduce
            .iter()
            .map(|(side, _)| side.len())
            .max()
            .unwrap_or(0);
        let _ = writeln!(out, "  reproduce (from the project folder):");
        for (side, line) in &d.reproduce {
            let _ = writeln!(
                out,
                "    {side}:{:pad$} {line}",
                "",
                pad = width - side.len()
            );
        }
    }
    if let Some(what) = kind_change(&d.expected_label, &d.actual_label) {
        let _ = writeln!(out, "  {}", paint(p.bad, &what));
    }
    let (expected, actual) = v.baseline.labels();
    let _ = writeln!(
        out,
        "  behaviour ({} {expected}, {} {actual}):",
        paint(p.removed, "-"),
        paint(p.added, "+")
    );
    out.push_str(&diff_lines(&d.expected, &d.actual, p));
}

/// Names a change of the kind of behaviour: a panic that appeared or disappeared, an exit
/// code that changed, a timeout.
fn kind_change(before: &str, after: &str) -> Option<String> {
    if before == after {
        return None;
    }
    Some(match (before, after) {
        (_, "panicked") => format!("a panic appeared (it {before} before)"),
        ("panicked", _) => format!("a panic disappeared (it {after} now)"),
        (_, "timeout") => format!("a timeout appeared ({before} before)"),
        ("timeout", _) => format!("a timeout disappeared ({after} now)"),
        (_, "crashed") => format!("a crash appeared (it {before} before)"),
        ("crashed", _) => format!("a crash disappeared (it {after} now)"),
        (_, "exited") => format!("an exit appeared (it {before} before)"),
        ("exited", _) => format!("an exit disappeared (it {after} now)"),
        _ => format!("{before} → {after}"),
    })
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
pub fn diff(expected: &str, actual: &str, color: bool) -> String {
    diff_lines(expected, actual, &Palette::new(color))
}

/// Unchanged lines shown around each change; longer unchanged runs are cut to `⋮`.
const CONTEXT: usize = 3;

fn diff_lines(expected: &str, actual: &str, p: &Palette) -> String {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Histogram)
        .diff_lines(expected, actual);
    let mut groups = diff.grouped_ops(CONTEXT);
    if groups.is_empty() {
        groups = vec![diff.ops().to_vec()];
    }
    let total = diff.ops().last().map_or(0, |op| op.old_range().end);
    let mut out = String::new();
    let mut shown_up_to = 0;
    for group in &groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        if first.old_range().start > shown_up_to {
            out.push_str("  ⋮\n");
        }
        shown_up_to = last.old_range().end;
        for op in group {
            for change in diff.iter_inline_changes(op) {
                let (sign, line_style, word_style) = match change.tag() {
                    ChangeTag::Delete => ("-", p.removed, p.removed_word),
                    ChangeTag::Insert => ("+", p.added, p.added_word),
                    ChangeTag::Equal => (" ", Style::new(), Style::new()),
                };
                out.push_str("  ");
                out.push_str(&paint(line_style, sign));
                out.push(' ');
                for (emphasized, value) in change.iter_strings_lossy() {
                    let style = if emphasized { word_style } else { line_style };
                    out.push_str(&paint(style, value.trim_end_matches('\n')));
                }
                out.push('\n');
            }
        }
    }
    if shown_up_to < total {
        out.push_str("  ⋮\n");
    }
    out
}

fn footer(v: &Verdict) -> String {
    match &v.written {
        Written::Recorded(_) => String::new(),
        Written::Rerecorded(path) => {
            format!("re-recorded {} (KAIZEN_UPDATE=always)", shown_path(path))
        }
        Written::Pending(path) => format!(
            "wrote {} — review it with `cargo insta review` (or `kaizen accept {}`), or re-record with `{}`",
            shown_path(path),
            v.jail,
            v.record_command
        ),
        Written::Nothing if v.passed() => String::new(),
        Written::Nothing if v.baseline == Baseline::Oracle => {
            "live oracle: nothing is recorded; the original in jail/ is the reference — change the refactored code until it behaves the same".into()
        }
        Written::Nothing if v.baseline == Baseline::Port => {
            "port: nothing is recorded; the original program is the reference — change the port until it behaves the same".into()
        }
        Written::Nothing if v.ci => format!(
            "CI run: nothing was written; reproduce locally with `{}` to get a pending file",
            reproduce_command(v)
        ),
        Written::Nothing => format!("{}={}: nothing was written", env::UPDATE, v.mode),
    }
}

/// The local command that replays the cases: `kaizen verify NAME` for the command line
/// (whose record command is `kaizen record NAME`), else `cargo test`.
fn reproduce_command(v: &Verdict) -> String {
    match v.record_command.strip_prefix("kaizen record ") {
        Some(jail) => format!("kaizen verify {jail}"),
        None => "cargo test".to_string(),
    }
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A path as shown in reports: relative to the current directory when below it.
fn shown_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}
