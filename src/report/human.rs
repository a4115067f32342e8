//! The human report: renders a [`Verdict`] as text a person reads in seconds.
//!
//! One summary line (`invoice_total: 1,012 cases — 1,009 same, 3 changed`), then for each
//! changed case (the first ten, then a count of the rest) its input and a line diff of the
//! recorded and current behaviour, with changed words highlighted when colour is on. Colour
//! is used only on a terminal; `NO_COLOR` turns it off and `CLICOLOR_FORCE` on.

use std::fmt::Write as _;
use std::path::Path;

use crate::diff::{Palette, diff_lines, paint, thousands};
use crate::env;
use crate::step::Step;
use crate::verify::{Baseline, Difference, Verdict, Written};

/// The most lines of an input a report shows; the rest are counted.
pub const MAX_INPUT_LINES: usize = 100;

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
    s.push_str(&same_and_changed(v));
    s.push_str(&the_rest(v));
    s
}

/// `3 same, 1 changed`, `all same`, with the cases a tolerance counted as the same.
fn same_and_changed(v: &Verdict) -> String {
    // Cases the tolerance or a comparison hook counted as the same: the snapshot keeps its
    // recorded values; a live comparison has no recording.
    let within = match v.baseline {
        Baseline::Snapshot if v.changed == 0 => {
            "within the jail's tolerance (recorded values kept)"
        }
        Baseline::Snapshot => "within the jail's tolerance",
        Baseline::Oracle | Baseline::Port => "within the tolerance",
    };
    let tolerated = thousands(v.within_tolerance);
    let (same, changed) = (thousands(v.same), thousands(v.changed));
    match (v.changed, v.within_tolerance) {
        (0, 0) => "all same".to_string(),
        (0, _) => format!("all same, {tolerated} of them {within}"),
        (_, 0) => format!("{same} same, {changed} changed"),
        _ => format!("{same} same, {tolerated} of them {within}, {changed} changed"),
    }
}

/// What follows the counts: the feature step's split, new, dropped and duplicate cases.
fn the_rest(v: &Verdict) -> String {
    let mut s = String::new();
    if v.step == Step::Feature && v.changed > 0 {
        let _ = write!(
            s,
            " (feature step: {} named by the ledger, {} not)",
            thousands(v.changed - v.unnamed.count),
            thousands(v.unnamed.count)
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
    if v.duplicates > 0 {
        let _ = write!(
            s,
            ", {} recorded twice (kept once at the next recording)",
            thousands(v.duplicates)
        );
    }
    s
}

/// The summary line as the report shows it: green when the jail passed, red when not, when
/// `color` is on.
pub fn summary_line(v: &Verdict, color: bool) -> String {
    let p = Palette::new(color);
    let style = if v.passed() { p.good } else { p.bad };
    paint(style, &summary(v))
}

/// The full report: summary, then every shown difference and new input, then what was
/// written and what to do next.
pub fn render(v: &Verdict, color: bool) -> String {
    let p = Palette::new(color);
    let mut out = summary_line(v, color);
    out.push('\n');
    if let Some(line) = unnamed_line(v) {
        let _ = writeln!(out, "  {}", paint(p.bad, &line));
    }
    if let Some(warning) = v.behaviours.warning() {
        let _ = writeln!(out, "  {}", paint(p.bad, &format!("warning: {warning}")));
    }
    if let Some(change) = &v.redactions_changed {
        let note = change.note(&v.record_command);
        let _ = writeln!(out, "  {}", paint(p.bad, &format!("note: {note}")));
    }
    out.push_str(&groups(v));
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

/// Groups of two or more cases listed by the human report (the largest).
const GROUPS_SHOWN: usize = 5;

/// The groups of cases that changed the same way, largest first, one line each; empty when
/// every changed case changed in its own way.
///
/// `group 1: 412 cases changed the same way: `- exit: 0` / `+ exit: 1` (e.g. case 3, 17, 40 …)`
pub fn groups(v: &Verdict) -> String {
    let mut out = String::new();
    let shared: Vec<_> = v.groups.iter().filter(|g| g.cases > 1).collect();
    if shared.is_empty() {
        return out;
    }
    out.push('\n');
    for g in shared.iter().take(GROUPS_SHOWN) {
        let mut examples: Vec<String> = g.examples.iter().take(3).map(|n| thousands(*n)).collect();
        if g.cases > 3 {
            examples.push("…".into());
        }
        let _ = writeln!(
            out,
            "group {}: {} changed the same way: {} (e.g. case {})",
            g.number,
            count(g.cases, "case", "cases"),
            g.describe(),
            examples.join(", ")
        );
    }
    if shared.len() > GROUPS_SHOWN {
        let rest = &shared[GROUPS_SHOWN..];
        let _ = writeln!(
            out,
            "…and {} more {} of {} each (`--format json` lists every group)",
            thousands(rest.len()),
            if rest.len() == 1 { "group" } else { "groups" },
            match (rest.last(), rest.first()) {
                (Some(small), Some(big)) if small.cases != big.cases => format!(
                    "{} to {} cases",
                    thousands(small.cases),
                    thousands(big.cases)
                ),
                _ => count(rest[0].cases, "case", "cases"),
            }
        );
    }
    let alone = v.groups.iter().filter(|g| g.cases == 1).count();
    if alone > 0 {
        let _ = writeln!(
            out,
            "{} changed in a way of {} own",
            count(alone, "other case", "other cases"),
            if alone == 1 { "its" } else { "their" }
        );
    }
    if v.ungrouped > 0 {
        let _ = writeln!(
            out,
            "{} not grouped (more than {} distinct changes)",
            count(v.ungrouped, "case", "cases"),
            thousands(crate::verify::MAX_GROUPS)
        );
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
                "case {} of {}{origin}{location}{}",
                thousands(d.number),
                thousands(v.total),
                v.group_of(d.number)
                    .filter(|g| g.cases > 1)
                    .map(|g| format!(" (group {})", g.number))
                    .unwrap_or_default()
            )
        )
    );
    if let Some(headline) = &d.headline {
        let _ = writeln!(out, "  {}", paint(p.bad, headline));
    }
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

/// In a feature step, the changed cases the ledger's entries of this step do not name, and
/// what to do about them.
pub fn unnamed_line(v: &Verdict) -> Option<String> {
    if v.step != Step::Feature || v.unnamed.count == 0 {
        return None;
    }
    const LISTED: usize = 20;
    let first: Vec<String> = v
        .unnamed
        .cases
        .iter()
        .take(LISTED)
        .map(ToString::to_string)
        .collect();
    let more = v.unnamed.count - first.len();
    let (noun, it) = if v.unnamed.count == 1 {
        ("case", "it")
    } else {
        ("cases", "them")
    };
    let listed = if more > 0 {
        format!("{} and {} more", first.join(", "), thousands(more))
    } else {
        first.join(", ")
    };
    let numbers = if more > 0 {
        "N,…".to_string()
    } else {
        first.join(",")
    };
    Some(format!(
        "not named by the ledger's entries of this step: {noun} {listed} — undo the change, or review {it} and accept {it} with `kaizen accept {} --case {numbers} --reason \"…\"`",
        v.jail
    ))
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
        Written::Nothing if v.step == Step::Refactor => {
            "refactoring step: any change fails, and nothing was written".into()
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

/// `text` indented by `n` spaces, cut to [`MAX_INPUT_LINES`] lines.
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    crate::diff::bounded(text, MAX_INPUT_LINES)
        .lines()
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
