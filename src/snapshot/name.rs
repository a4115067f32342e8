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
    } else if let Some(c) = name.chars().find(|&c| is_invisible_format(c)) {
        Some(format!(
            "it contains {c:?}, an invisible character that can make text read differently from what it is"
        ))
    } else if name.ends_with([' ', '.']) {
        Some("it ends with a space or `.`, which Windows drops from file names".into())
    } else if let Some(device) = windows_device(name) {
        Some(format!(
            "`{device}` is a device name on Windows, where no file can be called {name}.snap"
        ))
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

/// Bidirectional controls (which reorder the text around them, as in "Trojan Source"), zero-
/// width characters and other invisible formatting characters: a name holding one can show
/// as another name in a terminal, a diff or a review.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// The Windows device name a file name stands for, if any: `CON`, `PRN`, `AUX`, `NUL`,
/// `COM0`–`COM9`, `LPT0`–`LPT9` (also with `¹²³`), `CONIN$`, `CONOUT$`, in any case and with
/// any extension (`con.txt`, and so `con.snap`, is the console). Windows cannot check out
/// such a file.
fn windows_device(name: &str) -> Option<&str> {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    let reserved = match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => ["COM", "LPT"].iter().any(|port| {
            upper.strip_prefix(port).is_some_and(|n| {
                matches!(
                    n,
                    "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
            })
        }),
    };
    reserved.then_some(stem)
}
