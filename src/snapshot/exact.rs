//! Proving that a value survives the YAML round trip exactly.
//!
//! kaizen stores inputs as YAML and replays them, so an input must read back as the very
//! value that was written; it also compares outputs as YAML text, so an output that the YAML
//! layer collapses (two different values written the same way) would hide a change.
//!
//! - [`fingerprint`] writes what serde sees of a value as text: two values have equal
//!   fingerprints exactly when serde sees them identically, down to the bits of each float.
//! - [`check_representable`] finds the constructs the YAML layer cannot hold exactly and says
//!   where they are and what to do about them.
//!
//! The check assumes values are written with `serde_yaml::with::singleton_map_recursive`,
//! which is what lets an enum variant hold another enum that has data. What it flags:
//!
//! | construct | what YAML does | workaround |
//! |---|---|---|
//! | `Some(None)`, `Some(())`, `Some(UnitStruct)` | written as `null`, reads back as `None` | wrap the inner option in an enum or a struct with a field |
//! | `serialize_bytes` (serde_bytes, `#[serde(with = ...)]`) | refuses to write it | use a plain `Vec<u8>` |
//! | a NaN other than `f64::NAN` / `f32::NAN` (sign or payload bits) | written as `.nan`, reads back as the standard NaN | keep the bits in an integer |

mod fingerprint;
mod representable;

use std::fmt;

use serde::Serialize;

/// Why a value cannot be fingerprinted, or cannot be held exactly by YAML.
///
/// ```
/// use kaizen::snapshot::exact::check_representable_as;
///
/// let error = check_representable_as("input", &Some(None::<u8>)).unwrap_err();
/// assert_eq!(error.path, "input");
/// assert!(error.problem.contains("Some(None)"));
/// assert!(error.to_string().starts_with("input: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExactError {
    /// Where the construct is, e.g. `input.items[3].discount`; empty if unknown.
    pub path: String,
    /// What cannot be held exactly, and why.
    pub problem: String,
    /// What to change so that it can; empty if there is nothing to suggest.
    pub workaround: String,
}

impl fmt::Display for ExactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.problem)?;
        if !self.workaround.is_empty() {
            write!(f, " (workaround: {})", self.workaround)?;
        }
        Ok(())
    }
}

impl std::error::Error for ExactError {}

impl serde::ser::Error for ExactError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ExactError {
            path: String::new(),
            problem: format!("the value's Serialize implementation failed: {message}"),
            workaround: String::new(),
        }
    }
}

/// A complete, unambiguous trace of the serde data model of `value`.
///
/// Everything serde sees is written: the type of each number, floats by their bits (so
/// `-0.0` differs from `0.0` and NaN payloads are kept), `i128`/`u128` exactly, `char`
/// apart from `&str`, `Some(..)` apart from `None` and `()`, unit struct, enum and variant
/// names with variant indices, length hints of sequences and maps, bytes as hex, and
/// skipped struct fields. Two values have equal fingerprints exactly when serde sees them
/// identically — except for the order of an unordered collection (`HashMap`, `HashSet`),
/// which is traced in [canonical order](crate::snapshot::canonical), so a map that iterates
/// in another order has the same fingerprint. It fails only if the value's own `Serialize`
/// implementation fails.
///
/// ```
/// use kaizen::snapshot::exact::fingerprint;
///
/// assert_ne!(fingerprint(&0.0f64)?, fingerprint(&-0.0f64)?);
/// assert_ne!(fingerprint(&Some(None::<u8>))?, fingerprint(&None::<Option<u8>>)?);
/// assert_eq!(fingerprint(&(1u8, "a"))?, r#"tuple<2>(u8:1,str:"a",)"#);
/// # Ok::<(), kaizen::snapshot::exact::ExactError>(())
/// ```
pub fn fingerprint<T: Serialize + ?Sized>(value: &T) -> Result<String, ExactError> {
    fingerprint::trace(value)
}

/// Checks that YAML can hold `value` exactly, naming places from the root `value`.
///
/// See [`check_representable_as`] and the module documentation for what is flagged.
///
/// ```
/// use kaizen::snapshot::exact::check_representable;
///
/// assert!(check_representable(&vec![Some(1), None]).is_ok());
/// let error = check_representable(&vec![Some(()), None]).unwrap_err();
/// assert_eq!(error.path, "value[0]");
/// ```
pub fn check_representable<T: Serialize + ?Sized>(value: &T) -> Result<(), ExactError> {
    representable::check("value", value)
}

/// Checks that YAML can hold `value` exactly; places are named from `root`, e.g.
/// `input.items[3].discount` for root `input`.
///
/// Paths use `.field` for struct fields, `[i]` for sequence elements, `.i` for tuple
/// fields, `["key"]` / `[42]` for map entries (`[#i]` for other keys, `.<key #i>` for the
/// key itself) and `::Variant` for enum variants with data. Reports the first problem found.
///
/// ```
/// use kaizen::snapshot::exact::check_representable_as;
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// struct Item { discount: Option<Option<u8>> }
/// #[derive(Serialize)]
/// struct Order { items: Vec<Item> }
///
/// let order = Order { items: vec![Item { discount: Some(Some(5)) }, Item { discount: Some(None) }] };
/// let error = check_representable_as("input", &order).unwrap_err();
/// assert_eq!(error.path, "input.items[1].discount");
/// assert!(error.workaround.contains("enum or a struct with a field"));
/// ```
pub fn check_representable_as<T: Serialize + ?Sized>(
    root: &str,
    value: &T,
) -> Result<(), ExactError> {
    representable::check(root, value)
}

#[cfg(test)]
mod tests {
    use super::{check_representable, fingerprint};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    use serde::{Deserialize, Serialize};
    use serde_yaml::with::singleton_map_recursive;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct Marker;

    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct Code(String);

