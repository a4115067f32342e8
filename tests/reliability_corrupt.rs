//! Corrupt input: every kind of broken snapshot file gives a clear error naming the file and
//! (where there is one) the line, in every update mode, and the file is left byte for byte as
//! it was. A property test feeds random bytes and mutations of real snapshots to the loader
//! and to a full re-recording run: nothing panics, and nothing silently wrong is written.

use std::cell::Cell;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use kaizen::env::{DEFAULT_MAX_SNAPSHOT_SIZE, Environment, FUZZ_CASES, UpdateMode};
use kaizen::snapshot::{self, format};
use kaizen::verify::Written;
use kaizen::{Cases, Error, Jail};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::{Deserialize, Serialize};

mod support;
use support::{child_role, env, spawn_child, spawn_child_with};

/// A legacy function with a structured input, including an enum and an optional field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    qty: u32,
    code: Option<String>,
    kind: Kind,
    tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Kind {
    Plain,
    Discount(i64),
    Weighted { kg: f64 },
}

fn price(o: Order) -> Result<i64, String> {
    let base = i64::from(o.qty) * 100;
    match o.kind {
        Kind::Plain => Ok(base + o.tags.len() as i64),
        Kind::Discount(d) if d > base => Err(format!("discount {d} exceeds {base}")),
        Kind::Discount(d) => Ok(base - d),
        Kind::Weighted { kg } if kg < 0.0 => panic!("negative weight {kg}"),
        Kind::Weighted { kg } => {
            Ok(base + (kg * 10.0) as i64 + o.code.map_or(0, |c| c.len() as i64))
        }
    }
}

fn order_jail(dir: &Path) -> Jail<Order, Result<i64, String>> {
    Jail::new("orders", price).snapshot_dir(dir)
}

fn orders() -> Cases<Order> {
    let order = |qty, code: Option<&str>, kind, tags: &[&str]| Order {
        qty,
        code: code.map(Into::into),
        kind,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    Cases::new().list([
        order(1, None, Kind::Plain, &[]),
        order(3, Some("VIP"), Kind::Plain, &["a", "b c"]),
        order(2, Some("line\nbreak"), Kind::Discount(50), &[]),
        order(1, None, Kind::Discount(500), &["x"]),
        order(4, Some(""), Kind::Weighted { kg: 2.5 }, &[]),
        order(
            0,
            None,
            Kind::Weighted { kg: -1.0 },
            &["- not a case", "  returned: 3"],
        ),
        order(
            u32::MAX,
            Some("yes"),
            Kind::Weighted { kg: f64::NAN },
            &["~"],
        ),
    ])
}

fn pair_jail(dir: &Path) -> Jail<(u32, String), u64> {
    Jail::new("pairs", |(n, s): (u32, String)| {
        assert!(n != 13, "unlucky {s}");
        u64::from(n) * s.len() as u64
    })
    .snapshot_dir(dir)
}

fn pairs() -> Cases<(u32, String)> {
    Cases::new().combinations((
        vec![0u32, 1, 13, 4_000_000_000],
        vec![String::new(), "abc".into(), "multi\nline\n".into()],
    ))
}

/// The two jails under test, recorded once: (name, complete snapshot bytes).
fn real_snapshots() -> &'static [(&'static str, Vec<u8>); 2] {
    static REAL: OnceLock<[(&str, Vec<u8>); 2]> = OnceLock::new();
    REAL.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        order_jail(dir.path())
            .run_with(&orders(), env(UpdateMode::Always))
            .unwrap();
        pair_jail(dir.path())
            .run_with(&pairs(), env(UpdateMode::Always))
            .unwrap();
        let read = |name: &str| fs::read(dir.path().join(format!("{name}.snap"))).unwrap();
        [("orders", read("orders")), ("pairs", read("pairs"))]
    })
}

fn orders_text() -> String {
    String::from_utf8(real_snapshots()[0].1.clone()).unwrap()
}

/// Every mode a run can be in, CI included.
fn all_modes() -> Vec<Environment> {
    let mut modes = Vec::new();
    for mode in [
        UpdateMode::Auto,
        UpdateMode::New,
        UpdateMode::Always,
        UpdateMode::No,
    ] {
        for ci in [false, true] {
            modes.push(Environment {
                mode,
                ci,
                force_pass: false,
            });
        }
    }
    modes
}

