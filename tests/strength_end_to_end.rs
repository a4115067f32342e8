//! The slow end-to-end run of `kaizen strength`: real cargo-mutants on the fixture crate
//! `tests/fixtures/strength/`. It takes minutes, so it is ignored by default; run it with
//! `cargo test --test strength_end_to_end -- --ignored` (cargo-mutants must be installed:
//! `cargo install --locked cargo-mutants`).

use std::path::Path;
use std::process::Command;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" || name == "captured" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

#[test]
#[ignore = "runs cargo-mutants for a minute or more: cargo test --test strength_end_to_end -- --ignored"]
fn real_cargo_mutants_finds_the_one_threshold_no_recorded_input_reaches() {
    let kaizen = Path::new(env!("CARGO_MANIFEST_DIR"));
    let temp = tempfile::tempdir().unwrap();
    let crate_dir = temp.path().join("fixture");
    copy_tree(&kaizen.join("tests/fixtures/strength"), &crate_dir);
    // cargo-mutants copies the crate elsewhere: the path to kaizen must be absolute.
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let absolute = format!("path = {:?}", kaizen.display().to_string());
    std::fs::write(&manifest, text.replace("path = \"../../..\"", &absolute)).unwrap();
    let snapshot_before = std::fs::read(crate_dir.join("snapshots/band.snap")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kaizen"))
        .args(["strength", "--format", "json", "--min-score", "90"])
        .current_dir(&crate_dir)
        .env(
            "CARGO_TARGET_DIR",
            kaizen.join("target/strength-end-to-end"),
        )
        .env_remove("KAIZEN_UPDATE")
        .env_remove("CI")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let file = &json["files"][0];
    assert_eq!(file["file"], "jail/band.rs", "{json}");
    assert_eq!(file["counts"]["missed"], 1, "{json}");
    // On a loaded machine a caught mutant can run into cargo-mutants' timeout instead.
    let caught = file["counts"]["caught"].as_u64().unwrap();
    let timeout = file["counts"]["timeout"].as_u64().unwrap();
    assert_eq!(caught + timeout, 13, "{json}");
    let survivor = &file["survivors"][0];
    assert_eq!(
        (&survivor["line"], &survivor["column"]),
        (&5.into(), &33.into())
    );
    assert_eq!(survivor["change"], "`>` → `>=`");
    assert_eq!(
        std::fs::read(crate_dir.join("snapshots/band.snap")).unwrap(),
        snapshot_before,
        "no mutant run wrote the snapshot"
    );
    let pending: Vec<_> = std::fs::read_dir(crate_dir.join("snapshots"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".snap.new"))
        .collect();
    assert!(pending.is_empty(), "no pending file either");
}

/// The fixture crate in a temporary folder, with kaizen's path made absolute.
fn fixture_copy(temp: &Path) -> std::path::PathBuf {
    let kaizen = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crate_dir = temp.join("fixture");
    copy_tree(&kaizen.join("tests/fixtures/strength"), &crate_dir);
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let absolute = format!("path = {:?}", kaizen.display().to_string());
    std::fs::write(&manifest, text.replace("path = \"../../..\"", &absolute)).unwrap();
    crate_dir
}

fn kaizen_strength(crate_dir: &Path, flag: &str) -> String {
    let kaizen = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_kaizen"))
        .args(["strength", "--merge"])
        .arg(kaizen.join("tests/fixtures/strength/captured"))
        .arg(flag)
        .current_dir(crate_dir)
        .env(
            "CARGO_TARGET_DIR",
            kaizen.join("target/strength-end-to-end"),
        )
        .env_remove("KAIZEN_UPDATE")
        .env_remove("KAIZEN_STRENGTHEN")
        .env_remove("CI")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
#[ignore = "builds the fixture crate once per mutant: cargo test --test strength_end_to_end -- --ignored"]
fn strengthening_the_captured_run_finds_the_weight_of_twenty_and_puts_the_legacy_file_back() {
    let temp = tempfile::tempdir().unwrap();
    let crate_dir = fixture_copy(temp.path());
    let legacy = std::fs::read(crate_dir.join("jail/band.rs")).unwrap();
    let snapshot = std::fs::read(crate_dir.join("snapshots/band.snap")).unwrap();
    let stdout = kaizen_strength(&crate_dir, "--strengthen");
    assert!(
        stdout.contains("strengthened: mutation score 92.9% → 100% — 1 of 1 survivors killed"),
        "{stdout}"
    );
    assert!(stdout.contains("by band input [20,"), "{stdout}");
    let added =
        std::fs::read_to_string(crate_dir.join("snapshots/band.strengthened.yaml")).unwrap();
    assert!(
        added.starts_with(
            "- kills: 'jail/band.rs:5:33: replace > with >= in price_band'\n  input:\n  - 20\n"
        ),
        "{added}"
    );
    let pending = std::fs::read_to_string(crate_dir.join("snapshots/band.snap.new")).unwrap();
    assert!(
        pending.contains("- strengthened (1) from band.strengthened.yaml"),
        "{pending}"
    );
    assert_eq!(
        std::fs::read(crate_dir.join("jail/band.rs")).unwrap(),
        legacy
    );
    assert_eq!(
        std::fs::read(crate_dir.join("snapshots/band.snap")).unwrap(),
        snapshot
    );
}

#[test]
#[ignore = "builds the fixture crate once per mutant: cargo test --test strength_end_to_end -- --ignored"]
fn minimizing_the_captured_run_keeps_fewer_cases_that_kill_all_thirteen_caught_mutants() {
    let temp = tempfile::tempdir().unwrap();
    let crate_dir = fixture_copy(temp.path());
    let legacy = std::fs::read(crate_dir.join("jail/band.rs")).unwrap();
    let stdout = kaizen_strength(&crate_dir, "--minimize");
    assert!(
        stdout.contains("band: 6 → 4 cases, killing the same 13 mutants"),
        "{stdout}"
    );
    assert!(!stdout.contains("by no replayed case"), "{stdout}");
    let pending = std::fs::read_to_string(crate_dir.join("snapshots/band.snap.new")).unwrap();
    assert!(pending.contains("  cases: 4\n"), "{pending}");
    assert!(
        pending.contains("  minimized:\n    from: 6\n    mutants_killed: 13\n"),
        "{pending}"
    );
    assert_eq!(
        std::fs::read(crate_dir.join("jail/band.rs")).unwrap(),
        legacy
    );
}
