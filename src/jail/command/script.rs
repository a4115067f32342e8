//! Placeholders in a `shell: true` script, filled as shell words: a folder named
//! `my project` or `p x;touch canary;#` reaches the script as one word, never as shell
//! syntax.
//!
//! The script is read as `sh` reads quotes: outside quotes a placeholder becomes a
//! single-quoted word; inside single or double quotes the quote is closed, the word
//! inserted and the quote opened again, so `"{jail}/data file.csv"` and
//! `'{root}'/x` work as written.

/// The placeholders and their values.
pub(crate) type Values<'a> = [(&'static str, &'a str); 3];

/// Where the reader is in the script.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// Fills the placeholders of `script` with `values`, each as a quoted shell word.
pub(crate) fn fill_script(script: &str, values: &Values<'_>) -> String {
    let mut out = String::with_capacity(script.len());
    let mut quote = Quote::None;
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '{'
            && let Some((name, value)) = values.iter().find(|(name, _)| rest.starts_with(name))
        {
            out.push_str(&word_in(quote, value));
            rest = &rest[name.len()..];
            continue;
        }
        let taken = match (quote, c) {
            // A backslash keeps the next character as it is (outside single quotes).
            (Quote::None | Quote::Double, '\\') => rest.chars().take(2).map(char::len_utf8).sum(),
            _ => c.len_utf8(),
        };
        quote = match (quote, c) {
            (Quote::None, '\'') => Quote::Single,
            (Quote::None, '"') => Quote::Double,
            (Quote::Single, '\'') | (Quote::Double, '"') => Quote::None,
            (quote, _) => quote,
        };
        out.push_str(&rest[..taken]);
        rest = &rest[taken..];
    }
    out
}

/// `value` as one single-quoted word, placed where the reader is.
fn word_in(quote: Quote, value: &str) -> String {
    let word = format!("'{}'", value.replace('\'', "'\\''"));
    match quote {
        Quote::None => word,
        Quote::Single => format!("'{word}'"),
        Quote::Double => format!("\"{word}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(script: &str, jail: &str) -> String {
        fill_script(
            script,
            &[("{jail}", jail), ("{root}", "/r"), ("{case_dir}", "/c")],
        )
    }

    #[test]
    fn a_placeholder_becomes_one_quoted_word_in_any_quoting() {
        assert_eq!(filled("cat {jail}/x", "/p x"), "cat '/p x'/x");
        assert_eq!(filled("cat \"{jail}/x\"", "/p x"), "cat \"\"'/p x'\"/x\"");
        assert_eq!(filled("cat '{jail}/x'", "/p x"), "cat '''/p x''/x'");
        assert_eq!(filled("echo it\\'s {root}", "/j"), "echo it\\'s '/r'");
        assert_eq!(filled("a '\"' {case_dir}", "/j"), "a '\"' '/c'");
    }

    #[test]
    fn quotes_in_a_folder_name_stay_inside_the_word() {
        assert_eq!(filled("cat {jail}", "/it's"), "cat '/it'\\''s'");
    }
}
