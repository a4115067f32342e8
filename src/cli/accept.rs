//! `kaizen accept` with a ledger: accepts a whole pending file, or only the cases named by
//! `--case` and `--group` (the others stay pending), and writes each acceptance of changed
//! behaviour to `snapshots/kaizen-ledger.yaml` with its reason; `reject --case/--group` drops
//! only some changes from the pending file. `kaizen log` lists the ledger.

use super::console::{out, outln};
use super::{Project, pending, shown};
use crate::accept_cases::{self, Partial, Selection};
use crate::ledger::{self, Entry};
use crate::snapshot::{self, Loaded, pending_path};
use crate::{Error, ExitCode};

/// `kaizen accept [JAIL…] [--case N,…] [--group G,…] [--reason TEXT]`.
pub(crate) fn accept(
    project: &Project,
    names: &[String],
    selection: &Selection,
    reason: Option<&str>,
) -> Result<ExitCode, Error> {
    if selection == &Selection::default() {
        return accept_whole(project, names, reason);
    }
    let [name] = names else {
        return Err(Error::Config {
            message: "--case and --group accept cases of one jail".into(),
            hint: "name the jail: kaizen accept NAME --case 3,17 --reason \"…\"".into(),
        });
    };
    let Some(reason) = reason.filter(|r| !r.trim().is_empty()) else {
        return Err(Error::Config {
            message: "accepting changed cases needs a reason".into(),
            hint: "say why the change is wanted: --reason \"…\" (it goes to the ledger)".into(),
        });
    };
    snapshot::check_name(name)?;
    let target = project.snapshot(name);
    let pending = pending_path(&target);
    let _lock = snapshot::lock::Lock::acquire(&target)?;
    let (old, new) = load_both(project, name, &target, &pending)?;
    let partial = accept_cases::accept(&old, &new, selection)?;
    let text = snapshot::render(&old.header, &partial.body);
    snapshot::parse(&target, text.clone().into_bytes())?.cases()?;
    snapshot::write_atomic(&target, text.as_bytes())?;
    ledger::append(
        &project.snapshot_dir(),
        &entry(project, name, &partial, reason),
    )?;
    if partial.still_pending == 0 {
        std::fs::remove_file(&pending)
            .map_err(|e| Error::io(&pending, "remove the pending file", e))?;
    }
    let numbers: Vec<usize> = partial.accepted.iter().map(|a| a.number).collect();
    outln!(
        "{name}: accepted {} ({}) into {}; {} still pending{}",
        super::cases(numbers.len()),
        accept_cases::list(&numbers),
        shown(project, &target),
        partial.still_pending,
        if partial.still_pending == 0 {
            String::new()
        } else {
            format!(" in {}", shown(project, &pending))
        }
    );
    Ok(ExitCode::Unchanged)
}

/// `kaizen reject JAIL --case N,… --group G,…`: those changes get their recorded behaviour
/// back in the pending file; the others stay pending (the file goes when none is left).
pub(crate) fn reject_cases(
    project: &Project,
    names: &[String],
    selection: &Selection,
) -> Result<ExitCode, Error> {
    let [name] = names else {
        return Err(Error::Config {
            message: "--case and --group reject cases of one jail".into(),
            hint: "name the jail: kaizen reject NAME --case 8".into(),
        });
    };
    snapshot::check_name(name)?;
    let target = project.snapshot(name);
    let pending = pending_path(&target);
    let _lock = snapshot::lock::Lock::acquire(&target)?;
    let (old, new) = load_both(project, name, &target, &pending)?;
    let rejected = accept_cases::reject(&old, &new, selection)?;
    if rejected.still_pending == 0 {
        std::fs::remove_file(&pending)
            .map_err(|e| Error::io(&pending, "remove the pending file", e))?;
    } else {
        let text = snapshot::render(&new.header, &rejected.body);
        snapshot::parse(&pending, text.clone().into_bytes())?.cases()?;
        snapshot::write_atomic(&pending, text.as_bytes())?;
    }
    outln!(
        "{name}: rejected {} ({}); {} still pending{}",
        super::cases(rejected.rejected.len()),
        accept_cases::list(&rejected.rejected),
        rejected.still_pending,
        if rejected.still_pending == 0 {
            String::new()
        } else {
            format!(" in {}", shown(project, &pending))
        }
    );
    Ok(ExitCode::Unchanged)
}

