//! The examples in `examples/` run and print what their docs say (cargo builds them for
//! `cargo test`; this runs the built binaries).

use std::path::PathBuf;
use std::process::Command;

fn run_example(name: &str) -> String {
    // target/debug/deps/examples_run-HASH → target/debug/examples/NAME
    let exe = std::env::current_exe().unwrap();
    let path: PathBuf = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name);
    let mut cmd = Command::new(&path);
    for var in kaizen::env::HERMETIC_STRIP {
        cmd.env_remove(var);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn the_jail_function_example_records_then_passes_the_refactoring_and_fails_the_slip() {
    let text = run_example("jail_function");
    assert!(text.contains("fee: recorded 16 cases to "), "{text}");
    assert!(
        text.contains("== refactored\nfee: 16 cases — all same\n"),
        "{text}"
    );
    assert!(
        text.contains("fee: 16 cases — 13 same, 3 changed"),
        "{text}"
    );
    assert!(
        text.contains("  - returned: 1000\n  + returned: 2025\n"),
        "{text}"
    );
}

#[test]
fn the_input_sources_example_shows_the_pairwise_reduction_and_the_origins() {
    let text = run_example("input_sources");
    assert!(
        text.contains("6 parameters x 6 values: 46656 combinations, 51 pairwise"),
        "{text}"
    );
    assert!(text.contains("source: proptest 5 (seed 42)"), "{text}");
    assert!(
        text.contains("(0, false) from list #0 (source 0)"),
        "{text}"
    );
}

#[test]
fn the_command_jail_example_runs_a_case_of_the_python_demo() {
    let text = run_example("command_jail");
    assert!(text.contains("jail `report`: 18 cases"), "{text}");
    assert!(text.contains("ended: exit 0"), "{text}");
    assert!(text.contains("total:    EUR 100.00"), "{text}");
}

#[test]
fn the_isolated_example_records_an_exit_a_hang_and_an_abort_as_behaviour() {
    let text = run_example("isolated");
    // The first run records (or finds the snapshot of an earlier run unchanged).
    assert!(text.starts_with("batch_count: "), "{text}");
    for expected in [
        "- input: 0\n  exited: 2\n",
        "- input: 13\n  timeout: 2s\n",
        "- input: 51\n  returned: 2\n",
        "- input: 2000000\n  crashed: signal 6 (SIGABRT)\n",
    ] {
        assert!(text.contains(expected), "{expected:?} in\n{text}");
    }
    // The README shows this snapshot verbatim.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let marker = "<!-- isolated-snapshot -->\n```yaml\n";
    let block = &readme[readme.find(marker).expect("the README block") + marker.len()..];
    let block = &block[..block.find("```").unwrap()];
    assert!(
        text.contains(block),
        "README block not printed:\n{block}\nin\n{text}"
    );
    assert!(text.contains("batch_count: 6 cases — all same"), "{text}");
}

#[test]
fn the_stateful_example_records_step_by_step_and_finds_the_slipped_bag_fee() {
    let text = run_example("stateful");
    assert!(text.contains("till: recorded 201 cases to "), "{text}");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let shown = &readme[readme.find("<!-- stateful-snapshot -->").unwrap()..];
    let shown = &shown[shown.find("```yaml\n").unwrap() + 8..];
    let shown = &shown[..shown.find("```").unwrap()];
    assert!(
        text.contains(&format!("== the first case, step by step\n{shown}")),
        "the README's stateful snapshot drifted from what the example records:\n{text}"
    );
    assert!(
        text.contains("till: 201 cases — 195 same, 6 changed"),
        "{text}"
    );
    let report = &readme[readme.find("<!-- stateful-report -->").unwrap()..];
    let report = &report[report.find("```text\n").unwrap() + 8..];
    let report = &report[..report.find("```").unwrap()];
    let (title, rest) = report.split_once('\n').unwrap();
    let title = title.split(" — ").next().unwrap();
    assert!(
        text.contains(title) && text.contains(rest),
        "the README's stateful report drifted from what the example prints:\n{text}"
    );
}

#[test]
fn the_redact_example_records_placeholders_and_verifies_green_on_the_next_run() {
    let text = run_example("redact");
    assert!(text.contains("receipt: recorded 3 cases to "), "{text}");
    assert!(text.contains("receipt: 3 cases — all same"), "{text}");
    assert!(text.contains("  - .lines[].id → [line id]\n"), "{text}");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let shown = &readme[readme.find("<!-- redact-snapshot -->").unwrap()..];
    let shown = &shown[shown.find("```yaml\n").unwrap() + 8..];
    let shown = &shown[..shown.find("```").unwrap()];
    assert!(
        text.contains(&format!("== the last case\n{shown}")),
        "the README's redacted snapshot drifted from what the example records:\n{text}"
    );
}

#[test]
fn the_record_runs_example_refuses_a_clock_then_records_it_redacted() {
    let text = run_example("record_runs");
    assert!(
        text.contains("== refused\nquote: 2 case(s) behaved differently in 2 runs of the same input; nothing was recorded\n"),
        "{text}"
    );
    assert!(text.contains("input:\n    20\n"), "{text}");
    assert!(
        text.contains(r#"e.g. .redact(".valid_until", "[placeholder]")"#),
        "{text}"
    );
    assert!(
        text.contains("== redacted\nquote: recorded 2 cases to "),
        "{text}"
    );
}

#[test]
fn the_tolerance_example_turns_a_reordered_sum_green_within_the_tolerance_only() {
    let text = run_example("tolerance");
    assert!(
        text.contains("== exact\nmean: 39 cases — 24 same, 15 changed\n"),
        "{text}"
    );
    let within = "mean: 39 cases — all same, 15 of them within the jail's tolerance (recorded values kept)\n";
    assert!(
        text.contains(&format!("== within 1e-12\n{within}")),
        "{text}"
    );
    assert!(
        text.contains(&format!("== six decimals\n{within}")),
        "{text}"
    );
    assert!(text.contains(&format!("== typed\n{within}")), "{text}");
    assert!(
        text.contains(
            "== oracle\nmean: 39 cases, original vs refactored — all same, 15 of them within the tolerance\n"
        ),
        "{text}"
    );
}

#[test]
fn the_unordered_example_writes_a_hash_map_in_one_order_in_every_process() {
    let first = run_example("unordered");
    assert!(
        first.contains("word_counts: recorded 2 cases to "),
        "{first}"
    );
    assert!(
        first.contains("word_counts: 2 cases — all same\n"),
        "{first}"
    );
    assert!(
        first.contains("- input: to be or not to be\n  returned:\n    be: 2\n    not: 1\n    or: 1\n    to: 2\n"),
        "{first}"
    );
    let body = |text: &str| text[text.find("== body\n").unwrap()..].to_string();
    for _ in 0..3 {
        assert_eq!(body(&run_example("unordered")), body(&first));
    }
}
