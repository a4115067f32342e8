//! The project's own demo, after the characterization of `jail/invoice.rs`
//! (`tests/characterize_invoice.rs`, every input source): a refactored version behaves the
//! same and a subtly changed one does not.

mod invoice_demo;
#[path = "../examples/refactored/invoice.rs"]
mod refactored;

use invoice_demo::{cases, jail};
use kaizen::env::{Environment, UpdateMode};

/// Verify only: never write, whatever the environment says.
fn verify_only() -> Environment {
    Environment {
        mode: UpdateMode::No,
        ci: true,
        force_pass: false,
        ..Default::default()
    }
}

#[test]
fn the_refactored_invoice_behaves_exactly_like_the_legacy_one() {
    let verdict = jail(refactored::invoice_total)
        .run_with(&cases(), verify_only())
        .unwrap();
    assert!(
        verdict.passed(),
        "{}",
        kaizen::report::render(&verdict, false)
    );
    assert!(
        verdict.total > 1500,
        "the demo snapshot holds {} cases",
        verdict.total
    );
    assert_eq!(verdict.changed, 0);
}

/// The refactoring with one slip: GOLD customers get 15% from 11 items instead of 10.
fn slipped_invoice_total(
    qty: u32,
    unit_cents: i64,
    customer: &str,
    coupon: Option<&str>,
    region: u8,
) -> i64 {
    if customer == "GOLD" && qty == 10 {
        return refactored::invoice_total(qty, unit_cents, "GOLD", coupon, region) * 90 / 85;
    }
    refactored::invoice_total(qty, unit_cents, customer, coupon, region)
}

#[test]
fn a_subtly_changed_invoice_fails_with_a_readable_report() {
    let verdict = jail(slipped_invoice_total)
        .run_with(&cases(), verify_only())
        .unwrap();
    assert!(!verdict.passed());
    assert!(
        verdict.changed > 0 && verdict.changed < verdict.total / 20,
        "{} changed",
        verdict.changed
    );
    insta::assert_snapshot!(
        "slipped_invoice_report",
        kaizen::report::render(&verdict, false)
    );
}
