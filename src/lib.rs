//! kaizen — make refactoring legacy code safe.
//!
//! 1. **Jail** the legacy code: [`Jail`] wraps a Rust function; a command jail wraps a
//!    program in any language.
//! 2. **Characterize** it: [`Cases`] chooses inputs (lists, combinations, pairwise,
//!    proptest under a fixed seed); the first run records what the code does in a snapshot.
//! 3. **Take 1% steps**: after each refactoring, [`Jail::check`] replays every recorded
//!    input and reports, case by case, what changed.
//!
//! ```
//! use kaizen::{Cases, Jail};
//! # let dir = tempfile::tempdir().unwrap();
//!
//! fn legacy_shipping(weight_kg: u32, express: bool) -> u32 {
//!     let mut cost = 5;
//!     if weight_kg > 20 { cost += (weight_kg - 20) * 2 } // heavy parcels
//!     if express { cost *= 2 }
//!     cost
//! }
//!
//! let jail = Jail::new("shipping", |(w, e): (u32, bool)| legacy_shipping(w, e))
//! #   .snapshot_dir(dir.path())
//!     ;
//! let cases = Cases::new().combinations((vec![0, 20, 21, 100], vec![false, true]));
//! // In a test: `jail.check(&cases)` — the first run records snapshots/shipping.snap, later
//! // runs verify. Here, with the environment spelled out (a local run, not CI):
//! let local = kaizen::env::Environment::default();
//! let first = jail.run_with(&cases, local.clone()).unwrap();
//! assert!(first.passed()); // recorded
//! let again = jail.run_with(&cases, local).unwrap();
//! assert_eq!((again.same, again.changed), (8, 0)); // verified
//! ```
//!
//! The data flows one way through the modules: [`jail`] → [`cases`] → [`record`] →
//! [`snapshot`] → [`verify`] → [`report`], with [`check`](Jail::check) as the `cargo test`
//! front door and the `kaizen` binary as the command-line one. In [`oracle`] mode the
//! jailed original itself, run live, is the reference instead of a snapshot.

pub mod accept_cases;
pub mod cases;
mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diff;
pub mod distribution;
pub mod env;
mod error;
mod exit_code;
pub mod jail;
pub mod ledger;
pub mod oracle;
#[cfg(feature = "command")]
pub mod port;
pub mod record;
pub mod redact;
pub mod report;
mod serde_fields;
mod settings;
pub mod shard;
pub mod snapshot;
pub mod stateful;
pub mod step;
#[cfg(feature = "command")]
pub mod strength;
pub mod strengthen;
pub mod tolerance;
pub mod verify;

pub use cases::Cases;
pub use error::Error;
pub use exit_code::ExitCode;
pub use jail::Jail;
pub use oracle::Oracle;
pub use settings::Settings;
pub use verify::Verdict;
