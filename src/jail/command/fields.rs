//! Field types of a jail spec that check themselves while being read, so a
//! bad value is reported at its own line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path};
use std::time::Duration;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::bytes::Data;
use super::error::{SpecError, with_hint};
use super::units::{parse_duration, parse_size};

/// One argument or environment value, exactly as written in the file: a plain scalar
/// such as `0x1F`, `+5`, `0o7`, `True`, `1.50` or `-0` is taken as its source text, never
/// as the number or boolean YAML would read it. An empty value or `null`/`~` is refused
/// (write `""` for an empty argument).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Arg(pub(crate) String);

impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// Tells an empty or null value (refused) from any other.
        struct Present;
        impl<'de> Visitor<'de> for Present {
            type Value = Arg;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_none<E: de::Error>(self) -> Result<Arg, E> {
                Err(E::custom(with_hint(
                    "is empty (null)",
                    "write \"\" for an empty argument",
                )))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Arg, E> {
                self.visit_none()
            }
            fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Arg, D::Error> {
                // `deserialize_str` hands over a scalar's text as written, whatever YAML
                // would make of it.
                inner.deserialize_str(SourceText)
            }
        }
        struct SourceText;
        impl Visitor<'_> for SourceText {
            type Value = Arg;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Arg, E> {
                if text.contains('\0') {
                    return Err(E::custom(with_hint(
                        "contains a NUL character",
                        "arguments and environment values cannot hold NUL; pass such bytes via stdin or files",
                    )));
                }
                Ok(Arg(text.to_string()))
            }
        }
        deserializer.deserialize_option(Present)
    }
}

/// Reads a scalar as text (like [`Arg`]) and checks it *inside* the
/// deserializer call, so serde_yaml reports the scalar's own line.
fn checked_scalar<'de, D, T>(
    deserializer: D,
    check: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct Checked<T>(fn(&str) -> Result<T, String>);
    impl<T> Visitor<'_> for Checked<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            (self.0)(text).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, number: i64) -> Result<T, E> {
            self.visit_str(&number.to_string())
        }
        fn visit_u64<E: de::Error>(self, number: u64) -> Result<T, E> {
            self.visit_str(&number.to_string())
        }
        fn visit_f64<E: de::Error>(self, number: f64) -> Result<T, E> {
            self.visit_str(&number.to_string())
        }
    }
    deserializer.deserialize_any(Checked(check))
}

/// `command:` as written: one string (for `shell: true`) or an argv list.
#[derive(Clone, Debug)]
pub(crate) enum CommandField {
    Text(String),
    List(Vec<String>),
}

impl<'de> Deserialize<'de> for CommandField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CommandVisitor;
        impl<'de> Visitor<'de> for CommandVisitor {
            type Value = CommandField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list like [program, arg, ...]")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<CommandField, E> {
                Ok(CommandField::Text(text.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CommandField, A::Error> {
                let mut argv = Vec::new();
                while let Some(Arg(arg)) = seq.next_element()? {
                    argv.push(arg);
                }
                Ok(CommandField::List(argv))
            }
        }
        deserializer.deserialize_any(CommandVisitor)
    }
}

/// A duration such as "500ms", "10s" or "2m"; never zero.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DurationField(pub(crate) Duration);

impl<'de> Deserialize<'de> for DurationField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked_scalar(deserializer, |text| match parse_duration(text) {
            Some(duration) if !duration.is_zero() => Ok(DurationField(duration)),
            Some(_) => Err(with_hint(
                format!("\"{text}\" is zero"),
                "give the program some time, e.g. \"10s\"",
            )),
            None => Err(with_hint(
                format!("\"{text}\" is not a duration"),
                "write e.g. \"500ms\", \"10s\" or \"2m\"",
            )),
        })
    }
}

/// A byte size such as "10MiB", "512KiB" or 1000; never zero.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SizeField(pub(crate) u64);

impl<'de> Deserialize<'de> for SizeField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked_scalar(deserializer, |text| match parse_size(text) {
            Some(size) if size > 0 => Ok(SizeField(size)),
            _ => Err(with_hint(
                format!("\"{text}\" is not a size above zero"),
                "write e.g. \"64KiB\", \"10MiB\" or a number of bytes",
            )),
        })
    }
}

