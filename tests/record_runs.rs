//! A Rust jail's first recording runs each case twice (configurable) and refuses a case
//! that behaved differently, naming it and the redaction that would hide the difference.

mod common;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use kaizen::env::UpdateMode;
use kaizen::{Cases, Error, Jail, report};
use serde::Serialize;

#[derive(Serialize)]
struct Ticket {
    total: u32,
    issued: Issued,
}

#[derive(Serialize)]
struct Issued {
    at: u64,
    desk: &'static str,
}

fn ticket(qty: u32) -> Ticket {
    static CLOCK: AtomicU64 = AtomicU64::new(0);
    Ticket {
        total: qty * 3,
        issued: Issued {
            at: CLOCK.fetch_add(1, Ordering::Relaxed),
            desk: "A",
        },
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaizen-runs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_first_recording_refuses_a_case_whose_clock_changed_naming_it_and_the_redaction() {
    let dir = scratch("refused");
    let jail = Jail::new("tickets", ticket).snapshot_dir(&dir);
    let err = jail
        .run_with(&Cases::new().list([4, 5]), common::local(UpdateMode::Auto))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Unstable {
                count: 2,
                runs: 2,
                ..
            }
        ),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("tickets: 2 case(s) behaved differently in 2 runs"),
        "{text}"
    );
    assert!(text.contains("input:\n    4\n"), "{text}");
    assert!(text.contains("  -     at: 0\n  +     at: 2\n"), "{text}");
    assert!(
        text.contains(r#"e.g. .redact(".issued.at", "[placeholder]")"#),
        "{text}"
    );
    assert!(
        !common::snap(&dir, "tickets").exists(),
        "nothing is written"
    );

    // The suggested redaction makes it record.
    let redacted = jail.redact(".issued.at", "[clock]");
    let verdict = redacted
        .run_with(&Cases::new().list([4, 5]), common::local(UpdateMode::Auto))
        .unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
}

#[test]
fn a_changing_panic_message_is_refused_with_a_pattern_suggested() {
    let dir = scratch("panic");
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let jail = Jail::new("panicky", |_: u8| -> u8 {
        panic!("request {} failed", CALLS.fetch_add(1, Ordering::Relaxed))
    })
    .snapshot_dir(&dir);
    let err = jail
        .run_with(&Cases::new().list([1]), common::local(UpdateMode::Auto))
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("e.g. .redact_regex("), "{text}");
    assert!(text.contains("the panic message"), "{text}");
}

#[test]
fn record_runs_1_records_once_and_verifying_a_snapshot_runs_each_case_once() {
    let dir = scratch("counts");
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let counted = |qty: u32| {
        CALLS.fetch_add(1, Ordering::Relaxed);
        qty * 2
    };
    let cases = Cases::new().list([1, 2, 3]);
    let twice = Jail::new("counted", counted).snapshot_dir(&dir);
    assert!(
        twice
            .run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    assert_eq!(
        CALLS.swap(0, Ordering::Relaxed),
        6,
        "a first recording runs each case twice"
    );
    assert!(
        twice
            .run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    assert_eq!(
        CALLS.swap(0, Ordering::Relaxed),
        3,
        "a verification runs each case once"
    );
    assert!(
        twice
            .run_with(&cases, common::local(UpdateMode::Always))
            .unwrap()
            .passed()
    );
    assert_eq!(
        CALLS.swap(0, Ordering::Relaxed),
        6,
        "a re-recording runs each case twice"
    );

    let once = Jail::new("counted", counted)
        .snapshot_dir(scratch("counts-once"))
        .record_runs(1);
    assert!(
        once.run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    assert_eq!(CALLS.swap(0, Ordering::Relaxed), 3);

    let thrice = Jail::new("counted", counted)
        .snapshot_dir(scratch("counts-thrice"))
        .record_runs(3);
    assert!(
        thrice
            .run_with(&cases, common::local(UpdateMode::Auto))
            .unwrap()
            .passed()
    );
    assert_eq!(CALLS.swap(0, Ordering::Relaxed), 9);
}
