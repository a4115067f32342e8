//! Review at scale: changed cases grouped by the way they changed, `kaizen show`, shards and
//! `kaizen merge`.

use serde_json::Value;

use crate::harness::Project;

/// The fizz project (40 cases), recorded, then changed: the 14 multiples of three now exit
/// 1 (one slip, 14 symptoms), and case 8 (argument 7) prints another word.
fn slipped() -> Project {
    let project = Project::new("fizz");
    project.kaizen(["record"]).run().code(0);
    project.edit("jail/fizz.sh", "  exit 0", "  exit 1");
    project.edit(
        "jail/fizz.sh",
        r#"echo "plain $n""#,
        r#"[ "$n" = 7 ] && echo "seven" || echo "plain $n""#,
    );
    project
}

#[test]
fn the_report_leads_with_the_cases_that_changed_the_same_way() {
    let project = slipped();
    let out = project.kaizen(["verify"]).env("KAIZEN_UPDATE", "no").run();
    out.code(1);
    let text = out.stdout();
    assert!(
        text.starts_with(
            "fizz: 40 cases — 25 same, 15 changed\n\n\
             group 1: 14 cases changed the same way: `- exit: 0` / `+ exit: 1` (e.g. case 1, 4, 7, …)\n\
             1 other case changed in a way of its own\n"
        ),
        "{out}"
    );
    assert!(text.contains("case 1 of 40 from jail/fizz.yaml"), "{out}");
    assert!(text.contains("(group 1)"), "{out}");
}

