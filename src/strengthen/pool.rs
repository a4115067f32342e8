//! The candidate inputs a strengthening run tries: made from the texts of the recorded inputs
//! by putting other values into their scalars — integers, floats, booleans and strings — so
//! it works for any input type serde writes (a tuple, a struct, a list) without knowing the
//! type. The values are small magnitudes (`0`, `±1`, `±2`, `0.0`, `±0.5`, `±1.0`), the
//! boundary neighbours of the survivors' own literals (`L-1`, `L`, `L+1`; for a float the
//! next representable values), and for text the empty string, the jailed file's string
//! literals and one-character changes of them and of the recorded text ([`values`]).
//!
//! Per shape of input (the text with its scalars taken out), every combination of those
//! values is tried when there are at most the budget's share of them — all k-wise
//! interactions at once; else every single and pairwise change of each recorded input and
//! seeded random draws fill the share. The pool is sorted by magnitude (the sum of the
//! numbers' absolute values and the strings' lengths), so the first candidate that tells a
//! mutant apart is also the smallest the pool holds.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

pub use super::values::Literals;
use super::values::{float_of, float_values, integer_values, text_of, text_values};

/// What a scalar of an input text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An integer (`20`).
    Integer,
    /// A boolean (`true`).
    Boolean,
    /// A float (`2.5`).
    Float,
    /// A string (`GOLD`, `''`).
    Text,
}

/// A scalar of an input text that candidates vary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Where it is in the text (bytes).
    pub range: Range<usize>,
    /// What it holds.
    pub kind: Kind,
}

/// The scalars of an input text written in block style (`- input:\n  - 20\n  - false\n`,
/// `  weight: 2.5`, `  tier: GOLD`), in order.
pub fn slots(text: &str) -> Vec<Slot> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let mut start = body.len() - body.trim_start().len();
        loop {
            let rest = &body[start..];
            if let Some(after) = rest.strip_prefix("- ") {
                start += rest.len() - after.len();
            } else if let Some(at) = rest.find(": ") {
                start += at + 2;
            } else {
                break;
            }
        }
        if let Some(kind) = kind_of(&body[start..]) {
            found.push(Slot {
                range: offset + start..offset + body.len(),
                kind,
            });
        }
        offset += line.len();
    }
    found
}

fn kind_of(value: &str) -> Option<Kind> {
    if value.is_empty() {
        None
    } else if value.parse::<i128>().is_ok() {
        Some(Kind::Integer)
    } else if value == "true" || value == "false" {
        Some(Kind::Boolean)
    } else if float_of(value).is_some() {
        Some(Kind::Float)
    } else if text_of(value).is_some() {
        Some(Kind::Text)
    } else {
        None
    }
}

/// The value texts tried in each slot of `text`.
fn slot_values(text: &str, found: &[Slot], literals: &Literals) -> Vec<Vec<String>> {
    let ints: Vec<String> = integer_values(&literals.ints)
        .iter()
        .map(i128::to_string)
        .collect();
    let floats = float_values(&literals.floats);
    found
        .iter()
        .map(|slot| match slot.kind {
            Kind::Integer => ints.clone(),
            Kind::Boolean => vec!["false".into(), "true".into()],
            Kind::Float => floats.clone(),
            Kind::Text => {
                let current = text_of(&text[slot.range.clone()]).unwrap_or_default();
                text_values(&current, &literals.strings)
            }
        })
        .collect()
}

/// How a pool was made, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Made {
    /// Input shapes found among the recorded inputs.
    pub shapes: usize,
    /// Shapes whose every combination of values is in the pool (all k-wise interactions).
    pub exhaustive: usize,
    /// The candidate texts, smallest magnitude first (duplicates removed, bases included).
    pub candidates: Vec<String>,
}

