//! The cases a spec lists — explicit `cases`, then `combinations` — counted before any
//! combination is generated, so a spec that would make billions of cases is refused at
//! once and `kaizen list` never builds them.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::super::case::CommandCase;
use super::super::error::SpecError;
use super::super::fields::{env_map, stdin_of};
use super::SpecText;
use super::raw::{RawCase, RawCombinations};
use crate::cases::pairwise;

/// The most combinations a spec may make unless `combinations.max_cases` says otherwise.
pub(crate) const DEFAULT_MAX_CASES: u64 = 2_000_000;

/// A spec's cases, with the combinations kept as value lists until they are asked for.
#[derive(Clone, Debug)]
pub(crate) struct SpecCases {
    /// The spec file as shown in messages, for each case's place.
    shown: String,
    /// Explicit cases with the line each starts on.
    explicit: Vec<(CommandCase, Option<usize>)>,
    combinations: Option<Combinations>,
}

/// `combinations:` ready to generate: the values per argument position, what every
/// combination shares, and which rows to make.
#[derive(Clone, Debug)]
struct Combinations {
    values: Vec<Vec<String>>,
    shared: CommandCase,
    line: Option<usize>,
    rows: Rows,
}

#[derive(Clone, Debug)]
enum Rows {
    /// Every combination, in odometer order: `count` of them.
    All { count: usize },
    /// A pairwise subset, as value indices per position.
    Pairwise(Vec<Vec<usize>>),
}

impl Combinations {
    fn count(&self) -> usize {
        match &self.rows {
            Rows::All { count } => *count,
            Rows::Pairwise(rows) => rows.len(),
        }
    }

    fn case(&self, row: &[usize]) -> CommandCase {
        CommandCase {
            args: row
                .iter()
                .enumerate()
                .map(|(position, &value)| self.values[position][value].clone())
                .collect(),
            ..self.shared.clone()
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = CommandCase> + '_> {
        match &self.rows {
            Rows::All { .. } => {
                let sizes: Vec<usize> = self.values.iter().map(Vec::len).collect();
                Box::new(pairwise::cartesian(&sizes).map(|row| self.case(&row)))
            }
            Rows::Pairwise(rows) => Box::new(rows.iter().map(|row| self.case(row))),
        }
    }

    /// The 0-based number of the combination with these arguments, if it is one.
    fn position_of(&self, case: &CommandCase) -> Option<usize> {
        let same_rest = case.stdin == self.shared.stdin
            && case.env == self.shared.env
            && case.files == self.shared.files
            && case.args.len() == self.values.len();
        if !same_rest {
            return None;
        }
        let row: Vec<usize> = case
            .args
            .iter()
            .zip(&self.values)
            .map(|(arg, values)| values.iter().position(|v| v == arg))
            .collect::<Option<_>>()?;
        match &self.rows {
            Rows::All { .. } => Some(
                self.values
                    .iter()
                    .zip(&row)
                    .fold(0, |number, (values, &index)| number * values.len() + index),
            ),
            Rows::Pairwise(rows) => rows.iter().position(|r| *r == row),
        }
    }
}

impl SpecCases {
    /// Checks and gathers the spec's cases; combinations are counted, not generated. A
    /// spec that `generates` cases may list none.
    pub(crate) fn new(
        spec: &SpecText<'_>,
        raw_cases: Vec<RawCase>,
        raw_combinations: Option<RawCombinations>,
        jail_dir: &Path,
        generates: bool,
    ) -> Result<SpecCases, SpecError> {
        let explicit = explicit_cases(spec, raw_cases, jail_dir)?;
        let combinations = raw_combinations
            .map(|raw| combinations(spec, raw, jail_dir))
            .transpose()?;
        let cases = SpecCases {
            shown: spec.shown.display().to_string(),
            explicit,
            combinations,
        };
        if cases.count() == 0 && !generates {
            return Err(spec.fail(
                spec.key("cases"),
                "cases",
                "the spec has no cases",
                "add `cases:` with at least one `- args: [...]` entry, `combinations:` or `generate:`",
            ));
        }
        cases.refuse_repeats(spec)?;
        Ok(cases)
    }

