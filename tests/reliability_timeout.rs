//! Misbehaving legacy code in process: a call that never returns is recorded as `timeout`
//! after the jail's limit, the other cases still record, and the run ends quickly.

use std::path::Path;
use std::time::{Duration, Instant};

use kaizen::env::UpdateMode;
use kaizen::jail::Outcome;
use kaizen::verify::Written;
use kaizen::{Cases, Jail};

mod support;
use support::env;

const LIMIT: Duration = Duration::from_millis(400);

/// Legacy code that hangs on one input (it sleeps in a loop, so the abandoned thread costs
/// no CPU while the rest of the test binary runs).
fn legacy(n: u32) -> u32 {
    if n == 7 {
        loop {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    assert!(n != 9, "nine is not supported");
    n * 2
}

fn hanging_jail(dir: &Path) -> Jail<u32, u32> {
    Jail::new("hangs", legacy).timeout(LIMIT).snapshot_dir(dir)
}

fn fixed_jail(dir: &Path) -> Jail<u32, u32> {
    Jail::new("hangs", |n: u32| if n == 7 { 0 } else { legacy(n) })
        .timeout(LIMIT)
        .snapshot_dir(dir)
}

fn cases() -> Cases<u32> {
    Cases::new().list(0..12)
}

#[test]
fn a_call_that_never_returns_is_recorded_as_timeout_and_the_other_cases_still_record() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let verdict = hanging_jail(dir.path())
        .run_with(&cases(), env(UpdateMode::Auto))
        .unwrap();
    assert!(matches!(verdict.written, Written::Recorded(_)));
    let text = std::fs::read_to_string(dir.path().join("hangs.snap")).unwrap();
    assert!(
        text.contains("- input: 7\n  timeout: 400ms\n"),
        "the hung case is not recorded as a timeout:\n{text}"
    );
    assert!(text.contains("- input: 9\n  panicked: nine is not supported\n"));
    for n in (0..12).filter(|n| ![7, 9].contains(n)) {
        assert!(
            text.contains(&format!("- input: {n}\n  returned: {}\n", n * 2)),
            "{text}"
        );
    }

    // Replaying hits the limit again and still matches the recording.
    let verdict = hanging_jail(dir.path())
        .run_with(&cases(), env(UpdateMode::No))
        .unwrap();
    assert!(verdict.passed() && verdict.same == 12, "{verdict:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "two runs with one hung case each took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_case_that_starts_hanging_is_named_in_the_report_as_a_timeout() {
    let dir = tempfile::tempdir().unwrap();
    fixed_jail(dir.path())
        .run_with(&cases(), env(UpdateMode::Auto))
        .unwrap();
    let verdict = hanging_jail(dir.path())
        .jobs(3)
        .run_with(&cases(), env(UpdateMode::No))
        .unwrap();
    assert!(!verdict.passed());
    assert_eq!((verdict.changed, verdict.same), (1, 11));
    let diff = &verdict.differences[0];
    assert_eq!(diff.input, "7");
    assert_eq!(
        (diff.expected_label.as_str(), diff.actual_label.as_str()),
        ("returned", "timeout")
    );
    let report = kaizen::report::render(&verdict, false);
    assert!(report.contains("timeout: 400ms"), "{report}");
}

#[test]
fn a_jail_keeps_working_after_a_timeout_and_a_panic() {
    let jail = hanging_jail(Path::new("unused"));
    let started = Instant::now();
    assert_eq!(jail.call(&7), Outcome::Timeout("400ms".into()));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        jail.call(&9),
        Outcome::Panicked("nine is not supported".into())
    );
    assert_eq!(jail.call(&4), Outcome::Returned(8));
    assert_eq!(jail.call(&7), Outcome::Timeout("400ms".into()));
    assert_eq!(jail.call(&5), Outcome::Returned(10));
}
