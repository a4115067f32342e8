//! Broken snapshot files, one kind at a time.

use super::*;

#[test]
fn an_empty_snapshot_is_refused_in_every_mode() {
    assert_refused_everywhere(b"", None, "the file is empty");
}

#[test]
fn a_snapshot_cut_in_the_middle_of_a_line_is_refused_with_that_line() {
    let text = orders_text();
    let cut = &text[..text.len() - 3];
    let last_line = cut.lines().count();
    assert_refused_everywhere(cut.as_bytes(), Some(last_line), "truncated");
}

#[test]
fn a_snapshot_missing_whole_cases_is_refused() {
    let text = orders_text();
    let last_case = text.rfind("\n- input:").unwrap() + 1;
    assert_refused_everywhere(
        &text.as_bytes()[..last_case],
        None,
        "the header says 7 cases but the file holds 6",
    );
    let header_only = &text[..text.find("---\n- input").unwrap() + 4];
    assert_refused_everywhere(header_only.as_bytes(), None, "holds 0");
    let half_header = &text[..text.find("info:").unwrap()];
    assert_refused_everywhere(half_header.as_bytes(), None, "no closing `---`");
}

#[test]
fn merge_conflict_markers_are_refused_with_their_line() {
    let text = orders_text();
    let second = text.match_indices("- input:").nth(1).unwrap().0;
    let conflicted = format!(
        "{}<<<<<<< HEAD\n{}=======\n>>>>>>> feature\n",
        &text[..second],
        &text[second..]
    );
    let line = line_of(&conflicted, "<<<<<<< HEAD");
    assert_refused_everywhere(conflicted.as_bytes(), Some(line), "merge conflict markers");
}

#[test]
fn a_newer_or_unknown_format_version_is_refused_with_its_line() {
    let text = orders_text();
    let line = line_of(&text, "  kaizen: 1");
    let newer = text.replace("  kaizen: 1\n", "  kaizen: 2\n");
    assert_refused_everywhere(newer.as_bytes(), Some(line), "format version 2");
    let zero = text.replace("  kaizen: 1\n", "  kaizen: 0\n");
    assert_refused_everywhere(zero.as_bytes(), Some(line), "format version 0");
}

#[test]
fn hand_edited_values_of_the_wrong_type_are_refused_with_their_line() {
    let text = orders_text();
    // In the header.
    let line = line_of(&text, "  cases: 7");
    let edited = text.replace("  cases: 7\n", "  cases: seven\n");
    assert_refused_everywhere(edited.as_bytes(), Some(line), "the header is not valid");
    let edited = text.replace("  cases: 7\n", "  cases: 99999999999999999999999\n");
    assert_refused_everywhere(edited.as_bytes(), Some(line), "the header is not valid");
    // A count no body could hold must not make the loader reserve memory for it.
    for huge in ["4000000000", "18446744073709551615"] {
        let edited = text.replace("  cases: 7\n", &format!("  cases: {huge}\n"));
        assert_refused_everywhere(
            edited.as_bytes(),
            None,
            &format!("the header says {huge} cases but the file holds 7"),
        );
    }
    // In a recorded input: a quantity that is not a number.
    let line = line_of(&text, "    qty: 3");
    let edited = text.replace("    qty: 3\n", "    qty: three\n");
    assert_refused_everywhere(
        edited.as_bytes(),
        Some(line),
        "does not fit the jail's input type",
    );
}

#[test]
fn binary_garbage_is_refused_with_the_line_where_it_starts() {
    let mut garbage = vec![0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96];
    garbage.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    assert_refused_everywhere(&garbage, Some(1), "not UTF-8");

    let text = orders_text();
    let at = text.find("  returned").unwrap();
    let mut spliced = text.as_bytes()[..at].to_vec();
    spliced.extend([0xc3, 0x28, 0xa0, 0xa1]);
    spliced.extend(&text.as_bytes()[at..]);
    let line = text[..at].matches('\n').count() + 1;
    assert_refused_everywhere(&spliced, Some(line), "not UTF-8");

    // Valid UTF-8 that is not a snapshot at all.
    assert_refused_everywhere("\u{0}\u{1}ELF\n".as_bytes(), Some(1), "`---` header line");
}

#[test]
fn something_that_is_not_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("orders.snap")).unwrap();
    for env in all_modes() {
        let err = order_jail(dir.path())
            .run_with(&orders(), env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }
    assert_eq!(listing(dir.path()), vec!["orders.snap"]);
}

