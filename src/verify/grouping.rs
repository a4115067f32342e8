//! Counting changed cases into their groups (see [`groups`](super::groups)): the one place a
//! group's count and examples change, for a run's cases and for the groups of shards.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::snapshot::digest::Prehashed;

use super::groups::{EXAMPLES, Group, Key, MAX_GROUPS, key_of_text, write_key_text};

/// Counts changed cases into groups; sorted and numbered by [`Grouping::finish`].
///
/// While cases are counted a group is its key text (once, in the index), its count and its
/// first cases; its lines are split out of the key only when the verdict is made. A run
/// whose every change differs keeps [`MAX_GROUPS`] of them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grouping {
    /// Each group's key as one text ([`write_key_text`]), to its place in `kept` (hashed a
    /// word at a time; looked up by `&str`, so a known change allocates nothing).
    index: HashMap<Box<str>, usize, BuildHasherDefault<Prehashed>>,
    kept: Vec<Kept>,
    /// Changed cases not grouped because [`MAX_GROUPS`] distinct groups were already kept.
    pub(crate) ungrouped: usize,
    examples: usize,
}

/// A group while cases are counted.
#[derive(Debug, Clone, Default)]
struct Kept {
    cases: usize,
    examples: Examples,
}

/// The first cases of a group: one case (the usual) needs no allocation.
#[derive(Debug, Clone)]
enum Examples {
    One(usize),
    Many(Vec<usize>),
}

impl Default for Examples {
    fn default() -> Examples {
        Examples::Many(Vec::new())
    }
}

impl Examples {
    /// Adds `more`, keeping the `max` first when there are more.
    fn extend(&mut self, more: impl Iterator<Item = usize>, max: usize) {
        for n in more {
            match self {
                Examples::Many(v) if v.is_empty() => *self = Examples::One(n),
                Examples::One(first) => *self = Examples::Many(vec![*first, n]),
                Examples::Many(v) => v.push(n),
            }
        }
        if let Examples::Many(v) = self
            && v.len() > max
        {
            v.sort_unstable();
            v.truncate(max);
        }
    }

    /// The cases, in order.
    fn into_sorted(self) -> Vec<usize> {
        match self {
            Examples::One(n) => vec![n],
            Examples::Many(mut v) => {
                v.sort_unstable();
                v
            }
        }
    }
}

impl Grouping {
    /// Keeps `max(10, max_shown)` examples per group, so every case shown in full is one.
    pub(crate) fn new(max_shown: usize) -> Grouping {
        Grouping {
            examples: EXAMPLES.max(max_shown),
            ..Grouping::default()
        }
    }

    /// Counts case `number` (1-based), which changed the way `key` says.
    pub(crate) fn add(&mut self, number: usize, key: Key) {
        let mut text = String::new();
        write_key_text(&key.0, &key.1, &mut text);
        self.add_many(&text, 1, std::iter::once(number));
    }

    /// Counts case `number` (1-based), whose change has the key text `key` ([`write_key`]).
    pub(crate) fn add_text(&mut self, number: usize, key: &str) {
        self.add_many(key, 1, std::iter::once(number));
    }

