//! The update modes: what a run writes, and whether it passes, in each mode, locally and on
//! CI. The table is in `kaizen::env`'s docs and the README.

mod common;

use common::{bytes, ci, local, pending, snap};
use kaizen::env::UpdateMode::{Always, Auto, New, No};
use kaizen::verify::Written;
use kaizen::{Cases, Error, Jail};

fn square(dir: &std::path::Path) -> Jail<i64, i64> {
    Jail::new("square", |x: i64| x * x).snapshot_dir(dir)
}

fn off_by_one(dir: &std::path::Path) -> Jail<i64, i64> {
    Jail::new("square", |x: i64| if x == 3 { 10 } else { x * x }).snapshot_dir(dir)
}

fn cases() -> Cases<i64> {
    Cases::new().list([1, 2, 3, 4])
}

#[test]
fn the_first_local_run_records_and_the_next_one_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let first = square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    assert!(first.passed());
    assert_eq!(first.written, Written::Recorded(snap(dir.path(), "square")));
    let report = kaizen::report::render(&first, false);
    assert_eq!(
        report.lines().count(),
        1,
        "a recording is one line: {report}"
    );
    assert_eq!(
        kaizen::report::summary(&first)
            .split(" cases")
            .next()
            .unwrap(),
        "square: recorded 4"
    );
    let second = square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    assert!(second.passed());
    assert_eq!((second.total, second.same, second.changed), (4, 4, 0));
    assert_eq!(second.written, Written::Nothing);
    assert_eq!(
        kaizen::report::summary(&second),
        "square: 4 cases — all same"
    );
}

#[test]
fn a_missing_snapshot_on_ci_fails_with_the_command_that_records_it_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let err = square(dir.path()).run_with(&cases(), ci(Auto)).unwrap_err();
    assert!(matches!(err, Error::MissingSnapshot { .. }));
    assert_eq!(err.exit_code(), kaizen::ExitCode::MissingSnapshot);
    let msg = err.to_string();
    assert!(msg.contains("KAIZEN_UPDATE=always cargo test"), "{msg}");
    assert!(msg.contains("square.snap"), "{msg}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_change_locally_writes_a_pending_file_and_fails_leaving_the_snapshot_untouched() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    let before = bytes(&snap(dir.path(), "square"));
    let v = off_by_one(dir.path())
        .run_with(&cases(), local(Auto))
        .unwrap();
    assert!(!v.passed());
    assert_eq!((v.same, v.changed), (3, 1));
    assert_eq!(v.written, Written::Pending(pending(dir.path(), "square")));
    assert_eq!(bytes(&snap(dir.path(), "square")), before);
    let pending_text = std::fs::read_to_string(pending(dir.path(), "square")).unwrap();
    assert!(pending_text.contains("returned: 10"), "{pending_text}");
    assert!(pending_text.contains("assertion_line:"), "{pending_text}");
}

#[test]
fn a_change_on_ci_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    let v = off_by_one(dir.path()).run_with(&cases(), ci(Auto)).unwrap();
    assert!(!v.passed());
    assert_eq!(v.written, Written::Nothing);
    assert!(bytes(&pending(dir.path(), "square")).is_none());
    assert!(kaizen::report::render(&v, false).contains("CI run: nothing was written"));
}

#[test]
fn new_writes_pending_files_even_on_ci_and_never_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let v = square(dir.path()).run_with(&cases(), ci(New)).unwrap();
    assert!(!v.passed());
    assert_eq!(v.written, Written::Pending(pending(dir.path(), "square")));
    assert!(bytes(&snap(dir.path(), "square")).is_none());
    std::fs::rename(pending(dir.path(), "square"), snap(dir.path(), "square")).unwrap();
    let v = off_by_one(dir.path()).run_with(&cases(), ci(New)).unwrap();
    assert!(!v.passed());
    assert!(bytes(&pending(dir.path(), "square")).is_some());
}

#[test]
fn always_re_records_a_changed_behaviour_and_passes() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    let v = off_by_one(dir.path())
        .run_with(&cases(), ci(Always))
        .unwrap();
    assert!(v.passed());
    assert_eq!(v.written, Written::Rerecorded(snap(dir.path(), "square")));
    let again = off_by_one(dir.path()).run_with(&cases(), ci(No)).unwrap();
    assert!(again.passed() && again.changed == 0);
}

#[test]
fn no_never_writes_anything() {
    let dir = tempfile::tempdir().unwrap();
    let err = square(dir.path())
        .run_with(&cases(), local(No))
        .unwrap_err();
    assert!(matches!(err, Error::MissingSnapshot { .. }));
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    let v = off_by_one(dir.path())
        .run_with(&cases(), local(No))
        .unwrap();
    assert!(!v.passed());
    assert!(bytes(&pending(dir.path(), "square")).is_none());
    assert!(kaizen::report::render(&v, false).contains("KAIZEN_UPDATE=no: nothing was written"));
}

#[test]
fn inputs_added_to_the_sources_are_reported_as_new_and_written_as_pending_not_accepted() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    let before = bytes(&snap(dir.path(), "square"));
    let more = Cases::new().list([1, 2, 3, 4, 5]);
    let v = square(dir.path()).run_with(&more, local(Auto)).unwrap();
    assert!(!v.passed());
    assert_eq!((v.same, v.changed, v.new), (4, 0, 1));
    let report = kaizen::report::render(&v, false);
    assert!(report.contains("1 new, not yet recorded"), "{report}");
    assert!(report.contains("new input (list #4"), "{report}");
    assert_eq!(bytes(&snap(dir.path(), "square")), before);
    let pending_text = std::fs::read_to_string(pending(dir.path(), "square")).unwrap();
    assert!(
        pending_text.contains("- input: 5\n  returned: 25"),
        "{pending_text}"
    );
}

#[test]
fn a_stale_pending_file_is_removed_once_behaviour_matches_again() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    off_by_one(dir.path())
        .run_with(&cases(), local(Auto))
        .unwrap();
    assert!(bytes(&pending(dir.path(), "square")).is_some());
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    assert!(bytes(&pending(dir.path(), "square")).is_none());
}

#[test]
fn force_pass_writes_the_pending_file_but_passes() {
    let dir = tempfile::tempdir().unwrap();
    square(dir.path()).run_with(&cases(), local(Auto)).unwrap();
    let env = kaizen::env::Environment {
        force_pass: true,
        ..local(Auto)
    };
    let v = off_by_one(dir.path()).run_with(&cases(), env).unwrap();
    assert!(v.passed());
    assert!(bytes(&pending(dir.path(), "square")).is_some());
}

#[test]
fn the_same_input_from_several_sources_is_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let cases = Cases::new()
        .list([1, 2, 2])
        .combinations(vec![2, 3])
        .list([3, 1]);
    let v = square(dir.path()).run_with(&cases, local(Auto)).unwrap();
    assert!(v.passed());
    let text = std::fs::read_to_string(snap(dir.path(), "square")).unwrap();
    assert_eq!(text.matches("- input:").count(), 3, "{text}");
    assert!(text.contains("cases: 3"), "{text}");
}
