//! The chart `kaizen log --steps` draws on a terminal under its table: one line per step of
//! the step ledger, with the cases verified and the verify time as bars of block characters
//! scaled to the largest value, so a step that grew the characterization or slowed the run
//! stands out at a glance.

use std::fmt::Write as _;

use crate::diff::thousands;
use crate::ledger::Step;

/// Width of each bar at its largest, in terminal cells.
pub const BAR_WIDTH: usize = 20;

/// Eighths of a cell, from one eighth to a full block.
const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// A bar for `value` out of `max`, `width` cells at most, padded to `width` with spaces. A
/// value above zero always shows at least an eighth of a cell.
///
/// ```
/// use kaizen::report::steps_chart::bar;
/// assert_eq!(bar(10, 10, 4), "████");
/// assert_eq!(bar(5, 10, 4), "██  ");
/// assert_eq!(bar(1, 1000, 4), "▏   ");
/// assert_eq!(bar(0, 10, 4), "    ");
/// assert_eq!(bar(0, 0, 2), "  ");
/// ```
pub fn bar(value: u128, max: u128, width: usize) -> String {
    let eighths = if max == 0 || value == 0 {
        0
    } else {
        // Rounded to the nearest eighth, at least one.
        ((value * width as u128 * 8 + max / 2) / max).max(1) as usize
    };
    let mut out: String = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        out.push(EIGHTHS[eighths % 8 - 1]);
    }
    let used = out.chars().count();
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// The chart of `steps`: a heading, then one line per step — its date and commit, a bar of
/// its cases and the count, a bar of its verify time and the seconds, and how many cases
/// changed when some did. Empty when there is no step.
pub fn render(steps: &[Step]) -> String {
    if steps.is_empty() {
        return String::new();
    }
    let max_cases = steps.iter().map(|s| s.cases as u128).max().unwrap_or(0);
    let max_millis = steps.iter().map(|s| s.millis).max().unwrap_or(0);
    let mut out = String::new();
    let heading = format!(
        "{:<20}  {:<10}  {:<w$}  {:>9}  verify time",
        "steps",
        "",
        "cases",
        "",
        w = BAR_WIDTH
    );
    let _ = writeln!(out, "{}", heading.trim_end());
    for s in steps {
        let mut line = format!(
            "{:<20}  {:<10}  {}  {:>9}  {}  {:>6.2} s",
            s.date,
            s.commit,
            bar(s.cases as u128, max_cases, BAR_WIDTH),
            thousands(s.cases),
            bar(s.millis, max_millis, BAR_WIDTH),
            s.millis as f64 / 1000.0
        );
        if s.changed > 0 {
            let _ = write!(line, "  {} changed", thousands(s.changed));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(commit: &str, cases: usize, millis: u128, changed: usize) -> Step {
        Step {
            date: "2026-12-02T18:30:00Z".into(),
            commit: commit.into(),
            jails: 1,
            cases,
            same: cases - changed,
            changed,
            new: 0,
            millis,
        }
    }

    #[test]
    fn each_step_is_one_line_with_bars_scaled_to_the_largest_step() {
        let chart = render(&[
            step("a1", 40, 500, 0),
            step("b2", 80, 2000, 3),
            step("c3", 1, 0, 0),
        ]);
        let full = |n: usize| "█".repeat(n);
        let pad = |n: usize| " ".repeat(n);
        let expected = [
            format!("steps{}cases{}verify time", pad(29), pad(28)),
            format!(
                "2026-12-02T18:30:00Z  a1          {}{}         40  {}{}    0.50 s",
                full(10),
                pad(10),
                full(5),
                pad(15)
            ),
            format!(
                "2026-12-02T18:30:00Z  b2          {}         80  {}    2.00 s  3 changed",
                full(20),
                full(20)
            ),
            // One case of 80 is a quarter of a cell: still visible.
            format!(
                "2026-12-02T18:30:00Z  c3          ▎{}          1  {}    0.00 s",
                pad(19),
                pad(20)
            ),
        ];
        assert_eq!(chart, expected.join("\n") + "\n");
    }

    #[test]
    fn no_steps_draw_no_chart() {
        assert_eq!(render(&[]), "");
    }

    #[test]
    fn bars_round_to_the_nearest_eighth_and_never_pass_the_width() {
        assert_eq!(bar(3, 8, 1), "▍");
        assert_eq!(bar(7, 8, 1), "▉");
        assert_eq!(bar(u128::from(u64::MAX), u128::from(u64::MAX), 3), "███");
    }
}
