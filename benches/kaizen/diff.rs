//! The report of a 100,000-line output with a few changed lines, against a raw `similar` diff.

use std::hint::black_box;
use std::time::Duration;

use similar::{Algorithm, TextDiff};

use crate::measure;

/// The lines changed in the second text.
pub const CHANGED: [usize; 5] = [10, 25_000, 50_000, 75_000, 99_990];

/// Two texts of `lines` lines that differ in the [`CHANGED`] lines.
pub fn texts(lines: usize) -> (String, String) {
    let mut old = String::with_capacity(lines * 24);
    let mut new = String::with_capacity(lines * 24);
    for i in 0..lines {
        let line = format!("line {i}: value {}\n", i * 7);
        old.push_str(&line);
        if CHANGED.contains(&i) {
            new.push_str(&format!("line {i}: value changed\n"));
        } else {
            new.push_str(&line);
        }
    }
    (old, new)
}

/// The raw similar diff a user of the library would write: Histogram, unified, 3 lines of
/// context.
pub fn raw(old: &str, new: &str) -> String {
    TextDiff::configure()
        .algorithm(Algorithm::Histogram)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .to_string()
}

/// Median times of kaizen's report diff and the raw diff, and the report's line count.
pub fn run(reps: usize) -> (Duration, Duration, usize) {
    let (old, new) = texts(100_000);
    let report = kaizen::report::diff(&old, &new, false);
    check_readable(&report);
    let mut kaizen = || measure::time(|| black_box(kaizen::report::diff(&old, &new, false))).0;
    let mut similar = || measure::time(|| black_box(raw(&old, &new))).0;
    let m = measure::interleaved(reps, &mut [&mut kaizen, &mut similar]);
    (m[0], m[1], report.lines().count())
}

/// The report must show each change as one removed and one added line, with a little
/// context, and not the whole text.
fn check_readable(report: &str) {
    let lines = report.lines().count();
    assert!(
        lines < 100,
        "the report has {lines} lines:\n{}",
        &report[..report.len().min(2000)]
    );
    for i in CHANGED {
        let removed = format!("- line {i}: value {}", i * 7);
        let added = format!("+ line {i}: value changed");
        assert!(report.contains(&removed), "no `{removed}` in\n{report}");
        assert!(report.contains(&added), "no `{added}` in\n{report}");
    }
}
