//! `kaizen record` and `kaizen verify`: run a jail's cases through the library engine.

use super::console::{errln, out, outln};
use std::path::Path;

use super::progress::Progress;
use super::{Format, Project, cases as count_cases, shown};
use crate::env::{Environment, UpdateMode};
use crate::report::{self, JailResult};
use crate::verify::{self, Context, Written};
use crate::{Error, ExitCode};

/// Runs one jail's cases against its snapshot.
fn characterize(
    project: &Project,
    spec: &Path,
    env: Environment,
    runs: usize,
    max_shown: Option<usize>,
) -> Result<verify::Verdict, Error> {
    let jail = project.load(spec)?;
    let cases = jail.all_cases();
    let name = jail.name().to_string();
    let each = if runs > 1 {
        format!(", {runs} runs each")
    } else {
        String::new()
    };
    let progress = Progress::new(&name, cases.len(), runs, &each, env.ci);
    let tick = || progress.tick();
    let source = shown(project, spec);
    let sources = jail.describe_sources(&source);
    let named = match project.step {
        crate::step::Step::Feature => {
            crate::ledger::read_named_in_step(&project.snapshot_dir(), &name)?
        }
        _ => Default::default(),
    };
    let settings = project.settings();
    // The command line's own `--max-shown` and `--shard`, not `cargo test`'s variables.
    let max_shown = max_shown.unwrap_or(settings.max_shown);
    let ctx = Context::new(&settings, &name, env)
        .max_shown(max_shown)
        .source(source, None)
        .sources(sources, jail.seed())
        .program(jail.program_file())
        .record_command(format!("kaizen record {name}"))
        .runs(runs)
        .shard(project.shard)
        .step(project.step)
        .named(named)
        .tick(&tick);
    let result = verify::verify(&jail, cases, &ctx);
    progress.finish();
    result
}

fn jail_name(spec: &Path) -> String {
    spec.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `kaizen record`: runs every case (`runs` times) and writes the snapshots.
pub(crate) fn record(project: &Project, names: &[String], runs: usize) -> Result<ExitCode, Error> {
    let env = Environment::from_process()?;
    if env.ci && env.mode != UpdateMode::Always {
        return Err(Error::Config {
            message: "`kaizen record` writes snapshots, and CI runs never write them".into(),
            hint: "record locally and commit the snapshots; to record on CI anyway, set KAIZEN_UPDATE=always".into(),
        });
    }
    if runs == 0 {
        return Err(Error::Config {
            message: "--runs must be at least 1".into(),
            hint: "use --runs 2 (the default) to catch nondeterministic output".into(),
        });
    }
    let env = Environment {
        mode: UpdateMode::Always,
        ..env
    };
    let mut code = ExitCode::Unchanged;
    for spec in project.specs(names)? {
        if super::console::closed() {
            // Nobody reads what comes next: stop quietly (see `console::finish`).
            break;
        }
        let name = jail_name(&spec);
        match characterize(project, &spec, env.clone(), runs, None) {
            Ok(v) => {
                let path = shown(project, &v.snapshot);
                // What the snapshot holds now: dropped inputs are not re-recorded, and an
                // input recorded twice is kept once.
                let dropped = v.dropped + v.duplicates;
                let cases = count_cases(v.total - dropped + v.new);
                match &v.written {
                    Written::Recorded(_) => outln!("{name}: recorded {cases} to {path}"),
                    Written::Rerecorded(_) => outln!(
                        "{name}: re-recorded {cases} to {path} ({} changed, {} new, {} dropped)",
                        v.changed,
                        v.new,
                        dropped
                    ),
                    _ => outln!("{name}: {cases}, unchanged ({path})"),
                }
            }
            Err(e) => {
                errln!("error: {e}");
                code = code.worst(e.exit_code());
            }
        }
    }
    Ok(code)
}

/// `kaizen verify`: replays every recorded case and reports what changed.
pub(crate) fn verify(
    project: &Project,
    names: &[String],
    format: Format,
    max_shown: Option<usize>,
) -> Result<ExitCode, Error> {
    let max_shown = match format {
        Format::Html => max_shown.or(Some(report::html::DEFAULT_SHOWN)),
        _ => max_shown,
    };
    let env = Environment::from_process()?;
    let started = std::time::Instant::now();
    let mut results = Vec::new();
    for spec in project.specs(names)? {
        if super::console::closed() {
            // Nobody reads what comes next: stop quietly (see `console::finish`).
            break;
        }
        let name = jail_name(&spec);
        let result = characterize(project, &spec, env.clone(), 1, max_shown);
        if format == Format::Human {
            match &result {
                // A missing snapshot, just recorded: its cases are not news.
                Ok(v)
                    if v.passed()
                        && matches!(v.written, Written::Nothing | Written::Recorded(_)) =>
                {
                    outln!("{}", report::summary_line(v, project.color))
                }
                Ok(v) => out!("{}", report::render(v, project.color)),
                Err(e) => errln!("error: {e}"),
            }
        }
        results.push(JailResult {
            name,
            spec: shown(project, &spec),
            result,
        });
    }
    let code = results.iter().fold(ExitCode::Unchanged, |code, r| {
        code.worst(match &r.result {
            Ok(v) => v.exit_code(),
            Err(e) => e.exit_code(),
        })
    });
    if project.ledger {
        append_step(project, &results, started.elapsed())?;
    }
    print_report(project, format, &results);
    Ok(code)
}

/// Appends this verify run to the step ledger (`--ledger`).
fn append_step(
    project: &Project,
    results: &[JailResult],
    took: std::time::Duration,
) -> Result<(), Error> {
    let verdicts: Vec<&verify::Verdict> = results
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .collect();
    let step = crate::ledger::Step {
        date: crate::ledger::now_utc(),
        commit: crate::ledger::git_commit(&project.root).unwrap_or_else(|| "-".into()),
        jails: results.len(),
        cases: verdicts.iter().map(|v| v.total).sum(),
        same: verdicts.iter().map(|v| v.same).sum(),
        changed: verdicts.iter().map(|v| v.changed).sum(),
        new: verdicts.iter().map(|v| v.new).sum(),
        millis: took.as_millis(),
    };
    crate::ledger::append_step(&project.snapshot_dir(), &step)
}

/// Prints a machine-readable report of the run (nothing for the human format, which is
/// printed jail by jail).
pub(super) fn print_report(project: &Project, format: Format, results: &[JailResult]) {
    if let Some(machine) = format.machine() {
        let link_base = crate::env::process(crate::env::LINK_BASE).unwrap_or_default();
        let text = report::render_all(machine, &project.root, results, &link_base);
        if text.ends_with('\n') {
            out!("{text}");
        } else {
            outln!("{text}");
        }
    }
}
