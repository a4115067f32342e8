//! Scrubbing: replacing run-specific text (temp paths, timestamps) in captured output.

use std::borrow::Cow;

use regex::bytes::Regex;

/// What the default scrub puts where the case directory's path was.
pub(crate) const CASE_DIR_MARK: &[u8] = b"[case_dir]";
/// What the default scrub puts where the spec's folder (`{jail}`) was.
pub(crate) const JAIL_DIR_MARK: &[u8] = b"[jail]";
/// What the default scrub puts where the project's folder (`{root}`) was.
pub(crate) const ROOT_MARK: &[u8] = b"[root]";

/// A path and the mark that replaces it in captured output.
pub(crate) type PathMark = (Vec<u8>, &'static [u8]);

/// The marks for a folder's path, if the path is specific enough to find in output without
/// hitting unrelated text: at least two components (`/home/ann`), so `/` or `/srv` is left
/// alone.
pub(crate) fn path_mark(path: &std::path::Path, mark: &'static [u8]) -> Option<PathMark> {
    use std::os::unix::ffi::OsStrExt;
    let specific = path
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .count()
        >= 2;
    specific.then(|| (path.as_os_str().as_bytes().to_vec(), mark))
}

/// Scrubs captured bytes: first every path in `paths` becomes its mark, in order (the
/// case directory's spellings, then the spec's folder, then the project's: the most
/// specific first), then the spec's scrubbers apply in spec order.
///
/// The paths go first so a spec scrubber (say, one for digits) cannot half-rewrite a
/// random temp path before it is recognised; spec scrubbers can still match the marks.
/// Regexes match in the UTF-8 parts of the bytes; invalid bytes stay untouched.
pub(crate) fn scrub(bytes: &[u8], paths: &[PathMark], scrubs: &[(Regex, String)]) -> Vec<u8> {
    let mut text = bytes.to_vec();
    for (path, mark) in paths {
        if memchr::memmem::find(&text, path).is_some() {
            text = replace_literal(&text, path, mark);
        }
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
        let dirs = vec![(b"/tmp/kaizen-case-a1b2".to_vec(), CASE_DIR_MARK)];
        let scrubs = vec![(Regex::new(r"\d").unwrap(), "N".to_string())];
        let out = scrub(b"at /tmp/kaizen-case-a1b2/x 42\xff", &dirs, &scrubs);
        assert_eq!(out, b"at [case_dir]/x NN\xff".to_vec());
    }

    #[test]
    fn the_spec_folder_is_scrubbed_before_the_project_folder() {
        let root = std::path::Path::new("/home/ann/shop");
        let jail = root.join("jail");
        let paths: Vec<PathMark> = [path_mark(&jail, JAIL_DIR_MARK), path_mark(root, ROOT_MARK)]
            .into_iter()
            .flatten()
            .collect();
        let out = scrub(
            b"File \"/home/ann/shop/jail/report.py\", line 3 in /home/ann/shop/data",
            &paths,
            &[],
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "File \"[jail]/report.py\", line 3 in [root]/data"
        );
    }

    #[test]
    fn a_folder_too_short_to_recognise_is_not_scrubbed() {
        assert!(path_mark(std::path::Path::new("/"), ROOT_MARK).is_none());
        assert!(path_mark(std::path::Path::new("/srv"), ROOT_MARK).is_none());
        assert!(path_mark(std::path::Path::new("/srv/app"), ROOT_MARK).is_some());
    }
}
