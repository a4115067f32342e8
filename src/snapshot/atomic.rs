//! Writing a snapshot file atomically: a temporary file beside it, then a rename.

use std::fs;
use std::io::Write;
use std::path::Path;
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
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
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
    let result = (|| {
        let f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io(path, "write the snapshot", e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
        fill(&mut out)?;
        let f = out
            .into_inner()
            .map_err(|e| Error::io(path, "write the snapshot", e.into_error()))?;
        f.sync_all()
            .and_then(|()| {
                drop(f);
                fs::rename(&tmp, path)
            })
            .map_err(|e| Error::io(path, "write the snapshot", e))
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // Make the rename itself durable. Not every platform can open a directory; the file's
    // contents are already on disk either way.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The start of the temporary file names [`write_atomic`] uses for a file: `.NAME.tmp-`.
pub(crate) fn tmp_prefix(file_name: &std::ffi::OsStr) -> String {
    format!(".{}.tmp-", file_name.to_string_lossy())
}
