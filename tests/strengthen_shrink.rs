//! Shrinking a found killer below the candidate pool, as `kaizen strength --strengthen`
//! does it: the inputs one step simpler are run on the unmutated and on the mutated test
//! binary — here both are this test binary, started again as the probe; the copy kept
//! under `original/` plays the unmutated build — and the first that still behaves
//! otherwise is kept, round after round.

use kaizen::cases::Cases;
use kaizen::jail::Jail;
use kaizen::snapshot::format::{decode_input, encode_input};
use kaizen::strength::shrink::shrink_kill;
use kaizen::strength::strengthen::{Kill, Options, original_path};

/// The legacy fee: gold members pay double.
fn fee(weight: u32, tier: String) -> u32 {
    if tier == "GOLD" { weight * 2 } else { weight }
}

/// The mutant: `*` written `+`. Only a gold member with a weight other than 2 tells them
/// apart.
fn fee_mutant(weight: u32, tier: String) -> u32 {
    if tier == "GOLD" { weight + 2 } else { weight }
}

fn in_original_copy() -> bool {
    let exe = std::env::current_exe().unwrap();
    exe.parent().and_then(|p| p.file_name()) == Some(std::ffi::OsStr::new("original"))
}

/// In the probe child only: the characterization test, of the original in the kept copy
/// and of the mutant in this binary. Elsewhere it returns at once.
#[test]
fn the_characterization_of_the_fee() {
    if std::env::var_os(kaizen::env::STRENGTHEN).is_none() {
        return;
    }
    let root = std::env::var_os(kaizen::env::CARGO_MANIFEST_DIR).unwrap();
    let f: fn(u32, String) -> u32 = if in_original_copy() { fee } else { fee_mutant };
    Jail::new("fee", move |(w, t): (u32, String)| f(w, t))
        .snapshot_dir(root)
        .check(&Cases::new().list([(1u32, "BASIC".to_string())]));
}

#[test]
fn a_killer_drawn_large_is_shrunk_to_the_smallest_input_that_still_kills() {
    if std::env::var_os(kaizen::env::STRENGTHEN).is_some() {
        return; // this binary, started as the probe
    }
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("work");
    let dir = work.join("requests").join("strengthen_shrink");
    std::fs::create_dir_all(&dir).unwrap();
    let opts = Options {
        root: root.path().to_path_buf(),
        tests: vec!["strengthen_shrink".into()],
        work: work.clone(),
        budget: 1000,
        seed: 1,
    };
    let exe = std::env::current_exe().unwrap();
    let original = original_path(&work, "strengthen_shrink");
    std::fs::create_dir_all(original.parent().unwrap()).unwrap();
    std::fs::copy(&exe, &original).unwrap();

    let drawn = encode_input(&(4017u32, "GOLD".to_string())).unwrap();
    let mut kill = Kill {
        mutant: "src/../jail/fee.rs:2:36: replace * with + in fee".into(),
        said: "jail/fee.rs:2:36: replace * with + in fee".into(),
        jail: "fee".into(),
        input: drawn.clone(),
        hang: false,
        shrunk_from: None,
    };
    let limit = std::time::Duration::from_secs(5);
    let rounds = shrink_kill(&opts, &original, &exe, &dir, limit, &mut kill).unwrap();
    let (weight, tier): (u32, String) = decode_input(&kill.input).unwrap();
    assert_eq!((weight, tier.as_str()), (0, "GOLD"), "{}", kill.input);
    assert_eq!(kill.shrunk_from, Some(drawn));
    assert!(!kill.hang);
    assert_eq!(rounds, 1, "4017 → 0 in one step; GOLD cannot shrink");
    assert!(
        !root.path().join("fee.snap").exists(),
        "no snapshot written"
    );
}
