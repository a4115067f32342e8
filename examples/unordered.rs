//! Unordered collections: a legacy function returns a `HashMap`, whose iteration order is
//! drawn at random in every process. kaizen writes its entries in one canonical order, so
//! the snapshot is the same text in every run and the first run's recording verifies green.
//!
//! Run it with `cargo run --example unordered`; `tests/examples_run.rs` runs it twice (two
//! processes, two random orders) and checks that both print the same snapshot.

use std::collections::HashMap;

use kaizen::env::{Environment, UpdateMode};
use kaizen::{Cases, Jail, report};

/// The legacy code: counts the words of a line in a `HashMap`.
fn legacy_word_counts(line: String) -> HashMap<String, u32> {
    let mut counts = HashMap::new();
    for word in line.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

fn main() {
    let dir = std::env::temp_dir().join(format!("kaizen-unordered-{}", std::process::id()));
    let local = Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Default::default()
    };
    let cases = Cases::new().list([
        "the quick brown fox jumps over the lazy dog".to_string(),
        "to be or not to be".into(),
    ]);
    let jail = Jail::new("word_counts", legacy_word_counts).snapshot_dir(&dir);
    let recorded = jail.run_with(&cases, local.clone()).expect("recorded");
    println!("{}", report::summary(&recorded));
    let verified = jail.run_with(&cases, local).expect("verified");
    println!("{}", report::summary(&verified));
    let text = std::fs::read_to_string(dir.join("word_counts.snap")).expect("the snapshot");
    let body = &text[text.find("\n---\n").expect("a header") + 5..];
    println!("== body\n{body}");
    std::fs::remove_dir_all(&dir).ok();
}
