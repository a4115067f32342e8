//! The comparison: every recorded case replayed against the code as it is now, counted by a
//! [`Tally`], with what a written file would hold. Two ways to line the cases up with the
//! recording lead to the same [`Comparison`]:
//!
//! - [`lockstep`](super::lockstep), the common case: the sources produce exactly the recorded
//!   inputs in the recorded order. The snapshot is streamed, never loaded, and a pending
//!   file is the recording with the changed behaviours put in, written as the cases run.
//! - [`fresh`](super::fresh), a first recording: no snapshot on disk, every input new.
//!   The cases run in batches whose texts are written as they run to the file the plan
//!   writes, after room for its header.
//! - [`matched`](super::matched), everything else: new, dropped, reordered or duplicate
//!   inputs, a missing or unusual snapshot, `KAIZEN_UPDATE=always`, `--runs`. The snapshot is
//!   loaded and each input matched to its recording by text.

use std::path::Path;

use crate::Error;
use crate::cases::CaseList;
use crate::jail::Jailed;
use crate::record::Prepared;

use super::Context;
use super::fresh::{self, Fresh};
use super::lockstep;
use super::matched;
use super::pending::Streamed;
use super::plan::Found;
use super::verdict::Tally;

/// What comparing found.
pub(crate) struct Comparison<'c, I> {
    /// The counted cases.
    pub(crate) tally: Tally,
    /// The snapshot compared with, as it was on disk; `None` when there was none.
    pub(crate) snapshot: Option<Identity>,
    /// What a written file would hold.
    pub(crate) body: Body<'c, I>,
    /// Whether re-recording would change the file though no behaviour changed (only
    /// computed under `KAIZEN_UPDATE=always`).
    pub(crate) rerecording_differs: bool,
    /// The redactions the snapshot's header lists (`None` when there was no snapshot).
    pub(crate) recorded_redactions: Option<Vec<String>>,
}

impl<I> Comparison<'_, I> {
    /// The facts the write plan is decided on.
    pub(crate) fn found(&self) -> Found {
        Found {
            snapshot: self.snapshot.is_some(),
            counts: self.tally.counts(),
            rerecording_differs: self.rerecording_differs,
        }
    }
}

/// The cases a written file would hold, in order.
pub(crate) enum Body<'c, I> {
    /// The recording as it is on disk, with the behaviour of each changed case replaced:
    /// written along the comparison from its first change on, so nothing of it is kept.
    Recording {
        /// The pending file written so far (`None` when no case changed or none may be
        /// written).
        pending: Option<Streamed>,
        /// How many cases there are.
        cases: usize,
    },
    /// Every distinct input in source order, with its behaviour now.
    Built {
        /// The inputs (their values are checked to round-trip before anything is written).
        prepared: Vec<Prepared<&'c I>>,
        /// The behaviour now of each input, by the same position.
        behaviours: Vec<String>,
    },
    /// A first recording: every distinct input in source order, with its behaviour now.
    Fresh(Fresh<'c, I>),
}

/// Which file a snapshot path held: enough to notice that it was replaced or rewritten
/// between the comparison and the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity(Option<(u64, Option<std::time::SystemTime>, u64)>);

impl Identity {
    pub(crate) fn of_file(file: &std::fs::File) -> Identity {
        Identity::from_metadata(file.metadata().ok())
    }

    pub(crate) fn of_path(path: &Path) -> Identity {
        Identity::from_metadata(std::fs::metadata(path).ok())
    }

    fn from_metadata(meta: Option<std::fs::Metadata>) -> Identity {
        Identity(meta.map(|m| (m.len(), m.modified().ok(), inode(&m))))
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// Replays every case and compares: along the recording when the inputs line up with it,
/// else by matching each input to its recording.
pub(crate) fn compare<'c, J: Jailed>(
    jail: &J,
    cases: &'c CaseList<'c, J::Input>,
    ctx: &Context<'_>,
) -> Result<Comparison<'c, J::Input>, Error> {
    if let Some(found) = fresh::compare(jail, cases, ctx)? {
        return Ok(found);
    }
    match lockstep::compare(jail, cases, ctx)? {
        Some(found) => Ok(found),
        None => matched::compare(jail, cases, ctx),
    }
}
