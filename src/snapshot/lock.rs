//! A lock per snapshot, so two recorders of the same jail never race.
//!
//! Within one process, threads recording the same snapshot take turns. Across processes a
//! lock file `.NAME.snap.lock` beside the snapshot carries an exclusive OS file lock
//! (`flock` on Unix, `LockFileEx` on Windows) for as long as a run may write the snapshot or
//! its pending file; a second process gets [`Error::Locked`] at once, naming the holder.
//!
//! The operating system releases the file lock when its holder exits, however it exits, so a
//! lock file left behind by a killed run never blocks the next one, and no process id is
//! ever guessed to be dead or alive. The holder removes the lock file when it is done.
//!
//! Every writer of `NAME.snap` and `NAME.snap.new` holds this lock, so whoever takes it may
//! delete the temporary files a killed writer left behind.

use std::collections::HashSet;
use std::fs;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, OnceLock};

use crate::Error;

/// The lock file path for a snapshot path.
///
/// ```
/// let p = kaizen::snapshot::lock::lock_path(std::path::Path::new("snapshots/a.snap"));
/// assert_eq!(p, std::path::Path::new("snapshots/.a.snap.lock"));
/// ```
pub fn lock_path(snapshot: &Path) -> PathBuf {
    let name = snapshot
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    snapshot.with_file_name(format!(".{name}.lock"))
}

/// Held while a snapshot may be written; released on drop.
///
/// ```
/// use kaizen::snapshot::lock::{Lock, lock_path};
/// # let dir = tempfile::tempdir().unwrap();
/// let snap = dir.path().join("a.snap");
/// let lock = Lock::acquire(&snap).unwrap();
/// assert!(lock_path(&snap).exists());
/// drop(lock);
/// assert!(!lock_path(&snap).exists());
/// ```
pub struct Lock {
    path: PathBuf,
    // Field order matters: the file (and its OS lock) is released before the turn.
    _file: fs::File,
    _turn: Turn,
}

impl Lock {
    /// Takes the lock for `snapshot`, waiting for other threads of this process and failing
    /// at once with [`Error::Locked`] if another process holds it.
    pub fn acquire(snapshot: &Path) -> Result<Lock, Error> {
        let path = lock_path(snapshot);
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create the snapshot directory", e))?;
        // One key per file, however the caller spells the directory.
        let key = fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .join(path.file_name().unwrap_or_default());
        let turn = Turn::take(key);
        // A holder removes the lock file before it releases the lock, so the file we lock
        // may have been unlinked meanwhile; then try again with the file now at the path.
        for _ in 0..100 {
            let mut file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::io(&path, "create the lock file", e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = match holder.trim() {
                        "" => "a process that is just starting".to_string(),
                        h => h.to_string(),
                    };
                    return Err(Error::Locked { path, holder });
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(Error::io(&path, "lock the lock file", e));
                }
            }
            if !same_file(&file, &path) {
                continue;
            }
            let written = file
                .set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| writeln!(file, "pid {}", std::process::id()));
            if let Err(e) = written {
                let _ = fs::remove_file(&path);
                return Err(Error::io(&path, "write the lock file", e));
            }
            remove_leftovers(snapshot);
            return Ok(Lock {
                path,
                _file: file,
                _turn: turn,
            });
        }
        Err(Error::Locked {
            path,
            holder: "other runs that keep taking and releasing it".into(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Remove the file while still holding its lock (see `acquire`); the lock itself is
        // released when `file` is closed right after.
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the open `file` is still the file at `path` (not unlinked or replaced).
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether the open `file` is still the file at `path`. Windows does not let a file that is
/// open be replaced, so the path existing is enough.
#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// Removes temporary files of `snapshot` and its pending file that a killed writer left
/// behind. Called with the lock held; files of this process are left alone.
fn remove_leftovers(snapshot: &Path) {
    let (Some(dir), Some(name)) = (snapshot.parent(), snapshot.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let pending = super::pending_path(snapshot);
    let prefixes = [
        super::tmp_prefix(name),
        super::tmp_prefix(pending.file_name().unwrap_or_default()),
    ];
    let mine = format!("{}-", std::process::id());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let leftover = prefixes.iter().any(|p| {
            file_name
                .strip_prefix(p.as_str())
                .is_some_and(|rest| !rest.starts_with(&mine))
        });
        if leftover {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Snapshot lock files whose turn a thread of this process holds.
struct Turns {
    busy: Mutex<HashSet<PathBuf>>,
    freed: Condvar,
}

fn turns() -> &'static Turns {
    static TURNS: OnceLock<Turns> = OnceLock::new();
    TURNS.get_or_init(|| Turns {
        busy: Mutex::new(HashSet::new()),
        freed: Condvar::new(),
    })
}

/// One thread's turn at a snapshot; the next waiting thread goes when it is dropped.
struct Turn {
    key: PathBuf,
}

impl Turn {
    fn take(key: PathBuf) -> Turn {
        let turns = turns();
        let mut busy = turns.busy.lock().unwrap_or_else(|p| p.into_inner());
        while busy.contains(&key) {
            busy = turns.freed.wait(busy).unwrap_or_else(|p| p.into_inner());
        }
        busy.insert(key.clone());
        Turn { key }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let turns = turns();
        turns
            .busy
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
        turns.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_of_one_process_take_turns_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("t.snap");
        let inside = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        let _lock = Lock::acquire(&snap).unwrap();
                        let before = inside.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        assert_eq!(before, 0, "two threads held the lock at once");
                        inside.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(!lock_path(&snap).exists());
        assert!(turns().busy.lock().unwrap().is_empty(), "turns leaked");
    }

    #[test]
    fn a_lock_file_nobody_holds_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("s.snap");
        fs::write(lock_path(&snap), "pid 4000000000\n").unwrap();
        let lock = Lock::acquire(&snap).unwrap();
        let text = fs::read_to_string(lock_path(&snap)).unwrap();
        assert_eq!(text, format!("pid {}\n", std::process::id()));
        drop(lock);
    }

    #[test]
    fn a_held_lock_is_reported_with_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("h.snap");
        let path = lock_path(&snap);
        let mut other = fs::File::create(&path).unwrap();
        writeln!(other, "pid 12345").unwrap();
        // A second open file description is locked like another process's would be.
        other.try_lock().unwrap();
        let err = Lock::acquire(&snap).err().expect("the lock is held");
        assert!(
            matches!(&err, Error::Locked { holder, .. } if holder == "pid 12345"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "pid 12345\n");
    }

    #[test]
    fn leftover_temporary_files_of_the_snapshot_are_removed_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let snap = dir.path().join("l.snap");
        let keep = [
            dir.path().join(".other.snap.tmp-1-0"),
            dir.path()
                .join(format!(".l.snap.tmp-{}-9", std::process::id())),
            dir.path().join("l.snap.new"),
        ];
        let gone = [
            dir.path().join(".l.snap.tmp-1-0"),
            dir.path().join(".l.snap.new.tmp-77-3"),
        ];
        for p in keep.iter().chain(&gone) {
            fs::write(p, "x").unwrap();
        }
        drop(Lock::acquire(&snap).unwrap());
        for p in &keep {
            assert!(p.exists(), "{} was removed", p.display());
        }
        for p in &gone {
            assert!(!p.exists(), "{} was left", p.display());
        }
    }
}
