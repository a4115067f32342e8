//! The command line itself: help texts, the version, invalid invocations.

use crate::harness::Project;

#[test]
fn every_subcommand_help_shows_an_example() {
    let project = Project::empty();
    let table: &[(&[&str], &str)] = &[
        (&["--help"], "kaizen init && kaizen record && kaizen verify"),
        (&["init", "--help"], "kaizen init"),
        (&["record", "--help"], "kaizen record report --runs 3"),
        (
            &["verify", "--help"],
            "kaizen verify report --format junit > kaizen.xml",
        ),
        (&["accept", "--help"], "kaizen accept report"),
        (&["reject", "--help"], "kaizen reject report"),
        (&["list", "--help"], "kaizen list"),
        (&["help", "verify"], "kaizen verify"),
    ];
    for (args, example) in table {
        let out = project.kaizen(*args).run();
        out.code(0).quiet();
        let text = out.stdout();
        let at = text
            .find("Example")
            .unwrap_or_else(|| panic!("no Example in `kaizen {}`:\n{text}", args.join(" ")));
        assert!(
            text[at..].contains(example),
            "{args:?}: {example:?} missing\n{text}"
        );
        assert!(text.starts_with(|c: char| c.is_uppercase()), "{text}");
    }
    assert_eq!(
        project.files(""),
        Vec::<String>::new(),
        "help wrote nothing"
    );
}

#[test]
fn help_documents_the_exit_codes() {
    let project = Project::empty();
    project
        .kaizen(["--help"])
        .run()
        .code(0)
        .stdout_has("Exit codes: 0 behaviour unchanged, 1 behaviour changed, 2 usage/spec/snapshot error,\n3 snapshot missing on CI, 4 mutation score below --min-score, 70 internal error, 74 output not written,\n141 output closed early; 130/143/129 interrupted (Ctrl-C, SIGTERM, SIGHUP: running cases are stopped first).");
}

#[test]
fn version_prints_the_crate_version() {
    Project::empty()
        .kaizen(["--version"])
        .run()
        .code(0)
        .stdout_is(&format!("kaizen {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn invalid_command_lines_exit_2_and_say_what_is_wrong() {
    let project = Project::new("greet");
    let table: &[(&[&str], &str)] = &[
        (&[], "Usage: kaizen"),
        (&["bogus"], "unrecognized subcommand 'bogus'"),
        (&["record", "--runs", "0"], "--runs must be at least 1"),
        (&["record", "--runs", "-1"], "unexpected argument '-1'"),
        (&["record", "--runs", "many"], "'--runs <N>'"),
        (
            &["verify", "--format", "xml"],
            "[possible values: human, json, junit, html, markdown]",
        ),
        (&["verify", "--jobs", "x"], "'--jobs <N>'"),
        (
            &["--color", "sometimes", "verify"],
            "[possible values: auto, always, never]",
        ),
        (&["verify", "--bogus"], "unexpected argument '--bogus'"),
        (&["init", "extra"], "unexpected argument 'extra'"),
        (&["list", "greet"], "unexpected argument 'greet'"),
        (&["verify", "../greet"], "../greet"),
        (&["accept", "a/b"], "a/b"),
    ];
    for (args, message) in table {
        let out = project.kaizen(*args).run();
        out.code(2).stdout_is("").stderr_has(message);
    }
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

#[test]
fn zero_jobs_is_refused_with_a_clear_error() {
    let project = Project::new("greet");
    for args in [
        &["verify", "-j", "0"][..],
        &["record", "--jobs", "0"],
        &["-j0", "verify"],
        &["port", "-j", "0"],
    ] {
        project
            .kaizen(args)
            .run()
            .code(2)
            .stdout_is("")
            .stderr_has("0 cases at once would run nothing: give 1 or more");
    }
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

/// The options a subcommand's help offers.
fn offered(project: &Project, subcommand: &str) -> String {
    let out = project.kaizen([subcommand, "--help"]).run();
    out.code(0);
    out.stdout().to_string()
}

#[test]
fn each_subcommand_offers_only_the_options_it_uses() {
    let project = Project::new("greet");
    for subcommand in ["init", "list", "accept", "reject", "behaviours"] {
        let help = offered(&project, subcommand);
        assert!(!help.contains("--jobs"), "{subcommand}:\n{help}");
        assert!(!help.contains("--color"), "{subcommand}:\n{help}");
    }
    let help = offered(&project, "record");
    assert!(help.contains("--jobs"), "{help}");
    assert!(
        !help.contains("--color"),
        "record prints no report:\n{help}"
    );
    for subcommand in ["verify", "port"] {
        let help = offered(&project, subcommand);
        assert!(help.contains("-j, --jobs <N>"), "{subcommand}:\n{help}");
        assert!(help.contains("--color <WHEN>"), "{subcommand}:\n{help}");
    }
    assert!(offered(&project, "strength").contains("--color <WHEN>"));
}

#[test]
fn an_option_given_to_a_subcommand_that_ignores_it_is_refused() {
    let project = Project::new("greet");
    for (args, message) in [
        (&["init", "-j", "2"][..], "unexpected argument '-j'"),
        (
            &["list", "--color", "always"],
            "unexpected argument '--color'",
        ),
        (&["accept", "--jobs", "2"], "unexpected argument '--jobs'"),
        (
            &["record", "--color", "never"],
            "unexpected argument '--color'",
        ),
        (&["-j", "2", "init"], "`-j` does nothing for `kaizen init`"),
        (
            &["--color", "always", "list"],
            "`--color` does nothing for `kaizen list`",
        ),
    ] {
        project
            .kaizen(args)
            .run()
            .code(2)
            .stdout_is("")
            .stderr_has(message);
    }
    assert_eq!(project.files(""), ["jail"], "nothing was created");
}

#[test]
fn jobs_and_color_work_before_or_after_the_subcommand() {
    let project = Project::new("greet");
    project.kaizen(["-j", "1", "record"]).run().code(0);
    project.kaizen(["record", "-j", "1"]).run().code(0);
    project
        .kaizen(["--color", "never", "-j2", "verify"])
        .run()
        .code(0)
        .stdout_is("count: 3 cases — all same\ngreet: 2 cases — all same\n");
}
