//! The JUnit XML report of a run over several jails, for CI systems: one test suite per
//! jail; each shown changed case is a failed test case with its input and diff (both cut to
//! a readable size), the rest of the changed cases one failed test case naming the command
//! that shows them all, the unchanged cases one passing test case, an error an errored one.

use std::fmt::Write as _;
use std::path::Path;

use super::human::MAX_INPUT_LINES;
use super::{JailResult, relative, show_all_command, status};
use crate::diff::{bounded, diff, thousands};
use crate::step::Step;
use crate::verify::{Group, MAX_GROUP_LINES, Verdict, bounded_lines};

/// Escapes text for XML attributes and content. Characters XML 1.0 cannot hold at all
/// (most control characters) are written as `\u{..}`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The failure text of a group: its removed and added lines and its first cases.
fn group_body(g: &Group) -> String {
    let mut body = String::new();
    for l in bounded_lines(&g.removed, MAX_GROUP_LINES) {
        let _ = writeln!(body, "- {l}");
    }
    for l in bounded_lines(&g.added, MAX_GROUP_LINES) {
        let _ = writeln!(body, "+ {l}");
    }
    let examples: Vec<String> = g.examples.iter().map(ToString::to_string).collect();
    let _ = write!(body, "cases {}", examples.join(", "));
    if g.cases > g.examples.len() {
        body.push_str(" …");
    }
    body
}

/// The JUnit XML report, with paths relative to `root`.
pub fn render(root: &Path, results: &[JailResult]) -> String {
    let mut suites = String::new();
    let mut total = Counts::default();
    for r in results {
        let mut suite = Suite {
            class: xml(&format!("kaizen.{}", r.name)),
            ..Suite::default()
        };
        match &r.result {
            Ok(v) => suite.verdict(root, v),
            Err(e) => {
                suite.counts.tests += 1;
                suite.counts.errors += 1;
                let _ = writeln!(
                    suite.cases,
                    "    <testcase classname=\"{}\" name=\"{}\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>",
                    suite.class,
                    xml(&r.spec),
                    xml(e.to_string().lines().next().unwrap_or("")),
                    status(&r.result),
                    xml(&e.to_string())
                );
            }
        }
        let c = suite.counts;
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n{}  </testsuite>\n",
            xml(&r.name),
            c.tests,
            c.failures,
            c.errors,
            suite.cases
        );
        total.tests += c.tests;
        total.failures += c.failures;
        total.errors += c.errors;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kaizen\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n{suites}</testsuites>\n",
        total.tests, total.failures, total.errors
    )
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
}

/// One jail's test suite being written.
#[derive(Default)]
struct Suite {
    class: String,
    cases: String,
    counts: Counts,
}

impl Suite {
    /// A failed test case.
    fn failure(&mut self, attributes: &str, message: &str, kind: &str, text: &str) {
        self.counts.tests += 1;
        self.counts.failures += 1;
        let _ = writeln!(
            self.cases,
            "    <testcase classname=\"{}\" {attributes}>\n      <failure message=\"{}\" type=\"{kind}\">{}</failure>\n    </testcase>",
            self.class,
            xml(message),
            xml(text)
        );
    }

    /// The test cases of a verdict.
    fn verdict(&mut self, root: &Path, v: &Verdict) {
        let file = xml(&relative(root, &v.snapshot));
        if v.step == Step::Feature {
            return self.feature_step(&file, v);
        }
        for g in v.groups.iter().filter(|g| g.cases > 1) {
            self.failure(
                &format!(
                    "name=\"group {}: {} cases changed the same way\"",
                    g.number, g.cases
                ),
                &g.describe(),
                "behaviour changed",
                &group_body(g),
            );
        }
        for d in &v.differences {
            let body = format!(
                "input:\n{}\n\nbehaviour (- recorded, + now):\n{}",
                bounded(&d.input, MAX_INPUT_LINES),
                diff(&d.expected, &d.actual, false)
            );
            let origin = d
                .origin
                .as_ref()
                .map_or("a recorded case".to_string(), ToString::to_string);
            let attributes = format!(
                "name=\"case {}\" file=\"{file}\" line=\"{}\"",
                d.number, d.line
            );
            let message = match &d.headline {
                Some(headline) => format!("{origin} changed at {headline}"),
                None => format!("{origin} changed"),
            };
            self.failure(&attributes, &message, "behaviour changed", &body);
        }
        let hidden = v.changed - v.differences.len();
        if hidden > 0 {
            self.failure(
                &format!("name=\"{hidden} more changed cases\""),
                &format!("{hidden} more cases changed"),
                "behaviour changed",
                &format!("run `{}` to see every changed case", show_all_command(v)),
            );
        }
        self.new_and_same(v);
    }

    /// A feature step's test cases: one failure for the changed cases the ledger's entries
    /// of this step do not name, one passing test case for those it names.
    fn feature_step(&mut self, file: &str, v: &Verdict) {
        if let Some(line) = super::human::unnamed_line(v) {
            self.failure(
                &format!("name=\"changed cases not named by the ledger\" file=\"{file}\""),
                &format!(
                    "{} changed cases not named by the ledger",
                    thousands(v.unnamed.count)
                ),
                "behaviour changed",
                &line,
            );
        }
        let named = v.changed - v.unnamed.count;
        if named > 0 {
            self.counts.tests += 1;
            let _ = writeln!(
                self.cases,
                "    <testcase classname=\"{}\" name=\"{} changed cases named by the ledger\"/>",
                self.class,
                thousands(named)
            );
        }
        self.new_and_same(v);
    }

    /// The test cases of new inputs and of the unchanged cases.
    fn new_and_same(&mut self, v: &Verdict) {
        if v.new > 0 {
            let inputs = if v.new == 1 {
                "1 input".to_string()
            } else {
                format!("{} inputs", thousands(v.new))
            };
            self.failure(
                "name=\"new inputs\"",
                &format!("{inputs} not yet recorded"),
                "not recorded",
                &format!("record them with `{}`", v.record_command),
            );
        }
        self.counts.tests += 1;
        let _ = writeln!(
            self.cases,
            "    <testcase classname=\"{}\" name=\"{} unchanged cases\"/>",
            self.class, v.same
        );
    }
}