/// The names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Puts `bytes` in place of the `orders` snapshot and runs the jail in every mode: each run
/// must fail with a snapshot error naming the file (and `line`, if given) and containing
/// `says`, and leave the directory exactly as it was.
fn assert_refused_everywhere(bytes: &[u8], line: Option<usize>, says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    fs::write(&path, bytes).unwrap();
    let before = listing(dir.path());
    for env in all_modes() {
        let err = order_jail(dir.path())
            .run_with(&orders(), env.clone())
            .expect_err("a corrupt snapshot must not pass");
        let message = err.to_string();
        match &err {
            Error::Snapshot {
                path: p, line: l, ..
            } => {
                assert_eq!(p, &path, "{message}");
                if line.is_some() {
                    assert_eq!(*l, line, "{message}");
                }
            }
            other => panic!("{env:?}: expected a snapshot error, got: {other}"),
        }
        let location = match line {
            Some(n) => format!("{}:{n}: ", path.display()),
            None => format!("{}: ", path.display()),
        };
        assert!(message.starts_with(&location), "{env:?}: {message}");
        assert!(message.contains(says), "{env:?}: {message}");
        assert!(message.contains("the file was left untouched"), "{message}");
        assert!(message.contains("hint: "), "{message}");
        assert_eq!(fs::read(&path).unwrap(), bytes, "{env:?} changed the file");
        assert_eq!(listing(dir.path()), before, "{env:?} left files behind");
    }
}

/// The 1-based line of the first line of `text` equal to `wanted`.
fn line_of(text: &str, wanted: &str) -> usize {
    text.lines().position(|l| l == wanted).unwrap() + 1
}

#[test]
fn an_empty_snapshot_is_refused_in_every_mode() {
    assert_refused_everywhere(b"", None, "the file is empty");
}

#[test]
fn a_snapshot_cut_in_the_middle_of_a_line_is_refused_with_that_line() {
    let text = orders_text();
    let cut = &text[..text.len() - 3];
    let last_line = cut.lines().count();
    assert_refused_everywhere(cut.as_bytes(), Some(last_line), "truncated");
}

#[test]
fn a_snapshot_missing_whole_cases_is_refused() {
    let text = orders_text();
    let last_case = text.rfind("\n- input:").unwrap() + 1;
    assert_refused_everywhere(
        &text.as_bytes()[..last_case],
        None,
        "the header says 7 cases but the file holds 6",
    );
    let header_only = &text[..text.find("---\n- input").unwrap() + 4];
    assert_refused_everywhere(header_only.as_bytes(), None, "holds 0");
    let half_header = &text[..text.find("info:").unwrap()];
    assert_refused_everywhere(half_header.as_bytes(), None, "no closing `---`");
}

#[test]
fn merge_conflict_markers_are_refused_with_their_line() {
    let text = orders_text();
    let second = text.match_indices("- input:").nth(1).unwrap().0;
    let conflicted = format!(
        "{}<<<<<<< HEAD\n{}=======\n>>>>>>> feature\n",
        &text[..second],
        &text[second..]
    );
    let line = line_of(&conflicted, "<<<<<<< HEAD");
    assert_refused_everywhere(conflicted.as_bytes(), Some(line), "merge conflict markers");
}

#[test]
fn a_newer_or_unknown_format_version_is_refused_with_its_line() {
    let text = orders_text();
    let line = line_of(&text, "  kaizen: 1");
    let newer = text.replace("  kaizen: 1\n", "  kaizen: 2\n");
    assert_refused_everywhere(newer.as_bytes(), Some(line), "format version 2");
    let zero = text.replace("  kaizen: 1\n", "  kaizen: 0\n");
    assert_refused_everywhere(zero.as_bytes(), Some(line), "format version 0");
}

