//! Command jail tests: running.
#![allow(unused_imports)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kaizen::jail::command::{
    CapturedFile, CommandCase, CommandJail, Data, Ending, ProcessOutcome, SpecError, rows,
};
use proptest::prelude::*;

use crate::helpers::*;

#[test]
fn stdin_args_env_and_files_reach_the_program() {
    let mut case = CommandCase::with_args(["one", "two words"]);
    case.stdin = Some(Data::from("piped in\n"));
    case.env.insert("GREETING".into(), "hello".into());
    case.files
        .insert("in/data.txt".into(), Data::from("from a file\n"));
    let outcome = run_sh(
        r#"printf '%s|' "$@"; echo; cat; echo "$GREETING"; cat in/data.txt"#,
        &case,
    );
    assert_eq!(outcome.ending, Ending::Exit(0), "{outcome:?}");
    assert_eq!(
        text(&outcome.stdout),
        "one|two words|\npiped in\nhello\nfrom a file\n"
    );
}

#[test]
fn the_environment_is_cleared_except_path_with_c_locale_and_utc() {
    let (_p, jail) = jail(
        "command: [sh, -c, 'env | sort']\nenv: {FROM_SPEC: '{root}'}\ninherit_env: [CARGO_PKG_NAME]\ncases: [{env: {FROM_CASE: x, LC_ALL: de_DE}}]\n",
    );
    let outcome = jail.run(&jail.cases()[0]);
    let env = text(&outcome.stdout).to_string();
    assert!(env.contains("LC_ALL=de_DE\n"), "the case overrides: {env}");
    assert!(
        env.contains("TZ=UTC\n") && env.contains("FROM_CASE=x\n"),
        "{env}"
    );
    assert!(env.contains("PATH="), "{env}");
    assert!(
        env.contains("CARGO_PKG_NAME=kaizen\n"),
        "inherited by name: {env}"
    );
    assert!(
        !env.contains("HOME="),
        "HOME is not inherited unless asked: {env}"
    );
    assert!(
        env.contains("FROM_SPEC=[root]\n"),
        "filled with the project's path, which is scrubbed from output: {env}"
    );
}

#[test]
fn exit_codes_and_signals_are_reported_with_labels() {
    let outcome = run_sh("echo oops >&2; exit 3", &CommandCase::default());
    assert_eq!(outcome.ending, Ending::Exit(3));
    assert_eq!(outcome.label(), "exit 3");
    assert_eq!(text(&outcome.stderr), "oops\n");
    let outcome = run_sh("kill -TERM $$", &CommandCase::default());
    assert_eq!(outcome.ending, Ending::Signal(15));
    assert_eq!(outcome.label(), "signal 15 (SIGTERM)");
    let outcome = run_sh("kill -KILL $$", &CommandCase::default());
    assert_eq!(outcome.label(), "signal 9 (SIGKILL)");
}

#[test]
fn a_program_that_cannot_start_fails_with_a_clear_message() {
    let (_p, jail) = jail("command: [/no/such/program]\ncases: [{args: []}]\n");
    let outcome = jail.run(&jail.cases()[0]);
    let label = outcome.label();
    assert!(
        label.starts_with("failed: cannot start /no/such/program"),
        "{label}"
    );
    assert!(label.contains("check `command`"), "{label}");
}

#[test]
fn a_hung_program_is_killed_with_its_whole_process_group() {
    let pids = tempfile::tempdir().unwrap();
    let pid_file = pids.path().join("grandchild.pid");
    let (_p, jail) = sh_jail(
        r#"sleep 100 & echo $! > "$PID_FILE"; wait"#,
        &format!(
            "timeout: 300ms\nenv: {{PID_FILE: {}}}",
            quoted(&pid_file.to_string_lossy())
        ),
    );
    let started = Instant::now();
    let outcome = jail.run(&jail.cases()[0]);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(outcome.ending, Ending::Timeout(Duration::from_millis(300)));
    assert_eq!(outcome.label(), "timeout after 300ms");
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(gone_soon(pid), "grandchild {pid} is still running");
}

