//! `generate:` in a command jail's spec: cases drawn with proptest under a fixed seed.
//!
//! Each argument position is a proptest strategy (a flag that is present or not, a choice,
//! an integer range, a regex, a literal harvested from the program's source), optionally
//! preceded by a fixed argument (`before: --top`) and optionally left out; the drawn
//! arguments can come in any order (`shuffle: true`). Stdin and case files are drawn line by
//! line ([`text`]). The whole case is one proptest value tree, so a case that differs
//! shrinks the proptest way: optional arguments are dropped, values simplified, lines
//! dropped and shortened, bytes simplified.

pub(crate) mod literals;
mod text;

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::SBoxedStrategy;
use serde::Deserialize;

use super::bytes::Data;
use super::case::CommandCase;
use super::fields::{Arg, RelPath};
use crate::Cases;

/// Cases drawn when `count` is not given.
const DEFAULT_COUNT: usize = 100;
/// Candidate cases tried when shrinking one difference, when `shrink` is not given: each
/// candidate runs both programs once, so the budget is far below the Rust oracle's.
pub(crate) const DEFAULT_SHRINK_STEPS: usize = 300;

/// `generate:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGenerate {
    #[serde(default = "default_count")]
    count: usize,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    shrink: Option<usize>,
    #[serde(default)]
    args: Vec<RawArg>,
    #[serde(default)]
    shuffle: bool,
    #[serde(default)]
    stdin: Option<text::RawText>,
    #[serde(default)]
    files: BTreeMap<RelPath, text::RawText>,
    #[serde(default)]
    harvest: Vec<RelPath>,
}

fn default_count() -> usize {
    DEFAULT_COUNT
}

/// One argument position under `generate.args`, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArg {
    #[serde(default)]
    flag: Option<Arg>,
    #[serde(default)]
    choice: Option<Vec<Arg>>,
    #[serde(default)]
    int: Option<Bounds>,
    #[serde(default)]
    regex: Option<String>,
    #[serde(default)]
    pool: Option<PoolKind>,
    #[serde(default)]
    before: Option<Arg>,
    #[serde(default)]
    optional: bool,
}

/// Which harvested literals an argument draws from.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum PoolKind {
    Strings,
    Numbers,
    All,
}

/// Inclusive bounds, written `[min, max]`.
#[derive(Clone, Copy, Debug, Deserialize)]
pub(crate) struct Bounds(i64, i64);

impl Bounds {
    /// The bounds as a range of counts: both at least 0, `min <= max`.
    fn range(self, field: &str) -> Result<RangeInclusive<usize>, Problem> {
        let Bounds(min, max) = self;
        if min < 0 || max < min || max > 100_000 {
            return Err(Problem::new(
                field,
                format!("[{min}, {max}] is not a range of counts"),
                "write [min, max] with 0 <= min <= max <= 100000",
            ));
        }
        Ok(min as usize..=max as usize)
    }
}

/// A field of `generate:` that cannot be used, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The field's path, `generate.args[2].regex`.
    pub(crate) field: String,
    pub(crate) message: String,
    pub(crate) hint: String,
}

