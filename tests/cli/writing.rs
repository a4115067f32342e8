//! Output kaizen cannot write: a reader that went away ends kaizen quietly with 141 (as a
//! program ended by SIGPIPE); any other write error is one line on stderr and exit code 74.
//! Never a panic (101), never a code outside the README's table.

use std::fs::File;

use crate::harness::Project;

/// A pipe whose reading end is already closed: every write to it fails with EPIPE.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("create a pipe");
    drop(reader);
    writer
}

fn recorded() -> Project {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0);
    project
}

#[test]
fn a_closed_pipe_ends_kaizen_quietly_with_141_in_every_format() {
    let project = recorded();
    for format in ["human", "json", "junit"] {
        let out = project
            .kaizen(["verify", "--format", format])
            .stdout_to(closed_pipe())
            .run();
        out.code(141);
        assert_eq!(out.stderr(), "", "{format}: kaizen must end quietly");
    }
    assert!(project.left_in_tmp().is_empty());
}

#[test]
fn a_closed_pipe_ends_record_list_init_and_behaviours_quietly_too() {
    let project = recorded();
    for args in [&["record"][..], &["list"], &["init"], &["behaviours"]] {
        let out = project.kaizen(args).stdout_to(closed_pipe()).run();
        out.code(141);
        assert_eq!(out.stderr(), "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_a_one_line_error_with_exit_code_74() {
    let project = recorded();
    for args in [&["verify"][..], &["verify", "--format", "json"], &["list"]] {
        let full = File::options().write(true).open("/dev/full").unwrap();
        let out = project.kaizen(args).stdout_to(full).run();
        out.code(74);
        assert_eq!(
            out.stderr(),
            "error: cannot write to standard output: No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
}
