//! The behaviour distribution in the verify report (human and JSON) and in the snapshot
//! header: a jail whose inputs mostly stop at one guard says so where the user looks.

mod common;

use common::{local, snap};
use kaizen::env::UpdateMode::{Auto, No};
use kaizen::snapshot::BehaviourNote;
use kaizen::{Cases, Jail};

/// Five dice: a die outside 1..=6 panics at the table lookup before any scoring rule.
fn dice(dir: &std::path::Path) -> Jail<(i32, i32), i32> {
    Jail::new("dice", |(a, b): (i32, i32)| {
        let faces = [0, 1, 2, 3, 4, 5, 6];
        if a < 1 || b < 1 {
            panic!("die below one");
        }
        faces[a as usize] + faces[b as usize]
    })
    .snapshot_dir(dir)
}

fn lopsided() -> Cases<(i32, i32)> {
    let pool = [-3, -2, -1, 0, 1, 2, 7];
    Cases::new().combinations((pool.to_vec(), pool.to_vec()))
}

#[test]
fn a_recording_that_mostly_panics_says_so_in_the_snapshot_header() {
    let dir = tempfile::tempdir().unwrap();
    let v = dice(dir.path()).run_with(&lopsided(), local(Auto)).unwrap();
    assert!(v.passed());
    let loaded = kaizen::snapshot::load(&snap(dir.path(), "dice"))
        .unwrap()
        .unwrap();
    let note = loaded
        .info
        .behaviours
        .expect("a dominated recording has a note");
    assert_eq!(note.largest, "panicked: die below one");
    assert_eq!(note.largest_cases, 40);
    assert_eq!(note.classes, 3);
    assert_eq!(
        note.examples,
        vec!["[-3,-3]".to_string(), "[-3,-2]".to_string()]
    );
    let text = std::fs::read_to_string(snap(dir.path(), "dice")).unwrap();
    // As the README shows it.
    let block = "  behaviours:\n    classes: 3\n    largest: 'panicked: die below one'\n    \
                 largest_cases: 40\n    examples:\n    - '[-3,-3]'\n    - '[-3,-2]'\n---\n";
    assert!(text.contains(block), "{text}");
}

#[test]
fn the_verify_report_warns_of_a_dominant_panic_in_words_and_in_json() {
    let dir = tempfile::tempdir().unwrap();
    dice(dir.path()).run_with(&lopsided(), local(Auto)).unwrap();
    let v = dice(dir.path()).run_with(&lopsided(), local(No)).unwrap();
    assert_eq!(v.behaviours.cases, 49);
    let report = kaizen::report::render(&v, false);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "dice: 49 cases — all same");
    assert!(
        lines[1].starts_with(
            "  warning: 40 of 49 cases end in the same panic: panicked: die below one"
        ),
        "{report}"
    );
    let results = [kaizen::report::JailResult {
        name: "dice".into(),
        spec: String::new(),
        result: Ok(v),
    }];
    let json: serde_json::Value = serde_json::from_str(&kaizen::report::render_all(
        kaizen::report::Format::Json,
        dir.path(),
        &results,
        "",
    ))
    .unwrap();
    let b = &json["jails"][0]["behaviours"];
    assert_eq!(b["classes"], 3, "{json}");
    assert_eq!(b["largest"], "panicked: die below one", "{json}");
    assert_eq!(b["largest_cases"], 40, "{json}");
    assert!(
        b["warning"].as_str().unwrap().contains("one guard"),
        "{json}"
    );
}

#[test]
fn a_balanced_jail_has_no_note_and_no_warning() {
    let dir = tempfile::tempdir().unwrap();
    let good = Cases::new().combinations((vec![1, 2, 3, 4], vec![1, 5, 6]));
    dice(dir.path()).run_with(&good, local(Auto)).unwrap();
    let loaded = kaizen::snapshot::load(&snap(dir.path(), "dice"))
        .unwrap()
        .unwrap();
    assert_eq!(loaded.info.behaviours, None);
    let v = dice(dir.path()).run_with(&good, local(No)).unwrap();
    assert_eq!(kaizen::report::render(&v, false).lines().count(), 1);
}

#[test]
fn a_snapshot_written_before_the_note_existed_still_reads_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    dice(dir.path()).run_with(&lopsided(), local(Auto)).unwrap();
    let path = snap(dir.path(), "dice");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("  behaviours:\n").unwrap();
    let end = text[start..].find("---\n").unwrap() + start;
    let old = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(&path, &old).unwrap();
    let loaded = kaizen::snapshot::load(&path).unwrap().unwrap();
    assert_eq!(loaded.info.behaviours, None::<BehaviourNote>);
    let v = dice(dir.path()).run_with(&lopsided(), local(No)).unwrap();
    assert!(v.passed());
    assert_eq!((v.total, v.same), (49, 49));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), old);
}
