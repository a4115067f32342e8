//! `kaizen merge`: the JSON reports of sharded runs (`kaizen verify --shard K/N --format
//! json`) combined into the report of the whole run — human, JSON or JUnit — whose counts
//! are those an unsharded run gives. Each jail's parts are added up by one
//! [`Tally`](crate::verify::Tally); every shard 1/N…N/N must be there exactly once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::console::{errln, out, outln};
use super::{Format, Project};
use crate::cases::Origin;
use crate::env::Environment;
use crate::report::json::{JsonDoc, JsonJail, VERSION as JSON_VERSION};
use crate::report::{self, JailResult};
use crate::shard::Shard;
use crate::verify::{Baseline, Difference, Group, NewCase, RedactionsChanged, Tally, Verdict};
use crate::{Error, ExitCode};

/// Merges the reports and prints the result in `format`.
pub(crate) fn merge(
    project: &Project,
    reports: &[PathBuf],
    format: Format,
) -> Result<ExitCode, Error> {
    let env = Environment::from_process()?;
    let mut parts: BTreeMap<String, Vec<(PathBuf, JsonJail)>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for path in reports {
        for jail in read(path)?.jails {
            if !parts.contains_key(&jail.jail) {
                order.push(jail.jail.clone());
            }
            parts
                .entry(jail.jail.clone())
                .or_default()
                .push((path.clone(), jail));
        }
    }
    let mut results = Vec::new();
    for name in order {
        let jail_parts = parts.remove(&name).unwrap_or_default();
        check_complete(&name, &jail_parts)?;
        let spec = jail_parts[0].1.spec.clone();
        results.push(JailResult {
            name: name.clone(),
            spec,
            result: combine(&name, jail_parts, &env),
        });
    }
    for r in &results {
        if format == Format::Human {
            match &r.result {
                Ok(v) if v.passed() => outln!("{}", report::summary(v)),
                Ok(v) => out!("{}", report::render(v, project.color)),
                Err(e) => errln!("error: {e}"),
            }
        }
    }
    let code = results.iter().fold(ExitCode::Unchanged, |code, r| {
        code.worst(match &r.result {
            Ok(v) => v.exit_code(),
            Err(e) => e.exit_code(),
        })
    });
    super::run::print_report(project, format, &results);
    Ok(code)
}