/// The candidate texts for the recorded input texts `bases`, at most `budget` of them.
pub fn candidates(bases: &[String], literals: &Literals, budget: usize, seed: u64) -> Made {
    let mut shapes: BTreeMap<String, Vec<(&String, Vec<Slot>)>> = BTreeMap::new();
    for base in bases {
        let found = slots(base);
        shapes
            .entry(template(base, &found))
            .or_default()
            .push((base, found));
    }
    let share = (budget / shapes.len().max(1)).max(1);
    let mut made = Made {
        shapes: shapes.len(),
        ..Made::default()
    };
    let mut seen: HashSet<String> = HashSet::new();
    let mut rng = seed | 1;
    for group in shapes.values() {
        let mut out: Vec<String> = Vec::new();
        let mut push = |text: String, out: &mut Vec<String>| {
            if seen.insert(text.clone()) {
                out.push(text);
            }
        };
        for (base, _) in group {
            push((*base).clone(), &mut out);
        }
        let (base, found) = &group[0];
        let values = slot_values(base, found, literals);
        let sizes: Vec<usize> = values.iter().map(Vec::len).collect();
        let all = sizes
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n))
            .filter(|&n| n <= share);
        if let Some(count) = all {
            made.exhaustive += 1;
            for row in 0..count {
                let picks = mixed_radix(row, &sizes);
                push(fill(base, found, &picks, &values), &mut out);
            }
        } else {
            for (base, found) in group {
                let values = slot_values(base, found, literals);
                near(base, found, &values, share, &mut |t| push(t, &mut out));
            }
            let mut tries = 0;
            while out.len() < share && tries < share * 4 {
                tries += 1;
                let picks: Vec<usize> = sizes.iter().map(|&n| next(&mut rng) % n).collect();
                push(fill(base, found, &picks, &values), &mut out);
            }
        }
        out.truncate(share);
        made.candidates.extend(out);
    }
    made.candidates.truncate(budget);
    made.candidates
        .sort_by_cached_key(|text| (magnitude(text), text.len(), text.clone()));
    made
}

/// The size of an input text: the sum of its numbers' absolute values (floats rounded up)
/// and its strings' lengths in characters.
pub fn magnitude(text: &str) -> u128 {
    slots(text)
        .iter()
        .map(|s| {
            let scalar = &text[s.range.clone()];
            match s.kind {
                Kind::Integer => scalar.parse::<i128>().map_or(0, i128::unsigned_abs),
                Kind::Boolean => 0,
                Kind::Float => float_of(scalar).map_or(0, |f| f.abs().ceil().min(1e30) as u128),
                Kind::Text => text_of(scalar).map_or(0, |t| t.chars().count() as u128),
            }
        })
        .fold(0u128, u128::saturating_add)
}

/// Every single change, then every pairwise change, of one recorded input.
fn near(
    base: &str,
    found: &[Slot],
    values: &[Vec<String>],
    limit: usize,
    emit: &mut dyn FnMut(String),
) {
    let mut emitted = 0;
    for (i, options) in values.iter().enumerate() {
        for v in 0..options.len() {
            emit(replace(base, found, &[(i, v)], values));
            emitted += 1;
        }
    }
    for i in 0..found.len() {
        for j in i + 1..found.len() {
            for a in 0..values[i].len() {
                for b in 0..values[j].len() {
                    if emitted >= limit {
                        return;
                    }
                    emit(replace(base, found, &[(i, a), (j, b)], values));
                    emitted += 1;
                }
            }
        }
    }
}

/// `base` with slot `i` set to its value `pick` for each `(i, pick)`.
pub(crate) fn replace(
    base: &str,
    found: &[Slot],
    picks: &[(usize, usize)],
    values: &[Vec<String>],
) -> String {
    let mut out = String::with_capacity(base.len() + 8);
    let mut at = 0;
    for (i, slot) in found.iter().enumerate() {
        if let Some(&(_, pick)) = picks.iter().find(|(j, _)| *j == i) {
            out.push_str(&base[at..slot.range.start]);
            out.push_str(&values[i][pick]);
            at = slot.range.end;
        }
    }
    out.push_str(&base[at..]);
    out
}

/// `base` with every slot set to its value in `picks`.
fn fill(base: &str, found: &[Slot], picks: &[usize], values: &[Vec<String>]) -> String {
    let all: Vec<(usize, usize)> = picks.iter().copied().enumerate().collect();
    replace(base, found, &all, values)
}

