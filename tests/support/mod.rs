//! Helpers shared by the reliability tests: hermetic environments, re-executing this test
//! binary as a child process in a given role, and a fixed-seed random generator.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use kaizen::env::{Environment, HERMETIC_STRIP, UpdateMode};

/// Tells a re-executed test binary which role to play: `ROLE:DIR`.
const CHILD: &str = "KAIZEN_TEST_RELIABILITY_CHILD";

/// An explicit environment, whatever the caller's `KAIZEN_UPDATE`, `CI` or `INSTA_*` say.
pub fn env(mode: UpdateMode) -> Environment {
    Environment {
        mode,
        ci: false,
        force_pass: false,
        ..Default::default()
    }
}

/// The role and directory of a re-executed child; `None` in a normal test run.
pub fn child_role() -> Option<(String, PathBuf)> {
    let value = std::env::var(CHILD).ok()?;
    let (role, dir) = value.split_once(':')?;
    Some((role.to_string(), PathBuf::from(dir)))
}

/// This test binary, started again to run only `test`, as `role` working in `dir`, with
/// kaizen's environment variables removed. Its stdout and stderr are piped.
pub fn spawn_child(test: &str, role: &str, dir: &Path) -> Child {
    spawn_child_with(test, role, dir, &[])
}

/// Like [`spawn_child`], with `vars` set in the child's environment.
pub fn spawn_child_with(test: &str, role: &str, dir: &Path, vars: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary"));
    cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, format!("{role}:{}", dir.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in HERMETIC_STRIP {
        cmd.env_remove(var);
    }
    cmd.envs(vars.iter().copied());
    cmd.spawn().expect("re-executing the test binary")
}

/// A fixed-seed generator (splitmix64): the same numbers on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
