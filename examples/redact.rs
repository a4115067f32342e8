//! Redactions: a legacy function whose output holds a clock and generated ids is
//! characterized with those places replaced by named placeholders.
//!
//! Run it with `cargo run --example redact --features redact`; `tests/examples_run.rs` runs
//! it too and checks what it prints.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Jail, report};
use serde::Serialize;

#[derive(Serialize)]
struct Receipt {
    id: u64,
    printed_at: u64,
    lines: Vec<Line>,
    note: String,
    total_cents: u32,
}

#[derive(Serialize)]
struct Line {
    id: u64,
    cents: u32,
}

/// The legacy code: ids from a global counter, the wall clock in the output and in a note.
fn legacy_receipt(prices: Vec<u32>) -> Receipt {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1000);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    Receipt {
        id,
        printed_at: now,
        lines: prices
            .iter()
            .map(|&cents| Line {
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                cents,
            })
            .collect(),
        note: format!("receipt #{id}, printed at {now}"),
        total_cents: prices.iter().sum(),
    }
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kaizen-redact-{}", std::process::id()));
    let local = Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    let cases = Cases::new().list([vec![], vec![250], vec![250, 199]]);

    // redact
    let jail = Jail::new("receipt", legacy_receipt)
        .redact(".id", "[id]")
        .redact(".printed_at", "[timestamp]")
        .redact(".lines[].id", "[line id]")
        .redact_regex(r"#\d+", "#[id]")
        .redact_regex(r"at \d{10}", "at [timestamp]");
    // end redact
    let jail = jail.snapshot_dir(&dir);

    let recorded = jail.run_with(&cases, local.clone()).expect("recorded");
    println!("{}", report::summary(&recorded));
    let again = jail.run_with(&cases, local).expect("verified");
    println!("{}", report::summary(&again));
    let snapshot = std::fs::read_to_string(dir.join("receipt.snap")).expect("recorded");
    let header = &snapshot[snapshot.find("  redactions:").expect("listed")..];
    let last_case = &snapshot[snapshot.rfind("- input:").expect("a case")..];
    println!("== header\n{}", &header[..header.find("---").expect("end")]);
    println!("== the last case\n{last_case}");
    std::fs::remove_dir_all(&dir).ok();
}
