//! A snapshot recorded under other redactions than its jail has now: when cases changed,
//! the report says so, with both lists and what to do, in the human and the JSON report.

mod common;

use kaizen::env::UpdateMode;
use kaizen::report::{self, JailResult};
use kaizen::{Cases, Jail};
use serde::Serialize;

#[derive(Serialize)]
struct Ticket {
    id: u64,
    printed_at: String,
    seats: u32,
}

fn ticket(seats: u32) -> Ticket {
    Ticket {
        id: 1000 + u64::from(seats),
        printed_at: "2026-12-03T01:00:00Z".into(),
        seats,
    }
}

fn cases() -> Cases<u32> {
    Cases::new().list([1, 2, 3])
}

/// A folder with `tickets.snap` recorded under `.printed_at → [time]` only.
fn recorded(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kaizen-redact-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let verdict = Jail::new("tickets", ticket)
        .snapshot_dir(&dir)
        .redact(".printed_at", "[time]")
        .run_with(&cases(), common::local(UpdateMode::Auto))
        .unwrap();
    assert!(verdict.passed());
    dir
}

#[test]
fn changed_cases_under_other_redactions_than_the_recording_are_reported_as_such() {
    let dir = recorded("changed");
    let header = std::fs::read_to_string(common::snap(&dir, "tickets")).unwrap();
    assert!(
        header.contains("  redactions:\n  - .printed_at → [time]\n"),
        "{header}"
    );
    // The jail now also redacts the id: every recorded `id: 1001` reads `[id]` now.
    let jail = Jail::new("tickets", ticket)
        .snapshot_dir(&dir)
        .redact(".printed_at", "[time]")
        .redact(".id", "[id]");
    let verdict = jail
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 3);
    let change = verdict
        .redactions_changed
        .clone()
        .expect("a redaction note");
    assert_eq!(change.recorded, [".printed_at → [time]"]);
    assert_eq!(change.now, [".printed_at → [time]", ".id → [id]"]);

    let note = "note: this snapshot was recorded with redactions [.printed_at → [time]]; the jail now has [.printed_at → [time], .id → [id]] — re-record after changing redactions (KAIZEN_UPDATE=always cargo test), then review what changed";
    let human = report::render(&verdict, false);
    let second_line = human.lines().nth(1).unwrap_or_default();
    assert_eq!(second_line, format!("  {note}"), "{human}");

    let json = report::json::render(
        &dir,
        &[JailResult {
            name: "tickets".into(),
            spec: "tests/redact_changed.rs".into(),
            result: Ok(verdict),
        }],
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let found = &doc["jails"][0]["redactions_changed"];
    assert_eq!(
        found["recorded"],
        serde_json::json!([".printed_at → [time]"])
    );
    assert_eq!(
        found["now"],
        serde_json::json!([".printed_at → [time]", ".id → [id]"])
    );
    assert_eq!(
        found["note"].as_str(),
        note.strip_prefix("note: "),
        "{json}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_snapshot_recorded_without_redactions_is_named_so_when_the_jail_now_has_some() {
    let dir = std::env::temp_dir().join(format!("kaizen-redact-none-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Jail::new("tickets", ticket)
        .snapshot_dir(&dir)
        .run_with(&cases(), common::local(UpdateMode::Auto))
        .unwrap();
    let verdict = Jail::new("tickets", ticket)
        .snapshot_dir(&dir)
        .redact(".printed_at", "[time]")
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 3);
    let human = report::render(&verdict, false);
    assert!(
        human.contains(
            "note: this snapshot was recorded with redactions none; the jail now has [.printed_at → [time]]"
        ),
        "{human}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn no_redaction_note_when_the_redactions_match_or_nothing_changed() {
    let dir = recorded("quiet");
    // Same redactions, a real change: no note.
    let verdict = Jail::new("tickets", |n: u32| Ticket {
        seats: n + 1,
        ..ticket(n)
    })
    .snapshot_dir(&dir)
    .redact(".printed_at", "[time]")
    .run_with(&cases(), common::local(UpdateMode::No))
    .unwrap();
    assert_eq!(verdict.changed, 3);
    assert_eq!(verdict.redactions_changed, None);
    assert!(!report::render(&verdict, false).contains("note: "));

    // Other redactions that change nothing (a place the output does not have): no note.
    let verdict = Jail::new("tickets", ticket)
        .snapshot_dir(&dir)
        .redact(".printed_at", "[time]")
        .redact(".missing", "[x]")
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert!(verdict.passed());
    assert_eq!(verdict.redactions_changed, None);
    std::fs::remove_dir_all(&dir).ok();
}

/// A snapshot as kaizen wrote it before redactions, tolerances and stateful jails existed
/// (the header of `snapshots/invoice_total.snap` as first committed).
const OLDER_SNAPSHOT: &str = "---
source: tests/redact_changed.rs
description: 'kaizen characterization of `tickets`: 2 cases from list (2). Generated: re-record with `KAIZEN_UPDATE=always cargo test` rather than editing by hand.'
expression: tickets
info:
  kaizen: 1
  jail: tickets
  input_type: u32
  cases: 2
  sources:
  - list (2)
  seed: null
---
- input: 1
  returned:
    id: 1001
    printed_at: 2026-12-03T01:00:00Z
    seats: 1
- input: 2
  returned:
    id: 1002
    printed_at: 2026-12-03T01:00:00Z
    seats: 2
";

#[test]
fn a_snapshot_written_before_redactions_existed_still_verifies() {
    let dir = std::env::temp_dir().join(format!("kaizen-redact-older-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(common::snap(&dir, "tickets"), OLDER_SNAPSHOT).unwrap();
    let cases = || Cases::new().list([1, 2]);
    let verdict = Jail::new("tickets", ticket)
        .snapshot_dir(&dir)
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
    assert_eq!((verdict.same, verdict.changed), (2, 0));

    // With a redaction now, it reads as recorded with none.
    let verdict = Jail::new("tickets", ticket)
        .snapshot_dir(&dir)
        .redact(".printed_at", "[time]")
        .tolerance(kaizen::tolerance::Tolerance::absolute(0.5))
        .run_with(&cases(), common::local(UpdateMode::No))
        .unwrap();
    assert_eq!(verdict.changed, 2);
    let change = verdict.redactions_changed.expect("a redaction note");
    assert!(change.recorded.is_empty());
    std::fs::remove_dir_all(&dir).ok();
}
