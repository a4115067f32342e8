//! Case directories: each case runs in one of its own, which no other case running at the
//! same time shares and which nothing is left of once the jail is done.
//!
//! A directory is made directly under the canonical temp folder, so its path needs no
//! resolving per case, and an empty one is removed with one `rmdir`. Making and removing a
//! directory are the slowest steps of a trivial case on a journaling disk (each takes the
//! parent folder's lock, so parallel cases wait for each other), so the `kaizen` command
//! gives a case the directory an earlier case of the same jail left exactly as it was
//! made: still a directory, empty, with the same mode, owner and extended attributes, and
//! with every process of that case gone (which only a child subreaper can tell: see
//! `reaper.rs`). Any other directory is removed when its case ends; the spare ones when
//! the jail is dropped, or by [`super::running::stop_running`] when the run is
//! interrupted.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::reaper;
use super::running::{self, INTERRUPTED};

/// What a directory looked like when it was made: what "left as it was" compares with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Made {
    mode: u32,
    owner: (u32, u32),
    xattr_bytes: usize,
}

impl Made {
    /// Reads `dir`'s look, `None` if it is not a directory (or cannot be read).
    fn read(dir: &Path) -> Option<Made> {
        let meta = fs::symlink_metadata(dir).ok()?;
        if !meta.is_dir() {
            return None;
        }
        let xattr_bytes = rustix::fs::llistxattr(dir, &mut [0u8; 0][..]).unwrap_or(usize::MAX);
        Some(Made {
            mode: meta.permissions().mode() & 0o7777,
            owner: (meta.uid(), meta.gid()),
            xattr_bytes,
        })
    }
}

/// The directories a jail's cases left as they were made, for its next cases.
#[derive(Debug, Default)]
pub(crate) struct SpareDirs {
    dirs: Mutex<Vec<(PathBuf, Made)>>,
}

impl SpareDirs {
    fn take(&self, base: &Path) -> Option<(PathBuf, Made)> {
        let mut dirs = self.dirs.lock().unwrap_or_else(|p| p.into_inner());
        let at = dirs
            .iter()
            .rposition(|(dir, _)| dir.parent() == Some(base))?;
        Some(dirs.swap_remove(at))
    }

    fn keep(&self, dir: PathBuf, made: Made) {
        let mut dirs = self.dirs.lock().unwrap_or_else(|p| p.into_inner());
        dirs.push((dir, made));
    }

    /// How many directories are kept for later cases.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.dirs.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

impl Drop for SpareDirs {
    fn drop(&mut self) {
        let dirs = self.dirs.get_mut().unwrap_or_else(|p| p.into_inner());
        for (dir, _) in dirs.drain(..) {
            remove_case_dir(&dir);
            running::forget_dir(&dir);
        }
    }
}

/// One case's directory: removed on drop (also after a timeout or a panic, even if the
/// program took away its own write permissions) unless [`CaseDir::done`] hands it on.
pub(crate) struct CaseDir {
    path: PathBuf,
    made: Option<Made>,
}

impl CaseDir {
    /// A spare directory of the jail under `base`, or a new one.
    pub(crate) fn create(base: &Path, spares: &SpareDirs) -> Result<CaseDir, String> {
        if let Some((path, made)) = spares.take(base) {
            return Ok(CaseDir {
                path,
                made: Some(made),
            });
        }
        let permit = running::start().ok_or(INTERRUPTED)?;
        let dir = tempfile::Builder::new()
            .prefix("kaizen-case-")
            .tempdir_in(base)
            .map_err(|err| format!("cannot create a temporary case directory: {err}"))?;
        let path = dir.keep();
        running::add_dir(&permit, &path);
        // Only a directory that can be handed on needs its look read: one whose case's
        // processes are all gone when it ends, which only a subreaper can tell.
        let made = if reaper::adopting() {
            Made::read(&path)
        } else {
            None
        };
        Ok(CaseDir { path, made })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The case ended normally: its directory goes to the jail's next case if the case
    /// left it exactly as it was made (only a directory made or handed on under a subreaper
    /// knows how it was made); otherwise it is removed.
    pub(crate) fn done(mut self, spares: &SpareDirs) {
        let Some(made) = self.made.take() else {
            return;
        };
        if left_as_made(&self.path, made) {
            spares.keep(std::mem::take(&mut self.path), made);
        }
    }
}

/// Still the directory that was made, with nothing in it.
fn left_as_made(dir: &Path, made: Made) -> bool {
    Made::read(dir) == Some(made)
        && fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

impl Drop for CaseDir {
    fn drop(&mut self) {
        if self.path.as_os_str().is_empty() {
            return;
        }
        remove_case_dir(&self.path);
        running::forget_dir(&self.path);
    }
}

/// Removes a case directory: an empty one with one `rmdir`, else with everything in it,
/// even if the program took away its own write permissions.
pub(crate) fn remove_case_dir(dir: &Path) {
    if fs::remove_dir(dir).is_err() && fs::remove_dir_all(dir).is_err() {
        make_dirs_writable(dir);
        let _ = fs::remove_dir_all(dir);
    }
}

fn make_dirs_writable(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            make_dirs_writable(&entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spare_of(base: &Path) -> (SpareDirs, PathBuf) {
        let spares = SpareDirs::default();
        let dir = tempfile::Builder::new().tempdir_in(base).unwrap().keep();
        let made = Made::read(&dir).unwrap();
        spares.keep(dir.clone(), made);
        (spares, dir)
    }

    #[test]
    fn a_directory_is_left_as_made_only_while_empty_with_its_mode_and_still_a_directory() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("case");
        fs::create_dir(&dir).unwrap();
        let made = Made::read(&dir).unwrap();
        assert!(left_as_made(&dir, made));
        fs::write(dir.join("x"), "").unwrap();
        assert!(!left_as_made(&dir, made), "a file in it");
        fs::remove_file(dir.join("x")).unwrap();
        fs::create_dir(dir.join(".hidden")).unwrap();
        assert!(!left_as_made(&dir, made), "a folder in it");
        fs::remove_dir(dir.join(".hidden")).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(made.mode ^ 0o020)).unwrap();
        assert!(!left_as_made(&dir, made), "another mode");
        fs::set_permissions(&dir, fs::Permissions::from_mode(made.mode)).unwrap();
        assert!(left_as_made(&dir, made));
        fs::remove_dir(&dir).unwrap();
        std::os::unix::fs::symlink(base.path(), &dir).unwrap();
        assert!(!left_as_made(&dir, made), "a link in its place");
    }

    #[test]
    fn a_spare_directory_is_taken_once_and_only_under_its_own_base() {
        let base = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let (spares, dir) = spare_of(base.path());
        assert!(spares.take(other.path()).is_none());
        assert_eq!(spares.take(base.path()).map(|(d, _)| d), Some(dir.clone()));
        assert!(spares.take(base.path()).is_none());
        fs::remove_dir(dir).unwrap();
    }

    #[test]
    fn dropping_the_spares_removes_their_directories() {
        let base = tempfile::tempdir().unwrap();
        let (spares, dir) = spare_of(base.path());
        assert_eq!(spares.len(), 1);
        drop(spares);
        assert!(!dir.exists());
    }
}
