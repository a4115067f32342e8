//! The README's examples are code that runs, so the docs cannot drift: the quickstart block
//! is `tests/quickstart.rs` verbatim, and the example report is what kaizen prints for the
//! slip shown below.

use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Jail};
use proptest::prelude::*;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The first fenced block after `marker` in the README.
fn block_after(readme: &str, marker: &str) -> String {
    let rest = &readme[readme
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in README"))..];
    let start = rest.find("```").unwrap();
    let body = &rest[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_string()
}

#[test]
fn the_readme_quickstart_is_the_quickstart_test_verbatim() {
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/quickstart.rs"))
        .unwrap();
    assert_eq!(block_after(&readme(), "<!-- quickstart -->"), file);
}

/// The slip: `> 21` where the legacy code says `> 20`.
fn slipped_shipping_cost(weight_kg: u32, express: bool, country: &str) -> u32 {
    let mut cost = if country == "DE" { 499 } else { 1299 };
    if weight_kg > 21 {
        cost += (weight_kg - 20) * 150;
    }
    if express {
        cost = cost * 2 - 1;
    }
    cost
}

#[test]
fn the_readme_report_is_what_kaizen_prints_for_an_off_by_one() {
    let jail = Jail::new(
        "shipping_cost",
        |(kg, express, country): (u32, bool, String)| slipped_shipping_cost(kg, express, &country),
    );
    let cases = Cases::new()
        .combinations((
            vec![0, 1, 20, 21, 100],
            vec![false, true],
            vec!["DE".to_string(), "FR".into()],
        ))
        .proptest((0u32..500, any::<bool>(), "DE|FR|US|[A-Z]{2}"), 200);
    let env = Environment {
        mode: UpdateMode::No,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    let verdict = jail.run_with(&cases, env).unwrap();
    let report = kaizen::report::render(&verdict, false);
    let shown = block_after(&readme(), "<!-- report -->");
    let first_case: String = report
        .split("\n\ncase ")
        .take(2)
        .collect::<Vec<_>>()
        .join("\n\ncase ");
    assert_eq!(
        shown.trim_end(),
        format!("{}\n…", first_case.trim_end()),
        "README report drifted; actual:\n{report}"
    );
}

#[test]
fn the_readme_isolated_jail_is_the_example_code_and_its_snapshot() {
    let readme = readme();
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isolated.rs"))
            .unwrap();
    let code = block_after(&readme, "<!-- isolated -->");
    assert!(
        example.contains(&code),
        "README block not in examples/isolated.rs:\n{code}"
    );
    // What the example prints is checked against this block in tests/examples_run.rs.
    let snapshot = block_after(&readme, "<!-- isolated-snapshot -->");
    assert!(
        snapshot.starts_with("- input: 0\n  exited: 2\n"),
        "{snapshot}"
    );
}

#[test]
fn the_readme_redact_block_is_the_example_code() {
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/redact.rs"))
            .unwrap();
    let code = block_after(&readme(), "<!-- redact -->");
    assert!(
        example.contains(&code),
        "README block not in examples/redact.rs:\n{code}"
    );
}

#[test]
fn the_readme_tolerance_blocks_are_the_example_code() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/tolerance.rs"
    ))
    .unwrap();
    for marker in [
        "<!-- tolerance -->",
        "<!-- compare-with -->",
        "<!-- compare-outputs-with -->",
        "<!-- oracle-tolerance -->",
    ] {
        let code = block_after(&readme(), marker);
        assert!(
            example.contains(&code),
            "README block {marker} not in examples/tolerance.rs:\n{code}"
        );
    }
}

#[test]
fn the_readme_record_runs_block_is_the_example_code() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/record_runs.rs"
    ))
    .unwrap();
    let code = block_after(&readme(), "<!-- record-runs -->");
    assert!(
        example.contains(&code),
        "README block not in examples/record_runs.rs:\n{code}"
    );
}

#[test]
fn the_readme_stateful_blocks_are_the_example_code() {
    let readme = readme();
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/stateful.rs"))
            .unwrap();
    for marker in ["<!-- stateful -->", "<!-- stateful-cases -->"] {
        let code = block_after(&readme, marker);
        assert!(
            example.contains(&code),
            "README block {marker} not in examples/stateful.rs:\n{code}"
        );
    }
    // What the example prints is checked against the snapshot block in tests/examples_run.rs.
    let snapshot = block_after(&readme, "<!-- stateful-snapshot -->");
    assert!(
        snapshot.contains("  - not_run_after_panic: 1\n"),
        "{snapshot}"
    );
}

#[test]
fn the_readme_strength_report_is_the_one_pinned_for_the_captured_cargo_mutants_run() {
    let readme = readme();
    let shown = block_after(&readme, "<!-- strength-report -->");
    let snap = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cli/snapshots/cli__strength__strength_report.snap"
    ))
    .unwrap();
    let body = snap
        .splitn(3, "---\n")
        .nth(2)
        .expect("an insta snapshot body");
    assert_eq!(shown.trim_end(), body.trim_end());
}

#[test]
fn the_readme_github_actions_shards_example_is_the_docs_workflow_verbatim() {
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/github-actions-shards.yml"
    ))
    .unwrap();
    assert_eq!(
        block_after(&readme(), "<!-- github-actions-shards -->"),
        file
    );
    // Four shards, each uploading its JSON report; a merge job writing the job summary and
    // the HTML report as an artifact.
    assert!(file.contains("shard: [1, 2, 3, 4]"));
    assert!(file.contains("kaizen verify --shard ${{ matrix.shard }}/4 --format json"));
    assert!(file.contains("--format markdown >> \"$GITHUB_STEP_SUMMARY\""));
    assert!(file.contains("--format html > kaizen-report.html"));
    assert!(file.contains("path: kaizen-report.html"));
}
