//! Comparing numbers: a per-jail float tolerance and a comparison hook decide "same" when
//! the texts differ; equality stays the default and the snapshot keeps the recorded values.

mod common;

use kaizen::env::UpdateMode;
use kaizen::tolerance::Tolerance;
use kaizen::{Cases, Jail, report};

/// The legacy sum, left to right.
fn legacy_mean(xs: Vec<u32>) -> (f64, usize) {
    let mut total = 0.0;
    for x in &xs {
        total += f64::from(*x) / 10.0;
    }
    (total / xs.len().max(1) as f64, xs.len())
}

/// The refactored sum, right to left: the last bit of some means moves.
fn reordered_mean(xs: Vec<u32>) -> (f64, usize) {
    let total: f64 = xs.iter().rev().map(|x| f64::from(*x) / 10.0).sum();
    (total / xs.len().max(1) as f64, xs.len())
}

fn cases() -> Cases<Vec<u32>> {
    Cases::new().list((1..40u32).map(|n| (0..n).map(|i| i * 7 + 1).collect::<Vec<u32>>()))
}

fn recorded(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaizen-tol-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let jail = Jail::new(name, legacy_mean).snapshot_dir(&dir);
    assert!(
        jail.run_with(&cases(), common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    dir
}

#[test]
fn a_reordered_sum_is_red_by_default_and_same_within_a_tolerance_with_the_snapshot_untouched() {
    let dir = recorded("mean");
    let strict = Jail::new("mean", reordered_mean).snapshot_dir(&dir);
    let verdict = strict
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert!(verdict.changed > 0, "the reorder must move some last bits");
    let moved = verdict.changed;

    let before = std::fs::read(common::snap(&dir, "mean")).unwrap();
    let tolerant = Jail::new("mean", reordered_mean)
        .snapshot_dir(&dir)
        .tolerance(Tolerance::relative(1e-12));
    let verdict = tolerant
        .run_with(&cases(), common::local(UpdateMode::Auto))
        .unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
    assert_eq!(verdict.within_tolerance, moved);
    let summary = report::summary(&verdict);
    assert!(
        summary.ends_with(&format!(
            "all same, {moved} of them within the jail's tolerance (recorded values kept)"
        )),
        "{summary}"
    );
    assert_eq!(std::fs::read(common::snap(&dir, "mean")).unwrap(), before);

    for tolerance in [Tolerance::absolute(1e-9), Tolerance::ulps(64)] {
        let jail = Jail::new("mean", reordered_mean)
            .snapshot_dir(&dir)
            .tolerance(tolerance);
        let verdict = jail
            .run_with(&cases(), common::local(UpdateMode::No))
            .unwrap();
        assert!(
            verdict.passed(),
            "{tolerance:?}: {}",
            report::render(&verdict, false)
        );
    }
}

#[test]
fn a_tolerance_lets_no_real_change_through_and_the_report_shows_exact_values() {
    let dir = recorded("mean_slip");
    let slipped = Jail::new("mean_slip", |xs: Vec<u32>| {
        let (m, n) = legacy_mean(xs);
        (m * 1.001, n)
    })
    .snapshot_dir(&dir)
    .tolerance(Tolerance::relative(1e-12));
    let verdict = slipped
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 39);
    let text = report::render(&verdict, false);
    assert!(
        text.contains("  - - 0.1\n  + - 0.1001\n") || text.contains("0.1001"),
        "{text}"
    );

    // Some cases within the tolerance, some changed: the summary names both.
    let partly = Jail::new("mean_slip", |xs: Vec<u32>| {
        let slip = if xs.len() >= 12 { 1.0 } else { 0.0 };
        let (m, n) = reordered_mean(xs);
        (m + slip, n)
    })
    .snapshot_dir(&dir)
    .tolerance(Tolerance::relative(1e-12));
    let verdict = partly
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 28);
    assert!(verdict.within_tolerance > 0);
    assert_eq!(
        report::summary(&verdict),
        format!(
            "mean_slip: 39 cases — {} same, {} of them within the jail's tolerance, 28 changed",
            verdict.same, verdict.within_tolerance
        )
    );

    // Integers are never within a tolerance.
    let counted = Jail::new("mean_slip", |xs: Vec<u32>| {
        let (m, n) = legacy_mean(xs);
        (m, n + 1)
    })
    .snapshot_dir(&dir)
    .tolerance(Tolerance::absolute(10.0));
    let verdict = counted
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 39);
}

