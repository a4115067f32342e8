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
            "[possible values: human, json, junit]",
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
