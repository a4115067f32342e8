//! Isolated jails: each case runs in a child process (the test re-run), so an abort, a stack
//! overflow, an `exit` or a hang of the legacy code is recorded as behaviour.
//!
//! Each test re-runs itself as the child, so everything before the first jail call runs
//! once per case: the tests keep their snapshots in a fixed folder per test under cargo's
//! target tmp dir (nothing to clean up in the children) and record with `always`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use kaizen::env::{Environment, UpdateMode};
use kaizen::jail::Outcome;
use kaizen::{Cases, Error, Jail, Oracle};
use serde::{Deserialize, Serialize};

mod support;

/// A folder of this test's own, the same in the parent and in its children.
fn scratch() -> PathBuf {
    let test = std::thread::current()
        .name()
        .expect("libtest names the test's thread")
        .replace("::", "-");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("isolated")
        .join(test);
    std::fs::create_dir_all(&dir).expect("create the scratch folder");
    dir
}

fn rerecord() -> Environment {
    Environment {
        mode: UpdateMode::Always,
        ..Environment::default()
    }
}

fn deep(n: u64) -> u64 {
    // A frame that cannot be optimised away, so the recursion really uses the stack.
    let frame = black_box([n as u8; 512]);
    if n == 0 {
        u64::from(frame[0])
    } else {
        1 + deep(n - 1) + u64::from(frame[511] == 1)
    }
}

/// True once process `pid` has ended (or is a zombie), polled for up to 2 s.
fn gone_soon(pid: &str) -> bool {
    let status = PathBuf::from(format!("/proc/{pid}/status"));
    (0..100).any(|_| {
        let state = std::fs::read_to_string(&status).unwrap_or_default();
        let running = state
            .lines()
            .any(|l| l.starts_with("State:") && !l.contains('Z'));
        if running {
            std::thread::sleep(Duration::from_millis(20));
        }
        !running
    })
}

/// A legacy routine with every way of ending a process.
fn legacy(n: i64) -> i64 {
    match n {
        0 => std::process::abort(),
        1 => std::process::exit(3),
        2 => panic!("two is not allowed"),
        3 => deep(u64::MAX) as i64,
        _ => n * 2,
    }
}

#[test]
fn an_isolated_jail_records_abort_exit_panic_and_stack_overflow_as_behaviour() {
    let dir = scratch();
    let jail = Jail::new("ends", legacy).isolated().snapshot_dir(&dir);
    let cases = Cases::new().list([0, 1, 2, 3, 5]);

    let recorded = jail.run_with(&cases, rerecord()).unwrap();
    assert!(recorded.passed());
    let snapshot = std::fs::read_to_string(dir.join("ends.snap")).unwrap();
    for expected in [
        "- input: 0\n  crashed: signal 6 (SIGABRT)\n",
        "- input: 1\n  exited: 3\n",
        "- input: 2\n  panicked: two is not allowed\n",
        "- input: 3\n  crashed: stack overflow (signal 6 (SIGABRT))\n",
        "- input: 5\n  returned: 10\n",
    ] {
        assert!(snapshot.contains(expected), "{expected:?} in\n{snapshot}");
    }

    let verified = jail.run_with(&cases, Environment::default()).unwrap();
    assert!(verified.passed());
    assert_eq!((verified.same, verified.changed), (5, 0));
}

#[test]
fn an_isolated_jail_records_what_an_in_process_jail_records() {
    let dir = scratch();
    let values = |n: i64| {
        (
            format!("{n:>4}|"),
            n as f64 / 3.0,
            vec![Some(n), None],
            n == 7,
        )
    };
    let cases = Cases::new().list(-20..20i64);
    let isolated = Jail::new("same_isolated", values)
        .isolated()
        .snapshot_dir(&dir)
        .jobs(2);
    let in_process = Jail::new("same_in_process", values).snapshot_dir(&dir);
    isolated.run_with(&cases, rerecord()).unwrap();
    in_process.run_with(&cases, rerecord()).unwrap();
    let body = |name: &str| {
        let text = std::fs::read_to_string(dir.join(format!("{name}.snap"))).unwrap();
        text[text.find("\n---\n").expect("a header")..].to_string()
    };
    assert_eq!(body("same_isolated"), body("same_in_process"));
}

