//! Redactions in Rust jails: clocks and generated ids replaced by named placeholders before
//! anything is compared or written, and listed in the snapshot header.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use kaizen::env::UpdateMode;
use kaizen::{Cases, Jail, report};
use serde::Serialize;

#[derive(Serialize)]
struct Order {
    id: u64,
    created_at: String,
    items: Vec<Line>,
    total: u32,
}

#[derive(Serialize)]
struct Line {
    id: u64,
    qty: u32,
}

/// A legacy order maker: a fresh id from a counter and the "clock" on every call.
fn make_order(qty: u32) -> Order {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(3, Ordering::Relaxed);
    Order {
        id,
        created_at: format!("2026-12-02T21:{:02}:{:02}Z", id / 60 % 60, id % 60),
        items: (0..2).map(|i| Line { id: id + i, qty }).collect(),
        total: qty * 7,
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaizen-redact-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn without_redactions_a_clock_and_an_id_turn_every_case_red() {
    let dir = scratch("plain");
    // One run per case: the first recording does not notice (tests/record_runs.rs).
    let jail = Jail::new("orders", make_order)
        .snapshot_dir(&dir)
        .record_runs(1);
    let cases = Cases::new().list([1, 2, 3]);
    assert!(
        jail.run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    let again = jail
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(again.changed, 3, "{}", report::render(&again, false));
}

#[test]
fn redacted_places_read_as_placeholders_and_the_next_run_is_the_same() {
    let dir = scratch("places");
    let jail = Jail::new("orders", make_order)
        .snapshot_dir(&dir)
        .redact(".created_at", "[timestamp]")
        .redact(".id", "[id]")
        .redact(".items[].id", "[line id]");
    let cases = Cases::new().list([1, 2, 3]);
    assert!(
        jail.run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    let again = jail
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(
        (again.same, again.changed),
        (3, 0),
        "{}",
        report::render(&again, false)
    );

    let text = std::fs::read_to_string(common::snap(&dir, "orders")).unwrap();
    assert!(
        text.contains("    id: '[id]'\n    created_at: '[timestamp]'\n"),
        "{text}"
    );
    assert!(
        text.contains("    - id: '[line id]'\n      qty: 1\n"),
        "{text}"
    );
    assert!(text.contains("    total: 7\n"), "{text}");
    assert!(
        text.contains(
            "  redactions:\n  - .created_at → [timestamp]\n  - .id → [id]\n  - .items[].id → [line id]\n"
        ),
        "{text}"
    );
    // What is not redacted is still compared.
    let slipped = Jail::new("orders", |qty: u32| Order {
        total: qty * 8,
        ..make_order(qty)
    })
    .snapshot_dir(&dir)
    .redact(".created_at", "[timestamp]")
    .redact(".id", "[id]")
    .redact(".items[].id", "[line id]");
    let verdict = slipped
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 3, "{}", report::render(&verdict, false));
}

#[test]
fn a_pattern_redacts_the_encoded_text_a_panic_message_included() {
    let dir = scratch("pattern");
    let jail = Jail::new("stamped", |n: u32| {
        let order = make_order(n);
        if n == 0 {
            panic!("no quantity in order {} at {}", order.id, order.created_at);
        }
        format!("order {} made at {}", order.id, order.created_at)
    })
    .snapshot_dir(&dir)
    .redact_regex(r"\d{4}-\d\d-\d\dT[\d:]+Z", "[timestamp]")
    .redact_regex(r"order \d+", "order [id]");
    let cases = Cases::new().list([0, 1]);
    assert!(
        jail.run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    let again = jail
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(again.changed, 0, "{}", report::render(&again, false));
    let text = std::fs::read_to_string(common::snap(&dir, "stamped")).unwrap();
    assert!(
        text.contains("  panicked: no quantity in order [id] at [timestamp]\n"),
        "{text}"
    );
    assert!(
        text.contains("  returned: order [id] made at [timestamp]\n"),
        "{text}"
    );
}

#[test]
fn a_selector_that_cannot_be_read_is_an_error_naming_the_jail_and_nothing_is_written() {
    let dir = scratch("bad");
    let jail = Jail::new("orders", make_order)
        .snapshot_dir(&dir)
        .redact("created_at", "[timestamp]");
    let err = jail
        .run_with(&Cases::new().list([1]), common::local(UpdateMode::Auto))
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("jail orders: the redaction selector `created_at` must start"),
        "{text}"
    );
    assert!(text.contains("`.created_at`"), "{text}");
    assert!(!common::snap(&dir, "orders").exists());
}

#[test]
fn a_pattern_that_would_break_the_snapshot_is_refused_naming_it() {
    let dir = scratch("breaking");
    let jail = Jail::new("orders", make_order)
        .snapshot_dir(&dir)
        .redact_regex(r"\n    ", " ");
    let err = jail
        .run_with(&Cases::new().list([1]), common::local(UpdateMode::Auto))
        .unwrap_err();
    assert!(err.to_string().contains("is no longer YAML"), "{err}");
    assert!(!common::snap(&dir, "orders").exists());
}

#[test]
fn in_a_stateful_jail_a_selector_reaches_the_observed_state_of_every_step() {
    use kaizen::stateful::{Sequence, Stateful};
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Op {
        Add(u32),
    }
    #[derive(Serialize)]
    struct Seen {
        total: u32,
        at: u64,
    }
    static CLOCK: AtomicU64 = AtomicU64::new(0);
    let counter: Stateful<u32, u32, Op, u32, Seen> = Stateful::new(
        |start: u32| start,
        |n: &mut u32, op: Op| match op {
            Op::Add(k) => {
                *n += k;
                *n
            }
        },
    )
    .observe(|n: &u32| Seen {
        total: *n,
        at: CLOCK.fetch_add(1, Ordering::Relaxed),
    });
    let dir = scratch("stateful");
    let cases = Cases::new().list([Sequence::new(1, vec![Op::Add(2), Op::Add(3)])]);
    let jail = counter
        .jail("counter")
        .snapshot_dir(&dir)
        .redact("[].state.at", "[clock]");
    assert!(
        jail.run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    let again = jail
        .run_with(&cases, common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(again.changed, 0, "{}", report::render(&again, false));
    let text = std::fs::read_to_string(common::snap(&dir, "counter")).unwrap();
    assert!(
        text.contains("    state:\n      total: 6\n      at: '[clock]'\n"),
        "{text}"
    );
}

#[test]
fn an_oracle_redacts_both_versions_alike() {
    let dir = scratch("oracle");
    let oracle = kaizen::Oracle::new("orders_oracle", make_order, make_order)
        .snapshot_dir(&dir)
        .redact(".created_at", "[timestamp]")
        .redact(".id", "[id]")
        .redact(".items[].id", "[line id]");
    let verdict = oracle
        .run_with(&Cases::new().list([1, 2]), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(
        (verdict.same, verdict.changed),
        (2, 0),
        "{}",
        report::render(&verdict, false)
    );
    let plain = kaizen::Oracle::new("orders_plain", make_order, make_order).snapshot_dir(&dir);
    let verdict = plain
        .run_with(&Cases::new().list([1, 2]), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 2);
}
