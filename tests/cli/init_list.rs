//! `kaizen init` and `kaizen list`.

use std::process::Command;

use crate::harness::Project;

#[test]
fn init_in_an_empty_folder_creates_an_example_that_records_and_verifies() {
    let project = Project::empty();
    project
        .kaizen(["init"])
        .run()
        .code(0)
        .quiet()
        .stdout_is(
            "created jail/example.yaml\nnext: edit the spec, then `kaizen record` and commit snapshots/\n",
        );
    assert_eq!(project.files(""), ["jail", "snapshots"]);
    assert_eq!(project.files("jail"), ["example.yaml"]);
    assert_eq!(project.files("snapshots"), Vec::<String>::new());

    project
        .kaizen(["record"])
        .run()
        .code(0)
        .quiet()
        .stdout_is("example: recorded 2 cases to snapshots/example.snap\n");
    let snapshot = project.read("snapshots/example.snap");
    assert!(snapshot.contains("    hello, world\n"), "{snapshot}");
    assert!(snapshot.contains("    hello, kaizen\n"), "{snapshot}");
    project
        .kaizen(["verify"])
        .run()
        .code(0)
        .stdout_is("example: 2 cases — all same\n");
}

/// The command line's own messages show paths relative to the project root.
#[test]
fn init_with_root_creates_the_project_there() {
    let project = Project::empty();
    project
        .kaizen(["init", "--root", "sub/project"])
        .run()
        .code(0)
        .quiet()
        .stdout_is(
            "created jail/example.yaml\nnext: edit the spec, then `kaizen record` and commit snapshots/\n",
        );
    assert!(project.exists("sub/project/jail/example.yaml"));
    assert!(project.path("sub/project/snapshots").is_dir());
}

#[test]
fn init_twice_does_not_overwrite_the_example() {
    let project = Project::empty();
    project.kaizen(["init"]).run().code(0);
    let edited = project.read("jail/example.yaml").replace("hello, ", "hi, ");
    project.write("jail/example.yaml", &edited);
    project
        .kaizen(["init"])
        .run()
        .code(0)
        .stdout_is(
            "jail/example.yaml exists; left as it is\nnext: edit the spec, then `kaizen record` and commit snapshots/\n",
        );
    assert_eq!(project.read("jail/example.yaml"), edited);
    assert_eq!(project.files("jail"), ["example.yaml"]);
}

#[test]
fn list_shows_jails_case_counts_snapshots_and_pending_results() {
    let project = Project::new("greet");
    project.kaizen(["list"]).run().code(0).quiet().stdout_is(
        "count                3 cases        not recorded\n\
         greet                2 cases        not recorded\n",
    );

    project.kaizen(["record"]).run().code(0);
    project.edit("jail/greet.sh", "hello, $1", "hi, $1");
    project.kaizen(["verify"]).run().code(1);
    project.write(
        "snapshots/gone.snap.new",
        project.read("snapshots/greet.snap.new"),
    );
    project.kaizen(["list"]).run().code(0).quiet().stdout_is(
        "count                3 cases        recorded 3 cases in snapshots/count.snap\n\
         greet                2 cases        recorded 2 cases in snapshots/greet.snap · pending results (kaizen accept / reject)\n\
         gone                 (no spec)      not recorded · pending results (kaizen accept / reject)\n",
    );

    project.write("jail/bad.yaml", "command: [sh]\ntimeout: soon\ncases: []\n");
    let out = project.kaizen(["list"]).run();
    out.code(2).stdout_has(
        "bad                  spec error: jail/bad.yaml:2: field \"timeout\": \"soon\" is not a duration",
    );
}

#[test]
fn list_shows_the_snapshots_of_rust_jails_and_of_removed_specs_too() {
    let project = Project::new("greet");
    project.kaizen(["record"]).run().code(0);
    // A snapshot that `cargo test` recorded for a Rust jail.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    project.write(
        "snapshots/invoice_total.snap",
        std::fs::read(repo.join("snapshots/invoice_total.snap")).unwrap(),
    );
    std::fs::remove_file(project.path("jail/count.yaml")).unwrap();
    let out = project.kaizen(["list"]).run();
    out.code(0).quiet();
    let lines: Vec<&str> = out.stdout().lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert_eq!(
        lines[0],
        "greet                2 cases        recorded 2 cases in snapshots/greet.snap"
    );
    assert_eq!(
        lines[1],
        "count                (no spec)      recorded 3 cases in snapshots/count.snap"
    );
    assert!(
        lines[2].starts_with("invoice_total        (cargo test)   recorded "),
        "{out}"
    );
}

#[test]
fn list_says_1_case_not_1_cases() {
    let project = Project::new("bytes");
    project.kaizen(["record"]).run().code(0);
    project.kaizen(["list"]).run().code(0).stdout_is(
        "latin1               1 case         recorded 1 case in snapshots/latin1.snap\n",
    );
}

/// Ten values in each of twelve positions: 10¹² combinations.
fn explosive_spec(limit: &str) -> String {
    let positions = ["[a, b, c, d, e, f, g, h, i, j]"; 12].join(", ");
    format!("command: [echo]\ncombinations:\n{limit}  args: [{positions}]\n")
}

#[test]
fn a_spec_with_too_many_combinations_is_a_spec_error_naming_the_field_and_the_count() {
    let project = Project::empty();
    project.write("jail/huge.yaml", explosive_spec(""));
    for command in ["verify", "record", "list"] {
        let out = project.kaizen([command]).run();
        out.code(2);
        let all = format!("{}{}", out.stdout(), out.stderr());
        assert!(
            all.contains(
                "jail/huge.yaml:2: field \"combinations.args\": 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 × 10 values make 1000000000000 combinations, more than the limit of 2000000"
            ),
            "{command}: {out}"
        );
    }
}

#[test]
fn list_counts_a_trillion_combinations_in_little_memory() {
    let project = Project::empty();
    project.write(
        "jail/huge.yaml",
        explosive_spec("  max_cases: 1000000000000\n"),
    );
    // 300 MB of address space in all: a list that made the cases would die at once.
    let mut command = Command::new("sh");
    crate::harness::strip(&mut command);
    let out = command
        .args([
            "-c",
            "ulimit -v 300000 && exec \"$0\" list",
            crate::harness::KAIZEN,
        ])
        .current_dir(project.root())
        .env("TMPDIR", project.tmp())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "huge                 1,000,000,000,000 cases not recorded\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}
