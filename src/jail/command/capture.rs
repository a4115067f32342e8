//! Capturing output within limits: pipe readers and the case-directory file walk.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use super::bytes::Data;
use super::outcome::CapturedFile;
use super::units::format_size;

/// Which pipe a reader drains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// What a reader reports when its pipe closes.
pub(crate) enum Drained {
    /// The stream ended: the first `limit` bytes it carried.
    Done(Vec<u8>),
    /// Reading failed.
    Error(io::Error),
}

/// One output pipe (non-blocking), drained by the runner's poll loop, keeping the first
/// `limit` bytes. Beyond the limit it goes on reading (and counting) without keeping, so
/// the runner can stop the program and the pipe still closes.
pub(crate) struct OutputPipe<R> {
    pipe: Option<R>,
    kept: Vec<u8>,
    seen: u64,
    limit: u64,
    result: Option<Drained>,
}

impl<R: Read> OutputPipe<R> {
    /// A reader of `pipe`; `None` (no pipe) counts as an empty, finished stream.
    pub(crate) fn new(pipe: Option<R>, limit: u64) -> OutputPipe<R> {
        let result = if pipe.is_none() {
            Some(Drained::Done(Vec::new()))
        } else {
            None
        };
        OutputPipe {
            pipe,
            kept: Vec::new(),
            seen: 0,
            limit,
            result,
        }
    }

    /// The open pipe, while the stream is not finished.
    pub(crate) fn pipe(&self) -> Option<&R> {
        self.pipe.as_ref()
    }

    /// True once the stream closed or failed.
    pub(crate) fn finished(&self) -> bool {
        self.result.is_some()
    }

    /// True once the stream carried more than the limit.
    pub(crate) fn over_limit(&self) -> bool {
        self.seen > self.limit
    }

    /// Reads what the pipe holds now, until it would block or the stream ends.
    pub(crate) fn read_available(&mut self, chunk: &mut [u8]) {
        let Some(pipe) = self.pipe.as_mut() else {
            return;
        };
        let result = loop {
            match pipe.read(chunk) {
                Ok(0) => {
                    break Drained::Done(std::mem::take(&mut self.kept));
                }
                Ok(n) => {
                    let room = self.limit.saturating_sub(self.seen);
                    let keep = n.min(usize::try_from(room).unwrap_or(usize::MAX));
                    self.kept.extend_from_slice(&chunk[..keep]);
                    self.seen += n as u64;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => return,
                Err(err) => break Drained::Error(err),
            }
        };
        self.pipe = None;
        self.result = Some(result);
    }

    /// What the stream carried; `None` if it is still open.
    pub(crate) fn into_result(self) -> Option<Drained> {
        self.result
    }
}

/// Collects files under `case_dir` whose relative path matches `globs`.
/// Symbolic links are recorded with their target and never followed; fifos,
/// sockets and devices are recorded by kind and never opened. A regular file
/// over `limit` bytes is an error naming the file and the limit.
pub(crate) fn capture_files(
    case_dir: &Path,
    globs: &globset::GlobSet,
    limit: u64,
) -> Result<BTreeMap<String, CapturedFile>, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![(case_dir.to_path_buf(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        let entries = fs::read_dir(&dir)
            .map_err(|err| format!("cannot list {prefix:?} in the case directory: {err}"))?;
        for entry in entries {
            let entry = entry.map_err(|err| format!("cannot list the case directory: {err}"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let path = entry.path();
            // symlink_metadata: never follows a link.
            let meta = fs::symlink_metadata(&path)
                .map_err(|err| format!("cannot inspect {relative}: {err}"))?;
            let kind = meta.file_type();
            if kind.is_dir() {
                pending.push((path, relative));
                continue;
            }
            if !globs.is_match(&relative) {
                continue;
            }
            let captured = if kind.is_symlink() {
                let target = fs::read_link(&path)
                    .map_err(|err| format!("cannot read the link {relative}: {err}"))?;
                CapturedFile::Symlink(target.to_string_lossy().into_owned())
            } else if kind.is_file() {
                CapturedFile::Content(read_limited(&path, &relative, meta.len(), limit)?)
            } else {
                let what = if kind.is_fifo() {
                    "fifo"
                } else if kind.is_socket() {
                    "socket"
                } else {
                    "device"
                };
                CapturedFile::Special(what.to_string())
            };
            found.insert(relative, captured);
        }
    }
    Ok(found)
}

fn read_limited(path: &Path, relative: &str, size: u64, limit: u64) -> Result<Data, String> {
    let over = |size: u64| {
        format!(
            "captured file {relative} is {size} bytes, over the capture limit of {}; \
             raise `capture.limit` in the spec or narrow `capture.files`",
            format_size(limit)
        )
    };
    if size > limit {
        return Err(over(size));
    }
    let file = fs::File::open(path).map_err(|err| format!("cannot read {relative}: {err}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| format!("cannot read {relative}: {err}"))?;
    if bytes.len() as u64 > limit {
        return Err(over(bytes.len() as u64));
    }
    Ok(Data::from(bytes))
}
