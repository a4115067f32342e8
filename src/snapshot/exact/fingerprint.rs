//! A serializer that writes a complete, unambiguous trace of the serde data model.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{
    self, SerializeMap, SerializeSeq, SerializeStruct, SerializeStructVariant, SerializeTuple,
    SerializeTupleStruct, SerializeTupleVariant,
};

use std::any::type_name;

use super::ExactError;
use crate::snapshot::canonical::{self, Canonical};

/// Writes the trace of `value` into a string; see [`super::fingerprint`].
///
/// A value holding an unordered collection is traced again in canonical order (see
/// [`crate::snapshot::canonical`]), so its fingerprint does not depend on the order a
/// `HashMap` or `HashSet` happens to iterate in.
pub(super) fn trace<T: Serialize + ?Sized>(value: &T) -> Result<String, ExactError> {
    match trace_once(value) {
        Err((_, true)) => trace_once(&Canonical(value)).map_err(|(e, _)| e),
        other => other.map_err(|(e, _)| e),
    }
}

/// Traces `value` in its own order; the error says whether an unordered collection
/// stopped the trace.
fn trace_once<T: Serialize + ?Sized>(value: &T) -> Result<String, (ExactError, bool)> {
    let mut tracer = Tracer {
        out: String::new(),
        ty: type_name::<T>(),
        unordered: false,
    };
    match value.serialize(&mut tracer) {
        Ok(()) => Ok(tracer.out),
        Err(e) => Err((e, tracer.unordered)),
    }
}

/// The serializer. Every value is written self-delimited (a type tag and balanced brackets,
/// names and text quoted with `{:?}`), so concatenated traces cannot run into each other.
struct Tracer {
    out: String,
    /// The type of the value being traced.
    ty: &'static str,
    /// An unordered collection was met: the trace stopped and must start again in
    /// canonical order.
    unordered: bool,
}

impl Tracer {
    fn put(&mut self, args: std::fmt::Arguments<'_>) {
        // Writing into a String cannot fail.
        let _ = self.out.write_fmt(args);
    }

    /// Traces `value`, noting its type.
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.ty = type_name::<T>();
        value.serialize(self)
    }

    /// Stops the trace when the collection starting now has no order of its own.
    fn ordered(&mut self) -> Done {
        if canonical::is_unordered(self.ty) {
            self.unordered = true;
            return Err(ser::Error::custom("an unordered collection"));
        }
        Ok(())
    }

    fn variant(&mut self, name: &str, index: u32, variant: &str) {
        self.put(format_args!("{name:?}::{variant:?}#{index}"));
    }
}

type Done = Result<(), ExactError>;

impl ser::Serializer for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.put(format_args!("bool:{v}"));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.put(format_args!("i8:{v}"));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.put(format_args!("i16:{v}"));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.put(format_args!("i32:{v}"));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.put(format_args!("i64:{v}"));
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.put(format_args!("i128:{v}"));
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.put(format_args!("u8:{v}"));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.put(format_args!("u16:{v}"));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.put(format_args!("u32:{v}"));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.put(format_args!("u64:{v}"));
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.put(format_args!("u128:{v}"));
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.put(format_args!("f32:0x{:08x}({v:?})", v.to_bits()));
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.put(format_args!("f64:0x{:016x}({v:?})", v.to_bits()));
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.put(format_args!("char:{v:?}"));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.put(format_args!("str:{v:?}"));
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.put(format_args!("bytes:{}[", v.len()));
        for byte in v {
            self.put(format_args!("{byte:02x}"));
        }
        self.out.push(']');
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.out.push_str("None");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.out.push_str("Some(");
        self.value(value)?;
        self.out.push(')');
        Ok(())
    }
    fn serialize_unit(self) -> Done {
        self.out.push_str("()");
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Done {
        self.put(format_args!("unit_struct:{name:?}"));
        Ok(())
    }
    fn serialize_unit_variant(self, name: &'static str, index: u32, variant: &'static str) -> Done {
        self.variant(name, index, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Done {
        self.put(format_args!("newtype:{name:?}("));
        self.value(value)?;
        self.out.push(')');
        Ok(())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.variant(name, index, variant);
        self.out.push('(');
        self.value(value)?;
        self.out.push(')');
        Ok(())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self, ExactError> {
        self.ordered()?;
        self.put(format_args!("seq<{len:?}>["));
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, ExactError> {
        self.put(format_args!("tuple<{len}>("));
        Ok(self)
    }
    fn serialize_tuple_struct(self, name: &'static str, len: usize) -> Result<Self, ExactError> {
        self.put(format_args!("tuple_struct:{name:?}<{len}>("));
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, ExactError> {
        self.variant(name, index, variant);
        self.put(format_args!("<{len}>("));
        Ok(self)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self, ExactError> {
        self.ordered()?;
        self.put(format_args!("map<{len:?}>{{"));
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self, ExactError> {
        self.put(format_args!("struct:{name:?}<{len}>{{"));
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, ExactError> {
        self.variant(name, index, variant);
        self.put(format_args!("<{len}>{{"));
        Ok(self)
    }
}

impl Tracer {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.value(value)?;
        self.out.push(',');
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.put(format_args!("{key:?}:"));
        self.element(value)
    }

    fn close(&mut self, bracket: char) -> Done {
        self.out.push(bracket);
        Ok(())
    }
}

impl SerializeSeq for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        self.close(']')
    }
}

impl SerializeTuple for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        self.close(')')
    }
}

impl SerializeTupleStruct for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        self.close(')')
    }
}

impl SerializeTupleVariant for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        self.close(')')
    }
}

