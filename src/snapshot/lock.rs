//! A lock per snapshot, so two recorders of the same jail never race.
//!
//! Within one process, threads recording the same snapshot take turns. Across processes a
//! lock file `.NAME.snap.lock` beside the snapshot (created with `O_EXCL`) says which process
//! records; a second process gets [`Error::Locked`]. A lock file left by a process that no
//! longer exists is taken over.

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::Error;

type Turns = Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>;

fn turns() -> &'static Turns {
    static TURNS: OnceLock<Turns> = OnceLock::new();
    TURNS.get_or_init(Default::default)
}

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
pub struct Lock {
    path: PathBuf,
    _turn: MutexGuard<'static, ()>,
}

impl Lock {
    /// Takes the lock for `snapshot`, waiting for other threads of this process and failing
    /// at once if another live process holds it.
    pub fn acquire(snapshot: &Path) -> Result<Lock, Error> {
        let turn = {
            let mut map = turns().lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(map.entry(snapshot.to_path_buf()).or_default())
        };
        // The per-path mutex lives for the whole process; leaking the Arc keeps the guard
        // 'static without unsafe code.
        let turn: &'static Mutex<()> = Box::leak(Box::new(turn));
        let guard = turn.lock().unwrap_or_else(|p| p.into_inner());
        let path = lock_path(snapshot);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| Error::io(dir, "create the snapshot directory", e))?;
        }
        // The pid is written to a private file first and then hard-linked into place, so
        // a lock file is never seen half-written.
        let mine = path.with_extension(format!("lock.{}", std::process::id()));
        fs::File::create(&mine)
            .and_then(|mut f| writeln!(f, "pid {}", std::process::id()))
            .map_err(|e| Error::io(&mine, "create the lock file", e))?;
        let mut outcome = None;
        for _ in 0..2 {
            match fs::hard_link(&mine, &path) {
                Ok(()) => {
                    outcome = Some(Ok(()));
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    if holder_is_gone(&holder) {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    outcome = Some(Err(Error::Locked {
                        path: path.clone(),
                        holder: holder.trim().to_string(),
                    }));
                    break;
                }
                Err(e) => {
                    outcome = Some(Err(Error::io(&path, "create the lock file", e)));
                    break;
                }
            }
        }
        let _ = fs::remove_file(&mine);
        match outcome {
            Some(Ok(())) => return Ok(Lock { path, _turn: guard }),
            Some(Err(e)) => return Err(e),
            None => {}
        }
        Err(Error::Locked {
            path,
            holder: "a lock file that keeps reappearing".into(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// True when the lock file names a process that no longer runs (Linux: no `/proc/PID`).
fn holder_is_gone(holder: &str) -> bool {
    let pid = holder
        .trim()
        .strip_prefix("pid ")
        .and_then(|p| p.trim().parse::<u32>().ok());
    match pid {
        Some(pid) if pid == std::process::id() => true,
        Some(pid) if Path::new("/proc/self").exists() => {
            !Path::new(&format!("/proc/{pid}")).exists()
        }
        Some(_) => false,
        // Not a lock file kaizen wrote completely: treat it as stale.
        None => true,
    }
}
