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