/// Accepts whole pending files, writing a ledger entry for each jail whose recorded
/// behaviour they change.
fn accept_whole(
    project: &Project,
    names: &[String],
    reason: Option<&str>,
) -> Result<ExitCode, Error> {
    let mut entries = Vec::new();
    for (name, pending) in pending::pending_files(project, names)? {
        let target = project.snapshot(&name);
        let Ok((old, new)) = load_both(project, &name, &target, &pending) else {
            continue; // no snapshot yet, or unreadable: `pending::accept` says what is wrong
        };
        let everything = all_changes(&old, &new);
        if let Ok(partial) = accept_cases::accept(&old, &new, &everything)
            && !partial.accepted.is_empty()
        {
            let reason = reason.unwrap_or("(no reason given)");
            entries.push((pending, entry(project, &name, &partial, reason)));
        }
    }
    let code = pending::accept(project, names)?;
    for (pending, entry) in entries {
        if !pending.exists() {
            ledger::append(&project.snapshot_dir(), &entry)?;
        }
    }
    Ok(code)
}

/// A selection of every changed case.
fn all_changes(old: &Loaded, new: &Loaded) -> Selection {
    let (Ok(recorded), Ok(waiting)) = (old.cases(), new.cases()) else {
        return Selection::default();
    };
    let by_input: std::collections::HashMap<&str, &str> =
        waiting.iter().map(|c| (c.input, c.behaviour)).collect();
    Selection {
        cases: recorded
            .iter()
            .enumerate()
            .filter(|(_, c)| by_input.get(c.input).is_some_and(|b| *b != c.behaviour))
            .map(|(i, _)| i + 1)
            .collect(),
        groups: Vec::new(),
    }
}

fn load_both(
    project: &Project,
    name: &str,
    target: &std::path::Path,
    pending: &std::path::Path,
) -> Result<(Loaded, Loaded), Error> {
    let limit = crate::env::max_snapshot_size(crate::env::process)?;
    let old = snapshot::load_with_limit(target, limit)?.ok_or_else(|| Error::Config {
        message: format!(
            "{} does not exist: `{name}` has no snapshot yet",
            shown(project, target)
        ),
        hint: format!("accept the whole pending file with `kaizen accept {name}`"),
    })?;
    let new = snapshot::load_with_limit(pending, limit)?.ok_or_else(|| Error::Config {
        message: format!(
            "no pending results for `{name}`: {} does not exist",
            shown(project, pending)
        ),
        hint: "`kaizen verify` writes pending results; `kaizen list` shows them".into(),
    })?;
    Ok((old, new))
}

fn entry(project: &Project, name: &str, partial: &Partial, reason: &str) -> Entry {
    Entry {
        date: ledger::now_utc(),
        jail: name.to_string(),
        commit: ledger::git_commit(&project.root),
        cases: partial.accepted.iter().map(|a| a.number).collect(),
        changes: partial.groups.iter().map(|g| g.describe()).collect(),
        behaviour: format!(
            "{} → {}",
            ledger::digest(partial.accepted.iter().map(|a| a.before.as_str())),
            ledger::digest(partial.accepted.iter().map(|a| a.after.as_str()))
        ),
        reason: reason.to_string(),
    }
}

/// `kaizen log`: the acceptances in the ledger, oldest first; `--steps`: the step ledger as a
/// table.
pub(crate) fn log(project: &Project, steps: bool) -> Result<ExitCode, Error> {
    let dir = project.snapshot_dir();
    if steps {
        let steps = ledger::read_steps(&dir)?;
        if steps.is_empty() {
            outln!("no steps recorded yet: run `kaizen verify --ledger` after each step");
            return Ok(ExitCode::Unchanged);
        }
        outln!(
            "{:<20}  {:<10}  {:>5}  {:>9}  {:>9}  {:>7}  {:>5}  {:>9}",
            "date",
            "commit",
            "jails",
            "cases",
            "same",
            "changed",
            "new",
            "time"
        );
        for s in &steps {
            outln!(
                "{:<20}  {:<10}  {:>5}  {:>9}  {:>9}  {:>7}  {:>5}  {:>7.2} s",
                s.date,
                s.commit,
                s.jails,
                crate::report::thousands(s.cases),
                crate::report::thousands(s.same),
                crate::report::thousands(s.changed),
                crate::report::thousands(s.new),
                s.millis as f64 / 1000.0
            );
        }
        if project.charts {
            out!("\n{}", crate::report::steps_chart::render(&steps));
        }
        return Ok(ExitCode::Unchanged);
    }
    let entries = ledger::read(&dir)?;
    if entries.is_empty() {
        outln!("no accepted changes yet");
    }
    for e in entries {
        outln!(
            "{}  {}  {}  commit {}",
            e.date,
            e.jail,
            format_args!(
                "{} ({})",
                super::cases(e.cases.len()),
                accept_cases::list(&e.cases)
            ),
            e.commit.as_deref().unwrap_or("-")
        );
        for change in &e.changes {
            outln!("  changed: {change}");
        }
        outln!("  behaviour: {}", e.behaviour);
        outln!("  reason: {}", e.reason);
    }
    Ok(ExitCode::Unchanged)
}
