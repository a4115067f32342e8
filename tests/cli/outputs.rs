//! What programs print: bytes that are not UTF-8, and output that differs run to run.

use crate::harness::Project;

#[test]
fn non_utf8_stdout_is_recorded_in_escaped_form_and_verifies() {
    let project = Project::new("bytes");
    project
        .kaizen(["record"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("latin1: recorded 1 case to snapshots/latin1.snap\n");
    let snapshot = project.read("snapshots/latin1.snap");
    assert!(
        snapshot.ends_with(
            "- input: {}\n  exit: 0\n  stdout:\n    bytes: |\n      caf\\xe9\n      ok\n"
        ),
        "{snapshot}"
    );
    project
        .kaizen(["verify"])
        .run()
        .code(0)
        .stdout_is("latin1: 1 case — all same\n");
}

#[test]
fn a_changed_non_utf8_byte_is_shown_readably_in_the_report() {
    let project = Project::new("bytes");
    project.kaizen(["record"]).run().code(0);
    project.edit("jail/latin1.yaml", r"caf\351", r"caf\350");
    let out = project.kaizen(["verify"]).run();
    out.code(1).stdout_has(
        "  behaviour (- recorded, + now):\n    exit: 0\n    stdout:\n      bytes: |\n  -     caf\\xe9\n  +     caf\\xe8\n        ok\n",
    );
    assert!(
        !out.stdout().contains('\u{fffd}'),
        "no byte was lost: {out}"
    );
    let pending = project.read("snapshots/latin1.snap.new");
    assert!(pending.contains("      caf\\xe8\n"), "{pending}");
}

#[test]
fn nondeterministic_output_is_refused_at_record_with_a_scrubber_hint() {
    let project = Project::new("nondet");
    let out = project.kaizen(["record"]).run();
    out.code(2)
        .stdout_is("")
        .stderr_has(
            "error: pid: 1 case(s) behaved differently in 2 runs of the same input; nothing was recorded",
        )
        .stderr_has("input:\n    args:\n    - one\n  first run (-) vs a later run (+):\n")
        .stderr_has("      stable line\n  -   pid ")
        .stderr_has("\n  +   pid ")
        .stderr_has("with a `scrub:` entry in the jail spec")
        .stderr_has("    scrub:\n      - regex: ");
    assert_eq!(project.files("snapshots"), Vec::<String>::new());

    // A single run cannot tell.
    project.kaizen(["record", "--runs", "1"]).run().code(0);
}

#[test]
fn nondeterministic_output_records_once_a_scrub_entry_hides_it() {
    let project = Project::new("nondet");
    project.edit(
        "jail/pid.yaml",
        "timeout: 5s\n",
        "timeout: 5s\nscrub:\n  - regex: 'pid \\d+'\n    replace: 'pid [pid]'\n",
    );
    project
        .kaizen(["record", "--runs", "3"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("pid: recorded 1 case to snapshots/pid.snap\n");
    let snapshot = project.read("snapshots/pid.snap");
    assert!(
        snapshot.ends_with("  stdout: |\n    stable line\n    pid [pid]\n"),
        "{snapshot}"
    );
    project
        .kaizen(["verify"])
        .run()
        .code(0)
        .stdout_is("pid: 1 case — all same\n");
}

#[test]
fn snapshots_do_not_depend_on_where_the_project_is_checked_out() {
    let first = Project::empty();
    first.write(
        "jail/paths.yaml",
        "command: [sh, -c, 'echo \"{jail}/tool.py failed\"; echo \"data in {root}/data\" >&2']\ncases:\n  - args: []\n",
    );
    first.kaizen(["record", "paths"]).run().code(0);
    let snapshot = first.read("snapshots/paths.snap");
    assert!(
        snapshot.ends_with(
            "- input: {}\n  exit: 0\n  stdout: |\n    [jail]/tool.py failed\n  stderr: |\n    data in [root]/data\n"
        ),
        "{snapshot}"
    );
    // The same project, checked out somewhere else.
    let second = Project::empty();
    crate::harness::copy_tree(&first.root(), &second.root());
    second
        .kaizen(["verify", "paths"])
        .run()
        .code(0)
        .stdout_is("paths: 1 case — all same\n");
}

/// The program of [`printing`]: prints its argument as it is.
const PRINT: &str = r#"printf "%s" "$1""#;

/// A recorded jail whose program is [`PRINT`], with these `cases:`.
fn printing(cases: &str) -> Project {
    let project = Project::empty();
    project.write(
        "jail/print.yaml",
        format!("command: [sh, -c, '{PRINT}', print]\ncases:\n{cases}"),
    );
    project.kaizen(["record"]).run().code(0);
    project
}

#[test]
fn stdout_without_a_final_newline_is_shown_as_text_with_a_marker() {
    let project = printing("  - args: [a b]\n  - args: [\"'a b'\"]\n");
    let snapshot = project.read("snapshots/print.snap");
    assert!(snapshot.contains("  stdout: '''a b'''\n"), "{snapshot}");
    project.edit("jail/print.yaml", PRINT, r#"printf "%s\n" "$1""#);
    let out = project.kaizen(["verify"]).run();
    out.code(1)
        .stdout_has(
            "  behaviour (- recorded, + now):\n    exit: 0\n    stdout: |\n      a b\n  -   ⏎ no newline at end\n\n",
        )
        .stdout_has(
            "  behaviour (- recorded, + now):\n    exit: 0\n    stdout: |\n      'a b'\n  -   ⏎ no newline at end\n\n",
        );
}

#[test]
fn a_last_line_that_lost_its_newline_is_one_changed_line_not_two_equal_ones() {
    let project = printing("  - args: [\"x\\ny\\n\"]\n");
    project.edit("jail/print.yaml", PRINT, r#"printf "%s" "${1%?}""#);
    project.kaizen(["verify"]).run().code(1).stdout_has(
        "  behaviour (- recorded, + now):\n  ⋮\n    stdout: |\n      x\n      y\n  +   ⏎ no newline at end\n\n",
    );
}

#[test]
fn an_unchanged_exit_code_is_never_shown_as_a_changed_line() {
    let project = printing("  - args: [\"\"]\n");
    assert!(
        project
            .read("snapshots/print.snap")
            .ends_with("  exit: 0\n")
    );
    project.edit("jail/print.yaml", PRINT, r#"printf "%s" "$1"; echo now"#);
    let out = project.kaizen(["verify"]).run();
    out.code(1)
        .stdout_has("  behaviour (- recorded, + now):\n    exit: 0\n  + stdout: |\n  +   now\n");
    assert!(!out.stdout().contains("- exit: 0"), "{out}");
}
