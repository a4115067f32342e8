//! `NAME.strengthened.yaml`: the inputs strengthening found, beside the jail's snapshot, each
//! with the mutant it tells apart from the original. `Jail::check` adds them to the jail's
//! cases (the `strengthened` source), so they are recorded, replayed and reviewed like any
//! other case; delete an entry to drop its case.
//!
//! ```yaml
//! - kills: 'jail/band.rs:5:33: `>` → `>=` in price_band'
//!   input:
//!   - 20
//!   - false
//! ```

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::Error;

/// The file of strengthened inputs of the jail whose snapshot is `snapshot`.
pub fn path(snapshot: &Path) -> PathBuf {
    let name = snapshot
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    snapshot.with_file_name(format!("{name}.strengthened.yaml"))
}

/// An entry: `kills` (required, not used) and `input`.
type Row<I> = crate::serde_fields::InputOf<I, true>;

/// The inputs in the file at `path` (none when there is no file).
pub fn read<I: DeserializeOwned>(path: &Path) -> Result<Vec<I>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path, "read the strengthened inputs", e)),
    };
    let de = serde_yaml::Deserializer::from_str(&text);
    let rows: Option<Vec<Row<I>>> = serde_yaml::with::singleton_map_recursive::deserialize(de)
        .map_err(|e| {
            Error::snapshot(
                path,
                e.location().map(|l| l.line()),
                format!("not a list of strengthened inputs for this jail's input type: {e}"),
                "each entry is `- kills: …` and `  input: …` as `kaizen strength --strengthen` \
                 writes them; fix the entry or delete the file",
            )
        })?;
    Ok(rows
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.input)
        .collect())
}

/// One entry's text: `input` is a case's input text (`- input:\n  - 20\n`).
pub fn entry(kills: &str, input: &str) -> String {
    let quoted = serde_yaml::to_string(kills).unwrap_or_else(|_| format!("{kills:?}\n"));
    let body = input.strip_prefix("- ").unwrap_or(input);
    format!("- kills: {quoted}  {body}")
}

/// Appends `entries` to the file at `path` (created when missing), atomically; an input
/// already there is not added again. Returns how many were added.
pub fn append(path: &Path, entries: &[(String, String)]) -> Result<usize, Error> {
    let mut text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, "read the strengthened inputs", e)),
    };
    let mut added = 0;
    for (kills, input) in entries {
        let body = input.strip_prefix("- ").unwrap_or(input);
        if text.contains(&format!("\n  {body}")) {
            continue;
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&entry(kills, input));
        added += 1;
    }
    if added > 0 {
        crate::snapshot::write_atomic(path, text.as_bytes())?;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_written_read_back_as_inputs_and_a_repeated_input_is_not_added_twice() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(&dir.path().join("band.snap"));
        assert_eq!(file, dir.path().join("band.strengthened.yaml"));
        assert_eq!(read::<(u32, bool)>(&file).unwrap(), vec![]);
        let kills = "jail/band.rs:5:33: `>` → `>=` in price_band".to_string();
        let input = "- input:\n  - 20\n  - false\n".to_string();
        let entries = [(kills.clone(), input.clone()), (kills.clone(), input)];
        assert_eq!(append(&file, &entries).unwrap(), 1);
        assert_eq!(append(&file, &entries).unwrap(), 0);
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text,
            "- kills: 'jail/band.rs:5:33: `>` → `>=` in price_band'\n  input:\n  - 20\n  - false\n"
        );
        assert_eq!(read::<(u32, bool)>(&file).unwrap(), vec![(20, false)]);
    }

    #[test]
    fn a_file_for_another_input_type_is_an_error_naming_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("band.strengthened.yaml");
        std::fs::write(
            &file,
            "- kills: x\n  input: 20\n- kills: y\n  input: lots\n",
        )
        .unwrap();
        let err = read::<u32>(&file).unwrap_err().to_string();
        assert!(err.contains("band.strengthened.yaml"), "{err}");
        assert!(err.contains(":4") || err.contains("line 4"), "{err}");
    }
}
