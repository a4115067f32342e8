//! `KAIZEN_MAX_SHOWN` chooses how many changed cases a `cargo test` report shows in full.
//! The variable is read from the process at the front door, so the test re-runs itself
//! with it set.

use std::process::Command;

use kaizen::env::{Environment, MAX_SHOWN};
use kaizen::{Cases, Jail};

const CHILD: &str = "KAIZEN_TEST_MAX_SHOWN_CHILD";

/// A local run's environment with this process's `KAIZEN_MAX_SHOWN` (and nothing else: the
/// test must record locally even on CI).
fn local_with_max_shown() -> Environment {
    Environment::from_lookup(|name| (name == MAX_SHOWN).then(|| std::env::var(name).ok())?).unwrap()
}

fn changed_cases(dir: &std::path::Path) -> kaizen::Verdict {
    let cases = Cases::new().list(0u32..30);
    Jail::new("many", |x: u32| x)
        .snapshot_dir(dir)
        .run_with(&cases, local_with_max_shown())
        .unwrap();
    Jail::new("many", |x: u32| x + 1)
        .snapshot_dir(dir)
        .run_with(&cases, local_with_max_shown())
        .unwrap()
}

/// Runs `test` in a child process with `KAIZEN_MAX_SHOWN=value`; its output, once it is
/// sure that exactly that test ran there.
fn run_child(test: &str, value: &str) -> std::process::Output {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env(MAX_SHOWN, value)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 passed") || stdout.contains("1 failed"),
        "{stdout}"
    );
    out
}

#[test]
fn kaizen_max_shown_all_shows_every_changed_case() {
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        let v = changed_cases(dir.path());
        assert_eq!((v.changed, v.differences.len()), (30, 30));
        assert!(!kaizen::report::render(&v, false).contains("more changed cases not shown"));
        return;
    }
    let out = run_child("kaizen_max_shown_all_shows_every_changed_case", "all");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn kaizen_max_shown_with_a_number_shows_that_many() {
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        let v = changed_cases(dir.path());
        assert_eq!((v.changed, v.differences.len()), (30, 25));
        return;
    }
    let out = run_child("kaizen_max_shown_with_a_number_shows_that_many", "25");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_kaizen_max_shown_that_is_no_number_is_an_error_naming_the_variable() {
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        let err = Jail::new("many", |x: u32| x)
            .snapshot_dir(dir.path())
            .run(&Cases::new().list([1u32]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("KAIZEN_MAX_SHOWN=\"lots\""), "{err}");
        return;
    }
    let test = "a_kaizen_max_shown_that_is_no_number_is_an_error_naming_the_variable";
    let out = run_child(test, "lots");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_explicit_environment_is_obeyed_whatever_the_process_variables_say() {
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        let cases = Cases::new().list(0u32..30);
        let run = |jail: Jail<u32, u32>| {
            jail.snapshot_dir(dir.path())
                .run_with(&cases, Environment::default())
        };
        run(Jail::new("many", |x: u32| x)).unwrap();
        let v = run(Jail::new("many", |x: u32| x + 1)).unwrap();
        // The variable says `all`; the environment given says nothing: the default of 10.
        assert_eq!((v.changed, v.differences.len()), (30, 10));
        return;
    }
    let out = run_child(
        "an_explicit_environment_is_obeyed_whatever_the_process_variables_say",
        "all",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