impl SerializeMap for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.value(key)?;
        self.out.push_str("=>");
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Done {
        self.close('}')
    }
}

impl SerializeStruct for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        self.put(format_args!("{key:?}:skipped,"));
        Ok(())
    }
    fn end(self) -> Done {
        self.close('}')
    }
}

impl SerializeStructVariant for &mut Tracer {
    type Ok = ();
    type Error = ExactError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        self.put(format_args!("{key:?}:skipped,"));
        Ok(())
    }
    fn end(self) -> Done {
        self.close('}')
    }
}

#[cfg(test)]
mod tests {
    use super::super::fingerprint;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Marker;

    #[derive(Serialize)]
    struct Named(u8);

    #[derive(Serialize)]
    enum Shape {
        Dot,
        Circle(f64),
        Line(i32, i32),
        Box { w: u16, h: u16 },
    }

    fn fp<T: Serialize + ?Sized>(value: &T) -> String {
        fingerprint(value).unwrap()
    }

    #[test]
    fn zero_and_negative_zero_have_different_fingerprints() {
        assert_ne!(fp(&0.0f64), fp(&-0.0f64));
        assert_ne!(fp(&0.0f32), fp(&-0.0f32));
    }

    #[test]
    fn nan_with_the_same_bits_has_the_same_fingerprint() {
        assert_eq!(fp(&f64::NAN), fp(&f64::from_bits(f64::NAN.to_bits())));
        assert_ne!(fp(&f64::NAN), fp(&-f64::NAN));
    }

    #[test]
    fn some_none_differs_from_none_and_from_unit() {
        assert_ne!(fp(&Some(None::<u8>)), fp(&None::<Option<u8>>));
        assert_ne!(fp(&Some(())), fp(&None::<()>));
        assert_ne!(fp(&()), fp(&None::<u8>));
        assert_ne!(fp(&()), fp(&Marker));
    }

    #[test]
    fn the_largest_integers_are_written_exactly() {
        assert_eq!(
            fp(&u128::MAX),
            "u128:340282366920938463463374607431768211455"
        );
        assert_eq!(
            fp(&i128::MIN),
            "i128:-170141183460469231731687303715884105728"
        );
        assert_ne!(fp(&5u8), fp(&5u16));
    }

    #[test]
    fn a_char_differs_from_a_one_letter_string() {
        assert_ne!(fp(&'a'), fp("a"));
        assert_eq!(fp("a\"b"), r#"str:"a\"b""#);
    }

    #[test]
    fn variants_carry_their_enum_name_index_and_shape() {
        assert_eq!(fp(&Shape::Dot), r##""Shape"::"Dot"#0"##);
        assert_eq!(
            fp(&Shape::Circle(1.0)),
            r##""Shape"::"Circle"#1(f64:0x3ff0000000000000(1.0))"##
        );
        assert_eq!(
            fp(&Shape::Line(1, 2)),
            r##""Shape"::"Line"#2<2>(i32:1,i32:2,)"##
        );
        assert_eq!(
            fp(&Shape::Box { w: 1, h: 2 }),
            r##""Shape"::"Box"#3<2>{"w":u16:1,"h":u16:2,}"##
        );
    }

    #[test]
    fn containers_record_their_lengths_and_names() {
        assert_eq!(fp(&vec![1u8]), "seq<Some(1)>[u8:1,]");
        assert_eq!(fp(&(1u8,)), "tuple<1>(u8:1,)");
        assert_eq!(fp(&Named(3)), r#"newtype:"Named"(u8:3)"#);
        let map = BTreeMap::from([("k", 1u8)]);
        assert_eq!(fp(&map), r#"map<Some(1)>{str:"k"=>u8:1,}"#);
        assert_ne!(fp(&Vec::<u8>::new()), fp(&()));
    }

    #[test]
    fn bytes_are_written_as_hex() {
        struct Raw(&'static [u8]);
        impl Serialize for Raw {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        assert_eq!(fp(&Raw(&[0, 0xab, 0xff])), "bytes:3[00abff]");
        assert_ne!(fp(&Raw(&[1, 2])), fp(&vec![1u8, 2]));
    }
}
