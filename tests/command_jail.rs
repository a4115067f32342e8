//! The command jail: specs, cases, running legacy programs as subprocesses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kaizen::jail::command::{
    CapturedFile, CommandCase, CommandJail, Data, Ending, ProcessOutcome, SpecError, rows,
};
use proptest::prelude::*;

// ---------------------------------------------------------------- helpers

/// A throwaway project with one spec at `jail/NAME.yaml`.
struct Project {
    root: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        Project {
            root: tempfile::Builder::new()
                .prefix("kaizen-test-")
                .tempdir()
                .unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn load(&self, name: &str, yaml: &str) -> Result<CommandJail, SpecError> {
        let spec = self.write(&format!("jail/{name}.yaml"), yaml);
        CommandJail::load(&spec, self.path())
    }
}

fn jail(yaml: &str) -> (Project, CommandJail) {
    let project = Project::new();
    let jail = project
        .load("t", yaml)
        .unwrap_or_else(|err| panic!("{err}"));
    (project, jail)
}

fn spec_error(yaml: &str) -> SpecError {
    match Project::new().load("bad", yaml) {
        Ok(_) => panic!("the spec loaded, but should not:\n{yaml}"),
        Err(err) => err,
    }
}

/// YAML single-quoted scalar.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A jail running one `sh -c SCRIPT` line, with extra spec lines.
fn sh_jail(script: &str, extra: &str) -> (Project, CommandJail) {
    jail(&format!(
        "command: [sh, -c, {}, sh]\n{extra}\ncases:\n  - args: []\n",
        quoted(script)
    ))
}

fn run_sh(script: &str, case: &CommandCase) -> ProcessOutcome {
    let (_project, jail) = sh_jail(script, "timeout: 5s");
    jail.run(case)
}

fn text(data: &Data) -> &str {
    std::str::from_utf8(data.as_bytes()).unwrap()
}

/// True while a process with this pid exists and is not a zombie.
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => false,
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        }
    }
}