/// Checks that a path is relative and stays inside its base directory.
pub(crate) fn check_relative(text: &str) -> Result<(), String> {
    let path = Path::new(text);
    if text.is_empty() {
        return Err(with_hint(
            "is empty",
            "write a path relative to its directory",
        ));
    }
    if path.is_absolute() {
        return Err(with_hint(
            format!("\"{text}\" is an absolute path"),
            "write a path relative to its directory, without a leading /",
        ));
    }
    if path.components().any(|c| matches!(c, Component::ParentDir)) {
        return Err(with_hint(
            format!("\"{text}\" climbs out of its directory with `..`"),
            "keep the path inside its directory: remove the `..` parts",
        ));
    }
    Ok(())
}

/// A relative path that stays inside its base directory (no `..`, not absolute).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RelPath(pub(crate) String);

impl<'de> Deserialize<'de> for RelPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked_scalar(deserializer, |text| {
            check_relative(text)?;
            Ok(RelPath(text.to_string()))
        })
    }
}

/// A capture glob, relative to the case directory.
#[derive(Clone, Debug)]
pub(crate) struct GlobField(pub(crate) globset::Glob);

impl<'de> Deserialize<'de> for GlobField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked_scalar(deserializer, |text| {
            check_relative(text)?;
            globset::GlobBuilder::new(text)
                .literal_separator(true)
                .build()
                .map(GlobField)
                .map_err(|err| {
                    with_hint(
                        format!("\"{text}\" is not a valid glob: {}", err.kind()),
                        "write e.g. \"out/*.csv\" or \"**/*.txt\"",
                    )
                })
        })
    }
}

/// A scrubber's regular expression, compiled for bytes (it matches inside
/// the UTF-8 parts of output and never inside invalid bytes).
#[derive(Clone, Debug)]
pub(crate) struct RegexField(pub(crate) regex::bytes::Regex);

impl<'de> Deserialize<'de> for RegexField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        checked_scalar(deserializer, |text| {
            regex::bytes::Regex::new(text)
                .map(RegexField)
                .map_err(|err| {
                    let detail = err.to_string();
                    let last = detail.lines().last().unwrap_or("").trim().to_string();
                    with_hint(
                        format!("'{text}' is not a valid regex ({last})"),
                        "fix the pattern; in YAML single quotes a backslash needs no doubling",
                    )
                })
        })
    }
}

/// The jail's name: the spec's file stem, if it is a plain name.
pub(crate) fn jail_name(spec: &Path) -> Result<String, String> {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let plain = stem
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        Ok(stem.to_string())
    } else {
        Err(format!("\"{stem}\" is not a usable jail name"))
    }
}

pub(crate) fn check_env_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.contains('=') || name.contains('\0') {
        Err(format!(
            "\"{name}\" is not a variable name (empty, or holds `=` or NUL)"
        ))
    } else {
        Ok(())
    }
}

pub(crate) fn env_map(
    raw: BTreeMap<String, Arg>,
    fail: impl Fn(String, &str) -> SpecError,
) -> Result<BTreeMap<String, String>, SpecError> {
    let mut env = BTreeMap::new();
    for (name, Arg(value)) in raw {
        check_env_name(&name).map_err(|message| fail(message, &name))?;
        env.insert(name, value);
    }
    Ok(env)
}

/// The stdin of a case: inline `stdin`, or the content of `stdin_file`
/// (relative to the spec's directory), never both.
pub(crate) fn stdin_of(
    stdin: Option<Data>,
    stdin_file: Option<RelPath>,
    jail_dir: &Path,
    fail: impl Fn(String, &str) -> SpecError,
) -> Result<Option<Data>, SpecError> {
    match (stdin, stdin_file) {
        (Some(_), Some(_)) => Err(fail(
            "sets both `stdin` and `stdin_file`".to_string(),
            "keep one of them",
        )),
        (stdin, None) => Ok(stdin),
        (None, Some(RelPath(file))) => std::fs::read(jail_dir.join(&file))
            .map(|bytes| Some(Data::from(bytes)))
            .map_err(|err| {
                fail(
                    format!("cannot read stdin_file \"{file}\": {err}"),
                    "the path is relative to the spec's directory",
                )
            }),
    }
}
