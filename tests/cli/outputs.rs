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
