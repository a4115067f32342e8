//! The HTML report of a run over several jails (`kaizen verify --format html`, `kaizen merge
//! --format html`): one self-contained file — its style and script are inlined, nothing is
//! fetched — for a pull request's reviewers.
//!
//! It holds the summary (one row per jail, a totals row the script adds up), the groups of
//! cases that changed the same way, and each changed case the verdict keeps in full
//! (`max_shown`) with its input, a link to its snapshot line and a side-by-side diff with
//! changed words marked ([`side_by_side`]). Unchanged cases are counted, never listed, so the
//! file stays small at any number of cases. The script filters the cases by jail, group and
//! kind of change (`exit 0 → exit 1`) and shows them a page at a time; without it, every
//! listed case is shown.

mod side_by_side;

use std::fmt::Write as _;
use std::path::Path;

use super::{JailResult, relative, show_all_command, status};
use crate::diff::{bounded, thousands};
use crate::verify::{Difference, Group, MAX_GROUP_LINES, Verdict, bounded_lines};

/// The page's style.
const STYLE: &str = include_str!("html/page.css");
/// The page's script: totals, filters, pages.
const SCRIPT: &str = include_str!("html/page.js");
/// The most lines of an input the report shows; the rest are counted.
const MAX_INPUT_LINES: usize = 100;
/// Changed cases of each jail `kaizen verify --format html` keeps in full unless
/// `--max-shown N` or `--all` says otherwise (a page of them at a time is shown).
pub const DEFAULT_SHOWN: usize = 1000;

/// Groups of each jail the page lists (largest first) and offers as filters; the rest are
/// counted in one line, so a run whose changes went thousands of ways stays a small page.
pub const MAX_GROUPS_LISTED: usize = 100;

/// Text made safe for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The HTML report, with paths relative to `root`; snapshot links start with `link_base`
/// (empty: paths relative to the project root, where the report is usually written).
pub fn render(root: &Path, results: &[JailResult], link_base: &str) -> String {
    let changed = results
        .iter()
        .any(|r| !matches!(&r.result, Ok(v) if v.passed()));
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<header class=\"{}\"><h1>kaizen: {}</h1></header>",
        if changed { "red" } else { "green" },
        if changed {
            "behaviour changed"
        } else {
            "behaviour unchanged"
        }
    );
    body.push_str(&summary(results));
    for r in results {
        if let Ok(v) = &r.result {
            body.push_str(&groups(&r.name, v));
        }
    }
    body.push_str(&cases(root, results, link_base));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>kaizen report</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

