//! Accepting some of a pending file's changes: the cases named by number or by group move
//! into the snapshot, the others stay pending.
//!
//! A pure function of the snapshot and its pending file (`NAME.snap.new`, written by
//! `kaizen verify` or by a `cargo test` jail): each recorded case whose input the pending
//! file holds with another behaviour is a change. Changes are grouped exactly as the
//! verifier groups them ([`crate::verify::change_key`]), so `--group 1` means the group the
//! report called group 1.

use std::collections::HashMap;

use crate::Error;
use crate::snapshot::Loaded;
use crate::verify::{Group, change_key, groups_of};

/// Which changes to accept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Case numbers (1-based, as the report numbers them).
    pub cases: Vec<usize>,
    /// Group numbers (1-based, largest group first, as the report numbers them).
    pub groups: Vec<usize>,
}

/// One accepted change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The case number.
    pub number: usize,
    /// Its behaviour as recorded (snapshot text).
    pub before: String,
    /// Its behaviour accepted (snapshot text).
    pub after: String,
}

/// The result of accepting a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partial {
    /// The new snapshot body: the recorded cases, the accepted ones with their new behaviour.
    pub body: String,
    /// The accepted changes, by case number.
    pub accepted: Vec<Accepted>,
    /// The groups the accepted cases belong to (as numbered before accepting).
    pub groups: Vec<Group>,
    /// Changes and new inputs still pending after this acceptance.
    pub still_pending: usize,
}

/// Accepts the selected changes of `pending` into `snapshot`.
pub fn accept(
    snapshot: &Loaded,
    pending: &Loaded,
    selection: &Selection,
) -> Result<Partial, Error> {
    let recorded = snapshot.cases()?;
    let waiting = pending.cases()?;
    let by_input: HashMap<&str, &str> = waiting.iter().map(|c| (c.input, c.behaviour)).collect();
    let changes: Vec<(usize, &str, &str, &str)> = recorded
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let now = *by_input.get(c.input)?;
            (now != c.behaviour).then_some((i + 1, c.input, c.behaviour, now))
        })
        .collect();
    let known: std::collections::HashSet<&str> = recorded.iter().map(|c| c.input).collect();
    let new_inputs = waiting.iter().filter(|c| !known.contains(c.input)).count();
    let groups = groups_of(
        changes
            .iter()
            .map(|&(n, input, before, after)| (n, change_key(input, before, after))),
    );

    let chosen = chosen_cases(selection, &groups, &changes, pending)?;
    let changed: HashMap<usize, (&str, &str)> = changes
        .iter()
        .map(|&(n, _, before, after)| (n, (before, after)))
        .collect();
    if let Some(n) = chosen.iter().find(|n| !changed.contains_key(n)) {
        return Err(Error::Config {
            message: format!(
                "{}: case {n} has no pending change (changed cases: {})",
                pending.path.display(),
                list(&changes.iter().map(|c| c.0).collect::<Vec<_>>())
            ),
            hint: "pass the case numbers the report of `kaizen verify` shows".into(),
        });
    }

    let mut body = String::with_capacity(snapshot.body.len());
    let mut accepted = Vec::new();
    for (i, case) in recorded.iter().enumerate() {
        body.push_str(case.input);
        match changed.get(&(i + 1)) {
            Some(&(before, after)) if chosen.binary_search(&(i + 1)).is_ok() => {
                body.push_str(after);
                accepted.push(Accepted {
                    number: i + 1,
                    before: before.to_string(),
                    after: after.to_string(),
                });
            }
            _ => body.push_str(case.behaviour),
        }
    }
    let touched: Vec<Group> = groups
        .into_iter()
        .filter(|g| group_members(&changes, g).any(|n| chosen.binary_search(&n).is_ok()))
        .collect();
    Ok(Partial {
        body,
        still_pending: changes.len() - accepted.len() + new_inputs,
        accepted,
        groups: touched,
    })
}

/// The case numbers a selection names, its groups' members included, sorted, each once.
fn chosen_cases(
    selection: &Selection,
    groups: &[Group],
    changes: &[(usize, &str, &str, &str)],
    pending: &Loaded,
) -> Result<Vec<usize>, Error> {
    let mut chosen: Vec<usize> = selection.cases.clone();
    for &g in &selection.groups {
        let group = groups
            .iter()
            .find(|x| x.number == g)
            .ok_or_else(|| Error::Config {
                message: format!(
                    "{}: there is no group {g}: the pending changes form {} group{}",
                    pending.path.display(),
                    groups.len(),
                    if groups.len() == 1 { "" } else { "s" }
                ),
                hint: "`kaizen verify` lists the groups".into(),
            })?;
        chosen.extend(group_members(changes, group));
    }
    chosen.sort_unstable();
    chosen.dedup();
    Ok(chosen)
}

/// The result of rejecting a selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The new pending body: the pending cases, the rejected ones with their recorded
    /// behaviour back.
    pub body: String,
    /// The rejected case numbers.
    pub rejected: Vec<usize>,
    /// Changes and new inputs still pending after this rejection.
    pub still_pending: usize,
}

/// Rejects the selected changes of `pending`: they get their recorded behaviour back in the
/// pending file, and the snapshot is left as it is. The selection is read as
/// [`accept`] reads it (same numbers, same groups, same errors).
pub fn reject(
    snapshot: &Loaded,
    pending: &Loaded,
    selection: &Selection,
) -> Result<Rejected, Error> {
    let chosen = accept(snapshot, pending, selection)?;
    let recorded: HashMap<&str, usize> = snapshot
        .cases()?
        .iter()
        .enumerate()
        .map(|(i, c)| (c.input, i + 1))
        .collect();
    let back: HashMap<usize, &str> = chosen
        .accepted
        .iter()
        .map(|a| (a.number, a.before.as_str()))
        .collect();
    let mut body = String::with_capacity(pending.body.len());
    for case in pending.cases()? {
        body.push_str(case.input);
        let number = recorded.get(case.input);
        match number.and_then(|n| back.get(n)) {
            Some(before) => body.push_str(before),
            None => body.push_str(case.behaviour),
        }
    }
    Ok(Rejected {
        body,
        rejected: chosen.accepted.iter().map(|a| a.number).collect(),
        still_pending: chosen.still_pending,
    })
}

/// The case numbers of a group (all of them, not only its examples).
fn group_members<'a>(
    changes: &'a [(usize, &str, &str, &str)],
    group: &'a Group,
) -> impl Iterator<Item = usize> + 'a {
    changes
        .iter()
        .filter_map(move |&(n, input, before, after)| {
            let (removed, added) = change_key(input, before, after);
            (removed == group.removed && added == group.added).then_some(n)
        })
}

/// `1, 4, 7` (at most twenty numbers, then `…`).
pub fn list(numbers: &[usize]) -> String {
    let mut shown: Vec<String> = numbers.iter().take(20).map(ToString::to_string).collect();
    if numbers.len() > 20 {
        shown.push("…".into());
    }
    shown.join(", ")
}
