//! Refactoring steps and feature steps: `kaizen verify --refactor` and `--feature` (and
//! `KAIZEN_STEP`), checked against the ledger of accepted changes.

use serde_json::Value;

use crate::harness::Project;

/// The fizz project (40 cases), recorded, then changed: the 14 multiples of three now exit
/// 1, and case 8 (argument 7) prints another word. Returns the snapshot from before the
/// change too.
fn slipped() -> (Project, String) {
    let project = Project::new("fizz");
    project.kaizen(["record"]).run().code(0);
    let before = project.read("snapshots/fizz.snap");
    project.edit("jail/fizz.sh", "  exit 0", "  exit 1");
    project.edit(
        "jail/fizz.sh",
        r#"echo "plain $n""#,
        r#"[ "$n" = 7 ] && echo "seven" || echo "plain $n""#,
    );
    (project, before)
}

/// Accepts `what` (`--group 1`, `--case 8`) from a fresh pending file with a reason.
fn accept(project: &Project, what: [&str; 2], reason: &str) {
    project.kaizen(["verify"]).run().code(1);
    let mut args = vec!["accept", "fizz"];
    args.extend(what);
    args.extend(["--reason", reason]);
    project.kaizen(args).run().code(0);
}

#[test]
fn a_feature_step_fails_on_a_changed_case_the_ledger_does_not_name_and_lists_it() {
    let (project, before) = slipped();
    accept(&project, ["--group", "1"], "multiples of three now fail");
    // The step verified against the snapshot from before it, as a pull request's check
    // does: the 14 cases the ledger names may change, case 8 may not.
    project.write("snapshots/fizz.snap", &before);
    let out = project
        .kaizen(["verify", "--feature"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(1).stdout_has(
        "fizz: 40 cases — 25 same, 15 changed (feature step: 14 named by the ledger, 1 not)\n  not named by the ledger's entries of this step: case 8 — undo the change, or review it and accept it with `kaizen accept fizz --case 8 --reason \"…\"`\n",
    );

    let out = project
        .kaizen(["verify", "--feature", "--format", "json"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(1);
    let doc: Value = serde_json::from_str(out.stdout()).unwrap();
    let jail = &doc["jails"][0];
    assert_eq!(jail["step"], "feature", "{out}");
    assert_eq!(jail["changed"], 15, "{out}");
    assert_eq!(jail["unnamed"], 1, "{out}");
    assert_eq!(jail["unnamed_cases"], serde_json::json!([8]), "{out}");

    let out = project
        .kaizen(["verify", "--feature", "--format", "junit"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(1)
        .stdout_has("name=\"changed cases not named by the ledger\"")
        .stdout_has("name=\"14 changed cases named by the ledger\"/>");
}

#[test]
fn a_feature_step_passes_when_the_ledger_names_every_changed_case() {
    let (project, before) = slipped();
    accept(&project, ["--group", "1"], "multiples of three now fail");
    accept(&project, ["--case", "8"], "seven is spelt out");
    project.write("snapshots/fizz.snap", &before);
    let out = project
        .kaizen(["verify", "--feature"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(0).stdout_has(
        "fizz: 40 cases — 25 same, 15 changed (feature step: 15 named by the ledger, 0 not)",
    );
    // The same run as any step fails: every change fails it.
    project
        .kaizen(["verify"])
        .env("KAIZEN_UPDATE", "no")
        .run()
        .code(1);
    // KAIZEN_STEP says the same as the flag.
    project
        .kaizen(["verify"])
        .env("KAIZEN_UPDATE", "no")
        .env("KAIZEN_STEP", "feature")
        .run()
        .code(0);
}

#[test]
fn a_feature_step_rerecords_only_when_the_ledger_names_every_change() {
    let (project, before) = slipped();
    accept(&project, ["--group", "1"], "multiples of three now fail");
    project.write("snapshots/fizz.snap", &before);
    let pending = project.read("snapshots/fizz.snap.new");
    let out = project
        .kaizen(["verify", "--feature"])
        .env("KAIZEN_UPDATE", "always")
        .run();
    out.code(1).stdout_has("case 8");
    assert_eq!(project.read("snapshots/fizz.snap"), before);
    assert_eq!(project.read("snapshots/fizz.snap.new"), pending);

    // Once the ledger names case 8 too, the step re-records every change.
    accept(&project, ["--case", "8"], "seven is spelt out");
    project.write("snapshots/fizz.snap", &before);
    project
        .kaizen(["verify", "--feature"])
        .env("KAIZEN_UPDATE", "always")
        .run()
        .code(0);
    let rerecorded = project.read("snapshots/fizz.snap");
    assert!(rerecorded.contains("    seven\n"), "{rerecorded}");
    assert!(
        rerecorded.contains("  exit: 1\n  stdout: |\n    fizz 39\n"),
        "{rerecorded}"
    );
}

#[test]
fn a_feature_step_with_no_ledger_lets_no_case_change() {
    let (project, _) = slipped();
    let out = project
        .kaizen(["verify", "--feature"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(1)
        .stdout_has("(feature step: 0 named by the ledger, 15 not)")
        .stdout_has("cases 1, 4, 7, 8, 10,");
}

#[test]
fn kaizen_step_refactor_fails_on_any_change_and_writes_nothing() {
    let (project, before) = slipped();
    let out = project
        .kaizen(["verify"])
        .env("KAIZEN_STEP", "refactor")
        .env("KAIZEN_UPDATE", "always")
        .run();
    out.code(1)
        .stdout_has("fizz: 40 cases — 25 same, 15 changed")
        .stdout_has("refactoring step: any change fails, and nothing was written");
    assert_eq!(project.read("snapshots/fizz.snap"), before);
    assert!(!project.exists("snapshots/fizz.snap.new"));
}

#[test]
fn refactor_and_feature_together_or_an_unknown_kaizen_step_are_usage_errors() {
    let (project, _) = slipped();
    project
        .kaizen(["verify", "--refactor", "--feature"])
        .run()
        .code(2);
    project
        .kaizen(["verify"])
        .env("KAIZEN_STEP", "cleanup")
        .run()
        .code(2)
        .stderr_has("KAIZEN_STEP=\"cleanup\" is not a kind of step");
}

#[test]
fn log_steps_draws_a_chart_of_cases_and_time_per_step_only_when_asked_or_on_a_terminal() {
    let project = Project::new("fizz");
    project.kaizen(["record"]).run().code(0);
    project.write(
        "snapshots/kaizen-steps.tsv",
        "date\tcommit\tjails\tcases\tsame\tchanged\tnew\tmillis\n\
         2026-12-02T18:30:00Z\ta1\t1\t40\t40\t0\t0\t500\n\
         2026-12-02T19:00:00Z\tb2\t1\t80\t77\t3\t0\t2000\n",
    );
    // Piped: the table alone, as before.
    let plain = project.kaizen(["log", "--steps"]).run();
    plain.code(0);
    assert_eq!(plain.stdout().lines().count(), 3, "{plain}");
    assert!(!plain.stdout().contains('█'), "{plain}");

    let out = project
        .kaizen(["log", "--steps", "--color", "always"])
        .run();
    out.code(0);
    let text = out.stdout();
    assert!(text.starts_with(plain.stdout()), "{out}");
    let chart: Vec<&str> = text[plain.stdout().len()..].lines().collect();
    assert_eq!(chart.len(), 4, "{out}");
    assert_eq!(chart[0], "");
    assert!(
        chart[1].starts_with("steps") && chart[1].ends_with("verify time"),
        "{out}"
    );
    assert!(
        chart[2].starts_with("2026-12-02T18:30:00Z  a1          ██████████          "),
        "{out}"
    );
    assert!(
        chart[3].ends_with("████████████████████    2.00 s  3 changed"),
        "{out}"
    );

    let never = project.kaizen(["log", "--steps", "--color", "never"]).run();
    assert_eq!(never.stdout(), plain.stdout());
}

#[test]
fn accept_and_reject_with_case_work_on_the_pending_file_of_a_cargo_test_jail() {
    use kaizen::env::{Environment, UpdateMode};
    let project = Project::empty();
    let snapshots = project.path("snapshots");
    let local = Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Environment::default()
    };
    let cases = kaizen::Cases::new().list([1i64, 2, 3, 4]);
    kaizen::Jail::new("square", |x: i64| x * x)
        .snapshot_dir(&snapshots)
        .run_with(&cases, local.clone())
        .unwrap();
    // Cases 3 and 4 change (each its own way); the run writes the pending file.
    let v = kaizen::Jail::new("square", |x: i64| if x >= 3 { -x } else { x * x })
        .snapshot_dir(&snapshots)
        .run_with(&cases, local)
        .unwrap();
    assert_eq!(v.changed, 2);
    project
        .kaizen(["reject", "square", "--case", "4"])
        .run()
        .code(0)
        .stdout_has("square: rejected 1 case (4); 1 still pending");
    project
        .kaizen([
            "accept",
            "square",
            "--case",
            "3",
            "--reason",
            "negative now",
        ])
        .run()
        .code(0)
        .stdout_has("square: accepted 1 case (3) into snapshots/square.snap; 0 still pending");
    let snap = project.read("snapshots/square.snap");
    assert!(snap.contains("- input: 3\n  returned: -3\n"), "{snap}");
    assert!(snap.contains("- input: 4\n  returned: 16\n"), "{snap}");
    assert!(!project.exists("snapshots/square.snap.new"));
    assert!(
        project
            .read("snapshots/kaizen-ledger.yaml")
            .contains("jail: square\n")
    );
}