/// The summary table: one row per jail with its counts; the script fills in the totals.
fn summary(results: &[JailResult]) -> String {
    const COUNTS: [&str; 5] = ["cases", "same", "changed", "new", "dropped"];
    let mut out = String::from(
        "<section id=\"summary\"><h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th>jail</th><th>status</th>",
    );
    for c in COUNTS {
        let _ = write!(out, "<th>{c}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in results {
        let (counts, note) = match &r.result {
            Ok(v) => (
                [v.total, v.same, v.changed, v.new, v.dropped],
                String::new(),
            ),
            Err(e) => (
                [0; 5],
                format!("<div class=\"error\">{}</div>", escape(&e.to_string())),
            ),
        };
        let _ = write!(
            out,
            "<tr class=\"jail {st}\" data-jail=\"{name}\"><td>{name}{note}</td><td>{st}</td>",
            st = status(&r.result),
            name = escape(&r.name),
        );
        for (key, n) in COUNTS.iter().zip(counts) {
            let _ = write!(
                out,
                "<td data-count=\"{key}\" data-n=\"{n}\">{}</td>",
                thousands(n)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n<tfoot><tr id=\"totals\"><td>all jails</td><td></td>");
    for c in COUNTS {
        let _ = write!(out, "<td data-total=\"{c}\"></td>");
    }
    out.push_str("</tr></tfoot>\n</table></section>\n");
    out
}

/// A jail's groups of cases that changed the same way, largest first.
fn groups(jail: &str, v: &Verdict) -> String {
    if v.groups.is_empty() {
        return String::new();
    }
    let jail_html = escape(jail);
    let mut out = format!(
        "<section class=\"groups\" data-jail=\"{jail_html}\"><h2>{jail_html}: {} changed in {} {}</h2>\n<ol class=\"groups\">\n",
        count(v.changed, "case", "cases"),
        thousands(v.groups.len()),
        if v.groups.len() == 1 { "way" } else { "ways" }
    );
    for g in v.groups.iter().take(MAX_GROUPS_LISTED) {
        out.push_str(&group(&jail_html, g));
    }
    out.push_str("</ol>\n");
    if let Some(rest) = v.groups.get(MAX_GROUPS_LISTED..).filter(|r| !r.is_empty()) {
        let cases: usize = rest.iter().map(|g| g.cases).sum();
        let largest = rest.iter().map(|g| g.cases).max().unwrap_or(0);
        let _ = writeln!(
            out,
            "<p class=\"unlisted\">{} more {}, {} in all ({} at most in each), not listed here; the JSON report (<code>--format json</code>) lists every group.</p>",
            thousands(rest.len()),
            if rest.len() == 1 { "way" } else { "ways" },
            count(cases, "case", "cases"),
            count(largest, "case", "cases"),
        );
    }
    if v.ungrouped > 0 {
        let _ = writeln!(
            out,
            "<p>{} not grouped (more than {} distinct changes)</p>",
            count(v.ungrouped, "case", "cases"),
            thousands(crate::verify::MAX_GROUPS)
        );
    }
    out.push_str("</section>\n");
    out
}

/// One group: its size, its removed and added lines, its first cases.
fn group(jail_html: &str, g: &Group) -> String {
    let mut lines = String::new();
    for l in bounded_lines(&g.removed, MAX_GROUP_LINES) {
        let _ = writeln!(lines, "<del>- {}</del>", escape(&l));
    }
    for l in bounded_lines(&g.added, MAX_GROUP_LINES) {
        let _ = writeln!(lines, "<ins>+ {}</ins>", escape(&l));
    }
    let examples: Vec<String> = g
        .examples
        .iter()
        .map(|n| format!("<a href=\"#case-{jail_html}-{n}\">{}</a>", thousands(*n)))
        .collect();
    let more = if g.cases > g.examples.len() {
        ", …"
    } else {
        ""
    };
    format!(
        "<li value=\"{n}\" class=\"group\" data-group=\"{jail_html}:{n}\"><span class=\"size\">{}</span> <a href=\"#cases\" class=\"filter\" data-jail=\"{jail_html}\" data-group=\"{jail_html}:{n}\">show them</a><pre class=\"change\">{lines}</pre><span class=\"examples\">e.g. case {}{more}</span></li>\n",
        if g.cases == 1 {
            "1 case changed this way".to_string()
        } else {
            format!("{} cases changed the same way", thousands(g.cases))
        },
        examples.join(", "),
        n = g.number,
    )
}

/// `1 case`, `1,012 cases`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// The changed cases the verdicts keep in full, with the filters and the pager around them.
fn cases(root: &Path, results: &[JailResult], link_base: &str) -> String {
    let mut list = String::new();
    let mut kinds: Vec<String> = Vec::new();
    let mut groups: Vec<(String, String)> = Vec::new();
    let mut unlisted = String::new();
    for r in results {
        let Ok(v) = &r.result else { continue };
        let snapshot = relative(root, &v.snapshot);
        for d in &v.differences {
            let kind = format!("{} → {}", d.expected_label, d.actual_label);
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
            list.push_str(&case(&r.name, v, d, &snapshot, link_base));
        }
        for g in v.groups.iter().take(MAX_GROUPS_LISTED) {
            groups.push((
                format!("{}:{}", r.name, g.number),
                format!("{} group {} ({})", r.name, g.number, thousands(g.cases)),
            ));
        }
        let hidden = v.changed.saturating_sub(v.differences.len());
        if hidden > 0 {
            let _ = writeln!(
                unlisted,
                "<p class=\"unlisted\" data-jail=\"{}\">{}: {} more changed {} not listed here; <code>{}</code> lists every one.</p>",
                escape(&r.name),
                escape(&r.name),
                thousands(hidden),
                if hidden == 1 { "case" } else { "cases" },
                escape(&format!("{} --format html", show_all_command(v)))
            );
        }
    }
    let options = |all: &str, values: Vec<(String, String)>| {
        let mut html = format!("<option value=\"\">{all}</option>");
        for (value, label) in values {
            let _ = write!(
                html,
                "<option value=\"{}\">{}</option>",
                escape(&value),
                escape(&label)
            );
        }
        html
    };
    let jails = results
        .iter()
        .map(|r| (r.name.clone(), r.name.clone()))
        .collect();
    let kinds = kinds.into_iter().map(|k| (k.clone(), k)).collect();
    format!(
        "<section id=\"cases\"><h2>Changed cases</h2>\n<form class=\"filters\" onsubmit=\"return false\"><label>jail <select id=\"f-jail\">{}</select></label> <label>group <select id=\"f-group\">{}</select></label> <label>kind of change <select id=\"f-kind\">{}</select></label></form>\n<p id=\"pager\"><button type=\"button\" id=\"prev\">← previous</button> <span id=\"page-status\"></span> <button type=\"button\" id=\"next\">next →</button></p>\n{list}{unlisted}</section>\n",
        options("every jail", jails),
        options("every group", groups),
        options("every kind", kinds),
    )
}

/// One changed case: where it is, its input and the side-by-side diff of its behaviour.
fn case(jail: &str, v: &Verdict, d: &Difference, snapshot: &str, link_base: &str) -> String {
    let jail_html = escape(jail);
    let group = v
        .group_of(d.number)
        .map(|g| format!("{jail}:{}", g.number))
        .unwrap_or_default();
    let group_label = v
        .group_of(d.number)
        .map(|g| format!(" <span class=\"tag\">group {}</span>", g.number))
        .unwrap_or_default();
    let origin = d
        .origin
        .as_ref()
        .map(|o| {
            format!(
                " <span class=\"origin\">from {}</span>",
                escape(&o.to_string())
            )
        })
        .unwrap_or_default();
    let headline = d
        .headline
        .as_ref()
        .map(|h| format!("<p class=\"headline\">{}</p>", escape(h)))
        .unwrap_or_default();
    let (expected_side, actual_side) = v.baseline.labels();
    format!(
        "<article class=\"case\" id=\"case-{jail_html}-{n}\" data-jail=\"{jail_html}\" data-group=\"{group}\" data-kind=\"{kind}\">\n<h3>{jail_html}: case {number} of {total}{group_label}{origin} <a class=\"snap\" href=\"{href}\">{snapshot_html}:{line}</a></h3>\n{headline}<div class=\"input\"><h4>input</h4><pre>{input}</pre></div>\n<table class=\"diff\"><colgroup><col class=\"n\"><col><col class=\"n\"><col></colgroup><thead><tr><th colspan=\"2\">{expected_side} <span class=\"kind\">{expected_kind}</span></th><th colspan=\"2\">{actual_side} <span class=\"kind\">{actual_kind}</span></th></tr></thead><tbody>\n{rows}</tbody></table>\n</article>\n",
        n = d.number,
        group = escape(&group),
        kind = escape(&format!("{} → {}", d.expected_label, d.actual_label)),
        number = thousands(d.number),
        total = thousands(v.total),
        href = escape(&format!("{link_base}{snapshot}#L{}", d.line)),
        snapshot_html = escape(snapshot),
        line = d.line,
        input = escape(&bounded(&d.input, MAX_INPUT_LINES)),
        expected_kind = escape(&d.expected_label),
        actual_kind = escape(&d.actual_label),
        rows = side_by_side::rows(&d.expected, &d.actual),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{Baseline, Difference, Tally};

    /// A verdict of `ways` changed cases, each changed its own way.
    fn changed_every_way(ways: usize) -> Verdict {
        let env = crate::env::Environment::default();
        let mut tally = Tally::new(
            "many",
            "many.snap".into(),
            &env,
            "c",
            Baseline::Snapshot,
            10,
        );
        for n in 1..=ways {
            let key = (vec![format!("returned: {n}")], vec!["returned: 0".into()]);
            tally.changed_as(n, key, || Difference {
                number: n,
                line: n,
                origin: None,
                input: n.to_string(),
                expected: format!("returned: {n}"),
                actual: "returned: 0".into(),
                expected_label: "returned".into(),
                actual_label: "returned".into(),
                shrunk: None,
                reproduce: Vec::new(),
                headline: None,
            });
        }
        tally.finish()
    }

    #[test]
    fn a_page_lists_the_largest_groups_and_counts_the_rest_in_one_line() {
        let v = changed_every_way(MAX_GROUPS_LISTED + 50);
        assert_eq!(v.groups.len(), MAX_GROUPS_LISTED + 50);
        let results = [JailResult {
            name: "many".into(),
            spec: "tests/many.rs".into(),
            result: Ok(v),
        }];
        let page = render(Path::new("/"), &results, "");
        assert_eq!(page.matches("<li value=").count(), MAX_GROUPS_LISTED);
        assert_eq!(
            page.matches("<option value=\"many:").count(),
            MAX_GROUPS_LISTED
        );
        assert!(
            page.contains(
                "50 more ways, 50 cases in all (1 case at most in each), not listed here"
            ),
            "{page}"
        );
    }
}
