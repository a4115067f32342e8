//! The inputs a first recording has written so far, to find the first of equal ones.
//!
//! One table of 8-byte slots, open addressing with linear probing: each slot holds 32 bits
//! of the hash of an input's text and the input's position, so a lookup touches one place
//! in memory; the texts themselves are not kept. On a hash match the earlier input is
//! written again and the texts compared. A batch's places are touched before its inputs are
//! looked up one by one ([`Seen::touch`]): the table is larger than the caches, and loads
//! that do not wait on each other overlap.

use serde::Serialize;

use crate::cases::CaseList;
use crate::snapshot::format;

/// Positions and hashes of the inputs written so far.
pub(crate) struct Seen {
    /// `(low 32 bits of the hash) << 32 | (position + 1)`; 0 is an empty slot.
    slots: Vec<u64>,
    /// The index of a hash is its top bits: 64 minus log2 of the slot count.
    shift: u32,
    /// An earlier input's text, written again to compare.
    again: String,
}

impl Seen {
    /// A table for up to `n` inputs (positions below 2³² − 1), at most half full.
    pub(crate) fn with_capacity(n: usize) -> Seen {
        let size = n.max(8).saturating_mul(2).next_power_of_two();
        Seen {
            slots: vec![0; size],
            shift: 64 - size.trailing_zeros(),
            again: String::new(),
        }
    }

    fn index(&self, hash: u64) -> usize {
        (hash >> self.shift) as usize
    }

    /// Reads the first place of each hash, so the lookups that follow find it cached.
    pub(crate) fn touch(&self, hashes: &[u64]) {
        let mut x = 0;
        for &h in hashes {
            x ^= self.slots[self.index(h)];
        }
        std::hint::black_box(x);
    }

    /// The position of the earlier input written as `text` (whose hash is `hash`), if any;
    /// else `text` is remembered as the text of input `at`.
    pub(crate) fn earlier<I: Serialize>(
        &mut self,
        cases: &CaseList<'_, I>,
        text: &str,
        hash: u64,
        at: usize,
    ) -> Option<usize> {
        let key = u64::from(hash as u32);
        let mask = self.slots.len() - 1;
        let mut i = self.index(hash);
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                self.slots[i] = key << 32 | (at as u64 + 1);
                return None;
            }
            if slot >> 32 == key {
                let earlier = (slot & 0xffff_ffff) as usize - 1;
                self.again.clear();
                let input = cases.input(earlier);
                if format::write_input(&mut self.again, input).is_ok() && self.again == text {
                    return Some(earlier);
                }
            }
            i = (i + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cases;

    #[test]
    fn equal_inputs_are_found_and_colliding_hashes_are_told_apart_by_text() {
        let inputs: Vec<u32> = (0..300).map(|i| i % 100).collect();
        let cases = Cases::new().list(inputs.clone());
        let list = cases.case_list();
        // A hash that only takes a few values: many inputs share one.
        for hash_of in [
            |x: u32| u64::from(x).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            |x: u32| u64::from(x % 3),
        ] {
            let mut seen = Seen::with_capacity(inputs.len());
            for (at, &x) in inputs.iter().enumerate() {
                let text = format::encode_input(&x).unwrap();
                seen.touch(&[hash_of(x)]);
                let expected = (at >= 100).then_some(at % 100);
                assert_eq!(seen.earlier(&list, &text, hash_of(x), at), expected, "{at}");
            }
        }
    }
}
