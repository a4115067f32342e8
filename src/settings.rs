//! Settings of a jail: where its snapshot lives, how long a call may take, how many threads
//! run cases, how much of a failure the report shows.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::env;
use crate::redact::Redactions;

/// How a jail is characterized. Build it with [`Settings::default`] and the `Jail` builder
/// methods, or set the fields directly.
///
/// ```
/// let s = kaizen::Settings { jobs: 2, ..kaizen::Settings::default() };
/// assert_eq!(s.max_shown, 10);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Where snapshots are kept. Default: `snapshots/` at the crate root (the directory in
    /// `CARGO_MANIFEST_DIR` while `cargo test` runs, else the current directory). A relative
    /// path is taken from that root.
    pub snapshot_dir: Option<PathBuf>,
    /// Per-call time limit. Default: none (calls run on the caller's thread).
    pub timeout: Option<Duration>,
    /// Threads that run cases. Default: 1.
    pub jobs: usize,
    /// How many changed cases the report shows in full. Default: 10.
    pub max_shown: usize,
    /// What is replaced by a placeholder in each output before comparing (clocks, ids).
    /// Default: nothing. See [`crate::redact`].
    pub redactions: Redactions,
    /// Runs of each case when a Rust jail records from scratch (no snapshot yet, or
    /// `KAIZEN_UPDATE=always`): a case whose behaviour differs between runs is refused
    /// before anything is written. Default: 2. 1 runs each case once.
    pub record_runs: usize,
    /// Verify only this part of the cases, and write nothing. Default: none, or the shard
    /// `KAIZEN_SHARD` names.
    pub shard: Option<crate::shard::Shard>,
    /// How far floats in an output may move and still count as the same. Default: none
    /// (equal texts only). See [`crate::tolerance`].
    pub tolerance: Option<crate::tolerance::Tolerance>,
    /// The kind of step a run checks: a pure refactoring (any change fails, nothing is
    /// written) or a feature step (only the cases the ledger's entries of this step name may
    /// change). Default: none, or the step `KAIZEN_STEP` names. See [`crate::step`].
    pub step: Option<crate::step::Step>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            snapshot_dir: None,
            timeout: None,
            jobs: 1,
            max_shown: 10,
            redactions: Redactions::new(),
            record_runs: 2,
            shard: None,
            tolerance: None,
            step: None,
        }
    }
}

impl Settings {
    /// The crate root: `CARGO_MANIFEST_DIR` read at run time (so it is the user's crate,
    /// not kaizen's), else the current directory. Read when a front door (`Jail::check`,
    /// `Oracle::check`) resolves where the snapshot lives.
    pub fn project_root() -> PathBuf {
        env::process(env::CARGO_MANIFEST_DIR)
            .map(PathBuf::from)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The absolute snapshot directory these settings name.
    ///
    /// ```
    /// let s = kaizen::Settings { snapshot_dir: Some("/tmp/snaps".into()), ..Default::default() };
    /// assert_eq!(s.resolved_snapshot_dir(), std::path::Path::new("/tmp/snaps"));
    /// ```
    pub fn resolved_snapshot_dir(&self) -> PathBuf {
        let root = Settings::project_root();
        match &self.snapshot_dir {
            None => root.join("snapshots"),
            Some(dir) if dir.is_absolute() => dir.clone(),
            Some(dir) => root.join(dir),
        }
    }
}

/// The path `dir/NAME.snap` for a jail name.
pub(crate) fn snapshot_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.snap"))
}
