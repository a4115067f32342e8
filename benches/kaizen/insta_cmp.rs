//! insta as the baseline: one snapshot per case, and one YAML snapshot holding all cases.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::jails::{cheap, cheap_inputs};
use crate::measure;

/// Asserts the cheap function's cases with insta, into `dir`.
pub fn assert_all(dir: &Path, n: usize, per_case: bool) {
    let inputs = cheap_inputs(n);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        if per_case {
            for (i, input) in inputs.iter().enumerate() {
                let case = (input, cheap(*input));
                insta::assert_yaml_snapshot!(format!("case_{i}"), &case);
            }
        } else {
            let all: Vec<_> = inputs.iter().map(|i| (i, cheap(*i))).collect();
            insta::assert_yaml_snapshot!(format!("all_{n}"), &all);
        }
    });
}

/// Creates the snapshots in a child process with `INSTA_UPDATE=always`.
pub fn create(dir: &Path, n: usize, per_case: bool) {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let status = Command::new(exe)
        .args([
            "--child",
            "insta",
            if per_case { "per-case" } else { "one" },
        ])
        .arg(n.to_string())
        .arg(dir)
        .env("INSTA_UPDATE", "always")
        .env_remove("CI")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run the bench binary as a child");
    assert!(status.success(), "creating insta snapshots failed");
}

/// In the child process: `per-case|one N DIR`.
pub fn child(args: &[String]) {
    let [kind, n, dir] = args else {
        panic!("child arguments: per-case|one N DIR, got {args:?}");
    };
    assert_all(
        Path::new(dir),
        n.parse().expect("a count"),
        kind == "per-case",
    );
}

/// The time to check existing insta snapshots, once.
pub fn check_once(dir: &Path, n: usize, per_case: bool) -> Duration {
    measure::time(|| assert_all(dir, n, per_case)).0
}
