//! The spec fields for porting a program, read in a pass of their own over the spec's
//! text: `port:` (a second command, run beside the original on the same cases) and
//! `generate:` (cases drawn with proptest). Specs without them load exactly as before.

use std::path::Path;

use serde::Deserialize;

use super::error::{SpecError, key_line, split_serde_message};
use super::fields::CommandField;
use super::generate::{self, Generated, RawGenerate};
use super::spec::Program;

/// What `port:` and `generate:` add to a spec.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    /// The port: the program compared with the original by `kaizen port`.
    pub(crate) port: Option<Program>,
    /// The generated cases.
    pub(crate) generate: Option<Generated>,
}

/// Only the two fields; the rest of the spec is checked by `spec.rs`.
#[derive(Deserialize)]
struct RawExtras {
    #[serde(default)]
    port: Option<CommandField>,
    #[serde(default)]
    generate: Option<RawGenerate>,
}

/// Reads `port:` and `generate:` from the spec text. `shown` is the spec's path for
/// errors, `shell` whether the spec runs its command through `sh -c`.
pub(crate) fn load(
    shown: &Path,
    text: &str,
    shell: bool,
    jail_dir: &Path,
) -> Result<Extras, SpecError> {
    let raw: RawExtras = serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|err| {
            let field = err.path().to_string();
            let line = err.inner().location().map(|loc| loc.line());
            let text = err.inner().to_string();
            let text = match text.split_once(": ") {
                Some((yaml_path, rest)) if field.starts_with(yaml_path) => rest.to_string(),
                _ => text,
            };
            let (message, hint) = split_serde_message(&text);
            SpecError::new(shown, line, field, message, hint)
        })?;
    let port = raw
        .port
        .map(|field| port_program(field, shell))
        .transpose()
        .map_err(|(message, hint)| {
            SpecError::new(shown, key_line(text, "port"), "port", message, &hint)
        })?;
    let generate = raw
        .generate
        .map(|raw| generate::build(raw, jail_dir))
        .transpose()
        .map_err(|p| {
            SpecError::new(
                shown,
                key_line(text, "generate"),
                p.field,
                p.message,
                &p.hint,
            )
        })?;
    Ok(Extras { port, generate })
}

/// The port's program, by the same rules as `command:` (the spec's `shell` applies to both).
fn port_program(field: CommandField, shell: bool) -> Result<Program, (String, String)> {
    match (field, shell) {
        (CommandField::List(argv), _) if argv.first().is_none_or(String::is_empty) => Err((
            "names no program".into(),
            "write e.g. `port: [./target/release/report]`".into(),
        )),
        (CommandField::List(argv), false) => Ok(Program::Argv(argv)),
        (CommandField::List(mut argv), true) if argv.len() == 1 => {
            Ok(Program::Shell(argv.remove(0)))
        }
        (CommandField::Text(script), true) if !script.trim().is_empty() => {
            Ok(Program::Shell(script))
        }
        (CommandField::Text(script), false) => Err((
            format!("\"{script}\" is a string, but commands run without a shell"),
            "write an argv list like `[sh, \"{jail}/report.sh\"]`, or set `shell: true` (it applies to `command` and `port`)".into(),
        )),
        (_, true) => Err((
            "`shell: true` needs one script string".into(),
            "write the port as one string, e.g. `port: \"sh {jail}/report.sh\"`".into(),
        )),
    }
}
