//! A legacy program as a command jail: load `jail/report.yaml` and run one of its cases.
//!
//! `cargo run --example command_jail` prints the case and what the Python report did.
//! (`kaizen record` / `kaizen verify` do this for every case and compare with snapshots.)

use kaizen::jail::command::CommandJail;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let jail = match CommandJail::load(&root.join("jail/report.yaml"), root) {
        Ok(jail) => jail,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let cases = jail.cases();
    println!("jail `{}`: {} cases", jail.name(), cases.len());
    let case = &cases[1];
    println!("case: {}", case.summary());
    let outcome = jail.run(case);
    println!("ended: {}", outcome.label());
    print!(
        "{}",
        kaizen::snapshot::format::display_behaviour(
            &kaizen::snapshot::format::encode_behaviour(&outcome).expect("a mapping")
        )
    );
    println!();
}
