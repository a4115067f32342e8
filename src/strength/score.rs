//! Turns cargo-mutants' outcomes into a score per legacy file, and names each survivor: where
//! it is, what was changed, and the legacy line with the changed text marked.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::outcomes::{Mutant, Outcome, Outcomes, Tested};

/// The strength of a characterization: one score per mutated file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strength {
    /// One entry per file, sorted by path.
    pub files: Vec<FileScore>,
    /// All files together.
    pub total: Counts,
}

/// How many mutants ended which way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Killed by a recorded input.
    pub caught: usize,
    /// Survived: no recorded input tells the mutant from the original.
    pub missed: usize,
    /// The tests did not end in time; counted apart from the score.
    pub timeout: usize,
    /// Did not compile; counted apart from the score.
    pub unviable: usize,
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Caught => self.caught += 1,
            Outcome::Missed => self.missed += 1,
            Outcome::Timeout => self.timeout += 1,
            Outcome::Unviable => self.unviable += 1,
        }
    }

    /// caught / (caught + missed) as a percentage, or `None` when no mutant was decided.
    pub fn score(&self) -> Option<f64> {
        let decided = self.caught + self.missed;
        (decided > 0).then(|| 100.0 * self.caught as f64 / decided as f64)
    }

    /// Every mutant counted.
    pub fn all(&self) -> usize {
        self.caught + self.missed + self.timeout + self.unviable
    }
}

/// One legacy file's score and survivors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileScore {
    /// The file, relative to the package.
    pub file: String,
    /// The mutants of this file by outcome.
    pub counts: Counts,
    /// `counts.score()`, for JSON readers.
    pub score: Option<f64>,
    /// The mutants no recorded input kills, in source order.
    pub survivors: Vec<Survivor>,
}

/// A mutant the characterization does not kill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Survivor {
    /// The file, relative to the package.
    pub file: String,
    /// 1-based line of the change.
    pub line: usize,
    /// 1-based column (characters) of the change.
    pub column: usize,
    /// The change in words: "`>` → `>=`", "replace body with `Default::default()`".
    pub change: String,
    /// The function it is in.
    pub function: Option<String>,
    /// The legacy line, when the file could be read.
    pub source_line: Option<String>,
    /// The marked characters of `source_line`: 0-based start and count, in characters.
    pub marked: (usize, usize),
    /// cargo-mutants' own name of the mutant (`--re` accepts it).
    pub name: String,
}

/// Scores the outcomes of one or more runs (shards are merged: a mutant tested in two runs
/// counts once). `root` is the package folder, to show the legacy lines.
pub fn score(runs: &[Outcomes], root: &Path) -> Strength {
    let mut seen = HashSet::new();
    let mut files: BTreeMap<String, FileScore> = BTreeMap::new();
    let mut sources: BTreeMap<String, Option<String>> = BTreeMap::new();
    for tested in runs.iter().flat_map(|run| &run.tested) {
        if !seen.insert(tested.mutant.name.clone()) {
            continue;
        }
        let entry = files
            .entry(tested.mutant.file.clone())
            .or_insert_with(|| FileScore {
                file: tested.mutant.file.clone(),
                counts: Counts::default(),
                score: None,
                survivors: Vec::new(),
            });
        entry.counts.add(tested.outcome);
        if tested.outcome == Outcome::Missed {
            let source = sources
                .entry(tested.mutant.file.clone())
                .or_insert_with(|| std::fs::read_to_string(root.join(&tested.mutant.file)).ok());
            entry.survivors.push(survivor(tested, source.as_deref()));
        }
    }
    let mut total = Counts::default();
    let files = files
        .into_values()
        .map(|mut file| {
            file.score = file.counts.score();
            file.survivors.sort_by_key(|s| (s.line, s.column));
            total.caught += file.counts.caught;
            total.missed += file.counts.missed;
            total.timeout += file.counts.timeout;
            total.unviable += file.counts.unviable;
            file
        })
        .collect();
    Strength { files, total }
}

fn survivor(tested: &Tested, source: Option<&str>) -> Survivor {
    let mutant = &tested.mutant;
    let original = source.map(|s| extract(s, mutant));
    let line_text = source.and_then(|s| s.lines().nth(mutant.span.start.line - 1));
    let start = mutant.span.start.column.saturating_sub(1);
    let marked = match line_text {
        Some(text) => {
            let chars = text.chars().count();
            let end = if mutant.span.end.line == mutant.span.start.line {
                mutant.span.end.column.saturating_sub(1).min(chars)
            } else {
                chars
            };
            (start.min(chars), end.saturating_sub(start).max(1))
        }
        None => (start, 1),
    };
    Survivor {
        file: mutant.file.clone(),
        line: mutant.span.start.line,
        column: mutant.span.start.column,
        change: change(mutant, original.as_deref()),
        function: mutant.function.as_ref().map(|f| f.function_name.clone()),
        source_line: line_text.map(|t| t.trim_end_matches('\r').to_string()),
        marked,
        name: mutant.name.clone(),
    }
}