#[test]
fn a_one_gigabyte_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    let file = fs::File::create(&path).unwrap();
    // Sparse: a gigabyte by its length, no disk blocks.
    file.set_len(1_000_000_000).unwrap();
    drop(file);
    let err = snapshot::load_with_limit(&path, DEFAULT_MAX_SNAPSHOT_SIZE)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "{}: the file is 1000000000 bytes (953.7 MiB), more than the 256 MiB limit",
            path.display()
        )),
        "{err}"
    );
    assert!(err.contains("KAIZEN_MAX_SNAPSHOT_SIZE=2G"), "{err}");
    assert_eq!(fs::metadata(&path).unwrap().len(), 1_000_000_000);

    // The same through a jail in every mode, in a child whose environment holds kaizen's
    // defaults whatever this process's is.
    let out = spawn_child(CHILD_TEST, "huge", dir.path())
        .wait_with_output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::metadata(&path).unwrap().len(), 1_000_000_000);
    assert_eq!(listing(dir.path()), vec!["orders.snap"]);
}

#[test]
fn the_size_limit_is_set_with_kaizen_max_snapshot_size() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    fs::write(&path, &real_snapshots()[0].1).unwrap();
    let out = spawn_child_with(
        CHILD_TEST,
        "limited",
        dir.path(),
        &[(kaizen::env::MAX_SNAPSHOT_SIZE, "1k")],
    )
    .wait_with_output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read(&path).unwrap(), real_snapshots()[0].1);
    assert_eq!(listing(dir.path()), vec!["orders.snap"]);

    let err = kaizen::env::max_snapshot_size(|_| Some("lots".into()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("KAIZEN_MAX_SNAPSHOT_SIZE=\"lots\" is not a size"),
        "{err}"
    );
}

const CHILD_TEST: &str =
    "files::child_runs_a_jail_under_a_size_limit_when_started_by_the_corrupt_tests";

/// In a child: `huge:DIR` — every mode refuses DIR/orders.snap as too large; `limited:DIR`
/// (run with `KAIZEN_MAX_SNAPSHOT_SIZE=1k`) — every mode refuses the real snapshot there.
/// Nothing in a normal run.
#[test]
fn child_runs_a_jail_under_a_size_limit_when_started_by_the_corrupt_tests() {
    let Some((role, dir)) = child_role() else {
        return;
    };
    let says = match role.as_str() {
        "huge" => "more than the 256 MiB limit",
        "limited" => "more than the 1 KiB limit",
        other => panic!("unknown child role {other}"),
    };
    // The front door reads the variable; the engine obeys the environment it is given.
    let limit = kaizen::env::max_snapshot_size(kaizen::env::process).unwrap();
    for mut env in all_modes() {
        env.max_snapshot_size = Some(limit);
        let err = order_jail(&dir).run_with(&orders(), env).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Snapshot { .. }), "{message}");
        assert!(message.contains(says), "{message}");
    }
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_read_as_the_same_snapshot() {
    let text = orders_text();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    fs::write(&path, &windows).unwrap();
    let verdict = order_jail(dir.path())
        .run_with(&orders(), env(UpdateMode::No))
        .unwrap();
    assert!(verdict.passed() && verdict.same == 7, "{verdict:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), windows);
}

#[test]
fn a_failed_write_leaves_no_temporary_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders.snap");
    // A changed behaviour makes an `auto` run write `orders.snap.new`; a directory with a
    // file in it sits there, so the rename fails.
    let changed = orders_text().replacen("returned:", "returned: 1\n  was:", 1);
    fs::write(&path, &changed).unwrap();
    fs::create_dir(dir.path().join("orders.snap.new")).unwrap();
    fs::write(dir.path().join("orders.snap.new").join("keep"), "x").unwrap();
    let before = listing(dir.path());
    let err = order_jail(dir.path())
        .run_with(&orders(), env(UpdateMode::Auto))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { path: p, .. } if p.ends_with("orders.snap.new")),
        "{err}"
    );
    assert_eq!(listing(dir.path()), before);
    assert_eq!(fs::read_to_string(&path).unwrap(), changed);

    // And directly: writing over a directory fails and cleans up.
    let target = dir.path().join("orders.snap.new");
    assert!(snapshot::write_atomic(&target, b"new").is_err());
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn a_file_cut_at_a_line_end_inside_the_last_value_fails_verification_and_rerecords_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.snap");
    let jail = || {
        Jail::new("lines", |n: u32| {
            (0..=n).map(|i| format!("line {i}\n")).collect::<String>()
        })
        .snapshot_dir(dir.path())
    };
    let cases = || Cases::new().list([1u32, 2, 3]);
    jail().run_with(&cases(), env(UpdateMode::Always)).unwrap();
    let whole = fs::read_to_string(&path).unwrap();
    assert!(whole.ends_with("    line 2\n    line 3\n"), "{whole}");
    // The last case's multi-line value loses its last line; the cut is at a line's end.
    let cut = &whole[..whole.len() - "    line 3\n".len()];
    fs::write(&path, cut).unwrap();

    let verdict = jail().run_with(&cases(), env(UpdateMode::No)).unwrap();
    assert!(!verdict.passed(), "{verdict:?}");
    assert_eq!((verdict.same, verdict.changed), (2, 1), "{verdict:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), cut);

    let verdict = jail().run_with(&cases(), env(UpdateMode::Always)).unwrap();
    assert!(verdict.passed(), "{verdict:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), whole);
}
