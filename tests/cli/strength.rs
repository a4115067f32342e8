//! `kaizen strength`: cargo-mutants is stood in for by a script that records how it was
//! called and writes the outcomes captured from a real cargo-mutants 27.1 run on the
//! fixture crate `tests/fixtures/strength/` (`captured/`), so these tests run in milliseconds
//! and still read what cargo-mutants really writes.

use std::path::{Path, PathBuf};

use crate::harness::{Project, fixtures};

/// The captured `outcomes.json` of the real run.
fn captured() -> PathBuf {
    fixtures().join("strength/captured/outcomes.json")
}

/// A folder holding a stand-in `cargo-mutants`: asked to `--list`, it prints the captured
/// list; asked to test, it writes `outcomes` into the `--output` folder it is given, logs its
/// arguments, `KAIZEN_UPDATE` and its working folder to `log`, and exits `code`.
fn fake_tool(dir: &Path, outcomes: &Path, log: &Path, code: i32) -> PathBuf {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!(
        r#"#!/bin/sh
case " $* " in *" --list "*) cat '{list}'; exit 0 ;; esac
printf '%s\n' "$@" > '{log}'
echo "KAIZEN_UPDATE=$KAIZEN_UPDATE" >> '{log}'
pwd >> '{log}'
out=""; prev=""
for a in "$@"; do [ "$prev" = "--output" ] && out="$a"; prev="$a"; done
mkdir -p "$out/mutants.out"
cp '{outcomes}' "$out/mutants.out/outcomes.json"
exit {code}
"#,
        log = log.display(),
        outcomes = outcomes.display(),
        list = fixtures().join("strength/captured/list.json").display(),
    );
    let tool = bin.join("cargo-mutants");
    std::fs::write(&tool, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut dirs = vec![bin.to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// `kaizen strength OPTIONS --merge DIRS…`.
fn merge(options: &[&str], dirs: &[&Path]) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = vec!["strength".into()];
    args.extend(options.iter().map(Into::into));
    args.push("--merge".into());
    args.extend(dirs.iter().map(|d| d.as_os_str().to_os_string()));
    args
}

fn strength_project() -> Project {
    Project::new("strength")
}

#[test]
fn a_missing_cargo_mutants_is_named_with_the_command_that_installs_it() {
    let project = strength_project();
    let empty = project.tmp().join("no-tools");
    std::fs::create_dir_all(&empty).unwrap();
    let out = project.kaizen(["strength"]).env("PATH", &empty).run();
    out.code(2);
    assert!(
        out.stderr()
            .contains("cargo install --locked cargo-mutants"),
        "{}",
        out.stderr()
    );
}

#[test]
fn strength_mutates_only_the_jail_files_with_the_characterization_tests_and_never_records() {
    let project = strength_project();
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 2);
    let out = project
        .kaizen(["strength"])
        .env("PATH", path_with(&bin))
        .run();
    out.code(0);
    let args = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = args.lines().collect();
    assert_eq!(lines[0], "mutants", "{args}");
    let after = |flag: &str| {
        lines
            .iter()
            .position(|l| *l == flag)
            .map(|i| lines[i + 1])
            .unwrap_or_else(|| panic!("no {flag} in {args}"))
    };
    assert_eq!(
        after("--file"),
        "src/../jail/band.rs",
        "as cargo-mutants names it"
    );
    assert_eq!(
        lines.iter().filter(|l| **l == "--file").count(),
        1,
        "{args}"
    );
    assert!(
        args.contains("--cargo-test-arg=--test\n--cargo-test-arg=characterize\n"),
        "only the characterization test runs: {args}"
    );
    assert!(args.contains("KAIZEN_UPDATE=no\n"), "{args}");
    assert_eq!(
        Path::new(after("--output")),
        project.path("target/kaizen-strength")
    );
    assert!(!project.exists("snapshots/band.snap.new"));
    let report = out.stdout();
    assert!(report.starts_with("mutation score "), "{report}");
    assert!(
        report.contains("no recorded input tells these apart"),
        "{report}"
    );
}

#[test]
fn each_survivor_is_shown_with_its_location_its_change_and_the_marked_legacy_line() {
    let project = strength_project();
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 2);
    let out = project
        .kaizen(["strength", "jail/band.rs"])
        .env("PATH", path_with(&bin))
        .run();
    out.code(0);
    let report = out.stdout();
    insta::assert_snapshot!("strength_report", report);
}

#[test]
fn a_score_below_min_score_exits_with_code_4_and_one_at_or_above_it_passes() {
    let project = strength_project();
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 2);
    let path = path_with(&bin);
    let low = project
        .kaizen(["strength", "--min-score", "100"])
        .env("PATH", &path)
        .run();
    low.code(4);
    assert!(
        low.stderr().contains("is below --min-score 100%"),
        "{}",
        low.stderr()
    );
    let ok = project
        .kaizen(["strength", "--min-score", "10"])
        .env("PATH", &path)
        .run();
    ok.code(0);
    let bad = project
        .kaizen(["strength", "--min-score", "150"])
        .env("PATH", &path)
        .run();
    bad.code(2);
    assert!(bad.stderr().contains("from 0 to 100"), "{}", bad.stderr());
}

