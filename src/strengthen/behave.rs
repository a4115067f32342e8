//! Behave mode: run a list of input texts on the code as built and write each behaviour,
//! one JSON line per input as it finishes (the line count is the progress the driver
//! watches; a missing line is the input the code hangs on). The driver runs the same list
//! on the unmutated and on the mutated build to shrink a found killer below the pool.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::jail::Jailed;
use crate::record;
use crate::snapshot::format;

/// `JAIL.behave.json`: the input texts to run (a JSON list of strings).
pub fn inputs_path(dir: &Path, jail: &str) -> PathBuf {
    dir.join(format!("{jail}.behave.json"))
}

/// `JAIL.behaved`: one line per input run — its behaviour text as a JSON string, or `null`
/// for a text that does not read back exactly as the input type.
pub fn behaved_path(dir: &Path, jail: &str) -> PathBuf {
    dir.join(format!("{jail}.behaved"))
}

/// Runs the inputs listed for `jail` in `dir`, if any.
pub fn serve<J: Jailed>(jail: &J, dir: &Path) -> Result<(), Error> {
    let name = jail.name();
    let list = inputs_path(dir, name);
    let Ok(text) = std::fs::read_to_string(&list) else {
        return Ok(());
    };
    let inputs: Vec<String> = serde_json::from_str(&text).map_err(|e| Error::Internal {
        message: format!("{}: not a list of inputs: {e}", list.display()),
    })?;
    let out_file = behaved_path(dir, name);
    let mut out = std::fs::File::create(&out_file)
        .map_err(|e| Error::io(&out_file, "write the behaviours", e))?;
    let mut again = String::new();
    for input in &inputs {
        let behaviour = match format::decode_input::<J::Input>(input) {
            Ok(value) => {
                again.clear();
                let exact = format::write_input(&mut again, &value).is_ok() && again == *input;
                let mut behaviour = String::new();
                record::observe_into(jail, &value, &mut behaviour)?;
                exact.then_some(behaviour)
            }
            Err(_) => None,
        };
        let mut line = serde_json::to_string(&behaviour).unwrap_or_else(|_| "null".into());
        line.push('\n');
        out.write_all(line.as_bytes())
            .map_err(|e| Error::io(&out_file, "write", e))?;
    }
    Ok(())
}

/// The behaviours written so far in `dir` for `jail`, in input order.
pub fn read(dir: &Path, jail: &str) -> Vec<Option<String>> {
    std::fs::read_to_string(behaved_path(dir, jail))
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or(None))
        .collect()
}
