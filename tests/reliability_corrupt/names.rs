//! Jail names that try to leave the snapshot folder.

use super::*;

/// Jail names that try to leave the snapshot directory or make unportable files.
const HOSTILE_NAMES: &[&str] = &[
    "",
    ".",
    "..",
    "../escape",
    "../../etc/passwd",
    "/etc/passwd",
    "/tmp/absolute",
    "a/b",
    "snapshots/../../x",
    "..\\..\\windows",
    "a\\b",
    "C:evil",
    "C:\\evil",
    ".hidden",
    ".orders.snap.lock",
    "nul\0byte",
    "line\nbreak",
    "tab\there",
    "star*",
    "question?",
    "pipe|name",
    "quote\"name",
    "<angle>",
    "trailing.",
    "trailing ",
];

#[test]
fn hostile_jail_names_are_refused_before_anything_is_written() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("snapshots");
    fs::create_dir(&dir).unwrap();
    let long = "x".repeat(201);
    let names = HOSTILE_NAMES.iter().copied().chain([long.as_str()]);
    let mut refused = 0;
    for name in names {
        for mode in [UpdateMode::Always, UpdateMode::Auto, UpdateMode::New] {
            let err = Jail::new(name, |n: u32| n)
                .snapshot_dir(&dir)
                .run_with(&Cases::new().list([1]), env(mode))
                .expect_err(name);
            let message = err.to_string();
            assert!(matches!(err, Error::Config { .. }), "{name:?}: {message}");
            assert!(
                message.starts_with(&format!("{name:?} cannot be a jail name: ")),
                "{message}"
            );
            assert!(
                message.contains("hint: name the jail with letters"),
                "{message}"
            );
        }
        refused += 1;
    }
    assert_eq!(listing(&dir), Vec::<String>::new());
    assert_eq!(listing(root.path()), vec!["snapshots"]);
    eprintln!("{refused} hostile jail names refused, in 3 modes each");

    // Ordinary names still work.
    for name in ["orders_v2", "Invoice-Total", "façade", "日本"] {
        Jail::new(name, |n: u32| n)
            .snapshot_dir(&dir)
            .run_with(&Cases::new().list([1]), env(UpdateMode::Auto))
            .unwrap();
    }
    assert_eq!(listing(&dir).len(), 4);
}

/// Names Windows cannot check out (device names, with or without an extension, in any
/// case) and names holding invisible characters that make text read as something else.
const UNPORTABLE_OR_SPOOFING_NAMES: &[&str] = &[
    "con",
    "CON",
    "nul",
    "Nul",
    "prn",
    "aux",
    "lpt1",
    "LPT9",
    "com1",
    "COM0",
    "com\u{00B9}",
    "CON.txt",
    "nul.tar.gz",
    "conin$",
    "a\u{202E}b",
    "a\u{202D}b",
    "rev\u{2066}ersed",
    "zero\u{200B}width",
    "\u{FEFF}bom",
];

#[test]
fn device_names_and_text_spoofing_characters_are_refused_as_jail_names() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("snapshots");
    fs::create_dir(&dir).unwrap();
    for name in UNPORTABLE_OR_SPOOFING_NAMES {
        let err = Jail::new(*name, |n: u32| n)
            .snapshot_dir(&dir)
            .run_with(&Cases::new().list([1]), env(UpdateMode::Auto))
            .expect_err(name);
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("{name:?} cannot be a jail name: ")),
            "{message}"
        );
    }
    assert_eq!(listing(&dir), Vec::<String>::new());

    // Names that only look like device names are fine.
    for name in ["console", "nullable", "com10", "lpt", "auxiliary", "icon"] {
        Jail::new(name, |n: u32| n)
            .snapshot_dir(&dir)
            .run_with(&Cases::new().list([1]), env(UpdateMode::Auto))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    assert_eq!(listing(&dir).len(), 6);
}
