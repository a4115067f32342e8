//! The everyday loop: record, verify, change, accept or reject.

use crate::harness::{Project, case_line};

/// The edit of `greet.sh` that changes what the program prints for one case only.
fn slip_greet(project: &Project) {
    project.edit(
        "jail/greet.sh",
        r#"echo "hello, $1""#,
        r#"[ "$1" = kaizen ] && echo "hello, Kaizen" || echo "hello, $1""#,
    );
}

fn recorded() -> Project {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0);
    project
}

#[test]
fn record_then_verify_exits_0_with_one_summary_line_per_jail() {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0).quiet().stdout_is(
        "count: recorded 3 cases to snapshots/count.snap\n\
             greet: recorded 2 cases to snapshots/greet.snap\n",
    );
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
    let greet = project.read("snapshots/greet.snap");
    assert!(
        greet.starts_with("---\nsource: jail/greet.yaml\n"),
        "{greet}"
    );
    assert!(
        greet.ends_with(
            "- input:\n    args:\n    - world\n  exit: 0\n  stdout: |\n    hello, world\n    lines: 0\n  stderr: |\n    done\n\
             - input:\n    args:\n    - kaizen\n    stdin: |\n      a line of input\n  exit: 0\n  stdout: |\n    hello, kaizen\n    lines: 1\n  stderr: |\n    done\n"
        ),
        "{greet}"
    );
    let count = project.read("snapshots/count.snap");
    assert!(
        count.contains("  exit: 3\n  stdout: |\n    1\n    2\n    3\n"),
        "{count}"
    );

    project
        .kaizen(["verify"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("count: 3 cases — all same\ngreet: 2 cases — all same\n");
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
    assert_eq!(project.left_in_tmp(), Vec::<std::path::PathBuf>::new());
}

#[test]
fn verify_after_a_behaviour_change_exits_1_and_shows_the_diff() {
    let project = recorded();
    let before = project.bytes("snapshots/greet.snap");
    slip_greet(&project);

    let out = project.kaizen(["verify"]).run();
    out.code(1).quiet();
    let line = case_line(&project.read("snapshots/greet.snap"), 2);
    out.stdout_is(&format!(
        "count: 3 cases — all same
greet: 2 cases — 1 same, 1 changed

case 2 of 2 from jail/greet.yaml:7 — snapshots/greet.snap:{line}
  input:
    args:
    - kaizen
    stdin: |
      a line of input
  behaviour (- recorded, + now):
    exit: 0
    stdout: |
  -   hello, kaizen
  +   hello, Kaizen
      lines: 1
    stderr: |
      done

wrote snapshots/greet.snap.new — review it with `cargo insta review` (or `kaizen accept greet`), or re-record with `kaizen record greet`
"
    ));
    assert_eq!(
        project.bytes("snapshots/greet.snap"),
        before,
        "snapshot untouched"
    );
    let pending = project.read("snapshots/greet.snap.new");
    assert!(pending.contains("    hello, Kaizen\n"), "{pending}");
    assert_eq!(
        project.files("snapshots"),
        ["count.snap", "greet.snap", "greet.snap.new"]
    );
}

#[test]
fn verify_on_ci_after_a_behaviour_change_exits_1_and_writes_no_pending_file() {
    let project = recorded();
    slip_greet(&project);
    project
        .kaizen(["verify"])
        .ci()
        .run()
        .code(1)
        .stdout_has("greet: 2 cases — 1 same, 1 changed\n")
        .stdout_has("  -   hello, kaizen\n  +   hello, Kaizen\n")
        .stdout_has("CI run: nothing was written; reproduce locally with `kaizen verify greet`");
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
}

#[test]
fn accept_makes_verify_pass_again_after_a_change() {
    let project = recorded();
    slip_greet(&project);
    project.kaizen(["verify"]).run().code(1);
    let pending = project.bytes("snapshots/greet.snap.new").unwrap();

    project
        .kaizen(["accept"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("greet: accepted snapshots/greet.snap\n");
    assert_eq!(project.bytes("snapshots/greet.snap").unwrap(), pending);
    // The acceptance of changed behaviour is written to the ledger.
    assert_eq!(
        project.files("snapshots"),
        ["count.snap", "greet.snap", "kaizen-ledger.yaml"]
    );
    project
        .kaizen(["verify"])
        .run()
        .code(0)
        .stdout_is("count: 3 cases — all same\ngreet: 2 cases — all same\n");
}

#[test]
fn reject_removes_the_pending_file_and_keeps_the_snapshot() {
    let project = recorded();
    let before = project.bytes("snapshots/greet.snap");
    slip_greet(&project);
    project.kaizen(["verify", "greet"]).run().code(1);
    assert!(project.exists("snapshots/greet.snap.new"));

    project
        .kaizen(["reject", "greet"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("greet: rejected snapshots/greet.snap.new\n");
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
    assert_eq!(project.bytes("snapshots/greet.snap"), before);
    project.kaizen(["verify", "greet"]).run().code(1);
}

#[test]
fn accept_or_reject_with_nothing_pending_says_so() {
    let project = recorded();
    project
        .kaizen(["accept"])
        .run()
        .code(0)
        .stdout_is("no pending results\n");
    project
        .kaizen(["reject"])
        .run()
        .code(0)
        .stdout_is("no pending results\n");
    project
        .kaizen(["accept", "greet"])
        .run()
        .code(2)
        .stderr_has("no pending results for `greet`");
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
}

#[test]
fn verify_without_a_snapshot_records_it_locally() {
    let project = Project::new("greet");
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: recorded 2 cases to snapshots/greet.snap\n");
    assert_eq!(project.files("snapshots"), ["greet.snap"]);
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: 2 cases — all same\n");
}

#[test]
fn record_again_after_a_change_rerecords_and_says_what_changed() {
    let project = recorded();
    slip_greet(&project);
    project.kaizen(["record", "greet"]).run().code(0).stdout_is(
        "greet: re-recorded 2 cases to snapshots/greet.snap (1 changed, 0 new, 0 dropped)\n",
    );
    project
        .kaizen(["record", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: 2 cases, unchanged (snapshots/greet.snap)\n");
    assert!(
        project
            .read("snapshots/greet.snap")
            .contains("hello, Kaizen")
    );
}

#[test]
fn a_case_added_to_the_spec_fails_verify_until_it_is_recorded() {
    let project = recorded();
    let spec = project.read("jail/greet.yaml");
    project.write("jail/greet.yaml", format!("{spec}  - args: [again]\n"));
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(1)
        .stdout_is(
            "greet: 2 cases — all same, 1 new, not yet recorded

new input (jail/greet.yaml:9), not yet recorded
  input:
    args:
    - again
  now:
    exit: 0
    stdout: |
      hello, again
      lines: 0
    stderr: |
      done

wrote snapshots/greet.snap.new — review it with `cargo insta review` (or `kaizen accept greet`), or re-record with `kaizen record greet`
",
        );
    project.kaizen(["record", "greet"]).run().code(0).stdout_is(
        "greet: re-recorded 3 cases to snapshots/greet.snap (0 changed, 1 new, 0 dropped)\n",
    );
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: 3 cases — all same\n");
}

#[test]
fn a_case_removed_from_the_spec_is_still_verified_until_recording_drops_it() {
    let project = recorded();
    project.edit("jail/greet.yaml", "  - args: [world]\n", "");
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: 2 cases — all same, 1 recorded only (no source makes them any more)\n");
    project.kaizen(["record", "greet"]).run().code(0).stdout_is(
        "greet: re-recorded 1 case to snapshots/greet.snap (0 changed, 0 new, 1 dropped)\n",
    );
    assert!(!project.read("snapshots/greet.snap").contains("world"));
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: 1 case — all same\n");
}

#[test]
fn accepting_a_corrupt_pending_file_exits_2_and_changes_nothing() {
    let project = recorded();
    let snapshot = project.bytes("snapshots/greet.snap");
    project.write("snapshots/greet.snap.new", "junk\n");
    project
        .kaizen(["accept"])
        .run()
        .code(2)
        .stdout_is("")
        .stderr_has("snapshots/greet.snap.new:1: the file does not start with a `---` header line");
    assert_eq!(project.bytes("snapshots/greet.snap"), snapshot);
    assert_eq!(project.read("snapshots/greet.snap.new"), "junk\n");
}

#[test]
fn a_clean_local_verify_removes_a_stale_pending_file_but_a_ci_run_does_not() {
    let project = recorded();
    project.write("snapshots/greet.snap.new", "stale\n");
    project.kaizen(["verify", "greet"]).ci().run().code(0);
    assert_eq!(project.read("snapshots/greet.snap.new"), "stale\n");
    project.kaizen(["verify", "greet"]).run().code(0);
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
}

/// The file the PATH gives for `name`, as a test computes it independently of kaizen.
fn on_path(name: &str) -> String {
    let paths = std::env::var_os("PATH").expect("PATH is set");
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
        .expect("the program is on PATH")
        .display()
        .to_string()
}

#[test]
fn the_header_names_the_file_a_bare_program_name_ran_and_not_a_path_given_as_is() {
    let project = Project::empty();
    project.write(
        "jail/bare.yaml",
        "command: [printf, \"%s\\n\"]\ncases:\n  - args: [one]\n",
    );
    let printf = on_path("printf");
    project.write(
        "jail/by_path.yaml",
        format!("command: [{printf:?}, \"%s\\n\"]\ncases:\n  - args: [one]\n"),
    );
    project.kaizen(["record"]).run().code(0);
    let bare = project.read("snapshots/bare.snap");
    let header = bare.split("\n---\n").next().unwrap_or_default();
    assert!(
        header
            .lines()
            .any(|line| line == format!("  program: printf → {printf}")),
        "{bare}"
    );
    let by_path = project.read("snapshots/by_path.snap");
    assert!(!by_path.contains("program:"), "{by_path}");
    // The field is informational: a snapshot with it verifies, and so does one without.
    project.kaizen(["verify"]).run().code(0);
}

#[test]
fn a_rerecording_counts_the_cases_it_wrote_when_the_snapshot_held_a_case_twice() {
    let project = recorded();
    // A merge of two branches left the first case in the file twice.
    let snapshot = project.read("snapshots/greet.snap");
    let first = snapshot.find("- input:").unwrap();
    let second = snapshot[first + 1..].find("- input:").unwrap() + first + 1;
    let doubled =
        format!("{}{}", snapshot, &snapshot[first..second]).replace("cases: 2", "cases: 3");
    project.write("snapshots/greet.snap", doubled);
    project.kaizen(["verify", "greet"]).run().code(0).stdout_is(
        "greet: 3 cases — all same, 1 recorded twice (kept once at the next recording)\n",
    );
    project.kaizen(["record", "greet"]).run().code(0).stdout_is(
        "greet: re-recorded 2 cases to snapshots/greet.snap (0 changed, 0 new, 1 dropped)\n",
    );
    assert_eq!(project.read("snapshots/greet.snap"), snapshot);
}
