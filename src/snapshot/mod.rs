//! Snapshot files: one insta-format `.snap` file per jail holding every case.
//!
//! A file is insta's format — a YAML header between `---` lines, then the body — so
//! `cargo insta review`, `accept`, `reject` and `test --check` work on it. The header says
//! what the file is and how it was produced; `info.kaizen` marks it as a kaizen snapshot:
//!
//! ```yaml
//! ---
//! source: tests/invoice.rs
//! description: "kaizen characterization of `invoice_total`: 3 cases from list (3)"
//! expression: invoice_total
//! info:
//!   kaizen: 1
//!   jail: invoice_total
//!   input_type: "(u32, alloc::string::String)"
//!   cases: 3
//!   sources:
//!   - list (3)
//!   seed: null
//! ---
//! - input:
//!   - 3
//!   - VIP
//!   returned: 27
//! ```
//!
//! Files are written atomically (a temporary file in the same directory, fsync, rename), so
//! a crash leaves either the old file or the complete new one. A file that cannot be read
//! as a kaizen snapshot is reported with its line and never overwritten.

mod atomic;
pub mod canonical;
pub(crate) mod digest;
pub mod exact;
pub mod format;
pub mod lock;
mod name;
pub(crate) mod size;

pub use name::check_name;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::Error;

pub(crate) use atomic::{TempFile, tmp_prefix};
pub use atomic::{write_atomic, write_atomic_with};

/// The version of the snapshot format this kaizen writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The YAML header of a snapshot file: insta's metadata fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    /// The file that produced the snapshot (the test, or the jail spec).
    pub source: Option<String>,
    /// The line of the call that produced it (pending files only, as insta does).
    pub assertion_line: Option<u32>,
    /// A sentence saying what the file is.
    pub description: Option<String>,
    /// The jail's name (insta shows it as the snapshot's expression).
    pub expression: Option<String>,
    /// kaizen's own description of the recording.
    pub info: Option<Info>,
}
crate::serde_fields::serde_fields!(Header { source = default if Option::is_none, assertion_line = default if Option::is_none, description = default if Option::is_none, expression = default if Option::is_none, info = default if Option::is_none });

/// How a snapshot was produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    /// The snapshot format version ([`FORMAT_VERSION`]).
    pub kaizen: u32,
    /// The jail's name.
    pub jail: String,
    /// The input type the cases were recorded for.
    pub input_type: String,
    /// Number of cases in the body.
    pub cases: usize,
    /// One line per input source.
    pub sources: Vec<String>,
    /// The seed of the generated inputs, if any.
    pub seed: Option<u64>,
    /// For a command jail naming its program bare: the file that ran
    /// (`python3 → /usr/bin/python3`). Older snapshots have none.
    pub program: Option<String>,
    /// What the jail redacted in each output before it was written (`.created_at →
    /// [timestamp]`), in the order applied. Older snapshots have none.
    pub redactions: Vec<String>,
    /// Written only when one stop (a panic, a timeout, an exit) holds most of the cases: the
    /// inputs mostly stop at one guard. A file without it (older files too) has no such note.
    pub behaviours: Option<BehaviourNote>,
    /// Set when the cases were reduced by `kaizen strength --minimize`: only the inputs the
    /// file holds are replayed (the sources' other inputs are left out, not new). A file
    /// without it holds every input its sources make.
    pub minimized: Option<MinimizedNote>,
}
crate::serde_fields::serde_fields!(Info { kaizen, jail, input_type, cases, sources = default, seed = default, program = default if Option::is_none, redactions = default if Vec::is_empty, behaviours = default if Option::is_none, minimized = default if Option::is_none });

/// The header's note on a reduced case set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinimizedNote {
    /// Cases before reducing.
    pub from: usize,
    /// Mutants the kept cases kill (every one the full set killed).
    pub mutants_killed: usize,
}
crate::serde_fields::serde_fields!(MinimizedNote {
    from,
    mutants_killed
});

