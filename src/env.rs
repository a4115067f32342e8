//! Every environment variable kaizen reads, in one place, and what they mean.
//!
//! kaizen has one switch, [`UPDATE`] (`KAIZEN_UPDATE`), that says whether a run may write
//! snapshot files. It mirrors insta's `INSTA_UPDATE` and behaves differently on CI:
//!
//! | value    | snapshot missing                       | behaviour changed or new inputs           |
//! |----------|----------------------------------------|-------------------------------------------|
//! | `auto`   | records it (`.snap`); on CI: fails     | writes pending `.snap.new`, fails; on CI: fails, writes nothing |
//! | `new`    | writes pending `.snap.new`, fails      | writes pending `.snap.new`, fails (also on CI) |
//! | `always` | records it (`.snap`)                   | re-records (`.snap`), passes              |
//! | `no`     | fails, writes nothing                  | fails, writes nothing                     |
//!
//! ```
//! use kaizen::env::UpdateMode;
//! assert_eq!("always".parse::<UpdateMode>().unwrap(), UpdateMode::Always);
//! assert!("sometimes".parse::<UpdateMode>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

/// `KAIZEN_UPDATE`: `auto` (default), `new`, `always` or `no`. See [`UpdateMode`].
pub const UPDATE: &str = "KAIZEN_UPDATE";
/// `CI`: set by most CI systems. When it is set, it decides alone: any value except empty,
/// `0` and `false` (in any case) means "running on CI". See [`is_ci`].
pub const CI: &str = "CI";
/// CI systems that do not set [`CI`], each named by a variable it always sets. When `CI` is
/// unset, any of them set (to any value) means a CI run. insta reads `TF_BUILD` the same way.
///
/// | variable | set by |
/// |---|---|
/// | `TF_BUILD` | Azure Pipelines (`True`) |
/// | `JENKINS_URL` | Jenkins |
/// | `TEAMCITY_VERSION` | TeamCity |
/// | `CODEBUILD_BUILD_ID` | AWS CodeBuild |
/// | `BUILDKITE` | Buildkite (`true`; it sets `CI` too) |
/// | `GITHUB_ACTIONS` | GitHub Actions (`true`; it sets `CI` too) |
/// | `GITLAB_CI` | GitLab CI/CD (`true`; it sets `CI` too) |
pub const CI_SYSTEMS: &[&str] = &[
    "TF_BUILD",
    "JENKINS_URL",
    "TEAMCITY_VERSION",
    "CODEBUILD_BUILD_ID",
    "BUILDKITE",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
];
/// `NO_COLOR`: when set to anything non-empty, reports are plain text.
pub const NO_COLOR: &str = "NO_COLOR";
/// `CLICOLOR_FORCE`: when set to anything but `0`, reports are coloured even off a terminal.
pub const CLICOLOR_FORCE: &str = "CLICOLOR_FORCE";
/// `CARGO_MANIFEST_DIR`: set by cargo while tests run; snapshots live below it.
pub const CARGO_MANIFEST_DIR: &str = "CARGO_MANIFEST_DIR";
/// `INSTA_UPDATE`: honoured when `KAIZEN_UPDATE` is unset, so `cargo insta test` works.
pub const INSTA_UPDATE: &str = "INSTA_UPDATE";
/// `INSTA_FORCE_PASS`: set by `cargo insta test`; failures still write pending files but pass.
pub const INSTA_FORCE_PASS: &str = "INSTA_FORCE_PASS";

