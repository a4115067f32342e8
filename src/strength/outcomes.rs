//! Reads what cargo-mutants wrote: `mutants.out/outcomes.json`, one entry per scenario (the
//! unmutated baseline, then each mutant with its file, span, replacement and summary).
//!
//! Only the fields kaizen uses are read; unknown fields are ignored, so a newer cargo-mutants
//! that adds fields still works. A missing field kaizen needs is an error naming the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Error;

/// One mutant as cargo-mutants describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Mutant {
    /// cargo-mutants' own one-line name: `src/x.rs:3:9: replace > with >= in f`.
    pub name: String,
    /// The mutated file, relative to the package, with `/` separators and without `..`
    /// (cargo-mutants names a file `#[path]`-included from `src/lib.rs` `src/../jail/x.rs`;
    /// kaizen calls it `jail/x.rs`).
    pub file: String,
    /// The enclosing function, when there is one.
    #[serde(default)]
    pub function: Option<Function>,
    /// Where the replaced text is.
    pub span: Span,
    /// The text put in its place (empty: the text is deleted).
    pub replacement: String,
    /// The kind of change: `BinaryOperator`, `FnValue`, `MatchArm`, …
    pub genre: String,
}

/// The function a mutant sits in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Function {
    /// Its name, with the enclosing modules or impl.
    pub function_name: String,
    /// Its return type as written, with a leading `-> ` (empty for `()`).
    #[serde(default)]
    pub return_type: String,
}

/// A region of a source file: 1-based lines and columns counted in characters, the end
/// exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Span {
    /// The first character.
    pub start: LineColumn,
    /// One past the last character.
    pub end: LineColumn,
}

/// A position in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// What the characterization did with one mutant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The tests failed: some recorded input tells the mutant from the original.
    Caught,
    /// The tests passed: no recorded input tells them apart.
    Missed,
    /// The tests did not finish in time (usually an infinite loop the mutant made).
    Timeout,
    /// The mutant does not compile: it says nothing about the tests.
    Unviable,
}

/// One mutant and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tested {
    /// The mutant.
    pub mutant: Mutant,
    /// What the tests did with it.
    pub outcome: Outcome,
}

/// Everything read from one `outcomes.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    /// The file read.
    pub path: PathBuf,
    /// Whether the unmutated baseline was run and its tests passed (`None`: not run, as with
    /// `--baseline=skip`).
    pub baseline_passed: Option<bool>,
    /// Every mutant tested, in cargo-mutants' order.
    pub tested: Vec<Tested>,
}

#[derive(Deserialize)]
struct File {
    outcomes: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    scenario: Scenario,
    summary: String,
}

#[derive(Deserialize)]
enum Scenario {
    Baseline,
    Mutant(Mutant),
}

/// Reads `outcomes.json` (give the file, the `mutants.out` folder, or the folder holding it).
pub fn read(path: &Path) -> Result<Outcomes, Error> {
    let file = locate(path);
    let text = std::fs::read_to_string(&file).map_err(|e| Error::Config {
        message: format!("cannot read cargo-mutants' results {}: {e}", file.display()),
        hint: "give the `mutants.out` folder a `kaizen strength` or `cargo mutants` run wrote"
            .into(),
    })?;
    parse(&text, &file)
}

/// The `outcomes.json` meant by a path the user gave.
pub fn locate(path: &Path) -> PathBuf {
    if !path.is_dir() {
        return path.to_path_buf();
    }
    let below = path.join("mutants.out");
    if below.is_dir() {
        below.join("outcomes.json")
    } else {
        path.join("outcomes.json")
    }
}

/// A `/`-separated relative path with `.` and `name/..` resolved: `src/../jail/x.rs` →
/// `jail/x.rs`.
pub fn normalize(file: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in file.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The files, as cargo-mutants names them (`src/../jail/x.rs`), of the mutants listed by
/// `cargo mutants --list --json`, each once, in order.
pub fn listed_files(text: &str, what: &str) -> Result<Vec<String>, Error> {
    #[derive(Deserialize)]
    struct Listed {
        file: String,
    }
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let list: Vec<Listed> =
        serde_path_to_error::deserialize(deserializer).map_err(|e| Error::Config {
            message: format!(
                "{what}: not a cargo-mutants list at `{}`: {}",
                e.path(),
                e.inner()
            ),
            hint: "kaizen reads the JSON of cargo-mutants 25 or later".into(),
        })?;
    let mut files: Vec<String> = Vec::new();
    for listed in list {
        if !files.contains(&listed.file) {
            files.push(listed.file);
        }
    }
    Ok(files)
}

/// Parses the text of an `outcomes.json`; `path` is named in errors.
pub fn parse(text: &str, path: &Path) -> Result<Outcomes, Error> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let file: File = serde_path_to_error::deserialize(deserializer).map_err(|e| Error::Config {
        message: format!(
            "{}: not a cargo-mutants outcomes file at `{}`: {}",
            path.display(),
            e.path(),
            e.inner()
        ),
        hint: "kaizen reads the outcomes.json of cargo-mutants 25 or later; rerun the mutants"
            .into(),
    })?;
    let mut baseline_passed = None;
    let mut tested = Vec::new();
    for entry in file.outcomes {
        match entry.scenario {
            Scenario::Baseline => baseline_passed = Some(entry.summary == "Success"),
            Scenario::Mutant(mut mutant) => {
                mutant.file = normalize(&mutant.file);
                let outcome = outcome(&entry.summary).ok_or_else(|| Error::Config {
                    message: format!(
                        "{}: mutant `{}` has the unknown summary `{}`",
                        path.display(),
                        mutant.name,
                        entry.summary
                    ),
                    hint: "kaizen knows CaughtMutant, MissedMutant, Timeout and Unviable".into(),
                })?;
                tested.push(Tested { mutant, outcome });
            }
        }
    }
    Ok(Outcomes {
        path: path.to_path_buf(),
        baseline_passed,
        tested,
    })
}

fn outcome(summary: &str) -> Option<Outcome> {
    Some(match summary {
        "CaughtMutant" => Outcome::Caught,
        "MissedMutant" => Outcome::Missed,
        "Timeout" => Outcome::Timeout,
        "Unviable" => Outcome::Unviable,
        _ => return None,
    })
}
