//! Shrinking a found killer below the pool: the candidates one step simpler than an input
//! text — one scalar moved toward `0`, `-1`, `1` (numbers) or a shorter string —
//! smallest first. The driver keeps the first that still tells the mutant apart and asks
//! again, until none does (`strength::shrink`).

use super::pool::{Kind, Slot, magnitude, replace, slots};
use super::values::{float_of, scalar_text, text_of};

/// The texts one step simpler than `text`, smallest magnitude first, without `text` itself.
///
/// ```
/// use kaizen::strengthen::simplify::simpler;
/// let found = simpler("- input:\n  - 40\n  - GOLD\n");
/// assert_eq!(found[0], "- input:\n  - 0\n  - GOLD\n");
/// assert!(found.contains(&"- input:\n  - 40\n  - ''\n".to_string()));
/// assert!(found.contains(&"- input:\n  - 20\n  - GOLD\n".to_string()));
/// ```
pub fn simpler(text: &str) -> Vec<String> {
    let found = slots(text);
    let options: Vec<Vec<String>> = found.iter().map(|s| simpler_values(text, s)).collect();
    let mut out: Vec<String> = Vec::new();
    for (i, values) in options.iter().enumerate() {
        for v in 0..values.len() {
            let candidate = replace(text, &found, &[(i, v)], &options);
            if candidate != text && !out.contains(&candidate) {
                out.push(candidate);
            }
        }
    }
    out.sort_by_cached_key(|t| (magnitude(t), t.len(), t.clone()));
    out
}

/// The values one step simpler than the scalar in `slot`, as YAML texts.
fn simpler_values(text: &str, slot: &Slot) -> Vec<String> {
    let scalar = &text[slot.range.clone()];
    match slot.kind {
        Kind::Integer => {
            let Ok(v) = scalar.parse::<i128>() else {
                return Vec::new();
            };
            let mut out = vec![0, 1, -1, v / 2, v - v.signum()];
            out.retain(|x| (x.unsigned_abs(), *x < 0) < (v.unsigned_abs(), v < 0));
            out.iter().map(i128::to_string).collect()
        }
        // Both booleans are as small as each other: the pool's order already chose one.
        Kind::Boolean => Vec::new(),
        Kind::Float => {
            let Some(v) = float_of(scalar) else {
                return Vec::new();
            };
            let out = [0.0, 1.0, -1.0, v.trunc(), v / 2.0];
            let smaller =
                |x: &&f64| (x.abs(), x.is_sign_negative()) < (v.abs(), v.is_sign_negative());
            out.iter().filter(smaller).filter_map(scalar_text).collect()
        }
        Kind::Text => {
            let Some(s) = text_of(scalar) else {
                return Vec::new();
            };
            let chars: Vec<char> = s.chars().collect();
            let n = chars.len();
            let cuts = [0..0, 0..n / 2, 0..n.saturating_sub(1), 1.min(n)..n];
            cuts.into_iter()
                .filter(|r| r.len() < n)
                .map(|r| chars[r].iter().collect::<String>())
                .filter_map(|t| scalar_text(&t))
                .collect()
        }
    }
}

/// Shrinks `killer` while a simpler text still tells the mutant apart: `first_killer` is
/// given the texts one step simpler, smallest first, and says which is the first that
/// still kills. At most `rounds` steps; returns the smallest killer found and the steps.
pub fn shrink(
    killer: &str,
    rounds: usize,
    first_killer: &mut dyn FnMut(&[String]) -> Option<usize>,
) -> (String, usize) {
    let mut current = killer.to_string();
    for step in 0..rounds {
        let options = simpler(&current);
        if options.is_empty() {
            return (current, step);
        }
        match first_killer(&options) {
            Some(i) if i < options.len() => current = options[i].clone(),
            _ => return (current, step),
        }
    }
    (current, rounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_moves_toward_zero_one_and_minus_one_never_away() {
        let found = simpler("- input: -40\n");
        assert_eq!(
            found,
            [
                "- input: 0\n",
                "- input: 1\n",
                "- input: -1\n",
                "- input: -20\n",
                "- input: -39\n"
            ]
        );
        assert!(simpler("- input: 0\n").is_empty());
        assert_eq!(simpler("- input: 1\n"), ["- input: 0\n"]);
    }

    #[test]
    fn shrinking_a_killer_stops_at_the_smallest_that_still_kills() {
        // The "mutant" is told apart by any weight of at least 17 and a tier other than "".
        let kills = |t: &str| {
            let (w, tier): (i64, String) = crate::snapshot::format::decode_input(t).unwrap();
            w >= 17 && !tier.is_empty()
        };
        let start =
            crate::snapshot::format::encode_input(&(90_000i64, "PLATINUM".to_string())).unwrap();
        let (smallest, steps) = shrink(&start, 100, &mut |options| {
            options.iter().position(|t| kills(t))
        });
        let (w, tier): (i64, String) = crate::snapshot::format::decode_input(&smallest).unwrap();
        assert_eq!((w, tier.chars().count()), (17, 1), "{smallest}");
        assert!(steps > 5);
    }
}
