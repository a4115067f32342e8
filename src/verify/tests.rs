//! Comparing along the recording (lockstep), a first recording's own path (fresh) and
//! comparing by matching must agree on every verdict and file.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use super::{Context, Verdict, fresh, lockstep, matched, verify, write};
use crate::cases::{Case, CaseList};
use crate::env::{Environment, UpdateMode};
use crate::jail::Jailed;
use crate::{Cases, Jail, Settings};

fn legacy(x: u16) -> u32 {
    assert!(x != 13, "unlucky {x}");
    u32::from(x) * 2
}

fn refactored(x: u16) -> u32 {
    if x % 7 == 3 {
        return 0;
    }
    legacy(x)
}

fn jail(changed: bool) -> Jail<u16, u32> {
    if changed {
        Jail::new("agree", refactored)
    } else {
        Jail::new("agree", legacy)
    }
}

/// The legacy jail (0), the refactored one (1), or one that panics on most inputs (2): its
/// pending file's header notes a stop the recording's does not.
fn jail_of_kind(kind: u8) -> Jail<u16, u32> {
    match kind {
        0 | 1 => jail(kind == 1),
        _ => Jail::new("agree", |x: u16| {
            assert!(x.is_multiple_of(5), "gone");
            legacy(x)
        }),
    }
}

fn context(dir: &Path, env: Environment, jobs: usize, max_shown: usize) -> Context<'static> {
    let settings = Settings {
        snapshot_dir: Some(dir.to_path_buf()),
        jobs,
        max_shown,
        ..Settings::default()
    };
    Context::new(&settings, "agree", env)
        .source("src/verify/tests.rs", Some(1))
        .sources(vec!["list".into()], None)
        .record_command("record")
}

/// Verifies by matching inputs to the recording, never along it.
fn verify_matched<J: Jailed>(
    jail: &J,
    cases: Vec<Case<J::Input>>,
    ctx: &Context<'_>,
) -> Result<Verdict, crate::Error> {
    let cases = CaseList::from(cases);
    let comparison = matched::compare(jail, &cases, ctx)?;
    let plan = super::decide(&comparison, ctx);
    let lock = write::needs_lock(plan, ctx)
        .then(|| crate::snapshot::lock::Lock::acquire(&ctx.snapshot).unwrap());
    let mut verdict = write::carry_out(jail, ctx, comparison, plan, lock.as_ref())?;
    verdict.shard = ctx.shard;
    Ok(verdict)
}

/// The verdict of comparing along the recording, when the inputs line up with it.
fn lockstep_verdict<J: Jailed>(
    jail: &J,
    cases: &[Case<J::Input>],
    ctx: &Context<'_>,
) -> Option<Verdict>
where
    J::Input: Clone,
{
    let cases = CaseList::from(cases.to_vec());
    let comparison = lockstep::compare(jail, &cases, ctx).unwrap()?;
    Some(comparison.tally.finish())
}

fn env(mode: UpdateMode, ci: bool) -> Environment {
    Environment {
        mode,
        ci,
        force_pass: false,
        ..Default::default()
    }
}

/// The verdict and every file in `dir`, with the directory's name taken out.
fn outcome(dir: &Path, verdict: Result<Verdict, crate::Error>) -> (String, Vec<(String, String)>) {
    let shown = format!("{verdict:?}").replace(&dir.display().to_string(), "DIR");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), text)
        })
        .collect();
    files.sort();
    (shown, files)
}

/// The inputs as two sources: a list of the first half and the combinations of the rest.
fn split(inputs: &[u16]) -> Cases<u16> {
    let (a, b) = inputs.split_at(inputs.len() / 2);
    Cases::new().list(a.to_vec()).combinations(b.to_vec())
}

/// How the verified inputs differ from the recorded ones.
#[derive(Debug, Clone)]
enum Edit {
    Same,
    Swap(usize, usize),
    Remove(usize),
    Add(u16),
    Duplicate(usize),
}

fn edit(mut inputs: Vec<u16>, edit: &Edit) -> Vec<u16> {
    let n = inputs.len();
    match *edit {
        Edit::Same => {}
        Edit::Swap(a, b) if n > 0 => inputs.swap(a % n, b % n),
        Edit::Remove(a) if n > 0 => {
            inputs.remove(a % n);
        }
        Edit::Add(x) => inputs.push(x),
        Edit::Duplicate(a) if n > 0 => inputs.insert(a % n, inputs[a % n]),
        _ => {}
    }
    inputs
}

