//! `Serialize` and `Deserialize` for kaizen's own file formats (snapshot headers, JSON
//! reports, the ledger, the strength probe's files), written by a declarative macro instead
//! of serde's derive.
//!
//! serde's derive is a procedural macro: it compiles `syn`, `quote`, `proc-macro2` and
//! `serde_derive` into every user's build before kaizen itself can start, the longest
//! chain of a clean build. The library needs only plain structs with named fields, so
//! [`serde_fields!`] writes what the derive would for them, with the same names, the same
//! field order and the same error messages (`missing field `x``, `duplicate field `x``);
//! unknown fields are ignored, as the derive does. A test holds the two to the same output
//! and the same errors on the documents it reads. (A key that is not a name at all, such as
//! a list, is refused as the derive refuses it, with "identifier" where the derive says
//! "field identifier" or "variant identifier".) The `command` feature's spec types keep the derive (that feature
//! turns serde's `derive` on).
//!
//! Each field is written `name`, `name = default` (a missing field takes its type's
//! default, as `#[serde(default)]`; use it for every `Option` field, which the derive
//! treats so) or `name = default if PREDICATE` (also left out when `PREDICATE(&value)`
//! holds, as `#[serde(default, skip_serializing_if = "PREDICATE")]`).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Implements `Serialize` and `Deserialize` for a struct with named fields; see the module
/// documentation for the field forms.
macro_rules! serde_fields {
    ($name:ident { $($field:ident $(= $default:ident $(if $skip:path)?)?),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let written = 0 $(+ usize::from(!$crate::serde_fields::skip!(
                    self.$field $(, $default $(, $skip)?)?
                )))*;
                let mut st = serializer.serialize_struct(stringify!($name), written)?;
                $(
                    if $crate::serde_fields::skip!(self.$field $(, $default $(, $skip)?)?) {
                        st.skip_field(stringify!($field))?;
                    } else {
                        st.serialize_field(stringify!($field), &self.$field)?;
                    }
                )*
                st.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FieldsVisitor;
                impl<'de> serde::de::Visitor<'de> for FieldsVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        $(let mut $field = None;)*
                        while let Some(key) = map.next_key::<$crate::serde_fields::Tag>()? {
                            match key.name() {
                                $(stringify!($field) => {
                                    if $field.is_some() {
                                        return Err(<A::Error as serde::de::Error>::duplicate_field(
                                            stringify!($field),
                                        ));
                                    }
                                    $field = Some(map.next_value()?);
                                })*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::serde_fields::take!(A, $field $(, $default)?),)*
                        })
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<$name, A::Error> {
                        const FIELDS: &[&str] = &[$(stringify!($field)),*];
                        let expected = || {
                            format!("struct {} with {} elements", stringify!($name), FIELDS.len())
                        };
                        let _ = &expected;
                        let mut at = 0usize;
                        $(
                            let $field = seq.next_element()?;
                            let $field = $crate::serde_fields::take_element!(
                                A, $field, at, expected $(, $default)?
                            );
                            at += 1;
                        )*
                        let _ = at;
                        Ok($name { $($field,)* })
                    }
                }
                const FIELDS: &[&str] = &[$(stringify!($field)),*];
                deserializer.deserialize_struct(stringify!($name), FIELDS, FieldsVisitor)
            }
        }
    };
}

/// Whether a field is left out when written.
macro_rules! skip {
    ($value:expr) => {
        false
    };
    ($value:expr, default) => {
        false
    };
    ($value:expr, default, $skip:path) => {
        $skip(&$value)
    };
}

/// A field's value once the map is read: missing is an error, or the type's default.
macro_rules! take {
    ($access:ident, $field:ident) => {
        $field.ok_or_else(|| {
            <$access::Error as serde::de::Error>::missing_field(stringify!($field))
        })?
    };
    ($access:ident, $field:ident, default) => {
        $field.unwrap_or_default()
    };
}

/// A field's value read by position: a missing one is an error, or the type's default.
macro_rules! take_element {
    ($access:ident, $field:ident, $at:ident, $expected:ident) => {
        match $field {
            Some(value) => value,
            None => {
                let expected = $expected();
                return Err(<$access::Error as serde::de::Error>::invalid_length(
                    $at,
                    &expected.as_str(),
                ));
            }
        }
    };
    ($access:ident, $field:ident, $at:ident, $expected:ident, default) => {
        $field.unwrap_or_default()
    };
}

pub(crate) use {serde_fields, skip, take, take_element};

