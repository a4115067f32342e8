//! An isolated jail: legacy code that exits, aborts or hangs is characterized like any other,
//! because each case runs in a child process.
//!
//! Run it with `cargo run --example isolated`; `tests/examples_run.rs` runs it too and checks
//! what it prints. The child processes are this program run again: everything before the
//! jail runs once per case, so keep it cheap and the same on every run.

use std::time::Duration;

use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Jail, report};

/// A legacy batch routine in the old style: bad input ends the process.
fn legacy_batch_count(orders: u32) -> u32 {
    if orders == 0 {
        eprintln!("FATAL: empty batch");
        std::process::exit(2);
    }
    if orders > 1_000_000 {
        std::process::abort(); // "cannot happen"
    }
    if orders == 13 {
        // Waits forever for a lock file nobody writes.
        std::thread::sleep(Duration::from_secs(3600));
    }
    orders.div_ceil(50)
}

fn main() {
    // A fixed folder (not a fresh temporary one): the child processes run this code too.
    let dir = std::env::temp_dir().join("kaizen-example-isolated");
    std::fs::create_dir_all(&dir).expect("create the snapshot folder");

    let jail = Jail::new("batch_count", legacy_batch_count)
        .isolated()
        .timeout(Duration::from_secs(2))
        .snapshot_dir(&dir);
    let cases = Cases::new().list([0, 1, 13, 50, 51, 2_000_000]);

    let record = Environment {
        mode: UpdateMode::Always,
        ..Environment::default()
    };
    let recorded = jail.run_with(&cases, record).expect("record");
    println!("{}", report::summary(&recorded));
    let snapshot = std::fs::read_to_string(dir.join("batch_count.snap")).expect("the snapshot");
    let body = &snapshot[snapshot.find("\n---\n").expect("a header") + 5..];
    print!("{body}");

    let verified = jail
        .run_with(&cases, Environment::default())
        .expect("verify");
    println!("{}", report::summary(&verified));
}
