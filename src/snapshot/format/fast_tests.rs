//! The fast writer must write exactly what serde_yaml writes, or nothing.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Serialize;

use super::{InputRow, encode_behaviour_slow, fast, to_yaml};
use crate::jail::Outcome;
use crate::snapshot::exact::check_representable;

#[derive(Debug, Clone, Serialize)]
enum Small {
    Unit,
    #[serde(rename = "true")]
    Tricky,
    New(String),
    Tup(i8, String),
    Struct {
        x: Option<String>,
        y: Vec<Small>,
    },
    Wrap(Box<Small>),
}

#[derive(Debug, Clone, Serialize)]
struct Marker;

#[derive(Debug, Clone, Serialize)]
struct Row {
    a: u8,
    b: i64,
    big: i128,
    name: String,
    maybe: Option<Option<u8>>,
    unit: Option<()>,
    marker: Option<Marker>,
    f: f64,
    g: f32,
    ch: char,
    list: Vec<Small>,
    map: BTreeMap<String, Small>,
    imap: BTreeMap<i32, Vec<u8>>,
    nested: Vec<Vec<i32>>,
    pair: (bool, String),
    empty: Vec<u8>,
}

const TEXT: &str = "(3 items|0x1F|1e5 |1 :x|null|true|True|FALSE|y|no|~|a|b c|x:y|x: y|x:|a#b|a #b|-a|- a|_z|0|012|1e3|\
    .inf|nan|inf|é|'|\"|\\n|\\t| |,|\\[|!t|&a|\\*|%|@|`|\\?|[a-z]{1,6}|[A-Za-z0-9 _.:;/=+()$^-]{0,8}|\\PC{0,2}){0,4}";

fn text() -> BoxedStrategy<String> {
    proptest::string::string_regex(TEXT).unwrap().boxed()
}

fn float() -> BoxedStrategy<f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(-f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(1e300),
        (-1000i32..1000).prop_map(|i| f64::from(i) / 8.0),
    ]
    .boxed()
}

fn small() -> BoxedStrategy<Small> {
    let leaf = prop_oneof![
        Just(Small::Unit),
        Just(Small::Tricky),
        text().prop_map(Small::New),
        (any::<i8>(), text()).prop_map(|(a, b)| Small::Tup(a, b)),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (
                proptest::option::of(text()),
                proptest::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(x, y)| Small::Struct { x, y }),
            inner.prop_map(|s| Small::Wrap(Box::new(s))),
        ]
    })
    .boxed()
}

/// Text that is mostly plain, with a few traps.
fn tame_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => proptest::string::string_regex("[A-Za-z_][A-Za-z0-9 _.:;/=+()$^-]{0,10}").unwrap(),
        2 => proptest::string::string_regex("[0-9][0-9 a-fxob.e+-]{0,6}").unwrap(),
        1 => text(),
    ]
    .boxed()
}

/// Rows whose fields are hostile (`tame` false) or mostly of the common shapes.
fn row(tame: bool) -> BoxedStrategy<Row> {
    let text = move || if tame { tame_text() } else { text() };
    let ch = if tame {
        proptest::char::range('a', 'z').boxed()
    } else {
        any::<char>().boxed()
    };
    let maybe = if tame {
        proptest::option::of(any::<u8>().prop_map(Some)).boxed()
    } else {
        any::<Option<Option<u8>>>().boxed()
    };
    let unit = if tame {
        Just(None).boxed()
    } else {
        any::<Option<()>>().boxed()
    };
    (
        (
            any::<u8>(),
            any::<i64>(),
            any::<i128>(),
            text(),
            maybe,
            unit,
            proptest::option::of(Just(Marker)).prop_filter("tame", move |m| !tame || m.is_none()),
            float().prop_filter("tame", move |f| {
                !tame || !f.is_nan() || f.to_bits() == f64::NAN.to_bits()
            }),
            prop_oneof![any::<f32>(), Just(f32::NAN), Just(-0.0f32)],
            ch,
        ),
        (
            proptest::collection::vec(small(), 0..3)
                .prop_filter("tame", move |v| !tame || v.is_empty()),
            proptest::collection::btree_map(text(), small(), 0..3)
                .prop_filter("tame", move |m| !tame || m.is_empty()),
            proptest::collection::btree_map(any::<i32>(), any::<Vec<u8>>(), 0..2),
            proptest::collection::vec(proptest::collection::vec(any::<i32>(), 0..3), 0..3),
            (any::<bool>(), text()),
        ),
    )
        .prop_map(
            |(
                (a, b, big, name, maybe, unit, marker, f, g, ch),
                (list, map, imap, nested, pair),
            )| {
                Row {
                    a,
                    b,
                    big,
                    name,
                    maybe,
                    unit,
                    marker,
                    f,
                    g,
                    ch,
                    list,
                    map,
                    imap,
                    nested,
                    pair,
                    empty: Vec::new(),
                }
            },
        )
        .boxed()
}

