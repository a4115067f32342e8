//! Literals harvested from a legacy program's source, for the pools of generated cases.
//!
//! Legacy programs branch on the literals they compare with (`if tier == "GOLD"`, `--top`,
//! `> 100`); drawing arguments and stdin from them finds those branches where random text
//! never does. Each language is read with a real parser, never with regexes:
//!
//! - **Python** with Python's own `ast` module, run as a `python3` subprocess: the exact
//!   grammar of the interpreter that runs the program, with nothing to build;
//! - **shell** (`sh`, `bash`) with the tree-sitter bash grammar, behind the `harvest-shell`
//!   Cargo feature (it compiles a C parser, so it stays out of the default build).
//!
//! Kept: string literals (but docstrings, f-string parts, strings over 64 bytes or holding
//! a newline, `%` or `{` — messages and formats, not inputs), and numbers; each integer `n`
//! gives `n - 1`, `n` and `n + 1`.

use std::path::Path;

/// Harvested literals: strings, and numbers as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pool {
    /// String literals, in source order, without repeats.
    pub strings: Vec<String>,
    /// Numbers and their integer neighbours, as text, without repeats.
    pub numbers: Vec<String>,
}

impl Pool {
    /// Adds another pool's literals that are not in this one yet.
    pub fn extend(&mut self, other: Pool) {
        for s in other.strings {
            self.add_string(s);
        }
        for n in other.numbers {
            push_new(&mut self.numbers, n);
        }
    }

    /// Strings then numbers.
    pub fn all(&self) -> Vec<String> {
        let mut all = self.strings.clone();
        for n in &self.numbers {
            if !all.contains(n) {
                all.push(n.clone());
            }
        }
        all
    }

    fn add_string(&mut self, s: String) {
        let message = s.len() > 64 || s.contains(['\n', '%', '{']);
        if !message {
            push_new(&mut self.strings, s);
        }
    }

    /// Adds a number written as `text`, with its neighbours when it is an integer.
    fn add_number(&mut self, text: &str) {
        match text.parse::<i64>() {
            Ok(n) => {
                for m in [n.checked_sub(1), Some(n), n.checked_add(1)]
                    .into_iter()
                    .flatten()
                {
                    push_new(&mut self.numbers, m.to_string());
                }
            }
            Err(_) => push_new(&mut self.numbers, text.to_string()),
        }
    }
}

fn push_new(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// The language of a source file: by its extension, else by its `#!` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Python,
    Shell,
}

fn language(path: &Path, text: &str) -> Option<Language> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("py") => return Some(Language::Python),
        Some("sh" | "bash") => return Some(Language::Shell),
        _ => {}
    }
    let first = text.lines().next().unwrap_or_default();
    let interpreter = first.strip_prefix("#!")?;
    if interpreter.contains("python") {
        Some(Language::Python)
    } else if ["sh", "bash", "dash"]
        .iter()
        .any(|s| interpreter.split(['/', ' ']).any(|w| w == *s))
    {
        Some(Language::Shell)
    } else {
        None
    }
}

/// Reads the literals of the program at `path` (shown as `shown` in errors). Errors are a
/// message and a hint.
pub fn harvest(path: &Path, shown: &str) -> Result<Pool, (String, String)> {
    let bytes = std::fs::read(path).map_err(|err| {
        (
            format!("cannot read {shown}: {err}"),
            "the path is relative to the spec's folder".to_string(),
        )
    })?;
    let text = String::from_utf8_lossy(&bytes);
    match language(path, &text) {
        Some(Language::Python) => python(path, shown),
        Some(Language::Shell) => shell(&text, shown),
        None => Err((
            format!(
                "{shown}: kaizen harvests Python and shell sources, and cannot tell which this is"
            ),
            "name it `.py` or `.sh`, or start it with a `#!` line naming python3 or sh".into(),
        )),
    }
}

/// The script Python runs: parse with `ast`, print the literals as JSON.
const PYTHON_SCRIPT: &str = r#"
import ast, json, sys
path = sys.argv[1]
try:
    tree = ast.parse(open(path, "rb").read(), path)
except SyntaxError as err:
    print(json.dumps({"error": err.msg, "line": err.lineno}))
    sys.exit(0)
