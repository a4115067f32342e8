//! A program's output as people read it in a report: the text itself, with a marker where it
//! has no final newline.
//!
//! YAML says "no final newline" in ways a reader easily misses: a block scalar's `|-`, a
//! plain scalar (`stdout: a b`), a quoted one (`stdout: '''a b'''`). In the behaviour shown
//! in a report, each such text of a program's output — `stdout`, `stderr`, each captured file
//! under `files`, also in their `bytes:` form — is written as a block followed by a line
//! `⏎ no newline at end`, so a diff of an output that gained or lost its final newline is
//! one marked line. Only what is shown changes: snapshots keep their YAML.

/// The line that follows an output text without a final newline.
pub const NO_NEWLINE: &str = "⏎ no newline at end";

/// `display` (a dedented behaviour) with every output text without a final newline written
/// as a block and the marker.
pub(crate) fn mark_missing_newlines(display: &str) -> String {
    let lines: Vec<&str> = display.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut in_files = false;
    let mut parent: Option<usize> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            in_files = line == "files:";
        }
        let is_output = match indent {
            0 => line.starts_with("stdout:") || line.starts_with("stderr:"),
            2 => in_files && !line[2..].starts_with(['\'', '"', '?']),
            _ => false,
        } || (parent == Some(indent.wrapping_sub(2))
            && line[indent..].starts_with("bytes:"));
        parent = None;
        let Some((key, value)) = is_output.then(|| split_key(line)).flatten() else {
            out.push(line.to_string());
            i += 1;
            continue;
        };
        if value.is_empty() {
            // `stdout:` with its value below (`bytes: …`).
            parent = Some(indent);
            out.push(line.to_string());
            i += 1;
            continue;
        }
        i += 1;
        if let Some(header) = stripped_block(value) {
            out.push(format!("{key}: {header}"));
            let mut content_indent = indent + 2;
            while i < lines.len() && is_inside(lines[i], indent) {
                let l = lines[i];
                if !l.trim().is_empty() {
                    content_indent = l.len() - l.trim_start_matches(' ').len();
                }
                out.push(l.to_string());
                i += 1;
            }
            out.push(format!("{}{NO_NEWLINE}", " ".repeat(content_indent)));
            continue;
        }
        let continued = i < lines.len() && is_inside(lines[i], indent);
        match one_line_text(value) {
            Some(text) if !continued => {
                let pad = " ".repeat(indent + 2);
                out.push(format!("{key}: |"));
                out.push(format!("{pad}{text}"));
                out.push(format!("{pad}{NO_NEWLINE}"));
            }
            _ => out.push(line.to_string()),
        }
    }
    out.join("\n")
}

/// `key: value` split at the first `: ` (or a final `:`), the key with its indentation.
fn split_key(line: &str) -> Option<(&str, &str)> {
    if let Some(key) = line.strip_suffix(':') {
        return Some((key, ""));
    }
    let at = line.find(": ")?;
    Some((&line[..at], &line[at + 2..]))
}

/// A line that belongs to the value of a key indented `indent`: more indented, or empty.
fn is_inside(line: &str, indent: usize) -> bool {
    line.trim().is_empty() || line.len() - line.trim_start_matches(' ').len() > indent
}

/// The header of a block scalar that strips its final newline (`|-`, `|2-`), without the
/// `-`: `|`, `|2`.
fn stripped_block(value: &str) -> Option<&str> {
    let header = value.strip_suffix('-')?;
    let digits = header.strip_prefix('|')?;
    digits.chars().all(|c| c.is_ascii_digit()).then_some(header)
}

/// The text of a scalar written on one line, when it can be shown as it is: plain, or
/// single-quoted without leading or trailing spaces. Double-quoted text (with escapes) and
/// anything else stay as written.
fn one_line_text(value: &str) -> Option<String> {
    let first = value.chars().next()?;
    if first == '\'' {
        let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        let text = inner.replace("''", "'");
        let bare = !text.is_empty() && text.trim() == text;
        return bare.then_some(text);
    }
    if "\"|>{[&*!%@`#".contains(first) {
        return None;
    }
    Some(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(display: &str) -> String {
        mark_missing_newlines(display)
    }

    #[test]
    fn a_plain_or_quoted_one_line_output_becomes_a_block_with_the_marker() {
        assert_eq!(
            marked("exit: 0\nstdout: a b\nstderr: '''a b'''"),
            "exit: 0\nstdout: |\n  a b\n  ⏎ no newline at end\nstderr: |\n  'a b'\n  ⏎ no newline at end"
        );
    }

    #[test]
    fn a_stripped_block_gets_the_marker_after_its_last_line() {
        assert_eq!(
            marked("exit: 0\nstdout: |-\n  x\n\n  y\nstderr: |\n  e"),
            "exit: 0\nstdout: |\n  x\n\n  y\n  ⏎ no newline at end\nstderr: |\n  e"
        );
        assert_eq!(
            marked("stdout: |2-\n    lead\n  x"),
            "stdout: |2\n    lead\n  x\n  ⏎ no newline at end"
        );
    }

    #[test]
    fn captured_files_and_bytes_are_outputs_too() {
        assert_eq!(
            marked("exit: 0\nfiles:\n  out.txt: done\n  b.bin:\n    bytes: caf\\xe9"),
            "exit: 0\nfiles:\n  out.txt: |\n    done\n    ⏎ no newline at end\n  b.bin:\n    bytes: |\n      caf\\xe9\n      ⏎ no newline at end"
        );
        assert_eq!(
            marked("stdout:\n  bytes: |-\n    caf\\xe9"),
            "stdout:\n  bytes: |\n    caf\\xe9\n    ⏎ no newline at end"
        );
    }

    #[test]
    fn everything_else_is_left_as_written() {
        for display in [
            "returned: a b",
            "returned:\n  stdout: a b",
            "exit: 0\nstdout: |\n  a b",
            "exit: 0\nstdout: \"tab\\there\"",
            "stdout: '  lead'",
            "stdout: |+\n  x\n",
            "timeout: 10s",
            "cut: stdout over 1 MiB\nstdout: |\n  y",
        ] {
            assert_eq!(marked(display), display);
        }
    }
}
