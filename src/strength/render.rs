//! The strength report for people and for machines.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::score::{Counts, FileScore, Strength, Survivor};
use crate::report::thousands;

/// The sentence under the survivors.
pub const NO_INPUT_TELLS: &str = "no recorded input tells these apart";

/// `87.5%`, or `n/a` when no mutant was decided.
pub fn percent(score: Option<f64>) -> String {
    match score {
        Some(s) => {
            let text = format!("{s:.1}");
            format!("{}%", text.strip_suffix(".0").unwrap_or(&text))
        }
        None => "n/a".into(),
    }
}

fn counts_line(c: &Counts) -> String {
    let mut apart = Vec::new();
    if c.timeout > 0 {
        apart.push(format!("{} timed out", thousands(c.timeout)));
    }
    if c.unviable > 0 {
        apart.push(format!("{} unviable", thousands(c.unviable)));
    }
    let mut line = format!(
        "{} caught, {} missed",
        thousands(c.caught),
        thousands(c.missed)
    );
    if !apart.is_empty() {
        let _ = write!(line, "; {} (not scored)", apart.join(", "));
    }
    line
}

/// The human report: one summary line, then per file its score and its survivors, each with
/// the legacy line and the changed text marked.
pub fn human(strength: &Strength, color: bool) -> String {
    let bad = if color {
        Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
    } else {
        Style::new()
    };
    let mut out = String::new();
    let files = strength.files.len();
    let _ = writeln!(
        out,
        "mutation score {} — {} mutants in {} file{}: {}",
        percent(strength.total.score()),
        thousands(strength.total.all()),
        files,
        if files == 1 { "" } else { "s" },
        counts_line(&strength.total)
    );
    for file in &strength.files {
        file_section(&mut out, file, bad);
    }
    out
}

fn file_section(out: &mut String, file: &FileScore, bad: Style) {
    let _ = writeln!(
        out,
        "\n{}: {} — {}",
        file.file,
        percent(file.score),
        counts_line(&file.counts)
    );
    if file.survivors.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "  {} {} — {NO_INPUT_TELLS}:",
        file.survivors.len(),
        if file.survivors.len() == 1 {
            "survivor"
        } else {
            "survivors"
        }
    );
    let width = file
        .survivors
        .iter()
        .map(|s| s.line.to_string().len())
        .max()
        .unwrap_or(1);
    for survivor in &file.survivors {
        survivor_lines(out, survivor, width, bad);
    }
}

