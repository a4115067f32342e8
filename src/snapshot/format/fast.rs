//! A direct writer for the common shapes of snapshot YAML.
//!
//! serde_yaml drives a full libyaml emitter per value, which costs a few microseconds even
//! for `returned: 27`. This writer appends the text itself for the values whose YAML is
//! simple to get exactly right — numbers, booleans, nulls, plain ASCII strings, and block
//! sequences and mappings of them (enums as single-key maps, as kaizen stores them) — and
//! gives up ([`Unsupported`]) on anything else: quoted or multi-line strings, non-ASCII text,
//! complex keys, bytes, unordered collections (`HashMap`, `HashSet`). The caller then uses serde_yaml, so the text is always serde_yaml's
//! (a property test in `format::tests` compares both on hostile values).
//!
//! It also gives up on every construct that `exact::check_representable` flags (`Some(None)`,
//! `Some(())`, non-standard NaNs, bytes), so a value it writes needs no separate check.

use std::any::type_name;

use serde::Serialize;
use serde::ser;

use crate::snapshot::canonical::is_unordered;
use crate::snapshot::digest::mix;

mod key;
mod plain;

use key::Key;
use plain::plain;

/// The writer could not write a value (the caller falls back to serde_yaml).
#[derive(Debug)]
pub(crate) struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not written by the fast writer")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

type Done = Result<(), Unsupported>;

/// Appends `- input: VALUE` (the text of [`super::encode_input`]) and returns the input's
/// shape (see [`super::write_input_shaped`]). On failure `out` is left as it was.
pub(crate) fn input_row<T: Serialize + ?Sized>(out: &mut String, input: &T) -> Option<u64> {
    let start = out.len();
    out.push_str("- input:");
    let mut w = Writer {
        out,
        inside_some: false,
        shape: 0,
    };
    let ok = write(&mut w, At::Value(2), input).is_ok();
    let shape = w.shape;
    if !ok {
        out.truncate(start);
        return None;
    }
    Some(shape)
}

/// Appends a behaviour as it sits under its input (the text of
/// [`super::encode_behaviour`]): `  KEY: …`. Succeeds only for a non-empty mapping that
/// YAML holds exactly; on failure `out` is left as it was.
pub(crate) fn behaviour<T: Serialize + ?Sized>(out: &mut String, behaviour: &T) -> bool {
    let start = out.len();
    out.push_str("  ");
    let mut w = Writer {
        out,
        inside_some: false,
        shape: 0,
    };
    let ok = matches!(write(&mut w, At::Item(0), behaviour), Ok(Kind::Mapping));
    if !ok {
        out.truncate(start);
    }
    ok
}

/// What a value was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Scalar,
    Mapping,
    Sequence,
}

/// Where the next value goes.
#[derive(Debug, Clone, Copy)]
enum At {
    /// Right after a sequence item's `- `, whose `-` is at this column.
    Item(usize),
    /// Right after `key:`, whose key starts at this column.
    Value(usize),
}

struct Writer<'o> {
    out: &'o mut String,
    /// The value being written sits directly inside a `Some` (a null there is lost).
    inside_some: bool,
    /// The value's shape so far: its types, kinds, names and variants, not its scalars.
    shape: u64,
}

impl Writer<'_> {
    /// Notes one step of the shape.
    fn mark(&mut self, step: u64) {
        self.shape = mix(self.shape, step);
    }

    fn scalar(&mut self, at: At, text: &str) -> Result<Kind, Unsupported> {
        self.inside_some = false;
        if let At::Value(_) = at {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
        Ok(Kind::Scalar)
    }

    fn null(&mut self, at: At) -> Result<Kind, Unsupported> {
        if self.inside_some {
            return Err(Unsupported);
        }
        self.scalar(at, "null")
    }

    fn spaces(&mut self, n: usize) {
        const SPACES: &str = "                                ";
        let mut left = n;
        while left > 0 {
            let k = left.min(SPACES.len());
            self.out.push_str(&SPACES[..k]);
            left -= k;
        }
    }

    /// Starts entry `index` of a mapping placed `at`; returns the column of its key.
    fn entry(&mut self, at: At, index: usize) -> usize {
        match at {
            At::Item(c) => {
                if index > 0 {
                    self.spaces(c + 2);
                }
                c + 2
            }
            At::Value(k) => {
                if index == 0 {
                    self.out.push('\n');
                }
                self.spaces(k + 2);
                k + 2
            }
        }
    }

    /// Starts item `index` of a sequence placed `at`; returns the column of its `-`.
    fn item(&mut self, at: At, index: usize) -> usize {
        let col = match at {
            At::Item(c) => {
                if index > 0 {
                    self.spaces(c + 2);
                }
                c + 2
            }
            At::Value(k) => {
                if index == 0 {
                    self.out.push('\n');
                }
                self.spaces(k);
                k
            }
        };
        self.out.push_str("- ");
        col
    }
}

