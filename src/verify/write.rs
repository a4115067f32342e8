//! Carrying out a write plan: the one place where verification touches files. The lock is
//! taken only here, and only for a plan that writes or removes a file; under it, the
//! snapshot must still be the file the comparison read.

use std::path::Path;

use crate::Error;
use crate::distribution::{self, Distribution};
use crate::jail::Jailed;
use crate::record;
use crate::snapshot::size::{self, Biggest};
use crate::snapshot::{self, FORMAT_VERSION, Header, Info, format, format::stream, lock::Lock};

use super::Context;
use super::compare::{Body, Comparison, Identity};
use super::lockstep::{changed_file, fold_digest};
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
    let written = match plan {
        Plan::Record => {
            write_file(jail, ctx, &comparison.body, &ctx.snapshot, false, &classes)?;
            Written::Recorded(ctx.snapshot.clone())
        }
        Plan::Pending => {
            write_file(jail, ctx, &comparison.body, &pending, true, &classes)?;
            Written::Pending(pending)
        }
        Plan::Rerecord => {
            write_file(jail, ctx, &comparison.body, &ctx.snapshot, false, &classes)?;
            remove_stale(&pending);
            Written::Rerecorded(ctx.snapshot.clone())
        }
        Plan::RemoveStalePending | Plan::Nothing | Plan::RefuseMissing => {
            remove_stale(&pending);
            Written::Nothing
        }
    };
    Ok(comparison.tally.finish_with(written))
}

/// Writes `body` under a fresh header to `path`, atomically. Inputs that are not already in
/// the snapshot as they are must read back exactly before any file holds them.
fn write_file<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    body: &Body<J::Input>,
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
                    .zip(behaviours)
                    .map(|(p, b)| (p.text.as_str(), b.as_str()))
            };
            let classes = Distribution::of(texts());
            let header = make_header(jail, ctx, prepared.len(), pending, &classes);
            write_built(jail.name(), ctx, path, &header, texts)
        }
        Body::Fresh(fresh) => {
            fresh.proof(jail.name())?;
            let header = make_header(jail, ctx, fresh.len(), pending, recorded);
            fresh.write(jail.name(), ctx, path, &header)
        }
        Body::Recording {
            changes,
            digest,
            cases,
        } => {
            let header = make_header(jail, ctx, *cases, pending, recorded);
            snapshot::write_atomic_with(path, |out| {
                let header = snapshot::render_header(&header);
                out.write_all(header.as_bytes())
                    .map_err(|e| Error::io(path, "write the snapshot", e))?;
                let mut out = Sized {
                    out,
                    total: header.len() as u64,
                    biggest: Biggest::default(),
                };
                copy_with_changes(ctx, &mut out, changes, *digest, *cases, path)?;
                if out.total > ctx.max_snapshot_size {
                    let biggest = out.biggest.into_cases();
                    return Err(size::too_big(
                        jail.name(),
                        out.total,
                        ctx.max_snapshot_size,
                        biggest,
                    ));
                }
                Ok(())
            })
        }
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

/// A file being written case by case, with its size so far and its biggest cases.
struct Sized<'a> {
    out: &'a mut dyn std::io::Write,
    total: u64,
    biggest: Biggest,
}

/// Streams the recording into `out`, putting in the behaviour now of each changed case.
fn copy_with_changes(
    ctx: &Context<'_>,
    out: &mut Sized<'_>,
    changes: &super::compare::Changes,
    digest: u64,
    cases: usize,
    path: &Path,
) -> Result<(), Error> {
    let reader = match stream::open(&ctx.snapshot, ctx.max_snapshot_size) {
        Ok(Some(r)) if r.header.info.cases == cases => r,
        _ => return Err(changed_file(ctx)),
    };
    let mut changes = changes.iter().peekable();
    let mut digest_now = 0;
    let mut n = 0;
    let count = reader.each_case(|case| {
        digest_now = fold_digest(digest_now, case.input);
        let behaviour = match changes.next_if(|(c, _)| *c == n) {
            Some((_, now)) => now,
            None => case.behaviour,
        };
        n += 1;
        let bytes = (case.input.len() + behaviour.len()) as u64;
        out.total += bytes;
        out.biggest
            .offer(n, bytes, || format::display_input(case.input));
        out.out
            .write_all(case.input.as_bytes())
            .and_then(|()| out.out.write_all(behaviour.as_bytes()))
            .map_err(|e| Error::io(path, "write the snapshot", e))
    });
    match count {
        Ok(n) if n == cases && digest_now == digest => Ok(()),
        Err(stream::Stop::Callback(e)) => Err(e),
        _ => Err(changed_file(ctx)),
    }
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
    let header = make_header(jail, ctx, prepared.len(), pending, &classes.finish());
    snapshot::render(&header, &text)
}

/// The header of a file this run writes.
fn make_header<J: Jailed>(
    jail: &J,
    ctx: &Context<'_>,
    cases: usize,
    pending: bool,
    classes: &Distribution,
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
            behaviours: classes.note(),
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
