//! The verifier: replays every recorded input against the code as it is now, compares
//! behaviour case by case, and — as the update mode allows — records or writes pending
//! files. Its result is a [`Verdict`], which the report module renders.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::cases::{Case, Origin};
use crate::env::{Environment, UpdateMode};
use crate::jail::Jailed;
use crate::record::{self, Observed, Prepared};
use crate::snapshot::{self, FORMAT_VERSION, Header, Info, format, lock::Lock};
use crate::{Error, ExitCode};

mod lockstep;
#[cfg(test)]
mod tests;

/// What a verification run needs besides the jail and its cases.
pub struct Context<'a> {
    /// The snapshot file (`…/NAME.snap`).
    pub snapshot: PathBuf,
    /// The update mode and CI flag.
    pub env: Environment,
    /// The file that defines the jail (a test file or a jail spec), for the header.
    pub source: Option<String>,
    /// The line of the call, for pending files.
    pub line: Option<u32>,
    /// One line per input source, for the header.
    pub sources: Vec<String>,
    /// The seed of generated inputs, if any.
    pub seed: Option<u64>,
    /// Threads that run cases.
    pub jobs: usize,
    /// How many changed cases to keep in full for the report.
    pub max_shown: usize,
    /// The command that records this jail, for messages.
    pub record_command: String,
    /// Called once per finished case (progress bars).
    pub tick: &'a (dyn Fn() + Sync),
    /// Runs of each case before anything is written (`kaizen record --runs N`); cases
    /// whose behaviour differs between runs are refused. 1 runs each case once.
    pub runs: usize,
}

/// One case whose behaviour differs from the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// 1-based position of the case in the snapshot.
    pub number: usize,
    /// Line of the case in the snapshot file.
    pub line: usize,
    /// Where the input comes from now, if a source still produces it.
    pub origin: Option<Origin>,
    /// The input, as YAML for people.
    pub input: String,
    /// The recorded behaviour, as YAML for people.
    pub expected: String,
    /// The behaviour now, as YAML for people.
    pub actual: String,
    /// Label of the recorded behaviour (`returned`, `panicked`, `exit 0`, …).
    pub expected_label: String,
    /// Label of the behaviour now.
    pub actual_label: String,
    /// When the input was shrunk (oracle mode): the input first found to differ and how
    /// many shrink steps led from it to [`Difference::input`]. `None` otherwise.
    pub shrunk: Option<Shrunk>,
}

/// How a differing generated input was shrunk to the minimal one a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shrunk {
    /// The input as first drawn, as YAML for people.
    pub original_input: String,
    /// Candidate inputs tried while shrinking.
    pub steps: usize,
}

/// What a verdict compares each case's behaviour against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Baseline {
    /// The behaviour recorded in a snapshot (`- recorded`, `+ now`).
    #[default]
    Snapshot,
    /// The jailed original run live beside the refactored code (`- original`,
    /// `+ refactored`); nothing is recorded.
    Oracle,
}

impl Baseline {
    /// The names of the two sides of a difference: expected, then actual.
    ///
    /// ```
    /// use kaizen::verify::Baseline;
    /// assert_eq!(Baseline::Snapshot.labels(), ("recorded", "now"));
    /// assert_eq!(Baseline::Oracle.labels(), ("original", "refactored"));
    /// ```
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Baseline::Snapshot => ("recorded", "now"),
            Baseline::Oracle => ("original", "refactored"),
        }
    }
}

/// An input that the sources produce but the snapshot does not hold yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// Its source.
    pub origin: Origin,
    /// The input, as YAML for people.
    pub input: String,
    /// What the code does with it now, as YAML for people.
    pub actual: String,
}

/// Which file a run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Nothing was written.
    Nothing,
    /// A missing snapshot was recorded.
    Recorded(PathBuf),
    /// A pending `.snap.new` file waits for review.
    Pending(PathBuf),
    /// The snapshot was re-recorded (`KAIZEN_UPDATE=always`).
    Rerecorded(PathBuf),
}

