//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kaizen::env::{Environment, UpdateMode};

/// A local (not CI) environment with the given mode.
pub fn local(mode: UpdateMode) -> Environment {
    Environment {
        mode,
        ci: false,
        force_pass: false,
        ..Default::default()
    }
}

/// A CI environment with the given mode.
pub fn ci(mode: UpdateMode) -> Environment {
    Environment {
        mode,
        ci: true,
        force_pass: false,
        ..Default::default()
    }
}

/// The snapshot path of `name` in `dir`.
pub fn snap(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.snap"))
}

/// The pending path of `name` in `dir`.
pub fn pending(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.snap.new"))
}

/// The file's bytes, or None when it does not exist.
pub fn bytes(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// A jail named `name` made in this file (so tests can make two jails with one name in
/// two different source files).
pub fn jail_made_elsewhere(name: &str, dir: &Path) -> kaizen::Jail<u8, u8> {
    kaizen::Jail::new(name, |x: u8| x).snapshot_dir(dir)
}
