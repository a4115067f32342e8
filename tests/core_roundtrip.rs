//! Inputs are replayed, so they must come back from the snapshot exactly — or be refused
//! with a message naming the case and the workaround. Never a silently wrong snapshot.

mod common;

use std::collections::BTreeMap;

use common::local;
use kaizen::env::UpdateMode::{Always, No};
use kaizen::snapshot::{self, exact, format};
use kaizen::{Cases, Error, Jail};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Shape {
    Dot,
    Circle { radius: f64 },
    Label(String),
    Nested(Tint),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Tint {
    Plain,
    Rgb(u8, u8, u8),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Hostile {
    text: String,
    maybe: Option<String>,
    shapes: Vec<Shape>,
    table: BTreeMap<String, i64>,
    wide: (i128, u128),
    narrow: (i64, u64),
    float: f64,
    single: f32,
    letter: char,
    flag: bool,
}

fn hostile_text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "~",
        "null",
        "Null",
        "1e3",
        "0x10",
        "012",
        ".inf",
        "-.nan",
        " lead",
        "trail ",
        "\r\n",
        "\r",
        "line\n",
        "\t",
        "\0",
        "é",
        "漢字",
        "\u{2028}",
        "\u{feff}",
        "- item",
        "key: value",
        "#",
        "'",
        "\"",
        "|",
        ">",
        "&a",
        "*a",
        "!tag",
        "%",
        "@",
        "`",
        "",
    ]);
    prop::collection::vec(words, 0..4).prop_map(|parts| parts.concat())
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(0.0),
        Just(f64::MIN_POSITIVE),
        Just(5e-324),
        Just(f64::MAX),
        any::<f64>().prop_filter(
            "a NaN with a sign or payload is refused, tested below",
            |f| !f.is_nan()
        ),
    ]
}

fn hostile() -> impl Strategy<Value = Hostile> {
    let shape = prop_oneof![
        Just(Shape::Dot),
        float().prop_map(|radius| Shape::Circle { radius }),
        hostile_text().prop_map(Shape::Label),
        Just(Shape::Nested(Tint::Plain)),
        any::<(u8, u8, u8)>().prop_map(|(r, g, b)| Shape::Nested(Tint::Rgb(r, g, b))),
    ];
    let wide = prop_oneof![
        Just((i128::MIN, u128::MAX)),
        Just((i128::MAX, 0)),
        any::<(i128, u128)>()
    ];
    let narrow = prop_oneof![
        Just((i64::MIN, u64::MAX)),
        Just((i64::MAX, 0)),
        any::<(i64, u64)>()
    ];
    (
        hostile_text(),
        prop::option::of(hostile_text()),
        prop::collection::vec(shape, 0..4),
        prop::collection::btree_map(hostile_text(), any::<i64>(), 0..3),
        wide,
        narrow,
        float(),
        any::<f32>().prop_filter("no NaN payloads", |f| !f.is_nan()),
        any::<char>(),
        any::<bool>(),
    )
        .prop_map(
            |(text, maybe, shapes, table, wide, narrow, float, single, letter, flag)| Hostile {
                text,
                maybe,
                shapes,
                table,
                wide,
                narrow,
                float,
                single,
                letter,
                flag,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_inputs_come_back_from_the_snapshot_exactly_and_verify_green(values in prop::collection::vec(hostile(), 1..12)) {
        let dir = tempfile::tempdir().unwrap();
        let jail = Jail::new("hostile", |h: Hostile| (h.text.len(), h.float, h.letter)).snapshot_dir(dir.path());
        let cases = Cases::new().list(values.clone());
        let recorded = jail.run_with(&cases, local(Always)).unwrap();
        prop_assert!(recorded.passed());
        let loaded = snapshot::load(&dir.path().join("hostile.snap")).unwrap().unwrap();
        let back: Vec<Hostile> = loaded.cases().unwrap().iter().map(|c| format::decode_input(c.input).unwrap()).collect();
        // Duplicates are recorded once: compare with the distinct inputs, in order.
        let mut distinct: Vec<&Hostile> = Vec::new();
        for v in &values {
            if !distinct.iter().any(|d| exact::fingerprint(d).unwrap() == exact::fingerprint(v).unwrap()) {
                distinct.push(v);
            }
        }
        prop_assert_eq!(back.len(), distinct.len());
        for (b, v) in back.iter().zip(&distinct) {
            prop_assert_eq!(exact::fingerprint(b).unwrap(), exact::fingerprint(v).unwrap());
        }
        let again = jail.run_with(&cases, local(No)).unwrap();
        prop_assert!(again.passed() && again.changed == 0 && again.new == 0, "{}", kaizen::report::render(&again, false));
    }
}

fn refused<I>(name: &str, input: I) -> String
where
    I: Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new(name, |_: I| 0).snapshot_dir(dir.path());
    let err = jail
        .run_with(&Cases::new().list([input]), local(Always))
        .unwrap_err();
    assert!(matches!(err, Error::Unrepresentable { .. }), "{err:?}");
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .count(),
        0,
        "something was written"
    );
    err.to_string()
}

