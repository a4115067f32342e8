//! `kaizen port`: a legacy program and its port run side by side (`tests/fixtures/port/`:
//! `upper.sh` upper-cases with tr, its port with awk, which adds a final newline).

use crate::harness::Project;

/// The project with `extra` appended to `jail/upper.yaml`.
fn upper(extra: &str) -> Project {
    let project = Project::new("port");
    let spec = project.read("jail/upper.yaml");
    project.write("jail/upper.yaml", format!("{spec}{extra}"));
    project
}

#[test]
fn kaizen_port_reports_where_the_port_differs_with_the_sides_named_original_and_port() {
    let project = Project::new("port");
    let out = project.kaizen(["port", "upper"]).run();
    out.code(1).quiet();
    let text = out.stdout();
    assert!(
        text.starts_with("upper: 2 cases, original vs port — 1 same, 1 changed\n"),
        "{out}"
    );
    assert!(
        text.contains("case 2 of 2 from jail/upper.yaml:8\n  input:\n    stdin: abc\n"),
        "{out}"
    );
    assert!(
        text.contains("  behaviour (- original, + port):\n    exit: 0\n    stdout: |\n      ABC\n  -   ⏎ no newline at end\n"),
        "{out}"
    );
    assert!(text.contains("port: nothing is recorded"), "{out}");
    // No snapshot needed, none written.
    assert!(!project.exists("snapshots"), "{out}");
    assert!(project.left_in_tmp().is_empty());
}

#[test]
fn each_difference_comes_with_a_command_line_per_side_that_reproduces_it() {
    let project = Project::new("port");
    let out = project.kaizen(["port", "upper"]).run();
    out.code(1);
    let lines: Vec<&str> = out
        .stdout()
        .lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("original: ")
                .or(l.trim_start().strip_prefix("port:     "))
        })
        .collect();
    assert_eq!(
        lines,
        [
            "printf 'abc' | LC_ALL=C TZ=UTC sh jail/upper.sh",
            "printf 'abc' | LC_ALL=C TZ=UTC sh jail/upper_port.sh"
        ],
        "{out}"
    );
    // Pasted into a shell in the project folder, each line does what the report says.
    let run = |line: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(line)
            .current_dir(project.root())
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(lines[0]), b"ABC");
    assert_eq!(run(lines[1]), b"ABC\n");
}

#[test]
fn a_jail_without_a_port_is_refused_with_what_to_do() {
    let project = Project::new("port");
    project
        .kaizen(["port", "plain"])
        .run()
        .code(2)
        .stderr_has("the jail `plain` names no port; add `port: [program, args…]`");
    // Without names, only the jails that name a port are compared.
    project
        .kaizen(["port"])
        .run()
        .code(1)
        .stdout_has("upper: 2 cases, original vs port");
}

#[test]
fn the_inputs_recorded_in_the_snapshot_are_replayed_too() {
    let project = Project::new("port");
    project.kaizen(["record", "upper"]).run().code(0);
    // The differing case leaves the spec; the snapshot still holds it.
    project.edit("jail/upper.yaml", "  - stdin: \"abc\"\n", "");
    let out = project.kaizen(["port", "upper"]).run();
    out.code(1)
        .stdout_has("upper: 2 cases, original vs port — 1 same, 1 changed")
        .stdout_has("case 2 of 2 from recorded only — snapshots/upper.snap:");
}

#[test]
fn both_sides_get_the_time_limit_and_a_timeout_is_reported_as_such() {
    let project = upper("");
    project.write("jail/upper_port.sh", "#!/bin/sh\nsleep 30\n");
    project.edit("jail/upper.yaml", "timeout: 10s", "timeout: 300ms");
    let out = project.kaizen(["port", "upper"]).run();
    out.code(1)
        .stdout_has("upper: 2 cases, original vs port — 0 same, 2 changed")
        .stdout_has("a timeout appeared (exit 0 before)");
    assert!(project.left_in_tmp().is_empty());
}

#[test]
fn the_json_report_of_a_port_names_the_differences() {
    let project = Project::new("port");
    let out = project.kaizen(["port", "upper", "--format", "json"]).run();
    out.code(1);
    let json: serde_json::Value = serde_json::from_str(out.stdout()).unwrap();
    assert_eq!(json["jails"][0]["changed"], 1, "{out}");
    assert_eq!(json["jails"][0]["differences"][0]["case"], 2, "{out}");
}

#[test]
fn a_port_writes_the_html_and_markdown_reports_too() {
    let project = Project::new("port");
    let out = project.kaizen(["port", "upper", "--format", "html"]).run();
    out.code(1);
    assert!(out.stdout().starts_with("<!DOCTYPE html>"), "{out}");
    assert!(out.stdout().contains("id=\"case-upper-2\""), "{out}");
    let out = project
        .kaizen(["port", "upper", "--format", "markdown"])
        .run();
    out.code(1);
    assert!(out.stdout().contains("| upper |"), "{out}");
}

const GENERATED: &str = "generate:
  seed: 5
  count: 40
  stdin:
    lines: [0, 4]
    chars: [lower, digit, utf8]
    final_newline: sometimes
";

