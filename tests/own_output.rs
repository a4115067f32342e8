//! kaizen's own output, pinned: the human, JSON and JUnit reports of one verdict and
//! representative error messages are insta snapshots (`tests/snapshots/own_output__*.snap`),
//! so any change of format is reviewed as a diff.

mod common;

use std::path::Path;

use common::{ci, local};
use kaizen::env::UpdateMode;
use kaizen::report::{self, Format, JailResult};
use kaizen::{Cases, Error, Jail, Verdict};

fn legacy(x: u32) -> String {
    format!("total: {x}\ncurrency: EUR\n")
}

fn refactored(x: u32) -> String {
    if x == 7 {
        panic!("refactoring slipped at {x}");
    }
    if x.is_multiple_of(5) {
        return format!("total: {}\ncurrency: EUR\n", x + 1);
    }
    legacy(x)
}

/// A verdict with changed cases (one of them a panic), a new input and a dropped one,
/// found by a local run that wrote a pending file.
fn changed_verdict(dir: &Path) -> Verdict {
    let recorded = Cases::new().list(0u32..12);
    Jail::new("totals", legacy)
        .snapshot_dir(dir)
        .run_with(&recorded, local(UpdateMode::Auto))
        .unwrap();
    let now = Cases::new().list((1u32..12).chain([40]));
    Jail::new("totals", refactored)
        .snapshot_dir(dir)
        .run_with(&now, local(UpdateMode::Auto))
        .unwrap()
}

/// `text` with the temporary folder's path taken out.
fn scrubbed(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[dir]")
}

fn results(dir: &Path) -> Vec<JailResult> {
    let missing = Jail::new("missing", legacy)
        .snapshot_dir(dir)
        .run_with(&Cases::new().list([1u32]), ci(UpdateMode::Auto));
    vec![
        JailResult {
            name: "totals".into(),
            spec: "tests/own_output.rs".into(),
            result: Ok(changed_verdict(dir)),
        },
        JailResult {
            name: "missing".into(),
            spec: "tests/own_output.rs".into(),
            result: missing,
        },
    ]
}

#[test]
fn the_human_report_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let verdict = changed_verdict(dir.path());
    insta::assert_snapshot!(
        "human_report",
        scrubbed(&report::render(&verdict, false), dir.path())
    );
}

#[test]
fn the_json_report_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let text = report::render_all(Format::Json, dir.path(), &results(dir.path()), "");
    insta::assert_snapshot!("json_report", scrubbed(&text, dir.path()));
}

#[test]
fn the_junit_report_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let text = report::render_all(Format::Junit, dir.path(), &results(dir.path()), "");
    insta::assert_snapshot!("junit_report", scrubbed(&text, dir.path()));
}

/// The messages of errors a user meets, one per line group.
fn error_messages(dir: &Path) -> String {
    let cases = Cases::new().list([1u32, 2]);
    let jail = || Jail::new("broken", legacy).snapshot_dir(dir);
    jail().run_with(&cases, local(UpdateMode::Auto)).unwrap();
    let snap = dir.join("broken.snap");
    let text = std::fs::read_to_string(&snap).unwrap();
    std::fs::write(
        &snap,
        text.replace("- input: 2\n", "<<<<<<< HEAD\n- input: 2\n"),
    )
    .unwrap();
    let errors: Vec<Error> = vec![
        jail().run_with(&cases, local(UpdateMode::No)).unwrap_err(),
        Jail::new("never_recorded", legacy)
            .snapshot_dir(dir)
            .run_with(&cases, ci(UpdateMode::Auto))
            .unwrap_err(),
        Jail::new("../escape", legacy)
            .snapshot_dir(dir)
            .run_with(&cases, local(UpdateMode::Auto))
            .unwrap_err(),
        kaizen::env::Environment::from_lookup(|n| {
            (n == "KAIZEN_UPDATE").then(|| "sometimes".into())
        })
        .unwrap_err(),
        kaizen::env::max_shown(|_| Some("many".into())).unwrap_err(),
        Jail::new("nan", |x: f64| x)
            .snapshot_dir(dir)
            .run_with(&Cases::new().list([-f64::NAN]), local(UpdateMode::Auto))
            .unwrap_err(),
    ];
    errors
        .iter()
        .map(|e| format!("[exit {}] {e}\n", e.exit_code().code()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn representative_error_messages_are_pinned() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(
        "error_messages",
        scrubbed(&error_messages(dir.path()), dir.path())
    );
}