#[test]
fn a_background_process_left_behind_by_a_finished_program_is_killed() {
    let pids = tempfile::tempdir().unwrap();
    let pid_file = pids.path().join("left.pid");
    let (_p, jail) = sh_jail(
        r#"sleep 100 & echo $! > "$PID_FILE"; echo done"#,
        &format!(
            "timeout: 5s\nenv: {{PID_FILE: {}}}",
            quoted(&pid_file.to_string_lossy())
        ),
    );
    let started = Instant::now();
    let outcome = jail.run(&jail.cases()[0]);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        (outcome.ending.clone(), text(&outcome.stdout)),
        (Ending::Exit(0), "done\n")
    );
    let pid: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(gone_soon(pid), "background process {pid} is still running");
}

#[test]
fn non_utf8_stdout_round_trips_and_displays_escaped() {
    let outcome = run_sh(r"printf 'caf\351 \\ ok\r\n'", &CommandCase::default());
    assert_eq!(outcome.stdout.as_bytes(), b"caf\xe9 \\ ok\r\n");
    assert_eq!(outcome.stdout.display(), "caf\\xe9 \\\\ ok\r\n");
    let yaml = serde_yaml::to_string(&outcome).unwrap();
    assert!(yaml.starts_with("exit: 0\nstdout:\n  bytes: "), "{yaml}");
    let back: ProcessOutcome = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(back, outcome);
}

#[test]
fn output_over_the_capture_limit_is_behaviour_the_first_bytes_and_a_cut() {
    let (_p, jail) = sh_jail(
        "echo start >&2; yes",
        "capture:\n  limit: 64KiB\ntimeout: 50s",
    );
    let first = jail.run(&jail.cases()[0]);
    assert_eq!(first.label(), "cut: stdout over 64 KiB (65536 bytes)");
    assert_eq!(first.stdout.as_bytes(), "y\n".repeat(32 * 1024).as_bytes());
    assert_eq!(text(&first.stderr), "start\n");
    // The same every time, so it records and verifies like any behaviour.
    for _ in 0..5 {
        assert_eq!(jail.run(&jail.cases()[0]), first);
    }
    let yaml = serde_yaml::to_string(&first).unwrap();
    assert!(
        yaml.starts_with("cut: stdout over 64 KiB (65536 bytes)\nstdout: |\n  y\n"),
        "{}",
        &yaml[..80]
    );
    let back: ProcessOutcome = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(back, first);
}

#[test]
fn a_program_that_exits_after_going_over_the_limit_is_cut_all_the_same() {
    let (_p, jail) = sh_jail("head -c 3000 /dev/zero; exit 3", "capture:\n  limit: 1000");
    for _ in 0..5 {
        let outcome = jail.run(&jail.cases()[0]);
        assert_eq!(outcome.label(), "cut: stdout over 1000 bytes");
        assert_eq!(outcome.stdout.as_bytes(), &[0u8; 1000][..]);
    }
}

#[test]
fn a_timed_out_case_is_recorded_without_its_partial_output() {
    let (_p, jail) = sh_jail(
        "echo partial; echo more >&2; echo file > out.txt; sleep 30",
        "timeout: 300ms\ncapture:\n  files: ['*.txt']",
    );
    let outcome = jail.run(&jail.cases()[0]);
    assert_eq!(outcome.label(), "timeout after 300ms");
    assert!(outcome.stdout.is_empty(), "{outcome:?}");
    assert!(outcome.stderr.is_empty(), "{outcome:?}");
    assert!(outcome.files.is_empty(), "{outcome:?}");
    assert_eq!(serde_yaml::to_string(&outcome).unwrap(), "timeout: 300ms\n");
}

