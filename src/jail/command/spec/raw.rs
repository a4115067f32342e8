//! The spec file as written: serde structures checked field by field while they are read,
//! and the one place that turns a serde error into a [`SpecError`] at its line.
//!
//! A new spec field is one new member here (with `#[serde(default)]` when it is optional)
//! and one step in [`super::load`] that checks it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::super::bytes::Data;
use super::super::error::{SpecError, split_serde_message};
use super::super::fields::{
    Arg, CommandField, DurationField, GlobField, RegexField, RelPath, SizeField,
};

/// The whole spec file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSpec {
    pub(crate) command: CommandField,
    #[serde(default)]
    pub(crate) shell: bool,
    #[serde(default)]
    pub(crate) cwd: Option<String>,
    #[serde(default)]
    pub(crate) env: BTreeMap<String, Arg>,
    #[serde(default)]
    pub(crate) inherit_env: Vec<String>,
    #[serde(default)]
    pub(crate) timeout: Option<DurationField>,
    #[serde(default)]
    pub(crate) capture: RawCapture,
    #[serde(default)]
    pub(crate) scrub: Vec<RawScrub>,
    #[serde(default)]
    pub(crate) cases: Vec<RawCase>,
    #[serde(default)]
    pub(crate) combinations: Option<RawCombinations>,
    /// Read by `spec_extra` (a second command to compare with); only allowed here.
    #[serde(default, rename = "port")]
    pub(crate) _port: Option<serde::de::IgnoredAny>,
    /// Read by `spec_extra` (cases drawn with proptest); only allowed here.
    #[serde(default)]
    pub(crate) generate: Option<serde::de::IgnoredAny>,
}

/// `capture:`
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCapture {
    #[serde(default)]
    pub(crate) files: Vec<GlobField>,
    #[serde(default)]
    pub(crate) limit: Option<SizeField>,
    #[serde(default)]
    pub(crate) total: Option<SizeField>,
}

/// One `scrub:` rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScrub {
    pub(crate) regex: RegexField,
    pub(crate) replace: String,
}

/// One item of `cases:`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCase {
    #[serde(default)]
    pub(crate) args: Vec<Arg>,
    #[serde(default)]
    pub(crate) stdin: Option<Data>,
    #[serde(default)]
    pub(crate) stdin_file: Option<RelPath>,
    #[serde(default)]
    pub(crate) env: BTreeMap<String, Arg>,
    #[serde(default)]
    pub(crate) files: BTreeMap<RelPath, Data>,
}

/// `combinations:`
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCombinations {
    pub(crate) args: Vec<Vec<Arg>>,
    #[serde(default)]
    pub(crate) stdin: Option<Data>,
    #[serde(default)]
    pub(crate) stdin_file: Option<RelPath>,
    #[serde(default)]
    pub(crate) env: BTreeMap<String, Arg>,
    #[serde(default)]
    pub(crate) files: BTreeMap<RelPath, Data>,
    #[serde(default)]
    pub(crate) pairwise: bool,
    #[serde(default)]
    pub(crate) max_cases: Option<u64>,
}

/// Reads the spec's text into [`RawSpec`]; an error names the field's path and line.
pub(crate) fn parse(text: &str, shown: &Path) -> Result<RawSpec, SpecError> {
    serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|err| {
        let path = err.path().to_string();
        let line = err.inner().location().map(|loc| loc.line());
        let text = err.inner().to_string();
        // serde_yaml puts its own path in front of the message; we name the field separately.
        let text = match text.split_once(": ") {
            Some((yaml_path, rest)) if path.starts_with(yaml_path) => rest,
            _ => &text,
        };
        let (message, hint) = split_serde_message(text);
        let field = field_named(if path == "." { String::new() } else { path }, &message);
        SpecError::new(shown, line, field, message, hint)
    })
}

/// The field an error is about: serde's path, plus the unknown key for an unknown field.
fn field_named(path: String, message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return path;
    };
    let unknown = rest.split('`').next().unwrap_or_default();
    if path.ends_with(unknown) {
        path
    } else if path.is_empty() {
        unknown.to_string()
    } else {
        format!("{path}.{unknown}")
    }
}
