//! What one case may capture in all (`capture.total`): its stdout, its stderr and the files
//! it wrote, added up. `capture.limit` holds each stream and each file on its own; the total
//! keeps a case that writes many files, each within that limit, from filling memory and the
//! snapshot. A case over it is not recorded: it fails, naming its biggest captures, and the
//! files past the total are never read.

use super::units::format_size;

/// How many of the biggest captures an error names.
const NAMED: usize = 5;

/// The captures of one case, counted against its total.
#[derive(Debug)]
pub(crate) struct CaseTotal {
    limit: u64,
    seen: u64,
    /// Every capture that holds a byte: its name (`stdout`, `stderr` or the file's path) and
    /// size, in the order they were counted.
    parts: Vec<(String, u64)>,
}

impl CaseTotal {
    /// Nothing counted yet, against a total of `limit` bytes.
    pub(crate) fn new(limit: u64) -> CaseTotal {
        CaseTotal {
            limit,
            seen: 0,
            parts: Vec::new(),
        }
    }

    /// True when `bytes` more still fit in the total.
    pub(crate) fn fits(&self, bytes: u64) -> bool {
        self.seen.saturating_add(bytes) <= self.limit
    }

    /// Counts the capture `name` of `bytes`.
    pub(crate) fn add(&mut self, name: &str, bytes: u64) {
        self.seen = self.seen.saturating_add(bytes);
        if bytes > 0 {
            self.parts.push((name.to_string(), bytes));
        }
    }

    /// `Err` naming the total, the limit and the biggest captures when the case went over.
    pub(crate) fn check(self) -> Result<(), String> {
        if self.seen <= self.limit {
            return Ok(());
        }
        let mut parts = self.parts;
        // Of equal sizes, by name: the same message whatever order the folder lists them in.
        parts.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
        let biggest: Vec<String> = parts
            .iter()
            .take(NAMED)
            .map(|(name, bytes)| format!("{name} {}", format_size(*bytes)))
            .collect();
        Err(format!(
            "the case's output and captured files add up to {}, over `capture.total`, the \
             per-case total of {}; the biggest: {}; raise `capture.total` in the spec or \
             narrow `capture.files`",
            format_size(self.seen),
            format_size(self.limit),
            biggest.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_within_its_limit_passes_and_one_over_names_the_five_biggest() {
        let mut total = CaseTotal::new(100);
        total.add("stdout", 40);
        total.add("stderr", 0);
        assert!(total.fits(60) && !total.fits(61));
        total.add("a", 60);
        let err = CaseTotal::new(100).check();
        assert_eq!(err, Ok(()));
        for (name, bytes) in [("b", 5), ("c", 9), ("d", 1), ("e", 9)] {
            total.add(name, bytes);
        }
        let err = total.check().unwrap_err();
        assert!(
            err.contains(
                "add up to 124 bytes, over `capture.total`, the per-case total of 100 bytes"
            ),
            "{err}"
        );
        assert!(
            err.contains(
                "the biggest: a 60 bytes, stdout 40 bytes, c 9 bytes, e 9 bytes, b 5 bytes;"
            ),
            "{err}"
        );
    }
}