/// Serializes one value at a place.
struct Value<'a, 'o> {
    w: &'a mut Writer<'o>,
    at: At,
    /// The type of the value (an unordered collection is left to the canonical writer).
    ty: &'static str,
}

/// Writes `value` at `at`, noting its type.
fn write<T: Serialize + ?Sized>(
    w: &mut Writer<'_>,
    at: At,
    value: &T,
) -> Result<Kind, Unsupported> {
    value.serialize(Value {
        w,
        at,
        ty: type_name::<T>(),
    })
}

impl<'a, 'o> Value<'a, 'o> {
    fn int(self, v: impl itoa::Integer) -> Result<Kind, Unsupported> {
        self.w.scalar(self.at, itoa::Buffer::new().format(v))
    }

    /// Writes the single-key mapping `variant:` and returns the place of its value.
    fn variant(self, variant: &str) -> Result<(&'a mut Writer<'o>, At), Unsupported> {
        self.w.mark(variant.as_ptr() as u64);
        if !plain(variant) || variant.len() > 64 {
            return Err(Unsupported);
        }
        self.w.inside_some = false;
        let col = self.w.entry(self.at, 0);
        self.w.out.push_str(variant);
        self.w.out.push(':');
        Ok((self.w, At::Value(col)))
    }

    fn compound(self, kind: Kind) -> Compound<'a, 'o> {
        self.w.inside_some = false;
        Compound {
            w: self.w,
            at: self.at,
            kind,
            count: 0,
            wraps_variant: false,
            at_value: 0,
        }
    }
}

impl<'a, 'o> ser::Serializer for Value<'a, 'o> {
    type Ok = Kind;
    type Error = Unsupported;
    type SerializeSeq = Compound<'a, 'o>;
    type SerializeTuple = Compound<'a, 'o>;
    type SerializeTupleStruct = Compound<'a, 'o>;
    type SerializeTupleVariant = Compound<'a, 'o>;
    type SerializeMap = Compound<'a, 'o>;
    type SerializeStruct = Compound<'a, 'o>;
    type SerializeStructVariant = Compound<'a, 'o>;

