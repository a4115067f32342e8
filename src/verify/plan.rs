//! The write plan: a pure decision, from what the comparison found and the update mode, of
//! what a run writes. Nothing here touches a file; [`super::write`] carries the plan out.

use crate::env::{Environment, UpdateMode};

use super::verdict::Counts;

/// What the comparison found, as far as writing is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// Whether the snapshot exists.
    pub(crate) snapshot: bool,
    /// Changed, new and recorded-only cases.
    pub(crate) counts: Counts,
    /// Whether re-recording would write a file other than the one there (`always` only:
    /// the header or the order of cases differ even though no behaviour did).
    pub(crate) rerecording_differs: bool,
}

/// What a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Nothing.
    Nothing,
    /// Nothing new; a pending file left by an earlier run is out of date and goes.
    RemoveStalePending,
    /// Record the missing snapshot.
    Record,
    /// Write a pending `.snap.new` for review.
    Pending,
    /// Re-record the snapshot (and drop a stale pending file).
    Rerecord,
    /// The snapshot is missing and this run may not record it: an error.
    RefuseMissing,
}

impl Plan {
    /// Does carrying out this plan write or remove a file (and so need the lock)?
    pub(crate) fn writes(self) -> bool {
        !matches!(self, Plan::Nothing | Plan::RefuseMissing)
    }
}

/// May a run in this environment write anything at all? (A snapshot recorded by another
/// test file is refused only when the run may write it.)
pub(crate) fn may_write(env: &Environment) -> bool {
    env.records_missing() || env.writes_pending() || env.mode == UpdateMode::Always
}

/// Decides what to write. See the mode table in [`crate::env`].
pub(crate) fn plan(found: &Found, env: &Environment) -> Plan {
    let counts = found.counts;
    let clean = counts.changed == 0 && counts.new == 0;
    if !found.snapshot {
        return if env.records_missing() {
            Plan::Record
        } else if env.writes_pending() {
            Plan::Pending
        } else {
            Plan::RefuseMissing
        };
    }
    if env.mode == UpdateMode::Always {
        return if !clean || counts.dropped > 0 || found.rerecording_differs {
            Plan::Rerecord
        } else {
            Plan::RemoveStalePending
        };
    }
    if clean {
        return if may_write(env) {
            Plan::RemoveStalePending
        } else {
            Plan::Nothing
        };
    }
    if env.writes_pending() {
        Plan::Pending
    } else {
        Plan::Nothing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(mode: UpdateMode, ci: bool) -> Environment {
        Environment {
            mode,
            ci,
            force_pass: false,
            ..Default::default()
        }
    }

    fn found(snapshot: bool, changed: usize, new: usize) -> Found {
        Found {
            snapshot,
            counts: Counts {
                changed,
                new,
                dropped: 0,
                unnamed: 0,
            },
            rerecording_differs: false,
        }
    }

    #[test]
    fn the_plan_follows_the_mode_table() {
        use Plan::*;
        use UpdateMode::*;
        // (mode, ci, snapshot, changed) → plan
        let table = [
            (Auto, false, false, 0, Record),
            (Auto, true, false, 0, RefuseMissing),
            (New, false, false, 0, Pending),
            (New, true, false, 0, Pending),
            (Always, true, false, 0, Record),
            (No, false, false, 0, RefuseMissing),
            (Auto, false, true, 0, RemoveStalePending),
            (Auto, true, true, 0, Nothing),
            (No, false, true, 0, Nothing),
            (Auto, false, true, 2, Pending),
            (Auto, true, true, 2, Nothing),
            (New, true, true, 2, Pending),
            (No, false, true, 2, Nothing),
            (Always, false, true, 2, Rerecord),
            (Always, true, true, 0, RemoveStalePending),
        ];
        for (mode, ci, snapshot, changed, expected) in table {
            let got = plan(&found(snapshot, changed, 0), &env(mode, ci));
            assert_eq!(
                got, expected,
                "{mode} ci={ci} snapshot={snapshot} changed={changed}"
            );
        }
    }

    #[test]
    fn new_inputs_are_written_like_changes_and_dropped_ones_only_by_rerecording() {
        let local = env(UpdateMode::Auto, false);
        assert_eq!(plan(&found(true, 0, 1), &local), Plan::Pending);
        let dropped = Found {
            counts: Counts {
                dropped: 1,
                ..Counts::default()
            },
            ..found(true, 0, 0)
        };
        assert_eq!(plan(&dropped, &local), Plan::RemoveStalePending);
        assert_eq!(
            plan(&dropped, &env(UpdateMode::Always, false)),
            Plan::Rerecord
        );
        let header = Found {
            rerecording_differs: true,
            ..found(true, 0, 0)
        };
        assert_eq!(
            plan(&header, &env(UpdateMode::Always, false)),
            Plan::Rerecord
        );
    }

    #[test]
    fn only_plans_that_touch_a_file_need_the_lock() {
        assert!(!Plan::Nothing.writes() && !Plan::RefuseMissing.writes());
        assert!(Plan::Pending.writes() && Plan::RemoveStalePending.writes());
    }
}
