//! Comparing by matching, for every shape the lockstep comparison does not take: new,
//! dropped, reordered or duplicate inputs, a missing or unusual snapshot,
//! `KAIZEN_UPDATE=always`, `--runs`. The snapshot is loaded (reporting any problem with its
//! file and line), every recorded input is replayed — from the source that still produces
//! it, else decoded from the file — and then the new inputs run.

use std::collections::HashMap;

use crate::Error;
use crate::cases::CaseList;
use crate::env::UpdateMode;
use crate::jail::Jailed;
use crate::record::{self, Observed, Prepared};
use crate::snapshot::{self, Loaded, format};

use super::compare::{Body, Comparison, Identity};
use super::verdict::{Difference, NewCase, Tally};
use super::{Context, check_owner, label_of, plan, write};

/// Where a recorded case's input comes from.
enum Replay<I> {
    /// A source still produces it: the prepared input at this position.
    Source(usize),
    /// No source does any more: decoded from the snapshot.
    Decoded(I),
}

/// Compares every input with its recording by text, in four steps: load the snapshot and
/// match its inputs to the sources', choose what this run replays, run it, count it.
pub(crate) fn compare<'c, J: Jailed>(
    jail: &J,
    cases: &'c CaseList<'c, J::Input>,
    ctx: &Context<'_>,
) -> Result<Comparison<'c, J::Input>, Error> {
    let name = jail.name();
    let each = (0..cases.len()).map(|i| (cases.input(i), cases.origin(i)));
    let prepared = record::prepare_each(name, each)?;
    let identity = Identity::of_path(&ctx.snapshot);
    let loaded = snapshot::load_with_limit(&ctx.snapshot, ctx.max_snapshot_size)?;
    if let Some(loaded) = &loaded {
        check_owner(name, loaded, ctx, plan::may_write(&ctx.env))?;
    }
    let recorded = match &loaded {
        Some(l) => l.cases()?,
        None => Vec::new(),
    };
    let replays = replays(jail, ctx, loaded.as_ref(), &recorded, &prepared)?;
    let part = Part::choose(ctx, &recorded, &replays, &prepared);
    let observed = run(jail, ctx, &part, &replays, &prepared)?;

    let mut tally = ctx.tally(name);
    tally.had_snapshot(loaded.is_some());
    let (recorded_now, new_now) = observed.split_at(part.replayed);
    count_recorded(
        jail,
        &mut tally,
        &recorded,
        &replays,
        &part,
        &prepared,
        recorded_now,
    );
    for (&i, now) in part.new_inputs.iter().zip(new_now) {
        tally.behaviour(&prepared[i].text, &now.text);
        tally.new_input(|| NewCase {
            origin: prepared[i].origin.clone(),
            input: format::display_input(&prepared[i].text),
            actual: format::display_behaviour(&now.text),
        });
    }

    let replayed_sources = part.replayed_sources(&replays);
    let behaviours =
        behaviours_by_input(replayed_sources, &part.new_inputs, observed, prepared.len());
    let body = Body::Built {
        prepared,
        behaviours,
    };
    let rerecording_differs = match &loaded {
        Some(old) if ctx.env.mode == UpdateMode::Always => {
            write::render(jail, ctx, &body, false) != snapshot::render(&old.header, &old.body)
        }
        _ => false,
    };
    Ok(Comparison {
        tally,
        snapshot: loaded.is_some().then_some(identity),
        body,
        rerecording_differs,
        recorded_redactions: loaded.map(|l| l.info.redactions),
    })
}

/// The part of the cases this run replays: every one, or a shard's (see `crate::shard`).
struct Part {
    /// For each recorded case: is it in this run's part?
    in_shard: Vec<bool>,
    /// How many recorded cases are.
    replayed: usize,
    /// The prepared inputs no recorded case has, in this run's part.
    new_inputs: Vec<usize>,
}

impl Part {
    fn choose<I>(
        ctx: &Context<'_>,
        recorded: &[format::RawCase<'_>],
        replays: &[Replay<I>],
        prepared: &[Prepared<&I>],
    ) -> Part {
        let mut used = vec![false; prepared.len()];
        for replay in replays {
            if let Replay::Source(i) = replay {
                used[*i] = true;
            }
        }
        let in_shard: Vec<bool> = recorded.iter().map(|c| ctx.in_shard(c.input)).collect();
        let new_inputs = (0..prepared.len())
            .filter(|&i| !used[i] && ctx.in_shard(&prepared[i].text))
            .collect();
        let replayed = in_shard.iter().filter(|k| **k).count();
        Part {
            in_shard,
            replayed,
            new_inputs,
        }
    }

    /// For each replayed recorded case, the prepared input it came from (none: decoded).
    fn replayed_sources<'r, I>(
        &'r self,
        replays: &'r [Replay<I>],
    ) -> impl Iterator<Item = Option<usize>> + 'r {
        replays
            .iter()
            .zip(&self.in_shard)
            .filter(|(_, keep)| **keep)
            .map(|(r, _)| match r {
                Replay::Source(i) => Some(*i),
                Replay::Decoded(_) => None,
            })
    }
}