    #[derive(Debug, Clone, Serialize, Deserialize)]
    enum Discount {
        Percent(f64),
        Fixed(i128),
        Nothing,
    }

    #[derive(Debug, Clone, Serialize, Deserialize)]
    enum Status {
        Open,
        Held { reason: String, until: Option<u64> },
        Paid(u32, f64),
        Nested(Discount),
        Deeper(Box<Status>),
    }

    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct Line {
        sku: Code,
        qty: i64,
        discount: Option<Discount>,
        maybe: Option<Option<u8>>,
        unit: Option<()>,
        letter: char,
    }

    #[derive(Debug, Clone, Serialize, Deserialize)]
    struct Order {
        id: u64,
        big: i128,
        huge: u128,
        ratio: f64,
        ratio32: f32,
        status: Status,
        lines: Vec<Line>,
        notes: BTreeMap<String, Status>,
        pair: (i8, u16),
        marker: Marker,
        nothing: (),
        raw: Vec<u8>,
    }

    const HOSTILE: &str = "(yes|no|~|null|Null|1e3|0x10|012|\\.inf|\\.nan|true|False|-|- |: |#|lead | lead|trail |\\r\\n|\\r|\\n|\\t|\\x{0}|\\x{85}|\\x{feff}|\\x{2028}|é漢|'|\"|[a-z0-9 ]{1,4}|\\PC){0,5}";

    fn text() -> BoxedStrategy<String> {
        proptest::string::string_regex(HOSTILE).unwrap().boxed()
    }

    fn float() -> BoxedStrategy<f64> {
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(-f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(-0.0),
            Just(0.0),
            Just(f64::MAX),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
        ]
        .boxed()
    }

    fn discount() -> BoxedStrategy<Discount> {
        prop_oneof![
            float().prop_map(Discount::Percent),
            prop_oneof![any::<i128>(), Just(i128::MIN), Just(i128::MAX)].prop_map(Discount::Fixed),
            Just(Discount::Nothing),
        ]
        .boxed()
    }

    fn status() -> BoxedStrategy<Status> {
        let leaf = prop_oneof![
            Just(Status::Open),
            (text(), any::<Option<u64>>())
                .prop_map(|(reason, until)| Status::Held { reason, until }),
            (any::<u32>(), float()).prop_map(|(a, b)| Status::Paid(a, b)),
            discount().prop_map(Status::Nested),
        ];
        leaf.prop_recursive(3, 6, 1, |inner| {
            inner.prop_map(|s| Status::Deeper(Box::new(s)))
        })
        .boxed()
    }

    fn line() -> BoxedStrategy<Line> {
        (
            text(),
            prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX)],
            proptest::option::of(discount()),
            any::<Option<Option<u8>>>(),
            any::<Option<()>>(),
            any::<char>(),
        )
            .prop_map(|(sku, qty, discount, maybe, unit, letter)| Line {
                sku: Code(sku),
                qty,
                discount,
                maybe,
                unit,
                letter,
            })
            .boxed()
    }

    fn order() -> BoxedStrategy<Order> {
        (
            (
                prop_oneof![any::<u64>(), Just(u64::MAX)],
                prop_oneof![any::<i128>(), Just(i128::MIN), Just(i128::MAX)],
                prop_oneof![any::<u128>(), Just(u128::MAX)],
                float(),
                prop_oneof![
                    any::<f32>(),
                    Just(f32::NAN),
                    Just(-0.0f32),
                    Just(f32::MIN_POSITIVE)
                ],
            ),
            status(),
            proptest::collection::vec(line(), 0..4),
            proptest::collection::btree_map(text(), status(), 0..3),
            any::<(i8, u16)>(),
            any::<Vec<u8>>(),
        )
            .prop_map(
                |((id, big, huge, ratio, ratio32), status, lines, notes, pair, raw)| Order {
                    id,
                    big,
                    huge,
                    ratio,
                    ratio32,
                    status,
                    lines,
                    notes,
                    pair,
                    marker: Marker,
                    nothing: (),
                    raw,
                },
            )
            .boxed()
    }

    fn round_trip(order: &Order) -> Result<Order, String> {
        let mut yaml = Vec::new();
        let mut serializer = serde_yaml::Serializer::new(&mut yaml);
        singleton_map_recursive::serialize(order, &mut serializer).map_err(|e| e.to_string())?;
        let text = String::from_utf8(yaml).map_err(|e| e.to_string())?;
        singleton_map_recursive::deserialize(serde_yaml::Deserializer::from_str(&text))
            .map_err(|e| format!("{e}\n{text}"))
    }

    #[test]
    fn values_that_pass_the_check_survive_the_yaml_round_trip_exactly() {
        let config = Config {
            cases: 300,
            failure_persistence: None,
            ..Config::default()
        };
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
        let mut runner = TestRunner::new_with_rng(config, rng);
        let (passed, flagged) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
        let outcome = runner.run(&order(), |order| {
            let before = fingerprint(&order).unwrap();
            match check_representable(&order) {
                Ok(()) => {
                    passed.set(passed.get() + 1);
                    let after = round_trip(&order).map_err(TestCaseError::fail)?;
                    prop_assert_eq!(before, fingerprint(&after).unwrap());
                }
                Err(_) => {
                    // A flagged value must really be lost: otherwise the check cries wolf.
                    flagged.set(flagged.get() + 1);
                    if let Ok(after) = round_trip(&order) {
                        prop_assert_ne!(before, fingerprint(&after).unwrap());
                    }
                }
            }
            Ok(())
        });
        outcome.unwrap();
        let (passed, flagged) = (passed.get(), flagged.get());
        assert!(
            passed >= 30 && flagged >= 30,
            "passed {passed}, flagged {flagged}"
        );
    }
}
