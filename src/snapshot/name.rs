//! Jail names: a jail's name becomes its snapshot's file name, so it must be one.

use crate::Error;

/// A jail name becomes a file name: it must not leave the snapshot directory, and the file
/// must be portable (a snapshot recorded on Linux is checked out on Windows too).
///
/// ```
/// assert!(kaizen::snapshot::check_name("shipping_cost").is_ok());
/// assert!(kaizen::snapshot::check_name("../escape").is_err());
/// ```
pub fn check_name(name: &str) -> Result<(), Error> {
    const LONGEST: usize = 200;
    let problem = if name.is_empty() {
        Some("it is empty".to_string())
    } else if name == "." || name == ".." || name.starts_with('.') {
        Some("it starts with `.` (a hidden file, or a step out of the snapshot directory)".into())
    } else if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\' | ':')) {
        Some(format!(
            "it contains {c:?}, which would make it a path instead of a file name"
        ))
    } else if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || matches!(c, '*' | '?' | '"' | '<' | '>' | '|'))
    {
        Some(format!(
            "it contains {c:?}, which is not allowed in file names on every system"
        ))
    } else if name.ends_with([' ', '.']) {
        Some("it ends with a space or `.`, which Windows drops from file names".into())
    } else if name.len() > LONGEST {
        Some(format!(
            "it is {} bytes long, more than {LONGEST}",
            name.len()
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::Config {
            message: format!("{name:?} cannot be a jail name: {problem}"),
            hint: "name the jail with letters, digits, `_` and `-`; the name becomes the file snapshots/NAME.snap".into(),
        }),
        None => Ok(()),
    }
}
