//! The candidate inputs a strengthening run tries: made from the texts of the recorded inputs
//! by putting other values into their integer and boolean scalars, so it works for any input
//! type serde writes (a tuple, a struct, a list) without knowing the type. The values are
//! small magnitudes (`0`, `±1`, `±2`) and the boundary neighbours of the survivors' own
//! literals (`L-1`, `L`, `L+1`).
//!
//! Per shape of input (the text with its scalars taken out), every combination of those
//! values is tried when there are at most the budget's share of them — all k-wise
//! interactions at once; else every single and pairwise change of each recorded input and
//! seeded random draws fill the share. The pool is sorted by magnitude (the sum of the
//! integers' absolute values), so the first candidate that tells a mutant apart is also the
//! smallest the pool holds.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

/// A scalar of an input text that candidates vary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Where it is in the text (bytes).
    pub range: Range<usize>,
    /// An integer (else a boolean).
    pub integer: bool,
}

/// The integer and boolean scalars of an input text written in block style
/// (`- input:\n  - 20\n  - false\n`, `  weight: 20`), in order.
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
        let value = &body[start..];
        let integer = !value.is_empty() && value.parse::<i128>().is_ok();
        if integer || value == "true" || value == "false" {
            found.push(Slot {
                range: offset + start..offset + body.len(),
                integer,
            });
        }
        offset += line.len();
    }
    found
}

/// The values tried in an integer slot: small magnitudes and each literal's neighbours,
/// smallest magnitude first.
pub fn integer_values(literals: &[i128]) -> Vec<i128> {
    let mut values: Vec<i128> = vec![0, 1, -1, 2, -2];
    for &l in literals {
        for v in [l.saturating_sub(1), l, l.saturating_add(1)] {
            if !values.contains(&v) {
                values.push(v);
            }
        }
    }
    values.sort_by_key(|v| (v.unsigned_abs(), *v < 0));
    values
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
pub fn candidates(bases: &[String], literals: &[i128], budget: usize, seed: u64) -> Made {
    let ints = integer_values(literals);
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
        let sizes: Vec<usize> = found
            .iter()
            .map(|s| if s.integer { ints.len() } else { 2 })
            .collect();
        let all = sizes
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n))
            .filter(|&n| n <= share);
        if let Some(count) = all {
            made.exhaustive += 1;
            for row in 0..count {
                let picks = mixed_radix(row, &sizes);
                push(fill(base, found, &picks, &ints), &mut out);
            }
        } else {
            for (base, found) in group {
                near(base, found, &ints, share, &mut |t| push(t, &mut out));
            }
            let mut tries = 0;
            while out.len() < share && tries < share * 4 {
                tries += 1;
                let picks: Vec<usize> = sizes.iter().map(|&n| next(&mut rng) % n).collect();
                push(fill(base, found, &picks, &ints), &mut out);
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

/// The size of an input text: the sum of its integers' absolute values.
pub fn magnitude(text: &str) -> u128 {
    slots(text)
        .iter()
        .filter(|s| s.integer)
        .filter_map(|s| text[s.range.clone()].parse::<i128>().ok())
        .fold(0u128, |acc, v| acc.saturating_add(v.unsigned_abs()))
}

/// Every single change, then every pairwise change, of one recorded input.
fn near(base: &str, found: &[Slot], ints: &[i128], limit: usize, emit: &mut dyn FnMut(String)) {
    let values = |s: &Slot| if s.integer { ints.len() } else { 2 };
    let mut emitted = 0;
    for (i, slot) in found.iter().enumerate() {
        for v in 0..values(slot) {
            emit(replace(base, found, &[(i, v)], ints));
            emitted += 1;
        }
    }
    for i in 0..found.len() {
        for j in i + 1..found.len() {
            for a in 0..values(&found[i]) {
                for b in 0..values(&found[j]) {
                    if emitted >= limit {
                        return;
                    }
                    emit(replace(base, found, &[(i, a), (j, b)], ints));
                    emitted += 1;
                }
            }
        }
    }
}

fn value_text(slot: &Slot, pick: usize, ints: &[i128]) -> String {
    if slot.integer {
        ints[pick].to_string()
    } else if pick == 0 {
        "false".into()
    } else {
        "true".into()
    }
}

/// `base` with slot `i` set to value `pick` for each `(i, pick)`.
fn replace(base: &str, found: &[Slot], picks: &[(usize, usize)], ints: &[i128]) -> String {
    let mut out = String::with_capacity(base.len() + 8);
    let mut at = 0;
    for (i, slot) in found.iter().enumerate() {
        if let Some(&(_, pick)) = picks.iter().find(|(j, _)| *j == i) {
            out.push_str(&base[at..slot.range.start]);
            out.push_str(&value_text(slot, pick, ints));
            at = slot.range.end;
        }
    }
    out.push_str(&base[at..]);
    out
}

/// `base` with every slot set to its value in `picks`.
fn fill(base: &str, found: &[Slot], picks: &[usize], ints: &[i128]) -> String {
    let all: Vec<(usize, usize)> = picks.iter().copied().enumerate().collect();
    replace(base, found, &all, ints)
}

fn template(text: &str, found: &[Slot]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for slot in found {
        out.push_str(&text[at..slot.range.start]);
        out.push(if slot.integer { '#' } else { '?' });
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

    #[test]
    fn the_scalars_of_a_tuple_and_a_struct_are_found() {
        let text = "- input:\n  - 20\n  - false\n";
        let found = slots(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.clone()], "20");
        assert_eq!(&text[found[1].range.clone()], "false");
        assert!(found[0].integer && !found[1].integer);
        let text = "- input:\n    weight: -7\n    name: VIP\n";
        let found = slots(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "-7");
        assert_eq!(slots("- input: 5\n").len(), 1);
    }

    #[test]
    fn a_small_shape_gets_every_combination_smallest_first() {
        let bases = vec!["- input:\n  - 30\n  - true\n".to_string()];
        let made = candidates(&bases, &[20], 1000, 7);
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
    fn a_large_shape_gets_single_and_pairwise_changes_and_seeded_draws_within_the_budget() {
        let bases = vec!["- input:\n  - 9\n  - 9\n  - 9\n  - 9\n  - 9\n  - 9\n".to_string()];
        let a = candidates(&bases, &[3, 6, 10], 300, 42);
        assert_eq!(a.exhaustive, 0);
        assert_eq!(a.candidates.len(), 300);
        assert!(
            a.candidates
                .contains(&"- input:\n  - 9\n  - 9\n  - 9\n  - 9\n  - 9\n  - 0\n".to_string())
        );
        let b = candidates(&bases, &[3, 6, 10], 300, 42);
        assert_eq!(a, b, "the same seed makes the same pool");
    }
}