/// The header's note on a lopsided characterization (see `distribution`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BehaviourNote {
    /// How many behaviour classes the cases end in.
    pub classes: usize,
    /// The class holding most cases: `panicked: index out of bounds: …`.
    pub largest: String,
    /// How many cases it holds.
    pub largest_cases: usize,
    /// Two inputs that end in it, one line each.
    pub examples: Vec<String>,
}
crate::serde_fields::serde_fields!(BehaviourNote {
    classes,
    largest,
    largest_cases,
    examples
});

/// A snapshot file read from disk.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its header.
    pub header: Header,
    /// kaizen's part of the header.
    pub info: Info,
    /// The body text.
    pub body: String,
    /// The 1-based file line where the body starts.
    pub body_line: usize,
}

impl Loaded {
    /// The cases of the body, checked against the header's case count.
    pub fn cases(&self) -> Result<Vec<format::RawCase<'_>>, Error> {
        // The count comes from the file: trust it only as far as the body can hold cases.
        let mut out = Vec::with_capacity(self.info.cases.min(self.body.len() / 16));
        for case in format::cases(&self.body, self.body_line) {
            out.push(
                case.map_err(|e| {
                    Error::snapshot(&self.path, Some(e.line), e.message, HINT_CORRUPT)
                })?,
            );
        }
        if out.len() != self.info.cases {
            return Err(Error::snapshot(
                &self.path,
                None,
                format!(
                    "the header says {} cases but the file holds {}: it was truncated or edited by hand",
                    self.info.cases,
                    out.len()
                ),
                HINT_CORRUPT,
            ));
        }
        Ok(out)
    }
}

const HINT_CORRUPT: &str =
    "restore the file from version control (`git checkout -- FILE`), or delete it and record again";

/// The pending file that goes with a snapshot: `NAME.snap.new`.
///
/// ```
/// let p = kaizen::snapshot::pending_path(std::path::Path::new("snapshots/a.snap"));
/// assert_eq!(p, std::path::Path::new("snapshots/a.snap.new"));
/// ```
pub fn pending_path(snapshot: &Path) -> PathBuf {
    let mut s = snapshot.as_os_str().to_owned();
    s.push(".new");
    PathBuf::from(s)
}

/// Reads a snapshot file. `Ok(None)` when there is none.
///
/// A file larger than the limit in [`KAIZEN_MAX_SNAPSHOT_SIZE`](crate::env::MAX_SNAPSHOT_SIZE)
/// (default [`DEFAULT_MAX_SNAPSHOT_SIZE`](crate::env::DEFAULT_MAX_SNAPSHOT_SIZE)) is refused
/// before it is read. See [`load_with_limit`].
pub fn load(path: &Path) -> Result<Option<Loaded>, Error> {
    let limit = crate::env::max_snapshot_size(crate::env::process)?;
    load_with_limit(path, limit)
}

/// Reads a snapshot file of at most `limit` bytes. `Ok(None)` when there is none.
///
/// The size is checked before anything is read, and the read itself stops after `limit`
/// bytes, so neither a huge file nor one that grows while it is read can exhaust memory.
///
/// ```
/// # let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("big.snap");
/// std::fs::File::create(&path).unwrap().set_len(10_000).unwrap();
/// let err = kaizen::snapshot::load_with_limit(&path, 4096).unwrap_err().to_string();
/// assert!(err.contains("10000 bytes") && err.contains("KAIZEN_MAX_SNAPSHOT_SIZE"), "{err}");
/// ```
pub fn load_with_limit(path: &Path, limit: u64) -> Result<Option<Loaded>, Error> {
    // Look before opening: opening a FIFO for reading waits until something writes to it.
    match fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, "read the snapshot", e)),
        Ok(meta) if !meta.is_file() => return Err(not_regular(path)),
        Ok(_) => {}
    }
    let file = match fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, "read the snapshot", e)),
    };
    let meta = file
        .metadata()
        .map_err(|e| Error::io(path, "read the snapshot", e))?;
    if !meta.is_file() {
        return Err(not_regular(path));
    }
    if meta.len() > limit {
        return Err(too_large(path, meta.len(), limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "read the snapshot", e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit));
    }
    parse(path, bytes).map(Some)
}

fn not_regular(path: &Path) -> Error {
    Error::snapshot(
        path,
        None,
        "this is not a regular file (a directory, a device or a pipe?)",
        "remove whatever is at this path so kaizen can record the snapshot there",
    )
}