#[test]
fn some_none_is_refused_with_the_case_and_a_workaround() {
    let msg = refused("nested_option", (1u8, Some(None::<u8>)));
    assert!(msg.contains("case list #0"), "{msg}");
    assert!(msg.contains("Some(None)"), "{msg}");
    assert!(msg.contains("hint:"), "{msg}");
}

#[test]
fn some_unit_is_refused() {
    let msg = refused("some_unit", Some(()));
    assert!(msg.contains("nothing was written"), "{msg}");
}

#[test]
fn a_nan_with_a_sign_is_refused_rather_than_stored_as_another_nan() {
    let msg = refused("signed_nan", -f64::NAN);
    assert!(msg.contains("NaN"), "{msg}");
}

struct Bytes(Vec<u8>);
impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}
impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<u8>::deserialize(d).map(Bytes)
    }
}
impl Clone for Bytes {
    fn clone(&self) -> Self {
        Bytes(self.0.clone())
    }
}

#[test]
fn serde_bytes_are_refused_with_the_plain_vec_workaround() {
    let msg = refused("bytes", Bytes(vec![0, 159, 146, 150]));
    assert!(msg.contains("Vec<u8>"), "{msg}");
}

#[test]
fn an_output_yaml_cannot_hold_is_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new("lossy_output", |x: u8| {
        if x == 2 {
            Some(None::<u8>)
        } else {
            Some(Some(x))
        }
    })
    .snapshot_dir(dir.path());
    let err = jail
        .run_with(&Cases::new().list([1, 2]), local(Always))
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("outcome"), "{msg}");
    assert!(msg.contains("with input 2"), "{msg}");
}

#[test]
fn an_enum_variant_wrapping_another_enum_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new("nested_enum", |s: Shape| format!("{s:?}")).snapshot_dir(dir.path());
    let cases = Cases::new().list([
        Shape::Nested(Tint::Rgb(1, 2, 3)),
        Shape::Nested(Tint::Plain),
    ]);
    assert!(jail.run_with(&cases, local(Always)).unwrap().passed());
    let text = std::fs::read_to_string(dir.path().join("nested_enum.snap")).unwrap();
    assert!(text.contains("Nested:\n      Rgb:"), "{text}");
    assert!(jail.run_with(&cases, local(No)).unwrap().passed());
}

/// Runs `inputs` through a recording jail and returns the error's text.
fn refused_list<I>(name: &str, inputs: Vec<I>) -> String
where
    I: Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new(name, |_: I| 0).snapshot_dir(dir.path());
    let result = jail.run_with(&Cases::new().list(inputs), local(Always));
    let written = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .count();
    match result {
        Err(err @ Error::Unrepresentable { .. }) => {
            assert_eq!(written, 0, "something was written");
            err.to_string()
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn distinct_inputs_written_alike_are_refused_naming_both_cases_not_merged() {
    let msg = refused_list("option_option_unit", vec![None, Some(None), Some(Some(()))]);
    assert!(msg.contains("list #0"), "{msg}");
    assert!(msg.contains("list #1"), "{msg}");
    assert!(
        msg.contains("reads back from YAML as a different value"),
        "{msg}"
    );
}

#[test]
fn a_nan_and_a_negative_nan_in_one_list_are_refused_not_merged() {
    let msg = refused_list("two_nans", vec![f64::NAN, -f64::NAN]);
    assert!(msg.contains("list #0") && msg.contains("list #1"), "{msg}");
}

#[test]
fn equal_inputs_from_two_sources_are_still_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new("equal_twice", |x: f64| x.is_nan()).snapshot_dir(dir.path());
    let cases = Cases::new()
        .list([f64::NAN, 1.5, -0.0])
        .list([f64::NAN, 1.5, 0.0]);
    let verdict = jail.run_with(&cases, local(Always)).unwrap();
    assert_eq!(verdict.total + verdict.new, 4, "{verdict:?}");
    let text = std::fs::read_to_string(dir.path().join("equal_twice.snap")).unwrap();
    assert!(text.contains("cases: 4"), "{text}");
}
