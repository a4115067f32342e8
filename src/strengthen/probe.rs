//! What a characterization test does under `KAIZEN_STRENGTHEN`: explore (run the candidate
//! pool on the unmutated code, write each behaviour) or judge (run the pool on a mutant,
//! stop at the first candidate that behaves otherwise). Nothing is verified and no snapshot is
//! written in either mode.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::pool;
use super::values::Literals;
use crate::Error;
use crate::jail::Jailed;
use crate::record;
use crate::snapshot::format;

/// What the driver asks the test binary to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run the candidates on the unmutated code and write their behaviours.
    Explore,
    /// Run them on a mutant and stop at the first that behaves otherwise.
    Judge,
    /// Run every recorded case of the snapshot and mark each that behaves otherwise than
    /// recorded (for the kill matrix of `--minimize`).
    Matrix,
    /// Run the inputs listed in `JAIL.behave.json` and write each behaviour (shrinking a
    /// found killer, see [`super::behave`]).
    Behave,
}
crate::serde_fields::serde_unit_enum!(Mode {
    Explore,
    Judge,
    Matrix,
    Behave
});

/// `request.json` in the request folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Explore or judge.
    pub mode: Mode,
    /// The survivors' literals, whose neighbours the candidates try.
    pub literals: Literals,
    /// The most candidates per jail.
    pub budget: usize,
    /// The seed of the random draws.
    pub seed: u64,
    /// Candidates (by pool position) the unmutated code hung on, per jail: left out.
    pub skip: BTreeMap<String, Vec<usize>>,
    /// Matrix mode: the case to start at, per jail (after a hang on the one before).
    pub from: BTreeMap<String, usize>,
}
crate::serde_fields::serde_fields!(Request { mode, literals = default, budget, seed, skip = default, from = default });

/// `JAIL.pool.json`: the candidates of one jail and what the unmutated code does with them.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    /// The jail.
    pub jail: String,
    /// Its snapshot file.
    pub snapshot: PathBuf,
    /// Input shapes among the recorded inputs.
    pub shapes: usize,
    /// Shapes whose every combination was tried.
    pub exhaustive: usize,
    /// The longest a candidate took on the unmutated code, in microseconds.
    pub max_case_micros: u64,
    /// The candidates' input texts, smallest magnitude first.
    pub inputs: Vec<String>,
    /// The unmutated code's behaviour text of each.
    pub behaviours: Vec<String>,
}
crate::serde_fields::serde_fields!(Pool {
    jail,
    snapshot,
    shapes,
    exhaustive,
    max_case_micros,
    inputs,
    behaviours
});

/// The request file in a request folder.
pub fn request_path(dir: &Path) -> PathBuf {
    dir.join("request.json")
}

/// A jail's pool file.
pub fn pool_path(dir: &Path, jail: &str) -> PathBuf {
    dir.join(format!("{jail}.pool.json"))
}

/// A jail's progress file (one byte per candidate: `s` same, `d` differs, `x` left out).
pub fn progress_path(dir: &Path, jail: &str, mode: Mode) -> PathBuf {
    let kind = match mode {
        Mode::Explore => "explored",
        Mode::Judge => "judged",
        Mode::Matrix => "matrix",
        Mode::Behave => "behaved",
    };
    dir.join(format!("{jail}.{kind}"))
}

fn io<'a>(path: &'a Path, action: &'static str) -> impl Fn(std::io::Error) -> Error + 'a {
    move |e| Error::io(path, action, e)
}

/// Serves the request in `dir` for `jail`, whose recorded inputs are `bases` (texts).
pub fn serve<J: Jailed>(
    jail: &J,
    bases: &[String],
    snapshot: &Path,
    dir: &Path,
) -> Result<(), Error> {
    let request_file = request_path(dir);
    let text = std::fs::read_to_string(&request_file)
        .map_err(io(&request_file, "read the strengthening request"))?;
    let request: Request = serde_json::from_str(&text).map_err(|e| Error::Config {
        message: format!(
            "{}: not a strengthening request: {e}",
            request_file.display()
        ),
        hint: "KAIZEN_STRENGTHEN is set by `kaizen strength --strengthen`; unset it".into(),
    })?;
    let name = jail.name();
    match request.mode {
        Mode::Explore => explore(jail, bases, snapshot, dir, &request),
        Mode::Judge if pool_path(dir, name).exists() => judge(jail, dir),
        Mode::Judge => Ok(()),
        Mode::Matrix => matrix(jail, snapshot, dir, &request),
        Mode::Behave => super::behave::serve(jail, dir),
    }
}

/// A jail's case times on the unmutated code (microseconds, by case), from a matrix run.
pub fn times_path(dir: &Path, jail: &str) -> PathBuf {
    dir.join(format!("{jail}.times.json"))
}

/// `JAIL.times.json`: where the jail's snapshot is and how long each recorded case took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Times {
    /// The snapshot file.
    pub snapshot: PathBuf,
    /// Microseconds per recorded case, in file order.
    pub micros: Vec<u64>,
}
crate::serde_fields::serde_fields!(Times { snapshot, micros });

