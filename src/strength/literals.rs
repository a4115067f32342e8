//! The literals strengthening builds its candidates around: the integers and floats on the
//! survivors' lines and in their replacements (`weight > 20` gives 19, 20, 21; `rate >=
//! 2.5` gives the floats just below and above 2.5), and the string literals of the files
//! they are in (`tier == "GOLD"`), read with a small scanner that skips comments.

use std::collections::BTreeMap;
use std::path::Path;

use super::outcomes::Mutant;
use crate::strengthen::values::Literals;

/// The most string literals taken from the survivors' files (the shortest).
pub const MAX_STRINGS: usize = 12;

/// The literals of the survivors, read from their files under `root`.
pub fn literals(root: &Path, survivors: &[Mutant]) -> Literals {
    let mut found = Literals::default();
    let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
    for m in survivors {
        let source = texts
            .entry(m.file.clone())
            .or_insert_with(|| std::fs::read_to_string(root.join(&m.file)).ok());
        let mut text = m.replacement.clone();
        if let Some(line) = source
            .as_deref()
            .and_then(|s| s.lines().nth(m.span.start.line.saturating_sub(1)))
        {
            text.push(' ');
            text.push_str(line);
        }
        numbers(&text, &mut found);
    }
    for source in texts.values().flatten() {
        for s in strings(source) {
            if !found.strings.contains(&s) {
                found.strings.push(s);
            }
        }
    }
    found
        .strings
        .sort_by_key(|s| (s.chars().count(), s.clone()));
    found.strings.truncate(MAX_STRINGS);
    found
}

/// The integer and float literals in `text` (digits, with a fraction or exponent for a
/// float; `_` separators and type suffixes allowed).
fn numbers(text: &str, found: &mut Literals) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !is_word(bytes[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let fraction = i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit();
        if fraction {
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
        }
        let token: String = text[start..i].chars().filter(|&c| c != '_').collect();
        push_number(strip_suffix(&token), fraction, found);
    }
}

/// A literal without its type suffix (`20u32` → `20`, `2.5f64` → `2.5`).
fn strip_suffix(token: &str) -> &str {
    for suffix in [
        "i128", "u128", "isize", "usize", "i64", "u64", "i32", "u32", "i16", "u16", "i8", "u8",
        "f64", "f32",
    ] {
        if let Some(stripped) = token.strip_suffix(suffix) {
            return stripped;
        }
    }
    token
}

fn push_number(token: &str, float: bool, found: &mut Literals) {
    let float = float || (token.contains(['e', 'E']) && !token.starts_with("0x"));
    if float {
        if let Ok(f) = token.parse::<f64>()
            && !found.floats.iter().any(|x| x.to_bits() == f.to_bits())
        {
            found.floats.push(f);
        }
    } else if let Ok(n) = token.parse::<i128>()
        && !found.ints.contains(&n)
    {
        found.ints.push(n);
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The string literals of a Rust source (`"…"`, with `\"` and `\\` escapes read; raw
/// strings `r"…"`, `r#"…"#`), outside comments; character literals are skipped.
pub fn strings(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '\'' if chars.get(i + 2) == Some(&'\'') => i += 3,
            '\'' if chars.get(i + 1) == Some(&'\\') => {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            'r' if matches!(chars.get(i + 1), Some('"' | '#'))
                && (i == 0 || !chars[i - 1].is_alphanumeric()) =>
            {
                let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
                let open = i + 1 + hashes;
                if chars.get(open) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let rest: String = chars[open + 1..].iter().collect();
                let end = rest.find(&close).unwrap_or(rest.len());
                out.push(rest[..end].to_string());
                i = open + 1 + rest[..end].chars().count() + close.chars().count();
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                        s.push(match chars[i] {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    } else {
                        s.push(chars[i]);
                    }
                    i += 1;
                }
                out.push(s);
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.retain(|s| !s.contains('{') && !s.contains('\n'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_and_floats_are_read_with_their_suffixes_and_separators() {
        let mut found = Literals::default();
        numbers(
            "if w > 20u32 && rate >= 2.5 || x == 1_000 || y < 1e3 || v.0 > 7",
            &mut found,
        );
        assert_eq!(found.ints, [20, 1000, 0, 7]);
        assert_eq!(found.floats, [2.5, 1000.0]);
    }

    #[test]
    fn string_literals_are_read_outside_comments() {
        let source = r##"
            // "not this"
            /* nor "this" */
            fn f(t: &str, c: char) -> bool { t == "GOLD" || t == r#"SIL"VER"# || c == '"' || t == "a\"b" }
            fn g() { println!("{} done", 1); }
        "##;
        assert_eq!(strings(source), ["GOLD", "SIL\"VER", "a\"b"]);
    }
}
