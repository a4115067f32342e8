//! A serializer that walks a value and stops at the first construct YAML cannot hold exactly.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{
    self, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant,
};

use super::{ExactError, fingerprint};

/// Walks `value`, naming places from `root`; see [`super::check_representable`].
pub(super) fn check<T: Serialize + ?Sized>(root: &str, value: &T) -> Result<(), ExactError> {
    let mut checker = Checker {
        path: root.to_owned(),
        inside_some: false,
    };
    value.serialize(&mut checker).map_err(|mut error| {
        if error.path.is_empty() {
            error.path = root.to_owned();
        }
        error
    })
}

/// The walking serializer. `inside_some` is set by `serialize_some` and cleared by every
/// call that produces something other than null, so the call right after a `Some` tells
/// whether the `Some` would collapse (newtype structs are transparent in YAML and keep it).
struct Checker {
    path: String,
    inside_some: bool,
}

type Done = Result<(), ExactError>;

const NULL_WORKAROUND: &str = "wrap the inner option in an enum or a struct with a field, so \
     that the outer Some stays distinct from None";

impl Checker {
    fn problem(&self, problem: String, workaround: &str) -> ExactError {
        ExactError {
            path: self.path.clone(),
            problem,
            workaround: workaround.to_owned(),
        }
    }

    /// Fails if the value just entered sits right inside a `Some` and is written as null.
    fn null(&mut self, what: &str) -> Done {
        if std::mem::take(&mut self.inside_some) {
            return Err(self.problem(
                format!(
                    "Some({what}) is written as YAML null and reads back as None, so the \
                     difference between Some({what}) and None is lost"
                ),
                NULL_WORKAROUND,
            ));
        }
        Ok(())
    }

    fn plain(&mut self) -> Done {
        self.inside_some = false;
        Ok(())
    }

    /// Serializes `value` one level deeper, its place named by `segment`.
    fn nested<T: Serialize + ?Sized>(
        &mut self,
        segment: std::fmt::Arguments<'_>,
        value: &T,
    ) -> Done {
        let length = self.path.len();
        let _ = self.path.write_fmt(segment);
        self.inside_some = false;
        let result = value.serialize(&mut *self).map_err(|mut error| {
            if error.path.is_empty() {
                error.path = self.path.clone();
            }
            error
        });
        self.path.truncate(length);
        result
    }