#[test]
fn the_json_report_carries_the_counts_the_score_and_each_survivor() {
    let project = strength_project();
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 2);
    let out = project
        .kaizen(["strength", "--format", "json", "--min-score", "100"])
        .env("PATH", path_with(&bin))
        .run();
    out.code(4);
    let json: serde_json::Value = serde_json::from_str(out.stdout()).unwrap();
    let file = &json["files"][0];
    assert_eq!(file["file"], "jail/band.rs");
    let caught = file["counts"]["caught"].as_u64().unwrap();
    let missed = file["counts"]["missed"].as_u64().unwrap();
    assert!(missed > 0 && caught > 0, "{json}");
    assert_eq!(file["survivors"].as_array().unwrap().len() as u64, missed);
    let score = json["score"].as_f64().unwrap();
    assert!((score - 100.0 * caught as f64 / (caught + missed) as f64).abs() < 1e-9);
    assert_eq!(json["below_min_score"], true);
}

#[test]
fn a_shard_is_passed_to_cargo_mutants_and_a_bad_one_is_refused() {
    let project = strength_project();
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 2);
    let path = path_with(&bin);
    project
        .kaizen(["strength", "--shard", "1/2"])
        .env("PATH", &path)
        .run()
        .code(0);
    let args = std::fs::read_to_string(&log).unwrap();
    assert!(args.contains("--shard\n1/2\n"), "{args}");
    let bad = project
        .kaizen(["strength", "--shard", "2/2"])
        .env("PATH", &path)
        .run();
    bad.code(2);
    assert!(bad.stderr().contains("--shard 0/4"), "{}", bad.stderr());
}

/// The captured outcomes split in two, as two shards would have written them.
fn split_shards(dir: &Path) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(captured()).unwrap();
    let whole: serde_json::Value = serde_json::from_str(&text).unwrap();
    let outcomes = whole["outcomes"].as_array().unwrap();
    let mut paths = Vec::new();
    for shard in 0..2 {
        let mut part = whole.clone();
        let mine: Vec<serde_json::Value> = outcomes
            .iter()
            .enumerate()
            .filter(|(i, o)| o["scenario"] == "Baseline" || i % 2 == shard)
            .map(|(_, o)| o.clone())
            .collect();
        part["outcomes"] = serde_json::Value::Array(mine);
        let folder = dir.join(format!("shard-{shard}/mutants.out"));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("outcomes.json"), part.to_string()).unwrap();
        paths.push(dir.join(format!("shard-{shard}")));
    }
    (paths[0].clone(), paths[1].clone())
}

#[test]
fn merged_shards_give_the_same_score_as_one_whole_run() {
    let project = strength_project();
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 2);
    let whole = project
        .kaizen(["strength", "--format", "json"])
        .env("PATH", path_with(&bin))
        .run();
    whole.code(0);
    let (a, b) = split_shards(&project.tmp());
    let merged = project
        .kaizen(merge(&["--format", "json"], &[&a, &b]))
        .env("PATH", project.tmp().join("no-tools"))
        .run();
    merged.code(0);
    let whole: serde_json::Value = serde_json::from_str(whole.stdout()).unwrap();
    let merged: serde_json::Value = serde_json::from_str(merged.stdout()).unwrap();
    assert_eq!(merged["total"], whole["total"]);
    assert_eq!(merged["files"], whole["files"]);
    let one = project.kaizen(merge(&["--format", "json"], &[&a])).run();
    let one: serde_json::Value = serde_json::from_str(one.stdout()).unwrap();
    assert_ne!(
        one["total"], whole["total"],
        "one shard alone is not the whole"
    );
}

#[test]
fn results_that_are_not_cargo_mutants_outcomes_are_named_with_the_place_that_is_wrong() {
    let project = strength_project();
    let bad = project.tmp().join("bad.json");
    std::fs::write(&bad, r#"{"outcomes": [{"scenario": "Baseline"}]}"#).unwrap();
    let out = project.kaizen(merge(&[], &[&bad])).run();
    out.code(2);
    assert!(out.stderr().contains("bad.json"), "{}", out.stderr());
    assert!(out.stderr().contains("outcomes[0]"), "{}", out.stderr());
}

#[test]
fn tests_that_fail_on_the_unmutated_code_are_reported_instead_of_a_score() {
    let project = strength_project();
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 4);
    let out = project
        .kaizen(["strength"])
        .env("PATH", path_with(&bin))
        .run();
    out.code(2);
    assert!(
        out.stderr().contains("fail on the unmutated code"),
        "{}",
        out.stderr()
    );
    assert_eq!(out.stdout(), "", "no score is printed");
}

#[test]
fn a_legacy_file_cargo_mutants_cannot_mutate_is_named_with_how_to_include_it() {
    let project = strength_project();
    project.write("jail/other.rs", "pub fn other() -> u32 { 1 }\n");
    let log = project.tmp().join("args.log");
    let bin = fake_tool(&project.tmp(), &captured(), &log, 2);
    let out = project
        .kaizen(["strength", "jail/other.rs"])
        .env("PATH", path_with(&bin))
        .run();
    out.code(2);
    assert!(
        out.stderr().contains("makes no mutants of jail/other.rs"),
        "{}",
        out.stderr()
    );
    assert!(
        out.stderr().contains("#[path = \"../jail/other.rs\"]"),
        "{}",
        out.stderr()
    );
    assert!(!log.exists(), "no mutant was tested");
}
