//! Running the characterization test binary as the search engine of strengthening and
//! minimizing: the request it reads, the build that makes it, and the watch over its
//! progress files that tells a hang (no progress within the per-case limit) from a run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::strengthen::Options;
use crate::Error;
use crate::env;
use crate::strengthen::probe;
use crate::strengthen::values::Literals;

/// Writes the request file a probe run reads (mode, survivors' literals, budget, seed, the
/// candidates to leave out).
pub fn write_request(
    dir: &Path,
    mode: probe::Mode,
    literals: &Literals,
    opts: &Options,
    skip: &BTreeMap<String, Vec<usize>>,
) -> Result<(), Error> {
    let request = probe::Request {
        mode,
        literals: literals.clone(),
        budget: opts.budget,
        seed: opts.seed,
        skip: skip.clone(),
        from: BTreeMap::new(),
    };
    let json = serde_json::to_vec(&request).map_err(|e| Error::Internal {
        message: e.to_string(),
    })?;
    crate::snapshot::write_atomic(&probe::request_path(dir), &json)
}

/// Runs a test binary under a request; returns whether it was killed for making no progress
/// within `limit`. `done` says when the jails have all finished (the rest of the binary's
/// tests need not run).
pub fn run_probe(
    exe: &Path,
    opts: &Options,
    dir: &Path,
    limit: Duration,
    done: &dyn Fn(&Path) -> bool,
) -> Result<bool, Error> {
    let log_path = opts.work.join("probe.log");
    let log = std::fs::File::create(&log_path).map_err(|e| Error::io(&log_path, "create", e))?;
    let err = log
        .try_clone()
        .map_err(|e| Error::io(&log_path, "open", e))?;
    let mut child = Command::new(exe)
        .current_dir(&opts.root)
        .env(env::CARGO_MANIFEST_DIR, &opts.root)
        .env(env::STRENGTHEN, dir)
        .env(env::UPDATE, "no")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err)
        .spawn()
        .map_err(|e| Error::io(exe, "start the test binary", e))?;
    let mut last = (progress_size(dir), Instant::now());
    // The first case may wait for the binary to start and the tests before it.
    let mut allowed = limit.max(Duration::from_secs(20));
    loop {
        if child
            .try_wait()
            .map_err(|e| Error::io(exe, "wait", e))?
            .is_some()
        {
            return Ok(false);
        }
        if done(dir) {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(false);
        }
        let size = progress_size(dir);
        if size != last.0 {
            last = (size, Instant::now());
            allowed = limit;
        } else if last.1.elapsed() > allowed {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(true);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn progress_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.ends_with(".explored") || n.ends_with(".judged") || n.ends_with(".behaved")
        })
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Builds a test target and returns its executable.
pub fn build(root: &Path, test: &str, work: &Path) -> Result<PathBuf, Error> {
    let output = Command::new("cargo")
        .args(["test", "--no-run", "--message-format=json", "--test", test])
        .current_dir(root)
        .env(env::UPDATE, "no")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Error::io(root, "run cargo", e))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let exe = stdout.lines().find_map(|line| {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        (v["reason"] == "compiler-artifact" && v["target"]["name"] == test)
            .then(|| v["executable"].as_str().map(PathBuf::from))
            .flatten()
    });
    match exe {
        Some(exe) if output.status.success() => Ok(exe),
        _ => {
            let log = work.join("build.log");
            let _ = std::fs::write(&log, &output.stderr);
            Err(Error::Config {
                message: format!(
                    "cannot build the test target {test} (see {})",
                    log.display()
                ),
                hint: "run `cargo test --no-run` there to see why".into(),
            })
        }
    }
}