/// Runs the part's recorded inputs in the recorded order, then its new ones (each `runs`
/// times when asked, refusing unstable cases).
fn run<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    part: &Part,
    replays: &[Replay<J::Input>],
    prepared: &[Prepared<&J::Input>],
) -> Result<Vec<Observed>, Error> {
    let to_run: Vec<&J::Input> = replays
        .iter()
        .zip(&part.in_shard)
        .filter(|(_, keep)| **keep)
        .map(|(r, _)| match r {
            Replay::Source(i) => prepared[*i].input,
            Replay::Decoded(input) => input,
        })
        .chain(part.new_inputs.iter().map(|&i| prepared[i].input))
        .collect();
    let observed = record::run_all(jail, &to_run, ctx.jobs, ctx.tick)?;
    if ctx.runs > 1 {
        record::check_stable(jail, &to_run, &observed, ctx.runs, ctx.jobs, ctx.tick)?;
    }
    Ok(observed)
}

/// Counts each replayed recorded case: same, same within the jail's comparison, or changed
/// (kept in full up to `max_shown`); a recorded input no source makes any more, or one
/// recorded twice, is counted as such too.
fn count_recorded<J: Jailed>(
    jail: &J,
    tally: &mut Tally,
    recorded: &[format::RawCase<'_>],
    replays: &[Replay<J::Input>],
    part: &Part,
    prepared: &[Prepared<&J::Input>],
    now: &[Observed],
) {
    let in_this_part = recorded
        .iter()
        .zip(replays)
        .enumerate()
        .filter(|(n, _)| part.in_shard[*n]);
    let mut replayed = vec![false; prepared.len()];
    for ((n, (case, replay)), now) in in_this_part.zip(now) {
        match replay {
            Replay::Decoded(_) => tally.recorded_only(),
            Replay::Source(i) if std::mem::replace(&mut replayed[*i], true) => {
                tally.recorded_again()
            }
            Replay::Source(_) => {}
        }
        tally.behaviour(case.input, &now.text);
        if case.behaviour == now.text {
            tally.same();
            continue;
        }
        if jail.same(case.behaviour, &now.text) {
            tally.same_within();
            continue;
        }
        let texts = (case.input, case.behaviour, now.text.as_str());
        tally.changed_case(n + 1, texts, || Difference {
            number: n + 1,
            line: case.line,
            origin: match replay {
                Replay::Source(i) => Some(prepared[*i].origin.clone()),
                Replay::Decoded(_) => None,
            },
            input: format::display_input(case.input),
            expected: format::display_behaviour(case.behaviour),
            actual: format::display_behaviour(&now.text),
            expected_label: label_of(case.behaviour),
            actual_label: now.label.clone(),
            shrunk: None,
            reproduce: Vec::new(),
            headline: None,
        });
    }
}

/// Where each recorded case's input comes from; an input no source produces is decoded
/// from the snapshot, or refused with the file and line when it does not fit the input type.
fn replays<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    loaded: Option<&Loaded>,
    recorded: &[format::RawCase<'_>],
    prepared: &[Prepared<&J::Input>],
) -> Result<Vec<Replay<J::Input>>, Error> {
    let by_text: HashMap<&str, usize> = prepared
        .iter()
        .enumerate()
        .map(|(i, p)| (p.text.as_str(), i))
        .collect();
    let mut replays = Vec::with_capacity(recorded.len());
    for (n, case) in recorded.iter().enumerate() {
        if let Some(&i) = by_text.get(case.input) {
            replays.push(Replay::Source(i));
            continue;
        }
        let input = format::decode_input::<J::Input>(case.input).map_err(|e| {
            let line = e
                .location()
                .map(|l| case.line + l.line().saturating_sub(1))
                .unwrap_or(case.line);
            let recorded_type = loaded.map(|l| l.info.input_type.clone()).unwrap_or_default();
            Error::snapshot(
                &ctx.snapshot,
                Some(line),
                format!(
                    "case {} does not fit the jail's input type {} (the snapshot was recorded for {recorded_type}): {e}",
                    n + 1,
                    jail.input_type()
                ),
                "if the input type changed on purpose, delete the file and record again (KAIZEN_UPDATE=always refuses a file it cannot read too); otherwise restore it from version control",
            )
        })?;
        replays.push(Replay::Decoded(input));
    }
    Ok(replays)
}

/// The behaviour now of every prepared input, by its position: a recorded input's from its
/// replay, a new input's from its run after the recorded ones.
fn behaviours_by_input(
    replayed_sources: impl Iterator<Item = Option<usize>>,
    new_inputs: &[usize],
    observed: Vec<Observed>,
    inputs: usize,
) -> Vec<String> {
    let mut behaviours = vec![String::new(); inputs];
    let mut observed = observed.into_iter();
    for (source, now) in replayed_sources.zip(&mut observed) {
        if let Some(i) = source {
            behaviours[i] = now.text;
        }
    }
    for (&i, now) in new_inputs.iter().zip(observed) {
        behaviours[i] = now.text;
    }
    behaviours
}