    /// Starts a compound value; `variant` names the enum variant it belongs to, if any.
    fn compound(&mut self, variant: Option<&str>) -> Result<Walk<'_>, ExactError> {
        self.inside_some = false;
        let restore = self.path.len();
        if let Some(variant) = variant {
            let _ = write!(self.path, "::{variant}");
        }
        Ok(Walk {
            checker: self,
            index: 0,
            key: String::new(),
            restore,
        })
    }

    fn float(&mut self, is_nan: bool, bits: u64, standard: u64, type_name: &str) -> Done {
        self.inside_some = false;
        if is_nan && bits != standard {
            return Err(self.problem(
                format!(
                    "a {type_name} NaN with bits {bits:#x} is written as .nan and reads back as \
                     the standard NaN ({standard:#x}), so its sign and payload are lost"
                ),
                &format!(
                    "use {type_name}::NAN, or keep the exact bits in an integer field \
                     ({type_name}::to_bits / from_bits)"
                ),
            ));
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Checker {
    type Ok = ();
    type Error = ExactError;
    type SerializeSeq = Walk<'a>;
    type SerializeTuple = Walk<'a>;
    type SerializeTupleStruct = Walk<'a>;
    type SerializeTupleVariant = Walk<'a>;
    type SerializeMap = Walk<'a>;
    type SerializeStruct = Walk<'a>;
    type SerializeStructVariant = Walk<'a>;

    fn serialize_bool(self, _: bool) -> Done {
        self.plain()
    }
    fn serialize_i8(self, _: i8) -> Done {
        self.plain()
    }
    fn serialize_i16(self, _: i16) -> Done {
        self.plain()
    }
    fn serialize_i32(self, _: i32) -> Done {
        self.plain()
    }
    fn serialize_i64(self, _: i64) -> Done {
        self.plain()
    }
    fn serialize_i128(self, _: i128) -> Done {
        self.plain()
    }
    fn serialize_u8(self, _: u8) -> Done {
        self.plain()
    }
    fn serialize_u16(self, _: u16) -> Done {
        self.plain()
    }
    fn serialize_u32(self, _: u32) -> Done {
        self.plain()
    }
    fn serialize_u64(self, _: u64) -> Done {
        self.plain()
    }
    fn serialize_u128(self, _: u128) -> Done {
        self.plain()
    }
    fn serialize_f32(self, v: f32) -> Done {
        let standard = u64::from(f32::NAN.to_bits());
        self.float(v.is_nan(), u64::from(v.to_bits()), standard, "f32")
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.float(v.is_nan(), v.to_bits(), f64::NAN.to_bits(), "f64")
    }
    fn serialize_char(self, _: char) -> Done {
        self.plain()
    }
    fn serialize_str(self, _: &str) -> Done {
        self.plain()
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        Err(self.problem(
            format!(
                "{} bytes are serialized with serialize_bytes, which the YAML layer rejects \
                 (\"bytes in YAML is not implemented\")",
                v.len()
            ),
            "use Vec<u8> without serde_bytes / #[serde(with = ...)], so the bytes are written \
             as a list of numbers",
        ))
    }
    fn serialize_none(self) -> Done {
        self.null("None")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.inside_some = true;
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.null("()")
    }
    fn serialize_unit_struct(self, name: &'static str) -> Done {
        self.null(name)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Done {
        self.plain()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.nested(format_args!("::{variant}"), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Walk<'a>, ExactError> {
        self.compound(None)
    }
    fn serialize_tuple(self, _: usize) -> Result<Walk<'a>, ExactError> {
        self.compound(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Walk<'a>, ExactError> {
        self.compound(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Walk<'a>, ExactError> {
        self.compound(Some(variant))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Walk<'a>, ExactError> {
        self.compound(None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Walk<'a>, ExactError> {
        self.compound(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Walk<'a>, ExactError> {
        self.compound(Some(variant))
    }
}

/// State of a sequence, tuple, map or struct being walked.
pub(super) struct Walk<'a> {
    checker: &'a mut Checker,
    /// Position of the next element or entry.
    index: usize,
    /// Path segment of the map key just seen, for its value.
    key: String,
    /// Path length to return to when the value ends.
    restore: usize,
}

impl Walk<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        let index = self.index;
        self.index += 1;
        self.checker.nested(format_args!("[{index}]"), value)
    }

    fn position<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        let index = self.index;
        self.index += 1;
        self.checker.nested(format_args!(".{index}"), value)
    }

    /// Ends a variant's fields: drops the `::Variant` segment added when it began.
    fn end_variant(self) -> Done {
        self.checker.path.truncate(self.restore);
        Ok(())
    }
}

/// How a map key appears in a path: `["text"]`, `[42]`, or `[#3]` (the entry's position)
/// for keys that are neither text nor numbers.
fn key_segment<T: Serialize + ?Sized>(key: &T, index: usize) -> String {
    let trace = fingerprint(key).unwrap_or_default();
    match trace.split_once(':') {
        Some((tag, shown))
            if matches!(tag, "str" | "char" | "bool")
                || (tag.len() <= 4 && tag.starts_with(['i', 'u'])) =>
        {
            format!("[{shown}]")
        }
        _ => format!("[#{index}]"),
    }
}

impl SerializeSeq for Walk<'_> {
    type Ok = ();
    type Error = ExactError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl SerializeTuple for Walk<'_> {
    type Ok = ();
    type Error = ExactError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.position(value)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl SerializeTupleStruct for Walk<'_> {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.position(value)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl SerializeTupleVariant for Walk<'_> {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.position(value)
    }
    fn end(self) -> Done {
        self.end_variant()
    }
}

impl SerializeMap for Walk<'_> {
    type Ok = ();
    type Error = ExactError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        let index = self.index;
        self.key = key_segment(key, index);
        self.checker.nested(format_args!(".<key #{index}>"), key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.index += 1;
        let segment = std::mem::take(&mut self.key);
        self.checker.nested(format_args!("{segment}"), value)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl SerializeStruct for Walk<'_> {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.checker.nested(format_args!(".{key}"), value)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl SerializeStructVariant for Walk<'_> {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.checker.nested(format_args!(".{key}"), value)
    }
    fn end(self) -> Done {
        self.end_variant()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check_representable, check_representable_as};
    use serde::Serialize;
    use std::collections::BTreeMap;

    struct Raw(Vec<u8>);

    impl Serialize for Raw {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }

    #[derive(Serialize)]
    struct Marker;

    #[derive(Serialize)]
    struct Transparent(Option<u8>);

    #[derive(Serialize)]
    struct Item {
        name: String,
        discount: Option<Option<u8>>,
    }

    #[derive(Serialize)]
    struct Order {
        items: Vec<Item>,
        by_code: BTreeMap<String, Option<()>>,
        shape: Shape,
    }

    #[derive(Serialize)]
    enum Shape {
        Dot,
        Pair(u8, Option<Marker>),
        Boxed { inner: Box<Shape>, raw: Option<Raw> },
    }

    fn item(name: &str, discount: Option<Option<u8>>) -> Item {
        Item {
            name: name.to_owned(),
            discount,
        }
    }

    fn order(items: Vec<Item>, shape: Shape) -> Order {
        Order {
            items,
            by_code: BTreeMap::from([("a".to_owned(), None)]),
            shape,
        }
    }

    #[test]
    fn some_none_is_flagged_with_its_path() {
        let items = vec![item("a", None), item("b", Some(Some(1))), item("c", None)];
        let mut items = items;
        items.extend([item("d", Some(None))]);
        let error = check_representable_as("input", &order(items, Shape::Dot)).unwrap_err();
        assert_eq!(error.path, "input.items[3].discount");
        assert!(error.problem.contains("Some(None)"), "{}", error.problem);
        assert!(error.workaround.contains("enum or a struct with a field"));
    }

    #[test]
    fn some_unit_and_some_unit_struct_are_flagged() {
        let error = check_representable(&Some(())).unwrap_err();
        assert_eq!(error.path, "value");
        assert!(error.problem.contains("Some(())"));
        let error = check_representable(&(1u8, Some(Marker))).unwrap_err();
        assert_eq!(error.path, "value.1");
        assert!(error.problem.contains("Some(Marker)"));
    }

    #[test]
    fn some_of_a_newtype_around_none_is_flagged_because_newtypes_are_transparent() {
        let error = check_representable(&Some(Transparent(None))).unwrap_err();
        assert!(error.problem.contains("Some(None)"));
        assert!(check_representable(&Some(Transparent(Some(0)))).is_ok());
    }

    #[test]
    fn a_map_entry_is_named_by_its_key() {
        let mut value = order(vec![], Shape::Dot);
        value.by_code.insert("VIP".to_owned(), Some(()));
        let error = check_representable_as("input", &value).unwrap_err();
        assert_eq!(error.path, "input.by_code[\"VIP\"]");
        let numbers = BTreeMap::from([(7u32, Some(None::<u8>))]);
        assert_eq!(check_representable(&numbers).unwrap_err().path, "value[7]");
    }

    #[test]
    fn variants_with_data_appear_in_the_path() {
        let error = check_representable(&Shape::Pair(1, Some(Marker))).unwrap_err();
        assert_eq!(error.path, "value::Pair.1");
        let nested = Shape::Boxed {
            inner: Box::new(Shape::Dot),
            raw: Some(Raw(vec![1, 2])),
        };
        let error = check_representable(&vec![nested]).unwrap_err();
        assert_eq!(error.path, "value[0]::Boxed.raw");
    }

    #[test]
    fn bytes_are_flagged_with_a_plain_vec_as_the_workaround() {
        let value = BTreeMap::from([("blob", Raw(vec![0; 3]))]);
        let error = check_representable_as("output", &value).unwrap_err();
        assert_eq!(error.path, "output[\"blob\"]");
        assert!(error.problem.contains("3 bytes"));
        assert!(error.problem.contains("bytes in YAML is not implemented"));
        assert!(error.workaround.contains("Vec<u8> without serde_bytes"));
        assert!(check_representable(&vec![0u8, 255]).is_ok());
    }

    #[test]
    fn only_the_standard_nan_is_accepted() {
        assert!(check_representable(&f64::NAN).is_ok());
        assert!(check_representable(&f32::NAN).is_ok());
        let error = check_representable(&vec![1.0, -f64::NAN]).unwrap_err();
        assert_eq!(error.path, "value[1]");
        assert!(error.problem.contains("0xfff8000000000000"));
        assert!(check_representable(&f32::from_bits(0x7fc0_0001)).is_err());
    }

    #[test]
    fn nested_values_with_hostile_strings_pass() {
        let hostile = [
            "yes", "no", "~", "null", "1e3", " lead", "trail ", "\r\n", "\t", "\0",
        ];
        let items = hostile.iter().map(|s| item(s, Some(Some(0)))).collect();
        let mut value = order(items, Shape::Dot);
        value.by_code.insert("é漢".to_owned(), None);
        value.shape = Shape::Boxed {
            inner: Box::new(Shape::Pair(2, None)),
            raw: None,
        };
        assert_eq!(check_representable(&value), Ok(()));
        assert!(check_representable(&(Some(Some(1u8)), None::<()>, (), Marker)).is_ok());
        assert!(check_representable(&Some(Vec::<Option<()>>::from([None]))).is_ok());
    }

    #[test]
    fn a_failing_serialize_implementation_is_reported_where_it_failed() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("lock poisoned"))
            }
        }
        let error = check_representable(&vec![Broken, Broken]).unwrap_err();
        assert_eq!(error.path, "value[0]");
        assert!(error.problem.contains("lock poisoned"));
    }
}
