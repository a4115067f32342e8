//! Command jail tests: a program that swaps a path for a symbolic link pointing outside its
//! case directory. Capture never reads through such a link and never deletes through it.

use std::collections::BTreeMap;
use std::path::Path;

use kaizen::jail::command::CapturedFile;

use crate::helpers::*;

/// A folder outside every case directory, holding `secret.txt`.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.txt"), "do not read me").unwrap();
    dir
}

#[test]
fn a_case_directory_swapped_for_a_link_out_is_neither_read_nor_emptied_through_it() {
    let secret = outside();
    let record = tempfile::tempdir().unwrap();
    let where_file = record.path().join("where");
    let (_p, jail) = sh_jail(
        r#"d=$PWD; echo "$d" > "$RECORD"; cd /; rm -rf "$d"; ln -s "$SECRET" "$d""#,
        &format!(
            "capture:\n  files: ['*']\nenv: {{SECRET: {}, RECORD: {}}}",
            quoted(&secret.path().to_string_lossy()),
            quoted(&where_file.to_string_lossy())
        ),
    );
    let outcome = jail.run(&jail.cases()[0]);
    let label = outcome.label();
    assert!(
        label.starts_with(
            "failed: the program replaced its case directory with a symbolic link (to "
        ),
        "{label}"
    );
    assert!(
        label.contains("kaizen never follows a link out of the case directory"),
        "{label}"
    );
    assert!(outcome.files.is_empty(), "{outcome:?}");
    assert!(!format!("{outcome:?}").contains("do not read me"));
    // What the link pointed to is untouched; the link itself is gone.
    assert_eq!(
        std::fs::read_to_string(secret.path().join("secret.txt")).unwrap(),
        "do not read me"
    );
    let case_dir = std::fs::read_to_string(&where_file).unwrap();
    let case_dir = Path::new(case_dir.trim_end());
    assert!(
        std::fs::symlink_metadata(case_dir).is_err(),
        "{} is left behind",
        case_dir.display()
    );
}

#[test]
fn a_captured_folder_swapped_for_a_link_is_recorded_as_a_link_and_not_entered() {
    let secret = outside();
    let (_p, jail) = sh_jail(
        r#"mkdir sub; echo mine > sub/a.txt; echo kept > b.txt; rm -rf sub; ln -s "$SECRET" sub"#,
        &format!(
            "capture:\n  files: ['**']\nenv: {{SECRET: {}}}",
            quoted(&secret.path().to_string_lossy())
        ),
    );
    let outcome = jail.run(&jail.cases()[0]);
    let expected: BTreeMap<String, CapturedFile> = [
        ("b.txt".to_string(), CapturedFile::Content("kept\n".into())),
        (
            "sub".to_string(),
            CapturedFile::Symlink(secret.path().to_string_lossy().into_owned()),
        ),
    ]
    .into();
    assert_eq!(outcome.files, expected, "{outcome:?}");
    assert!(secret.path().join("secret.txt").exists());
}

/// The file names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn links_deep_inside_the_case_directory_are_recorded_as_links_and_never_entered() {
    let secret = outside();
    // Three levels down: a link to the outside folder, one to the outside file, and one
    // back up to the case directory (a cycle for anything that follows links).
    let (_p, jail) = sh_jail(
        r#"mkdir -p a/b/c; echo mine > a/b/c/own.txt; ln -s "$SECRET" a/b/c/out; ln -s "$SECRET/secret.txt" a/b/c/file.txt; ln -s ../../.. a/b/c/up"#,
        &format!(
            "capture:\n  files: ['**', 'a/b/c/out/secret.txt', 'a/b/c/up/a/b/c/own.txt']\nenv: {{SECRET: {}}}",
            quoted(&secret.path().to_string_lossy())
        ),
    );
    let outcome = jail.run(&jail.cases()[0]);
    let outside = secret.path().to_string_lossy().into_owned();
    let expected: BTreeMap<String, CapturedFile> = [
        (
            "a/b/c/file.txt",
            CapturedFile::Symlink(format!("{outside}/secret.txt")),
        ),
        ("a/b/c/out", CapturedFile::Symlink(outside.clone())),
        ("a/b/c/own.txt", CapturedFile::Content("mine\n".into())),
        ("a/b/c/up", CapturedFile::Symlink("../../..".into())),
    ]
    .into_iter()
    .map(|(path, file)| (path.to_string(), file))
    .collect();
    assert_eq!(outcome.files, expected, "{outcome:?}");
    assert!(!format!("{outcome:?}").contains("do not read me"));
    // Removing the case directory removed the links, not what they point to.
    assert_eq!(listing(secret.path()), ["secret.txt"]);
    assert_eq!(
        std::fs::read_to_string(secret.path().join("secret.txt")).unwrap(),
        "do not read me"
    );
}

#[test]
fn a_nested_captured_folder_replaced_by_a_link_out_is_recorded_as_a_link() {
    let secret = outside();
    let (_p, jail) = sh_jail(
        r#"mkdir -p out/deep/er; echo mine > out/deep/er/a.txt; echo kept > out/b.txt; rm -rf out/deep/er; ln -s "$SECRET" out/deep/er"#,
        &format!(
            "capture:\n  files: ['out/**']\nenv: {{SECRET: {}}}",
            quoted(&secret.path().to_string_lossy())
        ),
    );
    let outcome = jail.run(&jail.cases()[0]);
    let expected: BTreeMap<String, CapturedFile> = [
        (
            "out/b.txt".to_string(),
            CapturedFile::Content("kept\n".into()),
        ),
        (
            "out/deep/er".to_string(),
            CapturedFile::Symlink(secret.path().to_string_lossy().into_owned()),
        ),
    ]
    .into();
    assert_eq!(outcome.files, expected, "{outcome:?}");
    assert_eq!(listing(secret.path()), ["secret.txt"]);
}