/// Reads one JSON report, refusing a newer format.
fn read(path: &Path) -> Result<JsonDoc, Error> {
    let bad = |why: String| Error::Config {
        message: format!("{}: {why}", path.display()),
        hint: "pass the reports written by `kaizen verify --shard K/N --format json`".into(),
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    let doc: JsonDoc = serde_json::from_str(&text)
        .map_err(|e| bad(format!("line {}: not a kaizen JSON report ({e})", e.line())))?;
    if doc.version > JSON_VERSION {
        return Err(bad(format!(
            "the report has format version {}, this kaizen reads version {JSON_VERSION}",
            doc.version
        )));
    }
    Ok(doc)
}

/// Every shard of a jail, once each, all cut the same way (or a single unsharded report).
fn check_complete(name: &str, parts: &[(PathBuf, JsonJail)]) -> Result<(), Error> {
    let shards: Vec<Option<Shard>> = parts
        .iter()
        .map(|(path, j)| match &j.shard {
            None => Ok(None),
            Some(s) => s.parse().map(Some).map_err(|e| Error::Config {
                message: format!("{}: jail `{name}`: {e}", path.display()),
                hint: "pass the reports written by `kaizen verify --shard K/N --format json`"
                    .into(),
            }),
        })
        .collect::<Result<_, _>>()?;
    let incomplete = |why: String| Error::Config {
        message: format!("jail `{name}`: {why}"),
        hint: "pass the JSON report of every shard 1/N … N/N once".into(),
    };
    if shards.iter().all(Option::is_none) {
        return if parts.len() == 1 {
            Ok(())
        } else {
            Err(incomplete(format!(
                "{} unsharded reports of the same jail",
                parts.len()
            )))
        };
    }
    let Some(Some(first)) = shards.iter().find(|s| s.is_some()) else {
        return Ok(());
    };
    let count = first.count;
    let mut seen = vec![false; count as usize];
    for s in &shards {
        match s {
            Some(s) if s.count == count && !seen[(s.index - 1) as usize] => {
                seen[(s.index - 1) as usize] = true;
            }
            Some(s) if s.count != count => {
                return Err(incomplete(format!(
                    "shards of {count} and of {} mixed",
                    s.count
                )));
            }
            Some(s) => return Err(incomplete(format!("shard {s} given twice"))),
            None => return Err(incomplete("a sharded and an unsharded report mixed".into())),
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|k| !seen[(*k - 1) as usize])
        .map(|k| format!("{k}/{count}"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(incomplete(format!("shard {} missing", missing.join(", "))))
    }
}

/// Adds a jail's parts up into one verdict; a part that could not run makes the jail an
/// error.
fn combine(
    name: &str,
    parts: Vec<(PathBuf, JsonJail)>,
    env: &Environment,
) -> Result<Verdict, Error> {
    if let Some((path, j)) = parts.iter().find(|(_, j)| j.error.is_some()) {
        return Err(Error::Config {
            message: format!(
                "{}: {}",
                path.display(),
                j.error.clone().unwrap_or_default()
            ),
            hint: format!("run `kaizen verify {name}` to see the error"),
        });
    }
    // Each shard shows its first changed cases; the first of the whole run are among them,
    // as many as the shard that showed the most (`--all`, or the HTML report's count).
    let max_shown = parts
        .iter()
        .map(|(_, j)| j.differences.len())
        .max()
        .unwrap_or(0)
        .max(crate::Settings::default().max_shown);
    let record = format!("kaizen record {name}");
    let snapshot = PathBuf::from(parts[0].1.snapshot.clone().unwrap_or_default());
    let mut tally = Tally::new(name, snapshot, env, &record, Baseline::Snapshot, max_shown);
    for (_, j) in parts {
        tally.merge(part(j, env, &record));
    }
    Ok(tally.finish())
}

/// One shard's verdict, from its JSON report.
fn part(j: JsonJail, env: &Environment, record: &str) -> Verdict {
    let snapshot = PathBuf::from(j.snapshot.unwrap_or_default());
    let mut v = Verdict::new(&j.jail, snapshot, j.cases, env, record, Baseline::Snapshot);
    v.same = j.same;
    v.changed = j.changed;
    v.new = j.new;
    v.dropped = j.dropped;
    v.duplicates = j.duplicates;
    v.within_tolerance = j.within_tolerance;
    v.redactions_changed = j.redactions_changed.map(|c| RedactionsChanged {
        recorded: c.recorded,
        now: c.now,
    });
    v.ungrouped = j.ungrouped;
    v.step = j.step.and_then(|s| s.parse().ok()).unwrap_or_default();
    v.unnamed = crate::step::Unnamed {
        count: j.unnamed,
        cases: j.unnamed_cases,
    };
    v.groups = j
        .groups
        .into_iter()
        .map(|g| Group {
            number: g.group,
            cases: g.cases,
            removed: g.removed,
            added: g.added,
            examples: g.examples,
        })
        .collect();
    v.differences = j
        .differences
        .into_iter()
        .map(|d| Difference {
            number: d.case,
            line: d.line,
            origin: d.origin.map(|place| Origin::Spec {
                index: d.case.saturating_sub(1),
                place,
            }),
            input: d.input,
            expected: d.expected,
            actual: d.actual,
            expected_label: d.expected_kind,
            actual_label: d.actual_kind,
            shrunk: None,
            reproduce: Vec::new(),
            headline: d.headline,
        })
        .collect();
    v.new_cases = j
        .new_inputs
        .into_iter()
        .map(|n| NewCase {
            origin: Origin::Spec {
                index: 0,
                place: n.origin,
            },
            input: n.input,
            actual: n.actual,
        })
        .collect();
    v
}