#[test]
fn json_and_junit_reports_carry_the_groups() {
    let project = slipped();
    let out = project
        .kaizen(["verify", "--format", "json"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(1);
    let doc: Value = serde_json::from_str(out.stdout()).unwrap();
    assert_eq!(doc["version"], 1);
    let jail = &doc["jails"][0];
    let groups = jail["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["group"], 1);
    assert_eq!(groups[0]["cases"], 14);
    assert_eq!(groups[0]["removed"], serde_json::json!(["exit: 0"]));
    assert_eq!(groups[0]["added"], serde_json::json!(["exit: 1"]));
    assert_eq!(groups[0]["examples"][0], 1);
    assert_eq!(groups[1]["cases"], 1);
    assert_eq!(groups[1]["examples"], serde_json::json!([8]));
    assert_eq!(jail["differences"][0]["group"], 1);

    let out = project
        .kaizen(["verify", "--format", "junit"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(1);
    out.stdout_has("name=\"group 1: 14 cases changed the same way\"");
    out.stdout_has("message=\"`- exit: 0` / `+ exit: 1`\"");
}

#[test]
fn show_prints_one_case_in_full_with_its_recorded_and_current_behaviour() {
    let project = slipped();
    let out = project.kaizen(["show", "fizz", "8", "2"]).run();
    out.code(1);
    let text = out.stdout();
    assert!(
        text.starts_with("fizz: case 8 of 40 — snapshots/fizz.snap:"),
        "{out}"
    );
    assert!(
        text.contains("recorded:\n  exit: 0\n  stdout: |\n    plain 7\nnow:\n  exit: 0\n  stdout: |\n    seven\n"),
        "{out}"
    );
    assert!(text.contains("fizz: case 2 of 40"), "{out}");
    assert!(text.contains("— same\n"), "{out}");
    assert!(!project.exists("snapshots/fizz.snap.new"));

    let out = project.kaizen(["show", "fizz", "41"]).run();
    out.code(2)
        .stderr_has("jail `fizz` has no case 41: its snapshot holds cases 1 to 40");
}

/// The JSON report without the `shard` field of each jail.
/// A report without what differs by design between a shard's, a merged and a whole run's
/// report: the shard named, and the behaviour classes (a merged report has none; they are
/// read from the snapshots with `kaizen behaviours`).
fn without_shard(mut doc: Value) -> Value {
    for jail in doc["jails"].as_array_mut().unwrap() {
        let jail = jail.as_object_mut().unwrap();
        jail.remove("shard");
        jail.remove("behaviours");
    }
    doc
}

#[test]
fn four_shards_merged_give_the_report_of_an_unsharded_run() {
    let project = slipped();
    let whole = project
        .kaizen(["verify", "--format", "json"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    whole.code(1);
    let mut sizes = Vec::new();
    for k in 1..=4 {
        let out = project
            .kaizen(["verify", "--shard", &format!("{k}/4"), "--format", "json"])
            .run();
        let doc: Value = serde_json::from_str(out.stdout()).unwrap();
        assert_eq!(doc["jails"][0]["shard"], format!("{k}/4"));
        sizes.push(doc["jails"][0]["cases"].as_u64().unwrap());
        project.write(&format!("shard-{k}.json"), out.stdout());
    }
    // Shards never write, not even a pending file in the default mode.
    assert!(!project.exists("snapshots/fizz.snap.new"));
    assert_eq!(sizes.iter().sum::<u64>(), 40);
    assert!(sizes.iter().all(|&s| s > 0 && s < 40), "{sizes:?}");

    let shards = [
        "shard-1.json",
        "shard-2.json",
        "shard-3.json",
        "shard-4.json",
    ];
    let merged = project
        .kaizen(["merge", "--format", "json"].into_iter().chain(shards))
        .env("KAIZEN_UPDATE", "no")
        .run();
    merged.code(1);
    let merged: Value = serde_json::from_str(merged.stdout()).unwrap();
    let whole: Value = serde_json::from_str(whole.stdout()).unwrap();
    assert_eq!(without_shard(merged), without_shard(whole));

    let human = |args: Vec<&str>| {
        let out = project.kaizen(args).env("KAIZEN_UPDATE", "no").run();
        out.code(1);
        out.stdout().to_string()
    };
    let merged_human = human(["merge"].into_iter().chain(shards).collect());
    assert_eq!(merged_human, human(vec!["verify"]));
}

#[test]
fn merge_refuses_an_incomplete_set_of_shards() {
    let project = slipped();
    for k in [1, 2, 4] {
        let out = project
            .kaizen(["verify", "--shard", &format!("{k}/4"), "--format", "json"])
            .run();
        project.write(&format!("shard-{k}.json"), out.stdout());
    }
    let out = project
        .kaizen(["merge", "shard-1.json", "shard-2.json", "shard-4.json"])
        .run();
    out.code(2).stderr_has("jail `fizz`: shard 3/4 missing");
    let out = project
        .kaizen(["merge", "shard-1.json", "shard-1.json"])
        .run();
    out.code(2).stderr_has("shard 1/4 given twice");
}

#[test]
fn a_bad_shard_is_a_usage_error_that_says_how_to_write_one() {
    let project = Project::new("fizz");
    let out = project.kaizen(["verify", "--shard", "5/4"]).run();
    out.code(2)
        .stderr_has("`5/4` is not a shard: K must be between 1 and N; write K/N");
}

#[test]
fn accepting_a_group_with_a_reason_leaves_the_other_changes_pending_and_writes_the_ledger() {
    let project = slipped();
    project.kaizen(["verify"]).run().code(1);
    assert!(project.exists("snapshots/fizz.snap.new"));
    let recorded = project.read("snapshots/fizz.snap");

    let out = project.kaizen(["accept", "fizz", "--group", "1"]).run();
    out.code(2)
        .stderr_has("accepting changed cases needs a reason");
    assert_eq!(project.read("snapshots/fizz.snap"), recorded);

    let out = project
        .kaizen([
            "accept",
            "fizz",
            "--group",
            "1",
            "--reason",
            "multiples of three now fail",
        ])
        .run();
    out.code(0)
        .stdout_has("fizz: accepted 14 cases (1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40) into snapshots/fizz.snap; 1 still pending");
    // Only case 8 (argument 7) still differs from the snapshot.
    let out = project.kaizen(["verify"]).env("KAIZEN_UPDATE", "no").run();
    out.code(1)
        .stdout_has("fizz: 40 cases — 39 same, 1 changed");
    out.stdout_has("case 8 of 40");

    let ledger = project.read("snapshots/kaizen-ledger.yaml");
    assert!(ledger.starts_with("- date: "), "{ledger}");
    assert!(ledger.contains("jail: fizz\n"), "{ledger}");
    assert!(
        ledger.contains("reason: multiples of three now fail\n"),
        "{ledger}"
    );
    assert!(ledger.contains("- '`- exit: 0` / `+ exit: 1`'"), "{ledger}");

    let out = project
        .kaizen([
            "accept",
            "fizz",
            "--case",
            "8",
            "--reason",
            "seven is spelt out",
        ])
        .run();
    out.code(0)
        .stdout_has("fizz: accepted 1 case (8) into snapshots/fizz.snap; 0 still pending");
    assert!(!project.exists("snapshots/fizz.snap.new"));
    project.kaizen(["verify"]).run().code(0);

    let out = project.kaizen(["log"]).run();
    out.code(0);
    let text = out.stdout();
    assert!(text.contains("fizz  14 cases (1, 4, 7"), "{out}");
    assert!(
        text.contains("  reason: multiples of three now fail\n"),
        "{out}"
    );
    assert!(text.contains("fizz  1 case (8)"), "{out}");
    assert!(text.contains("  reason: seven is spelt out\n"), "{out}");
}

#[test]
fn accepting_a_case_that_did_not_change_is_refused_and_nothing_is_written() {
    let project = slipped();
    project.kaizen(["verify"]).run().code(1);
    let recorded = project.read("snapshots/fizz.snap");
    let out = project
        .kaizen(["accept", "fizz", "--case", "2", "--reason", "x"])
        .run();
    out.code(2)
        .stderr_has("case 2 has no pending change (changed cases: 1, 4, 7, 8,");
    let out = project
        .kaizen(["accept", "fizz", "--group", "9", "--reason", "x"])
        .run();
    out.code(2)
        .stderr_has("there is no group 9: the pending changes form 2 groups");
    assert_eq!(project.read("snapshots/fizz.snap"), recorded);
    assert!(!project.exists("snapshots/kaizen-ledger.yaml"));
}

#[test]
fn a_refactor_run_fails_on_any_change_even_when_the_mode_would_rerecord() {
    let project = slipped();
    let recorded = project.read("snapshots/fizz.snap");
    let out = project
        .kaizen(["verify", "--refactor"])
        .env("KAIZEN_UPDATE", "always")
        .run();
    out.code(1)
        .stdout_has("fizz: 40 cases — 25 same, 15 changed");
    assert_eq!(project.read("snapshots/fizz.snap"), recorded);
    assert!(!project.exists("snapshots/fizz.snap.new"));
    // Without --refactor the same mode re-records and passes.
    project
        .kaizen(["verify"])
        .env("KAIZEN_UPDATE", "always")
        .run()
        .code(0);
}

#[test]
fn verify_with_ledger_appends_one_step_per_run_and_log_steps_shows_them() {
    let project = Project::new("fizz");
    project.kaizen(["record"]).run().code(0);
    project.kaizen(["verify", "--ledger"]).run().code(0);
    project.edit("jail/fizz.sh", "  exit 0", "  exit 1");
    project
        .kaizen(["verify", "--ledger"])
        .env("KAIZEN_UPDATE", "no")
        .run()
        .code(1);
    let steps = project.read("snapshots/kaizen-steps.tsv");
    let lines: Vec<&str> = steps.lines().collect();
    assert_eq!(lines.len(), 3, "{steps}");
    assert_eq!(
        lines[0],
        "date\tcommit\tjails\tcases\tsame\tchanged\tnew\tmillis"
    );
    let fields: Vec<&str> = lines[2].split('\t').collect();
    assert_eq!(&fields[1..7], ["-", "1", "40", "26", "14", "0"]);

    let out = project.kaizen(["log", "--steps"]).run();
    out.code(0);
    let table: Vec<&str> = out.stdout().lines().collect();
    assert_eq!(table.len(), 3, "{out}");
    assert!(table[0].starts_with("date"), "{out}");
    assert!(
        table[2].contains("  40 ") && table[2].contains("  26 "),
        "{out}"
    );
}

#[test]
fn reject_with_case_drops_only_those_changes_from_the_pending_file() {
    let project = slipped();
    let recorded = project.read("snapshots/fizz.snap");
    project.kaizen(["verify"]).run().code(1);
    let out = project.kaizen(["reject", "fizz", "--case", "8"]).run();
    out.code(0)
        .stdout_has("fizz: rejected 1 case (8); 14 still pending in snapshots/fizz.snap.new");
    assert_eq!(project.read("snapshots/fizz.snap"), recorded);
    assert!(!project.read("snapshots/fizz.snap.new").contains("seven"));
    // What is still pending is group 1 alone: accepting it leaves nothing pending.
    let out = project
        .kaizen([
            "accept",
            "fizz",
            "--group",
            "1",
            "--reason",
            "multiples of three fail",
        ])
        .run();
    out.code(0).stdout_has("; 0 still pending");
    assert!(!project.exists("snapshots/fizz.snap.new"));

    // Rejecting the last pending changes removes the file.
    project.kaizen(["verify"]).run().code(1);
    let out = project.kaizen(["reject", "fizz", "--group", "1"]).run();
    out.code(0)
        .stdout_has("fizz: rejected 1 case (8); 0 still pending");
    assert!(!project.exists("snapshots/fizz.snap.new"));
    // A case with no pending change is refused, as accept refuses it.
    project.kaizen(["verify"]).run().code(1);
    project
        .kaizen(["reject", "fizz", "--case", "2"])
        .run()
        .code(2)
        .stderr_has("case 2 has no pending change");
}
