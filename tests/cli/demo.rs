//! The project's own demo (`jail/report.yaml` over `jail/report.py`): its committed
//! snapshot must still verify, so the demo in the README stays honest.

use std::path::Path;

use crate::harness::{Project, copy_tree};

#[test]
fn the_committed_demo_snapshot_verifies_with_root_from_elsewhere() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Project::empty();
    copy_tree(&repo.join("jail"), &project.path("jail"));
    copy_tree(&repo.join("snapshots"), &project.path("snapshots"));
    let committed = project
        .bytes("snapshots/report.snap")
        .expect("snapshots/report.snap is committed");
    let root = project.root();
    let root = root.to_str().unwrap();
    project
        .kaizen(["verify", "--root", root])
        .cwd(&project.tmp())
        .ci()
        // Over a hundred Python starts (the tally demo): a busy machine needs more than the
        // usual watchdog.
        .watchdog(std::time::Duration::from_secs(300))
        .run()
        .code(0)
        .quiet()
        .stdout_is("report: 18 cases — all same\ntally: 103 cases — all same\n");
    assert_eq!(project.bytes("snapshots/report.snap").unwrap(), committed);
    assert!(!project.exists("snapshots/report.snap.new"));
}
