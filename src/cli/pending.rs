//! `kaizen accept`, `kaizen reject` and `kaizen list`: pending results and an overview.

use super::console::{errln, outln};
use std::path::PathBuf;

use super::{Project, cases, shown};
use crate::snapshot::{self, pending_path};
use crate::{Error, ExitCode};

/// Pending files of the named jails, or every pending file in `snapshots/`.
pub(crate) fn pending_files(
    project: &Project,
    names: &[String],
) -> Result<Vec<(String, PathBuf)>, Error> {
    if !names.is_empty() {
        return names
            .iter()
            .map(|name| {
                snapshot::check_name(name)?;
                Ok((name.clone(), pending_path(&project.snapshot(name))))
            })
            .collect();
    }
    let dir = project.snapshot_dir();
    let mut found: Vec<(String, PathBuf)> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                let name = file.strip_suffix(".snap.new")?.to_string();
                Some((name, e.path()))
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    found.sort();
    Ok(found)
}

/// `kaizen accept`: each pending file replaces its snapshot, after a check that it reads.
pub(crate) fn accept(project: &Project, names: &[String]) -> Result<ExitCode, Error> {
    let files = pending_files(project, names)?;
    if files.is_empty() {
        outln!("no pending results");
        return Ok(ExitCode::Unchanged);
    }
    let mut code = ExitCode::Unchanged;
    for (name, pending) in files {
        let result = (|| {
            if !pending.exists() {
                return Err(nothing_pending(project, &name, &pending));
            }
            let target = project.snapshot(&name);
            // A recorder of the same jail must not write while the snapshot is replaced.
            let _lock = snapshot::lock::Lock::acquire(&target)?;
            // Read as any snapshot is: a regular file, within the size limit, complete.
            snapshot::load(&pending)?
                .ok_or_else(|| nothing_pending(project, &name, &pending))?
                .cases()?;
            std::fs::rename(&pending, &target)
                .map_err(|e| Error::io(&target, "replace the snapshot", e))?;
            Ok::<_, Error>(target)
        })();
        match result {
            Ok(target) => outln!("{name}: accepted {}", shown(project, &target)),
            Err(e) => {
                errln!("error: {e}");
                code = code.worst(e.exit_code());
            }
        }
    }
    Ok(code)
}

/// The error for a named jail without a pending file.
fn nothing_pending(project: &Project, name: &str, pending: &std::path::Path) -> Error {
    Error::Config {
        message: format!(
            "no pending results for `{name}`: {} does not exist",
            shown(project, pending)
        ),
        hint: "`kaizen verify` writes pending results; `kaizen list` shows them".into(),
    }
}

/// `kaizen reject`: deletes pending files.
pub(crate) fn reject(project: &Project, names: &[String]) -> Result<ExitCode, Error> {
    let files = pending_files(project, names)?;
    if files.is_empty() {
        outln!("no pending results");
    }
    let mut code = ExitCode::Unchanged;
    for (name, pending) in files {
        match std::fs::remove_file(&pending) {
            Ok(()) => outln!("{name}: rejected {}", shown(project, &pending)),
            Err(e) => {
                let e = if e.kind() == std::io::ErrorKind::NotFound {
                    nothing_pending(project, &name, &pending)
                } else {
                    Error::io(&pending, "remove the pending file", e)
                };
                errln!("error: {e}");
                code = code.worst(e.exit_code());
            }
        }
    }
    Ok(code)
}

/// `kaizen list`: every jail with its case count, its snapshot and pending results.
pub(crate) fn list(project: &Project) -> Result<ExitCode, Error> {
    let mut code = ExitCode::Unchanged;
    let mut listed = Vec::new();
    for spec in project.specs(&[])? {
        let name = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let cases = match project.load(&spec) {
            Ok(jail) => match jail.generated() {
                Some(generated) => format!(
                    "{} + {} generated",
                    cases(jail.case_count()),
                    generated.count
                ),
                None => cases(jail.case_count()),
            },
            Err(e) => {
                code = code.worst(e.exit_code());
                format!("spec error: {}", e.to_string().lines().next().unwrap_or(""))
            }
        };
        let state = snapshot_state(project, &name);
        code = code.worst(state.code);
        outln!("{name:<20} {cases:<14} {}", state.text);
        listed.push(name);
    }
    // Snapshots and pending files without a spec: jails of `cargo test`, or specs removed.
    let mut others: Vec<String> = match std::fs::read_dir(project.snapshot_dir()) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                let name = file
                    .strip_suffix(".snap.new")
                    .or(file.strip_suffix(".snap"))?;
                Some(name.to_string())
            })
            .filter(|name| !listed.contains(name))
            .collect(),
        Err(_) => Vec::new(),
    };
    others.sort();
    others.dedup();
    for name in others {
        let state = snapshot_state(project, &name);
        code = code.worst(state.code);
        // `(cargo test)` for a snapshot recorded by a Rust jail, `(no spec)` for a command
        // jail whose spec is gone (or a file that cannot tell).
        let kind = match state.input_type {
            Some(t) if t != crate::jail::command::INPUT_TYPE => "(cargo test)",
            _ => "(no spec)",
        };
        outln!("{name:<20} {kind:<14} {}", state.text);
    }
    Ok(code)
}

/// What a jail's snapshot holds, as `kaizen list` shows it.
struct SnapshotState {
    /// `recorded 3 cases in snapshots/x.snap`, `not recorded`, `unreadable snapshot: …`.
    text: String,
    /// The input type the snapshot was recorded for.
    input_type: Option<String>,
    /// The exit code it calls for: an unreadable snapshot is an error to fix.
    code: ExitCode,
}

/// What the jail's snapshot holds, and the input type it was recorded for.
fn snapshot_state(project: &Project, name: &str) -> SnapshotState {
    let path = project.snapshot(name);
    let mut state = match snapshot::load(&path) {
        Ok(Some(loaded)) => SnapshotState {
            text: format!(
                "recorded {} in {}",
                cases(loaded.info.cases),
                shown(project, &path)
            ),
            input_type: Some(loaded.info.input_type),
            code: ExitCode::Unchanged,
        },
        Ok(None) => SnapshotState {
            text: "not recorded".to_string(),
            input_type: None,
            code: ExitCode::Unchanged,
        },
        Err(e) => SnapshotState {
            text: format!(
                "unreadable snapshot: {}",
                e.to_string().lines().next().unwrap_or("")
            ),
            input_type: None,
            code: e.exit_code(),
        },
    };
    if pending_path(&path).exists() {
        state
            .text
            .push_str(" · pending results (kaizen accept / reject)");
    }
    state
}
