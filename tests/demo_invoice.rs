//! The project's own demo: characterize the legacy `invoice_total` in `jail/invoice.rs`
//! with every input source, then check that a refactored version behaves the same and a
//! subtly changed one does not.

#[path = "../jail/invoice.rs"]
mod legacy;
#[path = "../examples/refactored/invoice.rs"]
mod refactored;

use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Jail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// The legacy function's parameters as one recorded input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    qty: u32,
    unit_cents: i64,
    customer: String,
    coupon: Option<String>,
    region: u8,
}

impl From<(u32, i64, &str, Option<&str>, u8)> for Order {
    fn from(
        (qty, unit_cents, customer, coupon, region): (u32, i64, &str, Option<&str>, u8),
    ) -> Self {
        Order {
            qty,
            unit_cents,
            customer: customer.into(),
            coupon: coupon.map(Into::into),
            region,
        }
    }
}

type InvoiceFn = fn(u32, i64, &str, Option<&str>, u8) -> i64;

fn jail(f: InvoiceFn) -> Jail<Order, i64> {
    Jail::new("invoice_total", move |o: Order| {
        f(
            o.qty,
            o.unit_cents,
            &o.customer,
            o.coupon.as_deref(),
            o.region,
        )
    })
}

fn cases() -> Cases<Order> {
    let qty = vec![0, 1, 9, 10, 11, 50, 100, 101];
    let unit = vec![0, 999, 4500, 10_000];
    let customer = vec!["GOLD", "SILVER", "BRONZE"];
    let coupon = vec![None, Some("SAVE10"), Some("SAVE60"), Some("FREESHIP")];
    let region = vec![0, 1, 2, 3];
    Cases::new()
        .list([
            Order::from((3, 1500, "GOLD", None, 1)),
            Order::from((1, 4500, "BRONZE", None, 1)), // lands on the 49.99 quirk
            Order::from((2, -700, "BRONZE", None, 2)), // refunds go negative
        ])
        .combinations((
            qty.clone(),
            unit.clone(),
            customer.clone(),
            coupon.clone(),
            region.clone(),
        ))
        .pairwise((
            vec![0, 1, 10, 11, 99, 100, 101, 5000],
            vec![-1, 0, 1, 4999, 5000, 99_999],
            vec!["GOLD", "SILVER", "BRONZE", "", "gold"],
            vec![
                None,
                Some("SAVE"),
                Some("SAVE5"),
                Some("SAVE50"),
                Some("SAVE51"),
                Some("FREESHIP"),
                Some("save10"),
            ],
            vec![0, 1, 2, 3, 4],
        ))
        .proptest(
            (
                0u32..300,
                -1_000i64..20_000,
                "GOLD|SILVER|BRONZE|[A-Z]{0,4}",
                proptest::option::of("SAVE[0-9]{1,2}|FREESHIP"),
                0u8..5,
            )
                .prop_map(|(q, u, c, k, r)| Order {
                    qty: q,
                    unit_cents: u,
                    customer: c,
                    coupon: k,
                    region: r,
                }),
            500,
        )
}

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
fn the_legacy_invoice_matches_its_recorded_behaviour() {
    jail(legacy::invoice_total).check(&cases());
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