    fn add_many(&mut self, key: &str, cases: usize, examples: impl Iterator<Item = usize>) {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None if self.kept.len() >= MAX_GROUPS => {
                self.ungrouped += cases;
                return;
            }
            None => {
                self.kept.push(Kept::default());
                self.index.insert(key.into(), self.kept.len() - 1);
                self.kept.len() - 1
            }
        };
        let group = &mut self.kept[i];
        group.cases += cases;
        group.examples.extend(examples, self.examples);
    }

    /// Adds the groups of another part of the same jail's cases (a shard).
    pub(crate) fn merge(&mut self, groups: Vec<Group>, ungrouped: usize) {
        self.ungrouped += ungrouped;
        let mut text = String::new();
        for g in groups {
            write_key_text(&g.removed, &g.added, &mut text);
            self.add_many(&text, g.cases, g.examples.into_iter());
        }
    }

    /// The groups, largest first, numbered from 1; ties go to the group seen first.
    pub(crate) fn finish(self) -> Vec<Group> {
        let Grouping {
            index, mut kept, ..
        } = self;
        let mut groups = Vec::with_capacity(kept.len());
        // Each key is dropped as soon as its lines are out.
        for (key, i) in index {
            let Kept { cases, examples } = std::mem::take(&mut kept[i]);
            let (removed, added) = key_of_text(&key);
            groups.push(Group {
                // The place it was first seen, until it is numbered.
                number: i,
                cases,
                removed,
                added,
                examples: examples.into_sorted(),
            });
        }
        drop(kept);
        // A total order, so a sort that needs no buffer gives the one order.
        groups.sort_unstable_by(|a, b| {
            b.cases
                .cmp(&a.cases)
                .then_with(|| a.examples.first().cmp(&b.examples.first()))
                .then_with(|| a.number.cmp(&b.number))
        });
        for (i, g) in groups.iter_mut().enumerate() {
            g.number = i + 1;
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    /// Grouping as plainly as it can be said: a list of groups searched by their lines,
    /// sorted stably at the end.
    fn plain_groups(steps: &[(Vec<Group>, usize)], examples: usize) -> (Vec<Group>, usize) {
        let mut groups: Vec<Group> = Vec::new();
        let mut ungrouped = 0;
        for (part, part_ungrouped) in steps {
            ungrouped += part_ungrouped;
            for g in part {
                let at = groups
                    .iter()
                    .position(|k| (&k.removed, &k.added) == (&g.removed, &g.added));
                let at = at.unwrap_or_else(|| {
                    groups.push(Group {
                        cases: 0,
                        examples: Vec::new(),
                        ..g.clone()
                    });
                    groups.len() - 1
                });
                let kept = &mut groups[at];
                kept.cases += g.cases;
                kept.examples.extend(&g.examples);
                if kept.examples.len() > examples {
                    kept.examples.sort_unstable();
                    kept.examples.truncate(examples);
                }
            }
        }
        groups.iter_mut().for_each(|g| g.examples.sort_unstable());
        groups.sort_by(|a, b| {
            b.cases
                .cmp(&a.cases)
                .then_with(|| a.examples.first().cmp(&b.examples.first()))
        });
        for (i, g) in groups.iter_mut().enumerate() {
            g.number = i + 1;
        }
        (groups, ungrouped)
    }

    /// Parts to add: single changed cases, or the groups of a shard, of a few changes.
    fn parts() -> impl proptest::strategy::Strategy<Value = Vec<(Vec<Group>, usize)>> {
        let lines =
            || proptest::collection::vec(proptest::sample::select(&["a", "b", ""][..]), 0..3);
        let group = (
            lines(),
            lines(),
            1usize..4,
            proptest::collection::vec(1usize..40, 0..14),
        )
            .prop_map(|(removed, added, cases, examples)| Group {
                number: 0,
                cases,
                removed: removed.into_iter().map(String::from).collect(),
                added: added.into_iter().map(String::from).collect(),
                examples,
            });
        let part = (proptest::collection::vec(group, 1..4), 0usize..3);
        proptest::collection::vec(part, 0..40)
    }

    proptest::proptest! {
        /// The groups kept as key texts and counts give the plain grouping's groups, order,
        /// examples and count of ungrouped cases.
        #[test]
        fn grouping_gives_the_plain_grouping(steps in parts(), shown in 0usize..14) {
            let mut grouping = Grouping::new(shown);
            for (part, ungrouped) in &steps {
                if let ([g], 0) = (part.as_slice(), ungrouped) && g.cases == 1 && g.examples.len() == 1 {
                    grouping.add(g.examples[0], (g.removed.clone(), g.added.clone()));
                } else {
                    grouping.merge(part.clone(), *ungrouped);
                }
            }
            let ungrouped = grouping.ungrouped;
            let found = (grouping.finish(), ungrouped);
            proptest::prop_assert_eq!(found, plain_groups(&steps, EXAMPLES.max(shown)));
        }
    }

    #[test]
    fn shards_merge_into_the_groups_of_the_whole() {
        let k = || super::super::change_key("- input: 1\n", "  returned: 1\n", "  returned: 2\n");
        let mut whole = Grouping::new(10);
        let (mut one, mut two) = (Grouping::new(10), Grouping::new(10));
        for n in 1..=30 {
            whole.add(n, k());
            if n % 2 == 0 { &mut one } else { &mut two }.add(n, k());
        }
        let mut merged = Grouping::new(10);
        merged.merge(one.finish(), 0);
        merged.merge(two.finish(), 0);
        assert_eq!(merged.finish(), whole.finish());
    }

    #[test]
    fn beyond_the_limit_of_distinct_groups_changes_are_counted_as_ungrouped() {
        let mut g = Grouping::new(10);
        for n in 0..MAX_GROUPS + 5 {
            g.add(n + 1, (vec![n.to_string()], vec![]));
        }
        let ungrouped = g.ungrouped;
        assert_eq!((g.finish().len(), ungrouped), (MAX_GROUPS, 5));
    }
}
