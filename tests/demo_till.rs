//! The stateful demo: the legacy till in `jail/till.rs`, characterized by generated
//! sequences of calls seeded from its own literals, against the committed
//! `snapshots/till.snap`; the refactored copy in `examples/refactored/till.rs` (with its
//! bag-fee slip) is caught at the step where it changes behaviour.

#[path = "../jail/till.rs"]
mod legacy;
#[path = "../examples/refactored/till.rs"]
mod refactored;

use kaizen::cases::harvest::harvest_files;
use kaizen::env::{Environment, UpdateMode};
use kaizen::stateful::{Sequence, Stateful, sequences};
use kaizen::{Cases, report};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Op {
    Scan(String, u8),
    Coupon(String),
    VoidLast,
    Total,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Returned {
    Price(u32),
    Accepted(bool),
    Voided(String),
    Total(u32),
}

fn legacy_till() -> Stateful<String, legacy::Till, Op, Returned, u32> {
    Stateful::new(
        |store: String| legacy::Till::new(&store),
        |till: &mut legacy::Till, op: Op| match op {
            Op::Scan(sku, qty) => Returned::Price(till.scan(&sku, qty)),
            Op::Coupon(code) => Returned::Accepted(till.coupon(&code)),
            Op::VoidLast => Returned::Voided(till.void_last()),
            Op::Total => Returned::Total(till.total()),
        },
    )
    .observe(|till: &legacy::Till| till.total())
}

fn refactored_till() -> Stateful<String, refactored::Till, Op, Returned, u32> {
    Stateful::new(
        |store: String| refactored::Till::new(&store),
        |till: &mut refactored::Till, op: Op| match op {
            Op::Scan(sku, qty) => Returned::Price(till.scan(&sku, qty)),
            Op::Coupon(code) => Returned::Accepted(till.coupon(&code)),
            Op::VoidLast => Returned::Voided(till.void_last()),
            Op::Total => Returned::Total(till.total()),
        },
    )
    .observe(|till: &refactored::Till| till.total())
}

fn cases() -> Cases<Sequence<String, Op>> {
    let pools = harvest_files(&["jail/till.rs"]).unwrap();
    let op = prop_oneof![
        6 => (pools.strategy::<String>(), pools.strategy::<u8>())
            .prop_map(|(sku, qty)| Op::Scan(sku, qty)),
        2 => pools.strategy::<String>().prop_map(Op::Coupon),
        1 => Just(Op::VoidLast),
        1 => Just(Op::Total),
    ];
    let stores = prop_oneof![Just("OUTLET".to_string()), Just("HIGH STREET".to_string())];
    Cases::new().proptest(sequences(stores, op, 8..=24), 60)
}

#[test]
fn the_legacy_till_is_characterized_step_by_step() {
    legacy_till().jail("till").check(&cases());
}

#[test]
fn the_refactored_till_is_caught_at_the_step_of_its_bag_fee_slip() {
    let verify_only = Environment {
        mode: UpdateMode::No,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    let verdict = refactored_till()
        .jail("till")
        .run_with(&cases(), verify_only)
        .unwrap();
    let text = report::render(&verdict, false);
    assert!(verdict.changed > 0, "{text}");
    for shown in &verdict.differences {
        let headline = shown.headline.as_deref().unwrap_or_default();
        assert!(headline.starts_with("step "), "{text}");
        assert!(
            headline.contains("now state") || headline.contains("now Total("),
            "{text}"
        );
    }
}
