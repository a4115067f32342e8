//! When two behaviours count as the same although their texts differ: a float tolerance
//! and a comparison hook of the jail's own.
//!
//! Equality of the snapshot texts stays the default and the first test: only when the texts
//! differ does a jail (or an oracle) with a [`Tolerance`] or a [`Comparison`] look again, at
//! both behaviours read as YAML values — or, for `Jail::compare_outputs_with`, at both
//! returned values read back as the jail's output type. A tolerance compares floats (the two numbers differ by at
//! most `absolute`, or by at most `relative` of the larger magnitude, or by at most `ulps`
//! representable steps) and everything else exactly — integers, strings, the shape. A case
//! that passes this way is counted as same and as "within tolerance" in the verdict; the
//! snapshot keeps the recorded exact value (nothing is rewritten for it), and a case that
//! fails shows both exact values.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

/// How far apart two floats in an output may be and still count as the same.
///
/// ```
/// use kaizen::tolerance::Tolerance;
/// let t = Tolerance::absolute(1e-9);
/// assert!(t.floats_match(0.1 + 0.2, 0.3));
/// assert!(!t.floats_match(0.3, 0.31));
/// assert!(Tolerance::ulps(1).floats_match(0.1 + 0.2, 0.3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tolerance {
    /// Largest absolute difference allowed.
    pub absolute: f64,
    /// Largest difference allowed relative to the larger magnitude of the two.
    pub relative: f64,
    /// Largest number of representable `f64` steps between the two, if set.
    pub ulps: Option<u64>,
}

impl Tolerance {
    /// Floats within `limit` of each other match.
    pub fn absolute(limit: f64) -> Tolerance {
        Tolerance {
            absolute: limit,
            ..Tolerance::default()
        }
    }

    /// Floats within `fraction` of the larger magnitude match (`1e-12`: twelve digits).
    pub fn relative(fraction: f64) -> Tolerance {
        Tolerance {
            relative: fraction,
            ..Tolerance::default()
        }
    }

    /// Floats at most `steps` representable `f64` values apart match.
    pub fn ulps(steps: u64) -> Tolerance {
        Tolerance {
            ulps: Some(steps),
            ..Tolerance::default()
        }
    }

    /// Whether `a` and `b` match: equal (NaN matches NaN, as in the snapshot text), or within
    /// any of the limits set.
    pub fn floats_match(&self, a: f64, b: f64) -> bool {
        if a == b || (a.is_nan() && b.is_nan()) {
            return true;
        }
        if !a.is_finite() || !b.is_finite() {
            return false;
        }
        let diff = (a - b).abs();
        diff <= self.absolute
            || diff <= self.relative * a.abs().max(b.abs())
            || self.ulps.is_some_and(|n| ulps_apart(a, b) <= n)
    }

    /// Whether two behaviour values match: the same shape and scalars, floats within this
    /// tolerance.
    pub fn values_match(&self, a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
                match (x.as_f64(), y.as_f64()) {
                    (Some(x), Some(y)) => self.floats_match(x, y),
                    _ => false,
                }
            }
            (Value::Sequence(x), Value::Sequence(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| self.values_match(x, y))
            }
            (Value::Mapping(x), Value::Mapping(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|((kx, vx), (ky, vy))| kx == ky && self.values_match(vx, vy))
            }
            (Value::Tagged(x), Value::Tagged(y)) => {
                x.tag == y.tag && self.values_match(&x.value, &y.value)
            }
            _ => a == b,
        }
    }
}

/// Representable `f64` values between `a` and `b` (both finite).
fn ulps_apart(a: f64, b: f64) -> u64 {
    // Map the bits onto a line where adjacent floats are adjacent integers.
    let line = |x: f64| {
        let bits = x.to_bits() as i64;
        if bits < 0 { i64::MIN - bits } else { bits }
    };
    line(a).abs_diff(line(b))
}

/// A jail's own decision that a recorded and a new behaviour are the same, given both as
/// YAML values (`{returned: …}`, `{panicked: …}`).
pub type Comparison = Arc<dyn Fn(&Value, &Value) -> bool + Send + Sync>;

/// `first`, if any, then `then`: the behaviours are the same when either says so. A jail
/// given several comparisons asks them in the order they were given.
pub(crate) fn either(first: Option<Comparison>, then: Comparison) -> Comparison {
    match first {
        None => then,
        Some(first) => Arc::new(move |a, b| first(a, b) || then(a, b)),
    }
}

/// A comparison of two returned values of type `O`: both behaviours must be `returned:`,
/// and each value must read back as an `O` (as the snapshot's reader reads an input, enums
/// as single-key maps); then `same` decides. Any other pair — a panic on either side, a
/// value that no longer reads as an `O` (a redaction put a placeholder string where `O`
/// holds a number) — is not the same for this comparison.
pub(crate) fn on_outputs<O: DeserializeOwned>(
    same: impl Fn(&O, &O) -> bool + Send + Sync + 'static,
) -> Comparison {
    Arc::new(move |recorded: &Value, now: &Value| {
        match (returned::<O>(recorded), returned::<O>(now)) {
            (Some(a), Some(b)) => same(&a, &b),
            _ => false,
        }
    })
}

/// The `returned:` value of a behaviour, read as an `O`.
fn returned<O: DeserializeOwned>(behaviour: &Value) -> Option<O> {
    let value = behaviour.as_mapping()?.get("returned")?.clone();
    serde_yaml::with::singleton_map_recursive::deserialize(value).ok()
}

/// How a jail decides "same" beyond equal texts.
#[derive(Clone, Default)]
pub(crate) struct Sameness {
    pub(crate) tolerance: Option<Tolerance>,
    pub(crate) comparison: Option<Comparison>,
}

impl Sameness {
    /// Whether the two behaviour texts (as the snapshot holds them), which differ as texts,
    /// count as the same.
    pub(crate) fn same(&self, recorded: &str, now: &str) -> bool {
        if self.tolerance.is_none() && self.comparison.is_none() {
            return false;
        }
        let (Some(a), Some(b)) = (read(recorded), read(now)) else {
            return false;
        };
        if let Some(t) = &self.tolerance
            && t.values_match(&a, &b)
        {
            return true;
        }
        self.comparison.as_ref().is_some_and(|same| same(&a, &b))
    }
}

fn read(text: &str) -> Option<Value> {
    let dedented: String = text
        .lines()
        .map(|l| l.strip_prefix("  ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    serde_yaml::from_str(&dedented).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_within_the_limits_match_and_other_scalars_must_be_equal() {
        let t = Tolerance::relative(1e-9);
        let s = Sameness {
            tolerance: Some(t),
            comparison: None,
        };
        assert!(s.same(
            "  returned:\n  - 10000.000000001\n  - a\n",
            "  returned:\n  - 10000.0\n  - a\n"
        ));
        assert!(!s.same(
            "  returned:\n  - 10000.1\n  - a\n",
            "  returned:\n  - 10000.0\n  - a\n"
        ));
        assert!(!s.same(
            "  returned:\n  - 1.0\n  - a\n",
            "  returned:\n  - 1.0\n  - b\n"
        ));
        assert!(!s.same("  returned: 1\n", "  returned: 2\n"));
        assert!(!t.floats_match(f64::INFINITY, f64::MAX));
        assert_eq!(ulps_apart(-0.0, 0.0), 0);
        assert_eq!(ulps_apart(1.0, f64::from_bits(1.0f64.to_bits() + 2)), 2);
        assert_eq!(
            ulps_apart(-f64::MIN_POSITIVE, f64::MIN_POSITIVE),
            2 * f64::MIN_POSITIVE.to_bits()
        );
    }
}