#[test]
fn a_comparison_hook_decides_same_for_what_a_tolerance_cannot_express() {
    let dir = recorded("mean_hook");
    // The refactoring rounds the mean to one decimal: same for the hook's purpose.
    let rounded = |xs: Vec<u32>| {
        let (m, n) = legacy_mean(xs);
        ((m * 10.0).round() / 10.0, n)
    };
    let plain = Jail::new("mean_hook", rounded).snapshot_dir(&dir);
    let changed = plain
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap()
        .changed;
    assert!(changed > 0);
    let hooked = Jail::new("mean_hook", rounded)
        .snapshot_dir(&dir)
        .compare_with(|recorded, now| {
            let mean = |v: &serde_yaml::Value| v["returned"][0].as_f64();
            match (mean(recorded), mean(now)) {
                (Some(a), Some(b)) => (a * 10.0).round() / 10.0 == b,
                _ => false,
            }
        });
    let verdict = hooked
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
    assert_eq!(verdict.within_tolerance, changed);
}

/// A legacy receipt: its lines in the order they were scanned.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Receipt {
    id: u64,
    lines: Vec<Line>,
    total_cents: u64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
enum Line {
    Item { sku: String, cents: u64 },
    Discount(u64),
}

fn legacy_receipt(skus: Vec<u8>) -> Receipt {
    let mut lines: Vec<Line> = skus
        .iter()
        .map(|s| Line::Item {
            sku: format!("SKU{s}"),
            cents: u64::from(*s) * 10,
        })
        .collect();
    let total: u64 = skus.iter().map(|s| u64::from(*s) * 10).sum();
    if total > 100 {
        lines.push(Line::Discount(5));
    }
    Receipt {
        id: 7,
        lines,
        total_cents: total.saturating_sub(if total > 100 { 5 } else { 0 }),
    }
}

/// The refactoring puts the discount first: the same receipt for this jail's purpose.
fn discount_first(skus: Vec<u8>) -> Receipt {
    let mut receipt = legacy_receipt(skus);
    receipt
        .lines
        .sort_by_key(|l| !matches!(l, Line::Discount(_)));
    receipt
}

fn same_lines_in_any_order(a: &Receipt, b: &Receipt) -> bool {
    let sorted = |r: &Receipt| {
        let mut lines: Vec<String> = r.lines.iter().map(|l| format!("{l:?}")).collect();
        lines.sort();
        lines
    };
    a.total_cents == b.total_cents && sorted(a) == sorted(b)
}

fn receipts() -> Cases<Vec<u8>> {
    Cases::new().list([vec![], vec![1], vec![3, 9], vec![5, 6, 7], vec![20]])
}

#[test]
fn a_typed_comparison_sees_both_outputs_as_the_jails_output_type() {
    let dir = std::env::temp_dir().join(format!("kaizen-tol-typed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let local = || common::local(UpdateMode::No);
    Jail::new("receipt", legacy_receipt)
        .snapshot_dir(&dir)
        .run_with(&receipts(), common::local(UpdateMode::Auto))
        .unwrap();
    let exact = Jail::new("receipt", discount_first).snapshot_dir(&dir);
    // Totals of 150, 180 and 200 cents get a discount line, which moved.
    assert_eq!(exact.run_with(&receipts(), local()).unwrap().changed, 3);

    let typed = Jail::new("receipt", discount_first)
        .snapshot_dir(&dir)
        .compare_outputs_with(same_lines_in_any_order);
    let verdict = typed.run_with(&receipts(), local()).unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
    assert_eq!(verdict.within_tolerance, 3);

    // A real change is still one: the discount lost.
    let lost = Jail::new("receipt", |skus: Vec<u8>| {
        let mut r = discount_first(skus);
        r.lines.retain(|l| !matches!(l, Line::Discount(_)));
        r
    })
    .snapshot_dir(&dir)
    .compare_outputs_with(same_lines_in_any_order);
    assert_eq!(lost.run_with(&receipts(), local()).unwrap().changed, 3);

    // A comparison on values and one on the output type are both asked; one yes is enough.
    let both = Jail::new("receipt", discount_first)
        .snapshot_dir(&dir)
        .compare_with(|_, _| false)
        .compare_outputs_with(same_lines_in_any_order);
    assert!(both.run_with(&receipts(), local()).unwrap().passed());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_typed_comparison_is_not_asked_when_a_redaction_left_a_placeholder_the_type_cannot_hold() {
    let dir = std::env::temp_dir().join(format!("kaizen-tol-redacted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Jail::new("receipt", legacy_receipt)
        .snapshot_dir(&dir)
        .redact(".id", "[id]")
        .run_with(&receipts(), common::local(UpdateMode::Auto))
        .unwrap();
    // `id` is a number in `Receipt`; the snapshot holds `[id]`, so neither side reads back
    // as a `Receipt` and the typed hook cannot say "same".
    let typed = Jail::new("receipt", discount_first)
        .snapshot_dir(&dir)
        .redact(".id", "[id]")
        .compare_outputs_with(|_: &Receipt, _: &Receipt| true);
    let verdict = typed
        .run_with(&receipts(), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!((verdict.changed, verdict.within_tolerance), (3, 0));
    std::fs::remove_dir_all(&dir).ok();
}