/// The result of verifying one jail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The jail's name.
    pub jail: String,
    /// Its snapshot file.
    pub snapshot: PathBuf,
    /// Whether there was a snapshot to verify against.
    pub had_snapshot: bool,
    /// Recorded cases replayed.
    pub total: usize,
    /// Recorded cases that behave as recorded.
    pub same: usize,
    /// Recorded cases that behave differently.
    pub changed: usize,
    /// Inputs the sources produce that the snapshot does not hold.
    pub new: usize,
    /// Recorded inputs that no source produces any more (still verified).
    pub dropped: usize,
    /// The first changed cases, in full.
    pub differences: Vec<Difference>,
    /// The first new inputs, in full.
    pub new_cases: Vec<NewCase>,
    /// What the run wrote.
    pub written: Written,
    /// Whether failures pass anyway (`INSTA_FORCE_PASS`).
    pub force_pass: bool,
    /// The mode the run used.
    pub mode: UpdateMode,
    /// Whether the run was on CI.
    pub ci: bool,
    /// The command that re-records this jail (for the report's last line).
    pub record_command: String,
    /// What the cases were compared against: a snapshot or the live original.
    pub baseline: Baseline,
}

impl Verdict {
    /// A verdict with no case counted yet: `total` cases compared against `baseline`.
    pub fn new(
        jail: &str,
        snapshot: PathBuf,
        total: usize,
        env: &Environment,
        record_command: &str,
        baseline: Baseline,
    ) -> Verdict {
        Verdict {
            jail: jail.to_string(),
            snapshot,
            had_snapshot: true,
            total,
            same: 0,
            changed: 0,
            new: 0,
            dropped: 0,
            differences: Vec::new(),
            new_cases: Vec::new(),
            written: Written::Nothing,
            force_pass: env.force_pass,
            mode: env.mode,
            ci: env.ci,
            record_command: record_command.to_string(),
            baseline,
        }
    }

    /// True when behaviour is unchanged, or the run recorded what it found as asked.
    pub fn passed(&self) -> bool {
        match self.written {
            Written::Recorded(_) | Written::Rerecorded(_) => true,
            _ => (self.changed == 0 && self.new == 0) || self.force_pass,
        }
    }

    /// The exit code for this verdict.
    pub fn exit_code(&self) -> ExitCode {
        if self.passed() {
            ExitCode::Unchanged
        } else {
            ExitCode::Changed
        }
    }
}

/// Verifies `jail` against its snapshot with the given cases. See the module docs.
///
/// When the sources produce exactly the recorded inputs in the recorded order (the common
/// case), the snapshot is streamed rather than loaded and nothing per case is kept, so a
/// million cases verify in little memory; otherwise every input is matched by its text.
pub fn verify<J: Jailed>(
    jail: &J,
    cases: Vec<Case<J::Input>>,
    ctx: &Context<'_>,
) -> Result<Verdict, Error> {
    crate::check::check_name(jail.name())?;
    match lockstep::verify(jail, &cases, ctx)? {
        Some(found) => finish_lockstep(jail, cases, ctx, found),
        None => verify_general(jail, cases, ctx),
    }
}

/// Writes what a lockstep verification found: a pending file when behaviour changed and
/// the mode asks for one. (Lockstep never runs with `KAIZEN_UPDATE=always` or without a
/// snapshot.)
fn finish_lockstep<J: Jailed>(
    jail: &J,
    cases: Vec<Case<J::Input>>,
    ctx: &Context<'_>,
    found: lockstep::Found,
) -> Result<Verdict, Error> {
    let lockstep::Found {
        mut verdict,
        changed,
        lock,
    } = found;
    let pending_path = snapshot::pending_path(&ctx.snapshot);
    if verdict.changed == 0 {
        if lock.is_some() {
            remove_stale(&pending_path);
        }
        return Ok(verdict);
    }
    if !ctx.env.writes_pending() {
        return Ok(verdict);
    }
    let name = jail.name();
    let prepared = record::prepare(name, cases)?;
    record::check_round_trip(name, &prepared)?;
    let Some(loaded) = snapshot::load(&ctx.snapshot)? else {
        return Err(Error::snapshot(
            &ctx.snapshot,
            None,
            "the snapshot disappeared while it was being verified",
            "run again",
        ));
    };
    let recorded = loaded.cases()?;
    let mut body = String::with_capacity(loaded.body.len());
    let mut changed = changed.into_iter().peekable();
    for (n, case) in recorded.iter().enumerate() {
        body.push_str(case.input);
        match changed.next_if(|(c, _)| *c == n) {
            Some((_, now)) => body.push_str(&now),
            None => body.push_str(case.behaviour),
        }
    }
    let header = make_header(jail, ctx, prepared.len(), true);
    write(&pending_path, &header, &body)?;
    verdict.written = Written::Pending(pending_path);
    drop(lock);
    Ok(verdict)
}

/// The header of a file this run writes.
fn make_header<J: Jailed>(jail: &J, ctx: &Context<'_>, cases: usize, pending: bool) -> Header {
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
        }),
    }
}

