//! Reading a snapshot file case by case, holding one chunk of it in memory at a time.
//!
//! The verifier reads the body along the recording (inputs, then behaviours) instead of
//! loading it: verifying a million cases then needs memory for a chunk, not the file. Any
//! irregularity — a header this reader does not recognise, text that is not UTF-8, a line
//! that does not fit the format (a merge conflict marker among them) — is reported
//! as [`Unusual`], and the caller falls back to [`crate::snapshot::load`], which reports the
//! problem properly.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::{RawCase, cases};
use crate::snapshot::{self, Loaded};

/// Bytes read at a time.
const CHUNK: usize = 1 << 20;

/// The file is not one this reader handles; the caller falls back to loading it.
#[derive(Debug)]
pub(crate) struct Unusual;

/// Why reading stopped early.
pub(crate) enum Stop<E> {
    /// The file needs the careful reader.
    Unusual,
    /// The callback stopped with this.
    Callback(E),
}

/// An open snapshot file whose header has been read.
pub(crate) struct Reader {
    file: File,
    /// The header (with an empty body), as [`snapshot::parse`] reads it.
    pub(crate) header: Loaded,
    /// Body bytes read along with the header.
    start: Vec<u8>,
}

/// Opens `path` and reads its header. `Ok(None)` when there is no file. A file over `limit`
/// bytes is [`Unusual`] (the careful reader refuses it with a message).
pub(crate) fn open(path: &Path, limit: u64) -> Result<Option<Reader>, Unusual> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(Unusual),
    };
    // Anything the full loader would refuse (over the size limit, cut mid-line, …) goes to
    // the loading path, which reports it.
    let size = file.metadata().map_err(|_| Unusual)?.len();
    if size > limit || size == 0 {
        return Err(Unusual);
    }
    let mut start = Vec::new();
    read_chunk(&mut file, &mut start).map_err(|_| Unusual)?;
    let close = header_end(&start).ok_or(Unusual)?;
    let header = snapshot::parse(path, start[..close].to_vec()).map_err(|_| Unusual)?;
    start.drain(..close);
    Ok(Some(Reader {
        file,
        header,
        start,
    }))
}

/// The length of the header, closing `---\n` included, when the text starts with a header
/// whose closing line is exactly `---\n`.
fn header_end(text: &[u8]) -> Option<usize> {
    let after_open = text.strip_prefix(b"---\n")?;
    let mut at = 4;
    for line in after_open.split_inclusive(|&b| b == b'\n') {
        if !line.ends_with(b"\n") {
            return None;
        }
        at += line.len();
        if line.starts_with(b"---") && line[3..].iter().all(|&b| b == b'\r' || b == b'\n') {
            return (line == b"---\n").then_some(at);
        }
    }
    None
}

/// Appends up to [`CHUNK`] bytes; returns how many were read (0 at the end of the file).
fn read_chunk(file: &mut File, buf: &mut Vec<u8>) -> io::Result<usize> {
    let taken = file.take(CHUNK as u64).read_to_end(buf)?;
    Ok(taken)
}

impl Reader {
    /// The open file.
    pub(crate) fn file(&self) -> &File {
        &self.file
    }

    /// Calls `f` with each case of the body, in order; returns the number of cases.
    pub(crate) fn each_case<E>(
        mut self,
        mut f: impl FnMut(RawCase<'_>) -> Result<(), E>,
    ) -> Result<usize, Stop<E>> {
        let mut buf = std::mem::take(&mut self.start);
        let mut line = self.header.body_line;
        let mut count = 0;
        let mut eof = false;
        loop {
            if !eof && read_chunk(&mut self.file, &mut buf).map_err(|_| Stop::Unusual)? == 0 {
                eof = true;
            }
            // Process up to the last line that starts a case: everything before it is
            // complete cases.
            let end = if eof {
                if !buf.is_empty() && !buf.ends_with(b"\n") {
                    return Err(Stop::Unusual);
                }
                buf.len()
            } else {
                match buf.windows(2).rposition(|w| w == b"\n-") {
                    Some(at) => at + 1,
                    None => continue,
                }
            };
            // A merge conflict marker starts at column 0 and is no case: the splitter
            // rejects it like any other line that does not fit.
            let text = std::str::from_utf8(&buf[..end]).map_err(|_| Stop::Unusual)?;
            let mut iter = cases(text, line);
            for case in &mut iter {
                f(case.map_err(|_| Stop::Unusual)?).map_err(Stop::Callback)?;
                count += 1;
            }
            line = iter.line;
            buf.drain(..end);
            if eof {
                return Ok(count);
            }
        }
    }
}