/// `KAIZEN_MAX_SNAPSHOT_SIZE`: the largest snapshot file kaizen reads, in bytes or with a
/// binary suffix (`512M`, `2G`, `64k`). Default: [`DEFAULT_MAX_SNAPSHOT_SIZE`]. A bigger file is
/// refused before it is read, so a huge or wrong file never exhausts memory.
pub const MAX_SNAPSHOT_SIZE: &str = "KAIZEN_MAX_SNAPSHOT_SIZE";
/// The default of [`MAX_SNAPSHOT_SIZE`]: 256 MiB, far above any snapshot a test suite would
/// commit (Git hosts refuse files above 100 MB) and small enough to load safely.
pub const DEFAULT_MAX_SNAPSHOT_SIZE: u64 = 256 * 1024 * 1024;
/// `KAIZEN_MAX_SHOWN`: how many changed cases a `cargo test` report shows in full — a
/// number, or `all` (the `kaizen verify` options `--max-shown N` and `--all` say the same).
/// Wins over the jail's `max_shown` setting. Default: the setting (10).
pub const MAX_SHOWN: &str = "KAIZEN_MAX_SHOWN";
/// `KAIZEN_STRENGTHEN`: set by `kaizen strength --strengthen` for the test binaries it runs;
/// names a request folder. Under it, `Jail::check` explores or judges candidate inputs (see
/// `strengthen`) instead of verifying, and writes no snapshot.
pub const STRENGTHEN: &str = "KAIZEN_STRENGTHEN";

/// `KAIZEN_LINK_BASE`: where the HTML report's links to snapshot lines point: the text put
/// before `snapshots/NAME.snap#L12`, e.g. `https://github.com/OWNER/REPO/blob/COMMIT/`.
/// Default: nothing (paths relative to the project root, where the report is usually
/// written).
pub const LINK_BASE: &str = "KAIZEN_LINK_BASE";

/// `KAIZEN_SHARD`: verify only one part of every `cargo test` jail's cases, `K/N` (or
/// `hash:K/N`), as `kaizen verify --shard K/N` does; a sharded run never writes a snapshot.
/// See [`crate::shard`].
pub const SHARD: &str = "KAIZEN_SHARD";

/// The shard `KAIZEN_SHARD` names (read through `get`), if it is set and not empty.
///
/// ```
/// let get = |_: &str| Some("2/4".to_string());
/// assert_eq!(kaizen::env::shard(get).unwrap().unwrap().to_string(), "2/4");
/// assert!(kaizen::env::shard(|_: &str| Some("9/4".to_string())).is_err());
/// ```
pub fn shard(
    get: impl Fn(&str) -> Option<String>,
) -> Result<Option<crate::shard::Shard>, crate::Error> {
    match get(SHARD).filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|e| crate::Error::Config {
                message: format!("{SHARD}: {e}"),
                hint: format!("unset {SHARD} to verify every case"),
            }),
    }
}

/// `KAIZEN_STEP`: the kind of step a `cargo test` run checks, `refactor` or `feature`, as
/// `kaizen verify --refactor` / `--feature` do (the jail's `step` setting wins). See
/// [`crate::step`].
pub const STEP: &str = "KAIZEN_STEP";

/// The step `KAIZEN_STEP` names (read through `get`), if it is set and not empty.
///
/// ```
/// use kaizen::step::Step;
/// assert_eq!(kaizen::env::step(|_: &str| Some("feature".into())).unwrap(), Some(Step::Feature));
/// assert_eq!(kaizen::env::step(|_: &str| None).unwrap(), None);
/// assert!(kaizen::env::step(|_: &str| Some("fix".into())).is_err());
/// ```
pub fn step(
    get: impl Fn(&str) -> Option<String>,
) -> Result<Option<crate::step::Step>, crate::Error> {
    match get(STEP).filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| crate::Error::Config {
            message: format!("{STEP}={v:?} is not a kind of step"),
            hint: format!(
                "set {STEP} to one of: {} (or unset it)",
                crate::step::Step::VALUES
            ),
        }),
    }
}

/// `KAIZEN_LEDGER`: when set to `1` (or `true`, `yes`), every `cargo test` jail run appends
/// one line to the step ledger `snapshots/kaizen-steps.tsv`, as `kaizen verify --ledger`
/// does for a run of the command line (there one line per jail: `jails` is 1).
pub const LEDGER: &str = "KAIZEN_LEDGER";

/// `KAIZEN_FUZZ_CASES`: how many inputs kaizen's own robustness property tests try
/// (default 2,000 in `cargo test`); set it high for a long fuzzing run.
pub const FUZZ_CASES: &str = "KAIZEN_FUZZ_CASES";