#[test]
fn hand_edited_values_of_the_wrong_type_are_refused_with_their_line() {
    let text = orders_text();
    // In the header.
    let line = line_of(&text, "  cases: 7");
    let edited = text.replace("  cases: 7\n", "  cases: seven\n");
    assert_refused_everywhere(edited.as_bytes(), Some(line), "the header is not valid");
    let edited = text.replace("  cases: 7\n", "  cases: 99999999999999999999999\n");
    assert_refused_everywhere(edited.as_bytes(), Some(line), "the header is not valid");
    // A count no body could hold must not make the loader reserve memory for it.
    for huge in ["4000000000", "18446744073709551615"] {
        let edited = text.replace("  cases: 7\n", &format!("  cases: {huge}\n"));
        assert_refused_everywhere(
            edited.as_bytes(),
            None,
            &format!("the header says {huge} cases but the file holds 7"),
        );
    }
    // In a recorded input: a quantity that is not a number.
    let line = line_of(&text, "    qty: 3");
    let edited = text.replace("    qty: 3\n", "    qty: three\n");
    assert_refused_everywhere(
        edited.as_bytes(),
        Some(line),
        "does not fit the jail's input type",
    );
}

#[test]
fn binary_garbage_is_refused_with_the_line_where_it_starts() {
    let mut garbage = vec![0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96];
    garbage.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    assert_refused_everywhere(&garbage, Some(1), "not UTF-8");

    let text = orders_text();
    let at = text.find("  returned").unwrap();
    let mut spliced = text.as_bytes()[..at].to_vec();
    spliced.extend([0xc3, 0x28, 0xa0, 0xa1]);
    spliced.extend(&text.as_bytes()[at..]);
    let line = text[..at].matches('\n').count() + 1;
    assert_refused_everywhere(&spliced, Some(line), "not UTF-8");

    // Valid UTF-8 that is not a snapshot at all.
    assert_refused_everywhere("\u{0}\u{1}ELF\n".as_bytes(), Some(1), "`---` header line");
}

#[test]
fn something_that_is_not_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("orders.snap")).unwrap();
    for env in all_modes() {
        let err = order_jail(dir.path())
            .run_with(&orders(), env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }
    assert_eq!(listing(dir.path()), vec!["orders.snap"]);
}

#[test]
fn a_one_gigabyte_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    let file = fs::File::create(&path).unwrap();
    // Sparse: a gigabyte by its length, no disk blocks.
    file.set_len(1_000_000_000).unwrap();
    drop(file);
    let err = snapshot::load_with_limit(&path, DEFAULT_MAX_SNAPSHOT_SIZE)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "{}: the file is 1000000000 bytes (953.7 MiB), more than the 256 MiB limit",
            path.display()
        )),
        "{err}"
    );
    assert!(err.contains("KAIZEN_MAX_SNAPSHOT_SIZE=2G"), "{err}");
    assert_eq!(fs::metadata(&path).unwrap().len(), 1_000_000_000);

    // The same through a jail in every mode, in a child whose environment holds kaizen's
    // defaults whatever this process's is.
    let out = spawn_child(CHILD_TEST, "huge", dir.path())
        .wait_with_output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::metadata(&path).unwrap().len(), 1_000_000_000);
    assert_eq!(listing(dir.path()), vec!["orders.snap"]);
}

#[test]
fn the_size_limit_is_set_with_kaizen_max_snapshot_size() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    fs::write(&path, &real_snapshots()[0].1).unwrap();
    let out = spawn_child_with(
        CHILD_TEST,
        "limited",
        dir.path(),
        &[(kaizen::env::MAX_SNAPSHOT_SIZE, "1k")],
    )
    .wait_with_output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read(&path).unwrap(), real_snapshots()[0].1);
    assert_eq!(listing(dir.path()), vec!["orders.snap"]);

    let err = kaizen::env::max_snapshot_size(|_| Some("lots".into()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("KAIZEN_MAX_SNAPSHOT_SIZE=\"lots\" is not a size"),
        "{err}"
    );
}

const CHILD_TEST: &str = "child_runs_a_jail_under_a_size_limit_when_started_by_the_corrupt_tests";

