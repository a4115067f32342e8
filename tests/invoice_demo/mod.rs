//! The invoice demo's jail and cases, shared by its characterization
//! (`tests/characterize_invoice.rs`) and the refactoring checks (`tests/demo_invoice.rs`).

use kaizen::{Cases, Jail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// The legacy function's parameters as one recorded input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub qty: u32,
    pub unit_cents: i64,
    pub customer: String,
    pub coupon: Option<String>,
    pub region: u8,
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

pub type InvoiceFn = fn(u32, i64, &str, Option<&str>, u8) -> i64;

#[track_caller]
pub fn jail(f: InvoiceFn) -> Jail<Order, i64> {
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

pub fn cases() -> Cases<Order> {
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