/// Implements `Serialize` and `Deserialize` for an enum of unit variants, written by their
/// names (by their positions in formats that write positions), as the derive does.
macro_rules! serde_unit_enum {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let names = [$(($name::$variant, stringify!($variant))),*];
                let at = names.iter().position(|(v, _)| v == self).unwrap_or_default();
                serializer.serialize_unit_variant(stringify!($name), at as u32, names[at].1)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const VARIANTS: &[&str] = &[$(stringify!($variant)),*];
                struct VariantsVisitor;
                impl<'de> serde::de::Visitor<'de> for VariantsVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("enum ", stringify!($name)))
                    }
                    fn visit_enum<A: serde::de::EnumAccess<'de>>(
                        self,
                        data: A,
                    ) -> Result<$name, A::Error> {
                        use serde::de::VariantAccess;
                        let (tag, variant) = data.variant::<$crate::serde_fields::Tag>()?;
                        let found = [$($name::$variant),*][tag.variant(VARIANTS)?];
                        variant.unit_variant()?;
                        Ok(found)
                    }
                }
                deserializer.deserialize_enum(stringify!($name), VARIANTS, VariantsVisitor)
            }
        }
    };
}

/// A field or variant identifier as read: a name, or a position (from formats that write
/// struct fields and variants by position).
pub(crate) enum Tag {
    /// The variant's name.
    Name(String),
    /// The variant's position.
    Index(u64),
}

impl Tag {
    /// The position of the variant it names in `variants`; an error, worded as the
    /// derive's, for a name or a position that is not there.
    pub(crate) fn variant<E: de::Error>(
        &self,
        variants: &'static [&'static str],
    ) -> Result<usize, E> {
        match self {
            Tag::Name(name) => variants
                .iter()
                .position(|v| v == name)
                .ok_or_else(|| E::unknown_variant(name, variants)),
            Tag::Index(at) => usize::try_from(*at)
                .ok()
                .filter(|&at| at < variants.len())
                .ok_or_else(|| {
                    let expected = format!("variant index 0 <= i < {}", variants.len());
                    E::invalid_value(de::Unexpected::Unsigned(*at), &expected.as_str())
                }),
        }
    }

    /// The name; a position has none, so no field answers to it.
    pub(crate) fn name(&self) -> &str {
        match self {
            Tag::Name(name) => name,
            Tag::Index(_) => "",
        }
    }
}

impl<'de> serde::Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tag, D::Error> {
        struct TagVisitor;
        impl Visitor<'_> for TagVisitor {
            type Value = Tag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("identifier")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tag, E> {
                Ok(Tag::Name(v.to_owned()))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Tag, E> {
                Ok(Tag::Name(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tag, E> {
                Ok(Tag::Index(v))
            }
        }
        deserializer.deserialize_identifier(TagVisitor)
    }
}

/// A case row as written: `{input: …}`.
pub(crate) struct InputRow<'a, I: ?Sized> {
    pub(crate) input: &'a I,
}

impl<I: serde::Serialize + ?Sized> serde::Serialize for InputRow<'_, I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = serializer.serialize_struct("InputRow", 1)?;
        st.serialize_field("input", self.input)?;
        st.end()
    }
}

/// A row read for its `input`; with `KILLS`, a `kills` text is required beside it (the
/// strengthened inputs' file). Other fields are ignored.
pub(crate) struct InputOf<I, const KILLS: bool> {
    pub(crate) input: I,
}

impl<'de, I: serde::Deserialize<'de>, const KILLS: bool> serde::Deserialize<'de>
    for InputOf<I, KILLS>
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor<I, const KILLS: bool>(std::marker::PhantomData<I>);
        impl<'de, I: serde::Deserialize<'de>, const KILLS: bool> Visitor<'de> for RowVisitor<I, KILLS> {
            type Value = InputOf<I, KILLS>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(if KILLS {
                    "struct Row"
                } else {
                    "struct InputRowOwned"
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut input, mut kills) = (None, None);
                while let Some(key) = map.next_key::<Tag>()? {
                    match key.name() {
                        "input" if input.is_some() => {
                            return Err(de::Error::duplicate_field("input"));
                        }
                        "input" => input = Some(map.next_value()?),
                        "kills" if KILLS && kills.is_some() => {
                            return Err(de::Error::duplicate_field("kills"));
                        }
                        "kills" if KILLS => kills = Some(map.next_value::<String>()?),
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                if KILLS && kills.is_none() {
                    return Err(de::Error::missing_field("kills"));
                }
                let input = input.ok_or_else(|| de::Error::missing_field("input"))?;
                Ok(InputOf { input })
            }
        }
        let fields: &'static [&'static str] = if KILLS {
            &["kills", "input"]
        } else {
            &["input"]
        };
        let name = if KILLS { "Row" } else { "InputRowOwned" };
        deserializer.deserialize_struct(
            name,
            fields,
            RowVisitor::<I, KILLS>(std::marker::PhantomData),
        )
    }
}

