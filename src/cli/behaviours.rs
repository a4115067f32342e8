//! `kaizen behaviours`: the behaviour distribution of recorded jails, read from their
//! snapshots without running anything — how many classes of behaviour the cases end in, the
//! largest class's share, and a warning when one stop (a panic, a timeout, an exit) holds
//! most of the cases.

use std::fmt::Write as _;

use super::Project;
use crate::distribution::Distribution;
use crate::{Error, ExitCode, snapshot};

/// `kaizen behaviours [JAIL…]`: every snapshot in `snapshots/`, or the named ones.
pub(crate) fn behaviours(project: &Project, names: &[String]) -> Result<ExitCode, Error> {
    let names = if names.is_empty() {
        recorded(project)?
    } else {
        names.to_vec()
    };
    let mut out = String::new();
    for name in &names {
        let path = project.snapshot(name);
        let loaded = snapshot::load(&path)?.ok_or_else(|| Error::Config {
            message: format!("no snapshot {}", path.display()),
            hint: "`kaizen list` shows the recorded jails".into(),
        })?;
        let cases = loaded.cases()?;
        let d = Distribution::of(cases.iter().map(|c| (c.input, c.behaviour)));
        let _ = writeln!(out, "{name}: {}", d.summary());
        for class in d.classes.iter().take(5) {
            let _ = writeln!(
                out,
                "  {:>7}  {} (e.g. {})",
                crate::report::thousands(class.count),
                class.key,
                class.examples.join("; ")
            );
        }
        if d.classes.len() > 5 {
            let _ = writeln!(out, "  …and {} smaller classes", d.classes.len() - 5);
        }
        if let Some(warning) = d.warning() {
            let _ = writeln!(out, "  warning: {warning}");
        }
    }
    super::console::out!("{out}");
    Ok(ExitCode::Unchanged)
}

fn recorded(project: &Project) -> Result<Vec<String>, Error> {
    let dir = project.snapshot_dir();
    let entries = std::fs::read_dir(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        action: "list the snapshots",
        source,
    })?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".snap")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}