#[test]
fn a_captured_file_over_the_limit_fails_the_case_naming_the_file() {
    let (_p, jail) = sh_jail(
        "head -c 2000 /dev/zero > big.bin",
        "capture:\n  files: ['*.bin']\n  limit: 1000",
    );
    let label = jail.run(&jail.cases()[0]).label();
    assert_eq!(
        label,
        "failed: captured file big.bin is 2000 bytes, over the capture limit of 1000 bytes; \
         raise `capture.limit` in the spec or narrow `capture.files` (the program ended with exit 0)"
    );
}

#[test]
fn a_case_over_the_per_case_total_fails_naming_its_biggest_captures() {
    let (_p, jail) = sh_jail(
        "head -c 600 /dev/zero; head -c 500 /dev/zero > a.bin; head -c 300 /dev/zero > b.bin; \
         echo small > c.bin",
        "capture:\n  files: ['*.bin']\n  limit: 1000\n  total: 1200",
    );
    let label = jail.run(&jail.cases()[0]).label();
    assert_eq!(
        label,
        "failed: the case's output and captured files add up to 1406 bytes, over `capture.total`, \
         the per-case total of 1200 bytes; the biggest: stdout 600 bytes, a.bin 500 bytes, \
         b.bin 300 bytes, c.bin 6 bytes; raise `capture.total` in the spec or narrow \
         `capture.files` (the program ended with exit 0)"
    );
}

#[test]
fn a_case_within_the_per_case_total_captures_every_file() {
    let (_p, jail) = sh_jail(
        "head -c 600 /dev/zero; head -c 500 /dev/zero > a.bin; echo small > c.bin",
        "capture:\n  files: ['*.bin']\n  limit: 1000\n  total: 1106",
    );
    let outcome = jail.run(&jail.cases()[0]);
    assert_eq!(outcome.label(), "exit 0");
    assert_eq!(outcome.files.len(), 2, "{outcome:?}");
}

#[test]
fn captured_files_match_globs_and_symlinks_are_not_followed() {
    let secret = tempfile::tempdir().unwrap();
    let secret_file = secret.path().join("secret.txt");
    std::fs::write(&secret_file, "do not read me").unwrap();
    let (_p, jail) = sh_jail(
        r#"mkdir -p out/deep; echo a > out/a.csv; echo b > out/deep/b.csv; echo c > out/c.txt; ln -s "$SECRET" out/link.csv"#,
        &format!(
            "capture:\n  files: ['out/*.csv']\nenv: {{SECRET: {}}}",
            quoted(&secret_file.to_string_lossy())
        ),
    );
    let outcome = jail.run(&jail.cases()[0]);
    let expected: BTreeMap<String, CapturedFile> = [
        (
            "out/a.csv".to_string(),
            CapturedFile::Content(Data::from("a\n")),
        ),
        (
            "out/link.csv".to_string(),
            CapturedFile::Symlink(secret_file.to_string_lossy().into_owned()),
        ),
    ]
    .into();
    assert_eq!(outcome.files, expected, "{outcome:?}");
    let yaml = serde_yaml::to_string(&outcome).unwrap();
    assert!(yaml.contains("out/link.csv:\n    symlink: "), "{yaml}");
    assert!(!yaml.contains("do not read me"), "{yaml}");
}

