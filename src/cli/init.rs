//! `kaizen init`: scaffolds `jail/`, `snapshots/` and a commented example spec.

use super::console::outln;
use super::{Project, shown};
use crate::{Error, ExitCode};

const EXAMPLE: &str = r#"# A jail spec: how kaizen runs a legacy program and which inputs it records.
# The jail's name is this file's name (example). Record with `kaizen record example`,
# verify after every change with `kaizen verify example`.

# The program, as an argv list (no shell). {jail} is this folder, {root} the project.
command: [sh, -c, 'echo "hello, ${1:-world}"; echo "warning: demo" >&2', example]

# Set `shell: true` to run `command` as one `sh -c` script instead.
# shell: false

# The environment is cleared except PATH; LC_ALL=C and TZ=UTC are set. Add more:
# env: {LANG: C}
# inherit_env: [HOME]

# A case that runs longer than this is killed (with its child processes): `timeout`.
timeout: 10s

# Files the program writes in its working directory (a fresh temp dir per case):
# capture:
#   files: ["out/*.txt"]
#   limit: 10MiB

# Hide what changes from run to run (times, ids) before comparing:
# scrub:
#   - regex: '\d{4}-\d{2}-\d{2}T[0-9:]+'
#     replace: '[time]'

# Explicit cases: args, stdin (or stdin_file), env, files.
cases:
  - args: []
  - args: [kaizen]
    stdin: "unused input\n"

# Every combination of per-position argument values (or `pairwise: true`):
# combinations:
#   args: [[--fast, --slow], ["0", "1", "-1"]]
"#;

/// Creates the folders and the example spec; never overwrites an existing file.
pub(crate) fn init(project: &Project) -> Result<ExitCode, Error> {
    for dir in [project.jail_dir(), project.snapshot_dir()] {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create the folder", e))?;
    }
    let example = project.jail_dir().join("example.yaml");
    if example.exists() {
        outln!("{} exists; left as it is", shown(project, &example));
    } else {
        std::fs::write(&example, EXAMPLE)
            .map_err(|e| Error::io(&example, "write the example spec", e))?;
        outln!("created {}", shown(project, &example));
    }
    outln!("next: edit the spec, then `kaizen record` and commit snapshots/");
    Ok(ExitCode::Unchanged)
}
