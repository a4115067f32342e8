//! The Markdown summary of a run over several jails (`--format markdown`), for a CI job's
//! summary page (`$GITHUB_STEP_SUMMARY`) or a pull-request comment: a table of every jail's
//! counts, the largest groups of cases that changed the same way, and the first changed
//! cases as diffs. Bounded: at most [`GROUPS_SHOWN`] groups and [`CASES_SHOWN`] cases per
//! jail, each diff cut as in the text report; the HTML report holds the rest.

use std::fmt::Write as _;

use super::{JailResult, status};
use crate::diff::{bounded, diff, thousands};
use crate::verify::Verdict;

/// Groups listed per jail (the largest).
pub const GROUPS_SHOWN: usize = 5;
/// Changed cases shown as diffs per jail.
pub const CASES_SHOWN: usize = 3;
/// The most lines of an input a case shows.
const INPUT_LINES: usize = 20;

/// Text for a table cell: no `|`, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Text inside a fenced block: a line of backticks cannot close it early.
fn fenced(text: &str) -> String {
    text.replace("```", "`\u{200b}``")
}

/// A text diff without the report's two-space indent, so `-` and `+` open the lines.
fn unindented(diff: &str) -> String {
    diff.lines()
        .map(|l| format!("{}\n", l.strip_prefix("  ").unwrap_or(l)))
        .collect()
}

/// The Markdown summary.
pub fn render(results: &[JailResult]) -> String {
    let failed = results
        .iter()
        .any(|r| !matches!(&r.result, Ok(v) if v.passed()));
    let mut out = format!(
        "## kaizen: {}\n\n| jail | status | cases | same | changed | new | dropped |\n|---|---|---:|---:|---:|---:|---:|\n",
        if failed {
            "behaviour changed"
        } else {
            "behaviour unchanged"
        }
    );
    for r in results {
        match &r.result {
            Ok(v) => {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    cell(&r.name),
                    status(&r.result),
                    thousands(v.total),
                    thousands(v.same),
                    thousands(v.changed),
                    thousands(v.new),
                    thousands(v.dropped)
                );
            }
            Err(e) => {
                let first = e.to_string();
                let first = first.lines().next().unwrap_or("");
                let _ = writeln!(
                    out,
                    "| {} | {}: {} | | | | | |",
                    cell(&r.name),
                    status(&r.result),
                    cell(first)
                );
            }
        }
    }
    for r in results {
        if let Ok(v) = &r.result
            && v.changed > 0
        {
            out.push_str(&jail(&r.name, v));
        }
    }
    out
}

/// A changed jail's groups and first cases.
fn jail(name: &str, v: &Verdict) -> String {
    let mut out = format!("\n### {}\n\n", cell(name));
    for g in v.groups.iter().take(GROUPS_SHOWN) {
        let _ = writeln!(
            out,
            "- **{}** changed {}: {}",
            if g.cases == 1 {
                "1 case".to_string()
            } else {
                format!("{} cases", thousands(g.cases))
            },
            if g.cases == 1 {
                "this way"
            } else {
                "the same way"
            },
            g.describe()
        );
    }
    if v.groups.len() > GROUPS_SHOWN {
        let _ = writeln!(
            out,
            "- …and {} more ways (the HTML and JSON reports list them all)",
            thousands(v.groups.len() - GROUPS_SHOWN)
        );
    }
    for d in v.differences.iter().take(CASES_SHOWN) {
        let _ = write!(
            out,
            "\n<details><summary>case {} ({} → {})</summary>\n\n```yaml\n{}\n```\n\n```diff\n{}```\n\n</details>\n",
            thousands(d.number),
            cell(&d.expected_label),
            cell(&d.actual_label),
            fenced(&bounded(&d.input, INPUT_LINES)),
            fenced(&unindented(&diff(&d.expected, &d.actual, false)))
        );
    }
    if v.changed > CASES_SHOWN.min(v.differences.len()) {
        let _ = writeln!(
            out,
            "\n{} more changed cases: see the HTML report.",
            thousands(v.changed - CASES_SHOWN.min(v.differences.len()))
        );
    }
    out
}
