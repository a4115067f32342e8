//! Command jail tests: spec parsing.
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
fn args_and_env_values_reach_the_program_exactly_as_written() {
    let (_project, jail) = jail(
        "command: [sh, -c, 'printf \"%s|\" \"$@\" \"$MASK\" \"$ON\"', sh]\n\
         env: {MASK: 0x1F, ON: True}\n\
         cases:\n  - args: [0x1F, +5, 0o7, True, FALSE, -0, 1.50, 1e3, .inf, 012, '0x1F', \"+5\"]\n",
    );
    let case = &jail.cases()[0];
    let written = [
        "0x1F", "+5", "0o7", "True", "FALSE", "-0", "1.50", "1e3", ".inf", "012", "0x1F", "+5",
    ];
    assert_eq!(case.args, written);
    let outcome = jail.run(case);
    assert_eq!(
        text(&outcome.stdout),
        "0x1F|+5|0o7|True|FALSE|-0|1.50|1e3|.inf|012|0x1F|+5|0x1F|True|"
    );
}

#[test]
fn combination_values_and_case_env_values_are_kept_as_written() {
    let (_project, jail) = jail(
        "command: [prog]\ncases:\n  - env: {N: +5}\ncombinations:\n  args: [[0o7, 0x10], [yes, No]]\n",
    );
    let cases = jail.cases();
    assert_eq!(cases[0].env["N"], "+5");
    assert_eq!(cases[1].args, ["0o7", "yes"]);
    assert_eq!(cases[4].args, ["0x10", "No"]);
}

#[test]
fn an_empty_or_null_argument_is_refused() {
    for value in ["~", "null", ""] {
        let err = spec_error(&format!(
            "command: [prog]\ncases:\n  - args:\n      - a\n      - {value}\n"
        ));
        assert_eq!(err.field, "cases[0].args[1]", "{value}: {err}");
        assert!(err.hint.contains("\"\""), "{err}");
    }
}

#[test]
fn each_case_knows_the_spec_line_it_is_written_on() {
    let (_project, jail) = jail(
        "command: [prog]\ncases:\n  - args: [a]\n\n  - args: [b]\ncombinations:\n  args: [[x, y]]\n",
    );
    assert_eq!(jail.case_count(), 4);
    assert_eq!(jail.case_place(0), "jail/t.yaml:3");
    assert_eq!(jail.case_place(1), "jail/t.yaml:5");
    assert_eq!(jail.case_place(2), "jail/t.yaml:6, combination 1 of 2");
    assert_eq!(jail.case_place(3), "jail/t.yaml:6, combination 2 of 2");
}

#[test]
fn a_per_case_total_that_is_not_a_size_names_file_line_and_field() {
    let err = spec_error(
        "command: [prog]\ncapture:\n  files: ['*']\n  total: lots\ncases: [{args: []}]\n",
    );
    assert_eq!((err.line, err.field.as_str()), (Some(4), "capture.total"));
    assert!(err.message.contains("\"lots\" is not a size"), "{err}");
}

#[test]
fn a_per_case_total_below_the_capture_limit_is_refused_at_its_line() {
    let err = spec_error(
        "command: [prog]\ncapture:\n  limit: 1MiB\n  # one case in all\n  total: 64KiB\ncases: [{args: []}]\n",
    );
    assert_eq!((err.line, err.field.as_str()), (Some(5), "capture.total"));
    assert!(
        err.message
            .contains("64 KiB (65536 bytes) is less than `capture.limit`, 1 MiB (1048576 bytes)"),
        "{err}"
    );
}