/// Runs `check` on many values of `strategy`; returns how often the fast writer wrote.
fn compare<T: Serialize + std::fmt::Debug>(
    strategy: BoxedStrategy<T>,
    cases: u32,
    check: impl Fn(&T) -> Result<bool, TestCaseError>,
) -> u32 {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[3; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let written = std::cell::Cell::new(0);
    runner
        .run(&strategy, |value| {
            if check(&value)? {
                written.set(written.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    written.get()
}

fn check_input<T: Serialize>(value: &T) -> Result<bool, TestCaseError> {
    let mut fast_text = String::from("prefix");
    let wrote = fast::input_row(&mut fast_text, value).is_some();
    if let Ok(slow) = to_yaml(&[InputRow { input: value }]) {
        if wrote {
            prop_assert_eq!(&fast_text["prefix".len()..], slow.as_str());
        }
    } else {
        prop_assert!(!wrote, "the fast writer wrote what serde_yaml refuses");
    }
    if !wrote {
        prop_assert_eq!(fast_text, "prefix", "a failed write must leave the buffer");
    }
    Ok(wrote)
}

fn check_behaviour<T: Serialize>(value: &T) -> Result<bool, TestCaseError> {
    let mut fast_text = String::new();
    let wrote = fast::behaviour(&mut fast_text, value);
    if wrote {
        prop_assert_eq!(Ok(fast_text), encode_behaviour_slow(value));
        prop_assert!(check_representable(value).is_ok());
    } else {
        prop_assert!(fast_text.is_empty());
    }
    Ok(wrote)
}

#[test]
fn fast_inputs_are_written_exactly_as_serde_yaml_writes_them() {
    compare(row(false), 200, check_input);
    let rows = compare(row(true), 300, check_input);
    let strings = compare(text(), 600, check_input);
    let smalls = compare(small(), 400, check_input);
    let floats = compare(float(), 300, check_input);
    let chars = compare(any::<char>().boxed(), 300, check_input);
    // Enough values take the fast path for the comparison to mean something.
    assert!(rows >= 30, "rows {rows}");
    assert!(strings >= 100, "strings {strings}");
    assert!(smalls >= 60, "smalls {smalls}");
    assert!(floats >= 250, "floats {floats}");
    assert!(chars >= 5, "chars {chars}");
}

#[test]
fn fast_behaviours_are_written_exactly_and_only_when_representable() {
    compare(row(false), 200, |r| check_behaviour(&Outcome::Returned(r)));
    let rows = compare(row(true), 300, |r| check_behaviour(&Outcome::Returned(r)));
    let panics = compare(text(), 300, |s| {
        check_behaviour(&Outcome::<u8>::Panicked(s.clone()))
    });
    let smalls = compare(small(), 300, check_behaviour);
    let maybes = compare(any::<Option<Option<u8>>>().boxed(), 100, |m| {
        check_behaviour(&Outcome::Returned(m))
    });
    assert!(rows >= 30, "rows {rows}");
    assert!(panics >= 60, "panics {panics}");
    assert!(smalls >= 30, "smalls {smalls}");
    assert!(maybes >= 30, "maybes {maybes}");
}

#[test]
fn common_values_take_the_fast_path() {
    let mut out = String::new();
    assert!(fast::input_row(&mut out, &(3, "VIP")).is_some());
    assert!(fast::behaviour(
        &mut out,
        &Outcome::Returned(vec![1.5, -0.0])
    ));
    assert_eq!(
        out,
        "- input:\n  - 3\n  - VIP\n  returned:\n  - 1.5\n  - -0.0\n"
    );
    // A scalar is no behaviour, and Some(None) would read back as None.
    assert!(!fast::behaviour(&mut out, &5));
    assert!(!fast::behaviour(
        &mut out,
        &Outcome::Returned(Some(None::<u8>))
    ));
    assert!(fast::input_row(&mut out, &"two\nlines").is_none());
    let mut text = String::new();
    assert!(fast::behaviour(&mut text, &Outcome::Returned("3 items")));
    assert!(!fast::behaviour(&mut text, &Outcome::Returned("3")));
    assert_eq!(text, "  returned: 3 items\n");
}

#[test]
fn inputs_that_differ_only_in_scalars_have_one_shape_and_others_do_not() {
    fn shape<T: Serialize>(value: &T) -> u64 {
        fast::input_row(&mut String::new(), value).expect("written directly")
    }
    assert_eq!(
        shape(&(1u32, "ab".to_string())),
        shape(&(70_000u32, "zz top".to_string()))
    );
    assert_eq!(shape(&Some(1.5f64)), shape(&Some(-2e300f64)));
    assert_ne!(
        shape(&(1u32, 2u32)),
        shape(&(1u32, 2u64)),
        "scalar kinds count"
    );
    assert_ne!(
        shape(&vec![1u8, 2]),
        shape(&vec![1u8, 2, 3]),
        "lengths count"
    );
    assert_ne!(shape(&Some(1u8)), shape(&None::<u8>), "options count");
    assert_ne!(
        shape(&Ok::<u8, u8>(1)),
        shape(&Err::<u8, u8>(1)),
        "variants count"
    );
}