/// `PATH`: where `kaizen strength` looks for `cargo-mutants`.
pub const PATH: &str = "PATH";
/// `KAIZEN_SLOW_TESTS`: set to `1` to run kaizen's own slow end-to-end tests (a real
/// cargo-mutants run); they are skipped otherwise.
pub const SLOW_TESTS: &str = "KAIZEN_SLOW_TESTS";

/// `KAIZEN_ISOLATED`: set by kaizen in the child process that runs one case of an isolated
/// jail ([`Jail::isolated`](crate::Jail::isolated)); names the jail the child serves. Not for
/// users to set.
pub const ISOLATED: &str = "KAIZEN_ISOLATED";
/// `KAIZEN_ISOLATED_DIR`: the folder where such a child writes what the case did.
pub const ISOLATED_DIR: &str = "KAIZEN_ISOLATED_DIR";
/// `KAIZEN_ISOLATED_PARENT`: the process id of the test process that started such a child;
/// the child stops at once if it finds itself outliving it.
pub const ISOLATED_PARENT: &str = "KAIZEN_ISOLATED_PARENT";

/// Variables a hermetic test of kaizen must remove from a child's environment.
pub const HERMETIC_STRIP: &[&str] = &[
    UPDATE,
    ISOLATED,
    ISOLATED_DIR,
    ISOLATED_PARENT,
    MAX_SNAPSHOT_SIZE,
    MAX_SHOWN,
    SHARD,
    STEP,
    LEDGER,
    CI,
    "TF_BUILD",
    "JENKINS_URL",
    "TEAMCITY_VERSION",
    "CODEBUILD_BUILD_ID",
    "BUILDKITE",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    NO_COLOR,
    CLICOLOR_FORCE,
    "CLICOLOR",
    "TERM",
    INSTA_UPDATE,
    INSTA_FORCE_PASS,
    "INSTA_WORKSPACE_ROOT",
    "INSTA_OUTPUT",
];

/// What a run may write, chosen by [`UPDATE`]. See the module docs for the full table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UpdateMode {
    /// Record a missing snapshot, write pending files for changes; write nothing on CI.
    #[default]
    Auto,
    /// Always write pending `.snap.new` files, never `.snap`.
    New,
    /// Write `.snap` directly: re-record and pass.
    Always,
    /// Never write anything.
    No,
}

impl UpdateMode {
    /// All accepted spellings, for error messages and `--help`.
    pub const VALUES: &'static str = "auto, new, always, no";

    /// The mode's spelling.
    ///
    /// ```
    /// assert_eq!(kaizen::env::UpdateMode::New.as_str(), "new");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateMode::Auto => "auto",
            UpdateMode::New => "new",
            UpdateMode::Always => "always",
            UpdateMode::No => "no",
        }
    }
}

impl fmt::Display for UpdateMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An update mode value that kaizen does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMode(pub String);

impl fmt::Display for UnknownMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown update mode {:?}; use one of: {}",
            self.0,
            UpdateMode::VALUES
        )
    }
}

impl std::error::Error for UnknownMode {}

impl FromStr for UpdateMode {
    type Err = UnknownMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "auto" | "" => Ok(UpdateMode::Auto),
            "new" => Ok(UpdateMode::New),
            "always" | "force" => Ok(UpdateMode::Always),
            "no" => Ok(UpdateMode::No),
            other => Err(UnknownMode(other.to_string())),
        }
    }
}

/// The run's update mode and CI flag. `Environment::default()` is a local run in `auto`
/// mode, as `cargo test` sees it on a machine with no variables set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Environment {
    /// The mode to apply.
    pub mode: UpdateMode,
    /// Whether this is a CI run: [`CI`], or when it is unset a [`CI_SYSTEMS`] variable.
    pub ci: bool,
    /// Whether failures should still pass (`INSTA_FORCE_PASS`, set by `cargo insta test`).
    pub force_pass: bool,
    /// How many changed cases a `cargo test` report shows in full ([`MAX_SHOWN`]); `None`:
    /// the jail's settings say.
    pub max_shown: Option<usize>,
    /// The largest snapshot file read ([`MAX_SNAPSHOT_SIZE`]); `None`:
    /// [`DEFAULT_MAX_SNAPSHOT_SIZE`]. See [`Environment::snapshot_size_limit`].
    pub max_snapshot_size: Option<u64>,
    /// The part of every `cargo test` jail's cases to verify ([`SHARD`]); `None`: all, unless
    /// the jail's settings name a shard.
    pub shard: Option<crate::shard::Shard>,
}

