//! Capturing output within limits: the pipe readers of stdout and stderr (the files a
//! program wrote are collected by [`super::captured`]).

use std::io::{self, Read};

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
