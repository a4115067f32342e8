//! The HTML report, opened in a real headless Chromium: it loads without console errors,
//! its script runs, and the counts on the page equal the JSON report's. Where Chromium is
//! missing the test says so and passes locally; on CI (`CI=true`) a missing browser fails
//! (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::harness::Project;

/// The Chromium binary, if there is one.
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Chromium, or `None` after saying why the test does not run; on CI its absence fails.
fn browser() -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(
            !ci,
            "CI=true but Chromium is missing: .ci/run installs it with apt-get"
        );
        eprintln!("skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)");
    }
    found
}

/// The DOM after the page's scripts ran, and what Chromium logged.
fn open(chromium: &Path, page: &Path, profile: &Path) -> (String, String) {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `data-n` of the first element after `marker`.
fn number_after(dom: &str, marker: &str) -> u64 {
    let at = dom
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in the page"));
    let rest = &dom[at..];
    let n = rest.find("data-n=\"").expect("data-n") + "data-n=\"".len();
    rest[n..].split('"').next().unwrap().parse().unwrap()
}

/// The fizz project with one slip (14 cases exit 1) and one case that prints another word.
fn slipped() -> Project {
    let project = Project::new("fizz");
    project.kaizen(["record"]).run().code(0);
    project.edit("jail/fizz.sh", "  exit 0", "  exit 1");
    project.edit(
        "jail/fizz.sh",
        r#"echo "plain $n""#,
        r#"[ "$n" = 7 ] && echo "seven" || echo "plain $n""#,
    );
    project
}

#[test]
fn the_html_report_loads_in_chromium_without_errors_and_shows_the_json_counts() {
    let Some(chromium) = browser() else { return };
    let project = slipped();
    let html = project
        .kaizen(["verify", "--format", "html"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    html.code(1);
    let json = project
        .kaizen(["verify", "--format", "json"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    let json: Value = serde_json::from_str(json.stdout()).unwrap();
    let text = html.stdout();
    assert!(
        !text.contains("http://") && !text.contains("https://"),
        "nothing fetched"
    );
    assert!(
        !text.contains("<link") && !text.contains("src="),
        "no external asset"
    );
    project.write("report.html", text);

    let (dom, log) = open(
        &chromium,
        &project.path("report.html"),
        &project.path("profile"),
    );
    for line in log.lines() {
        assert!(
            !(line.contains("CONSOLE") || line.contains("Uncaught")),
            "console message: {line}\n{log}"
        );
    }
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the script ran to its end:\n{dom}"
    );
    let jail = &json["jails"][0];
    for key in ["cases", "same", "changed", "new", "dropped"] {
        let expected = jail[key].as_u64().unwrap();
        assert_eq!(
            number_after(&dom, &format!("data-count=\"{key}\"")),
            expected,
            "{key}"
        );
        // The totals row, added up by the script.
        assert_eq!(
            number_after(&dom, &format!("data-total=\"{key}\"")),
            expected,
            "total {key}"
        );
    }
    // The pager counts the listed cases: every changed case (up to 1,000 per jail).
    let listed = json["jails"][0]["changed"].as_u64().unwrap() as usize;
    assert_eq!(number_after_attr(&dom, "data-matching"), listed as u64);
    assert_eq!(dom.matches("<article class=\"case\"").count(), listed);
    // Groups as the JSON report has them, with the changed words marked.
    assert!(dom.contains("14 cases changed the same way"), "{dom}");
    assert!(
        dom.contains("exit: <del>0</del>") && dom.contains("exit: <ins>1</ins>"),
        "{dom}"
    );
    assert!(dom.contains("href=\"snapshots/fizz.snap#L15\""), "{dom}");
}

/// The value of attribute `name` on the first element holding it.
fn number_after_attr(dom: &str, name: &str) -> u64 {
    let marker = format!("{name}=\"");
    let at = dom
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} not in the page"))
        + marker.len();
    dom[at..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn merge_writes_the_html_report_of_the_shards() {
    let project = slipped();
    let whole = project
        .kaizen(["verify", "--format", "html"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    let mut shards = Vec::new();
    for k in 1..=2 {
        let out = project
            .kaizen(["verify", "--shard", &format!("{k}/2"), "--format", "json"])
            .run();
        project.write(&format!("shard-{k}.json"), out.stdout());
        shards.push(format!("shard-{k}.json"));
    }
    let merged = project
        .kaizen(["merge", "--format", "html", &shards[0], &shards[1]])
        .run();
    merged.code(1);
    assert!(merged.stdout().starts_with("<!DOCTYPE html>"), "{merged}");
    assert!(
        merged.stdout().contains("14 cases changed the same way"),
        "{merged}"
    );
    let counts = |page: &str| {
        ["cases", "same", "changed", "new", "dropped"]
            .map(|key| number_after(page, &format!("data-count=\"{key}\"")))
    };
    assert_eq!(counts(merged.stdout()), counts(whole.stdout()));
}

#[test]
fn the_markdown_summary_has_the_counts_the_groups_and_the_first_diffs() {
    let project = slipped();
    let out = project
        .kaizen(["verify", "--format", "markdown"])
        .env("KAIZEN_UPDATE", "no")
        .run();
    out.code(1);
    let text = out.stdout();
    assert!(text.starts_with("## kaizen: behaviour changed\n"), "{out}");
    assert!(
        text.contains("| fizz | changed | 40 | 25 | 15 | 0 | 0 |\n"),
        "{out}"
    );
    assert!(
        text.contains("- **14 cases** changed the same way: `- exit: 0` / `+ exit: 1`\n"),
        "{out}"
    );
    assert!(text.contains("```diff\n- exit: 0\n+ exit: 1\n"), "{out}");
    assert!(
        text.contains("12 more changed cases: see the HTML report."),
        "{out}"
    );
}
