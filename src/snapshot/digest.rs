//! A fast, non-cryptographic hash of snapshot texts (word at a time, FxHash's mixing), and
//! a hasher for sets keyed by such hashes. Used to spot duplicate inputs and to check that a
//! file read twice is the same file; never to decide that two texts are equal.

use std::hash::Hasher;

/// The hash of a text.
pub(crate) fn hash(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = b.len() as u64;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        h = mix(
            h,
            u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]),
        );
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    mix(h, u64::from_le_bytes(last))
}

/// Mixes one word into a hash.
pub(crate) fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// The hasher of a set or map keyed by hashes: takes them as they are (other keys, such as
/// short texts, are hashed a word at a time).
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix(self.0, hash_bytes(bytes));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}