/// The general verification: every input matched to the recording by its text. The name
/// was checked by [`verify`], its only caller outside tests.
pub(crate) fn verify_general<J: Jailed>(
    jail: &J,
    cases: Vec<Case<J::Input>>,
    ctx: &Context<'_>,
) -> Result<Verdict, Error> {
    let name = jail.name();
    let prepared = record::prepare(name, cases)?;
    let may_write =
        ctx.env.records_missing() || ctx.env.writes_pending() || ctx.env.mode == UpdateMode::Always;
    // Lock before reading: what is written must be based on the file as it is under the lock.
    let _lock = if may_write {
        Some(Lock::acquire(&ctx.snapshot)?)
    } else {
        None
    };
    let loaded = snapshot::load(&ctx.snapshot)?;
    if let Some(loaded) = &loaded {
        check_owner(name, loaded, ctx, may_write)?;
    }

    let recorded = match &loaded {
        Some(l) => l.cases()?,
        None => Vec::new(),
    };
    let by_text: HashMap<&str, usize> = prepared
        .iter()
        .enumerate()
        .map(|(i, p)| (p.text.as_str(), i))
        .collect();

    // What to run: every recorded input (from the sources when they still produce it,
    // decoded from the file otherwise), then the new inputs.
    let mut decoded: Vec<J::Input> = Vec::new();
    let mut recorded_source: Vec<Option<usize>> = Vec::with_capacity(recorded.len());
    let mut used = vec![false; prepared.len()];
    for (n, case) in recorded.iter().enumerate() {
        match by_text.get(case.input) {
            Some(&i) => {
                used[i] = true;
                recorded_source.push(Some(i));
            }
            None => {
                let input = format::decode_input::<J::Input>(case.input).map_err(|e| {
                    let line = e.location().map(|l| case.line + l.line().saturating_sub(1)).unwrap_or(case.line);
                    let recorded_type = loaded.as_ref().map(|l| l.info.input_type.clone()).unwrap_or_default();
                    Error::snapshot(
                        &ctx.snapshot,
                        Some(line),
                        format!(
                            "case {} does not fit the jail's input type {} (the snapshot was recorded for {recorded_type}): {e}",
                            n + 1,
                            jail.input_type()
                        ),
                        "if the input type changed on purpose, delete the file and record again (KAIZEN_UPDATE=always refuses a file it cannot read too); otherwise restore it from version control",
                    )
                })?;
                decoded.push(input);
                recorded_source.push(None);
            }
        }
    }
    let mut to_run: Vec<&J::Input> = Vec::with_capacity(recorded.len() + prepared.len());
    let mut next_decoded = decoded.iter();
    for source in &recorded_source {
        match source {
            Some(i) => to_run.push(&prepared[*i].input),
            None => to_run.extend(next_decoded.next()),
        }
    }
    let new_indices: Vec<usize> = (0..prepared.len()).filter(|&i| !used[i]).collect();
    to_run.extend(new_indices.iter().map(|&i| &prepared[i].input));
    let observed = record::run_all(jail, &to_run, ctx.jobs, ctx.tick)?;
    if ctx.runs > 1 {
        record::check_stable(jail, &to_run, &observed, ctx.runs, ctx.jobs)?;
    }

    // Compare.
    let mut verdict = Verdict {
        had_snapshot: loaded.is_some(),
        new: new_indices.len(),
        dropped: recorded_source.iter().filter(|s| s.is_none()).count(),
        ..Verdict::new(
            name,
            ctx.snapshot.clone(),
            recorded.len(),
            &ctx.env,
            &ctx.record_command,
            Baseline::Snapshot,
        )
    };
    for (n, (case, now)) in recorded.iter().zip(&observed).enumerate() {
        if case.behaviour == now.text {
            verdict.same += 1;
            continue;
        }
        verdict.changed += 1;
        if verdict.differences.len() < ctx.max_shown {
            let expected_label = label_of(case.behaviour);
            verdict.differences.push(Difference {
                number: n + 1,
                line: case.line,
                origin: recorded_source[n].map(|i| prepared[i].origin.clone()),
                input: format::display_input(case.input),
                expected: format::display_behaviour(case.behaviour),
                actual: format::display_behaviour(&now.text),
                expected_label,
                actual_label: now.label.clone(),
                shrunk: None,
            });
        }
    }
    for (k, &i) in new_indices.iter().enumerate().take(ctx.max_shown) {
        let now = &observed[recorded.len() + k];
        verdict.new_cases.push(NewCase {
            origin: prepared[i].origin.clone(),
            input: format::display_input(&prepared[i].text),
            actual: format::display_behaviour(&now.text),
        });
    }

    // Decide what to write.
    let mut observed_of = vec![usize::MAX; prepared.len()];
    for (n, source) in recorded_source.iter().enumerate() {
        if let Some(i) = source {
            observed_of[*i] = n;
        }
    }
    for (k, &i) in new_indices.iter().enumerate() {
        observed_of[i] = recorded.len() + k;
    }
    let body = || render_body(&prepared, &observed, &observed_of);
    let header = |pending: bool| make_header(jail, ctx, prepared.len(), pending);
    let pending_path = snapshot::pending_path(&ctx.snapshot);
    // Inputs must read back exactly before any file holds them.
    let round_trip = || record::check_round_trip(name, &prepared);
    let clean = verdict.changed == 0 && verdict.new == 0;
    match &loaded {
        None if ctx.env.records_missing() => {
            round_trip()?;
            write(&ctx.snapshot, &header(false), &body())?;
            verdict.written = Written::Recorded(ctx.snapshot.clone());
        }
        None if ctx.env.writes_pending() => {
            round_trip()?;
            write(&pending_path, &header(true), &body())?;
            verdict.written = Written::Pending(pending_path);
        }
        None => {
            return Err(Error::MissingSnapshot {
                jail: name.to_string(),
                path: ctx.snapshot.clone(),
                command: ctx.record_command.clone(),
            });
        }
        Some(old) if ctx.env.mode == UpdateMode::Always => {
            let text = snapshot::render(&header(false), &body());
            if !clean || verdict.dropped > 0 || text != snapshot::render(&old.header, &old.body) {
                round_trip()?;
                write_text(&ctx.snapshot, &text)?;
                verdict.written = Written::Rerecorded(ctx.snapshot.clone());
            }
            remove_stale(&pending_path);
        }
        Some(_) if clean => {
            if may_write {
                remove_stale(&pending_path);
            }
        }
        Some(_) if ctx.env.writes_pending() => {
            round_trip()?;
            write(&pending_path, &header(true), &body())?;
            verdict.written = Written::Pending(pending_path);
        }
        Some(_) => {}
    }
    Ok(verdict)
}

