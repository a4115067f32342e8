//! Reading and checking a jail spec (`jail/NAME.yaml`): [`load`] reads the file ([`raw`]),
//! then checks one part at a time — the program, `cwd`, the environment, the cases
//! ([`cases`]), the capture globs — and builds the [`Settings`] cases run with.

mod cases;
mod raw;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::{ItemLines, SpecError, item_lines, key_line, split_serde_message};
use super::fields::{
    CommandField, DurationField, GlobField, SizeField, check_env_name, check_relative, env_map,
    jail_name,
};
use super::scrub::{JAIL_DIR_MARK, ROOT_MARK, path_mark};
use super::units::format_size;

pub(crate) use cases::SpecCases;

/// Per-case time limit when the spec sets none.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Capture limit per stream or file when the spec sets none.
pub(crate) const DEFAULT_LIMIT: u64 = 10 << 20;
/// What one case may capture in all (streams and files) when the spec sets no
/// `capture.total`: this, or four times `capture.limit` when that is more.
pub(crate) const DEFAULT_TOTAL: u64 = 64 << 20;

/// How the program is started.
#[derive(Clone, Debug)]
pub(crate) enum Program {
    /// argv template; placeholders filled per case.
    Argv(Vec<String>),
    /// A script run by `sh -c SCRIPT kaizen-jail ARGS...`.
    Shell(String),
}

/// A checked spec, ready to run cases.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) name: String,
    /// The spec file, as it was given.
    pub(crate) spec_path: PathBuf,
    /// The spec's folder and the project's, scrubbed from output to `[jail]` and `[root]`
    /// so that snapshots do not depend on where the project is checked out.
    pub(crate) path_marks: Vec<super::scrub::PathMark>,
    /// Where case directories are made.
    pub(crate) temp: TempBase,
    pub(crate) jail_dir: PathBuf,
    pub(crate) root: PathBuf,
    pub(crate) program: Program,
    pub(crate) cwd: Option<String>,
    pub(crate) env: BTreeMap<String, String>,
    pub(crate) inherit_env: Vec<String>,
    pub(crate) timeout: Duration,
    pub(crate) capture: Option<globset::GlobSet>,
    pub(crate) limit: u64,
    /// What one case's stdout, stderr and captured files may add up to.
    pub(crate) total: u64,
    pub(crate) scrubs: Vec<(regex::bytes::Regex, String)>,
}

/// The folder case directories are made in: the system's temp folder (`TMPDIR`), resolved
/// once per jail rather than once per case.
#[derive(Clone, Debug)]
pub(crate) struct TempBase {
    /// The resolved path (no symlinks), or the path as given if it cannot be resolved.
    pub(crate) canonical: PathBuf,
    /// The path as given, when it differs from the resolved one.
    pub(crate) raw: Option<PathBuf>,
}

impl TempBase {
    pub(crate) fn from_env() -> TempBase {
        let given = std::env::temp_dir();
        match given.canonicalize() {
            Ok(canonical) if canonical != given => TempBase {
                canonical,
                raw: Some(given),
            },
            _ => TempBase {
                canonical: given,
                raw: None,
            },
        }
    }
}

/// The spec's text and its name in messages: where errors point.
pub(crate) struct SpecText<'a> {
    /// The spec file as shown to the user (relative to the project when inside it).
    pub(crate) shown: &'a Path,
    /// The whole file.
    pub(crate) text: &'a str,
}

impl SpecText<'_> {
    /// An error at `line` about `field`.
    pub(crate) fn fail(
        &self,
        line: Option<usize>,
        field: &str,
        message: impl Into<String>,
        hint: &str,
    ) -> SpecError {
        SpecError::new(self.shown, line, field, message, hint)
    }

    /// The line of a top-level key.
    pub(crate) fn key(&self, name: &str) -> Option<usize> {
        key_line(self.text, name)
    }

    /// The line of `inner:` in the block under the top-level key `outer:`.
    pub(crate) fn sub_key(&self, outer: &str, inner: &str) -> Option<usize> {
        let start = self.key(outer)?;
        for (index, line) in self.text.lines().enumerate().skip(start) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if trimmed.len() == line.len() {
                return None;
            }
            if trimmed
                .strip_prefix(inner)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
            {
                return Some(index + 1);
            }
        }
        None
    }

    /// The lines of the items of a top-level list, read once for all of them.
    pub(crate) fn items(&self, key: &str) -> ItemLines {
        item_lines(self.text, key)
    }
}

