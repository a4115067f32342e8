//! Reading and checking a jail spec (`jail/NAME.yaml`) and expanding its cases.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::bytes::Data;
use super::case::CommandCase;
use super::error::{SpecError, item_line, key_line, split_serde_message};
use super::fields::{
    Arg, CommandField, DurationField, GlobField, RegexField, RelPath, SizeField, check_env_name,
    env_map, jail_name, stdin_of,
};

/// Per-case time limit when the spec sets none.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Capture limit per stream or file when the spec sets none.
pub(crate) const DEFAULT_LIMIT: u64 = 10 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    command: CommandField,
    #[serde(default)]
    shell: bool,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, Arg>,
    #[serde(default)]
    inherit_env: Vec<String>,
    #[serde(default)]
    timeout: Option<DurationField>,
    #[serde(default)]
    capture: RawCapture,
    #[serde(default)]
    scrub: Vec<RawScrub>,
    #[serde(default)]
    cases: Vec<RawCase>,
    #[serde(default)]
    combinations: Option<RawCombinations>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    #[serde(default)]
    files: Vec<GlobField>,
    #[serde(default)]
    limit: Option<SizeField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScrub {
    regex: RegexField,
    replace: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    #[serde(default)]
    args: Vec<Arg>,
    #[serde(default)]
    stdin: Option<Data>,
    #[serde(default)]
    stdin_file: Option<RelPath>,
    #[serde(default)]
    env: BTreeMap<String, Arg>,
    #[serde(default)]
    files: BTreeMap<RelPath, Data>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCombinations {
    args: Vec<Vec<Arg>>,
    #[serde(default)]
    stdin: Option<Data>,
    #[serde(default)]
    stdin_file: Option<RelPath>,
    #[serde(default)]
    env: BTreeMap<String, Arg>,
    #[serde(default)]
    files: BTreeMap<RelPath, Data>,
    #[serde(default)]
    pairwise: bool,
}

/// How the program is started.
#[derive(Clone, Debug)]
pub(crate) enum Program {
    /// argv template; placeholders filled per case.
    Argv(Vec<String>),
    /// A script run by `sh -c SCRIPT kaizen-jail ARGS...`.
    Shell(String),
}

/// A checked spec, ready to run cases.
#[derive(Debug)]
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
    pub(crate) scrubs: Vec<(regex::bytes::Regex, String)>,
}

/// The folder case directories are made in: the system's temp folder (`TMPDIR`), resolved
/// once per jail rather than once per case.
#[derive(Debug)]
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