/// The text a span covers (lines and columns as cargo-mutants counts them).
fn extract(source: &str, mutant: &Mutant) -> String {
    let (start, end) = (mutant.span.start, mutant.span.end);
    let mut out = String::new();
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        if number < start.line || number > end.line {
            continue;
        }
        let from = if number == start.line {
            start.column - 1
        } else {
            0
        };
        let to = if number == end.line {
            end.column.saturating_sub(1)
        } else {
            usize::MAX
        };
        if number > start.line {
            out.push('\n');
        }
        out.extend(line.chars().skip(from).take(to.saturating_sub(from)));
    }
    out
}

/// "`>` → `>=`", "replace body with `0`", "delete match arm `2 => 150`".
fn change(mutant: &Mutant, original: Option<&str>) -> String {
    let squash = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let replacement = squash(&mutant.replacement);
    let original = original.map(squash);
    match (mutant.genre.as_str(), original) {
        ("FnValue", _) => format!("replace body with `{replacement}`"),
        ("MatchArm", Some(arm)) => format!("delete match arm `{arm}`"),
        ("StructField", Some(field)) => format!("delete field `{field}`"),
        (_, Some(text)) if replacement.is_empty() => format!("delete `{text}`"),
        (_, Some(text)) => format!("`{text}` → `{replacement}`"),
        // The file could not be read: cargo-mutants' own words.
        (_, None) => mutant
            .name
            .split_once(": ")
            .map_or(mutant.name.clone(), |(_, what)| what.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::strength::outcomes::{self, Function, LineColumn, Span};

    fn fixture() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/strength")
    }

    #[test]
    fn the_captured_cargo_mutants_run_scores_thirteen_of_fourteen_with_one_survivor() {
        let run = outcomes::read(&fixture().join("captured")).unwrap();
        assert_eq!(run.baseline_passed, Some(true));
        let strength = score(&[run], &fixture());
        assert_eq!(strength.files.len(), 1);
        let file = &strength.files[0];
        assert_eq!(file.file, "jail/band.rs");
        assert_eq!((file.counts.caught, file.counts.missed), (13, 1));
        let s = &file.survivors[0];
        assert_eq!((s.line, s.column, s.change.as_str()), (5, 33, "`>` → `>=`"));
        assert_eq!(
            s.source_line.as_deref(),
            Some("    let mut band = if weight_kg > 20 {")
        );
        assert_eq!(s.marked, (32, 1));
        assert_eq!(s.function.as_deref(), Some("price_band"));
    }

    fn mutant(genre: &str, span: (usize, usize, usize, usize), replacement: &str) -> Tested {
        Tested {
            mutant: Mutant {
                name: "jail/x.rs:1:1: something".into(),
                file: "jail/x.rs".into(),
                function: Some(Function {
                    function_name: "f".into(),
                    return_type: "-> u32".into(),
                }),
                span: Span {
                    start: LineColumn {
                        line: span.0,
                        column: span.1,
                    },
                    end: LineColumn {
                        line: span.2,
                        column: span.3,
                    },
                },
                replacement: replacement.into(),
                genre: genre.into(),
            },
            outcome: Outcome::Missed,
        }
    }

    const SOURCE: &str =
        "fn f(b: u32) -> u32 {\n    match b {\n        1 => 0,\n        _ => !b,\n    }\n}\n";

    #[test]
    fn a_replaced_body_a_deleted_arm_and_a_deleted_operator_are_said_in_words() {
        let body = survivor(&mutant("FnValue", (2, 5, 5, 6), "1"), Some(SOURCE));
        assert_eq!(body.change, "replace body with `1`");
        assert_eq!(
            body.marked,
            (4, 9),
            "a span over lines is marked to the line's end"
        );
        let arm = survivor(&mutant("MatchArm", (3, 9, 3, 15), ""), Some(SOURCE));
        assert_eq!(arm.change, "delete match arm `1 => 0`");
        let not = survivor(&mutant("UnaryOperator", (4, 14, 4, 15), ""), Some(SOURCE));
        assert_eq!(not.change, "delete `!`");
        assert_eq!(not.marked, (13, 1));
    }

    #[test]
    fn without_the_source_file_the_change_is_cargo_mutants_own_words() {
        let s = survivor(&mutant("BinaryOperator", (1, 1, 1, 2), ">="), None);
        assert_eq!(s.change, "something");
        assert_eq!(s.source_line, None);
    }

    #[test]
    fn a_file_included_from_src_is_named_by_its_own_path() {
        assert_eq!(outcomes::normalize("src/../jail/band.rs"), "jail/band.rs");
        assert_eq!(outcomes::normalize("./src/a/../../jail/x.rs"), "jail/x.rs");
        assert_eq!(outcomes::normalize("../x.rs"), "../x.rs");
    }

    #[test]
    fn no_decided_mutant_has_no_score_and_fails_any_gate() {
        let strength = score(&[], &fixture());
        assert_eq!(strength.total.score(), None);
        assert!(crate::strength::render::below(&strength, Some(0.0)));
        assert!(!crate::strength::render::below(&strength, None));
        assert_eq!(crate::strength::render::percent(Some(92.857)), "92.9%");
        assert_eq!(crate::strength::render::percent(Some(100.0)), "100%");
    }
}
