//! Corrupt input: every kind of broken snapshot file gives a clear error naming the file and
//! (where there is one) the line, in every update mode, and the file is left byte for byte as
//! it was. A property test feeds random bytes and mutations of real snapshots to the loader
//! and to a full re-recording run: nothing panics, and nothing silently wrong is written.

use std::cell::Cell;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use kaizen::env::{DEFAULT_MAX_SNAPSHOT_SIZE, Environment, FUZZ_CASES, UpdateMode};
use kaizen::snapshot::{self, format};
use kaizen::verify::Written;
use kaizen::{Cases, Error, Jail};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::{Deserialize, Serialize};

#[path = "../support/mod.rs"]
mod support;
use support::{child_role, env, spawn_child, spawn_child_with};

/// A legacy function with a structured input, including an enum and an optional field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    qty: u32,
    code: Option<String>,
    kind: Kind,
    tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Kind {
    Plain,
    Discount(i64),
    Weighted { kg: f64 },
}

fn price(o: Order) -> Result<i64, String> {
    let base = i64::from(o.qty) * 100;
    match o.kind {
        Kind::Plain => Ok(base + o.tags.len() as i64),
        Kind::Discount(d) if d > base => Err(format!("discount {d} exceeds {base}")),
        Kind::Discount(d) => Ok(base - d),
        Kind::Weighted { kg } if kg < 0.0 => panic!("negative weight {kg}"),
        Kind::Weighted { kg } => {
            Ok(base + (kg * 10.0) as i64 + o.code.map_or(0, |c| c.len() as i64))
        }
    }
}

fn order_jail(dir: &Path) -> Jail<Order, Result<i64, String>> {
    Jail::new("orders", price).snapshot_dir(dir)
}

fn orders() -> Cases<Order> {
    let order = |qty, code: Option<&str>, kind, tags: &[&str]| Order {
        qty,
        code: code.map(Into::into),
        kind,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    Cases::new().list([
        order(1, None, Kind::Plain, &[]),
        order(3, Some("VIP"), Kind::Plain, &["a", "b c"]),
        order(2, Some("line\nbreak"), Kind::Discount(50), &[]),
        order(1, None, Kind::Discount(500), &["x"]),
        order(4, Some(""), Kind::Weighted { kg: 2.5 }, &[]),
        order(
            0,
            None,
            Kind::Weighted { kg: -1.0 },
            &["- not a case", "  returned: 3"],
        ),
        order(
            u32::MAX,
            Some("yes"),
            Kind::Weighted { kg: f64::NAN },
            &["~"],
        ),
    ])
}

fn pair_jail(dir: &Path) -> Jail<(u32, String), u64> {
    Jail::new("pairs", |(n, s): (u32, String)| {
        assert!(n != 13, "unlucky {s}");
        u64::from(n) * s.len() as u64
    })
    .snapshot_dir(dir)
}

fn pairs() -> Cases<(u32, String)> {
    Cases::new().combinations((
        vec![0u32, 1, 13, 4_000_000_000],
        vec![String::new(), "abc".into(), "multi\nline\n".into()],
    ))
}

/// The two jails under test, recorded once: (name, complete snapshot bytes).
fn real_snapshots() -> &'static [(&'static str, Vec<u8>); 2] {
    static REAL: OnceLock<[(&str, Vec<u8>); 2]> = OnceLock::new();
    REAL.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        order_jail(dir.path())
            .run_with(&orders(), env(UpdateMode::Always))
            .unwrap();
        pair_jail(dir.path())
            .run_with(&pairs(), env(UpdateMode::Always))
            .unwrap();
        let read = |name: &str| fs::read(dir.path().join(format!("{name}.snap"))).unwrap();
        [("orders", read("orders")), ("pairs", read("pairs"))]
    })
}

fn orders_text() -> String {
    String::from_utf8(real_snapshots()[0].1.clone()).unwrap()
}

/// Every mode a run can be in, CI included.
fn all_modes() -> Vec<Environment> {
    let mut modes = Vec::new();
    for mode in [
        UpdateMode::Auto,
        UpdateMode::New,
        UpdateMode::Always,
        UpdateMode::No,
    ] {
        for ci in [false, true] {
            modes.push(Environment {
                mode,
                ci,
                force_pass: false,
                ..Default::default()
            });
        }
    }
    modes
}

/// The names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Puts `bytes` in place of the `orders` snapshot and runs the jail in every mode: each run
/// must fail with a snapshot error naming the file (and `line`, if given) and containing
/// `says`, and leave the directory exactly as it was.
fn assert_refused_everywhere(bytes: &[u8], line: Option<usize>, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    fs::write(&path, bytes).unwrap();
    let before = listing(dir.path());
    for env in all_modes() {
        let err = order_jail(dir.path())
            .run_with(&orders(), env.clone())
            .expect_err("a corrupt snapshot must not pass");
        let message = err.to_string();
        match &err {
            Error::Snapshot {
                path: p, line: l, ..
            } => {
                assert_eq!(p, &path, "{message}");
                if line.is_some() {
                    assert_eq!(*l, line, "{message}");
                }
            }
            other => panic!("{env:?}: expected a snapshot error, got: {other}"),
        }
        let location = match line {
            Some(n) => format!("{}:{n}: ", path.display()),
            None => format!("{}: ", path.display()),
        };
        assert!(message.starts_with(&location), "{env:?}: {message}");
        assert!(message.contains(says), "{env:?}: {message}");
        assert!(message.contains("the file was left untouched"), "{message}");
        assert!(message.contains("hint: "), "{message}");
        assert_eq!(fs::read(&path).unwrap(), bytes, "{env:?} changed the file");
        assert_eq!(listing(dir.path()), before, "{env:?} left files behind");
    }
}

/// The 1-based line of the first line of `text` equal to `wanted`.
fn line_of(text: &str, wanted: &str) -> usize {
    text.lines().position(|l| l == wanted).unwrap() + 1
}

mod files;
mod fuzz;
mod names;