    /// How many cases the spec makes, without making them.
    pub(crate) fn count(&self) -> usize {
        self.explicit.len() + self.combinations.as_ref().map_or(0, Combinations::count)
    }

    /// Every case, explicit ones first, then the combinations in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = CommandCase> + '_ {
        let combinations = self.combinations.iter().flat_map(Combinations::iter);
        self.explicit
            .iter()
            .map(|(case, _)| case.clone())
            .chain(combinations)
    }

    /// Where case `index` (0-based) comes from: `jail/NAME.yaml:LINE`, and for a
    /// combination which one (1-based) of how many.
    pub(crate) fn place(&self, index: usize) -> String {
        if let Some((_, line)) = self.explicit.get(index) {
            return at(&self.shown, *line);
        }
        match &self.combinations {
            Some(combinations) => format!(
                "{}, combination {} of {}",
                at(&self.shown, combinations.line),
                index - self.explicit.len() + 1,
                combinations.count()
            ),
            None => self.shown.clone(),
        }
    }

    /// Two explicit cases alike, or an explicit case that is also a combination.
    fn refuse_repeats(&self, spec: &SpecText<'_>) -> Result<(), SpecError> {
        let mut seen: HashMap<&CommandCase, usize> = HashMap::new();
        for (index, (case, line)) in self.explicit.iter().enumerate() {
            if let Some(first) = seen.insert(case, index) {
                return Err(repeat_error(
                    spec,
                    *line,
                    &format!("cases[{index}]"),
                    &format!("cases[{index}] repeats cases[{first}]"),
                    case,
                ));
            }
        }
        let Some(combinations) = &self.combinations else {
            return Ok(());
        };
        for (index, (case, _)) in self.explicit.iter().enumerate() {
            if let Some(number) = combinations.position_of(case) {
                return Err(repeat_error(
                    spec,
                    combinations.line,
                    "combinations",
                    &format!("combination {} repeats cases[{index}]", number + 1),
                    case,
                ));
            }
        }
        Ok(())
    }
}

fn at(shown: &str, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{shown}:{line}"),
        None => shown.to_string(),
    }
}

fn repeat_error(
    spec: &SpecText<'_>,
    line: Option<usize>,
    field: &str,
    what: &str,
    case: &CommandCase,
) -> SpecError {
    spec.fail(
        line,
        field,
        format!("{what} ({})", case.summary()),
        "remove one of them: every case must differ in args, stdin, env or files",
    )
}

fn explicit_cases(
    spec: &SpecText<'_>,
    raw: Vec<RawCase>,
    jail_dir: &Path,
) -> Result<Vec<(CommandCase, Option<usize>)>, SpecError> {
    let mut cases = Vec::with_capacity(raw.len());
    let lines = spec.items("cases");
    for (index, case) in raw.into_iter().enumerate() {
        let field = format!("cases[{index}]");
        let line = lines.line(index);
        let stdin = stdin_of(case.stdin, case.stdin_file, jail_dir, |message, hint| {
            spec.fail(line, &field, message, hint)
        })?;
        let env = env_map(case.env, |message, var| {
            spec.fail(
                line,
                &format!("{field}.env.{var}"),
                message,
                "use a plain variable name",
            )
        })?;
        let case = CommandCase {
            args: case.args.into_iter().map(|arg| arg.0).collect(),
            stdin,
            env,
            files: plain_files(case.files),
        };
        cases.push((case, line));
    }
    Ok(cases)
}

fn plain_files(
    files: BTreeMap<super::super::fields::RelPath, super::super::bytes::Data>,
) -> BTreeMap<String, super::super::bytes::Data> {
    files
        .into_iter()
        .map(|(path, data)| (path.0, data))
        .collect()
}

