//! `Serialize` and `Deserialize` for [`Outcome`], as serde's derive with
//! `rename_all = "snake_case"` writes them (see `serde_fields.rs` for why they are written
//! out): one key naming the variant, its value beside it (`returned: 27`), or the variant's
//! position in formats that write positions (the isolation channel).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, EnumAccess, VariantAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::Outcome;
use crate::serde_fields::Tag;

const VARIANTS: &[&str] = &["returned", "panicked", "timeout", "exited", "crashed"];

impl<O: Serialize> Serialize for Outcome<O> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = serializer;
        match self {
            Outcome::Returned(v) => s.serialize_newtype_variant("Outcome", 0, VARIANTS[0], v),
            Outcome::Panicked(v) => s.serialize_newtype_variant("Outcome", 1, VARIANTS[1], v),
            Outcome::Timeout(v) => s.serialize_newtype_variant("Outcome", 2, VARIANTS[2], v),
            Outcome::Exited(v) => s.serialize_newtype_variant("Outcome", 3, VARIANTS[3], v),
            Outcome::Crashed(v) => s.serialize_newtype_variant("Outcome", 4, VARIANTS[4], v),
        }
    }
}

impl<'de, O: Deserialize<'de>> Deserialize<'de> for Outcome<O> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_enum("Outcome", VARIANTS, OutcomeVisitor(PhantomData))
    }
}

struct OutcomeVisitor<O>(PhantomData<O>);

impl<'de, O: Deserialize<'de>> Visitor<'de> for OutcomeVisitor<O> {
    type Value = Outcome<O>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("enum Outcome")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Outcome<O>, A::Error> {
        let (tag, variant) = data.variant::<Tag>()?;
        let at = tag.variant(VARIANTS)?;
        Ok(match at {
            0 => Outcome::Returned(variant.newtype_variant()?),
            1 => Outcome::Panicked(variant.newtype_variant()?),
            2 => Outcome::Timeout(variant.newtype_variant()?),
            3 => Outcome::Exited(variant.newtype_variant()?),
            _ => Outcome::Crashed(variant.newtype_variant()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derive's own impls, to hold the written ones to.
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(rename = "Outcome", rename_all = "snake_case")]
    enum Derived<O> {
        Returned(O),
        Panicked(String),
        Timeout(String),
        Exited(i32),
        Crashed(String),
    }

    type Value = Option<(u8, String)>;

    fn pairs() -> Vec<(Outcome<Value>, Derived<Value>)> {
        vec![
            (
                Outcome::Returned(Some((3, "a: b".into()))),
                Derived::Returned(Some((3, "a: b".into()))),
            ),
            (Outcome::Returned(None), Derived::Returned(None)),
            (
                Outcome::Panicked("boom\nline".into()),
                Derived::Panicked("boom\nline".into()),
            ),
            (Outcome::Timeout("2s".into()), Derived::Timeout("2s".into())),
            (Outcome::Exited(-3), Derived::Exited(-3)),
            (
                Outcome::Crashed("abort".into()),
                Derived::Crashed("abort".into()),
            ),
        ]
    }

    #[test]
    fn an_outcome_is_written_and_read_as_the_derive_does_in_yaml_and_json() {
        for (ours, derived) in pairs() {
            let yaml = serde_yaml::to_string(&ours).unwrap();
            assert_eq!(yaml, serde_yaml::to_string(&derived).unwrap());
            assert_eq!(serde_yaml::from_str::<Outcome<Value>>(&yaml).unwrap(), ours);
            let json = serde_json::to_string(&ours).unwrap();
            assert_eq!(json, serde_json::to_string(&derived).unwrap());
            assert_eq!(serde_json::from_str::<Outcome<Value>>(&json).unwrap(), ours);
        }
        for text in [
            "returnd: 3\n",
            "exited: x\n",
            "3\n",
            "{}\n",
            "returned: 1\npanicked: a\n",
        ] {
            let ours = serde_yaml::from_str::<Outcome<u8>>(text).map_err(|e| e.to_string());
            let derived = serde_yaml::from_str::<Derived<u8>>(text).map_err(|e| e.to_string());
            assert_eq!(ours.err(), derived.err(), "{text:?}");
        }
    }

    #[cfg(feature = "isolate")]
    #[test]
    fn an_outcome_crosses_the_isolation_channel_as_the_derive_writes_it() {
        for (ours, derived) in pairs() {
            let bytes = postcard::to_stdvec(&ours).unwrap();
            assert_eq!(bytes, postcard::to_stdvec(&derived).unwrap());
            assert_eq!(
                postcard::from_bytes::<Outcome<Value>>(&bytes).unwrap(),
                ours
            );
        }
        assert!(postcard::from_bytes::<Outcome<u8>>(&[9, 1]).is_err());
    }
}
