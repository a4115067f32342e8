//! CI runs (`CI` set): nothing is written unless `KAIZEN_UPDATE` says so.

use crate::harness::Project;

#[test]
fn verify_on_ci_without_a_snapshot_exits_3_and_says_how_to_record_it() {
    let project = Project::new("greet");
    let out = project.kaizen(["verify", "greet"]).ci().run();
    out.code(3)
        .stdout_is("")
        .stderr_has("error: greet: no snapshot at ")
        .stderr_has("snapshots/greet.snap and this run may not record one")
        .stderr_has("record it locally with `kaizen record greet`");
    assert!(!project.exists("snapshots/greet.snap"));
    assert!(!project.exists("snapshots/greet.snap.new"));
}

#[test]
fn verify_on_ci_with_one_snapshot_missing_still_verifies_the_others() {
    let project = Project::new("greet");
    project.kaizen(["record", "count"]).run().code(0);
    project
        .kaizen(["verify"])
        .ci()
        .run()
        .code(3)
        .stdout_is("count: 3 cases — all same\n")
        .stderr_has("kaizen record greet");
    assert_eq!(project.files("snapshots"), ["count.snap"]);
}

#[test]
fn ci_set_to_false_is_a_local_run() {
    let project = Project::new("greet");
    project
        .kaizen(["verify", "greet"])
        .env("CI", "false")
        .run()
        .code(0)
        .stdout_is("greet: recorded 2 cases to snapshots/greet.snap\n");
}

#[test]
fn record_on_ci_is_refused_with_exit_2() {
    let project = Project::new("greet");
    project
        .kaizen(["record"])
        .ci()
        .run()
        .code(2)
        .stdout_is("")
        .stderr_has("`kaizen record` writes snapshots, and CI runs never write them")
        .stderr_has("KAIZEN_UPDATE=always");
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

#[test]
fn record_on_ci_with_kaizen_update_always_records() {
    let project = Project::new("greet");
    project
        .kaizen(["record", "greet"])
        .ci()
        .env("KAIZEN_UPDATE", "always")
        .run()
        .code(0)
        .stdout_is("greet: recorded 2 cases to snapshots/greet.snap\n");
    assert_eq!(project.files("snapshots"), ["greet.snap"]);
}

#[test]
fn kaizen_update_no_writes_nothing_even_locally() {
    let project = Project::new("greet");
    project
        .kaizen(["verify", "greet"])
        .env("KAIZEN_UPDATE", "no")
        .run()
        .code(3)
        .stderr_has("kaizen record greet");
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

#[test]
fn an_unknown_kaizen_update_value_exits_2_naming_the_variable() {
    let project = Project::new("greet");
    for command in ["record", "verify"] {
        project
            .kaizen([command])
            .env("KAIZEN_UPDATE", "sometimes")
            .run()
            .code(2)
            .stderr_has("KAIZEN_UPDATE=\"sometimes\" is not a known update mode")
            .stderr_has("auto, new, always, no");
    }
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

#[test]
fn azure_pipelines_tf_build_is_a_ci_run_that_writes_nothing() {
    let project = Project::new("greet");
    project
        .kaizen(["verify", "greet"])
        .env("TF_BUILD", "True")
        .run()
        .code(3)
        .stderr_has("this run may not record one");
    assert_eq!(project.files("snapshots"), Vec::<String>::new());
}

#[test]
fn ci_set_to_false_wins_over_a_ci_system_variable() {
    let project = Project::new("greet");
    project
        .kaizen(["verify", "greet"])
        .env("CI", "false")
        .env("TF_BUILD", "True")
        .run()
        .code(0)
        .stdout_is("greet: recorded 2 cases to snapshots/greet.snap\n");
}
