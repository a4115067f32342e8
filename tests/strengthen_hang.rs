//! Strengthening's per-case hang limit, without cargo-mutants or a build: the loop-counter
//! mutant that hangs (`w += 5` written `w *= 5`, as cargo-mutants makes it) is judged by a
//! real test binary — this one, started again as the probe, as `kaizen strength
//! --strengthen` starts the user's — and the driver counts it caught by the first candidate
//! it hangs on, once that candidate has made no progress within the limit. No clock is
//! asserted: the run finishing at all is the limit at work (the mutant never returns).

use std::path::Path;

use kaizen::cases::Cases;
use kaizen::jail::Jail;
use kaizen::snapshot::format::{decode_input, encode_input};
use kaizen::strength::outcomes::Mutant;
use kaizen::strength::strengthen::{Options, judge_built};
use kaizen::strengthen::probe::{self, Mode, Pool, Request};
use kaizen::strengthen::values::Literals;

/// The legacy routine: how many 5 kg steps a parcel's weight takes, plus one for express.
fn steps(weight: u32, express: bool) -> u32 {
    let mut w = 0;
    let mut n = 0;
    while w < weight {
        w += 5;
        n += 1;
    }
    n + u32::from(express)
}

/// The mutant: `w += 5` written `w *= 5`. From 0, `w` stays 0: any weight above 0 loops
/// forever; a weight of 0 never enters the loop, so the recorded cases (weight 0) miss it.
fn steps_mutant(weight: u32, express: bool) -> u32 {
    let mut w = 0;
    let mut n = 0u32;
    while w < weight {
        w *= 5;
        n = n.wrapping_add(1);
    }
    n + u32::from(express)
}

fn recorded() -> Vec<(u32, bool)> {
    vec![(0, false), (0, true)]
}

fn request(dir: &Path, mode: Mode) {
    let r = Request {
        mode,
        literals: Literals {
            ints: vec![5],
            ..Literals::default()
        },
        budget: 1000,
        seed: 1,
        skip: Default::default(),
        from: Default::default(),
    };
    std::fs::write(probe::request_path(dir), serde_json::to_vec(&r).unwrap()).unwrap();
}

fn the_mutant() -> Mutant {
    serde_json::from_value(serde_json::json!({
        "name": "src/../jail/steps.rs:5:11: replace += with *= in steps",
        "file": "jail/steps.rs",
        "function": {"function_name": "steps", "return_type": "-> u32"},
        "span": {"start": {"line": 5, "column": 11}, "end": {"line": 5, "column": 13}},
        "replacement": "*=",
        "genre": "BinaryOperator"
    }))
    .unwrap()
}

/// In the probe child only (`KAIZEN_STRENGTHEN` set): the characterization test of the
/// mutant, which judges the pool and hangs on its first weight above 0. Elsewhere it
/// returns at once.
#[test]
fn the_characterization_of_the_looping_mutant() {
    if std::env::var_os(kaizen::env::STRENGTHEN).is_none() {
        return;
    }
    let root = std::env::var_os(kaizen::env::CARGO_MANIFEST_DIR).unwrap();
    Jail::new("steps", |(w, e): (u32, bool)| steps_mutant(w, e))
        .snapshot_dir(root)
        .check(&Cases::new().list(recorded()));
}

#[test]
fn a_mutant_that_loops_forever_is_caught_by_the_first_candidate_it_hangs_on() {
    if std::env::var_os(kaizen::env::STRENGTHEN).is_some() {
        return; // this binary, started as the probe
    }
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("work");
    let dir = work.join("requests").join("strengthen_hang");
    std::fs::create_dir_all(&dir).unwrap();
    let snap = root.path().join("steps.snap");

    // Explore on the original, in this process: every candidate returns.
    let original = Jail::new("steps", |(w, e): (u32, bool)| steps(w, e));
    let bases: Vec<String> = recorded()
        .iter()
        .map(|i| encode_input(i).unwrap())
        .collect();
    request(&dir, Mode::Explore);
    probe::serve(&original, &bases, &snap, &dir).unwrap();
    let pool: Pool =
        serde_json::from_slice(&std::fs::read(probe::pool_path(&dir, "steps")).unwrap()).unwrap();
    assert!(pool.inputs.len() > 4, "{pool:?}");

    // Judge the mutant in this test binary, started again as the driver starts a probe.
    let opts = Options {
        root: root.path().to_path_buf(),
        tests: vec!["strengthen_hang".into()],
        work,
        budget: 1000,
        seed: 1,
    };
    let exe = std::env::current_exe().unwrap();
    let kill = judge_built(&opts, &exe, &dir, &the_mutant(), &[&pool])
        .unwrap()
        .expect("the looping mutant is caught");
    assert!(kill.hang, "caught as a hang: {kill:?}");
    assert_eq!(kill.jail, "steps");
    let input: (u32, bool) = decode_input(&kill.input).unwrap();
    assert_eq!(
        input.0, 1,
        "the smallest weight that enters the loop: {input:?}"
    );
    assert_eq!(kill.said, "jail/steps.rs:5:11: replace += with *= in steps");
    let marks = std::fs::read(probe::progress_path(&dir, "steps", Mode::Judge)).unwrap();
    assert_eq!(
        marks, b"ss",
        "the two weights of 0 behaved as before, then no progress"
    );
    assert!(!snap.exists(), "judging writes no snapshot");
}
