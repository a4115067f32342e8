//! Machine-readable reports (`--format json`, `--format junit`) and their determinism.

use serde_json::Value;

use crate::harness::{Project, case_line};
use crate::xml;

/// A recorded greet project whose `greet` jail changed for one case, and a bad third jail.
fn changed_and_broken() -> Project {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0);
    project.edit(
        "jail/greet.sh",
        r#"echo "hello, $1""#,
        r#"[ "$1" = kaizen ] && echo "hello, <Kaizen> & co" || echo "hello, $1""#,
    );
    project
}

#[test]
fn json_report_gives_each_jail_its_status_counts_and_differences() {
    let project = changed_and_broken();
    let out = project.kaizen(["verify", "--format", "json"]).run();
    out.code(1).quiet();
    let doc: Value = serde_json::from_str(out.stdout()).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(doc["exit_code"], 1);
    let jails = doc["jails"].as_array().unwrap();
    assert_eq!(jails.len(), 2);

    let count = &jails[0];
    assert_eq!(count["jail"], "count");
    assert_eq!(count["spec"], "jail/count.yaml");
    assert_eq!(count["status"], "unchanged");
    assert_eq!(count["exit_code"], 0);
    assert_eq!(
        (count["cases"].as_u64(), count["same"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(count["changed"], 0);
    assert_eq!(count["differences"], serde_json::json!([]));
    assert_eq!(count["written"], Value::Null);

    let greet = &jails[1];
    assert_eq!(greet["jail"], "greet");
    assert_eq!(greet["status"], "changed");
    assert_eq!(greet["exit_code"], 1);
    assert_eq!(greet["snapshot"], "snapshots/greet.snap");
    assert_eq!(
        (greet["cases"].as_u64(), greet["same"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(greet["changed"], 1);
    assert_eq!(greet["new"], 0);
    assert_eq!(greet["written"], "snapshots/greet.snap.new");
    let differences = greet["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 1);
    let d = &differences[0];
    assert_eq!(d["case"], 2);
    let line = case_line(&project.read("snapshots/greet.snap"), 2);
    assert_eq!(d["line"].as_u64(), Some(line as u64));
    assert_eq!(d["origin"], "jail/greet.yaml:7");
    assert_eq!(d["input"], "args:\n- kaizen\nstdin: |\n  a line of input");
    assert_eq!(
        d["expected"],
        "exit: 0\nstdout: |\n  hello, kaizen\n  lines: 1\nstderr: |\n  done"
    );
    assert_eq!(
        d["actual"],
        "exit: 0\nstdout: |\n  hello, <Kaizen> & co\n  lines: 1\nstderr: |\n  done"
    );
    assert_eq!(
        (d["expected_kind"].as_str(), d["actual_kind"].as_str()),
        (Some("exit 0"), Some("exit 0"))
    );
    assert!(project.exists("snapshots/greet.snap.new"));
}

#[test]
fn json_report_marks_missing_snapshots_and_spec_errors() {
    let project = Project::new("greet");
    project.kaizen(["record", "count"]).run().code(0);
    project.write("jail/bad.yaml", "command: [sh]\ntimeout: soon\ncases: []\n");
    let out = project.kaizen(["verify", "--format", "json"]).ci().run();
    out.code(3);
    let doc: Value = serde_json::from_str(out.stdout()).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(doc["exit_code"], 3);
    let status: Vec<(&str, &str, i64)> = doc["jails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| {
            (
                j["jail"].as_str().unwrap(),
                j["status"].as_str().unwrap(),
                j["exit_code"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("bad", "error", 2),
            ("count", "unchanged", 0),
            ("greet", "missing", 3)
        ]
    );
    let jails = doc["jails"].as_array().unwrap();
    assert!(
        jails[0]["error"]
            .as_str()
            .unwrap()
            .contains("jail/bad.yaml:2: field \"timeout\"")
    );
    assert!(
        jails[2]["error"]
            .as_str()
            .unwrap()
            .contains("kaizen record greet")
    );
}

#[test]
fn junit_report_has_one_testsuite_per_jail_and_a_failure_with_the_diff() {
    let project = changed_and_broken();
    project.write("jail/bad.yaml", "command: [sh]\ntimeout: soon\ncases: []\n");
    let out = project.kaizen(["verify", "--format", "junit"]).run();
    out.code(2);
    assert!(
        out.stdout()
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{out}"
    );
    let root = xml::parse(out.stdout()).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(root.name, "testsuites");
    assert_eq!(
        (
            root.attr("tests"),
            root.attr("failures"),
            root.attr("errors")
        ),
        (Some("4"), Some("1"), Some("1"))
    );
    let suites: Vec<_> = root.all("testsuite").collect();
    let summary: Vec<_> = suites
        .iter()
        .map(|s| {
            (
                s.attr("name").unwrap(),
                s.attr("tests").unwrap(),
                s.attr("failures").unwrap(),
                s.attr("errors").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("bad", "1", "0", "1"),
            ("count", "1", "0", "0"),
            ("greet", "2", "1", "0")
        ]
    );
    for suite in &suites {
        let cases = suite.all("testcase").count();
        assert_eq!(cases.to_string(), suite.attr("tests").unwrap());
    }

    let bad = suites[0].all("testcase").next().unwrap();
    let error = bad.all("error").next().unwrap();
    assert!(
        error.text.contains("jail/bad.yaml:2: field \"timeout\""),
        "{error:?}"
    );

    let greet: Vec<_> = suites[2].all("testcase").collect();
    assert_eq!(greet[0].attr("name"), Some("case 2"));
    assert_eq!(greet[0].attr("classname"), Some("kaizen.greet"));
    assert_eq!(greet[0].attr("file"), Some("snapshots/greet.snap"));
    let failure = greet[0].all("failure").next().unwrap();
    assert_eq!(failure.attr("message"), Some("jail/greet.yaml:7 changed"));
    assert!(
        failure
            .text
            .contains("input:\nargs:\n- kaizen\nstdin: |\n  a line of input\n"),
        "{failure:?}"
    );
    assert!(
        failure
            .text
            .contains("  -   hello, kaizen\n  +   hello, <Kaizen> & co\n"),
        "{failure:?}"
    );
    assert_eq!(greet[1].attr("name"), Some("1 unchanged cases"));
    assert!(greet[1].children.is_empty());
}

/// Records the `jobs` fixture, changes it and verifies, with `-j N`; returns everything
/// kaizen printed and wrote.
fn run_with_jobs(jobs: &str) -> Vec<(String, Vec<u8>)> {
    let project = Project::new("jobs");
    let mut seen = Vec::new();
    let record = project.kaizen(["record", "-j", jobs]).run();
    record.code(0);
    seen.push(("record stdout".to_string(), record.stdout_bytes.clone()));
    seen.push((
        "snapshot".to_string(),
        project.bytes("snapshots/sleepy.snap").unwrap(),
    ));
    project.edit("jail/sleepy.yaml", "echo \"slept", "echo \"Slept");
    let verify = project.kaizen(["verify", "-j", jobs]).run();
    verify.code(1);
    seen.push(("verify stdout".to_string(), verify.stdout_bytes.clone()));
    seen.push((
        "pending".to_string(),
        project.bytes("snapshots/sleepy.snap.new").unwrap(),
    ));
    let json = project
        .kaizen(["verify", "--format", "json", "--jobs", jobs])
        .env("KAIZEN_UPDATE", "no")
        .run();
    json.code(1);
    seen.push(("json stdout".to_string(), json.stdout_bytes.clone()));
    seen
}

#[test]
fn one_and_two_jobs_give_byte_identical_reports_and_snapshots() {
    let one = run_with_jobs("1");
    let two = run_with_jobs("2");
    for ((what, a), (_, b)) in one.iter().zip(&two) {
        assert_eq!(
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b),
            "{what} differs between -j1 and -j2"
        );
    }
    let report = String::from_utf8_lossy(&one[2].1);
    let cases: Vec<&str> = report.lines().filter(|l| l.starts_with("case ")).collect();
    assert_eq!(cases.len(), 6, "{report}");
    for (i, line) in cases.iter().enumerate() {
        assert!(
            line.starts_with(&format!("case {} of 6 ", i + 1)),
            "{report}"
        );
    }
}

#[test]
fn junit_report_counts_new_inputs_as_one_failure() {
    let project = Project::new("greet");
    project.kaizen(["record", "greet"]).run().code(0);
    let spec = project.read("jail/greet.yaml");
    project.write("jail/greet.yaml", format!("{spec}  - args: [again]\n"));
    let out = project
        .kaizen(["verify", "greet", "--format", "junit"])
        .ci()
        .run();
    out.code(1);
    let root = xml::parse(out.stdout()).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let suite = root.all("testsuite").next().unwrap();
    assert_eq!(
        (suite.attr("tests"), suite.attr("failures")),
        (Some("2"), Some("1"))
    );
    let new = suite.all("testcase").next().unwrap();
    assert_eq!(new.attr("name"), Some("new inputs"));
    let failure = new.all("failure").next().unwrap();
    assert_eq!(failure.attr("message"), Some("1 input not yet recorded"));
    assert_eq!(failure.text, "record them with `kaizen record greet`");
}
