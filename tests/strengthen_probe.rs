//! Strengthening's test-process side on a tiny jail, without cargo-mutants or a build: the
//! original explores the candidate pool, a mutant (`>` written `>=`, as cargo-mutants makes
//! it) is judged against it, and the first candidate that tells them apart is the smallest.

use std::path::Path;

use kaizen::Jail;
use kaizen::strengthen::probe::{self, Mode, Pool, Request};
use kaizen::strengthen::values::Literals;

fn band(weight: u32, express: bool) -> u32 {
    let band = if weight > 20 {
        3
    } else if weight >= 5 {
        2
    } else {
        1
    };
    band + u32::from(express)
}

fn band_mutant(weight: u32, express: bool) -> u32 {
    let band = if weight >= 20 {
        3
    } else if weight >= 5 {
        2
    } else {
        1
    };
    band + u32::from(express)
}

fn request(dir: &Path, mode: Mode) {
    let r = Request {
        mode,
        literals: Literals {
            ints: vec![20],
            ..Literals::default()
        },
        budget: 1000,
        seed: 1,
        skip: Default::default(),
        from: Default::default(),
    };
    std::fs::write(probe::request_path(dir), serde_json::to_vec(&r).unwrap()).unwrap();
}

fn bases() -> Vec<String> {
    [(0u32, false), (10, true), (30, false)]
        .iter()
        .map(|i| kaizen::snapshot::format::encode_input(i).unwrap())
        .collect()
}

#[test]
fn the_first_candidate_that_tells_a_surviving_mutant_apart_is_the_boundary_literal() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("band.snap");
    let original = Jail::new("band", |(w, e): (u32, bool)| band(w, e));
    request(dir.path(), Mode::Explore);
    probe::serve(&original, &bases(), &snap, dir.path()).unwrap();
    let pool: Pool =
        serde_json::from_slice(&std::fs::read(probe::pool_path(dir.path(), "band")).unwrap())
            .unwrap();
    // Negative values do not fit u32 and are left out; 20 and its neighbours are in.
    assert!(pool.inputs.iter().all(|i| !i.contains("- -")), "{pool:?}");
    assert!(
        pool.inputs
            .contains(&"- input:\n  - 20\n  - false\n".to_string())
    );
    assert_eq!(pool.inputs.len(), pool.behaviours.len());
    assert!(!snap.exists(), "exploring writes no snapshot");

    let mutant = Jail::new("band", |(w, e): (u32, bool)| band_mutant(w, e));
    request(dir.path(), Mode::Judge);
    probe::serve(&mutant, &bases(), &snap, dir.path()).unwrap();
    let marks = std::fs::read(probe::progress_path(dir.path(), "band", Mode::Judge)).unwrap();
    assert_eq!(marks.last(), Some(&b'd'), "{marks:?}");
    let killer = &pool.inputs[marks.len() - 1];
    let (w, _): (u32, bool) = kaizen::snapshot::format::decode_input(killer).unwrap();
    assert_eq!(w, 20, "{killer}");
    assert!(marks[..marks.len() - 1].iter().all(|&m| m == b's'));
}

#[test]
fn an_equivalent_mutant_is_told_apart_by_no_candidate() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("band.snap");
    request(dir.path(), Mode::Explore);
    let original = Jail::new("band", |(w, e): (u32, bool)| band(w, e));
    probe::serve(&original, &bases(), &snap, dir.path()).unwrap();
    // `weight > 20` written `20 < weight`: no input can tell the two apart.
    let same = Jail::new("band", |(w, e): (u32, bool)| {
        let band = if 20 < w {
            3
        } else if w >= 5 {
            2
        } else {
            1
        };
        band + u32::from(e)
    });
    request(dir.path(), Mode::Judge);
    probe::serve(&same, &bases(), &snap, dir.path()).unwrap();
    let marks = std::fs::read(probe::progress_path(dir.path(), "band", Mode::Judge)).unwrap();
    assert!(marks.iter().all(|&m| m == b's'));
    let pool: Pool =
        serde_json::from_slice(&std::fs::read(probe::pool_path(dir.path(), "band")).unwrap())
            .unwrap();
    assert_eq!(marks.len(), pool.inputs.len());
}

#[test]
fn strengthened_inputs_beside_the_snapshot_are_recorded_as_their_own_source() {
    use kaizen::env::{Environment, UpdateMode};
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new("band", |(w, e): (u32, bool)| band(w, e)).snapshot_dir(dir.path());
    let cases = kaizen::Cases::new().list([(0u32, false), (30, true)]);
    let env = Environment {
        mode: UpdateMode::Auto,
        ..Environment::default()
    };
    assert!(jail.run_with(&cases, env.clone()).unwrap().passed());
    let file = kaizen::strengthen::added::path(&dir.path().join("band.snap"));
    let entry = (
        "jail/band.rs:5:33: replace > with >= in price_band".to_string(),
        "- input:\n  - 20\n  - false\n".to_string(),
    );
    kaizen::strengthen::added::append(&file, &[entry]).unwrap();
    let v = jail.run_with(&cases, env).unwrap();
    assert_eq!(
        v.new, 1,
        "the found input is a new case, written for review"
    );
    assert_eq!(
        v.new_cases[0].origin,
        kaizen::cases::Origin::Strengthened { index: 0 }
    );
    let pending = std::fs::read_to_string(dir.path().join("band.snap.new")).unwrap();
    assert!(
        pending.contains("- strengthened (1) from band.strengthened.yaml"),
        "{pending}"
    );
    assert!(
        pending.contains("- input:\n  - 20\n  - false\n  returned: 2\n"),
        "{pending}"
    );
}

#[test]
fn a_minimized_snapshot_replays_only_the_cases_it_holds_and_keeps_its_note() {
    use kaizen::env::{Environment, UpdateMode};
    let dir = tempfile::tempdir().unwrap();
    let jail = Jail::new("band", |(w, e): (u32, bool)| band(w, e)).snapshot_dir(dir.path());
    let cases = kaizen::Cases::new().combinations((vec![0u32, 10, 30], vec![false, true]));
    let env = |mode| Environment {
        mode,
        ..Environment::default()
    };
    jail.run_with(&cases, env(UpdateMode::Auto)).unwrap();
    // What `--minimize` writes: the kept cases under the old header, with the note.
    let snap = dir.path().join("band.snap");
    let loaded = kaizen::snapshot::load(&snap).unwrap().unwrap();
    let kept: Vec<_> = loaded.cases().unwrap().into_iter().take(2).collect();
    let mut header = loaded.header.clone();
    let info = header.info.as_mut().unwrap();
    info.cases = 2;
    info.minimized = Some(kaizen::snapshot::MinimizedNote {
        from: 6,
        mutants_killed: 13,
    });
    let body: String = kept
        .iter()
        .map(|c| format!("{}{}", c.input, c.behaviour))
        .collect();
    std::fs::write(&snap, kaizen::snapshot::render(&header, &body)).unwrap();

    let v = jail.run_with(&cases, env(UpdateMode::No)).unwrap();
    assert!(v.passed(), "{}", kaizen::report::render(&v, false));
    assert_eq!((v.total, v.same, v.new), (2, 2, 0));
    // Re-recording keeps the reduced set and its note.
    jail.run_with(&cases, env(UpdateMode::Always)).unwrap();
    let again = kaizen::snapshot::load(&snap).unwrap().unwrap();
    assert_eq!(again.info.cases, 2);
    assert_eq!(again.info.minimized.as_ref().map(|m| m.from), Some(6));
}