#[test]
fn a_hung_isolated_case_is_a_timeout_and_leaves_no_process_running() {
    let dir = scratch();
    let pid_file = dir.join("sleeper.pid");
    let jail = Jail::new("hangs", move |seconds: u64| {
        if seconds > 0 {
            let mut sleeper = std::process::Command::new("sleep")
                .arg("1000")
                .spawn()
                .expect("start sleep");
            std::fs::write(&pid_file, sleeper.id().to_string()).unwrap();
            std::thread::sleep(Duration::from_secs(seconds));
            let _ = sleeper.kill();
            let _ = sleeper.wait();
        }
        seconds
    })
    .isolated()
    .timeout(Duration::from_secs(2))
    .snapshot_dir(&dir);

    let verdict = jail
        .run_with(&Cases::new().list([0, 600]), rerecord())
        .unwrap();
    assert!(verdict.passed());
    let snapshot = std::fs::read_to_string(dir.join("hangs.snap")).unwrap();
    assert!(
        snapshot.contains("- input: 0\n  returned: 0\n"),
        "{snapshot}"
    );
    assert!(
        snapshot.contains("- input: 600\n  timeout: 2s\n"),
        "{snapshot}"
    );

    // The grandchild the hung call started was killed with the child's process group.
    let pid = std::fs::read_to_string(dir.join("sleeper.pid")).unwrap();
    let gone = gone_soon(pid.trim());
    assert!(gone, "sleep {pid} still runs");
}

#[test]
fn a_refactoring_that_removes_a_crash_is_reported_as_such() {
    let dir = scratch();
    let cases = Cases::new().list([0, 4]);
    Jail::new("crash_fixed", legacy)
        .isolated()
        .snapshot_dir(&dir)
        .run_with(&cases, rerecord())
        .unwrap();

    let fixed = |n: i64| if n == 0 { 0 } else { n * 2 };
    let no_writes = Environment {
        mode: UpdateMode::No,
        ..Environment::default()
    };
    let verdict = Jail::new("crash_fixed", fixed)
        .isolated()
        .snapshot_dir(&dir)
        .run_with(&cases, no_writes)
        .unwrap();
    assert!(!verdict.passed());
    let report = kaizen::report::render(&verdict, false);
    assert!(report.contains("1 changed"), "{report}");
    assert!(
        report.contains("a crash disappeared (it returned now)"),
        "{report}"
    );
    assert!(report.contains("- crashed: signal 6 (SIGABRT)"), "{report}");
}

#[test]
fn an_isolated_oracle_compares_a_crashing_original_with_its_refactoring() {
    let refactored = |n: i64| n.saturating_mul(2);
    let oracle = Oracle::new("isolated_oracle", legacy, refactored)
        .isolated()
        .replay_recorded(false)
        .snapshot_dir(scratch());
    let verdict = oracle
        .run_with(&Cases::new().list([1, 6, 7]), Environment::default())
        .unwrap();
    assert_eq!((verdict.same, verdict.changed), (2, 1));
    let report = kaizen::report::render(&verdict, false);
    assert!(report.contains("- exited: 3"), "{report}");
    assert!(report.contains("+ returned: 2"), "{report}");
}

#[test]
fn call_runs_one_case_in_a_child_process() {
    let jail = Jail::new("call_isolated", legacy).isolated();
    assert_eq!(jail.call(&21), Outcome::Returned(42));
    assert_eq!(jail.call(&1), Outcome::Exited(3));
    assert_eq!(jail.call(&0), Outcome::Crashed("signal 6 (SIGABRT)".into()));
}

