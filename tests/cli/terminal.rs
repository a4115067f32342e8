//! Colour and the progress bar: only for people at a terminal, or when asked for.
//!
//! What is asserted, from `src/cli/mod.rs` and `src/report.rs`:
//! - `--color auto` (the default): colour on a terminal; `NO_COLOR` (non-empty) turns it
//!   off, then `CLICOLOR_FORCE` (not `0`) turns it on off a terminal.
//! - `--color always` / `--color never` are per-run choices and win over both variables,
//!   as <https://no-color.org> asks of command-line flags.
//! - JSON and JUnit reports and error messages are never coloured.
//! - The progress bar is drawn on stderr only when stderr is a terminal, not on CI, and
//!   only once a jail has run for more than a second.

use std::process::Command;

use crate::harness::{KAIZEN, Output, Project};

const ESC: char = '\u{1b}';

fn changed_greet() -> Project {
    let project = Project::new("greet");
    project.kaizen(["record", "greet"]).run().code(0);
    project.edit("jail/greet.sh", "hello, $1", "hi, $1");
    project
}

#[track_caller]
fn assert_plain(out: &Output) {
    assert!(
        !out.stdout().contains(ESC),
        "stdout has ANSI escapes:\n{out}"
    );
    assert!(
        !out.stderr().contains(ESC),
        "stderr has ANSI escapes:\n{out}"
    );
    assert!(
        !out.stderr().contains('\r'),
        "stderr redraws a line:\n{out}"
    );
}

#[track_caller]
fn assert_coloured(out: &Output) {
    out.stdout_has(&format!(
        "{ESC}[1m{ESC}[31mgreet: 2 cases — 0 same, 2 changed{ESC}[0m\n"
    ))
    .stdout_has(&format!(
        "behaviour ({ESC}[31m-{ESC}[0m recorded, {ESC}[32m+{ESC}[0m now):"
    ));
    assert!(!out.stderr().contains(ESC), "{out}");
}

#[test]
fn off_a_terminal_reports_are_plain_text() {
    let project = changed_greet();
    let out = project.kaizen(["verify", "greet"]).run();
    out.code(1)
        .stdout_has("greet: 2 cases — 0 same, 2 changed\n");
    assert_plain(&out);
    for args in [
        ["verify", "greet", "--color", "never"],
        ["verify", "greet", "--color", "auto"],
    ] {
        let out = project
            .kaizen(args)
            .env("CLICOLOR_FORCE", "1")
            .env("NO_COLOR", "1")
            .run();
        out.code(1);
        assert_plain(&out);
    }
    let out = project
        .kaizen(["verify", "greet", "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .run();
    out.code(1);
    assert_plain(&out);
}

#[test]
fn color_always_or_clicolor_force_colours_the_report() {
    let project = changed_greet();
    let runs = [
        project.kaizen(["verify", "greet", "--color", "always"]),
        project
            .kaizen(["--color", "always", "verify", "greet"])
            .env("NO_COLOR", "1"),
        project
            .kaizen(["verify", "greet"])
            .env("CLICOLOR_FORCE", "1"),
    ];
    for run in runs {
        let out = run.run();
        out.code(1);
        assert_coloured(&out);
    }
    project
        .kaizen(["verify", "greet"])
        .env("CLICOLOR_FORCE", "0")
        .run()
        .code(1)
        .stdout_has("greet: 2 cases — 0 same, 2 changed\n");
}

#[test]
fn machine_readable_reports_and_errors_are_never_coloured() {
    let project = changed_greet();
    for format in ["json", "junit"] {
        let out = project
            .kaizen(["verify", "--format", format, "--color", "always", "greet"])
            .run();
        out.code(1);
        assert_plain(&out);
    }
    let out = project
        .kaizen(["verify", "nosuch", "--color", "always"])
        .run();
    out.code(2);
    assert_plain(&out);
}

#[test]
fn off_a_terminal_a_long_run_draws_no_progress_bar() {
    let project = Project::new("slow");
    let out = project.kaizen(["record", "-j1", "--runs", "1"]).run();
    out.code(0)
        .quiet()
        .stdout_is("slow: recorded 6 cases to snapshots/slow.snap\n");
    assert!(
        out.elapsed.as_millis() > 1400,
        "long enough for a bar: {out}"
    );
    assert_plain(&out);
}

/// Runs `kaizen ARGS` under `script`, which gives it a pseudo-terminal for stdout and
/// stderr; None when `script` (util-linux) is not installed.
fn on_a_terminal(project: &Project, args: &str, env: &[(&str, &str)]) -> Option<String> {
    let probe = Command::new("script").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("`script` is not installed: the terminal half of this test is skipped");
        return None;
    }
    let line = format!("{KAIZEN} {args}");
    let mut script = Command::new("script");
    crate::harness::strip(&mut script);
    script
        .args(["-qec", &line, "/dev/null"])
        .current_dir(project.root())
        .env("TMPDIR", project.tmp())
        .env("TERM", "xterm");
    for (name, value) in env {
        script.env(name, value);
    }
    let out = script.output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn on_a_terminal_a_long_run_draws_a_progress_bar_and_colours_the_report() {
    let project = Project::new("slow");
    project
        .kaizen(["record", "-j2", "--runs", "1"])
        .run()
        .code(0);
    project.edit("jail/slow.yaml", "echo \"got", "echo \"Got");
    let Some(screen) = on_a_terminal(&project, "verify -j1", &[]) else {
        return;
    };
    assert!(screen.contains("slow ["), "no progress bar:\n{screen:?}");
    assert!(screen.contains("6/6 cases"), "{screen:?}");
    assert!(
        screen.contains(&format!(
            "{ESC}[1m{ESC}[31mslow: 6 cases — 0 same, 6 changed{ESC}[0m"
        )),
        "{screen:?}"
    );
    let Some(screen) = on_a_terminal(&project, "verify -j1", &[("CI", "true")]) else {
        return;
    };
    assert!(
        !screen.contains("slow ["),
        "a progress bar on CI:\n{screen:?}"
    );
    assert!(
        screen.contains("slow: 6 cases — 0 same, 6 changed"),
        "{screen:?}"
    );
}

#[test]
fn on_a_terminal_an_unchanged_jail_is_reported_in_green() {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0);
    let Some(screen) = on_a_terminal(&project, "verify", &[]) else {
        return;
    };
    for jail in ["count: 3 cases", "greet: 2 cases"] {
        assert!(
            screen.contains(&format!("{ESC}[1m{ESC}[32m{jail} — all same{ESC}[0m")),
            "{screen:?}"
        );
    }
    let out = project.kaizen(["verify"]).run();
    out.code(0)
        .stdout_is("count: 3 cases — all same\ngreet: 2 cases — all same\n");
}

#[test]
fn the_progress_bar_of_a_recording_with_two_runs_counts_cases_not_runs() {
    let project = Project::new("slow");
    let Some(screen) = on_a_terminal(&project, "record -j1 --runs 2", &[]) else {
        return;
    };
    assert!(screen.contains("slow ["), "no progress bar:\n{screen:?}");
    assert!(screen.contains("/6 cases"), "{screen:?}");
    assert!(!screen.contains("/12 "), "the bar counts runs:\n{screen:?}");
    assert!(
        screen.contains("slow: recorded 6 cases to snapshots/slow.snap"),
        "{screen:?}"
    );
}
