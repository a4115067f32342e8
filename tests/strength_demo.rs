//! `demo/strength/` is kaizen's demo jails laid out as a user's crate for `kaizen strength`:
//! its library includes the legacy files of `jail/` (through a link), its test targets are
//! kaizen's own characterizations in `tests/`, and its snapshots are the repository's. These
//! checks keep that wiring true, and the README's table of the loop on those jails equal to
//! what kaizen reads from the captured cargo-mutants runs, without running cargo-mutants.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// kaizen's reading of a captured run (`demo/strength/captured/DIR`): (caught, missed) and
/// each survivor as `file:line:col`.
fn captured(dir: &str) -> ((u64, u64), Vec<String>) {
    let out = Command::new(env!("CARGO_BIN_EXE_kaizen"))
        .args(["strength", "--format", "json", "--merge"])
        .arg(Path::new("captured").join(dir))
        .current_dir(demo())
        .env_remove("CI")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{dir}: {stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{dir}");
    let counts = &files[0]["counts"];
    assert_eq!(
        (&counts["timeout"], &counts["unviable"]),
        (&0.into(), &0.into())
    );
    let survivors = files[0]["survivors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}:{}:{}",
                s["file"].as_str().unwrap(),
                s["line"],
                s["column"]
            )
        })
        .collect();
    let caught = counts["caught"].as_u64().unwrap();
    ((caught, counts["missed"].as_u64().unwrap()), survivors)
}

/// `97.4% (38 of 39)`, as the README's table writes a score.
fn score_cell((caught, missed): (u64, u64)) -> String {
    let total = caught + missed;
    format!(
        "{:.1}% ({caught} of {total})",
        caught as f64 * 100.0 / total as f64
    )
}

/// The `cases:` count in a snapshot's header.
fn cases_in(snapshot: &Path) -> u64 {
    let text = std::fs::read_to_string(snapshot).unwrap();
    let line = text.lines().find(|l| l.starts_with("  cases: ")).unwrap();
    line["  cases: ".len()..].parse().unwrap()
}

fn number(text: &str) -> u64 {
    text.trim().replace(',', "").parse().unwrap()
}

/// The rows of the README table that starts `skip` lines into the line holding `marker`
/// (its header and separator skipped), cells trimmed.
fn table_after(readme: &str, marker: &str, skip: usize) -> Vec<Vec<String>> {
    let start = readme.find(marker).unwrap();
    readme[start..]
        .lines()
        .skip(skip)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_readme_table_of_the_loop_is_what_kaizen_reads_from_the_captured_runs() {
    let readme = std::fs::read_to_string(kaizen().join("README.md")).unwrap();
    let rows = table_after(&readme, "<!-- strength-demo -->", 3);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        ["`loyalty_points`", "`invoice_total`", "`freight_cents`"]
    );
    let mut final_survivors = BTreeSet::new();
    for (row, file) in rows.iter().zip(["loyalty", "invoice", "freight"]) {
        let jail = row[0].trim_matches('`');
        let (before, _) = captured(&format!("{file}-before"));
        let after_dir = format!("{file}-after");
        let strengthened = if demo().join("captured").join(&after_dir).is_dir() {
            captured(&after_dir)
        } else {
            captured(&format!("{file}-before"))
        };
        let (minimized, _) = captured(&format!("{file}-min"));
        assert_eq!(number(&row[1]), before.0 + before.1, "{jail}: mutants");
        assert!(
            row[2].starts_with(&score_cell(before)),
            "{jail}: {}",
            row[2]
        );
        assert!(
            row[3].starts_with(&score_cell(strengthened.0)),
            "{jail}: {}",
            row[3]
        );
        assert!(
            row[4].starts_with(&score_cell(minimized)),
            "{jail}: {}",
            row[4]
        );
        final_survivors.extend(strengthened.1);
        // Cases: before → strengthened (the committed snapshot) → minimized (captured).
        let cases: Vec<u64> = row[5].split(" → ").map(number).collect();
        let added = u64::from(row[3].contains("one input added by hand"));
        let committed = cases_in(&kaizen().join("snapshots").join(format!("{jail}.snap")));
        let kept = demo()
            .join("captured")
            .join(format!("{file}-min/{jail}.snap"));
        assert_eq!(
            cases,
            [committed - added, committed, cases_in(&kept)],
            "{jail}"
        );
        let kept_text = std::fs::read_to_string(&kept).unwrap();
        assert!(
            kept_text.contains(&format!("  minimized:\n    from: {committed}\n")),
            "{jail}"
        );
    }
    // Every survivor left is explained in the table below it, and nothing else is.
    let explained: BTreeSet<String> = table_after(&readme, "| survivor | why", 2)
        .iter()
        .map(|r| r[0].split('`').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(explained, final_survivors);
}