/// Reads and checks a spec; returns its settings and its cases (counted, not generated).
pub(crate) fn load(
    spec_path: &Path,
    project_root: &Path,
) -> Result<(Settings, SpecCases), SpecError> {
    let files = SpecFiles::find(spec_path, project_root)?;
    let text = files.read()?;
    let spec = SpecText {
        shown: &files.shown,
        text: &text,
    };
    let raw = raw::parse(&text, &files.shown)?;
    let program = program(&spec, raw.command, raw.shell)?;
    check_cwd(&spec, raw.cwd.as_deref())?;
    check_inherit_env(&spec, &raw.inherit_env)?;
    let env = env_map(raw.env, |message, var| {
        spec.fail(
            spec.key("env"),
            &format!("env.{var}"),
            message,
            "use a plain variable name",
        )
    })?;
    let generates = raw.generate.is_some();
    let cases = SpecCases::new(
        &spec,
        raw.cases,
        raw.combinations,
        &files.jail_dir,
        generates,
    )?;
    let capture = capture_globs(&spec, raw.capture.files)?;
    let (limit, total) = capture_sizes(&spec, raw.capture.limit, raw.capture.total)?;
    let settings = Settings {
        name: files.name,
        spec_path: spec_path.to_path_buf(),
        path_marks: [
            path_mark(&files.jail_dir, JAIL_DIR_MARK),
            path_mark(&files.root, ROOT_MARK),
        ]
        .into_iter()
        .flatten()
        .collect(),
        temp: TempBase::from_env(),
        jail_dir: files.jail_dir,
        root: files.root,
        program,
        cwd: raw.cwd,
        env,
        inherit_env: raw.inherit_env,
        timeout: raw.timeout.map_or(DEFAULT_TIMEOUT, |DurationField(d)| d),
        capture,
        limit,
        total,
        scrubs: raw
            .scrub
            .into_iter()
            .map(|s| (s.regex.0, s.replace))
            .collect(),
    };
    Ok((settings, cases))
}

/// `capture.limit` and `capture.total`, with their defaults; a total set below the limit is
/// an error at its line (no case could capture one whole stream or file).
fn capture_sizes(
    spec: &SpecText<'_>,
    limit: Option<SizeField>,
    total: Option<SizeField>,
) -> Result<(u64, u64), SpecError> {
    let limit = limit.map_or(DEFAULT_LIMIT, |SizeField(s)| s);
    let total = match total {
        None => DEFAULT_TOTAL.max(limit.saturating_mul(4)),
        Some(SizeField(total)) if total >= limit => total,
        Some(SizeField(total)) => {
            return Err(spec.fail(
                spec.sub_key("capture", "total").or(spec.key("capture")),
                "capture.total",
                format!(
                    "{} is less than `capture.limit`, {}: one case could not capture one whole stream or file",
                    format_size(total),
                    format_size(limit)
                ),
                "raise `capture.total` (what one case's stdout, stderr and files may add up to) or lower `capture.limit`",
            ));
        }
    };
    Ok((limit, total))
}

/// Where a spec lives: the project, the spec's folder, its name and how it is shown.
struct SpecFiles {
    root: PathBuf,
    absolute: PathBuf,
    jail_dir: PathBuf,
    shown: PathBuf,
    name: String,
}

impl SpecFiles {
    fn find(spec_path: &Path, project_root: &Path) -> Result<SpecFiles, SpecError> {
        let root = project_root.canonicalize().map_err(|err| {
            SpecError::new(
                spec_path,
                None,
                "",
                format!(
                    "cannot open the project root {}: {err}",
                    project_root.display()
                ),
                "run kaizen from the project or pass an existing root",
            )
        })?;
        let absolute = spec_path.canonicalize().map_err(|err| {
            SpecError::new(
                spec_path,
                None,
                "",
                format!("cannot open the spec: {err}"),
                "check the path",
            )
        })?;
        let shown = absolute
            .strip_prefix(&root)
            .map_or_else(|_| spec_path.to_path_buf(), Path::to_path_buf);
        let name = jail_name(&absolute).map_err(|message| {
            SpecError::new(
                &shown,
                None,
                "",
                message,
                "name the spec like `report.yaml`: letters, digits, `_` and `-`",
            )
        })?;
        let jail_dir = absolute.parent().unwrap_or(&root).to_path_buf();
        Ok(SpecFiles {
            root,
            absolute,
            jail_dir,
            shown,
            name,
        })
    }

