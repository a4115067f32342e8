//! A bare program name (`python3`, `printf`, the `sh` of `shell: true`) is looked up once
//! on the PATH the program gets, and every case is spawned by that file's absolute path
//! (with `argv[0]` still the name as written). Spawned by a bare name, the standard library
//! falls back from `posix_spawn` to fork + exec and tries `execve` in every PATH folder for
//! every case.

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// `PATH` for the program when kaizen itself has none.
const FALLBACK_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// The `PATH` a case's program gets: kaizen's own, or a plain default.
pub(crate) fn child_path() -> OsString {
    std::env::var_os("PATH").unwrap_or_else(|| FALLBACK_PATH.into())
}

/// The file a bare program name runs, found once per process; `None` for a name with a
/// `/` (used as it is), or one not found (the spawn then fails and says so).
pub(crate) fn resolve(name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.contains('/') {
        return None;
    }
    static FOUND: OnceLock<Mutex<HashMap<String, Option<PathBuf>>>> = OnceLock::new();
    let found = FOUND.get_or_init(Default::default);
    let mut found = found.lock().unwrap_or_else(|p| p.into_inner());
    found
        .entry(name.to_string())
        .or_insert_with(|| search(name, &child_path()))
        .clone()
}

/// The first executable file called `name` in the folders of `path`. A relative folder in
/// `path` would be searched from each case's own directory, so a name is not resolved past
/// one.
fn search(name: &str, path: &OsString) -> Option<PathBuf> {
    for dir in std::env::split_paths(path) {
        if dir.as_os_str().is_empty() || dir.is_relative() {
            return None;
        }
        let file = dir.join(name);
        if is_executable(&file) {
            return Some(file);
        }
    }
    None
}

fn is_executable(file: &Path) -> bool {
    std::fs::metadata(file)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_name_is_found_on_the_path_and_a_path_is_left_alone() {
        let sh = resolve("sh").expect("sh is on PATH");
        assert!(sh.is_absolute() && sh.ends_with("sh"), "{}", sh.display());
        assert_eq!(resolve("./sh"), None);
        assert_eq!(resolve("no-such-program-anywhere"), None);
    }

    #[test]
    fn a_relative_folder_on_the_path_stops_the_search() {
        let path = OsString::from("relative/bin:/bin:/usr/bin");
        assert_eq!(search("sh", &path), None);
    }
}