fn combinations(
    spec: &SpecText<'_>,
    raw: RawCombinations,
    jail_dir: &Path,
) -> Result<Combinations, SpecError> {
    let line = spec.key("combinations");
    let values: Vec<Vec<String>> = raw
        .args
        .into_iter()
        .map(|values| values.into_iter().map(|arg| arg.0).collect())
        .collect();
    check_positions(spec, line, &values)?;
    let stdin = stdin_of(raw.stdin, raw.stdin_file, jail_dir, |message, hint| {
        spec.fail(line, "combinations", message, hint)
    })?;
    let env = env_map(raw.env, |message, var| {
        spec.fail(
            line,
            &format!("combinations.env.{var}"),
            message,
            "use a plain variable name",
        )
    })?;
    let max = match raw.max_cases {
        Some(0) => {
            return Err(spec.fail(
                line,
                "combinations.max_cases",
                "is 0",
                "leave it out (the default allows 2000000) or give a number above 0",
            ));
        }
        Some(max) => max,
        None => DEFAULT_MAX_CASES,
    };
    let sizes: Vec<usize> = values.iter().map(Vec::len).collect();
    let rows = counted_rows(spec, line, &sizes, raw.pairwise, max)?;
    Ok(Combinations {
        values,
        shared: CommandCase {
            args: Vec::new(),
            stdin,
            env,
            files: plain_files(raw.files),
        },
        line,
        rows,
    })
}

/// Every position lists at least one value, and no value twice.
fn check_positions(
    spec: &SpecText<'_>,
    line: Option<usize>,
    values: &[Vec<String>],
) -> Result<(), SpecError> {
    if values.is_empty() {
        return Err(spec.fail(
            line,
            "combinations.args",
            "lists no argument positions",
            "give one list of values per argument, e.g. `args: [[--csv, --text], [\"0\", \"12\"]]`",
        ));
    }
    for (position, list) in values.iter().enumerate() {
        let field = format!("combinations.args[{position}]");
        if list.is_empty() {
            return Err(spec.fail(
                line,
                &field,
                "is an empty list",
                "give at least one value, or remove the position",
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(list.len());
        for (index, value) in list.iter().enumerate() {
            if let Some(first) = seen.insert(value, index) {
                return Err(spec.fail(
                    line,
                    &field,
                    format!(
                        "lists {value:?} twice (values {} and {})",
                        first + 1,
                        index + 1
                    ),
                    "remove one of them: every combination must differ",
                ));
            }
        }
    }
    Ok(())
}

/// The rows to make, refused before any is made when there would be more than `max`.
fn counted_rows(
    spec: &SpecText<'_>,
    line: Option<usize>,
    sizes: &[usize],
    pairwise: bool,
    max: u64,
) -> Result<Rows, SpecError> {
    let too_many = |count: String| {
        let shape: Vec<String> = sizes.iter().map(usize::to_string).collect();
        spec.fail(
            line,
            "combinations.args",
            format!(
                "{} values make {count} combinations, more than the limit of {max}",
                shape.join(" × ")
            ),
            if pairwise {
                "drop values, or raise `combinations.max_cases` if you mean to run them all"
            } else {
                "use `pairwise: true`, drop values, or raise `combinations.max_cases` if you mean to run them all"
            },
        )
    };
    let product = sizes
        .iter()
        .fold(1u128, |total, &n| total.saturating_mul(n as u128));
    if !pairwise {
        return match usize::try_from(product) {
            Ok(count) if product <= u128::from(max) => Ok(Rows::All { count }),
            _ => Err(too_many(product.to_string())),
        };
    }
    // Pairwise needs at least every pair of the two longest lists; check that before
    // generating.
    let mut longest = sizes.to_vec();
    longest.sort_unstable_by(|a, b| b.cmp(a));
    let least = longest
        .iter()
        .take(2)
        .fold(1u128, |total, &n| total.saturating_mul(n as u128));
    if least > u128::from(max) {
        return Err(too_many(format!("at least {least} pairwise")));
    }
    let rows = pairwise::pairwise(sizes);
    if rows.len() as u128 > u128::from(max) {
        return Err(too_many(format!("{} pairwise", rows.len())));
    }
    Ok(Rows::Pairwise(rows))
}
