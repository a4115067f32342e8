//! The in-process jail: panics are behaviour, never a harness failure, and never spam the
//! test log; the report names what changed and colours only when asked.

mod common;

use std::process::Command;

use common::local;
use kaizen::env::UpdateMode::{Auto, No};
use kaizen::jail::Outcome;
use kaizen::{Cases, Jail};

fn fragile(x: i32) -> i32 {
    if x == 0 {
        panic!("division by zero in the legacy code");
    }
    if x < 0 {
        let v: Vec<i32> = Vec::new();
        return v[x.unsigned_abs() as usize];
    }
    100 / x
}

#[test]
fn a_panic_is_recorded_with_its_message_and_the_other_cases_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new("fragile", fragile).snapshot_dir(dir.path());
    assert_eq!(
        jail.call(&0),
        Outcome::Panicked("division by zero in the legacy code".into())
    );
    let v = jail
        .run_with(&Cases::new().list([5, 0, -2, 50]), local(Auto))
        .unwrap();
    assert!(v.passed());
    let text = std::fs::read_to_string(dir.path().join("fragile.snap")).unwrap();
    assert!(text.contains("- input: 5\n  returned: 20\n"), "{text}");
    assert!(
        text.contains("- input: 0\n  panicked: division by zero in the legacy code\n"),
        "{text}"
    );
    assert!(
        text.contains("panicked: 'index out of bounds: the len is 0 but the index is 2'"),
        "{text}"
    );
    assert!(text.contains("- input: 50\n  returned: 2\n"), "{text}");
}

const CHILD: &str = "KAIZEN_TEST_CHILD_PANICS";

/// Run in a child process so its stderr can be inspected.
#[test]
fn jailed_panics_print_nothing_but_panics_outside_jails_still_do() {
    if std::env::var_os(CHILD).is_some() {
        let jail = Jail::new("quiet", fragile);
        for x in [0, -1, 0] {
            let _ = jail.call(&x);
        }
        eprintln!("jailed calls done");
        let outside = std::panic::catch_unwind(|| panic!("outside any jail"));
        assert!(outside.is_err());
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "jailed_panics_print_nothing_but_panics_outside_jails_still_do",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let (jailed, after) = stderr.split_once("jailed calls done").expect("marker");
    assert!(
        !jailed.contains("panicked"),
        "jailed panics leaked: {jailed}"
    );
    assert!(
        after.contains("outside any jail"),
        "the original hook is gone: {after}"
    );
}

#[test]
fn the_report_names_a_panic_that_appeared_and_one_that_disappeared() {
    let dir = tempfile::tempdir().unwrap();
    let cases = Cases::new().list([1, 0, 7]);
    Jail::new("fragile", fragile)
        .snapshot_dir(dir.path())
        .run_with(&cases, local(Auto))
        .unwrap();
    let changed = |x: i32| {
        if x == 7 {
            panic!("seven is unlucky")
        } else if x == 0 {
            0
        } else {
            100 / x
        }
    };
    let v = Jail::new("fragile", changed)
        .snapshot_dir(dir.path())
        .run_with(&cases, local(No))
        .unwrap();
    let report = kaizen::report::render(&v, false);
    assert!(
        report.starts_with("fragile: 3 cases — 1 same, 2 changed\n"),
        "{report}"
    );
    assert!(
        report.contains("a panic disappeared (it returned now)"),
        "{report}"
    );
    assert!(
        report.contains("a panic appeared (it returned before)"),
        "{report}"
    );
    assert!(
        report.contains("  - panicked: division by zero in the legacy code\n  + returned: 0\n"),
        "{report}"
    );
    assert!(
        report.contains("  - returned: 14\n  + panicked: seven is unlucky\n"),
        "{report}"
    );
}

#[test]
fn the_report_shows_the_first_ten_changes_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let cases = Cases::new().list(0..25);
    Jail::new("inc", |x: u32| x + 1)
        .snapshot_dir(dir.path())
        .run_with(&cases, local(Auto))
        .unwrap();
    let v = Jail::new("inc", |x: u32| x + 2)
        .snapshot_dir(dir.path())
        .run_with(&cases, local(No))
        .unwrap();
    let report = kaizen::report::render(&v, false);
    assert_eq!(report.matches("\ncase ").count(), 10, "{report}");
    assert!(
        report.contains("…and 15 more changed cases not shown"),
        "{report}"
    );
}

#[test]
fn colour_is_used_only_when_asked_and_changed_words_are_highlighted() {
    let dir = tempfile::tempdir().unwrap();
    let cases = Cases::new().list(["alpha beta gamma".to_string()]);
    Jail::new("words", |s: String| s.clone())
        .snapshot_dir(dir.path())
        .run_with(&cases, local(Auto))
        .unwrap();
    let v = Jail::new("words", |s: String| s.replace("beta", "BETA"))
        .snapshot_dir(dir.path())
        .run_with(&cases, local(No))
        .unwrap();
    let plain = kaizen::report::render(&v, false);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    let coloured = kaizen::report::render(&v, true);
    assert!(coloured.contains('\u{1b}'), "{coloured}");
    // The changed word carries its own (underlined) style; the unchanged words do not.
    assert!(
        coloured.contains("\u{1b}[4m\u{1b}[31mbeta\u{1b}[0m"),
        "{coloured:?}"
    );
    assert!(
        !coloured.contains("\u{1b}[4m\u{1b}[31malpha"),
        "{coloured:?}"
    );
}

#[test]
fn a_timed_out_call_is_recorded_as_timeout_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let slow = |x: u64| {
        if x == 2 {
            std::thread::sleep(std::time::Duration::from_secs(3));
        }
        x
    };
    let jail = Jail::new("slow", slow)
        .snapshot_dir(dir.path())
        .timeout(std::time::Duration::from_millis(100));
    let v = jail
        .run_with(&Cases::new().list([1, 2, 3]), local(Auto))
        .unwrap();
    assert!(v.passed());
    let text = std::fs::read_to_string(dir.path().join("slow.snap")).unwrap();
    assert!(text.contains("- input: 2\n  timeout: 100ms\n"), "{text}");
    assert!(text.contains("- input: 3\n  returned: 3\n"), "{text}");
}
