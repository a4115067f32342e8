//! Snapshot sizes: a recording never writes a file that the loader would refuse.
//!
//! The loader refuses a snapshot over [`KAIZEN_MAX_SNAPSHOT_SIZE`](crate::env::MAX_SNAPSHOT_SIZE)
//! before reading it. A recording is held to the same limit, per case and in total, before
//! anything is written: otherwise a command jail capturing hundreds of files would write a
//! snapshot that every later verification refuses. The error names the jail, the total,
//! the limit and the biggest cases, so the user knows which captures to trim.

use crate::Error;

use super::show_size;

/// How many of the biggest cases an error names.
const NAMED: usize = 5;

/// One case's share of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CaseSize {
    /// 1-based position of the case.
    pub(crate) number: usize,
    /// The case's input, on one line.
    pub(crate) input: String,
    /// Bytes of the case's text (input and behaviour).
    pub(crate) bytes: u64,
}

/// The few biggest of `cases`, biggest first (the first one of equal sizes first).
pub(crate) fn biggest(cases: impl Iterator<Item = CaseSize>) -> Vec<CaseSize> {
    let mut top = Biggest::default();
    for case in cases {
        let input = case.input;
        top.offer(case.number, case.bytes, || input);
    }
    top.into_cases()
}

/// The biggest cases seen so far, kept while a file is written case by case; a case's
/// input is shown (`input`) only when it is among them.
#[derive(Debug, Default)]
pub(crate) struct Biggest {
    top: Vec<CaseSize>,
}

impl Biggest {
    /// Considers case `number` of `bytes`.
    pub(crate) fn offer(&mut self, number: usize, bytes: u64, input: impl FnOnce() -> String) {
        if self.top.len() == NAMED && self.top.last().is_some_and(|l| l.bytes >= bytes) {
            return;
        }
        let at = self.top.partition_point(|t| t.bytes >= bytes);
        let input = input();
        self.top.insert(
            at,
            CaseSize {
                number,
                input,
                bytes,
            },
        );
        self.top.truncate(NAMED);
    }

    /// The cases kept, biggest first.
    pub(crate) fn into_cases(self) -> Vec<CaseSize> {
        self.top
    }
}

/// The error for a recording of `total` bytes (or more) over `limit`.
pub(crate) fn too_big(jail: &str, total: u64, limit: u64, biggest: Vec<CaseSize>) -> Error {
    let var = crate::env::MAX_SNAPSHOT_SIZE;
    let mut message = format!(
        "jail `{jail}`: the recording would be a snapshot of at least {} ({total} bytes), over the {} limit that kaizen reads snapshots with ({var}); nothing was written",
        show_size(total),
        show_size(limit)
    );
    if !biggest.is_empty() {
        message.push_str("\n  the biggest cases:");
        for case in &biggest {
            let mut input = case.input.replace('\n', " ");
            if input.chars().count() > 60 {
                input = input.chars().take(57).collect::<String>() + "...";
            }
            message.push_str(&format!(
                "\n    case {}: {} (input: {input})",
                case.number,
                show_size(case.bytes)
            ));
        }
    }
    Error::Config {
        message,
        hint: format!(
            "capture less per case (`capture.files`, `capture.limit`, a `scrub:` of bulky output), split the jail's cases over several jails, or raise {var} (e.g. {var}=2G) for every run that records or verifies this jail"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(number: usize, bytes: u64) -> CaseSize {
        CaseSize {
            number,
            input: format!("input {number}"),
            bytes,
        }
    }

    #[test]
    fn the_biggest_cases_come_first_and_only_five_are_kept() {
        let sizes = [5, 90, 7, 90, 1, 300, 8, 2];
        let top = biggest(sizes.iter().enumerate().map(|(i, b)| case(i + 1, *b)));
        let numbers: Vec<usize> = top.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [6, 2, 4, 7, 3]);
    }

    #[test]
    fn the_error_names_the_jail_the_sizes_and_the_biggest_cases() {
        let err = too_big("big", 41_000, 8_000, vec![case(11, 1_030)]).to_string();
        assert!(err.contains("jail `big`"), "{err}");
        assert!(
            err.contains("40.0 KiB (41000 bytes), over the 7.8 KiB limit"),
            "{err}"
        );
        assert!(err.contains("case 11: 1.0 KiB (input: input 11)"), "{err}");
        assert!(err.contains("KAIZEN_MAX_SNAPSHOT_SIZE"), "{err}");
    }
}
