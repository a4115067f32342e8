//! Bad specs, corrupt snapshots, missing jails: exit 2 with a message that names the
//! file, and nothing written.

use crate::harness::Project;

/// Bad specs and the exact first line of the error each one gives.
const BAD_SPECS: &[(&str, &str)] = &[
    (
        "command: [sh]\ntimeout: 10 parsecs\ncases: []\n",
        r#"error: jail/bad.yaml:2: field "timeout": "10 parsecs" is not a duration; write e.g. "500ms", "10s" or "2m""#,
    ),
    (
        "command: [sh]\ncases:\n  - args: [a]\n    stdn: x\n",
        r#"error: jail/bad.yaml:4: field "cases[0].stdn": unknown field `stdn`, expected one of `args`, `stdin`, `stdin_file`, `env`, `files`; remove it or fix its spelling"#,
    ),
    (
        "command: [sh]\ncases:\n  - args: []\n  - args: {a: 1}\n",
        r#"error: jail/bad.yaml:4: field "cases[1].args": invalid type: map, expected a sequence; write the value in the form the message expects"#,
    ),
    (
        "command: [sh]\nscrub:\n  - regex: '(['\n    replace: x\ncases:\n  - args: []\n",
        r#"error: jail/bad.yaml:3: field "scrub[0].regex": '([' is not a valid regex (error: unclosed character class); fix the pattern; in YAML single quotes a backslash needs no doubling"#,
    ),
    (
        "timeout: 1s\ncases:\n  - args: []\n",
        r#"error: jail/bad.yaml:1: missing field `command`; add e.g. `command: [python3, "{jail}/program.py"]`"#,
    ),
];

#[test]
fn a_bad_spec_exits_2_naming_the_file_the_line_and_the_field() {
    let project = Project::new("greet");
    for (spec, message) in BAD_SPECS {
        project.write("jail/bad.yaml", spec);
        for command in ["record", "verify"] {
            let out = project.kaizen([command, "bad"]).run();
            out.code(2).stdout_is("");
            assert_eq!(
                out.stderr().lines().next(),
                Some(*message),
                "{out}\nspec:\n{spec}"
            );
        }
        assert_eq!(project.files("snapshots"), Vec::<String>::new(), "{spec}");
    }
}

#[test]
fn a_bad_spec_fails_the_run_but_the_other_jails_still_run() {
    let project = Project::new("greet");
    project.write("jail/bad.yaml", BAD_SPECS[0].0);
    project
        .kaizen(["record"])
        .run()
        .code(2)
        .stdout_is(
            "count: recorded 3 cases to snapshots/count.snap\n\
             greet: recorded 2 cases to snapshots/greet.snap\n",
        )
        .stderr_has("jail/bad.yaml:2: field \"timeout\"");
    project
        .kaizen(["verify"])
        .run()
        .code(2)
        .stdout_is("count: 3 cases — all same\ngreet: 2 cases — all same\n")
        .stderr_has("jail/bad.yaml:2: field \"timeout\"");
    assert_eq!(project.files("snapshots"), ["count.snap", "greet.snap"]);
}

#[test]
fn a_corrupt_snapshot_exits_2_names_the_file_and_is_left_untouched() {
    let project = Project::new("greet");
    project.kaizen(["record", "greet"]).run().code(0);
    let good = project.read("snapshots/greet.snap");
    let garbage_line = good.lines().count() + 1;
    let corruptions = [
        (
            format!("{good}garbage\n"),
            format!(
                "snapshots/greet.snap:{garbage_line}: expected a case starting with `- input:`"
            ),
        ),
        (
            String::new(),
            "snapshots/greet.snap: the file is empty".into(),
        ),
        (
            good.replacen("kaizen: 1\n", "kaizen: 99\n", 1),
            format!(
                "snapshots/greet.snap:{}: the snapshot uses format version 99, this kaizen reads version 1",
                good.lines().position(|l| l.trim() == "kaizen: 1").unwrap() + 1
            ),
        ),
    ];
    for (text, message) in corruptions {
        project.write("snapshots/greet.snap", &text);
        for command in ["verify", "record"] {
            let out = project.kaizen([command, "greet"]).run();
            out.code(2)
                .stdout_is("")
                .stderr_has(&message)
                .stderr_has("the file was left untouched");
            assert_eq!(project.read("snapshots/greet.snap"), text, "{out}");
            assert_eq!(project.files("snapshots"), ["greet.snap"], "{out}");
        }
        project
            .kaizen(["verify", "greet"])
            .ci()
            .run()
            .code(2)
            .stderr_has(&message);
    }
}

#[test]
fn a_jail_that_does_not_exist_exits_2_and_points_to_list() {
    let project = Project::new("greet");
    for command in ["record", "verify"] {
        project
            .kaizen([command, "nosuch"])
            .run()
            .code(2)
            .stdout_is("")
            .stderr_has("no jail named `nosuch`")
            .stderr_has("`kaizen list` shows the jails");
    }
}

#[test]
fn a_folder_without_jails_exits_2_and_suggests_init() {
    let project = Project::empty();
    for command in ["record", "verify", "list"] {
        project
            .kaizen([command])
            .run()
            .code(2)
            .stderr_has("cannot read the jail folder")
            .stderr_has("run `kaizen init`");
    }
    std::fs::create_dir(project.path("jail")).unwrap();
    project
        .kaizen(["verify"])
        .run()
        .code(2)
        .stderr_has("no jail specs (*.yaml) in");
    assert!(!project.exists("snapshots"));
}

