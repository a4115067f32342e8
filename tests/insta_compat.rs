//! kaizen snapshot files are insta snapshot files: insta reads them, and insta's own
//! assertion accepts their body as matching — so `cargo insta review`, `accept`, `reject`
//! and `test --check` work on them.

mod common;

use common::{local, pending, snap};
use kaizen::env::UpdateMode::{Auto, New};
use kaizen::{Cases, Jail};

fn record(dir: &std::path::Path) -> Cases<(u32, String)> {
    let cases = Cases::new().combinations((
        vec![0, 7, 1000],
        vec!["a b".to_string(), "x\ny".into(), "".into()],
    ));
    let jail = Jail::new("compat", |(n, s): (u32, String)| format!("{n}:{s}")).snapshot_dir(dir);
    assert!(jail.run_with(&cases, local(Auto)).unwrap().passed());
    cases
}

#[test]
fn insta_reads_a_kaizen_snapshot_and_its_header() {
    let dir = tempfile::tempdir().unwrap();
    record(dir.path());
    let snapshot = insta::Snapshot::from_file(&snap(dir.path(), "compat")).unwrap();
    assert_eq!(snapshot.metadata().expression(), Some("compat"));
    assert_eq!(snapshot.metadata().source(), Some("tests/insta_compat.rs"));
    assert!(
        snapshot
            .metadata()
            .description()
            .unwrap()
            .contains("9 cases")
    );
    let text = snapshot.as_text().unwrap().to_string();
    assert!(
        text.starts_with("- input:\n  - 0\n  - a b\n  returned: 0:a b\n"),
        "{text}"
    );
}

#[test]
fn insta_accepts_the_kaizen_body_as_matching_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    record(dir.path());
    let loaded = kaizen::snapshot::load(&snap(dir.path(), "compat"))
        .unwrap()
        .unwrap();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir.path());
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    // A mismatch would panic (and write compat.snap.new).
    settings.bind(|| insta::assert_snapshot!("compat", loaded.body.trim_end()));
    assert!(!pending(dir.path(), "compat").exists());
}

#[test]
fn a_pending_file_is_an_insta_pending_snapshot_with_its_assertion_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = record(dir.path());
    let changed =
        Jail::new("compat", |(n, s): (u32, String)| format!("{n}-{s}")).snapshot_dir(dir.path());
    let v = changed.run_with(&cases, local(New)).unwrap();
    assert!(!v.passed());
    let new = insta::Snapshot::from_file(&pending(dir.path(), "compat")).unwrap();
    assert!(new.metadata().assertion_line().is_some());
    assert!(
        new.as_text()
            .unwrap()
            .to_string()
            .contains("returned: 7-a b")
    );
    // What `cargo insta accept` does: the pending file replaces the snapshot.
    std::fs::rename(pending(dir.path(), "compat"), snap(dir.path(), "compat")).unwrap();
    assert!(
        changed
            .run_with(&cases, local(kaizen::env::UpdateMode::No))
            .unwrap()
            .passed()
    );
}