    fn read(&self) -> Result<String, SpecError> {
        std::fs::read_to_string(&self.absolute).map_err(|err| {
            SpecError::new(
                &self.shown,
                None,
                "",
                format!("cannot read the spec: {err}"),
                "save it as UTF-8 text",
            )
        })
    }
}

/// `command` and `shell` together: an argv list, or one script for `sh -c`.
fn program(spec: &SpecText<'_>, command: CommandField, shell: bool) -> Result<Program, SpecError> {
    let fail =
        |message: String, hint: &str| spec.fail(spec.key("command"), "command", message, hint);
    match (command, shell) {
        (CommandField::List(argv), _) if argv.is_empty() || argv[0].is_empty() => Err(fail(
            "names no program".to_string(),
            "write e.g. `command: [python3, \"{jail}/report.py\"]`",
        )),
        (CommandField::List(argv), false) => Ok(Program::Argv(argv)),
        (CommandField::List(mut argv), true) if argv.len() == 1 => {
            Ok(Program::Shell(argv.remove(0)))
        }
        (CommandField::List(argv), true) => Err(fail(
            format!(
                "`shell: true` needs one script string, got a list of {}",
                argv.len()
            ),
            "write the command as one string, e.g. `command: \"./legacy.sh | sort\"`, or drop `shell: true`",
        )),
        (CommandField::Text(script), true) if !script.trim().is_empty() => {
            Ok(Program::Shell(script))
        }
        (CommandField::Text(_), true) => Err(fail(
            "is empty".to_string(),
            "write the shell script to run",
        )),
        (CommandField::Text(script), false) => Err(fail(
            format!("\"{script}\" is a string, but commands run without a shell"),
            "write an argv list like `[python3, report.py]`, or add `shell: true` to run it through sh -c",
        )),
    }
}

/// A relative `cwd` stays inside the project.
fn check_cwd(spec: &SpecText<'_>, cwd: Option<&str>) -> Result<(), SpecError> {
    if let Some(cwd) = cwd
        && Path::new(cwd).is_relative()
        && let Err(message) = check_relative(cwd)
    {
        let (message, hint) = split_serde_message(&message);
        return Err(spec.fail(spec.key("cwd"), "cwd", message, &hint));
    }
    Ok(())
}

fn check_inherit_env(spec: &SpecText<'_>, names: &[String]) -> Result<(), SpecError> {
    for (index, name) in names.iter().enumerate() {
        check_env_name(name).map_err(|message| {
            spec.fail(
                spec.key("inherit_env"),
                &format!("inherit_env[{index}]"),
                message,
                "use a plain variable name",
            )
        })?;
    }
    Ok(())
}

/// `capture.files` as one glob set; `None` when nothing is captured.
fn capture_globs(
    spec: &SpecText<'_>,
    globs: Vec<GlobField>,
) -> Result<Option<globset::GlobSet>, SpecError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut builder = globset::GlobSetBuilder::new();
    for GlobField(glob) in globs {
        builder.add(glob);
    }
    builder.build().map(Some).map_err(|err| {
        spec.fail(
            spec.key("capture"),
            "capture.files",
            format!("the globs do not combine: {err}"),
            "simplify the globs",
        )
    })
}

/// Index rows for combinations: one row per case, one value index per
/// argument position (`sizes[i]` values at position `i`).
///
/// `pairwise: false` gives the full cartesian product in odometer order (last
/// position varies fastest). `pairwise: true` gives a smaller set in which
/// every pair of values from any two positions still appears together at
/// least once (see [`crate::cases::pairwise`]).
pub fn rows(sizes: &[usize], pairwise: bool) -> Vec<Vec<usize>> {
    if sizes.is_empty() || sizes.contains(&0) {
        return Vec::new();
    }
    if pairwise {
        crate::cases::pairwise::pairwise(sizes)
    } else {
        crate::cases::pairwise::cartesian(sizes).collect()
    }
}