#[test]
fn a_program_that_cannot_start_is_a_spec_error_not_recorded_behaviour() {
    let project = Project::new("greet");
    project.write(
        "jail/missing.yaml",
        "command: [\"{root}/target/debug/no_such_program\"]\ncases:\n  - args: [\"1\"]\n",
    );
    for command in ["record", "verify"] {
        let out = project.kaizen([command, "missing"]).run();
        out.code(2)
            .stdout_is("")
            .stderr_has("jail/missing.yaml: the case [\"1\"] could not be run: cannot start ")
            .stderr_has("no_such_program: No such file or directory")
            .stderr_has("check `command` in the spec");
    }
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

#[test]
fn an_output_flood_is_recorded_as_cut_and_the_other_cases_are_recorded_too() {
    let project = Project::new("greet");
    // Like busybox `seq 1 0 3`: a case that never stops printing, among ordinary ones.
    project.write(
        "jail/flood.yaml",
        "command: [sh, -c, 'if [ \"$1\" = flood ]; then yes 12345; else echo \"$1\"; fi', sh]\n\
         capture:\n  limit: 1000\ntimeout: 20s\n\
         cases:\n  - args: [before]\n  - args: [flood]\n  - args: [after]\n",
    );
    project
        .kaizen(["record", "flood"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("flood: recorded 3 cases to snapshots/flood.snap\n");
    let snapshot = project.read("snapshots/flood.snap");
    let kept = "12345\n".repeat(1000 / 6) + "1234";
    let yaml_kept: String = kept.lines().map(|l| format!("    {l}\n")).collect();
    assert!(
        snapshot.contains(&format!(
            "- input:\n    args:\n    - flood\n  cut: stdout over 1000 bytes\n  stdout: |-\n{yaml_kept}"
        )),
        "{snapshot}"
    );
    assert!(snapshot.contains("    - after\n  exit: 0\n"), "{snapshot}");
    project
        .kaizen(["verify", "flood"])
        .run()
        .code(0)
        .stdout_is("flood: 3 cases — all same\n");
}

#[test]
fn a_recording_bigger_than_the_snapshot_limit_is_refused_naming_the_jail_and_the_biggest_cases() {
    let project = Project::new("greet");
    project.write(
        "jail/many.yaml",
        "command: [sh, -c, 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do head -c \"$1\" /dev/zero | tr \"\\\\0\" x > out$i.txt; done', sh]\ncapture:\n  files: [\"out*.txt\"]\n  limit: 100KiB\ncases:\n  - args: ['1000']\n  - args: ['90000']\n  - args: ['10']\n",
    );
    let run = project
        .kaizen(["record", "many"])
        .env("KAIZEN_MAX_SNAPSHOT_SIZE", "1M")
        .run();
    run.code(2)
        .stderr_has("many")
        .stderr_has("KAIZEN_MAX_SNAPSHOT_SIZE")
        .stderr_has("case 2");
    assert_eq!(
        project.files("snapshots"),
        Vec::<String>::new(),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_spec_named_like_a_windows_device_is_refused_before_any_case_runs() {
    let project = Project::empty();
    let ran = project.path("ran");
    // Plain words, so the command jail's own name rule lets them through; but no Windows
    // checkout can hold snapshots/con.snap.
    for name in ["con", "LPT1", "nul"] {
        project.write(
            &format!("jail/{name}.yaml"),
            format!(
                "command: [sh, -c, 'echo {name} >> \"{}\"']\ncases:\n  - args: []\n",
                ran.display()
            ),
        );
    }
    for command in ["record", "verify"] {
        let out = project.kaizen([command]).run();
        out.code(2);
        for name in ["con", "LPT1", "nul"] {
            out.stderr_has(&format!(
                "\"{name}\" cannot be a jail name: `{name}` is a device name on Windows"
            ));
        }
    }
    assert!(!ran.exists(), "a case ran: {}", project.read("ran"));
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

#[test]
fn a_case_capturing_more_than_the_per_case_total_is_refused_naming_the_jail_the_case_and_its_biggest_files()
 {
    let project = Project::new("greet");
    // Each file is within `capture.limit`; case 2's twelve add up to 1,080,000 bytes.
    project.write(
        "jail/many.yaml",
        "command: [sh, -c, 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do head -c \"$1\" /dev/zero | tr \"\\\\0\" x > out$i.txt; done; head -c 95000 /dev/zero > out7.txt', sh]\ncapture:\n  files: [\"out*.txt\"]\n  limit: 100KiB\n  total: 1MiB\ncases:\n  - args: ['1000']\n  - args: ['90000']\n  - args: ['10']\n",
    );
    let run = project.kaizen(["record", "many"]).run();
    run.code(2)
        .stderr_has("jail/many.yaml")
        .stderr_has("the case [\"90000\"] could not be run")
        .stderr_has("over `capture.total`, the per-case total of 1 MiB (1048576 bytes)")
        .stderr_has(
            "the biggest: out7.txt 95000 bytes, out1.txt 90000 bytes, out10.txt 90000 bytes,",
        )
        .stderr_has("raise `capture.total`");
    assert_eq!(
        project.files("snapshots"),
        Vec::<String>::new(),
        "{}",
        run.stderr()
    );
}
