//! Helpers shared by the command jail tests.
#![allow(dead_code, unused_imports)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kaizen::jail::command::{
    CapturedFile, CommandCase, CommandJail, Data, Ending, ProcessOutcome, SpecError, rows,
};
use proptest::prelude::*;

/// A throwaway project with one spec at `jail/NAME.yaml`.
pub struct Project {
    pub root: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            root: tempfile::Builder::new()
                .prefix("kaizen-test-")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn load(&self, name: &str, yaml: &str) -> Result<CommandJail, SpecError> {
        let spec = self.write(&format!("jail/{name}.yaml"), yaml);
        CommandJail::load(&spec, self.path())
    }
}

pub fn jail(yaml: &str) -> (Project, CommandJail) {
    let project = Project::new();
    let jail = project
        .load("t", yaml)
        .unwrap_or_else(|err| panic!("{err}"));
    (project, jail)
}

pub fn spec_error(yaml: &str) -> SpecError {
    match Project::new().load("bad", yaml) {
        Ok(_) => panic!("the spec loaded, but should not:\n{yaml}"),
        Err(err) => err,
    }
}

/// YAML single-quoted scalar.
pub fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A jail running one `sh -c SCRIPT` line, with extra spec lines.
pub fn sh_jail(script: &str, extra: &str) -> (Project, CommandJail) {
    jail(&format!(
        "command: [sh, -c, {}, sh]\n{extra}\ncases:\n  - args: []\n",
        quoted(script)
    ))
}

pub fn run_sh(script: &str, case: &CommandCase) -> ProcessOutcome {
    let (_project, jail) = sh_jail(script, "timeout: 5s");
    jail.run(case)
}

pub fn text(data: &Data) -> &str {
    std::str::from_utf8(data.as_bytes()).unwrap()
}

/// True while a process with this pid exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => false,
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        }
    }
}

pub fn gone_soon(pid: u32) -> bool {
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}