fn too_large(path: &Path, size: u64, limit: u64) -> Error {
    let var = crate::env::MAX_SNAPSHOT_SIZE;
    Error::snapshot(
        path,
        None,
        format!(
            "the file is {size} bytes ({}), more than the {} limit for a snapshot",
            show_size(size),
            show_size(limit)
        ),
        format!(
            "a snapshot this big was almost certainly not written by kaizen: check the file and restore it from version control; if it is real, raise the limit with {var} (e.g. {var}=2G) or split the jail's cases"
        ),
    )
}

/// `1.5 GiB`, `256 MiB`, `12 KiB`, `900 bytes`.
fn show_size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift {
            let value = bytes as f64 / (1u64 << shift) as f64;
            return if bytes.is_multiple_of(1 << shift) {
                format!("{value:.0} {unit}")
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// Parses the bytes of a snapshot file read from `path`.
///
/// Never panics, whatever the bytes: anything that is not a complete kaizen snapshot is an
/// [`Error::Snapshot`] naming the file and, where there is one, the line. Windows line
/// endings and a UTF-8 byte order mark (added by editors or `git config core.autocrlf`) are
/// read as if they were not there.
pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Loaded, Error> {
    let text = normalize(utf8_text(path, bytes)?);
    refuse_conflict_markers(path, &text)?;
    let close = header_end(path, &text)?;
    let header_text = &text[4..4 + close];
    let header = read_header(path, header_text)?;
    let info = kaizen_info(path, &header, header_text)?;
    let header_lines = header_text.matches('\n').count();
    // `---\n`, the header, `---\n`: the body starts on the line after the closing one.
    let body_line = 1 + 1 + header_lines + 1;
    let mut body = text;
    body.drain(..4 + close + 4);
    Ok(Loaded {
        path: path.to_path_buf(),
        header,
        info,
        body,
        body_line,
    })
}

/// The file's text: refuses an empty file and one that is not UTF-8 (naming the line).
fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.is_empty() {
        return Err(Error::snapshot(
            path,
            None,
            "the file is empty",
            HINT_CORRUPT,
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::snapshot(
            path,
            Some(line),
            "the file is not UTF-8 text (binary data?)",
            HINT_CORRUPT,
        )
    })
}

/// Refuses a file with git merge conflict markers, naming the first one's line.
fn refuse_conflict_markers(path: &Path, text: &str) -> Result<(), Error> {
    match conflict_marker_line(text) {
        None => Ok(()),
        Some(line) => Err(Error::snapshot(
            path,
            Some(line),
            "the file contains merge conflict markers",
            "resolve the conflict: take one side with `git checkout --ours FILE` or `--theirs`, then re-run to see which cases differ (or delete the file and record again)",
        )),
    }
}

/// Where the header ends: the offset, after the opening `---\n`, of the closing `---`
/// line. Refuses a file without both lines, and one cut off in the middle of a line.
fn header_end(path: &Path, text: &str) -> Result<usize, Error> {
    let Some(after_open) = text.strip_prefix("---\n") else {
        return Err(Error::snapshot(
            path,
            Some(1),
            "the file does not start with a `---` header line",
            HINT_CORRUPT,
        ));
    };
    if !text.ends_with('\n') {
        return Err(Error::snapshot(
            path,
            Some(text.matches('\n').count() + 1),
            "the file ends in the middle of this line: it was truncated",
            HINT_CORRUPT,
        ));
    }
    find_line(after_open, "---").ok_or_else(|| {
        Error::snapshot(
            path,
            None,
            "the header has no closing `---` line (truncated file?)",
            HINT_CORRUPT,
        )
    })
}

/// The header's YAML, with the file line of a syntax error.
fn read_header(path: &Path, header_text: &str) -> Result<Header, Error> {
    serde_yaml::from_str(header_text).map_err(|e| {
        let line = e.location().map(|l| l.line() + 1);
        Error::snapshot(
            path,
            line,
            format!("the header is not valid: {e}"),
            HINT_CORRUPT,
        )
    })
}

/// kaizen's part of the header: present, and of the format version this kaizen reads.
fn kaizen_info(path: &Path, header: &Header, header_text: &str) -> Result<Info, Error> {
    let Some(info) = header.info.clone() else {
        return Err(Error::snapshot(
            path,
            None,
            "this is not a kaizen snapshot: its header has no `info.kaizen` field",
            "if it is an ordinary insta snapshot, give the jail another name; otherwise restore it from version control",
        ));
    };
    if info.kaizen == FORMAT_VERSION {
        return Ok(info);
    }
    let (message, hint) = if info.kaizen > FORMAT_VERSION {
        (
            format!(
                "the snapshot uses format version {}, this kaizen reads version {FORMAT_VERSION}",
                info.kaizen
            ),
            "upgrade kaizen to the version that recorded it",
        )
    } else {
        (
            format!(
                "the snapshot says format version {}, which no kaizen ever wrote (this one writes version {FORMAT_VERSION})",
                info.kaizen
            ),
            HINT_CORRUPT,
        )
    };
    let line = header_text
        .lines()
        .position(|l| l.trim_start().starts_with("kaizen:"))
        .map(|i| i + 2);
    Err(Error::snapshot(path, line, message, hint))
}

/// Drops a UTF-8 byte order mark and turns `\r\n` into `\n`. kaizen never writes either (a
/// carriage return inside a value is always escaped), so both come from editors or git.
fn normalize(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains("\r\n") {
        text = text.replace("\r\n", "\n");
    }
    text
}

/// Byte offset in `text` of the first line equal to `wanted`.
fn find_line(text: &str, wanted: &str) -> Option<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == wanted && line.ends_with('\n') {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// 1-based line of the first git merge conflict marker, if any.
fn conflict_marker_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.starts_with("<<<<<<< ")
                || l == "======="
                || l.starts_with(">>>>>>> ")
                || l == "<<<<<<<"
        })
        .map(|i| i + 1)
}