fn edits() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => Just(Edit::Same),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Swap(a, b)),
        1 => any::<usize>().prop_map(Edit::Remove),
        1 => (0u16..60).prop_map(Edit::Add),
        1 => any::<usize>().prop_map(Edit::Duplicate),
    ]
}

fn modes() -> impl Strategy<Value = Environment> {
    prop_oneof![
        Just(env(UpdateMode::Auto, false)),
        Just(env(UpdateMode::Auto, true)),
        Just(env(UpdateMode::New, false)),
        Just(env(UpdateMode::No, false)),
        Just(env(UpdateMode::Always, false)),
    ]
}

#[test]
fn comparing_along_the_recording_and_by_matching_give_identical_verdicts_and_files() {
    let config = Config {
        cases: 120,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = (
        proptest::collection::vec(0u16..60, 0..30),
        edits(),
        0u8..3,
        modes(),
        (1usize..3, 0usize..4),
        prop_oneof![3 => Just(u64::MAX), 1 => 300u64..1_500],
    );
    runner
        .run(
            &strategy,
            |(recorded, change, kind, env, (jobs, shown), limit)| {
                let fast = tempfile::tempdir().unwrap();
                let general = tempfile::tempdir().unwrap();
                let record = Cases::new().list(recorded.clone()).generate();
                let ctx = context(fast.path(), self::env(UpdateMode::Auto, false), 1, 10);
                verify_matched(&jail(false), record, &ctx).unwrap();
                std::fs::copy(ctx.snapshot, general.path().join("agree.snap")).unwrap();

                let inputs = edit(recorded, &change);
                let jail = jail_of_kind(kind);
                // The fast path reads the cases in place from two sources; the general one
                // is given copies with the same origins.
                let sources = split(&inputs);
                let ctx =
                    |dir: &Path| context(dir, env.clone(), jobs, shown).max_snapshot_size(limit);
                let a = verify(&jail, sources.case_list(), &ctx(fast.path()));
                let copies = sources.generate();
                let b = verify_matched(&jail, copies, &ctx(general.path()));
                prop_assert_eq!(outcome(fast.path(), a), outcome(general.path(), b));
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn lockstep_runs_only_when_the_inputs_line_up_with_the_recording() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), env(UpdateMode::No, false), 1, 10);
    let inputs = vec![1u16, 2, 3, 4];
    let jail = jail(false);
    let record = context(dir.path(), env(UpdateMode::Auto, false), 1, 10);
    verify_matched(&jail, Cases::new().list(inputs.clone()).generate(), &record).unwrap();

    let in_order = Cases::new().list(inputs.clone()).generate();
    let found = lockstep_verdict(&jail, &in_order, &ctx).unwrap();
    assert_eq!((found.total, found.same), (4, 4));

    for other in [
        vec![2, 1, 3, 4],
        vec![1, 2, 3],
        vec![1, 2, 3, 4, 5],
        vec![1, 1, 2, 3, 4],
    ] {
        let cases = Cases::new().list(other.clone()).generate();
        assert!(lockstep_verdict(&jail, &cases, &ctx).is_none(), "{other:?}");
    }
}

#[test]
fn a_snapshot_larger_than_a_read_chunk_streams_with_the_right_lines() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<u32> = (0..12_000).collect();
    let record = context(dir.path(), env(UpdateMode::Auto, false), 1, 10);
    let wide = |x: u32| format!("{x:0>100}");
    let old = Jail::new("agree", wide);
    verify_matched(&old, Cases::new().list(inputs.clone()).generate(), &record).unwrap();
    let size = std::fs::metadata(&record.snapshot).unwrap().len();
    assert!(size > 1 << 20, "{size} bytes");

    let new = Jail::new(
        "agree",
        move |x: u32| if x == 11_000 { "x".into() } else { wide(x) },
    );
    let ctx = context(dir.path(), env(UpdateMode::No, false), 1, 10);
    let cases = Cases::new().list(inputs).generate();
    let found = lockstep_verdict(&new, &cases, &ctx).unwrap();
    let general = verify_matched(&new, cases, &ctx).unwrap();
    assert_eq!(found, general);
    let text = std::fs::read_to_string(&ctx.snapshot).unwrap();
    let line = text.lines().position(|l| l == "- input: 11000").unwrap() + 1;
    assert_eq!(general.differences[0].line, line);
}

