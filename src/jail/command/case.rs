//! [`CommandCase`]: one recorded input of a command jail.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::bytes::Data;

/// One input for a jailed program: the recorded *input* of a case, replayed
/// as is by the verifier. Empty fields are left out of the YAML.
///
/// Placeholders (`{jail}`, `{root}`, `{case_dir}`) in `args` and `env` are
/// kept as written and filled in when the case runs, so recordings do not
/// depend on where the project lives.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandCase {
    /// Arguments appended to the spec's `command`, passed verbatim (no shell).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Bytes piped to standard input; `None` means stdin is `/dev/null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<Data>,
    /// Environment variables for this case, over the spec's `env`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// Files written into the case directory before the program starts,
    /// keyed by relative path (`/` separated; no `..`, not absolute).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, Data>,
}

impl CommandCase {
    /// A case with these arguments and nothing else.
    pub fn with_args<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CommandCase {
            args: args.into_iter().map(Into::into).collect(),
            ..CommandCase::default()
        }
    }

    /// A one-line description for messages: the args, then what else is set.
    pub fn summary(&self) -> String {
        let mut text = if self.args.is_empty() {
            "(no args)".to_string()
        } else {
            format!("{:?}", self.args)
        };
        if let Some(stdin) = &self.stdin {
            let _ = write!(text, " with {} bytes of stdin", stdin.as_bytes().len());
        }
        if !self.env.is_empty() {
            let names: Vec<&str> = self.env.keys().map(String::as_str).collect();
            let _ = write!(text, " env {}", names.join(","));
        }
        if !self.files.is_empty() {
            let names: Vec<&str> = self.files.keys().map(String::as_str).collect();
            let _ = write!(text, " files {}", names.join(","));
        }
        text
    }
}