impl Environment {
    /// Reads [`UPDATE`] (or, when unset, [`INSTA_UPDATE`]), whether this is a CI run
    /// ([`is_ci`]), [`INSTA_FORCE_PASS`], [`MAX_SHOWN`], [`MAX_SNAPSHOT_SIZE`] and [`SHARD`]:
    /// every variable a run obeys, read once, at the front door.
    ///
    /// An unknown value is an error naming the variable and the accepted values.
    pub fn from_process() -> Result<Environment, crate::Error> {
        Environment::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Environment::from_process`], reading variables through `get`.
    ///
    /// ```
    /// use kaizen::env::{Environment, UpdateMode};
    /// let env = Environment::from_lookup(|name| match name {
    ///     "KAIZEN_UPDATE" => Some("no".to_string()),
    ///     "CI" => Some("false".to_string()),
    ///     _ => None,
    /// })
    /// .unwrap();
    /// assert_eq!(env.mode, UpdateMode::No);
    /// assert!(!env.ci);
    /// ```
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Environment, crate::Error> {
        let ci = is_ci(&get);
        let force_pass = get(INSTA_FORCE_PASS).is_some_and(|v| is_truthy(&v));
        let (var, value) = match get(UPDATE) {
            Some(v) => (UPDATE, Some(v)),
            None => (INSTA_UPDATE, get(INSTA_UPDATE).map(|v| insta_spelling(&v))),
        };
        let mode = match value {
            None => UpdateMode::Auto,
            Some(v) => v.parse().map_err(|e: UnknownMode| crate::Error::Config {
                message: format!("{var}={:?} is not a known update mode", e.0),
                hint: format!("set {var} to one of: {}", UpdateMode::VALUES),
            })?,
        };
        let max_snapshot_size = match get(MAX_SNAPSHOT_SIZE) {
            None => None,
            Some(_) => Some(max_snapshot_size(&get)?),
        };
        Ok(Environment {
            mode,
            ci,
            force_pass,
            max_shown: max_shown(&get)?,
            max_snapshot_size,
            shard: shard(&get)?,
        })
    }

    /// The largest snapshot file a run reads: [`MAX_SNAPSHOT_SIZE`] when it was set, else
    /// [`DEFAULT_MAX_SNAPSHOT_SIZE`].
    pub fn snapshot_size_limit(&self) -> u64 {
        self.max_snapshot_size.unwrap_or(DEFAULT_MAX_SNAPSHOT_SIZE)
    }

    /// May this run write an accepted `.snap` for a jail that has none yet?
    pub fn records_missing(&self) -> bool {
        match self.mode {
            UpdateMode::Auto => !self.ci,
            UpdateMode::Always => true,
            UpdateMode::New | UpdateMode::No => false,
        }
    }

    /// May this run write a pending `.snap.new`?
    pub fn writes_pending(&self) -> bool {
        match self.mode {
            UpdateMode::Auto => !self.ci,
            UpdateMode::New => true,
            UpdateMode::Always | UpdateMode::No => false,
        }
    }
}

/// Reads a variable of this process's environment: the `get` to pass to the functions here
/// at a front door (`cargo test`'s [`Jail::check`](crate::Jail::check), the `kaizen` binary).
pub fn process(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The snapshot size limit: [`MAX_SNAPSHOT_SIZE`] read through `get`, else the default.
///
/// ```
/// use kaizen::env::{max_snapshot_size, DEFAULT_MAX_SNAPSHOT_SIZE};
/// assert_eq!(max_snapshot_size(|_| None).unwrap(), DEFAULT_MAX_SNAPSHOT_SIZE);
/// assert_eq!(max_snapshot_size(|_| Some("2G".into())).unwrap(), 2 << 30);
/// assert!(max_snapshot_size(|_| Some("lots".into())).is_err());
/// ```
pub fn max_snapshot_size(get: impl Fn(&str) -> Option<String>) -> Result<u64, crate::Error> {
    match get(MAX_SNAPSHOT_SIZE) {
        None => Ok(DEFAULT_MAX_SNAPSHOT_SIZE),
        Some(v) => parse_size(&v).ok_or_else(|| crate::Error::Config {
            message: format!("{MAX_SNAPSHOT_SIZE}={v:?} is not a size"),
            hint: format!(
                "set {MAX_SNAPSHOT_SIZE} to a number of bytes, optionally with k, M or G (binary units), e.g. 512M"
            ),
        }),
    }
}

/// How many changed cases to show in full, from [`MAX_SHOWN`] read through `get`: `None`
/// when it is unset, every case for `all`.
///
/// ```
/// use kaizen::env::max_shown;
/// assert_eq!(max_shown(|_| None).unwrap(), None);
/// assert_eq!(max_shown(|_| Some("25".into())).unwrap(), Some(25));
/// assert_eq!(max_shown(|_| Some("all".into())).unwrap(), Some(usize::MAX));
/// assert!(max_shown(|_| Some("many".into())).is_err());
/// ```
pub fn max_shown(get: impl Fn(&str) -> Option<String>) -> Result<Option<usize>, crate::Error> {
    let Some(value) = get(MAX_SHOWN) else {
        return Ok(None);
    };
    match value.trim() {
        "all" => Ok(Some(usize::MAX)),
        n => n.parse().map(Some).map_err(|_| crate::Error::Config {
            message: format!("{MAX_SHOWN}={value:?} is not a number of cases"),
            hint: format!("set {MAX_SHOWN} to a number, or to `all` to show every changed case"),
        }),
    }
}

/// Parses a size: bytes, or a number with a binary suffix `k`, `M`, `G`, `T` (`KiB`, `MB`, …
/// are read the same way). `None` for anything else, zero, or an overflow.
///
/// ```
/// use kaizen::env::parse_size;
/// assert_eq!(parse_size("4096"), Some(4096));
/// assert_eq!(parse_size("512M"), Some(512 << 20));
/// assert_eq!(parse_size("1 GiB"), Some(1 << 30));
/// assert_eq!(parse_size("0"), None);
/// assert_eq!(parse_size("-1"), None);
/// ```
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let number: u64 = digits.parse().ok()?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.strip_suffix('b').unwrap_or(&unit);
    let unit = unit.strip_suffix('i').unwrap_or(unit);
    let shift = match unit {
        "" => 0,
        "k" => 10,
        "m" => 20,
        "g" => 30,
        "t" => 40,
        _ => return None,
    };
    let size = number.checked_mul(1u64 << shift)?;
    (size > 0).then_some(size)
}

/// insta's own spellings that mean the same as ours.
fn insta_spelling(value: &str) -> String {
    match value {
        "unseen" => "new".to_string(),
        "1" => "always".to_string(),
        "0" => "no".to_string(),
        other => other.to_string(),
    }
}

/// Whether the variables read through `get` say this is a CI run: [`CI`] decides when it is
/// set ([`is_truthy`]); otherwise any of [`CI_SYSTEMS`] set, to any value, means CI.
///
/// ```
/// use kaizen::env::is_ci;
/// let vars = |pairs: &'static [(&'static str, &'static str)]| {
///     move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
/// };
/// assert!(is_ci(vars(&[("CI", "true")])));
/// assert!(is_ci(vars(&[("TF_BUILD", "True")])));
/// assert!(!is_ci(vars(&[("CI", "false"), ("TF_BUILD", "True")])));
/// assert!(!is_ci(vars(&[])));
/// ```
pub fn is_ci(get: impl Fn(&str) -> Option<String>) -> bool {
    match get(CI) {
        Some(value) => is_truthy(&value),
        None => CI_SYSTEMS.iter().any(|name| get(name).is_some()),
    }
}

/// `CI=0`, `CI=false` and an empty `CI` mean "not CI"; anything else means CI.
///
/// ```
/// assert!(kaizen::env::is_truthy("true"));
/// assert!(kaizen::env::is_truthy("1"));
/// assert!(!kaizen::env::is_truthy("false"));
/// assert!(!kaizen::env::is_truthy("0"));
/// ```
pub fn is_truthy(value: &str) -> bool {
    let v = value.trim();
    !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false"))
}

/// Should output to a stream be coloured (read at a front door)? `NO_COLOR` wins, then `CLICOLOR_FORCE`, then
/// whether the stream is a terminal.
pub fn use_color(is_terminal: bool) -> bool {
    use_color_with(is_terminal, process)
}

/// Like [`use_color`], reading variables through `get`.
///
/// ```
/// use kaizen::env::use_color_with;
/// let none = |_: &str| None;
/// assert!(use_color_with(true, none));
/// assert!(!use_color_with(false, none));
/// assert!(!use_color_with(true, |n: &str| (n == "NO_COLOR").then(|| "1".to_string())));
/// assert!(use_color_with(false, |n: &str| (n == "CLICOLOR_FORCE").then(|| "1".to_string())));
/// ```
pub fn use_color_with(is_terminal: bool, get: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| get(name).filter(|v| !v.is_empty());
    if set(NO_COLOR).is_some() {
        return false;
    }
    if set(CLICOLOR_FORCE).is_some_and(|v| v != "0") {
        return true;
    }
    is_terminal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Result<Environment, crate::Error> {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Environment::from_lookup(move |name| {
            owned
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn auto_records_locally_but_writes_nothing_on_ci() {
        let local = env(&[]).unwrap();
        assert!(local.records_missing() && local.writes_pending());
        let ci = env(&[("CI", "true")]).unwrap();
        assert!(!ci.records_missing() && !ci.writes_pending());
    }

    #[test]
    fn ci_set_to_zero_or_false_is_not_ci() {
        assert!(!env(&[("CI", "0")]).unwrap().ci);
        assert!(!env(&[("CI", "false")]).unwrap().ci);
        assert!(!env(&[("CI", "FALSE")]).unwrap().ci);
        assert!(!env(&[("CI", "")]).unwrap().ci);
        assert!(!env(&[("CI", " false ")]).unwrap().ci);
        assert!(env(&[("CI", "yes")]).unwrap().ci);
        // When `CI` is set it decides alone, whatever a CI system's variable says.
        for name in CI_SYSTEMS {
            assert!(!env(&[("CI", ""), (name, "True")]).unwrap().ci, "{name}");
        }
    }

    #[test]
    fn a_ci_system_that_does_not_set_ci_is_still_ci() {
        for name in CI_SYSTEMS {
            assert!(env(&[(name, "True")]).unwrap().ci, "{name}");
            assert!(env(&[(name, "")]).unwrap().ci, "{name} set empty");
        }
        assert!(
            !env(&[("CI", "0"), ("JENKINS_URL", "http://ci")])
                .unwrap()
                .ci
        );
    }

    #[test]
    fn hermetic_tests_strip_every_variable_that_means_ci() {
        assert!(HERMETIC_STRIP.contains(&CI));
        for name in CI_SYSTEMS {
            assert!(HERMETIC_STRIP.contains(name), "{name}");
        }
    }

    #[test]
    fn new_writes_pending_even_on_ci() {
        let e = env(&[("CI", "1"), ("KAIZEN_UPDATE", "new")]).unwrap();
        assert!(e.writes_pending() && !e.records_missing());
    }

    #[test]
    fn kaizen_update_wins_over_insta_update() {
        let e = env(&[("KAIZEN_UPDATE", "no"), ("INSTA_UPDATE", "always")]).unwrap();
        assert_eq!(e.mode, UpdateMode::No);
        let e = env(&[("INSTA_UPDATE", "unseen")]).unwrap();
        assert_eq!(e.mode, UpdateMode::New);
    }

    #[test]
    fn an_unknown_mode_names_the_variable_and_the_accepted_values() {
        let err = env(&[("KAIZEN_UPDATE", "sometimes")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("KAIZEN_UPDATE=\"sometimes\""), "{err}");
        assert!(err.contains("auto, new, always, no"), "{err}");
    }
}
