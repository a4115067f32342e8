//! Command jail tests: serialization.
#![allow(unused_imports)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kaizen::jail::command::{
    CapturedFile, CommandCase, CommandJail, Data, Ending, ProcessOutcome, SpecError, rows,
};
use proptest::prelude::*;

use crate::helpers::*;

#[test]
fn a_command_case_round_trips_through_yaml_leaving_out_empty_fields() {
    let case = CommandCase::with_args(["--month", "2024-03", "007"]);
    let yaml = serde_yaml::to_string(&case).unwrap();
    assert_eq!(yaml, "args:\n- --month\n- 2024-03\n- '007'\n");
    assert_eq!(serde_yaml::from_str::<CommandCase>(&yaml).unwrap(), case);
    let mut full = case.clone();
    full.stdin = Some(Data::from(b"\xff\r\n".to_vec()));
    full.env.insert("A".into(), "true".into());
    full.files.insert("x/y.txt".into(), Data::from("line\r\n"));
    let yaml = serde_yaml::to_string(&full).unwrap();
    assert_eq!(
        serde_yaml::from_str::<CommandCase>(&yaml).unwrap(),
        full,
        "{yaml}"
    );
}

#[test]
fn an_outcome_serializes_as_a_mapping_beside_other_keys() {
    let outcome = ProcessOutcome {
        ending: Ending::Timeout(Duration::from_secs(2)),
        stdout: Data::from("partial\n"),
        stderr: Data::default(),
        files: BTreeMap::new(),
    };
    let yaml = serde_yaml::to_string(&outcome).unwrap();
    assert_eq!(yaml, "timeout: 2s\nstdout: |\n  partial\n");
    assert_eq!(outcome.label(), "timeout after 2s");
    assert_eq!(
        serde_yaml::from_str::<ProcessOutcome>(&yaml).unwrap(),
        outcome
    );
    let signal = ProcessOutcome {
        ending: Ending::Signal(9),
        ..outcome.clone()
    };
    let yaml = serde_yaml::to_string(&signal).unwrap();
    assert!(yaml.starts_with("signal: 9 (SIGKILL)\n"), "{yaml}");
    assert_eq!(
        serde_yaml::from_str::<ProcessOutcome>(&yaml).unwrap(),
        signal
    );
}

#[test]
fn byte_data_in_yaml_rejects_bad_escapes() {
    let err = serde_yaml::from_str::<Data>("bytes: 'a\\q'")
        .unwrap_err()
        .to_string();
    assert!(err.contains("only \\\\ and \\xNN are escapes"), "{err}");
    let err = serde_yaml::from_str::<Data>("bytes: 'a\\x4'")
        .unwrap_err()
        .to_string();
    assert!(err.contains("two hex digits"), "{err}");
}

fn awkward_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\\x41".to_vec()),
        Just(b"\\".to_vec()),
        Just(b" ".to_vec()),
        Just(b"- ".to_vec()),
        Just(b"#".to_vec()),
        Just("é\u{85}\u{2028}\u{feff}".as_bytes().to_vec()),
        any::<String>().prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(pieces, 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn any_bytes_round_trip_through_yaml_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let data = Data::from(bytes.clone());
        let yaml = serde_yaml::to_string(&data).unwrap();
        let back: Data = serde_yaml::from_str(&yaml).unwrap();
        prop_assert_eq!(back.as_bytes(), &bytes[..], "yaml was {}", yaml);
    }

    #[test]
    fn awkward_text_round_trips_through_yaml_exactly(bytes in awkward_bytes()) {
        let data = Data::from(bytes.clone());
        let yaml = serde_yaml::to_string(&data).unwrap();
        let back: Data = serde_yaml::from_str(&yaml).unwrap();
        prop_assert_eq!(back.as_bytes(), &bytes[..], "yaml was {}", yaml);
        prop_assert_eq!(Data::unescape(&data.escaped()).unwrap(), data);
    }
}