#[test]
fn the_case_directory_is_removed_afterwards_also_after_a_timeout() {
    let record = tempfile::tempdir().unwrap();
    let record_file = record.path().join("where");
    for (script, timeout) in [
        (r#"pwd > "$RECORD"; chmod 0500 .; exit 0"#, "5s"),
        (r#"pwd > "$RECORD"; sleep 100"#, "300ms"),
    ] {
        let (_p, jail) = sh_jail(
            script,
            &format!(
                "timeout: {timeout}\nenv: {{RECORD: {}}}",
                quoted(&record_file.to_string_lossy())
            ),
        );
        let outcome = jail.run(&jail.cases()[0]);
        assert!(!outcome.label().starts_with("failed"), "{outcome:?}");
        let dir = std::fs::read_to_string(&record_file).unwrap();
        let dir = Path::new(dir.trim());
        assert!(
            dir.to_string_lossy().contains("kaizen-case-"),
            "{}",
            dir.display()
        );
        assert!(!dir.exists(), "{} was left behind", dir.display());
    }
}

#[test]
fn arguments_with_shell_metacharacters_arrive_verbatim_as_one_element() {
    let nasty = r#"$(rm -rf /tmp/x); echo "hi" | cat `id` *  'q' \n"#;
    let case = CommandCase::with_args([nasty, ""]);
    let outcome = run_sh(r#"echo "$#"; printf '%s\n' "$1""#, &case);
    assert_eq!(text(&outcome.stdout), format!("2\n{nasty}\n"));
}

#[test]
fn shell_true_runs_one_script_with_args_as_positional_parameters() {
    let (_p, jail) =
        jail("command: 'echo \"$1\" | tr a-z A-Z'\nshell: true\ncases: [{args: [abc]}]\n");
    let outcome = jail.run(&jail.cases()[0]);
    assert_eq!(text(&outcome.stdout), "ABC\n");
}

#[test]
fn the_case_dir_is_scrubbed_by_default_and_spec_scrubbers_apply_in_order() {
    let (_p, jail) = sh_jail(
        r#"echo "at $(pwd)/x"; echo "{case_dir}" >&2; echo "stamp 2024-03-01T10:20:30 ok" > log.txt"#,
        "capture:\n  files: ['*.txt']\nscrub:\n  - regex: '\\d{4}-\\d{2}-\\d{2}T[0-9:]+'\n    replace: '[timestamp]'\n  - regex: '\\[timestamp\\] ok'\n    replace: 'STAMPED'",
    );
    let outcome = jail.run(&jail.cases()[0]);
    assert_eq!(text(&outcome.stdout), "at [case_dir]/x\n");
    assert_eq!(
        text(&outcome.stderr),
        "[case_dir]\n",
        "the placeholder is filled, then scrubbed"
    );
    assert_eq!(
        outcome.files["log.txt"],
        CapturedFile::Content(Data::from("stamp STAMPED\n"))
    );
}

#[test]
fn with_cwd_set_the_program_runs_there_while_files_stay_in_the_case_dir() {
    let (project, jail) = jail(
        "command: [sh, -c, 'pwd; cat \"$1/in.txt\"; echo out > \"$1/made.txt\"', sh, '{case_dir}']\n\
         cwd: jail\ncapture:\n  files: ['*.txt']\ncases: [{files: {in.txt: given}}]\n",
    );
    let outcome = jail.run(&jail.cases()[0]);
    assert!(project.path().join("jail").is_dir());
    assert_eq!(
        text(&outcome.stdout),
        "[jail]\ngiven",
        "runs in the project's jail/ folder, whose path is scrubbed"
    );
    assert_eq!(outcome.files.len(), 2, "{outcome:?}");
    assert_eq!(
        outcome.files["made.txt"],
        CapturedFile::Content(Data::from("out\n"))
    );
}

#[test]
fn a_cwd_that_climbs_out_of_the_project_is_refused() {
    let err = spec_error("command: [prog]\ncwd: ../elsewhere\ncases: [{args: []}]\n");
    assert_eq!((err.line, err.field.as_str()), (Some(2), "cwd"));
    assert!(err.message.contains("climbs out"), "{err}");
}

#[test]
fn placeholders_are_filled_in_args() {
    let (project, jail) = jail(
        "command: [sh, -c, 'printf \"%s\\n\" \"$@\"', sh, '{jail}', '{root}']\ncases: [{args: ['{case_dir}/f']}]\n",
    );
    let outcome = jail.run(&jail.cases()[0]);
    // Filled with real paths (an unfilled placeholder would print as `{jail}`), which the
    // default scrub then turns into marks.
    assert!(project.path().join("jail").is_dir());
    assert_eq!(text(&outcome.stdout), "[jail]\n[root]\n[case_dir]/f\n");
}

#[test]
fn cases_run_concurrently_from_several_threads() {
    let (_p, jail) = sh_jail(r#"cat; echo "$1""#, "");
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let jail = &jail;
                scope.spawn(move || {
                    let mut case = CommandCase::with_args([format!("arg{i}")]);
                    case.stdin = Some(Data::from(format!("in{i}\n")));
                    jail.run(&case)
                })
            })
            .collect();
        for (i, handle) in handles.into_iter().enumerate() {
            let outcome = handle.join().unwrap();
            assert_eq!(text(&outcome.stdout), format!("in{i}\narg{i}\n"));
        }
    });
}

