//! Writing a snapshot file atomically: a temporary file beside it, then a rename.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

/// Writes `contents` to `path` atomically: a temporary file beside it, fsync, rename, fsync
/// of the directory. A crash at any moment leaves either the old file or the complete new
/// one at `path`; a failed write removes its temporary file.
///
/// The temporary file is `.NAME.tmp-PID-N` (hidden, never named like a snapshot), created
/// with `O_EXCL` so it never writes through a file or link that is already there. Leftovers
/// of a killed writer are removed by the next [`super::lock::Lock::acquire`] of the snapshot.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), Error> {
    write_atomic_with(path, |out| {
        out.write_all(contents)
            .map_err(|e| Error::io(path, "write the snapshot", e))
    })
}

/// Like [`write_atomic`], with the contents written by `fill` (through a buffer), so a large
/// file is streamed rather than built in memory. When `fill` fails, nothing is written and
/// its error is returned.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut tmp = TempFile::create(path)?;
    fill(tmp.out())?;
    tmp.persist(path)
}

/// A temporary file beside the file it will become (see [`write_atomic`]), written through
/// a buffer; removed when dropped unless [`TempFile::persist`] made it that file.
pub(crate) struct TempFile {
    /// Declared first: closed before the name is removed (some platforms cannot remove an
    /// open file).
    out: BufWriter<fs::File>,
    name: TempName,
}

/// The path of a temporary file, removed when dropped unless kept.
struct TempName {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempName {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_file(&self.path);
        }
    }
}

impl TempFile {
    /// Creates the temporary file for `path`: `.NAME.tmp-PID-N` in its directory.
    pub(crate) fn create(path: &Path) -> Result<TempFile, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = directory(path);
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the snapshot directory", e))?;
        let Some(file_name) = path.file_name() else {
            return Err(Error::io(
                path,
                "write the snapshot",
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the path has no file name",
                ),
            ));
        };
        let tmp = dir.join(format!(
            "{}{}-{}",
            tmp_prefix(file_name),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        // Readable too: a file written before its header may be copied after one.
        let f = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io(path, "write the snapshot", e))?;
        Ok(TempFile {
            out: BufWriter::with_capacity(1 << 16, f),
            name: TempName {
                path: tmp,
                keep: false,
            },
        })
    }

    /// Where the contents go.
    pub(crate) fn out(&mut self) -> &mut BufWriter<fs::File> {
        &mut self.out
    }

    /// Whether the file is still at its temporary path (the lock's clean-up of another
    /// process may have removed the name of a file written before the lock was taken).
    pub(crate) fn linked(&self) -> bool {
        let Ok(open) = self.out.get_ref().metadata() else {
            return false;
        };
        fs::metadata(&self.name.path).is_ok_and(|at| same_file(&open, &at))
    }

    /// Makes the contents the file at `path`: flush, fsync, rename, fsync of the directory.
    /// On failure the temporary file is removed.
    pub(crate) fn persist(self, path: &Path) -> Result<(), Error> {
        let io = |e| Error::io(path, "write the snapshot", e);
        let TempFile { out, mut name } = self;
        let f = out.into_inner().map_err(|e| io(e.into_error()))?;
        f.sync_all().map_err(io)?;
        drop(f);
        fs::rename(&name.path, path).map_err(io)?;
        name.keep = true;
        // Make the rename itself durable. Not every platform can open a directory; the
        // file's contents are already on disk either way.
        if let Ok(d) = fs::File::open(directory(path)) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// The directory of `path` (`.` for a bare file name).
fn directory(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Windows does not let an open file be removed: a file still at its path is the same.
#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// The start of the temporary file names [`write_atomic`] uses for a file: `.NAME.tmp-`.
pub(crate) fn tmp_prefix(file_name: &std::ffi::OsStr) -> String {
    format!(".{}.tmp-", file_name.to_string_lossy())
}