fn survivor_lines(out: &mut String, s: &Survivor, width: usize, bad: Style) {
    let function = s
        .function
        .as_deref()
        .map(|f| format!(" in {f}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n  {}:{}:{}: {bad}{}{bad:#}{function}",
        s.file, s.line, s.column, s.change
    );
    let Some(text) = &s.source_line else {
        return;
    };
    let _ = writeln!(out, "  {:>width$} | {text}", s.line);
    // Keep tabs so the marker lines up under the text as a terminal shows it.
    let pad: String = text
        .chars()
        .take(s.marked.0)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let _ = writeln!(
        out,
        "  {:>width$} | {pad}{bad}{}{bad:#}",
        "",
        "^".repeat(s.marked.1)
    );
}

/// The JSON report: the [`Strength`] as one document, with the gate's outcome when a minimum
/// score was asked for.
pub fn json(strength: &Strength, min_score: Option<f64>) -> String {
    let mut value = serde_json::to_value(strength).expect("a Strength always serializes");
    if let Some(map) = value.as_object_mut() {
        map.insert("score".into(), serde_json::json!(strength.total.score()));
        map.insert("min_score".into(), serde_json::json!(min_score));
        map.insert(
            "below_min_score".into(),
            serde_json::json!(below(strength, min_score)),
        );
    }
    let mut text = serde_json::to_string_pretty(&value).expect("JSON values always print");
    text.push('\n');
    text
}

/// Whether the total score is below the minimum (no decided mutant at all counts as below:
/// a gate that measured nothing must not pass).
pub fn below(strength: &Strength, min_score: Option<f64>) -> bool {
    match min_score {
        None => false,
        Some(min) => strength.total.score().is_none_or(|s| s < min),
    }
}

/// A survivor as the report names it: `file:line:col: change in function`, or its
/// cargo-mutants name when the strength run does not list it.
fn survivor_said(before: &Strength, name: &str) -> String {
    let survivors = before.files.iter().flat_map(|f| &f.survivors);
    let found: Option<&Survivor> = survivors.into_iter().find(|s| s.name == name);
    found
        .map(|s| {
            let place = s
                .function
                .as_ref()
                .map(|f| format!(" in {f}"))
                .unwrap_or_default();
            format!("{}:{}:{}: {}{place}", s.file, s.line, s.column, s.change)
        })
        .unwrap_or_else(|| name.to_string())
}

/// The strengthening report: before → after, each killed survivor with the input that kills
/// it, the survivors left and why, the candidates tried, what was added and the wall time.
pub fn strengthened(
    before: &Strength,
    report: &super::strengthen::Report,
    root: &std::path::Path,
) -> String {
    let mut out = String::new();
    let t = &before.total;
    let killed = report.killed.len();
    let after = Counts {
        caught: t.caught + killed,
        missed: t.missed.saturating_sub(killed),
        ..*t
    };
    let _ = writeln!(
        out,
        "strengthened: mutation score {} → {} — {} of {} survivors killed by a found input, {} left ({:.1} s)",
        percent(t.score()),
        percent(after.score()),
        killed,
        report.survivors,
        report.left.len(),
        report.wall.as_secs_f64()
    );
    for (jail, (candidates, shapes, exhaustive)) in &report.pools {
        let _ = writeln!(
            out,
            "  {jail}: {} candidates tried per survivor ({shapes} input shape{}, {exhaustive} with every combination)",
            thousands(*candidates),
            if *shapes == 1 { "" } else { "s" }
        );
    }
    let said = |name: &str| survivor_said(before, name);
    for kill in &report.killed {
        let input = crate::distribution::compact_input(&kill.input);
        let how = if kill.hang {
            " (the mutant hangs on it)"
        } else {
            ""
        };
        let _ = writeln!(out, "  killed {}", said(&kill.mutant));
        let _ = writeln!(out, "    by {} input {input}{how}", kill.jail);
        if let Some(first) = &kill.shrunk_from {
            let first = crate::distribution::compact_input(first);
            let _ = writeln!(out, "    (shrunk from the pool's {first})");
        }
    }
    for (name, why) in &report.left {
        let _ = writeln!(out, "  left {}: {why}", said(name));
    }
    for (file, n) in &report.added {
        let shown = file.strip_prefix(root).unwrap_or(file);
        let _ = writeln!(
            out,
            "  added {n} input{} to {}",
            if *n == 1 { "" } else { "s" },
            shown.display()
        );
    }
    for pending in &report.pending {
        let shown = pending.strip_prefix(root).unwrap_or(pending);
        let _ = writeln!(
            out,
            "  wrote {} — review it with `kaizen accept` or `cargo insta review`",
            shown.display()
        );
    }
    out
}

/// The minimizing report: per jail, cases before → after, the mutants they kill, the case time
/// before → after, and the pending file to review.
pub fn minimized(report: &super::minimize::Report, root: &std::path::Path) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "minimized: {} caught mutant{} replayed against every recorded case{} ({:.1} s)",
        report.mutants,
        if report.mutants == 1 { "" } else { "s" },
        if report.unbuilt > 0 {
            format!(", {} did not build here", report.unbuilt)
        } else {
            String::new()
        },
        report.wall.as_secs_f64()
    );
    for name in &report.unkilled {
        let _ = writeln!(
            out,
            "  caught by cargo-mutants but by no replayed case here (a build or timeout effect): {name}"
        );
    }
    for cut in &report.cuts {
        let _ = writeln!(
            out,
            "  {}: {} → {} cases, killing the same {} mutant{} (greedy set cover{})",
            cut.jail,
            thousands(cut.before),
            thousands(cut.kept.len()),
            cut.mutants_killed,
            if cut.mutants_killed == 1 { "" } else { "s" },
            if cut.for_classes > 0 {
                format!(", {} more kept for their behaviour class", cut.for_classes)
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            out,
            "    case time on the unmutated code: {:.2} ms → {:.2} ms",
            cut.micros.0 as f64 / 1000.0,
            cut.micros.1 as f64 / 1000.0
        );
        let shown = cut.pending.strip_prefix(root).unwrap_or(&cut.pending);
        let _ = writeln!(
            out,
            "    wrote {} — review it with `kaizen accept {}` or `cargo insta review`",
            shown.display(),
            cut.jail
        );
    }
    out
}
