//! Refactoring steps and feature steps for `cargo test` jails: `Jail::step` (or
//! `KAIZEN_STEP`) checked against the ledger of accepted changes beside the snapshots.

mod common;
mod support;

use common::{bytes, local, pending, snap};
use kaizen::env::UpdateMode::{Always, Auto, No};
use kaizen::ledger::{self, Entry};
use kaizen::step::Step;
use kaizen::verify::Written;
use kaizen::{Cases, Jail};

fn square(dir: &std::path::Path) -> Jail<i64, i64> {
    Jail::new("square", |x: i64| x * x).snapshot_dir(dir)
}

/// Case 3 (input 3) and case 4 (input 4) behave differently.
fn changed(dir: &std::path::Path) -> Jail<i64, i64> {
    Jail::new("square", |x: i64| if x >= 3 { x * 10 } else { x * x }).snapshot_dir(dir)
}

fn cases() -> Cases<i64> {
    Cases::new().list([1, 2, 3, 4])
}

fn accepted(dir: &std::path::Path, jail: &str, commit: &str, cases: Vec<usize>) {
    let entry = Entry {
        date: "2026-12-03T01:00:00Z".into(),
        jail: jail.into(),
        commit: Some(commit.into()),
        cases,
        changes: vec![],
        behaviour: "0 → 1".into(),
        reason: "wanted".into(),
    };
    ledger::append(dir, &entry).unwrap();
}

#[test]
fn a_feature_step_fails_only_for_the_changed_cases_the_ledger_does_not_name() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    // An older step named case 4; this step's entries (commit b2) name case 3 only.
    accepted(dir.path(), "square", "a1", vec![4]);
    accepted(dir.path(), "square", "b2", vec![3]);
    accepted(dir.path(), "other", "b2", vec![4]);
    let v = changed(dir.path())
        .step(Step::Feature)
        .run_with(&cases(), local(No))
        .unwrap();
    assert_eq!((v.changed, v.unnamed.count), (2, 1));
    assert_eq!(v.unnamed.cases, vec![4]);
    assert!(!v.passed());
    let report = kaizen::report::render(&v, false);
    assert!(
        report.contains("not named by the ledger's entries of this step: case 4 — "),
        "{report}"
    );

    accepted(dir.path(), "square", "b2", vec![4]);
    let v = changed(dir.path())
        .step(Step::Feature)
        .run_with(&cases(), local(No))
        .unwrap();
    assert_eq!((v.changed, v.unnamed.count), (2, 0));
    assert!(v.passed());
    // As any step, the same changes fail.
    let v = changed(dir.path()).run_with(&cases(), local(No)).unwrap();
    assert!(!v.passed());
}

#[test]
fn a_refactoring_step_fails_on_any_change_and_writes_nothing_even_when_asked_to_rerecord() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    let recorded = bytes(&snap(dir.path(), "square"));
    let v = changed(dir.path())
        .step(Step::Refactor)
        .run_with(&cases(), local(Always))
        .unwrap();
    assert!(!v.passed());
    assert_eq!(v.written, Written::Nothing);
    assert_eq!(bytes(&snap(dir.path(), "square")), recorded);
    assert_eq!(bytes(&pending(dir.path(), "square")), None);
    let report = kaizen::report::render(&v, false);
    assert!(
        report.contains("refactoring step: any change fails, and nothing was written"),
        "{report}"
    );
}

/// In a child started with `KAIZEN_LEDGER=1`: verifies `square` in the child's folder twice,
/// the second time with case 3 and 4 changed. In a normal run: nothing.
#[test]
fn child_verifies_with_the_step_ledger_on() {
    let Some((_, dir)) = support::child_role() else {
        return;
    };
    square(&dir).run_with(&cases(), local(Auto)).unwrap();
    changed(&dir).run_with(&cases(), local(No)).unwrap();
}

#[test]
fn kaizen_ledger_appends_one_step_per_cargo_test_jail_run() {
    if support::child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let child = support::spawn_child_with(
        "child_verifies_with_the_step_ledger_on",
        "ledger",
        dir.path(),
        &[("KAIZEN_LEDGER", "1")],
    );
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let steps = ledger::read_steps(dir.path()).unwrap();
    let counts: Vec<_> = steps
        .iter()
        .map(|s| (s.jails, s.cases, s.same, s.changed, s.new))
        .collect();
    // The first run records (4 new inputs), the second finds 2 of 4 changed.
    assert_eq!(counts, [(1, 0, 0, 0, 4), (1, 4, 2, 2, 0)]);
}
