//! Comparing numbers: a refactoring that reorders a sum moves the last bit of some results;
//! a float tolerance on the jail counts those cases as the same, and a comparison hook
//! (on YAML values, or on the output type) decides for what a tolerance cannot express. An
//! oracle takes the same tolerance and hooks.
//!
//! Run it with `cargo run --example tolerance`; `tests/examples_run.rs` runs it too.

use kaizen::env::{Environment, UpdateMode};
use kaizen::tolerance::Tolerance;
use kaizen::{Cases, Jail, Oracle, report};

fn legacy_mean(xs: Vec<u32>) -> f64 {
    let mut total = 0.0;
    for x in &xs {
        total += f64::from(*x) / 10.0;
    }
    total / xs.len().max(1) as f64
}

fn reordered_mean(xs: Vec<u32>) -> f64 {
    let total: f64 = xs.iter().rev().map(|x| f64::from(*x) / 10.0).sum();
    total / xs.len().max(1) as f64
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kaizen-tolerance-{}", std::process::id()));
    let local = Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    let cases =
        Cases::new().list((1..40u32).map(|n| (0..n).map(|i| i * 7 + 1).collect::<Vec<u32>>()));
    let recorded = Jail::new("mean", legacy_mean)
        .snapshot_dir(&dir)
        .run_with(&cases, local.clone());
    println!("{}", report::summary(&recorded.expect("recorded")));

    let strict = Jail::new("mean", reordered_mean).snapshot_dir(&dir);
    println!(
        "== exact\n{}",
        report::summary(&strict.run_with(&cases, local.clone()).expect("ran"))
    );

    // tolerance
    let tolerant = Jail::new("mean", reordered_mean)
        .snapshot_dir(&dir)
        .tolerance(Tolerance::relative(1e-12)); // or ::absolute(1e-9), ::ulps(4)
    // end tolerance
    println!(
        "== within 1e-12\n{}",
        report::summary(&tolerant.run_with(&cases, local.clone()).expect("ran"))
    );

    // compare-with
    let hooked = Jail::new("mean", reordered_mean)
        .snapshot_dir(&dir)
        .compare_with(|recorded, now| {
            match (recorded["returned"].as_f64(), now["returned"].as_f64()) {
                (Some(a), Some(b)) => format!("{a:.6}") == format!("{b:.6}"),
                _ => false,
            }
        });
    // end compare-with
    println!(
        "== six decimals\n{}",
        report::summary(&hooked.run_with(&cases, local.clone()).expect("ran"))
    );

    // compare-outputs-with
    let typed = Jail::new("mean", reordered_mean)
        .snapshot_dir(&dir)
        .compare_outputs_with(|recorded: &f64, now: &f64| (recorded - now).abs() < 1e-9);
    // end compare-outputs-with
    println!(
        "== typed\n{}",
        report::summary(&typed.run_with(&cases, local.clone()).expect("ran"))
    );

    // oracle-tolerance
    let oracle = Oracle::new("mean", legacy_mean, reordered_mean)
        .snapshot_dir(&dir)
        .tolerance(Tolerance::relative(1e-12));
    // end oracle-tolerance
    println!(
        "== oracle\n{}",
        report::summary(&oracle.run_with(&cases, local).expect("ran"))
    );
    std::fs::remove_dir_all(&dir).ok();
}