#[test]
fn a_child_that_never_reaches_the_jail_is_an_error_not_a_behaviour() {
    // Built on a thread named after no test: the child runs no test and never calls the
    // function, which must not be recorded as anything.
    let dir = scratch();
    let jail = std::thread::Builder::new()
        .name("no_such_test".into())
        .spawn(move || Jail::new("unreached", legacy).isolated().snapshot_dir(dir))
        .unwrap()
        .join()
        .unwrap();
    let err = jail
        .run_with(&Cases::new().list([5]), rerecord())
        .unwrap_err();
    assert!(matches!(err, Error::Isolation { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("unreached: isolated case: input 5: the child process")
            && message.contains("no_such_test --exact")
            && message.contains("ended with exit 0 before it called the jailed function")
            && message.contains("nothing was written"),
        "{message}"
    );
    assert_eq!(err.exit_code(), kaizen::ExitCode::Usage);
}

#[test]
fn an_aborting_case_leaves_no_core_file_behind() {
    // Re-run `call_runs_one_case_in_a_child_process` (whose cases abort) from a shell that
    // allows core files, in an empty folder: the children must not write one there.
    let hard = std::process::Command::new("sh")
        .args(["-c", "ulimit -H -c"])
        .output()
        .unwrap();
    let hard = String::from_utf8_lossy(&hard.stdout).trim().to_string();
    if hard == "0" {
        eprintln!("core files are disabled on this machine (hard limit 0): nothing to prove");
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut command = std::process::Command::new("sh");
    command
        .args(["-c", "ulimit -c \"$1\" && exec \"$0\" \"$2\" --exact"])
        .arg(&exe)
        .arg(&hard)
        .arg("call_runs_one_case_in_a_child_process")
        .current_dir(folder.path());
    for var in kaizen::env::HERMETIC_STRIP {
        command.env_remove(var);
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let left: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in the working folder: {left:?}");
}

#[test]
fn a_child_whose_set_up_fails_reports_why_in_the_error() {
    // Set-up that differs between the test and its re-run: the child panics before it
    // reaches the jail. The harness prints that panic on stdout, which the error quotes.
    if std::env::var_os(kaizen::env::ISOLATED).is_some() {
        panic!("the fixture database is missing in the child");
    }
    let jail = Jail::new("set_up_fails", legacy)
        .isolated()
        .snapshot_dir(scratch());
    let err = jail
        .run_with(&Cases::new().list([5]), rerecord())
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("ended with exit 101 before it called the jailed function")
            && message.contains("its output ends with:")
            && message.contains("the fixture database is missing in the child"),
        "{message}"
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Reply {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    error: Option<u8>,
    code: u8,
    items: Vec<u8>,
}

/// A reply whose skipped `error` field shifts the encoding of the fields after it.
fn reply(n: u8) -> Reply {
    Reply {
        error: None,
        code: 0,
        items: vec![0, n],
    }
}

#[test]
fn a_value_that_cannot_cross_the_process_boundary_exactly_is_an_error_not_a_wrong_snapshot() {
    // `skip_serializing_if` makes the encoding depend on the value, which a format that is
    // not self-describing cannot decode reliably: refused, never recorded wrong.
    let dir = scratch();
    let jail = Jail::new("skipped_field", reply)
        .isolated()
        .snapshot_dir(&dir);
    let _ = std::fs::remove_file(dir.join("skipped_field.snap"));
    let err = jail
        .run_with(&Cases::new().list([7]), rerecord())
        .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("skipped_field: isolated case: input 7: the outcome")
            && message.contains("skip_serializing_if")
            && message.contains("nothing was written"),
        "{message}"
    );
    assert!(!dir.join("skipped_field.snap").exists());
}

#[test]
fn an_input_that_cannot_cross_the_process_boundary_exactly_is_refused_by_the_child() {
    let echo = Jail::new("skipped_input", |r: Reply| r.code).isolated();
    let err = echo.try_call(&reply(42)).unwrap_err().to_string();
    assert!(
        err.starts_with(r#"skipped_input: isolated case: input {"code":0,"items":[0,42]}: in the child: the input"#)
            && (err.contains("did not cross the process boundary exactly")
                || err.contains("could not be decoded")),
        "{err}"
    );
}

fn multiplier(name: &str, k: u8) -> Jail<u8, u8> {
    Jail::new(name, move |n: u8| n.wrapping_mul(k)).isolated()
}

#[test]
fn jails_of_one_name_made_at_one_place_keep_their_own_functions() {
    let (twice, thrice) = (multiplier("times", 2), multiplier("times", 3));
    assert_eq!(thrice.call(&5), Outcome::Returned(15));
    assert_eq!(twice.call(&5), Outcome::Returned(10));
}

#[test]
fn a_jail_made_on_a_thread_without_a_name_says_which_thread_to_make_it_on() {
    let jail = std::thread::scope(|scope| scope.spawn(|| multiplier("unnamed", 2)).join().unwrap());
    let err = jail.try_call(&1).unwrap_err().to_string();
    assert!(
        err.contains("the jail was made on a thread without a name")
            && err.contains("make the isolated jail in the test function itself"),
        "{err}"
    );
}

#[test]
fn killing_the_test_process_kills_the_isolated_child_it_was_waiting_for() {
    const TEST: &str = "killing_the_test_process_kills_the_isolated_child_it_was_waiting_for";
    if let Some((_, dir)) = support::child_role() {
        // The test process that will be killed, waiting for a case that hangs.
        let pid_file = dir.join("child.pid");
        let jail = Jail::new("hangs_until_killed", move |seconds: u64| {
            std::fs::write(&pid_file, std::process::id().to_string()).unwrap();
            std::thread::sleep(Duration::from_secs(seconds));
            seconds
        })
        .isolated()
        .snapshot_dir(&dir);
        let _ = jail.run_with(&Cases::new().list([1000]), rerecord());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The killed process cannot remove its case folder: keep it inside this test's folder.
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let tmp = tmp.to_string_lossy().into_owned();
    let mut parent = support::spawn_child_with(TEST, "hang", dir.path(), &[("TMPDIR", &tmp)]);
    let pid_file = dir.path().join("child.pid");
    let started = (0..500).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        std::fs::read_to_string(&pid_file).is_ok_and(|pid| !pid.is_empty())
    });
    let _ = parent.kill();
    let _ = parent.wait();
    assert!(started, "the isolated case never started");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let gone = gone_soon(pid.trim());
    assert!(gone, "the isolated child {pid} outlived its test process");
}