pub(crate) use serde_unit_enum;

#[cfg(test)]
mod tests {
    //! The macro against serde's derive, on the same fields and the same documents.

    fn is_zero(n: &usize) -> bool {
        *n == 0
    }

    #[derive(Debug, PartialEq, Default)]
    struct ByHand {
        name: String,
        count: usize,
        note: Option<String>,
        extra: Vec<String>,
        seen: usize,
        kept: Option<u32>,
    }
    super::serde_fields!(ByHand {
        name,
        count,
        note = default if Option::is_none,
        extra = default if Vec::is_empty,
        seen = default if is_zero,
        kept = default,
    });

    /// The derive's own impls, under the same name, to hold the macro's to.
    mod derived {
        use super::is_zero;

        #[derive(Debug, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        pub(super) struct ByHand {
            pub(super) name: String,
            pub(super) count: usize,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub(super) note: Option<String>,
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub(super) extra: Vec<String>,
            #[serde(default, skip_serializing_if = "is_zero")]
            pub(super) seen: usize,
            pub(super) kept: Option<u32>,
        }
    }
    use derived::ByHand as Derived;

    fn both(
        name: &str,
        count: usize,
        note: Option<&str>,
        extra: &[&str],
        seen: usize,
    ) -> (ByHand, Derived) {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let note = note.map(str::to_string);
        let kept = count.is_multiple_of(2).then_some(count as u32);
        (
            ByHand {
                name: name.into(),
                count,
                note: note.clone(),
                extra: extra.clone(),
                seen,
                kept,
            },
            Derived {
                name: name.into(),
                count,
                note,
                extra,
                seen,
                kept,
            },
        )
    }

    #[test]
    fn the_macro_writes_what_the_derive_writes_in_yaml_and_json() {
        for (name, count, note, extra, seen) in [
            ("a", 0, None, &[][..], 0),
            ("b: c", 3, Some("x"), &["1", "two"][..], 7),
            ("", 4, Some(""), &[""][..], 0),
        ] {
            let (hand, derived) = both(name, count, note, extra, seen);
            assert_eq!(
                serde_yaml::to_string(&hand).unwrap(),
                serde_yaml::to_string(&derived).unwrap()
            );
            assert_eq!(
                serde_json::to_string(&hand).unwrap(),
                serde_json::to_string(&derived).unwrap()
            );
            let text = serde_json::to_string(&hand).unwrap();
            assert_eq!(serde_json::from_str::<ByHand>(&text).unwrap(), hand);
            let text = serde_yaml::to_string(&hand).unwrap();
            assert_eq!(serde_yaml::from_str::<ByHand>(&text).unwrap(), hand);
        }
    }

    #[test]
    fn the_macro_reads_and_refuses_what_the_derive_reads_and_refuses() {
        let documents = [
            "name: a\ncount: 1\n",
            "name: a\ncount: 1\nunknown: [1, 2]\nnote: n\n",
            "count: 1\n",
            "name: a\n",
            "name: a\ncount: 1\nname: b\n",
            "name: a\ncount: x\n",
            "[a, 1]\n",
            "7\n",
            "name: a\ncount: 1\nkept: null\nseen: 2\nextra: [q]\n",
            "{}\n",
        ];
        for text in documents {
            let hand = serde_yaml::from_str::<ByHand>(text).map_err(|e| e.to_string());
            let derived = serde_yaml::from_str::<Derived>(text).map_err(|e| e.to_string());
            match (hand, derived) {
                (Ok(h), Ok(d)) => {
                    assert_eq!(
                        serde_json::to_string(&h).unwrap(),
                        serde_json::to_string(&d).unwrap()
                    );
                }
                (Err(h), Err(d)) => assert_eq!(h, d, "{text:?}"),
                (h, d) => panic!("{text:?}: by hand {h:?}, derived {d:?}"),
            }
            // As a JSON object (a sequence is read by position, where an `Option` field
            // marked `= default` may be left out and one the derive reads unmarked may not).
            let json: Result<serde_json::Value, _> = serde_yaml::from_str(text);
            if let Ok(json) = json.as_ref().map(|j| j.is_object().then_some(j)) {
                let Some(json) = json else { continue };
                let text = json.to_string();
                let hand = serde_json::from_str::<ByHand>(&text).map_err(|e| e.to_string());
                let derived = serde_json::from_str::<Derived>(&text).map_err(|e| e.to_string());
                assert_eq!(hand.is_ok(), derived.is_ok(), "{text}");
                if let (Err(h), Err(d)) = (hand, derived) {
                    assert_eq!(h, d, "{text}");
                }
            }
        }
    }
}
