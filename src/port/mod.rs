//! Porting a program: the legacy program and its port, run side by side on the same cases.
//!
//! A command jail's spec may name a second command, `port:`. [`compare`] runs the original
//! and the port on every case — the spec's listed cases and combinations, its generated
//! cases, and the inputs recorded in the jail's snapshot when there is one — each side in a
//! case directory of its own with the same files and environment, under the same scrub
//! rules, time limit and capture limit. It compares what they did exactly as snapshot
//! verification compares (stdout, stderr, exit code, captured files, timeouts) and returns
//! the same [`Verdict`], with the sides named `original` and `port`. Nothing is recorded.
//!
//! A generated case on which the two differ is shrunk ([`shrink`]): arguments dropped,
//! values simplified, stdin lines dropped and shortened, bytes simplified, while the two
//! still differ. Each shown difference carries a command line per side that reproduces it.

pub mod shrink;

use std::path::PathBuf;

use crate::Error;
use crate::env::Environment;
use crate::jail::command::CommandJail;
use crate::oracle::sides::SideBySide;
use crate::verify::{Baseline, Verdict};

/// How a port comparison runs.
pub struct PortRun<'a> {
    /// The jail's snapshot, whose recorded inputs are replayed too when it exists.
    pub snapshot: PathBuf,
    /// The environment (`INSTA_FORCE_PASS` lets a difference pass; nothing is written).
    pub env: Environment,
    /// Cases run at once, on each side.
    pub jobs: usize,
    /// Differing cases shown in full, shrunk and given reproduction lines.
    pub max_shown: usize,
    /// Called once per case run on either side (progress bars).
    pub tick: &'a (dyn Fn() + Sync),
}

/// Runs the original and the port of `jail` side by side and compares them. An error when
/// the spec names no port, or a case cannot be run on either side.
pub fn compare(jail: &CommandJail, run: &PortRun<'_>) -> Result<Verdict, Error> {
    let name = jail.name();
    let port = jail.port().ok_or_else(|| Error::Spec {
        message: format!(
            "the jail `{name}` names no port; add `port: [program, args…]` to its spec to compare a port with it"
        ),
    })?;
    let record_command = format!("kaizen record {name}");
    let hint = format!("re-record the snapshot with `{record_command}`");
    let sides = SideBySide {
        name,
        original: jail,
        other: &port,
        snapshot: run.snapshot.clone(),
        replay_recorded: true,
        jobs: run.jobs,
        max_shown: run.max_shown,
        baseline: Baseline::Port,
        record_command: &record_command,
        role: ("port", &hint),
        tick: run.tick,
    };
    let mut tried = shrink::Tried::new();
    sides.compare(
        jail.all_cases(),
        &run.env,
        &mut |input, origin, difference| {
            let minimal = shrink::shrink_into(jail, &port, origin, difference, &mut tried);
            let case = minimal.as_ref().unwrap_or(input);
            difference.reproduce = vec![
                ("original".to_string(), jail.reproduce(case)),
                ("port".to_string(), port.reproduce(case)),
            ];
        },
    )
}
