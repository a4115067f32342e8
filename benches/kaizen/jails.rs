//! In-process jails: record, verify, the floor, peak memory and snapshot size.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use kaizen::env::{Environment, UpdateMode};
use kaizen::verify::Written;
use kaizen::{Cases, Jail};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::measure::{self, Peak};

/// A few arithmetic operations.
pub fn cheap((a, b): (u32, u32)) -> u64 {
    (u64::from(a) * 31 + u64::from(b)) ^ 0x5bd1
}

/// String formatting and a small loop.
pub fn moderate((n, word): (u32, String)) -> String {
    let mut out = String::new();
    for i in 0..(n % 5 + 1) {
        let _ = write!(out, "{word}-{i}.");
    }
    format!("{} {out}", out.len())
}

/// A small struct, as a legacy function's parameter object often is.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Order {
    pub id: u32,
    pub sku: String,
    pub qty: u16,
    pub express: bool,
}

/// A price from a small struct: a few branches.
pub fn priced(order: Order) -> u64 {
    let unit = if order.sku.ends_with('7') { 1_999 } else { 499 };
    let total = unit * u64::from(order.qty);
    if order.express { total * 2 - 1 } else { total }
}

pub fn struct_inputs(n: usize) -> Vec<Order> {
    (0..n as u32)
        .map(|i| Order {
            id: i,
            sku: format!("sku{}", i % 997),
            qty: (i % 40) as u16,
            express: i % 3 == 0,
        })
        .collect()
}

pub fn cheap_inputs(n: usize) -> Vec<(u32, u32)> {
    (0..n as u32)
        .map(|i| (i, i.wrapping_mul(2_654_435_761) >> 12))
        .collect()
}

pub fn moderate_inputs(n: usize) -> Vec<(u32, String)> {
    (0..n as u32)
        .map(|i| (i, format!("w{}", i % 997)))
        .collect()
}

/// The environment of a local `cargo test` run: records a missing snapshot, verifies one
/// that exists.
pub fn local() -> Environment {
    Environment {
        mode: UpdateMode::Auto,
        ci: false,
        force_pass: false,
        ..Default::default()
    }
}

/// One row of the in-process table.
pub struct Row {
    pub workload: &'static str,
    pub floor: Duration,
    pub record: Duration,
    pub verify: Duration,
    pub snapshot_bytes: u64,
    pub record_peak: Option<Peak>,
    pub verify_peak: Option<Peak>,
}

/// Measures one workload at one size.
pub fn measure<I, O>(
    workload: &'static str,
    f: fn(I) -> O,
    inputs: &[I],
    reps: usize,
    dir: &Path,
    memory: bool,
) -> Row
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    let n = inputs.len();
    let name = format!("{workload}_{n}");
    let jail = Jail::new(name.clone(), f).snapshot_dir(dir);
    let cases = Cases::new().list(inputs.iter().cloned());
    let snapshot = dir.join(format!("{name}.snap"));

    let mut floor = || {
        measure::time(|| {
            let outputs: Vec<O> = inputs.iter().map(|i| f(i.clone())).collect();
            black_box(serde_yaml::to_string(&outputs).expect("floor YAML"))
        })
        .0
    };
    let mut record = || {
        let _ = std::fs::remove_file(&snapshot);
        let (t, verdict) = measure::time(|| jail.run_with(&cases, local()).expect("record"));
        assert!(matches!(verdict.written, Written::Recorded(_)));
        t
    };
    let mut verify = || {
        if !snapshot.exists() {
            jail.run_with(&cases, local()).expect("record");
        }
        let (t, verdict) = measure::time(|| jail.run_with(&cases, local()).expect("verify"));
        assert!(verdict.passed() && verdict.same == n, "{verdict:?}");
        t
    };
    let medians = measure::interleaved(reps, &mut [&mut floor, &mut record, &mut verify]);
    let snapshot_bytes = std::fs::metadata(&snapshot).map(|m| m.len()).unwrap_or(0);
    let (record_peak, verify_peak) = if memory {
        let dir_arg = dir.display().to_string();
        let n_arg = n.to_string();
        let peak = |phase: &str| measure::child_peak(&[workload, phase, &n_arg, &dir_arg]);
        let record_dir = tempfile::tempdir().expect("temp dir");
        let record_arg = record_dir.path().display().to_string();
        let record_peak = measure::child_peak(&[workload, "record", &n_arg, &record_arg]);
        (Some(record_peak), Some(peak("verify")))
    } else {
        (None, None)
    };
    Row {
        workload,
        floor: medians[0],
        record: medians[1],
        verify: medians[2],
        snapshot_bytes,
        record_peak,
        verify_peak,
    }
}

/// In the child process: `WORKLOAD PHASE N DIR`; the snapshot of `verify` exists in DIR.
pub fn child(args: &[String]) {
    let [workload, phase, n, dir] = args else {
        panic!("child arguments: WORKLOAD PHASE N DIR, got {args:?}");
    };
    let n: usize = n.parse().expect("a case count");
    let dir = Path::new(dir);
    match workload.as_str() {
        "cheap" => child_run("cheap", cheap, cheap_inputs(n), phase, dir),
        "moderate" => child_run("moderate", moderate, moderate_inputs(n), phase, dir),
        "struct" => child_run("struct", priced, struct_inputs(n), phase, dir),
        other => panic!("unknown workload {other}"),
    }
}

fn child_run<I, O>(workload: &str, f: fn(I) -> O, inputs: Vec<I>, phase: &str, dir: &Path)
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    let n = inputs.len();
    let jail = Jail::new(format!("{workload}_{n}"), f).snapshot_dir(dir);
    // The cases are the user's data, built before the measured call.
    let cases = Cases::new().list(inputs);
    measure::report_peak(|| {
        let verdict = jail.run_with(&cases, local()).expect("run");
        let expected = if phase == "record" {
            matches!(verdict.written, Written::Recorded(_))
        } else {
            verdict.passed() && verdict.same == n
        };
        assert!(expected, "{phase}: {verdict:?}");
    });
}
