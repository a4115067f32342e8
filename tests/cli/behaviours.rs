//! `kaizen behaviours`: the behaviour distribution of recorded snapshots.

use crate::harness::Project;

/// A dice-scoring routine with an implicit valid range: a die outside 1–6 panics at the
/// lookup before any scoring rule runs (the pool below holds only two valid dice, 0 and 1).
fn dice_score(dice: [i32; 3]) -> i32 {
    let faces = [0, 100, 20, 30, 40, 50, 60];
    dice.iter().map(|&d| faces[d as usize]).sum()
}

#[test]
fn a_panic_holding_most_recorded_cases_is_named_with_two_example_inputs() {
    let project = Project::empty();
    let pool = vec![-1, 0, 1, 7, 14, 50];
    let jail = kaizen::Jail::new("dice", |(a, b, c): (i32, i32, i32)| dice_score([a, b, c]))
        .snapshot_dir(project.path("snapshots"));
    let cases = kaizen::Cases::new().combinations((pool.clone(), pool.clone(), pool));
    let verdict = jail
        .run_with(&cases, kaizen::env::Environment::default())
        .unwrap();
    assert!(verdict.passed());
    let out = project.kaizen(["behaviours", "dice"]).run();
    out.code(0);
    let text = out.stdout();
    assert!(
        text.starts_with("dice: 3 behaviour classes; the largest, panicked: index out of bounds"),
        "{text}"
    );
    assert!(
        text.contains("  warning: 208 of 216 cases end in the same panic"),
        "{text}"
    );
    assert!(text.contains("(e.g. [-1,-1,-1]; [-1,-1,0])"), "{text}");
    assert!(
        text.contains("your inputs mostly stop at one guard"),
        "{text}"
    );
}

#[test]
fn a_jail_without_a_snapshot_is_named() {
    let project = Project::empty();
    std::fs::create_dir_all(project.path("snapshots")).unwrap();
    let out = project.kaizen(["behaviours", "nothing"]).run();
    out.code(2);
    assert!(out.stderr().contains("nothing.snap"), "{}", out.stderr());
}
