//! Live oracle mode: the jailed original against a refactored copy, with shrinking, and the
//! report naming the seed and draw of a generated input.

#[path = "../jail/loyalty.rs"]
mod legacy;

use kaizen::cases::Origin;
use kaizen::env::{Environment, UpdateMode};
use kaizen::verify::Baseline;
use kaizen::{Cases, Jail, Oracle, report};
use proptest::prelude::*;

type Purchase = (u32, String, u8, u8);

fn env(ci: bool, force_pass: bool) -> Environment {
    Environment {
        mode: UpdateMode::Auto,
        ci,
        force_pass,
        ..Default::default()
    }
}

fn original((spend, tier, visits, day): Purchase) -> u32 {
    legacy::loyalty_points(spend, &tier, visits, day)
}

/// A faithful refactoring of the legacy routine.
fn refactored((spend, tier, visits, day): Purchase) -> u32 {
    if tier == "STAFF" {
        return 0;
    }
    let base = spend / 100;
    let mut points = match tier.as_str() {
        "GOLD" => base * 2,
        "SILVER" => base + base / 2,
        _ => base,
    };
    if spend >= 25_000 {
        points += 100;
    }
    points += match visits {
        21.. => 50,
        10..=20 => 20,
        _ => 0,
    };
    if day == 2 && tier == "GOLD" {
        points += 30;
    }
    if visits == 13 && tier == "SILVER" {
        points = points * 13 / 10;
    }
    points.min(5000)
}

/// The same refactoring with one slip: the big basket bonus from 250.01 instead of 250.00.
fn slipped(purchase: Purchase) -> u32 {
    let spend = purchase.0;
    let points = refactored(purchase.clone());
    if spend == 25_000 && purchase.1 != "STAFF" && points < 5000 {
        return original((24_999, purchase.1, purchase.2, purchase.3));
    }
    points
}

fn purchases() -> impl Strategy<Value = Purchase> {
    (
        0u32..60_000,
        prop_oneof![Just("GOLD"), Just("SILVER"), Just("STAFF"), Just("")].prop_map(String::from),
        0u8..40,
        0u8..7,
    )
}

#[test]
fn a_faithful_refactoring_agrees_with_the_original_on_every_input() {
    let pools = kaizen::cases::harvest::harvest_files(&["jail/loyalty.rs"]).unwrap();
    let cases = Cases::new()
        .seeded_combinations::<Purchase>(&pools)
        .proptest(purchases(), 300);
    let verdict = Oracle::new("loyalty_refactoring", original, refactored)
        .run_with(&cases, env(false, false))
        .unwrap();
    assert!(verdict.passed(), "{}", report::render(&verdict, false));
    assert_eq!(verdict.baseline, Baseline::Oracle);
    assert_eq!(verdict.same, verdict.total);
    assert!(verdict.total > 900, "{} cases", verdict.total);
    assert_eq!(
        report::summary(&verdict),
        format!(
            "loyalty_refactoring: {} cases, original vs refactored — all same",
            verdict.total
        )
    );
}

#[test]
fn a_differing_generated_input_is_shrunk_to_a_minimal_one_in_the_report() {
    let cases = Cases::new()
        .list([(1000, "GOLD".to_string(), 3, 2)])
        .proptest(
            (any::<u32>(), any::<String>(), any::<u8>(), any::<u8>()),
            200,
        );
    // A refactoring that forgot the clamp: every big spender differs.
    let unclamped = |(spend, tier, visits, day): Purchase| {
        if spend / 100 > 5000 && tier != "STAFF" {
            return spend / 100 + 1;
        }
        original((spend, tier, visits, day))
    };
    let verdict = Oracle::new("loyalty_unclamped", original, unclamped)
        .max_shown(2)
        .run_with(&cases, env(false, false))
        .unwrap();
    assert!(!verdict.passed());
    let first = &verdict.differences[0];
    assert!(matches!(
        first.origin,
        Some(Origin::Proptest { index: 0, .. })
    ));
    let shrunk = first.shrunk.as_ref().expect("a proptest input is shrunk");
    // Minimal: the smallest spend whose points pass the clamp, everything else at its simplest.
    assert_eq!(first.input, "- 500100\n- ''\n- 0\n- 0");
    assert_ne!(shrunk.original_input, first.input);
    assert!(shrunk.steps > 10, "{} steps", shrunk.steps);
    assert_eq!(first.expected, "returned: 5000");
    assert_eq!(first.actual, "returned: 5002");

    let text = report::render(&verdict, false);
    println!("{text}");
    let minimal = text.find("minimal input (shrunk in").unwrap();
    let drawn = text.find("original failing input:").unwrap();
    assert!(minimal < drawn, "the minimal input comes first");
    assert!(text.contains(&format!("shrunk in {} steps", shrunk.steps)));
    assert!(text.contains("behaviour (- original, + refactored):"));
    assert!(text.contains("live oracle: nothing is recorded"));
    assert!(!text.contains("recorded, + now"));
}