#[test]
fn a_pending_file_started_past_a_read_chunk_holds_the_cases_before_it_as_recorded() {
    let fast = tempfile::tempdir().unwrap();
    let general = tempfile::tempdir().unwrap();
    let inputs: Vec<u32> = (0..12_000).collect();
    let cases = || Cases::new().list(inputs.clone()).generate();
    let ctx = |dir: &Path| context(dir, env(UpdateMode::Auto, false), 1, 10);
    let wide = |x: u32| format!("{x:0>100}");
    verify_matched(&Jail::new("agree", wide), cases(), &ctx(fast.path())).unwrap();
    let snapshot = ctx(fast.path()).snapshot;
    std::fs::copy(&snapshot, ctx(general.path()).snapshot).unwrap();

    let new = Jail::new("agree", move |x: u32| {
        if x % 5_000 == 4_999 {
            "x".into()
        } else {
            wide(x)
        }
    });
    assert!(lockstep_verdict(&new, &cases(), &ctx(fast.path())).is_some());
    let a = verify(&new, cases(), &ctx(fast.path()));
    let b = verify_matched(&new, cases(), &ctx(general.path()));
    let (a, b) = (outcome(fast.path(), a), outcome(general.path(), b));
    assert!(a.0.contains("changed: 2"), "{}", a.0);
    assert_eq!(a.1.len(), 2, "the snapshot and its pending file");
    assert_eq!(a, b);
}

#[test]
fn a_conflict_marker_in_the_body_is_reported_by_the_matching_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(dir.path(), env(UpdateMode::No, false), 1, 10);
    let record = context(dir.path(), env(UpdateMode::Auto, false), 1, 10);
    let cases = || Cases::new().list([1u16, 2, 3]).generate();
    verify_matched(&jail(false), cases(), &record).unwrap();
    let text = std::fs::read_to_string(&ctx.snapshot).unwrap();
    let marked = text.replace("- input: 2\n", "<<<<<<< HEAD\n- input: 2\n");
    std::fs::write(&ctx.snapshot, marked).unwrap();
    assert!(lockstep_verdict(&jail(false), &cases(), &ctx).is_none());
    let err = verify(&jail(false), cases(), &ctx).unwrap_err().to_string();
    assert!(err.contains("merge conflict"), "{err}");
}

#[test]
fn a_pending_file_the_loader_would_refuse_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases = || Cases::new().list(0..40u16).generate();
    let small = Jail::new("agree", |x: u16| format!("{x}"));
    let ctx = context(dir.path(), env(UpdateMode::Auto, false), 1, 10).max_snapshot_size(8_000);
    let recorded = verify(&small, cases(), &ctx).unwrap();
    assert!(recorded.passed(), "{recorded:?}");
    // Every case now returns 1,000 bytes: a 40 KB pending file, over the 8 KB limit.
    let big = Jail::new("agree", |x: u16| format!("{x:0>1000}"));
    let err = verify(&big, cases(), &ctx).unwrap_err().to_string();
    assert!(err.contains("jail `agree`"), "{err}");
    assert!(err.contains("the biggest cases:\n    case 11: "), "{err}");
    assert!(!crate::snapshot::pending_path(&ctx.snapshot).exists());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A jail whose inputs `x % 11 == 5` return how often that input ran before (so they are
/// unstable across runs); the others behave as the legacy function. Each call builds a jail
/// with its own counts.
fn flaky() -> Jail<u16, u32> {
    let runs = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::new()));
    Jail::new("agree", move |x: u16| {
        if x % 11 != 5 {
            return legacy(x);
        }
        let mut runs = runs.lock().unwrap();
        let n = runs.entry(x).or_insert(0u32);
        *n += 1;
        *n
    })
}