fn matrix<J: Jailed>(
    jail: &J,
    snapshot: &Path,
    dir: &Path,
    request: &Request,
) -> Result<(), Error> {
    let name = jail.name();
    let Some(loaded) = crate::snapshot::load(snapshot)? else {
        return Ok(());
    };
    let cases = loaded.cases()?;
    let from = request.from.get(name).copied().unwrap_or(0);
    let progress_file = progress_path(dir, name, Mode::Matrix);
    let mut progress = std::fs::OpenOptions::new()
        .create(true)
        .append(from > 0)
        .write(true)
        .truncate(from == 0)
        .open(&progress_file)
        .map_err(io(&progress_file, "write the strengthening progress"))?;
    let mut times = Vec::new();
    let mut now = String::new();
    for case in cases.iter().skip(from) {
        let Ok(value) = format::decode_input::<J::Input>(case.input) else {
            progress
                .write_all(b"x")
                .map_err(io(&progress_file, "write"))?;
            times.push(0);
            continue;
        };
        now.clear();
        let start = Instant::now();
        record::observe_into(jail, &value, &mut now)?;
        times.push(start.elapsed().as_micros() as u64);
        let mark = if now == case.behaviour { b"s" } else { b"d" };
        progress
            .write_all(mark)
            .map_err(io(&progress_file, "write"))?;
    }
    if from == 0 {
        let times = Times {
            snapshot: snapshot.to_path_buf(),
            micros: times,
        };
        let json = serde_json::to_vec(&times).unwrap_or_default();
        crate::snapshot::write_atomic(&times_path(dir, name), &json)?;
    }
    Ok(())
}

fn explore<J: Jailed>(
    jail: &J,
    bases: &[String],
    snapshot: &Path,
    dir: &Path,
    request: &Request,
) -> Result<(), Error> {
    let name = jail.name();
    let made = pool::candidates(bases, &request.literals, request.budget, request.seed);
    let skip = request.skip.get(name).cloned().unwrap_or_default();
    let progress_file = progress_path(dir, name, Mode::Explore);
    let mut progress = std::fs::File::create(&progress_file)
        .map_err(io(&progress_file, "write the strengthening progress"))?;
    let mut out = Pool {
        jail: name.to_string(),
        snapshot: snapshot.to_path_buf(),
        shapes: made.shapes,
        exhaustive: made.exhaustive,
        max_case_micros: 0,
        inputs: Vec::new(),
        behaviours: Vec::new(),
    };
    let mut again = String::new();
    for (i, text) in made.candidates.into_iter().enumerate() {
        let mark = if skip.contains(&i) {
            b"x"
        } else if let Ok(input) = format::decode_input::<J::Input>(&text) {
            again.clear();
            // Only a candidate that reads back as written (a value of the input type).
            let exact = format::write_input(&mut again, &input).is_ok() && again == text;
            let mut behaviour = String::new();
            let start = Instant::now();
            // Write the mark first: a hang here is seen by the driver as this candidate.
            progress
                .write_all(b"r")
                .map_err(io(&progress_file, "write"))?;
            record::observe_into(jail, &input, &mut behaviour)?;
            let took = start.elapsed().as_micros() as u64;
            if exact {
                out.max_case_micros = out.max_case_micros.max(took);
                out.inputs.push(text);
                out.behaviours.push(behaviour);
            }
            b"s"
        } else {
            progress
                .write_all(b"r")
                .map_err(io(&progress_file, "write"))?;
            b"x"
        };
        progress
            .write_all(mark)
            .map_err(io(&progress_file, "write"))?;
    }
    let json = serde_json::to_vec(&out).map_err(|e| Error::Internal {
        message: format!("cannot write the pool of {name}: {e}"),
    })?;
    crate::snapshot::write_atomic(&pool_path(dir, name), &json)
}

fn judge<J: Jailed>(jail: &J, dir: &Path) -> Result<(), Error> {
    let name = jail.name();
    let pool_file = pool_path(dir, name);
    let text = std::fs::read_to_string(&pool_file).map_err(io(&pool_file, "read the pool"))?;
    let pool: Pool = serde_json::from_str(&text).map_err(|e| Error::Internal {
        message: format!("{}: not a candidate pool: {e}", pool_file.display()),
    })?;
    let progress_file = progress_path(dir, name, Mode::Judge);
    let mut progress = std::fs::File::create(&progress_file)
        .map_err(io(&progress_file, "write the strengthening progress"))?;
    let mut now = String::new();
    for (input, before) in pool.inputs.iter().zip(&pool.behaviours) {
        let Ok(value) = format::decode_input::<J::Input>(input) else {
            progress
                .write_all(b"s")
                .map_err(io(&progress_file, "write"))?;
            continue;
        };
        now.clear();
        record::observe_into(jail, &value, &mut now)?;
        if now != *before {
            progress
                .write_all(b"d")
                .map_err(io(&progress_file, "write"))?;
            return Ok(());
        }
        progress
            .write_all(b"s")
            .map_err(io(&progress_file, "write"))?;
    }
    Ok(())
}