fn template(text: &str, found: &[Slot]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for slot in found {
        out.push_str(&text[at..slot.range.start]);
        out.push(match slot.kind {
            Kind::Integer => '#',
            Kind::Boolean => '?',
            Kind::Float => '%',
            Kind::Text => '$',
        });
        at = slot.range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn mixed_radix(mut row: usize, sizes: &[usize]) -> Vec<usize> {
    sizes
        .iter()
        .map(|&n| {
            let pick = row % n;
            row /= n;
            pick
        })
        .collect()
}

/// xorshift64: a fixed seed gives the same draws on every machine.
fn next(state: &mut u64) -> usize {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    (*state >> 1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(ints: &[i128]) -> Literals {
        Literals {
            ints: ints.to_vec(),
            ..Literals::default()
        }
    }

    #[test]
    fn the_scalars_of_a_tuple_and_a_struct_are_found() {
        let text = "- input:\n  - 20\n  - false\n";
        let found = slots(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.clone()], "20");
        assert_eq!(&text[found[1].range.clone()], "false");
        assert_eq!(
            (found[0].kind, found[1].kind),
            (Kind::Integer, Kind::Boolean)
        );
        let text = "- input:\n    weight: -7\n    rate: 2.5\n    name: VIP\n";
        let found = slots(text);
        let kinds: Vec<Kind> = found.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [Kind::Integer, Kind::Float, Kind::Text]);
        assert_eq!(&text[found[2].range.clone()], "VIP");
        assert_eq!(slots("- input: 5\n").len(), 1);
    }

    #[test]
    fn a_small_shape_gets_every_combination_smallest_first() {
        let bases = vec!["- input:\n  - 30\n  - true\n".to_string()];
        let made = candidates(&bases, &ints(&[20]), 1000, 7);
        // 8 integer values (0, ±1, ±2, 19, 20, 21) times 2 booleans, and the recorded input.
        assert_eq!(made.candidates.len(), 17);
        assert_eq!(made.exhaustive, 1);
        assert_eq!(made.candidates[0], "- input:\n  - 0\n  - true\n");
        assert!(
            made.candidates
                .contains(&"- input:\n  - 20\n  - false\n".to_string())
        );
        assert!(
            made.candidates
                .contains(&"- input:\n  - 21\n  - true\n".to_string())
        );
        let magnitudes: Vec<u128> = made.candidates.iter().map(|c| magnitude(c)).collect();
        assert!(
            magnitudes.windows(2).all(|w| w[0] <= w[1]),
            "{magnitudes:?}"
        );
    }

    #[test]
    fn floats_and_strings_are_varied_too() {
        let bases = vec!["- input:\n  - 12.0\n  - SILVER\n".to_string()];
        let literals = Literals {
            floats: vec![25.5],
            strings: vec!["GOLD".into()],
            ..Literals::default()
        };
        let made = candidates(&bases, &literals, 10_000, 7);
        assert_eq!(made.exhaustive, 1);
        for expected in [
            "- input:\n  - 0.0\n  - ''\n",
            "- input:\n  - 25.5\n  - GOLD\n",
            "- input:\n  - 25.500000000000004\n  - GOLE\n",
            "- input:\n  - 25.499999999999996\n  - SILVE\n",
        ] {
            assert!(
                made.candidates.contains(&expected.to_string()),
                "{expected:?}"
            );
        }
        assert_eq!(made.candidates[0], "- input:\n  - 0.0\n  - ''\n");
    }

    #[test]
    fn a_large_shape_gets_single_and_pairwise_changes_and_seeded_draws_within_the_budget() {
        let bases = vec!["- input:\n  - 9\n  - 9\n  - 9\n  - 9\n  - 9\n  - 9\n".to_string()];
        let a = candidates(&bases, &ints(&[3, 6, 10]), 300, 42);
        assert_eq!(a.exhaustive, 0);
        assert_eq!(a.candidates.len(), 300);
        assert!(
            a.candidates
                .contains(&"- input:\n  - 9\n  - 9\n  - 9\n  - 9\n  - 9\n  - 0\n".to_string())
        );
        let b = candidates(&bases, &ints(&[3, 6, 10]), 300, 42);
        assert_eq!(a, b, "the same seed makes the same pool");
    }
}
