//! The pending file of a comparison along the recording, written while the comparison runs.
//!
//! Nothing is written while every case behaves as recorded. At the first changed case
//! [`lockstep`](super::lockstep) starts the file: room for the header, then the cases
//! before the change as recorded, then every case as the comparison reaches it, with its
//! behaviour now where it changed. The header names the behaviour classes of the whole run,
//! known only at the end: the room is the header as the recording's classes would make it,
//! and [`Streamed::finish`] writes the real header there when it is as long, else into a new
//! file followed by the body copied (by the kernel where it can). A run that writes no
//! pending file drops its [`Streamed`], and the temporary file with it.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::Error;
use crate::snapshot::TempFile;
use crate::snapshot::format;
use crate::snapshot::size::{self, Biggest};

/// A pending file being written beside `.snap.new`, case by case.
pub(crate) struct Streamed {
    /// The pending file's path.
    path: PathBuf,
    /// The temporary file; `Err` once writing failed (reported by [`Streamed::finish`]).
    file: Result<TempFile, Error>,
    /// Bytes at the start kept for the header.
    room: usize,
    /// Bytes of the cases so far (also those no longer written, see `limit`).
    body: u64,
    /// The cases so far.
    cases: usize,
    /// The biggest cases so far, to name them when the file is over the size limit.
    biggest: Biggest,
    /// The size limit: once the cases alone are over it the file will be refused, so
    /// their bytes are counted and no longer written.
    limit: u64,
}

impl Streamed {
    /// Starts the pending file for `path`, keeping the length of `room` (a header) at the
    /// start.
    pub(crate) fn start(path: &Path, room: &str, limit: u64) -> Streamed {
        let file = TempFile::create(path).and_then(|mut file| {
            file.out()
                .write_all(room.as_bytes())
                .map_err(|e| Error::io(path, "write the snapshot", e))?;
            Ok(file)
        });
        Streamed {
            path: path.to_path_buf(),
            file,
            room: room.len(),
            body: 0,
            cases: 0,
            biggest: Biggest::default(),
            limit,
        }
    }

    /// Writes the next case: its input's and its behaviour's snapshot texts.
    pub(crate) fn case(&mut self, input: &str, behaviour: &str) {
        self.cases += 1;
        let bytes = (input.len() + behaviour.len()) as u64;
        self.body += bytes;
        self.biggest
            .offer(self.cases, bytes, || format::display_input(input));
        if self.body > self.limit {
            return;
        }
        if let Ok(file) = &mut self.file {
            let out = file.out();
            if let Err(e) = out
                .write_all(input.as_bytes())
                .and_then(|()| out.write_all(behaviour.as_bytes()))
            {
                self.file = Err(Error::io(&self.path, "write the snapshot", e));
            }
        }
    }

    /// Stops writing: `finish` will return `error`.
    pub(crate) fn fail(&mut self, error: Error) {
        if self.file.is_ok() {
            self.file = Err(error);
        }
    }

    /// Puts `header` before the cases and makes the file the pending file, atomically;
    /// refused (and removed) when the whole is over the size limit.
    pub(crate) fn finish(self, header: &str, jail: &str) -> Result<(), Error> {
        let path = self.path.as_path();
        let mut file = self.file?;
        let total = header.len() as u64 + self.body;
        if total > self.limit {
            let biggest = self.biggest.into_cases();
            return Err(size::too_big(jail, total, self.limit, biggest));
        }
        let io = |e| Error::io(path, "write the snapshot", e);
        file.out().flush().map_err(io)?;
        // The lock's clean-up of another process may have taken the name of a file written
        // before this run took the lock: its bytes are still in the open file.
        if header.len() == self.room && file.linked() {
            let f = file.out().get_mut();
            f.seek(SeekFrom::Start(0))
                .and_then(|_| f.write_all(header.as_bytes()))
                .map_err(io)?;
            return file.persist(path);
        }
        let mut next = TempFile::create(path)?;
        next.out().write_all(header.as_bytes()).map_err(io)?;
        let f = file.out().get_mut();
        f.seek(SeekFrom::Start(self.room as u64)).map_err(io)?;
        std::io::copy(f, next.out()).map_err(io)?;
        next.persist(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: [(&str, &str); 2] = [
        ("- input: 1\n", "  returned: 2\n"),
        ("- input: 2\n", "  panicked: no\n"),
    ];

    fn written(dir: &Path, room: &str, header: &str, between: impl FnOnce(&Path)) -> String {
        let path = dir.join("a.snap.new");
        let mut streamed = Streamed::start(&path, room, u64::MAX);
        for (input, behaviour) in CASES {
            streamed.case(input, behaviour);
        }
        between(dir);
        streamed.finish(header, "a").unwrap();
        std::fs::read_to_string(&path).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    const BODY: &str = "- input: 1\n  returned: 2\n- input: 2\n  panicked: no\n";

    #[test]
    fn the_header_goes_before_the_cases_whatever_room_was_kept() {
        for room in ["---\nh: 1\n---\n", "", "---\nlonger: header\n---\n"] {
            let dir = tempfile::tempdir().unwrap();
            let text = written(dir.path(), room, "---\nh: 2\n---\n", |_| {});
            assert_eq!(text, format!("---\nh: 2\n---\n{BODY}"), "room {room:?}");
            assert_eq!(names(dir.path()), ["a.snap.new"]);
        }
    }

    #[test]
    fn a_file_whose_name_another_process_removed_is_written_from_what_it_holds() {
        let dir = tempfile::tempdir().unwrap();
        let text = written(dir.path(), "---\n---\n", "---\n---\n", |dir| {
            for name in names(dir) {
                std::fs::remove_file(dir.join(name)).unwrap();
            }
        });
        assert_eq!(text, format!("---\n---\n{BODY}"));
        assert_eq!(names(dir.path()), ["a.snap.new"]);
    }

    #[test]
    fn a_file_not_finished_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut streamed = Streamed::start(&dir.path().join("a.snap.new"), "---\n---\n", 100);
        streamed.case(CASES[0].0, CASES[0].1);
        assert_eq!(names(dir.path()).len(), 1);
        drop(streamed);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_naming_its_biggest_case_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut streamed = Streamed::start(&dir.path().join("a.snap.new"), "---\n---\n", 40);
        for (input, behaviour) in CASES {
            streamed.case(input, behaviour);
        }
        let err = streamed.finish("---\n---\n", "a").unwrap_err().to_string();
        assert!(err.contains("(59 bytes), over the"), "{err}");
        assert!(err.contains("the biggest cases:\n    case 2: "), "{err}");
        assert!(names(dir.path()).is_empty());
    }
}
