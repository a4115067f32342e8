//! Recording twice: a first recording runs each case two times and refuses a case whose
//! output changed between the runs, naming the case and the redaction that hides it.
//!
//! Run it with `cargo run --example record_runs`; `tests/examples_run.rs` runs it too and
//! checks what it prints.

use std::time::{SystemTime, UNIX_EPOCH};

use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Jail, report};
use serde::Serialize;

#[derive(Serialize)]
struct Quote {
    cents: u32,
    valid_until: u128,
}

/// The legacy code: a price, and a validity computed from the wall clock.
fn legacy_quote(weight_kg: u32) -> Quote {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    Quote {
        cents: 499 + weight_kg * 150,
        valid_until: now + 86_400_000_000_000,
    }
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kaizen-record-runs-{}", std::process::id()));
    let local = Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    let cases = Cases::new().list([1, 20]);

    // record-runs
    let jail = Jail::new("quote", legacy_quote).snapshot_dir(&dir);
    match jail.run_with(&cases, local.clone()) {
        Err(refused) => println!("== refused\n{refused}"),
        Ok(verdict) => println!("== recorded?\n{}", report::summary(&verdict)),
    }
    let jail = jail.redact(".valid_until", "[time]");
    let recorded = jail.run_with(&cases, local).expect("recorded");
    println!("== redacted\n{}", report::summary(&recorded));
    // end record-runs
    std::fs::remove_dir_all(&dir).ok();
}
