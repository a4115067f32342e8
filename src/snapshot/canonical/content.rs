//! A value captured as serde sees it, with unordered collections sorted, and replayed.
//!
//! Capturing calls the value's `Serialize` once and keeps every call (names, variant
//! indices, length hints, skipped fields) so that replaying it gives any serializer exactly
//! the calls the value would have made — except that the entries of an unordered collection
//! come in canonical order.

use std::any::type_name;
use std::fmt;

use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};

use super::is_unordered;
use super::order::compare;

/// One value of the serde data model.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    Bool(bool),
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    I128(i128),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    U128(u128),
    F32(f32),
    F64(f64),
    Char(char),
    Str(String),
    Bytes(Vec<u8>),
    Absent,
    Present(Box<Content>),
    Unit,
    UnitStruct(&'static str),
    UnitVariant(Variant),
    NewtypeStruct(&'static str, Box<Content>),
    NewtypeVariant(Variant, Box<Content>),
    Seq(Option<usize>, Vec<Content>),
    Tuple(usize, Vec<Content>),
    TupleStruct(&'static str, usize, Vec<Content>),
    TupleVariant(Variant, usize, Vec<Content>),
    Map(Option<usize>, Vec<(Content, Content)>),
    Struct(&'static str, usize, Vec<Field>),
    StructVariant(Variant, usize, Vec<Field>),
}

/// An enum variant: the enum's name, the variant's index and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Variant(&'static str, u32, &'static str);

/// A struct field; `None` when serde skipped it.
pub(crate) type Field = (&'static str, Option<Content>);

/// Why a value could not be captured: its own `Serialize` failed.
#[derive(Debug)]
pub(crate) struct CaptureError(String);

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CaptureError {}

impl ser::Error for CaptureError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        CaptureError(message.to_string())
    }
}

impl Content {
    /// Captures `value` for a serializer that is (`human`) or is not human-readable, with
    /// its unordered collections sorted.
    pub(crate) fn capture<T: Serialize + ?Sized>(
        value: &T,
        human: bool,
    ) -> Result<Content, CaptureError> {
        value.serialize(Capture {
            human,
            ty: type_name::<T>(),
        })
    }
}

/// The capturing serializer: `ty` is the type of the value it is handed.
struct Capture {
    human: bool,
    ty: &'static str,
}

impl Capture {
    fn take<T: Serialize + ?Sized>(&self, value: &T) -> Result<Content, CaptureError> {
        Content::capture(value, self.human)
    }
}

/// A compound being captured: its elements, and whether to sort them at the end.
struct Compound {
    human: bool,
    unordered: bool,
    kind: Kind,
    items: Vec<Content>,
    entries: Vec<(Content, Content)>,
    key: Option<Content>,
    fields: Vec<Field>,
}

enum Kind {
    Seq(Option<usize>),
    Tuple(usize),
    TupleStruct(&'static str, usize),
    TupleVariant(Variant, usize),
    Map(Option<usize>),
    Struct(&'static str, usize),
    StructVariant(Variant, usize),
}

impl Compound {
    fn new(capture: &Capture, kind: Kind, unordered: bool) -> Compound {
        Compound {
            human: capture.human,
            unordered,
            kind,
            items: Vec::new(),
            entries: Vec::new(),
            key: None,
            fields: Vec::new(),
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CaptureError> {
        self.items.push(Content::capture(value, self.human)?);
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), CaptureError> {
        let value = Content::capture(value, self.human)?;
        self.fields.push((name, Some(value)));
        Ok(())
    }

    fn finish(mut self) -> Result<Content, CaptureError> {
        if self.unordered {
            self.items.sort_by(compare);
            self.entries
                .sort_by(|(k, v), (l, w)| compare(k, l).then_with(|| compare(v, w)));
        }
        Ok(match self.kind {
            Kind::Seq(len) => Content::Seq(len, self.items),
            Kind::Tuple(len) => Content::Tuple(len, self.items),
            Kind::TupleStruct(name, len) => Content::TupleStruct(name, len, self.items),
            Kind::TupleVariant(v, len) => Content::TupleVariant(v, len, self.items),
            Kind::Map(len) => Content::Map(len, self.entries),
            Kind::Struct(name, len) => Content::Struct(name, len, self.fields),
            Kind::StructVariant(v, len) => Content::StructVariant(v, len, self.fields),
        })
    }
}

type Captured = Result<Content, CaptureError>;

impl Serializer for Capture {
    type Ok = Content;
    type Error = CaptureError;
    type SerializeSeq = Compound;
    type SerializeTuple = Compound;
    type SerializeTupleStruct = Compound;
    type SerializeTupleVariant = Compound;
    type SerializeMap = Compound;
    type SerializeStruct = Compound;
    type SerializeStructVariant = Compound;

    fn is_human_readable(&self) -> bool {
        self.human
    }
    fn serialize_bool(self, v: bool) -> Captured {
        Ok(Content::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Captured {
        Ok(Content::I8(v))
    }
    fn serialize_i16(self, v: i16) -> Captured {
        Ok(Content::I16(v))
    }
    fn serialize_i32(self, v: i32) -> Captured {
        Ok(Content::I32(v))
    }
    fn serialize_i64(self, v: i64) -> Captured {
        Ok(Content::I64(v))
    }
    fn serialize_i128(self, v: i128) -> Captured {
        Ok(Content::I128(v))
    }
    fn serialize_u8(self, v: u8) -> Captured {
        Ok(Content::U8(v))
    }
    fn serialize_u16(self, v: u16) -> Captured {
        Ok(Content::U16(v))
    }
    fn serialize_u32(self, v: u32) -> Captured {
        Ok(Content::U32(v))
    }
    fn serialize_u64(self, v: u64) -> Captured {
        Ok(Content::U64(v))
    }
    fn serialize_u128(self, v: u128) -> Captured {
        Ok(Content::U128(v))
    }
    fn serialize_f32(self, v: f32) -> Captured {
        Ok(Content::F32(v))
    }
    fn serialize_f64(self, v: f64) -> Captured {
        Ok(Content::F64(v))
    }
    fn serialize_char(self, v: char) -> Captured {
        Ok(Content::Char(v))
    }
    fn serialize_str(self, v: &str) -> Captured {
        Ok(Content::Str(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Captured {
        Ok(Content::Bytes(v.to_vec()))
    }
    fn serialize_none(self) -> Captured {
        Ok(Content::Absent)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Captured {
        Ok(Content::Present(Box::new(self.take(value)?)))
    }
    fn serialize_unit(self) -> Captured {
        Ok(Content::Unit)
    }
    fn serialize_unit_struct(self, name: &'static str) -> Captured {
        Ok(Content::UnitStruct(name))
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Captured {
        Ok(Content::UnitVariant(Variant(name, index, variant)))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Captured {
        Ok(Content::NewtypeStruct(name, Box::new(self.take(value)?)))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Captured {
        let inner = Box::new(self.take(value)?);
        Ok(Content::NewtypeVariant(
            Variant(name, index, variant),
            inner,
        ))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound, CaptureError> {
        Ok(Compound::new(&self, Kind::Seq(len), is_unordered(self.ty)))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound, CaptureError> {
        Ok(Compound::new(&self, Kind::Tuple(len), false))
    }
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Compound, CaptureError> {
        Ok(Compound::new(&self, Kind::TupleStruct(name, len), false))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound, CaptureError> {
        let kind = Kind::TupleVariant(Variant(name, index, variant), len);
        Ok(Compound::new(&self, kind, false))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound, CaptureError> {
        Ok(Compound::new(&self, Kind::Map(len), is_unordered(self.ty)))
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound, CaptureError> {
        Ok(Compound::new(&self, Kind::Struct(name, len), false))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound, CaptureError> {
        let kind = Kind::StructVariant(Variant(name, index, variant), len);
        Ok(Compound::new(&self, kind, false))
    }
}

impl SerializeSeq for Compound {
    type Ok = Content;
    type Error = CaptureError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CaptureError> {
        self.element(value)
    }
    fn end(self) -> Captured {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound {
    type Ok = Content;
    type Error = CaptureError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CaptureError> {
        self.element(value)
    }
    fn end(self) -> Captured {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound {
    type Ok = Content;
    type Error = CaptureError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CaptureError> {
        self.element(value)
    }
    fn end(self) -> Captured {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound {
    type Ok = Content;
    type Error = CaptureError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CaptureError> {
        self.element(value)
    }
    fn end(self) -> Captured {
        self.finish()
    }
}

impl SerializeMap for Compound {
    type Ok = Content;
    type Error = CaptureError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), CaptureError> {
        self.key = Some(Content::capture(key, self.human)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CaptureError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| CaptureError("a map value came without its key".into()))?;
        let value = Content::capture(value, self.human)?;
        self.entries.push((key, value));
        Ok(())
    }
    fn end(self) -> Captured {
        self.finish()
    }
}

impl SerializeStruct for Compound {
    type Ok = Content;
    type Error = CaptureError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), CaptureError> {
        self.field(name, value)
    }
    fn skip_field(&mut self, name: &'static str) -> Result<(), CaptureError> {
        self.fields.push((name, None));
        Ok(())
    }
    fn end(self) -> Captured {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound {
    type Ok = Content;
    type Error = CaptureError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), CaptureError> {
        self.field(name, value)
    }
    fn skip_field(&mut self, name: &'static str) -> Result<(), CaptureError> {
        self.fields.push((name, None));
        Ok(())
    }
    fn end(self) -> Captured {
        self.finish()
    }
}

impl Serialize for Content {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use Content::*;
        match self {
            Bool(v) => s.serialize_bool(*v),
            I8(v) => s.serialize_i8(*v),
            I16(v) => s.serialize_i16(*v),
            I32(v) => s.serialize_i32(*v),
            I64(v) => s.serialize_i64(*v),
            I128(v) => s.serialize_i128(*v),
            U8(v) => s.serialize_u8(*v),
            U16(v) => s.serialize_u16(*v),
            U32(v) => s.serialize_u32(*v),
            U64(v) => s.serialize_u64(*v),
            U128(v) => s.serialize_u128(*v),
            F32(v) => s.serialize_f32(*v),
            F64(v) => s.serialize_f64(*v),
            Char(v) => s.serialize_char(*v),
            Str(v) => s.serialize_str(v),
            Bytes(v) => s.serialize_bytes(v),
            Absent => s.serialize_none(),
            Present(v) => s.serialize_some(v.as_ref()),
            Unit => s.serialize_unit(),
            UnitStruct(name) => s.serialize_unit_struct(name),
            UnitVariant(Variant(name, index, variant)) => {
                s.serialize_unit_variant(name, *index, variant)
            }
            NewtypeStruct(name, v) => s.serialize_newtype_struct(name, v.as_ref()),
            NewtypeVariant(Variant(name, index, variant), v) => {
                s.serialize_newtype_variant(name, *index, variant, v.as_ref())
            }
            _ => replay_compound(self, s),
        }
    }
}

fn replay_compound<S: Serializer>(content: &Content, s: S) -> Result<S::Ok, S::Error> {
    use Content::*;
    use ser::{
        SerializeStructVariant, SerializeTuple, SerializeTupleStruct, SerializeTupleVariant,
    };
    match content {
        Seq(len, items) => {
            let mut seq = s.serialize_seq(*len)?;
            for item in items {
                seq.serialize_element(item)?;
            }
            seq.end()
        }
        Tuple(len, items) => {
            let mut t = s.serialize_tuple(*len)?;
            for item in items {
                t.serialize_element(item)?;
            }
            t.end()
        }
        TupleStruct(name, len, items) => {
            let mut t = s.serialize_tuple_struct(name, *len)?;
            for item in items {
                t.serialize_field(item)?;
            }
            t.end()
        }
        TupleVariant(Variant(name, index, variant), len, items) => {
            let mut t = s.serialize_tuple_variant(name, *index, variant, *len)?;
            for item in items {
                t.serialize_field(item)?;
            }
            t.end()
        }
        Map(len, entries) => {
            let mut m = s.serialize_map(*len)?;
            for (k, v) in entries {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
        Struct(name, len, fields) => {
            let mut st = s.serialize_struct(name, *len)?;
            for (field, value) in fields {
                match value {
                    Some(v) => st.serialize_field(field, v)?,
                    None => st.skip_field(field)?,
                }
            }
            st.end()
        }
        StructVariant(Variant(name, index, variant), len, fields) => {
            let mut st = s.serialize_struct_variant(name, *index, variant, *len)?;
            for (field, value) in fields {
                match value {
                    Some(v) => st.serialize_field(field, v)?,
                    None => st.skip_field(field)?,
                }
            }
            st.end()
        }
        _ => Err(ser::Error::custom("not a compound value")),
    }
}
