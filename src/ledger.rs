//! The ledgers kept beside the snapshots, in the repository, for review:
//!
//! - `snapshots/kaizen-ledger.yaml`: every acceptance of changed behaviour — the jail, the
//!   cases, a digest of their behaviour before → after, the reason, the date and the git
//!   commit (when the project is a git checkout). One YAML list item per acceptance,
//!   appended, so a pull request shows each new entry as added lines.
//! - `snapshots/kaizen-steps.tsv`: one line per `kaizen verify --ledger` run (date, commit,
//!   jails, cases, same, changed, new, milliseconds): the record of each 1% step.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::Error;

/// The acceptance ledger's file name in the snapshot folder.
pub const LEDGER_FILE: &str = "kaizen-ledger.yaml";
/// The step ledger's file name in the snapshot folder.
pub const STEPS_FILE: &str = "kaizen-steps.tsv";

/// One acceptance of changed behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When, in UTC (`2026-12-02T18:30:00Z`).
    pub date: String,
    /// The jail.
    pub jail: String,
    /// The commit checked out when it was accepted (short hash), if any.
    pub commit: Option<String>,
    /// The accepted cases, by number.
    pub cases: Vec<usize>,
    /// The ways they changed (`` `- exit: 0` / `+ exit: 1` ``), one per group.
    pub changes: Vec<String>,
    /// Digest of the accepted cases' behaviour before → after (64-bit FNV-1a, hex).
    pub behaviour: String,
    /// Why the change is wanted.
    pub reason: String,
}
crate::serde_fields::serde_fields!(Entry { date, jail, commit = default, cases, changes, behaviour, reason });

/// The digest of behaviour texts, in order.
pub fn digest<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut all = Vec::new();
    for t in texts {
        all.extend_from_slice(t.as_bytes());
        all.push(0);
    }
    format!("{:016x}", crate::shard::fnv1a(&all))
}

/// Appends `entry` to the ledger in `snapshot_dir`.
pub fn append(snapshot_dir: &Path, entry: &Entry) -> Result<(), Error> {
    let text = serde_yaml::to_string(&vec![entry]).map_err(|e| Error::Config {
        message: format!("cannot write a ledger entry: {e}"),
        hint: "report this as a bug of kaizen".into(),
    })?;
    append_text(&snapshot_dir.join(LEDGER_FILE), &text)
}

/// Reads the ledger in `snapshot_dir` (empty when there is none yet).
pub fn read(snapshot_dir: &Path) -> Result<Vec<Entry>, Error> {
    let path = snapshot_dir.join(LEDGER_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&path, "read the ledger", e)),
    };
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_yaml::from_str(&text).map_err(|e| Error::Config {
        message: format!(
            "{}:{}: the ledger is not valid: {e}",
            path.display(),
            e.location().map_or(1, |l| l.line())
        ),
        hint: "fix the entry by hand (it is a YAML list), or restore it from git".into(),
    })
}

/// The cases of `jail` that the ledger's entries of this step name: the newest entry and the
/// entries just before it accepted on the same commit (or, outside git, with no commit).
/// A feature step (`kaizen verify --feature`) lets only these cases change.
///
/// ```
/// use kaizen::ledger::{Entry, named_in_step};
/// let entry = |jail: &str, commit: &str, cases: Vec<usize>| Entry {
///     date: String::new(), jail: jail.into(), commit: Some(commit.into()), cases,
///     changes: vec![], behaviour: String::new(), reason: "why".into(),
/// };
/// let ledger = [
///     entry("fizz", "a1", vec![2]),        // an earlier step
///     entry("fizz", "b2", vec![1, 4]),
///     entry("other", "b2", vec![9]),
///     entry("fizz", "b2", vec![8]),
/// ];
/// assert_eq!(named_in_step(&ledger, "fizz").into_iter().collect::<Vec<_>>(), [1, 4, 8]);
/// assert!(named_in_step(&ledger[..1], "other").is_empty());
/// ```
pub fn named_in_step(entries: &[Entry], jail: &str) -> std::collections::BTreeSet<usize> {
    let Some(newest) = entries.last() else {
        return Default::default();
    };
    entries
        .iter()
        .rev()
        .take_while(|e| e.commit == newest.commit)
        .filter(|e| e.jail == jail)
        .flat_map(|e| e.cases.iter().copied())
        .collect()
}