skip = set()
for node in ast.walk(tree):
    body = getattr(node, "body", None)
    if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
            and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        skip.add(id(body[0].value))
    if isinstance(node, ast.JoinedStr):
        skip.update(id(v) for v in node.values)
found = []
for node in ast.walk(tree):
    if isinstance(node, ast.Constant) and id(node) not in skip:
        value = node.value
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, str):
            found.append(["s", value, node.lineno])
        elif isinstance(value, (int, float)):
            found.append(["n", repr(value), node.lineno])
found.sort(key=lambda f: f[2])
print(json.dumps({"literals": [f[:2] for f in found]}))
"#;

#[derive(serde::Deserialize)]
struct PythonReply {
    #[serde(default)]
    literals: Vec<(String, String)>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    line: Option<u64>,
}

fn python(path: &Path, shown: &str) -> Result<Pool, (String, String)> {
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(PYTHON_SCRIPT)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|err| {
            (
                format!("cannot start python3 to read {shown}: {err}"),
                "install python3, or drop the file from `harvest:`".to_string(),
            )
        })?;
    let reply: PythonReply = serde_json::from_slice(&output.stdout).map_err(|_| {
        (
            format!(
                "python3 could not read {shown}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            "check that python3 is Python 3.8 or later".to_string(),
        )
    })?;
    if let Some(error) = reply.error {
        let line = reply.line.map(|l| format!(":{l}")).unwrap_or_default();
        return Err((
            format!("{shown}{line}: not valid Python ({error})"),
            "fix the syntax error, or drop the file from `harvest:`".into(),
        ));
    }
    let mut pool = Pool::default();
    for (kind, value) in reply.literals {
        if kind == "s" {
            pool.add_string(value);
        } else {
            pool.add_number(&value);
        }
    }
    Ok(pool)
}

#[cfg(feature = "harvest-shell")]
fn shell(text: &str, shown: &str) -> Result<Pool, (String, String)> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .map_err(|err| {
            (
                format!("the shell grammar cannot load: {err}"),
                String::new(),
            )
        })?;
    let tree = parser
        .parse(text, None)
        .ok_or_else(|| (format!("{shown}: the shell parser gave up"), String::new()))?;
    let root = tree.root_node();
    if root.has_error() {
        let line = first_error_line(root)
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        return Err((
            format!("{shown}{line}: not valid shell"),
            "fix the syntax error, or drop the file from `harvest:`".into(),
        ));
    }
    let mut pool = Pool::default();
    let mut cursor = root.walk();
    visit_shell(&mut cursor, text.as_bytes(), &mut pool);
    Ok(pool)
}

#[cfg(feature = "harvest-shell")]
fn first_error_line(node: tree_sitter::Node<'_>) -> Option<usize> {
    if node.is_error() || node.is_missing() {
        return Some(node.start_position().row + 1);
    }
    let mut cursor = node.walk();
    let children: Vec<_> = node.children(&mut cursor).collect();
    children.into_iter().find_map(first_error_line)
}

/// Walks the tree depth first, in source order, taking quoted strings, numbers and plain
/// words that are not a command's name.
#[cfg(feature = "harvest-shell")]
fn visit_shell(cursor: &mut tree_sitter::TreeCursor<'_>, source: &[u8], pool: &mut Pool) {
    let node = cursor.node();
    let text = node.utf8_text(source).unwrap_or_default();
    let parent = node.parent().map(|p| p.kind()).unwrap_or_default();
    let mut descend = true;
    match node.kind() {
        "comment" | "heredoc_body" | "command_name" | "variable_name" => descend = false,
        "raw_string" => {
            pool.add_string(text.trim_matches('\'').to_string());
            descend = false;
        }
        "string" => {
            let mut inner = node.walk();
            let plain = node
                .named_children(&mut inner)
                .all(|c| c.kind() == "string_content");
            if plain {
                pool.add_string(text[1..text.len().saturating_sub(1).max(1)].to_string());
            }
        }
        "number" => pool.add_number(text),
        // A `case` pattern such as `--top)`: the grammar reads some as glob patterns.
        "extglob_pattern" if !text.contains(['$', '`', '*', '?', '[', '(', '|', '@', '!', '+']) => {
            pool.add_string(text.to_string());
        }
        "word" if parent != "command_name" && !text.contains(['$', '`', '*', '?', '[']) => {
            if text.parse::<i64>().is_ok() {
                pool.add_number(text);
            } else {
                pool.add_string(text.to_string());
            }
        }
        _ => {}
    }
    if descend && cursor.goto_first_child() {
        loop {
            visit_shell(cursor, source, pool);
            if !cursor.goto_next_sibling() {
                break;
            }
        }
        cursor.goto_parent();
    }
}