    fn serialize_bool(self, v: bool) -> Result<Kind, Unsupported> {
        self.w.mark(101);
        self.w.scalar(self.at, if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<Kind, Unsupported> {
        self.w.mark(102);
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Kind, Unsupported> {
        self.w.mark(103);
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Kind, Unsupported> {
        self.w.mark(104);
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Kind, Unsupported> {
        self.w.mark(105);
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Kind, Unsupported> {
        self.w.mark(106);
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Kind, Unsupported> {
        self.w.mark(107);
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Kind, Unsupported> {
        self.w.mark(108);
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Kind, Unsupported> {
        self.w.mark(109);
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Kind, Unsupported> {
        self.w.mark(110);
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Kind, Unsupported> {
        self.w.mark(111);
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Kind, Unsupported> {
        self.w.mark(112);
        if v.is_nan() && v.to_bits() != f32::NAN.to_bits() {
            return Err(Unsupported);
        }
        let mut buffer = ryu::Buffer::new();
        let text = match v {
            f32::INFINITY => ".inf",
            f32::NEG_INFINITY => "-.inf",
            _ if v.is_nan() => ".nan",
            _ => buffer.format_finite(v),
        };
        self.w.scalar(self.at, text)
    }
    fn serialize_f64(self, v: f64) -> Result<Kind, Unsupported> {
        self.w.mark(113);
        if v.is_nan() && v.to_bits() != f64::NAN.to_bits() {
            return Err(Unsupported);
        }
        let mut buffer = ryu::Buffer::new();
        let text = match v {
            f64::INFINITY => ".inf",
            f64::NEG_INFINITY => "-.inf",
            _ if v.is_nan() => ".nan",
            _ => buffer.format_finite(v),
        };
        self.w.scalar(self.at, text)
    }
    fn serialize_char(self, v: char) -> Result<Kind, Unsupported> {
        self.w.mark(114);
        if !v.is_ascii_alphanumeric() {
            return Err(Unsupported);
        }
        let mut text = [b'\'', 0, b'\''];
        text[1] = v as u8;
        self.w.scalar(
            self.at,
            std::str::from_utf8(&text).map_err(|_| Unsupported)?,
        )
    }
    fn serialize_str(self, v: &str) -> Result<Kind, Unsupported> {
        self.w.mark(115);
        if v.is_empty() {
            return self.w.scalar(self.at, "''");
        }
        if !plain(v) {
            return Err(Unsupported);
        }
        self.w.scalar(self.at, v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Kind, Unsupported> {
        self.w.mark(116);
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<Kind, Unsupported> {
        self.w.null(self.at)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Kind, Unsupported> {
        self.w.mark(117);
        self.w.inside_some = true;
        write(self.w, self.at, value)
    }
    fn serialize_unit(self) -> Result<Kind, Unsupported> {
        self.w.null(self.at)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Kind, Unsupported> {
        self.w.mark(118);
        self.w.null(self.at)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Kind, Unsupported> {
        self.w.mark(119);
        self.w.mark(variant.as_ptr() as u64);
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Kind, Unsupported> {
        self.w.mark(120);
        write(self.w, self.at, value)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Kind, Unsupported> {
        self.w.mark(121);
        let (w, at) = self.variant(variant)?;
        write(w, at, value)?;
        Ok(Kind::Mapping)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a, 'o>, Unsupported> {
        self.w.mark(122);
        if is_unordered(self.ty) {
            return Err(Unsupported);
        }
        Ok(self.compound(Kind::Sequence))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a, 'o>, Unsupported> {
        self.w.mark(123);
        Ok(self.compound(Kind::Sequence))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'o>, Unsupported> {
        self.w.mark(124);
        Ok(self.compound(Kind::Sequence))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'o>, Unsupported> {
        self.w.mark(125);
        let (w, at) = self.variant(variant)?;
        let mut c = Value { w, at, ty: "" }.compound(Kind::Sequence);
        c.wraps_variant = true;
        Ok(c)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a, 'o>, Unsupported> {
        self.w.mark(126);
        if is_unordered(self.ty) {
            return Err(Unsupported);
        }
        Ok(self.compound(Kind::Mapping))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a, 'o>, Unsupported> {
        self.w.mark(127);
        Ok(self.compound(Kind::Mapping))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a, 'o>, Unsupported> {
        self.w.mark(128);
        let (w, at) = self.variant(variant)?;
        let mut c = Value { w, at, ty: "" }.compound(Kind::Mapping);
        c.wraps_variant = true;
        Ok(c)
    }
}

/// A sequence or mapping being written; its opening is written with its first element, so
/// an empty one becomes `[]` or `{}`.
struct Compound<'a, 'o> {
    w: &'a mut Writer<'o>,
    at: At,
    kind: Kind,
    count: usize,
    /// It is the value of an enum variant's single-key mapping.
    wraps_variant: bool,
    /// Column of the key whose value comes next (mappings).
    at_value: usize,
}

impl Compound<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        let col = self.w.item(self.at, self.count);
        self.count += 1;
        self.w.inside_some = false;
        write(self.w, At::Item(col), value)?;
        Ok(())
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.w.mark(type_name::<T>().as_ptr() as u64);
        let col = self.w.entry(self.at, self.count);
        self.count += 1;
        key.serialize(Key { out: self.w.out })?;
        self.w.out.push(':');
        self.at_value = col;
        Ok(())
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.w.inside_some = false;
        write(self.w, At::Value(self.at_value), value)?;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Done {
        self.w.mark(name.as_ptr() as u64);
        if !plain(name) || name.len() > 64 {
            return Err(Unsupported);
        }
        let col = self.w.entry(self.at, self.count);
        self.count += 1;
        self.w.out.push_str(name);
        self.w.out.push(':');
        self.at_value = col;
        self.value(value)
    }

    fn finish(self) -> Result<Kind, Unsupported> {
        self.w.mark(self.count as u64);
        if self.count == 0 {
            let empty = if self.kind == Kind::Sequence {
                "[]"
            } else {
                "{}"
            };
            self.w.scalar(self.at, empty)?;
        }
        Ok(if self.wraps_variant {
            Kind::Mapping
        } else {
            self.kind
        })
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = Kind;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Result<Kind, Unsupported> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = Kind;
    type Error = Unsupported;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Result<Kind, Unsupported> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = Kind;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Result<Kind, Unsupported> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = Kind;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.element(value)
    }
    fn end(self) -> Result<Kind, Unsupported> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = Kind;
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.value(value)
    }
    fn end(self) -> Result<Kind, Unsupported> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = Kind;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Done {
        self.field(name, value)
    }
    fn end(self) -> Result<Kind, Unsupported> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = Kind;
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Done {
        self.field(name, value)
    }
    fn end(self) -> Result<Kind, Unsupported> {
        self.finish()
    }
}
