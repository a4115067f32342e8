//! One command line that reproduces a case by hand, quoted so it can be pasted into a
//! POSIX shell: `printf 'b,2\na,1\n' | LC_ALL=C TZ=UTC python3 jail/sort.py -n`.
//!
//! Stdin goes through `printf` with every byte that is not printable written as an octal
//! escape (`\351`), so bytes that are not UTF-8, a lone `\r` or a missing final newline
//! survive the paste. Placeholders are filled for a shell in the project folder: `{jail}`
//! as the spec's folder relative to it, `{root}` and `{case_dir}` as `.`. A case with
//! files, or a spec that captures files, runs in a fresh temporary folder instead
//! (`cd "$(mktemp -d)" && printf … > data.csv && …`), with absolute paths. The
//! environment kaizen sets (`LC_ALL=C`, `TZ=UTC`, the spec's and the case's `env`) comes
//! first; the rest is the pasting shell's own.

use std::fmt::Write as _;
use std::path::Path;

use super::case::CommandCase;
use super::spec::{Program, Settings};

/// The case as one shell command line.
pub(crate) fn command_line(settings: &Settings, case: &CommandCase) -> String {
    let in_temp = !case.files.is_empty() || settings.capture.is_some() || settings.cwd.is_some();
    let fill = |text: &str| fill(text, settings, in_temp);
    let mut line = String::new();
    if in_temp {
        line.push_str("cd \"$(mktemp -d)\" && ");
        for (name, data) in &case.files {
            if let Some(parent) = Path::new(name)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                let _ = write!(line, "mkdir -p {} && ", word(&parent.to_string_lossy()));
            }
            let _ = write!(
                line,
                "printf {} > {} && ",
                printf_format(data.as_bytes()),
                word(name)
            );
        }
    }
    if let Some(stdin) = &case.stdin {
        let _ = write!(line, "printf {} | ", printf_format(stdin.as_bytes()));
    }
    line.push_str("LC_ALL=C TZ=UTC");
    for (name, value) in settings.env.iter().chain(&case.env) {
        let _ = write!(line, " {name}={}", word(&fill(value)));
    }
    match &settings.program {
        Program::Argv(argv) => {
            for arg in argv {
                line.push(' ');
                line.push_str(&word(&fill(arg)));
            }
        }
        Program::Shell(script) => {
            let _ = write!(line, " sh -c {} kaizen-jail", word(&fill(script)));
        }
    }
    for arg in &case.args {
        line.push(' ');
        line.push_str(&word(&fill(arg)));
    }
    if case.stdin.is_none() {
        line.push_str(" < /dev/null");
    }
    line
}

/// Fills the placeholders for a shell in the project folder, or with absolute paths.
fn fill(text: &str, settings: &Settings, absolute: bool) -> String {
    let (jail, root) = if absolute {
        (
            settings.jail_dir.to_string_lossy().into_owned(),
            settings.root.to_string_lossy().into_owned(),
        )
    } else {
        let jail = settings
            .jail_dir
            .strip_prefix(&settings.root)
            .map_or_else(|_| settings.jail_dir.clone(), Path::to_path_buf);
        let jail = jail.to_string_lossy().into_owned();
        (if jail.is_empty() { ".".into() } else { jail }, ".".into())
    };
    text.replace("{jail}", &jail)
        .replace("{root}", &root)
        .replace("{case_dir}", ".")
}

/// A word for a POSIX shell: bare when it holds only safe characters, else in single
/// quotes (a quote inside becomes `'\''`).
///
/// ```
/// use kaizen::jail::command::reproduce::word;
/// assert_eq!(word("--top"), "--top");
/// assert_eq!(word("a b"), "'a b'");
/// assert_eq!(word("it's"), "'it'\\''s'");
/// assert_eq!(word(""), "''");
/// ```
pub fn word(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        return text.to_string();
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// A `printf` format that prints exactly `bytes`, in single quotes: `%` doubled, `\`
/// doubled, `\n`, `\r` and `\t` as such, other control bytes, quotes and bytes that are not
/// UTF-8 as three-digit octal escapes; printable UTF-8 text as it is.
///
/// ```
/// use kaizen::jail::command::reproduce::printf_format;
/// assert_eq!(printf_format(b"a,1\r\n5%"), "'a,1\\r\\n5%%'");
/// assert_eq!(printf_format(b"caf\xe9 it's"), "'caf\\351 it\\047s'");
/// assert_eq!(printf_format("é".as_bytes()), "'é'");
/// ```
pub fn printf_format(bytes: &[u8]) -> String {
    let mut out = String::from("'");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '%' => out.push_str("%%"),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\'' => out.push_str("\\047"),
                c if c.is_control() => {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let _ = write!(out, "\\{b:03o}");
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\{b:03o}");
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `printf FORMAT` through `sh` and returns what it printed.
    fn through_sh(format: &str) -> Vec<u8> {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf {format}"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        out.stdout
    }

    #[test]
    fn printf_reproduces_every_byte_through_a_real_shell() {
        let all: Vec<u8> = (0u8..=255).collect();
        assert_eq!(through_sh(&printf_format(&all)), all);
        let text = "naïve 'quoted' \"x\" 100% \\n ends without newline\r".as_bytes();
        assert_eq!(through_sh(&printf_format(text)), text);
    }

    #[test]
    fn a_quoted_word_reaches_the_program_unchanged() {
        for text in ["plain", "two words", "it's", "$HOME", "*", "", "a\"b", "-n"] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s' {}", word(text)))
                .output()
                .unwrap();
            assert_eq!(out.stdout, text.as_bytes(), "{text}");
        }
    }
}
