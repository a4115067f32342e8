//! Bad input gets a clear error that names the file (and line) and what to do — never a
//! panic trace — and the snapshot on disk is never overwritten in the process.

mod common;

use common::{bytes, jail_made_elsewhere, local, snap};
use kaizen::env::UpdateMode::{Always, Auto};
use kaizen::{Cases, Error, Jail};

fn recorded(dir: &std::path::Path) -> std::path::PathBuf {
    let jail = Jail::new("pricing", |(qty, code): (u32, String)| {
        qty * code.len() as u32
    })
    .snapshot_dir(dir);
    jail.run_with(
        &Cases::new().list([(1, "A".to_string()), (2, "BB".into())]),
        local(Auto),
    )
    .unwrap();
    snap(dir, "pricing")
}

fn run_pricing(
    dir: &std::path::Path,
    mode: kaizen::env::UpdateMode,
) -> Result<kaizen::Verdict, Error> {
    Jail::new("pricing", |(qty, code): (u32, String)| {
        qty * code.len() as u32
    })
    .snapshot_dir(dir)
    .run_with(
        &Cases::new().list([(1, "A".to_string()), (2, "BB".into())]),
        local(mode),
    )
}

#[test]
fn a_snapshot_recorded_for_another_input_type_names_both_types_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = recorded(dir.path());
    let before = bytes(&path);
    let other = Jail::new("pricing", |x: Vec<bool>| x.len()).snapshot_dir(dir.path());
    let err = other
        .run_with(&Cases::new().list([vec![true]]), local(Always))
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("pricing.snap:"), "{msg}");
    assert!(msg.contains("alloc::vec::Vec<bool>"), "{msg}");
    assert!(msg.contains("(u32, alloc::string::String)"), "{msg}");
    assert!(msg.contains("the file was left untouched"), "{msg}");
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_hand_edited_value_of_the_wrong_type_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = recorded(dir.path());
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("  - 2\n", "  - two\n");
    std::fs::write(&path, &text).unwrap();
    let err = run_pricing(dir.path(), Always).unwrap_err();
    let line = text.lines().position(|l| l == "  - two").unwrap() + 1;
    let msg = err.to_string();
    assert!(msg.contains(&format!("pricing.snap:{line}:")), "{msg}");
    assert_eq!(bytes(&path).unwrap(), text.into_bytes());
}

#[test]
fn a_merge_conflicted_snapshot_is_reported_and_left_untouched_even_when_re_recording() {
    let dir = tempfile::tempdir().unwrap();
    let path = recorded(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    let conflicted = text
        .replacen("- input:", "<<<<<<< HEAD\n- input:", 1)
        .replace(
            "  returned: 4\n",
            "  returned: 4\n=======\n>>>>>>> feature\n",
        );
    std::fs::write(&path, &conflicted).unwrap();
    let err = run_pricing(dir.path(), Always).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("merge conflict"), "{msg}");
    assert!(msg.contains("git checkout --ours"), "{msg}");
    assert_eq!(err.exit_code(), kaizen::ExitCode::Usage);
    assert_eq!(bytes(&path).unwrap(), conflicted.into_bytes());
}

#[test]
fn a_truncated_snapshot_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = recorded(dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = &text[..text.rfind("- input:").unwrap()];
    std::fs::write(&path, cut).unwrap();
    let msg = run_pricing(dir.path(), Always).unwrap_err().to_string();
    assert!(msg.contains("truncated or edited by hand"), "{msg}");
    assert_eq!(bytes(&path).unwrap(), cut.as_bytes());
}

#[test]
fn two_jails_with_one_name_in_two_files_are_refused_with_both_places() {
    let dir = tempfile::tempdir().unwrap();
    jail_made_elsewhere("shared_name", dir.path())
        .run_with(&Cases::new().list([1]), local(Auto))
        .unwrap();
    let here = Jail::new("shared_name", |x: u8| x + 1).snapshot_dir(dir.path());
    let msg = here
        .run_with(&Cases::new().list([1]), local(Auto))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("tests/common/mod.rs"), "{msg}");
    assert!(msg.contains("tests/core_bad_input.rs"), "{msg}");
    assert!(msg.contains("give each jail its own name"), "{msg}");
}

#[test]
fn a_snapshot_recorded_from_the_same_test_file_named_from_another_crate_folder_is_the_same_jail() {
    // A crate below this one whose test target is this very file (`path = "../../tests/…"`)
    // names it with `../`: the same file reached another way, not a second jail.
    let dir = tempfile::tempdir().unwrap();
    let path = recorded(dir.path());
    let here = std::env::current_dir().unwrap();
    let folder = here.file_name().unwrap().to_string_lossy();
    let text = std::fs::read_to_string(&path).unwrap();
    let other_way = format!("source: ../{folder}/tests/core_bad_input.rs");
    let edited = text.replace("source: tests/core_bad_input.rs", &other_way);
    assert_ne!(edited, text);
    std::fs::write(&path, edited).unwrap();
    let verdict = Jail::new("pricing", |(qty, code): (u32, String)| {
        qty * code.len() as u32
    })
    .snapshot_dir(dir.path())
    .run_with(
        &Cases::new().list([(1, "A".to_string()), (2, "BB".into()), (3, "C".into())]),
        local(Always),
    )
    .unwrap();
    assert!(verdict.passed());
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("  cases: 3\n"), "{written}");
}

#[test]
fn a_jail_name_that_would_leave_the_snapshot_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["../escape", "/etc/passwd", "a/b", "..", ".hidden", ""] {
        let err = Jail::new(name, |x: u8| x)
            .snapshot_dir(dir.path())
            .run_with(&Cases::new().list([1]), local(Auto));
        let msg = err.unwrap_err().to_string();
        assert!(msg.contains("cannot be a jail name"), "{name}: {msg}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