/// The full text of a snapshot file.
pub fn render(header: &Header, body: &str) -> String {
    let header_text = render_header(header);
    let mut out = String::with_capacity(header_text.len() + body.len() + 1);
    out.push_str(&header_text);
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The header of a file as [`render`] writes it, both `---` lines included.
pub fn render_header(header: &Header) -> String {
    let header_text = serde_yaml::to_string(header).unwrap_or_default();
    format!("---\n{header_text}---\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        let header = Header {
            source: Some("tests/a.rs".into()),
            assertion_line: None,
            description: Some("d".into()),
            expression: Some("a".into()),
            info: Some(Info {
                kaizen: 1,
                jail: "a".into(),
                input_type: "u8".into(),
                cases: 2,
                sources: vec!["list (2)".into()],
                seed: None,
                program: None,
                redactions: Vec::new(),
                behaviours: None,
                minimized: None,
            }),
        };
        render(
            &header,
            "- input: 1\n  returned: 1\n- input: 2\n  returned: 4\n",
        )
    }

    #[test]
    fn a_rendered_file_parses_back_with_the_body_line_numbers_right() {
        let text = sample();
        let loaded = parse(Path::new("a.snap"), text.clone().into_bytes()).unwrap();
        let cases = loaded.cases().unwrap();
        assert_eq!(cases.len(), 2);
        let line_of_second = text.lines().position(|l| l == "- input: 2").unwrap() + 1;
        assert_eq!(cases[1].line, line_of_second);
    }

    #[test]
    fn conflict_markers_are_reported_with_their_line() {
        let text = sample().replace("- input: 2\n", "<<<<<<< HEAD\n- input: 2\n");
        let err = parse(Path::new("a.snap"), text.into_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("merge conflict"), "{err}");
        assert!(err.starts_with("a.snap:"), "{err}");
    }

    #[test]
    fn a_truncated_file_is_reported() {
        let text = sample();
        let cut = &text[..text.len() - 14];
        let loaded = parse(Path::new("a.snap"), cut.as_bytes().to_vec());
        let err = match loaded {
            Ok(l) => l.cases().map(|_| ()).unwrap_err(),
            Err(e) => e,
        };
        let msg = err.to_string();
        assert!(msg.contains("a.snap"), "{msg}");
    }
}
