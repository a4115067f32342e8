//! Carrying out a write plan: the one place where verification touches files. The lock is
//! taken only here, and only for a plan that writes or removes a file; under it, the
//! snapshot must still be the file the comparison read.

use std::path::Path;

use crate::Error;
use crate::distribution::{self, Distribution};
use crate::jail::Jailed;
use crate::record;
use crate::snapshot::size;
use crate::snapshot::{self, BehaviourNote, FORMAT_VERSION, Header, Info, format, lock::Lock};

use super::Context;
use super::compare::{Body, Comparison, Identity};
use super::lockstep::changed_file;
use super::plan::Plan;
use super::verdict::{Verdict, Written};

/// Does carrying out `plan` touch a file, and so need the snapshot's lock? A clean run with
/// no stale pending file does not.
pub(crate) fn needs_lock(plan: Plan, ctx: &Context<'_>) -> bool {
    match plan {
        Plan::RemoveStalePending => snapshot::pending_path(&ctx.snapshot).exists(),
        plan => plan.writes(),
    }
}

/// Is the snapshot still the file `comparison` read? (Another run may have written it
/// between the comparison and the lock.)
pub(crate) fn still_current<I>(comparison: &Comparison<I>, ctx: &Context<'_>) -> bool {
    match &comparison.snapshot {
        Some(identity) => *identity == Identity::of_path(&ctx.snapshot),
        None => !ctx.snapshot.exists(),
    }
}

/// Carries out `plan` for what `comparison` found, and returns the verdict. A plan that
/// touches a file runs under `lock`, taken after the comparison.
pub(crate) fn carry_out<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    comparison: Comparison<J::Input>,
    plan: Plan,
    lock: Option<&Lock>,
) -> Result<Verdict, Error> {
    let pending = snapshot::pending_path(&ctx.snapshot);
    if plan == Plan::RefuseMissing {
        return Err(Error::MissingSnapshot {
            jail: jail.name().to_string(),
            path: ctx.snapshot.clone(),
            command: ctx.record_command.clone(),
        });
    }
    if lock.is_none() || !plan.writes() {
        return Ok(comparison.tally.finish_with(Written::Nothing));
    }
    if !still_current(&comparison, ctx) {
        return Err(changed_file(ctx));
    }
    // The classes of a streamed recording are the run's: it observed every case it writes.
    let classes = comparison.tally.behaviours();
    let (tally, body) = (comparison.tally, comparison.body);
    let written = match plan {
        Plan::Record => {
            write_file(jail, ctx, body, &ctx.snapshot, false, &classes)?;
            Written::Recorded(ctx.snapshot.clone())
        }
        Plan::Pending => {
            write_file(jail, ctx, body, &pending, true, &classes)?;
            Written::Pending(pending)
        }
        Plan::Rerecord => {
            write_file(jail, ctx, body, &ctx.snapshot, false, &classes)?;
            remove_stale(&pending);
            Written::Rerecorded(ctx.snapshot.clone())
        }
        Plan::RemoveStalePending | Plan::Nothing | Plan::RefuseMissing => {
            remove_stale(&pending);
            Written::Nothing
        }
    };
    Ok(tally.finish_with(written))
}

/// Writes `body` under a fresh header to `path`, atomically. Inputs that are not already in
/// the snapshot as they are must read back exactly before any file holds them.
fn write_file<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    body: Body<'_, J::Input>,
    path: &Path,
    pending: bool,
    recorded: &Distribution,
) -> Result<(), Error> {
    match body {
        Body::Built {
            prepared,
            behaviours,
        } => {
            let inputs = prepared.iter();
            let each = inputs.map(|p| (p.input, p.text.as_str(), p.shape, &p.origin));
            record::check_round_trip_each(jail.name(), each)?;
            let texts = || {
                prepared
                    .iter()
                    .zip(&behaviours)
                    .map(|(p, b)| (p.text.as_str(), b.as_str()))
            };
            let classes = Distribution::of(texts());
            let header = make_header(jail, ctx, prepared.len(), pending, classes.note());
            write_built(jail.name(), ctx, path, &header, texts)
        }
        Body::Fresh(fresh) => {
            fresh.proof(jail.name())?;
            let header = header_text(jail, ctx, fresh.len(), pending, recorded.note());
            fresh.write(jail.name(), ctx, path, &header)
        }
        // Written along the comparison from its first changed case on, whenever a pending
        // file may be written: the only plan a comparison along the recording that found a
        // change writes (`None` would be a recording with no change).
        Body::Recording {
            pending: streamed,
            cases,
        } => match streamed {
            Some(streamed) => {
                let header = header_text(jail, ctx, cases, pending, recorded.note());
                streamed.finish(&header, jail.name())
            }
            None => Err(changed_file(ctx)),
        },
    }
}