/// Reads and checks a spec; returns its settings and its cases in file order.
pub(crate) fn load(
    spec_path: &Path,
    project_root: &Path,
) -> Result<(Settings, Vec<CommandCase>), SpecError> {
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
    let fail = |line: Option<usize>, field: &str, message: String, hint: &str| {
        SpecError::new(&shown, line, field, message, hint)
    };
    let name = jail_name(&absolute).map_err(|message| {
        fail(
            None,
            "",
            message,
            "name the spec like `report.yaml`: letters, digits, `_` and `-`",
        )
    })?;
    let jail_dir = absolute.parent().unwrap_or(&root).to_path_buf();
    let text = std::fs::read_to_string(&absolute).map_err(|err| {
        fail(
            None,
            "",
            format!("cannot read the spec: {err}"),
            "save it as UTF-8 text",
        )
    })?;

    let raw: RawSpec = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(&text))
        .map_err(|err| {
            let path = err.path().to_string();
            let line = err.inner().location().map(|loc| loc.line());
            let text = err.inner().to_string();
            // serde_yaml puts its own path in front of the message; we name the field separately.
            let text = match text.split_once(": ") {
                Some((yaml_path, rest)) if path.starts_with(yaml_path) => rest,
                _ => &text,
            };
            let (message, hint) = split_serde_message(text);
            let mut field = if path == "." { String::new() } else { path };
            if let Some(rest) = message.strip_prefix("unknown field `") {
                let unknown = rest.split('`').next().unwrap_or_default();
                field = if field.ends_with(unknown) {
                    field
                } else if field.is_empty() {
                    unknown.to_string()
                } else {
                    format!("{field}.{unknown}")
                };
            }
            SpecError::new(&shown, line, field, message, hint)
        })?;

    let key = |name: &str| key_line(&text, name);
    let program = match (raw.command, raw.shell) {
        (CommandField::List(argv), _) if argv.is_empty() || argv[0].is_empty() => {
            return Err(fail(
                key("command"),
                "command",
                "names no program".to_string(),
                "write e.g. `command: [python3, \"{jail}/report.py\"]`",
            ));
        }
        (CommandField::List(argv), false) => Program::Argv(argv),
        (CommandField::List(mut argv), true) if argv.len() == 1 => Program::Shell(argv.remove(0)),
        (CommandField::List(argv), true) => {
            return Err(fail(
                key("command"),
                "command",
                format!(
                    "`shell: true` needs one script string, got a list of {}",
                    argv.len()
                ),
                "write the command as one string, e.g. `command: \"./legacy.sh | sort\"`, or drop `shell: true`",
            ));
        }
        (CommandField::Text(script), true) if !script.trim().is_empty() => Program::Shell(script),
        (CommandField::Text(_), true) => {
            return Err(fail(
                key("command"),
                "command",
                "is empty".to_string(),
                "write the shell script to run",
            ));
        }
        (CommandField::Text(script), false) => {
            return Err(fail(
                key("command"),
                "command",
                format!("\"{script}\" is a string, but commands run without a shell"),
                "write an argv list like `[python3, report.py]`, or add `shell: true` to run it through sh -c",
            ));
        }
    };
    if let Some(cwd) = &raw.cwd
        && Path::new(cwd).is_relative()
        && let Err(message) = super::fields::check_relative(cwd)
    {
        let (message, hint) = split_serde_message(&message);
        return Err(fail(key("cwd"), "cwd", message, &hint));
    }
    for (index, name) in raw.inherit_env.iter().enumerate() {
        check_env_name(name).map_err(|message| {
            fail(
                key("inherit_env"),
                &format!("inherit_env[{index}]"),
                message,
                "use a plain variable name",
            )
        })?;
    }
    let env = env_map(raw.env, |message, var| {
        fail(
            key("env"),
            &format!("env.{var}"),
            message,
            "use a plain variable name",
        )
    })?;

    let mut cases = Vec::new();
    for (index, case) in raw.cases.into_iter().enumerate() {
        let field = format!("cases[{index}]");
        let line = item_line(&text, "cases", index);
        let stdin = stdin_of(case.stdin, case.stdin_file, &jail_dir, |message, hint| {
            fail(line, &field, message, hint)
        })?;
        let env = env_map(case.env, |message, var| {
            fail(
                line,
                &format!("{field}.env.{var}"),
                message,
                "use a plain variable name",
            )
        })?;
        cases.push(CommandCase {
            args: case.args.into_iter().map(|Arg(arg)| arg).collect(),
            stdin,
            env,
            files: case
                .files
                .into_iter()
                .map(|(RelPath(path), data)| (path, data))
                .collect(),
        });
    }
    let explicit = cases.len();
    if let Some(combos) = raw.combinations {
        let line = key("combinations");
        let field = "combinations";
        if combos.args.is_empty() {
            return Err(fail(
                line,
                "combinations.args",
                "lists no argument positions".to_string(),
                "give one list of values per argument, e.g. `args: [[--csv, --text], [\"0\", \"12\"]]`",
            ));
        }
        for (position, values) in combos.args.iter().enumerate() {
            if values.is_empty() {
                return Err(fail(
                    line,
                    &format!("combinations.args[{position}]"),
                    "is an empty list".to_string(),
                    "give at least one value, or remove the position",
                ));
            }
        }
        let stdin = stdin_of(
            combos.stdin,
            combos.stdin_file,
            &jail_dir,
            |message, hint| fail(line, field, message, hint),
        )?;
        let env = env_map(combos.env, |message, var| {
            fail(
                line,
                &format!("combinations.env.{var}"),
                message,
                "use a plain variable name",
            )
        })?;
        let files: BTreeMap<String, Data> = combos
            .files
            .into_iter()
            .map(|(RelPath(path), data)| (path, data))
            .collect();
        let sizes: Vec<usize> = combos.args.iter().map(Vec::len).collect();
        for row in rows(&sizes, combos.pairwise) {
            cases.push(CommandCase {
                args: row
                    .iter()
                    .enumerate()
                    .map(|(pos, &value)| combos.args[pos][value].0.clone())
                    .collect(),
                stdin: stdin.clone(),
                env: env.clone(),
                files: files.clone(),
            });
        }
    }
    if cases.is_empty() {
        return Err(fail(
            key("cases"),
            "cases",
            "the spec has no cases".to_string(),
            "add `cases:` with at least one `- args: [...]` entry, or `combinations:`",
        ));
    }
    let mut seen: HashMap<&CommandCase, usize> = HashMap::new();
    for (index, case) in cases.iter().enumerate() {
        if let Some(&first) = seen.get(case) {
            let describe = |i: usize| {
                if i < explicit {
                    format!("cases[{i}]")
                } else {
                    format!("combination {}", i - explicit + 1)
                }
            };
            let (line, field) = if index < explicit {
                (item_line(&text, "cases", index), describe(index))
            } else {
                (key("combinations"), "combinations".to_string())
            };
            return Err(fail(
                line,
                &field,
                format!(
                    "{} repeats {} ({})",
                    describe(index),
                    describe(first),
                    case.summary()
                ),
                "remove one of them: every case must differ in args, stdin, env or files",
            ));
        }
        seen.insert(case, index);
    }

    let capture = if raw.capture.files.is_empty() {
        None
    } else {
        let mut builder = globset::GlobSetBuilder::new();
        for GlobField(glob) in raw.capture.files {
            builder.add(glob);
        }
        Some(builder.build().map_err(|err| {
            fail(
                key("capture"),
                "capture.files",
                format!("the globs do not combine: {err}"),
                "simplify the globs",
            )
        })?)
    };
    let settings = Settings {
        name,
        spec_path: spec_path.to_path_buf(),
        path_marks: [
            super::scrub::path_mark(&jail_dir, super::scrub::JAIL_DIR_MARK),
            super::scrub::path_mark(&root, super::scrub::ROOT_MARK),
        ]
        .into_iter()
        .flatten()
        .collect(),
        temp: TempBase::from_env(),
        jail_dir,
        root,
        program,
        cwd: raw.cwd,
        env,
        inherit_env: raw.inherit_env,
        timeout: raw.timeout.map_or(DEFAULT_TIMEOUT, |DurationField(d)| d),
        capture,
        limit: raw.capture.limit.map_or(DEFAULT_LIMIT, |SizeField(s)| s),
        scrubs: raw
            .scrub
            .into_iter()
            .map(|s| (s.regex.0, s.replace))
            .collect(),
    };
    Ok((settings, cases))
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
