//! Shards: one of `n` deterministic parts of every jail's cases, for CI fleets.
//!
//! `kaizen verify --shard 2/4` (or `KAIZEN_SHARD=2/4` for `cargo test` jails) verifies the
//! cases whose input falls in part 2 of 4. A case's part is a stable hash of its input's
//! snapshot text (64-bit FNV-1a, the same on every machine and in every kaizen version that
//! reads this format), so adding or removing a case moves no other case between shards. The
//! naming follows `cargo nextest run --partition`: `k/n` or `hash:k/n`, with `1 <= k <= n`.
//! A sharded run never writes a snapshot or a pending file; `kaizen merge` combines the
//! shards' JSON reports into the report of the whole run.

use std::fmt;
use std::str::FromStr;

/// Part `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    /// Which part, from 1 to `count`.
    pub index: u64,
    /// How many parts.
    pub count: u64,
}

impl Shard {
    /// Does the case whose input has this snapshot text belong to this shard?
    ///
    /// ```
    /// use kaizen::shard::Shard;
    /// let shards: Vec<Shard> = (1..=3).map(|k| format!("{k}/3").parse().unwrap()).collect();
    /// // Every input is in exactly one shard.
    /// for input in ["- input: 1\n", "- input: 2\n", "- input: abc\n"] {
    ///     assert_eq!(shards.iter().filter(|s| s.contains(input)).count(), 1);
    /// }
    /// ```
    pub fn contains(&self, input_text: &str) -> bool {
        fnv1a(input_text.as_bytes()) % self.count == self.index - 1
    }
}

/// 64-bit FNV-1a: simple, stable and well spread over short texts.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Why a shard could not be read; its text says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardError(String);

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShardError {}

impl FromStr for Shard {
    type Err = ShardError;

    /// Reads `k/n` or `hash:k/n`.
    fn from_str(text: &str) -> Result<Shard, ShardError> {
        let err = |why: &str| {
            ShardError(format!(
                "`{text}` is not a shard: {why}; write K/N with 1 <= K <= N, e.g. 1/4 (or hash:1/4)"
            ))
        };
        let body = match text.split_once(':') {
            Some(("hash", rest)) => rest,
            Some((kind, _)) => {
                return Err(err(&format!("only `hash` partitions exist, not `{kind}`")));
            }
            None => text,
        };
        let (k, n) = body.split_once('/').ok_or_else(|| err("there is no `/`"))?;
        let number = |s: &str, what: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| err(&format!("{what} `{s}` is not a whole number")))
        };
        let (index, count) = (number(k, "K")?, number(n, "N")?);
        if count == 0 {
            return Err(err("N must be at least 1"));
        }
        if index == 0 || index > count {
            return Err(err("K must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_read_like_nextest_partitions() {
        let table = [
            ("1/4", Some((1, 4))),
            ("4/4", Some((4, 4))),
            ("hash:2/3", Some((2, 3))),
            ("1/1", Some((1, 1))),
            ("0/4", None),
            ("5/4", None),
            ("1/0", None),
            ("count:1/2", None),
            ("1-4", None),
            ("a/4", None),
            ("", None),
        ];
        for (text, expected) in table {
            let got = text.parse::<Shard>().ok().map(|s| (s.index, s.count));
            assert_eq!(got, expected, "{text}");
        }
        let e = "0/4".parse::<Shard>().unwrap_err().to_string();
        assert!(e.contains("K must be between 1 and N"), "{e}");
    }

    #[test]
    fn every_input_falls_in_exactly_one_shard_and_the_shards_are_balanced() {
        let shards: Vec<Shard> = (1..=4).map(|k| Shard { index: k, count: 4 }).collect();
        let mut sizes = [0usize; 4];
        for n in 0..4000 {
            let text = format!("- input:\n  - {n}\n  - widget\n");
            let hits: Vec<usize> = (0..4).filter(|&i| shards[i].contains(&text)).collect();
            assert_eq!(hits.len(), 1);
            sizes[hits[0]] += 1;
        }
        assert!(sizes.iter().all(|&s| (800..1200).contains(&s)), "{sizes:?}");
    }

    #[test]
    fn the_shard_of_an_input_never_changes() {
        // Pinned: a change of hash would move cases between the shards of running fleets.
        assert_eq!(fnv1a(b"- input: 1\n"), 0x4303_20f3_6863_f9dd);
    }
}
