//! Scrubbing: replacing run-specific text (temp paths, timestamps) in captured output.

use std::borrow::Cow;

use regex::bytes::Regex;

/// What the default scrub puts where the case directory's path was.
pub(crate) const CASE_DIR_MARK: &[u8] = b"[case_dir]";

/// Scrubs captured bytes: first every spelling of the case directory's path
/// becomes `[case_dir]`, then the spec's scrubbers apply in spec order.
///
/// The case directory goes first so a spec scrubber (say, one for digits)
/// cannot half-rewrite the random temp path before it is recognised; spec
/// scrubbers can still match the `[case_dir]` text itself.
/// Regexes match in the UTF-8 parts of the bytes; invalid bytes stay untouched.
pub(crate) fn scrub(bytes: &[u8], case_dirs: &[Vec<u8>], scrubs: &[(Regex, String)]) -> Vec<u8> {
    let mut text = bytes.to_vec();
    for dir in case_dirs {
        text = replace_literal(&text, dir, CASE_DIR_MARK);
    }
    for (regex, replacement) in scrubs {
        if let Cow::Owned(replaced) = regex.replace_all(&text, replacement.as_bytes()) {
            text = replaced;
        }
    }
    text
}

fn replace_literal(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_case_dir_is_scrubbed_before_spec_scrubbers() {
        let dirs = vec![b"/tmp/kaizen-case-a1b2".to_vec()];
        let scrubs = vec![(Regex::new(r"\d").unwrap(), "N".to_string())];
        let out = scrub(b"at /tmp/kaizen-case-a1b2/x 42\xff", &dirs, &scrubs);
        assert_eq!(out, b"at [case_dir]/x NN\xff".to_vec());
    }
}