#[test]
fn shrinking_is_the_same_on_every_run_with_the_same_seed() {
    let cases = Cases::new()
        .seed(42)
        .proptest((any::<u32>(), ".*", any::<u8>(), any::<u8>()), 100);
    let run = || {
        Oracle::new("loyalty_slipped", original, |p: Purchase| {
            original(p).saturating_sub(1)
        })
        .run_with(&cases, env(false, false))
        .unwrap()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    let other_seed = Oracle::new("loyalty_slipped", original, |p: Purchase| {
        original(p).saturating_sub(1)
    })
    .run_with(&cases.seed(43), env(false, false))
    .unwrap();
    assert_ne!(
        a.differences[0].shrunk.as_ref().unwrap().original_input,
        other_seed.differences[0]
            .shrunk
            .as_ref()
            .unwrap()
            .original_input
    );
}

#[test]
fn inputs_from_lists_and_combinations_are_compared_but_not_shrunk() {
    let cases = Cases::new().list([(25_000, "SILVER".to_string(), 13, 2)]);
    let verdict = Oracle::new("loyalty_list", original, slipped)
        .run_with(&cases, env(false, false))
        .unwrap();
    assert_eq!(verdict.changed, 1);
    let d = &verdict.differences[0];
    assert_eq!(d.shrunk, None);
    assert_eq!(
        d.origin,
        Some(Origin::List {
            source: 0,
            index: 0
        })
    );
    let text = report::render(&verdict, false);
    assert!(
        text.contains("case 1 of 1 from list #0 (source 0)\n  input:\n    - 25000\n    - SILVER"),
        "{text}"
    );
}

#[test]
fn a_panic_in_one_version_only_is_a_difference_named_in_the_report() {
    let strict = |p: Purchase| {
        assert!(p.3 < 7, "weekday out of range");
        original(p)
    };
    let cases = Cases::new().list([(100, "GOLD".to_string(), 1, 9)]);
    let verdict = Oracle::new("loyalty_strict", original, strict)
        .run_with(&cases, env(false, false))
        .unwrap();
    let text = report::render(&verdict, false);
    assert!(text.contains("a panic appeared"), "{text}");
    assert!(text.contains("+ panicked: weekday out of range"), "{text}");
}

#[test]
fn the_oracle_follows_the_ci_and_force_pass_rules_and_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let cases = Cases::new().list([(25_000, String::new(), 0, 0)]);
    let oracle = Oracle::new("loyalty_ci", original, slipped).snapshot_dir(dir.path());
    let on_ci = oracle.run_with(&cases, env(true, false)).unwrap();
    assert!(!on_ci.passed());
    assert!(report::render(&on_ci, false).contains("live oracle: nothing is recorded"));
    let forced = oracle.run_with(&cases, env(false, true)).unwrap();
    assert!(forced.passed());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn the_oracle_also_replays_the_inputs_recorded_in_the_jails_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new("loyalty_recorded", original).snapshot_dir(dir.path());
    let recorded = Cases::new().list([
        (25_000, "GOLD".to_string(), 0, 0),
        (100, String::new(), 0, 0),
    ]);
    let always = Environment {
        mode: UpdateMode::Always,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    assert!(jail.run_with(&recorded, always).unwrap().passed());

    // The oracle's own cases do not reach the slip; the recorded 25000 does.
    let oracle = Oracle::new("loyalty_recorded", original, slipped).snapshot_dir(dir.path());
    let cases = Cases::new().list([(100, String::new(), 0, 0)]);
    let verdict = oracle.run_with(&cases, env(false, false)).unwrap();
    assert_eq!((verdict.total, verdict.changed), (2, 1));
    let d = &verdict.differences[0];
    assert_eq!(d.origin, Some(Origin::Recorded));
    assert!(d.line > 0);
    let text = report::render(&verdict, false);
    assert!(
        text.contains(&format!("loyalty_recorded.snap:{}", d.line)),
        "{text}"
    );

    let without = oracle
        .replay_recorded(false)
        .run_with(&cases, env(false, false))
        .unwrap();
    assert_eq!((without.total, without.changed), (1, 0));
}

#[test]
fn a_snapshot_of_another_input_type_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let always = Environment {
        mode: UpdateMode::Always,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    Jail::new("loyalty_typed", |s: String| s.len())
        .snapshot_dir(dir.path())
        .run_with(&Cases::new().list(["x".to_string()]), always)
        .unwrap();
    let error = Oracle::new("loyalty_typed", original, refactored)
        .snapshot_dir(dir.path())
        .run_with(&Cases::new(), env(false, false))
        .unwrap_err()
        .to_string();
    assert!(error.contains("loyalty_typed.snap:"), "{error}");
    assert!(
        error.contains("does not fit the oracle's input type"),
        "{error}"
    );
}

#[test]
fn snapshot_verification_of_generated_inputs_names_the_seed_and_the_draw() {
    let dir = tempfile::tempdir().unwrap();
    let cases = Cases::new().seed(7).proptest(purchases(), 200);
    let always = Environment {
        mode: UpdateMode::Always,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    Jail::new("loyalty_generated", original)
        .snapshot_dir(dir.path())
        .run_with(&cases, always)
        .unwrap();
    let verdict = Jail::new(
        "loyalty_generated",
        |p: Purchase| {
            if p.2 == 13 { 0 } else { original(p) }
        },
    )
    .snapshot_dir(dir.path())
    .run_with(&cases, env(true, false))
    .unwrap();
    assert!(!verdict.passed());
    let d = &verdict.differences[0];
    let Some(Origin::Proptest { index, seed, .. }) = d.origin else {
        panic!("{:?}", d.origin)
    };
    assert_eq!(seed, 7);
    let generated = cases.generate();
    assert_eq!(
        generated[index].input.2, 13,
        "the draw named is the differing one"
    );
    let text = report::render(&verdict, false);
    assert!(
        text.contains(&format!("from proptest #{index}, seed 7 (source 0)")),
        "{text}"
    );
}
