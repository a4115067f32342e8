//! A stateful jail: the legacy shop till in `jail/till.rs`, built from a store name and
//! driven by generated sequences of calls whose arguments come from the till's own
//! literals. It records the till's behaviour step by step, then verifies a refactoring with
//! a slip and prints the report, which names the first step that changed.
//!
//! Run it with `cargo run --example stateful`; `tests/examples_run.rs` runs it too.

#[path = "../jail/till.rs"]
mod legacy;
#[path = "refactored/till.rs"]
mod refactored;

use kaizen::cases::harvest::harvest_files;
use kaizen::env::{Environment, UpdateMode};
use kaizen::stateful::{Sequence, Stateful, sequences};
use kaizen::{Cases, report};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// One variant per method of the till, with its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Op {
    Scan(String, u8),
    Coupon(String),
    VoidLast,
    Total,
}

/// What a call returned (each method returns something else).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Returned {
    Price(u32),
    Accepted(bool),
    Voided(String),
    Total(u32),
}

/// The till as the legacy code is: built from a store name, one arm per method.
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

/// The refactored till, with a slip (the bag fee from the seventh line on).
fn slipped_till() -> Stateful<String, refactored::Till, Op, Returned, u32> {
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

fn main() {
    let dir = std::env::temp_dir().join(format!("kaizen-stateful-{}", std::process::id()));
    let local = Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    // Operation arguments from the till's own literals ("APPLE", "SAVE10", 3, 8, …).
    let pools = harvest_files(&["jail/till.rs"]).expect("jail/till.rs parses");
    let op = prop_oneof![
        6 => (pools.strategy::<String>(), pools.strategy::<u8>())
            .prop_map(|(sku, qty)| Op::Scan(sku, qty)),
        2 => pools.strategy::<String>().prop_map(Op::Coupon),
        1 => Just(Op::VoidLast),
        1 => Just(Op::Total),
    ];
    let cases = Cases::new()
        .list([Sequence::new(
            "OUTLET".to_string(),
            [
                Op::Scan("MILK".into(), 2),
                Op::Coupon("FREEMILK".into()),
                Op::VoidLast,
                Op::VoidLast,
                Op::Total,
            ],
        )])
        .seed(3)
        .proptest(sequences(pools.strategy::<String>(), op, 1..=30), 200);
    let jail = legacy_till().jail("till").snapshot_dir(&dir);
    // In a test: `jail.check(&cases)`.
    let recorded = jail.run_with(&cases, local.clone()).expect("recorded");
    println!("{}", report::summary(&recorded));
    let snapshot = std::fs::read_to_string(dir.join("till.snap")).expect("recorded");
    let body = snapshot.split("\n---\n").nth(1).expect("a body");
    let first = &body[..body[1..].find("\n- ").expect("two cases") + 2];
    println!("== the first case, step by step\n{first}");

    println!("== refactored with a slip");
    let slipped = slipped_till().jail("till").snapshot_dir(&dir);
    let verdict = slipped.run_with(&cases, local).expect("verified");
    println!("{}", report::render(&verdict, false));
    std::fs::remove_dir_all(&dir).ok();
}
