//! `kaizen accept` and `kaizen list` meet files they cannot use: they say so, with exit
//! code 2, without waiting or reading more than a snapshot may hold.

use std::process::Command;

use crate::harness::Project;

/// The greet fixture recorded, with a valid pending file beside its snapshot.
fn recorded_with_pending() -> Project {
    let project = Project::new("greet");
    project.kaizen(["record", "greet"]).run().code(0);
    project.write(
        "snapshots/greet.snap.new",
        project.read("snapshots/greet.snap"),
    );
    project
}

fn mkfifo(project: &Project, relative: &str) {
    let status = Command::new("mkfifo")
        .arg(project.path(relative))
        .status()
        .expect("run mkfifo");
    assert!(status.success());
}

#[test]
fn accept_refuses_a_pending_file_over_the_snapshot_size_limit_and_changes_nothing() {
    let project = recorded_with_pending();
    let snapshot = project.bytes("snapshots/greet.snap");
    project
        .kaizen(["accept", "greet"])
        .env("KAIZEN_MAX_SNAPSHOT_SIZE", "64")
        .run()
        .code(2)
        .stdout_is("")
        .stderr_has("snapshots/greet.snap.new: the file is ")
        .stderr_has("more than the 64 bytes limit for a snapshot");
    assert_eq!(project.bytes("snapshots/greet.snap"), snapshot);
    assert!(project.exists("snapshots/greet.snap.new"));
}

#[test]
fn accept_refuses_a_pipe_as_a_pending_file_without_waiting_for_it() {
    let project = Project::new("greet");
    project.kaizen(["record", "greet"]).run().code(0);
    mkfifo(&project, "snapshots/greet.snap.new");
    project
        .kaizen(["accept", "greet"])
        .run()
        .code(2)
        .stdout_is("")
        .stderr_has("snapshots/greet.snap.new: this is not a regular file");
    assert!(project.exists("snapshots/greet.snap"));
}

#[test]
fn list_exits_2_when_a_snapshot_it_shows_is_unreadable() {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0);
    project.write("snapshots/greet.snap", "junk\n");
    project
        .kaizen(["list"])
        .run()
        .code(2)
        .stdout_has("greet                2 cases        unreadable snapshot: ")
        .stdout_has("count                3 cases        recorded 3 cases in snapshots/count.snap");
}

#[test]
fn list_does_not_wait_on_a_pipe_where_a_snapshot_should_be() {
    let project = Project::new("greet");
    project.kaizen(["record", "count"]).run().code(0);
    mkfifo(&project, "snapshots/greet.snap");
    project
        .kaizen(["list"])
        .run()
        .code(2)
        .stdout_has("unreadable snapshot: ")
        .stdout_has("this is not a regular file");
}