/// In a child: `huge:DIR` — every mode refuses DIR/orders.snap as too large; `limited:DIR`
/// (run with `KAIZEN_MAX_SNAPSHOT_SIZE=1k`) — every mode refuses the real snapshot there.
/// Nothing in a normal run.
#[test]
fn child_runs_a_jail_under_a_size_limit_when_started_by_the_corrupt_tests() {
    let Some((role, dir)) = child_role() else {
        return;
    };
    let says = match role.as_str() {
        "huge" => "more than the 256 MiB limit",
        "limited" => "more than the 1 KiB limit",
        other => panic!("unknown child role {other}"),
    };
    for env in all_modes() {
        let err = order_jail(&dir).run_with(&orders(), env).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Snapshot { .. }), "{message}");
        assert!(message.contains(says), "{message}");
    }
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_read_as_the_same_snapshot() {
    let text = orders_text();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    fs::write(&path, &windows).unwrap();
    let verdict = order_jail(dir.path())
        .run_with(&orders(), env(UpdateMode::No))
        .unwrap();
    assert!(verdict.passed() && verdict.same == 7, "{verdict:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), windows);
}

#[test]
fn a_failed_write_leaves_no_temporary_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    // A changed behaviour makes an `auto` run write `orders.snap.new`; a directory with a
    // file in it sits there, so the rename fails.
    let changed = orders_text().replacen("returned:", "returned: 1\n  was:", 1);
    fs::write(&path, &changed).unwrap();
    fs::create_dir(dir.path().join("orders.snap.new")).unwrap();
    fs::write(dir.path().join("orders.snap.new").join("keep"), "x").unwrap();
    let before = listing(dir.path());
    let err = order_jail(dir.path())
        .run_with(&orders(), env(UpdateMode::Auto))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { path: p, .. } if p.ends_with("orders.snap.new")),
        "{err}"
    );
    assert_eq!(listing(dir.path()), before);
    assert_eq!(fs::read_to_string(&path).unwrap(), changed);

    // And directly: writing over a directory fails and cleans up.
    let target = dir.path().join("orders.snap.new");
    assert!(snapshot::write_atomic(&target, b"new").is_err());
    assert_eq!(listing(dir.path()), before);
}

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

/// Jail names that try to leave the snapshot directory or make unportable files.
const HOSTILE_NAMES: &[&str] = &[
    "",
    ".",
    "..",
    "../escape",
    "../../etc/passwd",
    "/etc/passwd",
    "/tmp/absolute",
    "a/b",
    "snapshots/../../x",
    "..\\..\\windows",
    "a\\b",
    "C:evil",
    "C:\\evil",
    ".hidden",
    ".orders.snap.lock",
    "nul\0byte",
    "line\nbreak",
    "tab\there",
    "star*",
    "question?",
    "pipe|name",
    "quote\"name",
    "<angle>",
    "trailing.",
    "trailing ",
];

#[test]
fn hostile_jail_names_are_refused_before_anything_is_written() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("snapshots");
    fs::create_dir(&dir).unwrap();
    let long = "x".repeat(201);
    let names = HOSTILE_NAMES.iter().copied().chain([long.as_str()]);
    let mut refused = 0;
    for name in names {
        for mode in [UpdateMode::Always, UpdateMode::Auto, UpdateMode::New] {
            let err = Jail::new(name, |n: u32| n)
                .snapshot_dir(&dir)
                .run_with(&Cases::new().list([1]), env(mode))
                .expect_err(name);
            let message = err.to_string();
            assert!(matches!(err, Error::Config { .. }), "{name:?}: {message}");
            assert!(
                message.starts_with(&format!("{name:?} cannot be a jail name: ")),
                "{message}"
            );
            assert!(
                message.contains("hint: name the jail with letters"),
                "{message}"
            );
        }
        refused += 1;
    }
    assert_eq!(listing(&dir), Vec::<String>::new());
    assert_eq!(listing(root.path()), vec!["snapshots"]);
    eprintln!("{refused} hostile jail names refused, in 3 modes each");

    // Ordinary names still work.
    for name in ["orders_v2", "Invoice-Total", "façade", "日本"] {
        Jail::new(name, |n: u32| n)
            .snapshot_dir(&dir)
            .run_with(&Cases::new().list([1]), env(UpdateMode::Auto))
            .unwrap();
    }
    assert_eq!(listing(&dir).len(), 4);
}
