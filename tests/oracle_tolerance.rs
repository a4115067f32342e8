//! An oracle (original against refactored) with a float tolerance and comparison hooks: the
//! same "same" as a jail's, in the verdict, the summary and in shrinking.

use kaizen::env::{Environment, UpdateMode};
use kaizen::tolerance::Tolerance;
use kaizen::{Cases, Oracle, report};
use proptest::prelude::*;

fn local() -> Environment {
    Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Default::default()
    }
}

/// The legacy mean, summed left to right.
fn legacy_mean(xs: Vec<u32>) -> f64 {
    let mut total = 0.0;
    for x in &xs {
        total += f64::from(*x) / 10.0;
    }
    total / xs.len().max(1) as f64
}

/// The refactored mean, summed right to left: the last bit of some means moves.
fn reordered_mean(xs: Vec<u32>) -> f64 {
    let total: f64 = xs.iter().rev().map(|x| f64::from(*x) / 10.0).sum();
    total / xs.len().max(1) as f64
}

/// The reordered mean with a real slip: twelve values or more get one more.
fn slipped_mean(xs: Vec<u32>) -> f64 {
    let slip = if xs.len() >= 12 { 1.0 } else { 0.0 };
    reordered_mean(xs) + slip
}

fn lists() -> Cases<Vec<u32>> {
    Cases::new().list((1..40u32).map(|n| (0..n).map(|i| i * 7 + 1).collect::<Vec<u32>>()))
}

#[test]
fn a_reordered_float_sum_differs_in_an_exact_oracle_and_passes_one_with_a_tolerance() {
    let exact = Oracle::new("mean", legacy_mean, reordered_mean).replay_recorded(false);
    let verdict = exact.run_with(&lists(), local()).unwrap();
    assert!(verdict.changed > 0, "the reorder must move some last bits");
    let moved = verdict.changed;

    let tolerant = Oracle::new("mean", legacy_mean, reordered_mean)
        .replay_recorded(false)
        .tolerance(Tolerance::relative(1e-12));
    let verdict = tolerant.run_with(&lists(), local()).unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
    assert_eq!(verdict.within_tolerance, moved);
    assert_eq!(
        report::summary(&verdict),
        format!(
            "mean: 39 cases, original vs refactored — all same, {moved} of them within the tolerance"
        )
    );
}

#[test]
fn an_oracle_with_a_tolerance_still_reports_a_real_change_with_the_exact_values() {
    let oracle = Oracle::new("mean", legacy_mean, slipped_mean)
        .replay_recorded(false)
        .tolerance(Tolerance::relative(1e-12));
    let verdict = oracle.run_with(&lists(), local()).unwrap();
    // Lists of 12 to 39 values slipped; of the shorter ones, those whose last bit moved
    // are within the tolerance.
    assert_eq!(verdict.changed, 28);
    assert!(verdict.within_tolerance > 0);
    let summary = report::summary(&verdict);
    assert!(
        summary.ends_with(&format!(
            "{} same, {} of them within the tolerance, 28 changed",
            verdict.same, verdict.within_tolerance
        )),
        "{summary}"
    );
    let first = &verdict.differences[0];
    let exact = |x: f64| format!("returned: {x}");
    let twelve: Vec<u32> = (0..12).map(|i| i * 7 + 1).collect();
    assert!(
        first.expected.contains(&exact(legacy_mean(twelve.clone()))),
        "{}",
        first.expected
    );
    assert!(
        first.actual.contains(&exact(slipped_mean(twelve))),
        "{}",
        first.actual
    );
}

/// The minimal input an oracle shrinks the first difference to, as its YAML lines.
fn first_minimal(oracle: &Oracle<Vec<u32>, f64>) -> Vec<String> {
    let cases = Cases::new().proptest(prop::collection::vec(0u32..1000, 0..40), 60);
    let verdict = oracle.run_with(&cases, local()).unwrap();
    let first = verdict.differences.first().expect("a difference");
    assert!(
        first.shrunk.is_some(),
        "{}",
        report::render(&verdict, false)
    );
    first.input.lines().map(str::to_string).collect()
}

#[test]
fn shrinking_with_a_tolerance_keeps_the_real_difference_rather_than_the_last_bit() {
    let tolerant = Oracle::new("mean", legacy_mean, slipped_mean)
        .replay_recorded(false)
        .tolerance(Tolerance::relative(1e-12));
    // The smallest input that still differs beyond the tolerance: twelve zeros.
    assert_eq!(first_minimal(&tolerant), vec!["- 0".to_string(); 12]);

    // Compared exactly, a shorter list whose last bit moved counts as a difference, and
    // shrinking stops there instead.
    let exact = Oracle::new("mean", legacy_mean, slipped_mean).replay_recorded(false);
    let minimal = first_minimal(&exact);
    assert!(minimal.len() < 12, "{minimal:?}");
}

fn legacy_greeting(name: String) -> String {
    format!("Hello, {name}!")
}

fn shouted_greeting(name: String) -> String {
    format!("HELLO, {}!", name.to_uppercase())
}

fn names() -> Cases<String> {
    Cases::new().list(["Ada".to_string(), "bob".into(), "Grace Hopper".into()])
}

#[test]
fn a_comparison_hook_makes_an_oracle_compare_strings_without_case() {
    let exact = Oracle::new("greeting", legacy_greeting, shouted_greeting).replay_recorded(false);
    assert_eq!(exact.run_with(&names(), local()).unwrap().changed, 3);

    let lower = |v: &serde_yaml::Value| v["returned"].as_str().map(str::to_lowercase);
    let hooked = Oracle::new("greeting", legacy_greeting, shouted_greeting)
        .replay_recorded(false)
        .compare_with(move |original, refactored| {
            lower(original).is_some() && lower(original) == lower(refactored)
        });
    let verdict = hooked.run_with(&names(), local()).unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
    assert_eq!(verdict.within_tolerance, 3);

    // The typed hook sees both returned values as the output type.
    let typed = Oracle::new("greeting", legacy_greeting, |name: String| {
        if name == "bob" {
            return "Hi, BOB!".to_string();
        }
        shouted_greeting(name)
    })
    .replay_recorded(false)
    .compare_outputs_with(|original: &String, refactored: &String| {
        original.eq_ignore_ascii_case(refactored)
    });
    let verdict = typed.run_with(&names(), local()).unwrap();
    assert_eq!((verdict.same, verdict.changed), (2, 1));
    assert_eq!(verdict.within_tolerance, 2);
    let text = report::render(&verdict, false);
    assert!(
        text.contains("- returned: Hello, bob!\n  + returned: Hi, BOB!"),
        "{text}"
    );
}
