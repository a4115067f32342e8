//! Output kaizen cannot write: a reader that went away ends kaizen quietly with 141 (as a
//! program ended by SIGPIPE); any other write error is one line on stderr and exit code 74.
//! Never a panic (101), never a code outside the README's table.

use std::fs::File;
use std::io::Read;

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

#[test]
fn a_reader_that_leaves_in_the_middle_of_a_long_report_ends_kaizen_quietly_with_141() {
    // 200 changed cases of 20 changed lines: every report below is longer than a pipe holds,
    // so kaizen is still writing when the reader goes away after 10 bytes (as with
    // `kaizen verify | head -c 10`).
    let project = Project::empty();
    project.write(
        "jail/many.yaml",
        "command: [sh, \"{jail}/many.sh\"]\ncombinations:\n  args: [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [a, b]]\n",
    );
    project.write("jail/many.sh", "seq 1 20 | sed \"s/^/v1 $* /\"\n");
    project.kaizen(["record", "--runs", "1"]).run().code(0);
    project.edit("jail/many.sh", "v1", "v2");
    for format in ["human", "json", "junit"] {
        for trial in 0..2 {
            let mut kaizen = crate::harness::hermetic()
                .args(["verify", "--all", "--format", format])
                .current_dir(project.root())
                .env("TMPDIR", project.tmp())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut head = [0u8; 10];
            kaizen.stdout.take().unwrap().read_exact(&mut head).unwrap();
            let out = kaizen.wait_with_output().unwrap();
            assert_eq!(
                (
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).as_ref()
                ),
                (Some(141), ""),
                "{format}, trial {trial}"
            );
        }
    }
    assert!(project.left_in_tmp().is_empty());
}