#[cfg(not(feature = "harvest-shell"))]
fn shell(_text: &str, shown: &str) -> Result<Pool, (String, String)> {
    Err((
        format!("{shown} is a shell script, and this kaizen was built without the shell parser"),
        "build kaizen with `--features harvest-shell`, or drop the file from `harvest:`".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn python_literals_are_read_with_pythons_own_parser() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "legacy.py",
            "\"\"\"The module's docstring.\"\"\"\nimport sys\nLIMIT = 100\ndef f(tier):\n    \"\"\"Doc.\"\"\"\n    if tier == 'GOLD' and sys.argv[1:] == ['--top']:\n        print(f'total {tier}', 2.5)\n    print('%-10s' % tier, \"\")\n",
        );
        let pool = harvest(&path, "legacy.py").unwrap();
        assert_eq!(pool.strings, ["GOLD", "--top", ""]);
        assert_eq!(pool.numbers, ["99", "100", "101", "0", "1", "2", "2.5"]);
    }

    #[test]
    fn a_python_syntax_error_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "broken.py", "x = 1\nif x ==\n");
        let (message, _) = harvest(&path, "jail/broken.py").unwrap_err();
        assert_eq!(
            message,
            "jail/broken.py:2: not valid Python (invalid syntax)"
        );
    }

    #[test]
    fn a_file_of_another_language_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "legacy.pl", "print 'hi';\n");
        let (message, hint) = harvest(&path, "legacy.pl").unwrap_err();
        assert!(message.contains("cannot tell which"), "{message}");
        assert!(hint.contains(".py"), "{hint}");
    }

    #[test]
    fn the_language_is_told_by_the_interpreter_line_when_there_is_no_extension() {
        assert_eq!(
            language(Path::new("x"), "#!/usr/bin/env python3\n"),
            Some(Language::Python)
        );
        assert_eq!(
            language(Path::new("x"), "#!/bin/sh -e\n"),
            Some(Language::Shell)
        );
        assert_eq!(language(Path::new("x"), "#!/usr/bin/perl\n"), None);
    }

    #[cfg(not(feature = "harvest-shell"))]
    #[test]
    fn a_shell_script_without_the_shell_feature_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, "legacy.sh", "echo hi\n");
        let (message, hint) = harvest(&path, "jail/legacy.sh").unwrap_err();
        assert!(
            message.contains("built without the shell parser"),
            "{message}"
        );
        assert!(hint.contains("--features harvest-shell"), "{hint}");
    }

    #[cfg(feature = "harvest-shell")]
    #[test]
    fn shell_literals_are_read_with_the_bash_grammar() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "legacy.sh",
            "#!/bin/sh\n# a comment with 'quoted'\nlimit=10\nif [ \"$1\" = 'GOLD' ]; then\n  sort -t, -k2 \"$file\" | head -n \"$limit\"\nfi\ncase $x in --top) echo \"done\";; -q|--quiet) ;; *.csv) ;; esac\n",
        );
        let pool = harvest(&path, "legacy.sh").unwrap();
        assert_eq!(
            pool.strings,
            ["GOLD", "-t,", "-k2", "-n", "--top", "done", "-q", "--quiet"]
        );
        assert_eq!(pool.numbers, ["9", "10", "11"]);
    }

    #[cfg(feature = "harvest-shell")]
    #[test]
    fn a_shell_syntax_error_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "broken.sh",
            "echo ok\nif [ x ]; then\n  echo 'no fi'\n",
        );
        let (message, _) = harvest(&path, "broken.sh").unwrap_err();
        assert!(message.starts_with("broken.sh:"), "{message}");
        assert!(message.ends_with("not valid shell"), "{message}");
    }
}