/// The label of a recorded behaviour: its first key (`returned`, `panicked`, `exit`), with
/// a scalar value where it is short (`exit 2`).
fn label_of(behaviour: &str) -> String {
    let first = behaviour.lines().next().unwrap_or("").trim();
    match first.split_once(':') {
        Some((key, value)) if key == "exit" || key == "signal" => format!("{key} {}", value.trim()),
        Some((key, _)) => key.to_string(),
        None => first.to_string(),
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

fn render_body<I>(
    prepared: &[Prepared<I>],
    observed: &[Observed],
    observed_of: &[usize],
) -> String {
    let size: usize = prepared.iter().map(|p| p.text.len() + 32).sum();
    let mut body = String::with_capacity(size);
    for (p, &o) in prepared.iter().zip(observed_of) {
        body.push_str(&p.text);
        body.push_str(&observed[o].text);
    }
    body
}

fn write(path: &std::path::Path, header: &Header, body: &str) -> Result<(), Error> {
    write_text(path, &snapshot::render(header, body))
}

fn write_text(path: &std::path::Path, text: &str) -> Result<(), Error> {
    snapshot::write_atomic(path, text.as_bytes())
}

fn remove_stale(pending: &std::path::Path) {
    let _ = std::fs::remove_file(pending);
}

/// Refuses to use a snapshot that belongs to another jail (two jails with one name). A
/// snapshot recorded from another source file is an error only when this run may write
/// it; verifying another implementation against it (nothing written) is allowed.
fn check_owner(
    name: &str,
    loaded: &snapshot::Loaded,
    ctx: &Context<'_>,
    may_write: bool,
) -> Result<(), Error> {
    if loaded.info.jail != name {
        return Err(Error::snapshot(
            &loaded.path,
            None,
            format!(
                "the snapshot belongs to jail `{}`, not `{name}`",
                loaded.info.jail
            ),
            "give each jail its own name (the name is the snapshot's file name)",
        ));
    }
    if let (Some(recorded_by), Some(this)) = (&loaded.header.source, &ctx.source)
        && may_write
        && recorded_by != this
    {
        {
            return Err(Error::Config {
                message: format!(
                    "two jails are named `{name}`: one in {this}, and the one in {recorded_by} recorded {}",
                    loaded.path.display()
                ),
                hint: "rename one of them; if you moved the test to another file, delete the `source:` line of the snapshot".into(),
            });
        }
    }
    Ok(())
}
