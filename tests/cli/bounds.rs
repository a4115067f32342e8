//! Reports stay readable at any size: each case's diff and input are cut with a count of
//! what was left out, in every format; `--max-shown N` and `--all` choose how many changed
//! cases are shown in full.

use serde_json::Value;

use crate::harness::Project;
use crate::xml;

/// A project whose one case prints 100,000 lines, all changed after the edit.
fn flood() -> Project {
    let project = Project::empty();
    project.write(
        "jail/flood.yaml",
        "command: [sh, \"{jail}/flood.sh\"]\ncases:\n  - args: [go]\n",
    );
    project.write("jail/flood.sh", "seq 1 100000 | sed 's/^/v1 /'\n");
    project.kaizen(["record"]).run().code(0);
    project.edit("jail/flood.sh", "v1", "v2");
    project
}

/// A project with twelve cases, all changed after the edit.
fn twelve() -> Project {
    let project = Project::empty();
    let cases: String = (1..=12).map(|i| format!("  - args: [\"{i}\"]\n")).collect();
    project.write(
        "jail/twelve.yaml",
        format!("command: [sh, \"{{jail}}/twelve.sh\"]\ncases:\n{cases}"),
    );
    project.write("jail/twelve.sh", "echo \"v1 $1\"\n");
    project.kaizen(["record"]).run().code(0);
    project.edit("jail/twelve.sh", "v1", "v2");
    project
}

#[test]
fn the_human_report_of_a_case_with_100000_changed_lines_stays_short() {
    let project = flood();
    let out = project.kaizen(["verify"]).run();
    out.code(1);
    let lines = out.stdout().lines().count();
    assert!(lines < 300, "{lines} lines");
    out.stdout_has("  … 199,802 more diff lines not shown\n");
}

#[test]
fn the_json_report_of_a_case_with_100000_changed_lines_stays_short_and_counts_the_rest() {
    let project = flood();
    let out = project.kaizen(["verify", "--format", "json"]).run();
    out.code(1);
    assert!(out.stdout().len() < 100_000, "{} bytes", out.stdout().len());
    let doc: Value = serde_json::from_str(out.stdout()).unwrap();
    let d = &doc["jails"][0]["differences"][0];
    assert_eq!(d["left_out"]["expected"], 99_802);
    assert_eq!(d["left_out"]["actual"], 99_802);
    assert_eq!(d["left_out"]["input"], 0);
    assert!(
        d["actual"]
            .as_str()
            .unwrap()
            .ends_with("\n… 99,802 more lines not shown")
    );
}

#[test]
fn the_junit_report_of_a_case_with_100000_changed_lines_stays_short() {
    let project = flood();
    let out = project.kaizen(["verify", "--format", "junit"]).run();
    out.code(1);
    assert!(out.stdout().len() < 100_000, "{} bytes", out.stdout().len());
    let root = xml::parse(out.stdout()).unwrap();
    let suite = root.all("testsuite").next().unwrap();
    let case = suite.all("testcase").next().unwrap();
    let failure = case.all("failure").next().unwrap();
    assert!(
        failure.text.ends_with("more diff lines not shown\n"),
        "{}",
        failure.text
    );
}

#[test]
fn all_shows_every_changed_case_and_max_shown_chooses_how_many() {
    let project = twelve();
    let all = project.kaizen(["verify", "--all"]).run();
    all.code(1);
    assert_eq!(all.stdout().matches("\ncase ").count(), 12, "{all}");
    assert!(
        !all.stdout().contains("more changed cases not shown"),
        "{all}"
    );

    let two = project.kaizen(["verify", "--max-shown", "2"]).run();
    two.code(1)
        .stdout_has("…and 10 more changed cases not shown");
    assert_eq!(two.stdout().matches("\ncase ").count(), 2, "{two}");

    let json = project
        .kaizen(["verify", "--all", "--format", "json"])
        .run();
    let doc: Value = serde_json::from_str(json.stdout()).unwrap();
    assert_eq!(doc["jails"][0]["differences"].as_array().unwrap().len(), 12);
}

#[test]
fn the_junit_hint_for_changed_cases_not_shown_names_the_command_that_shows_them() {
    let project = twelve();
    let out = project.kaizen(["verify", "--format", "junit"]).run();
    out.code(1);
    let root = xml::parse(out.stdout()).unwrap();
    let suite = root.all("testsuite").next().unwrap();
    let rest = suite
        .all("testcase")
        .find(|c| c.attr("name") == Some("2 more changed cases"))
        .unwrap_or_else(|| panic!("{out}"));
    let failure = rest.all("failure").next().unwrap();
    assert_eq!(
        failure.text,
        "run `kaizen verify twelve --all` to see every changed case"
    );
    // …and that command does show them all.
    let all = project.kaizen(["verify", "twelve", "--all"]).run();
    assert_eq!(all.stdout().matches("\ncase ").count(), 12, "{all}");
}