#[test]
fn a_first_recording_and_the_matching_comparison_give_identical_verdicts_and_files() {
    let config = Config {
        cases: 160,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[12; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = (
        proptest::collection::vec(0u16..40, 0..40),
        0u8..3,
        modes(),
        (1usize..3, 1usize..4),
        0usize..4,
        (
            prop_oneof![Just(u64::MAX), 200u64..2_000],
            prop_oneof![
                Just(None),
                (1u64..4).prop_map(|i| Some(crate::shard::Shard { index: i, count: 3 }))
            ],
        ),
        // How many cases a first recording runs at a time.
        prop_oneof![Just(4096), 1usize..6],
    );
    runner
        .run(
            &strategy,
            |(inputs, kind, env, (jobs, runs), shown, (limit, shard), batch)| {
                fresh::BATCH_SIZE.with(|b| b.set(batch));
                let fresh = tempfile::tempdir().unwrap();
                let general = tempfile::tempdir().unwrap();
                let jail = || match kind {
                    0 => jail(false),
                    1 => jail(true),
                    _ => flaky(),
                };
                let sources = split(&inputs);
                let ctx = |dir: &Path| {
                    let mut ctx = context(dir, env.clone(), jobs, shown)
                        .max_snapshot_size(limit)
                        .runs(runs);
                    ctx.shard = shard;
                    ctx
                };
                let a = verify(&jail(), sources.case_list(), &ctx(fresh.path()));
                let b = verify_matched(&jail(), sources.generate(), &ctx(general.path()));
                prop_assert_eq!(outcome(fresh.path(), a), outcome(general.path(), b));
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn the_first_recording_path_runs_only_when_there_is_no_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let jail = jail(false);
    let cases = || Cases::new().list([1u16, 2, 3]).generate();
    let ctx = context(dir.path(), env(UpdateMode::Auto, false), 1, 10);
    let list = CaseList::from(cases());
    let found = fresh::compare(&jail, &list, &ctx).unwrap().unwrap();
    assert_eq!(found.tally.finish().new, 3);
    verify(&jail, cases(), &ctx).unwrap();
    assert!(fresh::compare(&jail, &list, &ctx).unwrap().is_none());
}

/// An input that may not be written (`Bytes`), or be written like another value (`Float`
/// of a NaN with either sign).
#[derive(Debug, Clone)]
enum Awkward {
    Number(u16),
    Float(f64),
    Bytes,
}

impl serde::Serialize for Awkward {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Awkward::Number(n) => s.serialize_u16(*n),
            Awkward::Float(f) => s.serialize_f64(*f),
            Awkward::Bytes => s.serialize_bytes(&[0, 159]),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Awkward {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::deserialize(d).map(Awkward::Float)
    }
}

fn awkward() -> impl Strategy<Value = Awkward> {
    prop_oneof![
        8 => (0u16..30).prop_map(Awkward::Number),
        1 => Just(Awkward::Float(f64::NAN)),
        1 => Just(Awkward::Float(-f64::NAN)),
        1 => Just(Awkward::Bytes),
    ]
}

#[test]
fn a_first_recording_refuses_inputs_and_outcomes_as_the_matching_comparison_does() {
    let config = Config {
        cases: 160,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[13; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = (
        proptest::collection::vec(awkward(), 0..30),
        1usize..3,
        prop_oneof![Just(4096), 1usize..6],
    );
    runner
        .run(&strategy, |(inputs, jobs, batch)| {
            fresh::BATCH_SIZE.with(|b| b.set(batch));
            // A number 13 returns a NaN with its sign set, which no snapshot may hold.
            let jail = Jail::new("agree", |a: Awkward| match a {
                Awkward::Number(13) => -f64::NAN,
                Awkward::Number(n) => f64::from(n),
                _ => 0.5,
            });
            let fresh = tempfile::tempdir().unwrap();
            let general = tempfile::tempdir().unwrap();
            let sources = split_awkward(&inputs);
            let env = || env(UpdateMode::Auto, false);
            let a = verify(
                &jail,
                sources.case_list(),
                &context(fresh.path(), env(), jobs, 10),
            );
            let copies = sources.generate();
            let b = verify_matched(&jail, copies, &context(general.path(), env(), jobs, 10));
            prop_assert_eq!(outcome(fresh.path(), a), outcome(general.path(), b));
            Ok(())
        })
        .unwrap();
}

fn split_awkward(inputs: &[Awkward]) -> Cases<Awkward> {
    let (a, b) = inputs.split_at(inputs.len() / 3);
    Cases::new().list(a.to_vec()).list(b.to_vec())
}
