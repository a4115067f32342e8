//! Random bytes and mutated snapshots through the loader and a re-recording run.

use super::*;

// ---------------------------------------------------------------------------------------
// Property tests.

/// How many inputs each property tries: `KAIZEN_FUZZ_CASES`, default 2,000.
fn fuzz_cases() -> u32 {
    std::env::var(FUZZ_CASES)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(2_000)
}

fn runner(cases: u32, seed: u8) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

/// One edit of a snapshot's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(usize, u8),
    Truncate(usize),
    DuplicateLine(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
    ConflictMarker(usize, u8),
    InsertBytes(usize, Vec<u8>),
    ReplaceLine(usize, &'static str),
    /// Keeps a `key:` of a line and gives it another value.
    EditValue(usize, &'static str),
}

/// Values a hand edit could give any key.
const NASTY_VALUES: &[&str] = &[
    "4000000000",
    "18446744073709551615",
    "-1",
    "~",
    "[]",
    "{}",
    "''",
    "*a",
    "&a [*a]",
    "1e400",
    ".nan",
    "\"\\u0000\"",
    "!!str 3",
    "|",
    "[1, 2",
];

/// Lines a person, a merge or a bad tool could put into a snapshot.
const NASTY_LINES: &[&str] = &[
    "",
    "---",
    "- input:",
    "- input: 1",
    "  returned: ~",
    "  panicked: boom",
    "  timeout: 1s",
    "    - &a [*a, *a]",
    "  returned: &x [*x]",
    "- input: !!binary AAAA",
    "  cases: 18446744073709551616",
    "  cases: 4000000000",
    "  kaizen: 2",
    "info: ~",
    "\t- input: 1",
    "- input: {qty: 1, code: ~, kind: Plain, tags: []}",
    "- input: [1, \"a\"]",
    "  returned: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "#",
    "[]",
    "=======",
    "- \u{feff}input: 1",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0u8..8).prop_map(|(a, b)| Mutation::FlipBit(a, b)),
        at.prop_map(Mutation::Truncate),
        at.prop_map(Mutation::DuplicateLine),
        at.prop_map(Mutation::DeleteLine),
        (at, any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (at, 0u8..3).prop_map(|(a, k)| Mutation::ConflictMarker(a, k)),
        (at, prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Mutation::InsertBytes(a, b)),
        (at, prop::sample::select(NASTY_LINES)).prop_map(|(a, l)| Mutation::ReplaceLine(a, l)),
        (at, prop::sample::select(NASTY_VALUES)).prop_map(|(a, v)| Mutation::EditValue(a, v)),
    ]
}

fn apply(bytes: &[u8], m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let n = lines.len().max(1);
    let line = |s: &str| format!("{s}\n").into_bytes();
    match m {
        Mutation::FlipBit(at, bit) => {
            let mut out = bytes.to_vec();
            if !out.is_empty() {
                let i = at % out.len();
                out[i] ^= 1 << bit;
            }
            return out;
        }
        Mutation::Truncate(at) => return bytes[..at % (bytes.len() + 1)].to_vec(),
        Mutation::InsertBytes(at, extra) => {
            let i = at % (bytes.len() + 1);
            let mut out = bytes[..i].to_vec();
            out.extend(extra);
            out.extend(&bytes[i..]);
            return out;
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let copy = lines[i % n].clone();
            lines.insert(i % n, copy);
        }
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % n);
        }
        Mutation::SwapLines(i, j) if !lines.is_empty() => lines.swap(i % n, j % n),
        Mutation::ConflictMarker(i, kind) => {
            let marker = ["<<<<<<< HEAD", "=======", ">>>>>>> theirs"][usize::from(*kind)];
            lines.insert(i % (lines.len() + 1), line(marker));
        }
        Mutation::ReplaceLine(i, text) if !lines.is_empty() => lines[i % n] = line(text),
        Mutation::EditValue(i, value) => {
            // Among the lines with a `key:`, the i-th (modulo their number).
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&k| lines[k].windows(2).any(|w| w == b": " || w == b":\n"))
                .collect();
            if let Some(&k) = keyed.get(i % keyed.len().max(1)) {
                let colon = lines[k].windows(2).position(|w| w[0] == b':').unwrap_or(0);
                let mut edited = lines[k][..=colon].to_vec();
                edited.extend(format!(" {value}\n").into_bytes());
                lines[k] = edited;
            }
        }
        _ => {}
    }
    lines.concat()
}