fn gone_soon(pid: u32) -> bool {
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

// ---------------------------------------------------------------- spec parsing

#[test]
fn a_full_spec_loads_with_its_name_and_cases_in_file_order() {
    let project = Project::new();
    project.write("jail/data/in.csv", "a,1\r\nb,2\n");
    let jail = project
        .load(
            "report",
            r#"
command: [python3, "{jail}/report.py", --currency, EUR]
shell: false
cwd: null
env: {LANGUAGE: en}
inherit_env: [HOME]
timeout: 2m
capture:
  files: ["out/*.csv", "**/*.txt"]
  limit: 64KiB
scrub:
  - regex: '\d{4}-\d{2}-\d{2}'
    replace: '[date]'
cases:
  - args: [--month, "2024-03", 7, true]
    stdin: "widget,3,9.99\n"
    env: {DISCOUNT: "5"}
    files: {"orders.csv": "id,qty\n1,2\n", "sub/x.bin": {bytes: "\\xff"}}
  - args: [--month, "2024-04"]
    stdin_file: data/in.csv
combinations:
  args: [[--csv, --text], ["0", "12", "-1"]]
  stdin: "shared\n"
"#,
        )
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(jail.name(), "report");
    assert_eq!(jail.timeout(), Duration::from_secs(120));
    let cases = jail.cases();
    assert_eq!(cases.len(), 2 + 6);
    assert_eq!(cases[0].args, ["--month", "2024-03", "7", "true"]);
    assert_eq!(cases[0].stdin, Some(Data::from("widget,3,9.99\n")));
    assert_eq!(cases[0].env["DISCOUNT"], "5");
    assert_eq!(cases[0].files["sub/x.bin"], Data::from(vec![0xff]));
    assert_eq!(
        cases[1].stdin,
        Some(Data::from("a,1\r\nb,2\n")),
        "stdin_file content, line endings kept"
    );
    let combos: Vec<Vec<String>> = cases[2..].iter().map(|c| c.args.clone()).collect();
    assert_eq!(
        combos,
        [
            ["--csv", "0"],
            ["--csv", "12"],
            ["--csv", "-1"],
            ["--text", "0"],
            ["--text", "12"],
            ["--text", "-1"],
        ]
        .map(|row| row.map(String::from).to_vec())
    );
    assert!(
        cases[2..]
            .iter()
            .all(|c| c.stdin == Some(Data::from("shared\n")))
    );
}

#[test]
fn a_duration_that_is_not_one_names_file_line_field_and_the_fix() {
    let err = spec_error("command: [prog]\n# comment\ntimeout: 10 seconds\ncases: [{args: []}]\n");
    assert_eq!(err.line, Some(3));
    assert_eq!(err.field, "timeout");
    assert_eq!(
        err.to_string(),
        r#"jail/bad.yaml:3: field "timeout": "10 seconds" is not a duration; write e.g. "500ms", "10s" or "2m""#
    );
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let err = spec_error("command: [prog]\ncases:\n  - args: []\n    stdn: hi\n");
    assert_eq!(err.line, Some(4));
    assert_eq!(err.field, "cases[0].stdn");
    assert!(err.message.contains("unknown field `stdn`"), "{err}");
    assert_eq!(err.hint, "remove it or fix its spelling", "{err:?}");
}

#[test]
fn a_missing_command_says_how_to_write_one() {
    let err = spec_error("cases: [{args: []}]\n");
    assert!(err.message.contains("missing field `command`"), "{err}");
    assert!(err.hint.contains("command: [python3"), "{err}");
    assert!(err.to_string().starts_with("jail/bad.yaml:"), "{err}");
}

#[test]
fn an_empty_command_is_refused() {
    let err = spec_error("cases: [{args: []}]\ncommand: []\n");
    assert_eq!((err.line, err.field.as_str()), (Some(2), "command"));
    assert_eq!(err.message, "names no program");
    assert!(err.hint.contains("command: [python3"), "{err}");
}

#[test]
fn shell_true_with_a_list_of_several_elements_is_refused() {
    let err = spec_error("command: [ls, -l]\nshell: true\ncases: [{args: []}]\n");
    assert_eq!((err.line, err.field.as_str()), (Some(1), "command"));
    assert!(err.message.contains("needs one script string"), "{err}");
    assert!(err.hint.contains("as one string"), "{err}");
}

#[test]
fn a_command_string_without_shell_true_is_refused() {
    let err = spec_error("command: ls -l\ncases: [{args: []}]\n");
    assert!(err.message.contains("run without a shell"), "{err}");
    assert!(err.hint.contains("shell: true"), "{err}");
}

#[test]
fn a_bad_scrub_regex_names_the_scrub_entry_and_its_line() {
    let err = spec_error(
        "command: [prog]\nscrub:\n  - regex: 'ok'\n    replace: x\n  - regex: '(unclosed'\n    replace: x\ncases: [{args: []}]\n",
    );
    assert_eq!((err.line, err.field.as_str()), (Some(5), "scrub[1].regex"));
    assert!(
        err.message.contains("'(unclosed' is not a valid regex"),
        "{err}"
    );
    assert!(err.hint.contains("fix the pattern"), "{err}");
}

#[test]
fn a_bad_capture_glob_is_refused_with_an_example() {
    let err = spec_error("command: [prog]\ncapture:\n  files: ['out/[a-']\ncases: [{args: []}]\n");
    assert_eq!(
        (err.line, err.field.as_str()),
        (Some(3), "capture.files[0]")
    );
    assert!(err.message.contains("is not a valid glob"), "{err}");
    assert!(err.hint.contains("out/*.csv"), "{err}");
}

#[test]
fn a_capture_glob_that_climbs_out_is_refused() {
    let err = spec_error("command: [prog]\ncapture:\n  files: ['../*.txt']\ncases: [{args: []}]\n");
    assert_eq!(err.field, "capture.files[0]");
    assert!(err.message.contains("climbs out"), "{err}");
}

#[test]
fn a_spec_without_cases_is_refused() {
    let err = spec_error("command: [prog]\n");
    assert_eq!(err.field, "cases");
    assert_eq!(err.message, "the spec has no cases");
    assert!(err.hint.contains("combinations"), "{err}");
}

#[test]
fn duplicate_cases_are_refused_naming_both() {
    let err = spec_error("command: [prog]\ncases:\n  - args: [a]\n  - args: [b]\n  - args: [a]\n");
    assert_eq!((err.line, err.field.as_str()), (Some(5), "cases[2]"));
    assert!(err.message.contains("cases[2] repeats cases[0]"), "{err}");
    assert!(err.hint.contains("must differ"), "{err}");
}

#[test]
fn a_combination_that_repeats_an_explicit_case_is_refused() {
    let err =
        spec_error("command: [prog]\ncases:\n  - args: [x]\ncombinations:\n  args: [[x, y]]\n");
    assert_eq!((err.line, err.field.as_str()), (Some(4), "combinations"));
    assert!(
        err.message.contains("combination 1 repeats cases[0]"),
        "{err}"
    );
}

#[test]
fn case_files_may_not_escape_the_case_directory() {
    let err = spec_error("command: [prog]\ncases:\n  - files: {'../evil': x}\n");
    assert_eq!(err.line, Some(3));
    assert!(err.field.starts_with("cases[0].files"), "{err}");
    assert!(err.message.contains("climbs out"), "{err}");
    assert!(err.hint.contains("remove the `..`"), "{err}");
    let err = spec_error("command: [prog]\ncases:\n  - files: {'/etc/passwd': x}\n");
    assert!(err.message.contains("is an absolute path"), "{err}");
}

#[test]
fn stdin_and_stdin_file_together_are_refused() {
    let err =
        spec_error("command: [prog]\ncases:\n  - args: [a]\n  - stdin: x\n    stdin_file: f.txt\n");
    assert_eq!((err.line, err.field.as_str()), (Some(4), "cases[1]"));
    assert!(
        err.message.contains("both `stdin` and `stdin_file`"),
        "{err}"
    );
}

#[test]
fn a_jail_name_must_be_a_plain_word() {
    let project = Project::new();
    let spec = project.write(
        "jail/my report.yaml",
        "command: [prog]\ncases: [{args: []}]\n",
    );
    let err = CommandJail::load(&spec, project.path()).unwrap_err();
    assert!(err.message.contains("not a usable jail name"), "{err}");
}

#[test]
fn a_float_argument_must_be_quoted() {
    let err = spec_error("command: [prog]\ncases:\n  - args: [1.50]\n");
    assert_eq!(err.field, "cases[0].args[0]");
    assert!(err.hint.contains("quotes"), "{err}");
}

// ---------------------------------------------------------------- combinations

#[test]
fn cartesian_rows_vary_the_last_position_fastest() {
    assert_eq!(
        rows(&[2, 3], false),
        vec![
            vec![0, 0],
            vec![0, 1],
            vec![0, 2],
            vec![1, 0],
            vec![1, 1],
            vec![1, 2]
        ]
    );
    assert!(rows(&[2, 0], false).is_empty());
    assert_eq!(rows(&[3, 3, 3, 3], false).len(), 81);
}

#[test]
fn pairwise_rows_cover_every_pair_with_fewer_rows() {
    let sizes = [3, 3, 3, 3, 2];
    let found = rows(&sizes, true);
    assert!(found.len() < 3 * 3 * 3 * 3 * 2, "{} rows", found.len());
    assert!(found.len() <= 15, "{} rows", found.len());
    for i in 0..sizes.len() {
        for j in i + 1..sizes.len() {
            for a in 0..sizes[i] {
                for b in 0..sizes[j] {
                    assert!(
                        found.iter().any(|row| row[i] == a && row[j] == b),
                        "pair ({i}={a}, {j}={b}) missing"
                    );
                }
            }
        }
    }
}

#[test]
fn pairwise_combinations_expand_in_the_spec() {
    let (_p, jail) = jail(
        "command: [prog]\ncombinations:\n  args: [[a, b], [c, d], [e, f]]\n  pairwise: true\n",
    );
    let cases = jail.cases();
    assert!(cases.len() >= 4 && cases.len() < 8, "{}", cases.len());
}

// ---------------------------------------------------------------- running

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
    let root = _p.path().canonicalize().unwrap();
    assert!(
        env.contains(&format!("FROM_SPEC={}\n", root.display())),
        "{env}"
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
fn output_over_the_capture_limit_fails_the_case_with_a_clear_message() {
    let (_p, jail) = sh_jail("yes", "capture:\n  limit: 64KiB\ntimeout: 5s");
    let started = Instant::now();
    let outcome = jail.run(&jail.cases()[0]);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the flood was not stopped early"
    );
    assert_eq!(
        outcome.label(),
        "failed: stdout went over the capture limit of 64 KiB (65536 bytes), so the program was stopped; \
         raise `capture.limit` in the spec or make the case print less"
    );
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
    let root = project.path().canonicalize().unwrap();
    assert_eq!(
        text(&outcome.stdout),
        format!("{}/jail\ngiven", root.display())
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
    let root = project.path().canonicalize().unwrap();
    assert_eq!(
        text(&outcome.stdout),
        format!(
            "{}/jail\n{}\n[case_dir]/f\n",
            root.display(),
            root.display()
        )
    );
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

// ---------------------------------------------------------------- serialization

#[test]
fn a_command_case_round_trips_through_yaml_leaving_out_empty_fields() {
    let case = CommandCase::with_args(["--month", "2024-03", "007"]);
    let yaml = serde_yaml::to_string(&case).unwrap();
    assert_eq!(yaml, "args:\n- --month\n- 2024-03\n- '007'\n");
    assert_eq!(serde_yaml::from_str::<CommandCase>(&yaml).unwrap(), case);
    let mut full = case.clone();
    full.stdin = Some(Data::from(b"\xff\r\n".to_vec()));
    full.env.insert("A".into(), "true".into());
    full.files.insert("x/y.txt".into(), Data::from("line\r\n"));
    let yaml = serde_yaml::to_string(&full).unwrap();
    assert_eq!(
        serde_yaml::from_str::<CommandCase>(&yaml).unwrap(),
        full,
        "{yaml}"
    );
}

#[test]
fn an_outcome_serializes_as_a_mapping_beside_other_keys() {
    let outcome = ProcessOutcome {
        ending: Ending::Timeout(Duration::from_secs(2)),
        stdout: Data::from("partial\n"),
        stderr: Data::default(),
        files: BTreeMap::new(),
    };
    let yaml = serde_yaml::to_string(&outcome).unwrap();
    assert_eq!(yaml, "timeout: 2s\nstdout: |\n  partial\n");
    assert_eq!(outcome.label(), "timeout after 2s");
    assert_eq!(
        serde_yaml::from_str::<ProcessOutcome>(&yaml).unwrap(),
        outcome
    );
    let signal = ProcessOutcome {
        ending: Ending::Signal(9),
        ..outcome.clone()
    };
    let yaml = serde_yaml::to_string(&signal).unwrap();
    assert!(yaml.starts_with("signal: 9 (SIGKILL)\n"), "{yaml}");
    assert_eq!(
        serde_yaml::from_str::<ProcessOutcome>(&yaml).unwrap(),
        signal
    );
}

#[test]
fn byte_data_in_yaml_rejects_bad_escapes() {
    let err = serde_yaml::from_str::<Data>("bytes: 'a\\q'")
        .unwrap_err()
        .to_string();
    assert!(err.contains("only \\\\ and \\xNN are escapes"), "{err}");
    let err = serde_yaml::from_str::<Data>("bytes: 'a\\x4'")
        .unwrap_err()
        .to_string();
    assert!(err.contains("two hex digits"), "{err}");
}

fn awkward_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\\x41".to_vec()),
        Just(b"\\".to_vec()),
        Just(b" ".to_vec()),
        Just(b"- ".to_vec()),
        Just(b"#".to_vec()),
        Just("é\u{85}\u{2028}\u{feff}".as_bytes().to_vec()),
        any::<String>().prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(pieces, 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn any_bytes_round_trip_through_yaml_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let data = Data::from(bytes.clone());
        let yaml = serde_yaml::to_string(&data).unwrap();
        let back: Data = serde_yaml::from_str(&yaml).unwrap();
        prop_assert_eq!(back.as_bytes(), &bytes[..], "yaml was {}", yaml);
    }

    #[test]
    fn awkward_text_round_trips_through_yaml_exactly(bytes in awkward_bytes()) {
        let data = Data::from(bytes.clone());
        let yaml = serde_yaml::to_string(&data).unwrap();
        let back: Data = serde_yaml::from_str(&yaml).unwrap();
        prop_assert_eq!(back.as_bytes(), &bytes[..], "yaml was {}", yaml);
        prop_assert_eq!(Data::unescape(&data.escaped()).unwrap(), data);
    }
}

// ---------------------------------------------------------------- the demo

fn demo() -> CommandJail {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    CommandJail::load(&root.join("jail/report.yaml"), root).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_demo_report_spec_loads_explicit_cases_and_all_combinations() {
    let jail = demo();
    assert_eq!(jail.name(), "report");
    let cases = jail.cases();
    assert_eq!(cases.len(), 6 + 3 * 2 * 2);
    assert!(
        cases[0]
            .stdin
            .as_ref()
            .unwrap()
            .as_bytes()
            .starts_with(b"sku,qty,unit_price\n")
    );
    assert_eq!(
        cases[5].stdin,
        Some(Data::from(b"caf\xe9,2,3.50\r\n".to_vec()))
    );
    assert_eq!(
        cases[6].args,
        ["--currency", "EUR", "--discount", "0", "--format", "text"]
    );
}

#[test]
fn the_demo_report_runs_each_kind_of_case_as_described() {
    let jail = demo();
    let cases = jail.cases();
    let outcomes: Vec<ProcessOutcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases[..7]
            .iter()
            .map(|case| scope.spawn(|| jail.run(case)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let ordinary = &outcomes[0];
    assert_eq!(ordinary.label(), "exit 0", "{ordinary:?}");
    assert!(text(&ordinary.stdout).contains("INVOICE REPORT"));
    let CapturedFile::Content(summary) = &ordinary.files["out/summary.txt"] else {
        panic!()
    };
    assert!(
        text(summary).starts_with("generated=[timestamp]\nlines=3\n"),
        "{summary}"
    );

    assert!(
        !text(&outcomes[1].stdout).contains("discount:"),
        "exactly 100.00 gets no discount"
    );
    assert!(text(&outcomes[2].stdout).contains("discount: EUR 10.00 (10%)"));

    let large = &outcomes[3];
    assert_eq!(large.label(), "exit 0");
    assert!(text(&large.stderr).starts_with("warning: line 1: qty 1500 for bolt looks too large"));
    assert!(text(&large.stdout).starts_with("sku,qty,unit_price,line_total\n"));

    let bad = &outcomes[4];
    assert_eq!(bad.label(), "exit 2");
    assert_eq!(
        text(&bad.stderr),
        "error: line 1: qty 'three' is not a number\n"
    );
    assert!(bad.stdout.is_empty() && bad.files.is_empty());

    let latin1 = &outcomes[5];
    assert_eq!(latin1.label(), "exit 0");
    assert!(latin1.stdout.as_bytes().windows(4).any(|w| w == b"caf\xe9"));
    assert!(latin1.stdout.display().contains("caf\\xe9"));

    assert_eq!(outcomes[6].label(), "exit 0");
}