/// Writes a built body case by case after its header, without joining it into one text
/// first: refused before anything is written when the loader would refuse the file.
/// `cases` gives each case's (input, behaviour) texts in order.
fn write_built<'a, C: Iterator<Item = (&'a str, &'a str)>>(
    jail: &str,
    ctx: &Context<'_>,
    path: &Path,
    header: &Header,
    cases: impl Fn() -> C,
) -> Result<(), Error> {
    let header = snapshot::render_header(header);
    let body: usize = cases().map(|(i, b)| i.len() + b.len()).sum();
    let total = (header.len() + body.max(1)) as u64;
    if total > ctx.max_snapshot_size {
        let sizes = cases().enumerate().map(|(n, (i, b))| size::CaseSize {
            number: n + 1,
            input: format::display_input(i),
            bytes: (i.len() + b.len()) as u64,
        });
        let biggest = size::biggest(sizes);
        return Err(size::too_big(jail, total, ctx.max_snapshot_size, biggest));
    }
    let io = |e| Error::io(path, "write the snapshot", e);
    snapshot::write_atomic_with(path, |out| {
        out.write_all(header.as_bytes()).map_err(io)?;
        for (input, behaviour) in cases() {
            out.write_all(input.as_bytes()).map_err(io)?;
            out.write_all(behaviour.as_bytes()).map_err(io)?;
        }
        // As `snapshot::render`: a file ends with a line break, also with no case.
        if body == 0 {
            out.write_all(b"\n").map_err(io)?;
        }
        Ok(())
    })
}

/// The whole text of a file holding a built body.
pub(crate) fn render<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    body: &Body<J::Input>,
    pending: bool,
) -> String {
    let Body::Built {
        prepared,
        behaviours,
    } = body
    else {
        return String::new();
    };
    let size: usize = prepared.iter().map(|p| p.text.len()).sum::<usize>()
        + behaviours.iter().map(String::len).sum::<usize>();
    let mut text = String::with_capacity(size);
    let mut classes = distribution::Tally::new();
    for (p, behaviour) in prepared.iter().zip(behaviours) {
        text.push_str(&p.text);
        text.push_str(behaviour);
        classes.observe(&p.text, behaviour);
    }
    let header = make_header(jail, ctx, prepared.len(), pending, classes.finish().note());
    snapshot::render(&header, &text)
}

/// The header of a file this run writes, as text: for `cases` cases of these behaviour
/// classes (`note`).
pub(crate) fn header_text<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    cases: usize,
    pending: bool,
    note: Option<BehaviourNote>,
) -> String {
    snapshot::render_header(&make_header(jail, ctx, cases, pending, note))
}

/// The header of a file this run writes.
fn make_header<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    cases: usize,
    pending: bool,
    note: Option<BehaviourNote>,
) -> Header {
    let name = jail.name();
    Header {
        source: ctx.source.clone(),
        assertion_line: if pending { ctx.line } else { None },
        description: Some(describe(name, cases, &ctx.sources, &ctx.record_command)),
        expression: Some(name.to_string()),
        info: Some(Info {
            kaizen: FORMAT_VERSION,
            jail: name.to_string(),
            input_type: jail.input_type().into_owned(),
            cases,
            sources: ctx.sources.clone(),
            seed: ctx.seed,
            program: ctx.program.clone(),
            redactions: ctx.redactions.clone(),
            behaviours: note,
            minimized: ctx.minimized.clone(),
        }),
    }
}

fn describe(name: &str, cases: usize, sources: &[String], record_command: &str) -> String {
    let noun = if cases == 1 { "case" } else { "cases" };
    let mut s = format!("kaizen characterization of `{name}`: {cases} {noun}");
    if !sources.is_empty() {
        s.push_str(" from ");
        s.push_str(&sources.join(" + "));
    }
    s.push_str(&format!(
        ". Generated: re-record with `{record_command}` rather than editing by hand."
    ));
    s
}

fn remove_stale(pending: &Path) {
    let _ = std::fs::remove_file(pending);
}