impl Problem {
    fn new(field: &str, message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            field: field.to_string(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// The generated cases of a spec: a proptest source under the spec's seed.
pub struct Generated {
    /// The source; its one proptest source draws the cases and rebuilds them for shrinking.
    pub(crate) cases: Cases<CommandCase>,
    /// Cases drawn.
    pub(crate) count: usize,
    /// The seed (the spec's `seed`, else kaizen's default seed).
    pub(crate) seed: u64,
    /// The most candidates tried when shrinking one difference.
    pub(crate) shrink_steps: usize,
}

impl std::fmt::Debug for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generated")
            .field("count", &self.count)
            .field("seed", &self.seed)
            .field("shrink_steps", &self.shrink_steps)
            .finish_non_exhaustive()
    }
}

impl Generated {
    /// The line the snapshot header and the report give this source.
    pub fn describe(&self) -> String {
        format!("generated {} (seed {})", self.count, self.seed)
    }
}

/// Checks `generate:` and builds its proptest source; `harvest` paths are read relative to
/// `jail_dir`.
pub(crate) fn build(raw: RawGenerate, jail_dir: &Path) -> Result<Generated, Problem> {
    if raw.count == 0 {
        return Err(Problem::new(
            "generate.count",
            "is 0: nothing would be drawn",
            "draw at least 1 case, or remove `generate:`",
        ));
    }
    let mut pool = literals::Pool::default();
    for (index, RelPath(path)) in raw.harvest.iter().enumerate() {
        let found = literals::harvest(&jail_dir.join(path), path).map_err(|(message, hint)| {
            Problem::new(&format!("generate.harvest[{index}]"), message, hint)
        })?;
        pool.extend(found);
    }
    let mut args = Vec::new();
    for (index, arg) in raw.args.iter().enumerate() {
        args.push(arg_strategy(
            arg,
            &pool,
            &format!("generate.args[{index}]"),
        )?);
    }
    let args = if raw.shuffle {
        args.prop_shuffle().sboxed()
    } else {
        args.sboxed()
    };
    let all = pool.all();
    let stdin = match &raw.stdin {
        Some(text) => text::strategy(text, &all, "generate.stdin")?
            .prop_map(Some)
            .sboxed(),
        None => Just(None).sboxed(),
    };
    let mut files = Vec::new();
    for (RelPath(name), text) in &raw.files {
        let name = name.clone();
        let field = format!("generate.files.{name}");
        files.push(
            text::strategy(text, &all, &field)?
                .prop_map(move |bytes| (name.clone(), Data::new(bytes)))
                .sboxed(),
        );
    }
    let strategy = (args, stdin, files).prop_map(|(args, stdin, files)| CommandCase {
        args: args.into_iter().flatten().collect(),
        stdin: stdin.map(Data::new),
        env: BTreeMap::new(),
        files: files.into_iter().collect(),
    });
    let seed = raw.seed.unwrap_or(crate::cases::DEFAULT_SEED);
    Ok(Generated {
        cases: Cases::new().seed(seed).proptest(strategy, raw.count),
        count: raw.count,
        seed,
        shrink_steps: raw.shrink.unwrap_or(DEFAULT_SHRINK_STEPS),
    })
}

/// A string strategy from a regex, with the regex's own complaint when it is not valid.
pub(crate) fn regex_strategy(
    pattern: &str,
    field: &str,
) -> Result<SBoxedStrategy<String>, Problem> {
    proptest::string::string_regex(pattern)
        .map(Strategy::sboxed)
        .map_err(|err| {
            Problem::new(
                field,
                format!("'{pattern}' is not a regex proptest can draw from: {err}"),
                "use plain regex syntax (classes, repetitions, alternatives); anchors and look-arounds are not supported",
            )
        })
}

fn arg_strategy(
    raw: &RawArg,
    pool: &literals::Pool,
    field: &str,
) -> Result<SBoxedStrategy<Vec<String>>, Problem> {
    let kinds = [
        raw.flag.is_some(),
        raw.choice.is_some(),
        raw.int.is_some(),
        raw.regex.is_some(),
        raw.pool.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err(Problem::new(
            field,
            "needs exactly one of `flag`, `choice`, `int`, `regex`, `pool`",
            "write e.g. `- {flag: -n}`, `- {choice: [a, b]}`, `- {int: [0, 99], before: --top}`",
        ));
    }
    let from_list = |values: Vec<String>, what: &str| {
        if values.is_empty() {
            Err(Problem::new(
                field,
                format!("{what} is empty"),
                "give at least one value, or harvest literals from the program's source",
            ))
        } else {
            Ok(select(values).sboxed())
        }
    };
    let value: SBoxedStrategy<String> = if let Some(Arg(flag)) = &raw.flag {
        Just(flag.clone()).sboxed()
    } else if let Some(choice) = &raw.choice {
        from_list(choice.iter().map(|Arg(a)| a.clone()).collect(), "`choice`")?
    } else if let Some(Bounds(min, max)) = raw.int {
        if max < min {
            return Err(Problem::new(
                field,
                format!("int [{min}, {max}] is empty"),
                "write [min, max] with min <= max",
            ));
        }
        (min..=max).prop_map(|n| n.to_string()).sboxed()
    } else if let Some(pattern) = &raw.regex {
        regex_strategy(pattern, &format!("{field}.regex"))?
    } else {
        let values = match raw.pool {
            Some(PoolKind::Strings) => pool.strings.clone(),
            Some(PoolKind::Numbers) => pool.numbers.clone(),
            _ => pool.all(),
        };
        from_list(values, "the harvested pool")?
    };
    let before = raw.before.as_ref().map(|Arg(a)| a.clone());
    let words = value
        .prop_map(move |v| before.iter().cloned().chain([v]).collect::<Vec<_>>())
        .sboxed();
    Ok(if raw.optional || raw.flag.is_some() {
        proptest::option::of(words)
            .prop_map(Option::unwrap_or_default)
            .sboxed()
    } else {
        words
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(yaml: &str) -> Result<Generated, Problem> {
        let raw: RawGenerate = serde_yaml::from_str(yaml).unwrap();
        build(raw, Path::new("."))
    }

    #[test]
    fn the_same_seed_draws_the_same_cases_and_another_seed_others() {
        let spec = "{count: 30, seed: 9, args: [{flag: -n}, {choice: [a, b]}, {int: [1, 9], before: --top, optional: true}], shuffle: true, stdin: {lines: [0, 3]}}";
        let first = generated(spec).unwrap().cases.generate();
        assert_eq!(first, generated(spec).unwrap().cases.generate());
        let other = generated(&spec.replace("seed: 9", "seed: 10")).unwrap();
        assert_ne!(first, other.cases.generate());
        assert_eq!(first.len(), 30);
    }

    #[test]
    fn arguments_are_drawn_as_described() {
        let g =
            generated("{count: 200, seed: 1, args: [{flag: -n}, {int: [1, 9], before: --top}]}")
                .unwrap();
        let cases = g.cases.generate();
        for case in &cases {
            let args = &case.input.args;
            let rest = args.strip_prefix(&["-n".to_string()]).unwrap_or(args);
            assert_eq!(rest.len(), 2, "{args:?}");
            assert_eq!(rest[0], "--top");
            assert!((1..=9).contains(&rest[1].parse::<i64>().unwrap()));
        }
        assert!(cases.iter().any(|c| c.input.args[0] == "-n"));
        assert!(cases.iter().any(|c| c.input.args[0] != "-n"));
    }

    #[test]
    fn shuffled_arguments_come_in_more_than_one_order() {
        let g =
            generated("{count: 100, args: [{choice: [x]}, {choice: [y]}], shuffle: true}").unwrap();
        let orders: std::collections::BTreeSet<Vec<String>> = g
            .cases
            .generate()
            .into_iter()
            .map(|c| c.input.args)
            .collect();
        assert_eq!(orders.len(), 2, "{orders:?}");
    }

    #[test]
    fn a_position_with_two_kinds_or_a_bad_regex_is_refused_naming_the_field() {
        let both = generated("{args: [{flag: -n, int: [1, 2]}]}").unwrap_err();
        assert_eq!(both.field, "generate.args[0]");
        let regex = generated("{args: [{regex: 'a{2'}]}").unwrap_err();
        assert_eq!(regex.field, "generate.args[0].regex");
        let range = generated("{stdin: {lines: [4, 1]}}").unwrap_err();
        assert_eq!(range.field, "generate.stdin.lines");
        let none = generated("{count: 0}").unwrap_err();
        assert_eq!(none.field, "generate.count");
        let pool = generated("{args: [{pool: strings}]}").unwrap_err();
        assert!(pool.message.contains("pool is empty"), "{pool:?}");
    }
}