/// A real snapshot (index into [`real_snapshots`]) with one to four mutations applied.
fn mutated() -> impl Strategy<Value = (usize, Vec<u8>)> {
    (0usize..2, prop::collection::vec(mutation(), 1..5)).prop_map(|(which, edits)| {
        let mut bytes = real_snapshots()[which].1.clone();
        for edit in &edits {
            bytes = apply(&bytes, edit);
        }
        (which, bytes)
    })
}

/// Reads `bytes` as the loader does and decodes every input it finds; must not panic.
fn load_everything(bytes: Vec<u8>) {
    let path = Path::new("fuzz.snap");
    let Ok(loaded) = snapshot::parse(path, bytes) else {
        return;
    };
    let Ok(cases) = loaded.cases() else {
        return;
    };
    for case in cases {
        let _ = format::decode_input::<Order>(case.input);
        let _ = format::decode_input::<(u32, String)>(case.input);
        let _ = format::decode_input::<serde_yaml::Value>(case.input);
        let _ = format::display_input(case.input);
        let _ = format::display_behaviour(case.behaviour);
    }
}

#[test]
fn the_loader_never_panics_on_random_bytes_or_mutated_snapshots() {
    if child_role().is_some() {
        return;
    }
    let cases = fuzz_cases();
    let inputs = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..600),
        1 => "[-: a-z0-9\n\t'\"\\[\\]{}#&*!|>~]{0,400}".prop_map(|s| format!("---\n{s}").into_bytes()),
        6 => mutated().prop_map(|(_, bytes)| bytes),
    ];
    let started = std::time::Instant::now();
    runner(cases, 7)
        .run(&inputs, |bytes| {
            load_everything(bytes);
            Ok(())
        })
        .unwrap();
    eprintln!(
        "the loader read {cases} random or mutated snapshots in {:?}",
        started.elapsed()
    );
}

#[test]
fn re_recording_over_a_mutated_snapshot_refuses_it_untouched_or_writes_it_complete() {
    if child_role().is_some() {
        return;
    }
    let cases = (fuzz_cases() / 4).max(1);
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let (refused, rewritten, kept) = (Cell::new(0u32), Cell::new(0u32), Cell::new(0u32));
    let started = std::time::Instant::now();
    runner(cases, 11)
        .run(&mutated(), |(which, bytes)| {
            let (name, complete) = &real_snapshots()[which];
            let path = dir.join(format!("{name}.snap"));
            fs::write(&path, &bytes).unwrap();
            let result = match which {
                0 => order_jail(dir).run_with(&orders(), env(UpdateMode::Always)),
                _ => pair_jail(dir).run_with(&pairs(), env(UpdateMode::Always)),
            };
            let now = fs::read(&path).unwrap();
            match result {
                Err(e) => {
                    prop_assert_eq!(&now, &bytes, "refused ({}) but changed the file", e);
                    refused.set(refused.get() + 1);
                }
                Ok(v) => {
                    prop_assert!(v.passed());
                    if v.written == Written::Nothing {
                        // Nothing to re-record: the file already reads as the complete one.
                        let a = snapshot::parse(&path, now).unwrap();
                        let b = snapshot::parse(&path, complete.clone()).unwrap();
                        let texts = |l: &snapshot::Loaded| -> Vec<(String, String)> {
                            l.cases()
                                .unwrap()
                                .iter()
                                .map(|c| (c.input.to_string(), c.behaviour.to_string()))
                                .collect()
                        };
                        prop_assert_eq!(texts(&a), texts(&b));
                        prop_assert_eq!(a.header, b.header);
                        kept.set(kept.get() + 1);
                    } else {
                        prop_assert_eq!(&now, complete, "re-recorded something incomplete");
                        rewritten.set(rewritten.get() + 1);
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "{cases} mutated snapshots re-recorded in {:?}: {} refused untouched, {} rewritten complete, {} already complete",
        started.elapsed(),
        refused.get(),
        rewritten.get(),
        kept.get()
    );
    assert!(refused.get() > 0 && rewritten.get() > 0);
}