/// [`named_in_step`] for the ledger in `snapshot_dir` (nothing named when there is none).
pub fn read_named_in_step(
    snapshot_dir: &Path,
    jail: &str,
) -> Result<std::collections::BTreeSet<usize>, Error> {
    Ok(named_in_step(&read(snapshot_dir)?, jail))
}

/// One verify run in the step ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// When, in UTC.
    pub date: String,
    /// The commit checked out, or `-`.
    pub commit: String,
    /// Jails verified.
    pub jails: usize,
    /// Cases verified.
    pub cases: usize,
    /// Cases that behave as recorded.
    pub same: usize,
    /// Cases that changed.
    pub changed: usize,
    /// Inputs not yet recorded.
    pub new: usize,
    /// How long the run took, in milliseconds.
    pub millis: u128,
}

const STEPS_HEADER: &str = "date\tcommit\tjails\tcases\tsame\tchanged\tnew\tmillis\n";

/// Appends a step to the step ledger in `snapshot_dir` (with a header line when it is new).
pub fn append_step(snapshot_dir: &Path, step: &Step) -> Result<(), Error> {
    let path = snapshot_dir.join(STEPS_FILE);
    let mut line = String::new();
    if !path.exists() {
        line.push_str(STEPS_HEADER);
    }
    line.push_str(&format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        step.date,
        step.commit,
        step.jails,
        step.cases,
        step.same,
        step.changed,
        step.new,
        step.millis
    ));
    append_text(&path, &line)
}

/// Reads the step ledger in `snapshot_dir`.
pub fn read_steps(snapshot_dir: &Path) -> Result<Vec<Step>, Error> {
    let path = snapshot_dir.join(STEPS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&path, "read the step ledger", e)),
    };
    let mut steps = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        // The header, also when two processes created the file at once.
        if line.starts_with("date\t") {
            continue;
        }
        let bad = || Error::Config {
            message: format!(
                "{}:{}: not a step line (8 tab-separated fields: {})",
                path.display(),
                i + 1,
                STEPS_HEADER.trim_end().replace('\t', ", ")
            ),
            hint: "fix or delete the line".into(),
        };
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 8 {
            return Err(bad());
        }
        let n = |s: &str| s.parse::<usize>().map_err(|_| bad());
        steps.push(Step {
            date: f[0].to_string(),
            commit: f[1].to_string(),
            jails: n(f[2])?,
            cases: n(f[3])?,
            same: n(f[4])?,
            changed: n(f[5])?,
            new: n(f[6])?,
            millis: f[7].parse().map_err(|_| bad())?,
        });
    }
    Ok(steps)
}

/// Appends `text` to `path` in one write, creating the file (and its folder) if needed.
fn append_text(path: &PathBuf, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the folder", e))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, "open the ledger", e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(path, "append to the ledger", e))
}

/// The short hash of the commit checked out in `root`, if it is a git checkout.
pub fn git_commit(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let hash = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !hash.is_empty()).then_some(hash)
}

/// Now, in UTC: `2026-12-02T18:30:00Z`.
pub fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc(secs)
}

/// Seconds since 1970 as a UTC date and time (the proleptic Gregorian calendar).
///
/// ```
/// assert_eq!(kaizen::ledger::utc(0), "1970-01-01T00:00:00Z");
/// assert_eq!(kaizen::ledger::utc(1_796_236_200), "2026-12-02T18:30:00Z");
/// assert_eq!(kaizen::ledger::utc(951_782_400), "2000-02-29T00:00:00Z");
/// ```
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
