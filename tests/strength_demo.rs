//! `demo/strength/` is kaizen's demo jails laid out as a user's crate for `kaizen strength`:
//! its library includes the legacy files of `jail/` (through a link), its test targets are
//! kaizen's own characterizations in `tests/`, and its snapshots are the repository's. These
//! checks keep that wiring true without running cargo-mutants.

use std::path::{Path, PathBuf};

fn kaizen() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn demo() -> PathBuf {
    kaizen().join("demo/strength")
}

/// The values of `key = "…"` lines in a manifest or source text, in order.
fn quoted_after(text: &str, key: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix(key)?.trim_start();
            let rest = rest.strip_prefix('=')?.trim_start().strip_prefix('"')?;
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

#[test]
fn the_demo_crate_links_to_the_repository_jail_and_snapshots() {
    for (link, target) in [("jail", "../../jail"), ("snapshots", "../../snapshots")] {
        let read = std::fs::read_link(demo().join(link)).unwrap();
        assert_eq!(read, Path::new(target), "demo/strength/{link}");
        assert_eq!(
            demo().join(link).canonicalize().unwrap(),
            kaizen().join(link).canonicalize().unwrap()
        );
    }
}

#[test]
fn the_demo_library_includes_legacy_files_of_jail() {
    let lib = std::fs::read_to_string(demo().join("src/lib.rs")).unwrap();
    let included: Vec<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("#[path = \""))
        .map(|l| l.trim_end_matches("\"]").to_string())
        .collect();
    assert_eq!(
        included,
        [
            "../jail/freight.rs",
            "../jail/invoice.rs",
            "../jail/loyalty.rs"
        ]
    );
    for path in &included {
        let file = kaizen().join(path.trim_start_matches("../"));
        assert!(file.is_file(), "{}", file.display());
    }
}

#[test]
fn each_demo_test_target_is_a_kaizen_characterization_holding_one_check() {
    let manifest = std::fs::read_to_string(demo().join("Cargo.toml")).unwrap();
    let names = quoted_after(&manifest, "name");
    let paths = quoted_after(&manifest, "path");
    assert_eq!(names[0], "kaizen-strength-demo");
    let targets: Vec<(&String, &String)> = names[1..].iter().zip(&paths).collect();
    assert_eq!(targets.len(), 3, "{manifest}");
    for (name, path) in targets {
        assert_eq!(path, &format!("../../tests/{name}.rs"));
        let source = std::fs::read_to_string(kaizen().join("tests").join(format!("{name}.rs")))
            .unwrap_or_else(|e| panic!("tests/{name}.rs: {e}"));
        // Characterization only: other tests in the target would judge the mutants too.
        assert_eq!(source.matches("#[test]").count(), 1, "tests/{name}.rs");
        assert_eq!(source.matches(".check(").count(), 1, "tests/{name}.rs");
    }
}
