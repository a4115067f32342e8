//! Reports: one module per format, each fed by verdicts; the library writes every format,
//! a front door only chooses one.
//!
//! - [`human`]: the summary line and the readable report (`cargo test`, `kaizen verify`);
//! - [`json`]: one JSON document for a run over several jails (`--format json`);
//! - [`junit`]: JUnit XML for CI systems (`--format junit`);
//! - [`html`]: one self-contained page for reviewers (`--format html`);
//! - [`markdown`]: a short summary for a CI job's page (`--format markdown`);
//! - [`steps_chart`]: the chart of the step ledger `kaizen log --steps` draws on a terminal.
//!
//! Every format is bounded: at most `max_shown` changed cases in full (the verdict keeps
//! them), each case's input and diff cut to a readable size with a count of what was left
//! out ([`crate::diff`]).

pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod steps_chart;

use std::path::Path;

use crate::Error;
pub use crate::diff::{diff, thousands};
use crate::env;
use crate::verify::Verdict;
pub use human::{render, summary, summary_line};

/// One jail's outcome in a run over several jails.
#[derive(Debug)]
pub struct JailResult {
    /// The jail's name.
    pub name: String,
    /// The file that defines it, as shown to people.
    pub spec: String,
    /// Its verdict, or why there is none.
    pub result: Result<Verdict, Error>,
}

/// The machine-readable formats of a run over several jails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// [`json::render`].
    Json,
    /// [`junit::render`].
    Junit,
    /// [`html::render`], snapshot links starting with `KAIZEN_LINK_BASE`.
    Html,
    /// [`markdown::render`].
    Markdown,
}

/// A whole run's report in `format`, with paths shown relative to `root`; the HTML report's
/// snapshot links start with `link_base` (`KAIZEN_LINK_BASE`, read by the front door).
pub fn render_all(format: Format, root: &Path, results: &[JailResult], link_base: &str) -> String {
    match format {
        Format::Json => json::render(root, results),
        Format::Junit => junit::render(root, results),
        Format::Html => html::render(root, results, link_base),
        Format::Markdown => markdown::render(results),
    }
}

/// A path as shown in machine-readable reports: relative to `root` when below it.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The local command that shows every changed case of the verdict's jail:
/// `kaizen verify NAME --all` for the command line, else `KAIZEN_MAX_SHOWN=all cargo test`.
///
/// ```
/// let env = kaizen::env::Environment::default();
/// let v = kaizen::Verdict::new("greet", "s.snap".into(), 0, &env, "kaizen record greet", Default::default());
/// assert_eq!(kaizen::report::show_all_command(&v), "kaizen verify greet --all");
/// ```
pub fn show_all_command(v: &Verdict) -> String {
    match v.record_command.strip_prefix("kaizen record ") {
        Some(jail) => format!("kaizen verify {jail} --all"),
        None => format!("{}=all cargo test", env::MAX_SHOWN),
    }
}

/// The status of one jail's result: `unchanged`, `changed`, `missing` or `error`.
pub(crate) fn status(result: &Result<Verdict, Error>) -> &'static str {
    match result {
        Ok(v) if v.passed() => "unchanged",
        Ok(_) => "changed",
        Err(Error::MissingSnapshot { .. }) => "missing",
        Err(_) => "error",
    }
}
