//! One canonical order for unordered collections.
//!
//! A `HashMap` or `HashSet` iterates in an order drawn at random per process (and per map),
//! and serde writes it in that order. So the same map would give a different snapshot text,
//! a different fingerprint and a different postcard message in every run. Everything kaizen
//! writes or compares goes through this module instead: an unordered collection is written
//! with its entries sorted — by key for a map, by value for a set: first by kind of value,
//! then integers by value whatever their width, floats by `total_cmp` (so `-0.0 < 0.0`),
//! text and bytes by bytes, compounds by name and then element by element. For the usual
//! key types that is the order a `BTreeMap` or `BTreeSet` would have.
//!
//! Which collections are unordered is read from the type serde hands over with each value
//! ([`is_unordered`]): `HashMap` and `HashSet` from std or hashbrown, also behind `&`, `Box`,
//! `Rc`, `Arc`, `Cow`, `RefCell`, `Mutex` and `RwLock`, in fields, elements, options, newtype
//! structs and enum variants. Ordered collections (`Vec`, `BTreeMap`, `IndexMap`) keep their
//! order: it is behaviour. A map serialized through `#[serde(flatten)]` or inside a
//! `#[serde(transparent)]` wrapper hides its type and keeps its iteration order.
//!
//! The pieces: [`Canonical`] wraps any value so that any serializer (serde_yaml, postcard)
//! sees it in canonical order; serializers that kaizen writes itself (the fast snapshot
//! writer, the fingerprint) call [`is_unordered`] when a sequence or a map starts and hand
//! the value to [`Canonical`] when it says yes.
//!
//! ```
//! use std::collections::HashMap;
//! use kaizen::snapshot::canonical::Canonical;
//!
//! let prices: HashMap<&str, u32> = [("pear", 3), ("apple", 2), ("fig", 9)].into();
//! let text = serde_yaml::to_string(&Canonical(&prices)).unwrap();
//! assert_eq!(text, "apple: 2\nfig: 9\npear: 3\n");
//! ```

mod content;
mod order;

use serde::{Serialize, Serializer};

pub(crate) use content::Content;

/// A value that serializes with its unordered collections in canonical order. See the
/// module documentation.
pub struct Canonical<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Canonical<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let human = serializer.is_human_readable();
        let content = Content::capture(self.0, human).map_err(serde::ser::Error::custom)?;
        content.serialize(serializer)
    }
}

/// True when a value of the type named `type_name` (as [`std::any::type_name`] writes it)
/// is a collection without an order of its own: a `HashMap` or a `HashSet`, possibly behind
/// references and smart pointers.
///
/// ```
/// use std::any::type_name;
/// use std::collections::{BTreeMap, HashMap, HashSet};
/// use kaizen::snapshot::canonical::is_unordered;
///
/// assert!(is_unordered(type_name::<HashMap<String, u8>>()));
/// assert!(is_unordered(type_name::<&Box<HashSet<u8>>>()));
/// assert!(is_unordered(type_name::<std::sync::Arc<HashSet<u8>>>()));
/// assert!(!is_unordered(type_name::<BTreeMap<String, u8>>()));
/// assert!(!is_unordered(type_name::<Vec<HashSet<u8>>>()));
/// assert!(!is_unordered(type_name::<Option<HashSet<u8>>>()));
/// ```
pub fn is_unordered(type_name: &str) -> bool {
    let mut name = type_name;
    loop {
        name = name.trim_start_matches('&').trim_start();
        name = name.strip_prefix("mut ").unwrap_or(name);
        while let Some(rest) = name.strip_prefix('\'') {
            // A lifetime argument (`Cow<'_, str>`): skip it and its comma.
            name = rest.split_once(", ").map_or("", |(_, after)| after);
        }
        let head_end = name.find('<').unwrap_or(name.len());
        let head = &name[..head_end];
        let last = head.rsplit("::").next().unwrap_or(head);
        match last {
            "HashMap" | "HashSet" => return true,
            "Box" | "Rc" | "Arc" | "Cow" | "RefCell" | "Mutex" | "RwLock"
                if head_end < name.len() =>
            {
                name = &name[head_end + 1..];
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::exact::fingerprint;
    use std::collections::{BTreeMap, HashMap, HashSet};

    fn yaml<T: Serialize>(value: &T) -> String {
        serde_yaml::to_string(&Canonical(value)).unwrap()
    }

    #[test]
    fn maps_of_any_insertion_order_are_written_alike() {
        let keys: Vec<i64> = (0..40).map(|i| (i * 37) % 41 - 20).collect();
        let a: HashMap<i64, String> = keys.iter().map(|k| (*k, k.to_string())).collect();
        let b: HashMap<i64, String> = keys.iter().rev().map(|k| (*k, k.to_string())).collect();
        let sorted: BTreeMap<i64, String> = keys.iter().map(|k| (*k, k.to_string())).collect();
        assert_eq!(yaml(&a), yaml(&b));
        assert_eq!(yaml(&a), serde_yaml::to_string(&sorted).unwrap());
    }

    #[test]
    fn nested_sets_are_sorted_inside_out() {
        let inner = |xs: &[u8]| xs.iter().copied().collect::<HashSet<u8>>();
        let a: HashMap<String, HashSet<u8>> = [
            ("b".into(), inner(&[3, 1, 2])),
            ("a".into(), inner(&[9, 7])),
        ]
        .into();
        assert_eq!(yaml(&a), "a:\n- 7\n- 9\nb:\n- 1\n- 2\n- 3\n");
    }

    #[test]
    fn ordered_collections_keep_their_order() {
        assert_eq!(yaml(&vec![3, 1, 2]), "- 3\n- 1\n- 2\n");
    }

    #[test]
    fn the_fingerprint_of_an_unordered_collection_does_not_depend_on_its_order() {
        let words: Vec<String> = (0..30).map(|i| format!("w{i}")).collect();
        let a: HashSet<String> = words.iter().cloned().collect();
        let b: HashSet<String> = words.iter().rev().cloned().collect();
        assert_eq!(fingerprint(&a).unwrap(), fingerprint(&b).unwrap());
        assert_ne!(
            fingerprint(&a).unwrap(),
            fingerprint(&words).unwrap(),
            "a set is not a sequence"
        );
    }

    #[test]
    fn integers_sort_by_value_and_floats_by_total_order() {
        let ints: HashSet<i128> = [10, -3, 2, i128::MIN, i128::MAX].into();
        assert_eq!(
            yaml(&ints),
            format!("- {}\n- -3\n- 2\n- 10\n- {}\n", i128::MIN, i128::MAX)
        );
        let floats: HashSet<u64> = [2.5f64, -0.0, 0.0, -1.0].map(f64::to_bits).into();
        assert_eq!(yaml(&floats).lines().count(), 4);
    }
}
