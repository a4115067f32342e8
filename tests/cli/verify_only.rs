//! A verify that finds nothing to write never takes the recorder's lock: it runs beside
//! other verifies, beside a recording, and on a snapshot folder it cannot write to.

use crate::harness::Project;

fn recorded() -> Project {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0);
    project
}

#[test]
fn eight_parallel_verifies_of_an_unchanged_jail_all_pass() {
    let project = recorded();
    let outputs: Vec<_> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..8)
            .map(|_| s.spawn(|| project.kaizen(["verify", "greet"]).run()))
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    for out in &outputs {
        out.code(0).stdout_is("greet: 2 cases — all same\n");
    }
}

#[test]
fn an_unchanged_verify_passes_while_another_process_holds_the_lock() {
    let project = recorded();
    let lock =
        kaizen::snapshot::lock::Lock::acquire(&project.path("snapshots/greet.snap")).unwrap();
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: 2 cases — all same\n");
    drop(lock);
}

#[test]
fn an_unchanged_verify_passes_where_no_lock_file_can_be_made() {
    // As in a read-only snapshots/ folder (which root could write anyway): the lock file
    // cannot be created, because a folder stands in its place.
    let project = recorded();
    std::fs::create_dir(project.path("snapshots/.greet.snap.lock")).unwrap();
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(0)
        .stdout_is("greet: 2 cases — all same\n");
}

#[cfg(unix)]
#[test]
fn an_unchanged_verify_passes_on_a_read_only_snapshot_folder() {
    use std::os::unix::fs::PermissionsExt;
    let project = recorded();
    let dir = project.path("snapshots");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = project.kaizen(["verify", "greet"]).run();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    out.code(0).stdout_is("greet: 2 cases — all same\n");
}

#[test]
fn a_changed_verify_says_the_jail_is_being_recorded_only_when_another_run_writes() {
    let project = recorded();
    project.edit("jail/greet.sh", r#"echo "hello, $1""#, r#"echo "hi, $1""#);
    let lock =
        kaizen::snapshot::lock::Lock::acquire(&project.path("snapshots/greet.snap")).unwrap();
    // This run has a pending file to write, so it needs the lock, and says who holds it.
    project
        .kaizen(["verify", "greet"])
        .run()
        .code(2)
        .stderr_has("recording");
    drop(lock);
    project.kaizen(["verify", "greet"]).run().code(1);
    assert!(project.exists("snapshots/greet.snap.new"));
}

#[test]
fn a_changed_verify_that_may_not_write_takes_no_lock() {
    let project = recorded();
    project.edit("jail/greet.sh", r#"echo "hello, $1""#, r#"echo "hi, $1""#);
    let lock =
        kaizen::snapshot::lock::Lock::acquire(&project.path("snapshots/greet.snap")).unwrap();
    // On CI, and with KAIZEN_UPDATE=no, nothing is written: the held lock is no obstacle.
    for (name, value) in [("CI", "true"), ("KAIZEN_UPDATE", "no")] {
        project
            .kaizen(["verify", "greet"])
            .env(name, value)
            .run()
            .code(1)
            .stdout_has("greet: 2 cases — 0 same, 2 changed");
    }
    drop(lock);
    assert!(!project.exists("snapshots/greet.snap.new"));
}
