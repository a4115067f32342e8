//! The values a strengthening candidate puts into each scalar of a recorded input: small
//! magnitudes and the neighbours of the survivors' literals for numbers, both booleans, and
//! for text the empty string, the jailed file's string literals and one-character changes
//! of them and of the recorded text. Each value is kept as the YAML text kaizen writes for
//! it, so a candidate reads back exactly as written.

use serde::Serialize;

/// The literals candidates are made from: the integers and floats on the survivors' lines,
/// the string literals of their files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Literals {
    /// Integer literals.
    pub ints: Vec<i128>,
    /// Float literals.
    pub floats: Vec<f64>,
    /// String literals.
    pub strings: Vec<String>,
}
crate::serde_fields::serde_fields!(Literals { ints = default, floats = default, strings = default });

/// The most text values tried in one text scalar (the shortest are kept).
pub const MAX_TEXTS: usize = 16;

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

/// The values tried in a float slot, as YAML texts: `0.0`, `±0.5`, `±1.0` and each
/// literal with the next representable values below and above it (`<` against `<=`),
/// smallest magnitude first.
pub fn float_values(literals: &[f64]) -> Vec<String> {
    let mut values: Vec<f64> = vec![0.0, 0.5, -0.5, 1.0, -1.0];
    for &l in literals.iter().filter(|l| l.is_finite()) {
        for v in [l.next_down(), l, l.next_up()] {
            if !values.iter().any(|x| x.to_bits() == v.to_bits()) {
                values.push(v);
            }
        }
    }
    values.sort_by(|a, b| a.abs().total_cmp(&b.abs()).then(b.total_cmp(a)));
    values.iter().filter_map(scalar_text).collect()
}

/// The values tried in a text slot holding `current`, as YAML texts: the empty string, the
/// literals, and each of them and `current` with its last character dropped or changed;
/// at most [`MAX_TEXTS`], shortest first.
pub fn text_values(current: &str, literals: &[String]) -> Vec<String> {
    let mut texts: Vec<String> = vec![String::new()];
    let add = |s: String, texts: &mut Vec<String>| {
        if !texts.contains(&s) {
            texts.push(s);
        }
    };
    for l in literals {
        add(l.clone(), &mut texts);
    }
    for s in std::iter::once(current).chain(literals.iter().map(String::as_str)) {
        for variant in one_char_changes(s) {
            add(variant, &mut texts);
        }
    }
    texts.sort_by(|a, b| (a.chars().count(), a).cmp(&(b.chars().count(), b)));
    texts.truncate(MAX_TEXTS);
    texts.iter().filter_map(scalar_text).collect()
}

/// `s` with its last character dropped, and with its last character replaced by the next
/// one (`GOLD` → `GOL`, `GOLE`).
pub fn one_char_changes(s: &str) -> Vec<String> {
    let mut chars: Vec<char> = s.chars().collect();
    let Some(last) = chars.pop() else {
        return Vec::new();
    };
    let shorter: String = chars.iter().collect();
    let mut out = vec![shorter.clone()];
    if let Some(next) = char::from_u32(last as u32 + 1) {
        out.push(format!("{shorter}{next}"));
    }
    out
}

/// A value as the one-line YAML scalar kaizen writes for it; `None` for one that needs more
/// than one line.
pub fn scalar_text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let text = serde_yaml::to_string(value).ok()?;
    let text = text.strip_suffix('\n').unwrap_or(&text);
    (!text.contains('\n')).then(|| text.to_string())
}

/// The string a one-line YAML scalar holds, when it is a string (not a number, a boolean,
/// null, a collection or an anchor).
pub fn text_of(scalar: &str) -> Option<String> {
    if scalar.is_empty()
        || scalar.ends_with(':')
        || scalar.starts_with(['|', '>', '[', '{', '&', '*', '!', '#', '%', '@', '`'])
    {
        return None;
    }
    match serde_yaml::from_str::<serde_yaml::Value>(scalar).ok()? {
        serde_yaml::Value::String(s) => Some(s),
        _ => None,
    }
}

/// The float a one-line YAML scalar holds, when it is written as a float (`2.5`, `1.0e-7`,
/// `.inf`), not as an integer.
pub fn float_of(scalar: &str) -> Option<f64> {
    let written_as_float = scalar.contains(['.', 'e', 'E']) && scalar.parse::<i128>().is_err();
    if !written_as_float {
        return None;
    }
    match serde_yaml::from_str::<serde_yaml::Value>(scalar).ok()? {
        serde_yaml::Value::Number(n) if n.is_f64() => n.as_f64(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_values_hold_small_values_and_each_literals_neighbours() {
        let values = float_values(&[2.5]);
        assert_eq!(&values[..3], ["0.0", "0.5", "-0.5"]);
        for v in [2.5f64.next_down(), 2.5, 2.5f64.next_up()] {
            assert!(
                values.contains(&scalar_text(&v).unwrap()),
                "{v} in {values:?}"
            );
        }
    }

    #[test]
    fn text_values_are_the_empty_string_the_literals_and_one_char_changes_shortest_first() {
        let values = text_values("SILVER", &["GOLD".into()]);
        assert_eq!(values[0], "''");
        for expected in ["GOLD", "GOL", "GOLE", "SILVE", "SILVES"] {
            assert!(
                values.contains(&expected.to_string()),
                "{expected} in {values:?}"
            );
        }
        let lengths: Vec<usize> = values
            .iter()
            .map(|v| text_of(v).unwrap_or_default().len())
            .collect();
        assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
    }

    #[test]
    fn scalars_are_told_apart_by_what_they_hold() {
        assert_eq!(text_of("GOLD").as_deref(), Some("GOLD"));
        assert_eq!(text_of("'20'").as_deref(), Some("20"));
        assert_eq!(text_of("''").as_deref(), Some(""));
        assert_eq!(text_of("20"), None);
        assert_eq!(text_of("true"), None);
        assert_eq!(text_of("~"), None);
        assert_eq!(text_of("input:"), None);
        assert_eq!(float_of("2.5"), Some(2.5));
        assert_eq!(float_of("1.0e-7"), Some(1e-7));
        assert_eq!(float_of(".inf"), Some(f64::INFINITY));
        assert_eq!(float_of("20"), None);
        assert_eq!(float_of("GOLD"), None);
    }
}
