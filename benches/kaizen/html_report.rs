//! The HTML report at 100,000 cases: its file size, the time to write it and the time
//! headless Chromium takes to load it (`--dump-dom`, until the page's script ran), against a
//! 40-case page loaded in the same run. `cargo bench --bench kaizen -- --html`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kaizen::report::{JailResult, html};
use kaizen::verify::Verdict;
use kaizen::{Cases, Jail};

use crate::jails::local;
use crate::measure::{self, mb, show};

fn recorded(x: u32) -> String {
    format!("total {x}")
}

/// Half the cases change: a quarter one way (a currency added), a quarter another (an
/// error), and one in seven of the rest each its own way.
fn changed(x: u32) -> String {
    match x % 4 {
        0 => format!("total {x} EUR"),
        1 => "error: no price".to_string(),
        _ if x % 7 == 3 => format!("total {}", u64::from(x) * 3),
        _ => recorded(x),
    }
}

/// The verdict of `n` cases against their recording (nothing written), keeping `shown`
/// changed cases in full, as `kaizen verify --format html` does.
fn verdict(n: u32, dir: &Path, shown: usize) -> Verdict {
    let cases = Cases::new().list(0..n);
    let name = format!("html_{n}");
    let _ = std::fs::remove_file(dir.join(format!("{name}.snap")));
    Jail::new(&name, recorded)
        .snapshot_dir(dir)
        .run_with(&cases, local())
        .expect("record");
    let env = kaizen::env::Environment {
        mode: kaizen::env::UpdateMode::No,
        ..local()
    };
    let settings = kaizen::Settings {
        snapshot_dir: Some(dir.to_path_buf()),
        max_shown: shown,
        ..kaizen::Settings::default()
    };
    Jail::new(&name, changed)
        .settings(settings)
        .run_with(&cases, env)
        .expect("verify")
}

fn page(dir: &Path, v: Verdict) -> (PathBuf, Duration, usize) {
    let results = [JailResult {
        name: v.jail.clone(),
        spec: "tests/html_bench.rs".into(),
        result: Ok(v),
    }];
    let (took, text) = measure::time(|| html::render(dir, &results, ""));
    let path = dir.join(format!("{}.html", results[0].name));
    std::fs::write(&path, &text).expect("write the page");
    (path, took, text.len())
}

/// Chromium's time to load `page` and run its script, or `None` without Chromium.
fn load(page: &Path, profile: &Path) -> Option<Duration> {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.is_file() {
        return None;
    }
    let (took, out) = measure::time(|| {
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("--dump-dom")
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs")
    });
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the script did not finish"
    );
    Some(took)
}

/// Prints the section.
pub fn section(reps: usize) {
    println!("\n## The HTML report at 100,000 cases\n");
    println!(
        "A Rust jail of 100,000 cases, half of them changed (25,000 one way, 25,000 another, \
         ~7,100 each its own way), written by `report::html::render` with the 1,000 changed \
         cases `kaizen verify --format html` keeps by default; loaded by headless Chromium \
         (`--dump-dom`, until the page's script ran), against a 40-case page with 10 changed \
         loaded in the same run (the browser's start-up is in both).\n"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let big = verdict(100_000, dir.path(), html::DEFAULT_SHOWN);
    let (changed, groups) = (big.changed, big.groups.len());
    let (big_page, write, bytes) = page(dir.path(), big);
    let (small_page, _, small_bytes) = page(dir.path(), verdict(40, dir.path(), 1000));
    let profile = dir.path().join("profile");
    let mut load_big = || load(&big_page, &profile).unwrap_or_default();
    let mut load_small = || load(&small_page, &profile).unwrap_or_default();
    let loads = measure::interleaved(reps, &mut [&mut load_big, &mut load_small]);
    println!(
        "| cases | changed | groups | page | written in | loaded in | 40-case page | loaded in |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| 100000 | {changed} | {groups} | {} | {} | {} | {} | {} |",
        mb(bytes as u64),
        show(write),
        show(loads[0]),
        mb(small_bytes as u64),
        show(loads[1])
    );
    let (_, _, all_bytes) = page(dir.path(), verdict(100_000, dir.path(), usize::MAX));
    println!(
        "\nWith `--all` (every changed case listed): {}.",
        mb(all_bytes as u64)
    );
}
