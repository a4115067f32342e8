//! Unordered collections (`HashMap`, `HashSet`) iterate in another order in every process.
//! kaizen writes them in one canonical order, so the same inputs give one byte-identical
//! snapshot in every process, in process and through `.isolated()`, and every run verifies.

mod support;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use kaizen::env::UpdateMode::{Always, No};
use kaizen::{Cases, Jail};
use serde::{Deserialize, Serialize};

const TEST: &str = "unordered_collections_give_one_byte_identical_snapshot_in_fifty_processes";
const PROCESSES: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Shelf {
    stock: HashMap<String, u32>,
    tags: HashSet<String>,
}

/// A legacy routine whose input and output hold unordered collections.
fn restock(shelf: Shelf) -> (HashMap<u32, Vec<String>>, HashSet<String>) {
    let mut by_count: HashMap<u32, Vec<String>> = HashMap::new();
    for (item, count) in &shelf.stock {
        by_count.entry(count % 4).or_default().push(item.clone());
    }
    for items in by_count.values_mut() {
        items.sort();
    }
    let low: HashSet<String> = shelf
        .stock
        .iter()
        .filter(|(_, c)| **c < 5)
        .map(|(item, _)| format!("{item}!"))
        .chain(shelf.tags.iter().cloned())
        .collect();
    (by_count, low)
}

fn shelves() -> Vec<Shelf> {
    (0..3u32)
        .map(|k| Shelf {
            stock: (0..12u32)
                .map(|i| (format!("item{}", i * 7 + k), (i * 5 + k) % 11))
                .collect(),
            tags: (0..8).map(|i| format!("tag{}", i + k)).collect(),
        })
        .collect()
}

/// One process: records the jails in `own` and verifies them against `reference` (when
/// there is one yet).
fn one_process(own: &Path, reference: &Path) {
    let cases = Cases::new().list(shelves());
    let plain = Jail::new("restock", restock);
    let isolated = Jail::new("restock_isolated", restock).isolated();
    for jail in [plain.snapshot_dir(own), isolated.snapshot_dir(own)] {
        let verdict = jail.run_with(&cases, support::env(Always)).unwrap();
        assert!(
            verdict.passed(),
            "{}",
            kaizen::report::render(&verdict, false)
        );
    }
    if reference.join("restock.snap").exists() {
        for jail in [
            Jail::new("restock", restock).snapshot_dir(reference),
            Jail::new("restock_isolated", restock)
                .isolated()
                .snapshot_dir(reference),
        ] {
            let verdict = jail.run_with(&cases, support::env(No)).unwrap();
            // In an isolated jail's child every other jail returns an empty verdict.
            let served_elsewhere = std::env::var_os(kaizen::env::ISOLATED).is_some();
            assert!(
                verdict.passed() && (verdict.same == 3 || served_elsewhere),
                "{}",
                kaizen::report::render(&verdict, false)
            );
        }
    }
}

#[test]
fn unordered_collections_give_one_byte_identical_snapshot_in_fifty_processes() {
    if let Some((reference, own)) = support::child_role() {
        one_process(&own, Path::new(&reference));
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let reference = root.path().join("0");
    for k in 0..PROCESSES {
        let own = root.path().join(k.to_string());
        let out = support::spawn_child(TEST, &reference.display().to_string(), &own)
            .wait_with_output()
            .unwrap();
        assert!(
            out.status.success(),
            "process {k}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for name in ["restock.snap", "restock_isolated.snap"] {
            let first = std::fs::read(reference.join(name)).unwrap();
            let now = std::fs::read(own.join(name)).unwrap();
            assert!(
                first == now,
                "process {k} wrote another {name}:\n{}",
                String::from_utf8_lossy(&now)
            );
        }
    }
}