#[test]
fn a_differing_generated_case_is_shrunk_to_the_smallest_invocation() {
    let project = upper(GENERATED);
    let out = project.kaizen(["port", "upper"]).run();
    out.code(1);
    let text = out.stdout();
    assert!(text.contains("from proptest #"), "{out}");
    assert!(
        text.contains(", seed 5 (source 0) (group 1)\n  minimal input (shrunk in "),
        "{out}"
    );
    // The smallest stdin the two differ on: one letter and no final newline.
    assert!(
        text.contains("steps):\n    stdin: a\n  original failing input:\n"),
        "{out}"
    );
    assert!(
        text.contains("    original: printf 'a' | LC_ALL=C TZ=UTC sh jail/upper.sh\n"),
        "{out}"
    );
}

#[test]
fn the_same_seed_gives_the_same_report_for_any_number_of_jobs() {
    let project = upper(GENERATED);
    let one = project.kaizen(["port", "upper", "-j", "1"]).run();
    let two = project.kaizen(["port", "upper", "-j", "2"]).run();
    one.code(1);
    assert_eq!(one.stdout(), two.stdout());
}

#[test]
fn generated_cases_are_recorded_with_their_seed_and_verified_like_listed_ones() {
    let project = upper(GENERATED);
    project
        .kaizen(["record", "upper"])
        .run()
        .code(0)
        .stdout_has("upper: recorded");
    let snap = project.read("snapshots/upper.snap");
    assert!(
        snap.contains("  - spec jail/upper.yaml (2)\n  - generated 40 (seed 5)\n  seed: 5\n"),
        "{snap}"
    );
    project
        .kaizen(["verify", "upper"])
        .run()
        .code(0)
        .stdout_has("all same");
    // The recorded port of a generated case names its draw when it changes.
    project.write("jail/upper.sh", "#!/bin/sh\nexec tr a-y A-Y\n");
    project
        .kaizen(["verify", "upper"])
        .run()
        .code(1)
        .stdout_has(", seed 5 (source 0) — snapshots/upper.snap:");
}

#[test]
fn a_generate_field_that_cannot_be_used_names_the_file_line_and_field() {
    let project = upper("generate:\n  args:\n    - {regex: 'a{2'}\n");
    project
        .kaizen(["port", "upper"])
        .run()
        .code(2)
        .stderr_has("jail/upper.yaml:9: field \"generate.args[0].regex\": 'a{2' is not a regex");
    let project = upper("generate:\n  count: 3\n  colour: red\n");
    project
        .kaizen(["verify", "upper"])
        .run()
        .code(2)
        .stderr_has("field \"generate.colour\"");
}

#[test]
fn kaizen_list_counts_the_generated_cases_beside_the_listed_ones() {
    let project = upper(GENERATED);
    project
        .kaizen(["list"])
        .run()
        .code(0)
        .stdout_has("upper                2 cases + 40 generated");
}

#[test]
fn scrub_rules_apply_to_both_sides() {
    // Both print their own process id: different on every run, equal once scrubbed.
    let project = Project::new("port");
    project.write("jail/upper.sh", "#!/bin/sh\necho \"pid $$\"\n");
    project.write("jail/upper_port.sh", "#!/bin/sh\necho \"pid $$\"\n");
    project
        .kaizen(["port", "upper"])
        .run()
        .code(1)
        .stdout_has("0 same, 2 changed");
    let spec = project.read("jail/upper.yaml");
    project.write(
        "jail/upper.yaml",
        format!("{spec}scrub:\n  - regex: 'pid \\d+'\n    replace: 'pid [pid]'\n"),
    );
    project
        .kaizen(["port", "upper"])
        .run()
        .code(0)
        .stdout_is("upper: 2 cases, original vs port — all same\n");
}

#[test]
fn the_capture_limit_applies_to_the_port_too() {
    let project = upper("capture:\n  limit: 1KiB\n");
    project.write("jail/upper_port.sh", "#!/bin/sh\nhead -c 5000 /dev/zero\n");
    // The port's flood is cut at the original's limit and recorded as such.
    project
        .kaizen(["port", "upper"])
        .run()
        .code(1)
        .stdout_has("upper: 2 cases, original vs port — 0 same, 2 changed")
        .stdout_has("  + cut: stdout over 1 KiB (1024 bytes)\n");
    assert!(project.left_in_tmp().is_empty());
}

#[test]
fn generated_files_are_placed_in_each_sides_case_directory_and_reproduced() {
    // The original counts the lines of data.txt with wc, the port with awk (which counts a
    // last line without a newline).
    let project = Project::new("port");
    project.write("jail/upper.sh", "#!/bin/sh\nwc -l < data.txt | tr -d ' '\n");
    project.write(
        "jail/upper_port.sh",
        "#!/bin/sh\nawk 'END { print NR }' data.txt\n",
    );
    project.write(
        "jail/upper.yaml",
        "command: [sh, \"{jail}/upper.sh\"]\nport: [sh, \"{jail}/upper_port.sh\"]\ngenerate:\n  count: 30\n  files:\n    data.txt: {lines: [0, 3], chars: [digit], final_newline: sometimes}\n",
    );
    let out = project.kaizen(["port", "upper"]).run();
    out.code(1);
    let text = out.stdout();
    assert!(text.contains("minimal input (shrunk in "), "{out}");
    assert!(text.contains("    files:\n      data.txt: '0'\n"), "{out}");
    let line = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("port:     "))
        .unwrap();
    assert!(
        line.starts_with("cd \"$(mktemp -d)\" && printf '0' > data.txt && "),
        "{line}"
    );
    let scratch = tempfile::tempdir().unwrap();
    let pasted = std::process::Command::new("sh")
        .arg("-c")
        .arg(line)
        .env("TMPDIR", scratch.path())
        .output()
        .unwrap();
    assert_eq!(pasted.stdout, b"1\n");
}