#[test]
fn shell_placeholders_are_quoted_whatever_the_folder_is_called() {
    let outer = tempfile::tempdir().unwrap();
    // Spaces, both quotes, `;`, `$()`, `#` and a newline in the project's folder name.
    let root = outer
        .path()
        .join("p x;touch canary;#'q\"$(touch canary2)`touch canary3`\nz");
    std::fs::create_dir_all(root.join("jail")).unwrap();
    std::fs::write(root.join("jail/data.txt"), "ok\n").unwrap();
    let spec = root.join("jail/t.yaml");
    std::fs::write(
        &spec,
        "shell: true\ncwd: .\n\
         command: >-\n  cat {jail}/data.txt; cat \"{root}/jail/data.txt\"; cat '{jail}'/data.txt;\n  \
         printf '%s' {case_dir} | wc -l; ls\n\
         cases:\n  - args: []\n",
    )
    .unwrap();
    let jail = CommandJail::load(&spec, &root).unwrap_or_else(|err| panic!("{err}"));
    let outcome = jail.run(&jail.cases()[0]);
    assert_eq!(outcome.label(), "exit 0", "{outcome:?}");
    assert_eq!(
        text(&outcome.stdout),
        "ok\nok\nok\n0\njail\n",
        "{outcome:?}"
    );
    assert!(outcome.stderr.is_empty(), "{outcome:?}");
    for canary in ["canary", "canary2", "canary3"] {
        assert!(
            !root.join(canary).exists(),
            "the folder name ran `touch {canary}`"
        );
        assert!(!outer.path().join(canary).exists());
    }
}

#[test]
fn a_program_found_on_path_still_sees_its_name_as_written_in_argv0() {
    let (_project, found) = jail("command: [cat, /proc/self/cmdline]\ncases:\n  - args: []\n");
    let outcome = found.run(&found.cases()[0]);
    assert_eq!(outcome.stdout.as_bytes(), b"cat\0/proc/self/cmdline\0");
    // Also when the spec gives the program its own PATH, searched by the child.
    let (_project, searched) = jail(
        "command: [cat, /proc/self/cmdline]\nenv: {PATH: /usr/bin:/bin}\ncases:\n  - args: []\n",
    );
    let outcome = searched.run(&searched.cases()[0]);
    assert_eq!(outcome.stdout.as_bytes(), b"cat\0/proc/self/cmdline\0");
}

#[test]
fn a_case_kaizen_cannot_run_is_a_failure_carrying_its_message_hint_and_case() {
    let (_p, jail) = sh_jail("true", "");
    let mut case = CommandCase::with_args(["x"]);
    case.files.insert("../escape".into(), Data::from("x"));
    let outcome = jail.run(&case);
    let Ending::Failed(failure) = &outcome.ending else {
        panic!("{outcome:?}");
    };
    assert!(
        failure.message.starts_with("case file \"../escape\": "),
        "{failure:?}"
    );
    assert!(!failure.hint.is_empty(), "{failure:?}");
    assert!(!failure.message.contains('\u{1f}'), "{failure:?}");
    assert_eq!(failure.case, case.summary());
    assert_eq!(
        outcome.label(),
        format!("failed: {}; {}", failure.message, failure.hint)
    );
    let error = kaizen::jail::Jailed::try_run(&jail, &case).unwrap_err();
    assert!(
        error
            .to_string()
            .contains(&format!("the case {} could not be run: ", case.summary())),
        "{error}"
    );
}
