//! Jail a legacy Rust function, record its behaviour, then verify a refactoring against it.
//!
//! `cargo run --example jail_function` records into a temporary folder, verifies an exact
//! refactoring (green), then a slipped one (red, with the report).

use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Jail, report};

/// The legacy code.
fn legacy_fee(amount_cents: i64, premium: bool) -> i64 {
    if amount_cents <= 0 {
        panic!("fee of a non-positive amount");
    }
    let fee = if premium {
        amount_cents / 200
    } else {
        amount_cents / 100 + 25
    };
    if fee > 1000 { 1000 } else { fee }
}

/// A refactoring that keeps every quirk.
fn refactored_fee(amount_cents: i64, premium: bool) -> i64 {
    assert!(amount_cents > 0, "fee of a non-positive amount");
    let fee = if premium {
        amount_cents / 200
    } else {
        amount_cents / 100 + 25
    };
    fee.min(1000)
}

/// A refactoring that lost the cap.
fn slipped_fee(amount_cents: i64, premium: bool) -> i64 {
    assert!(amount_cents > 0, "fee of a non-positive amount");
    if premium {
        amount_cents / 200
    } else {
        amount_cents / 100 + 25
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let cases = Cases::new().combinations((
        vec![-5, 0, 1, 99, 100, 97_500, 200_000, 10_000_000],
        vec![false, true],
    ));
    let local = |mode| Environment {
        mode,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    for (what, f) in [
        ("legacy (records)", legacy_fee as fn(i64, bool) -> i64),
        ("refactored", refactored_fee),
        ("slipped", slipped_fee),
    ] {
        let jail = Jail::new("fee", move |(a, p): (i64, bool)| f(a, p)).snapshot_dir(dir.path());
        let mode = if what.starts_with("legacy") {
            UpdateMode::Auto
        } else {
            UpdateMode::No
        };
        let verdict = jail.run_with(&cases, local(mode)).expect("kaizen runs");
        println!("== {what}\n{}", report::render(&verdict, false));
    }
}
