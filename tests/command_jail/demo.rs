//! Command jail tests: the demo.
#![allow(unused_imports)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kaizen::jail::command::{
    CapturedFile, CommandCase, CommandJail, Data, Ending, ProcessOutcome, SpecError, rows,
};
use proptest::prelude::*;

use crate::helpers::*;

fn demo() -> CommandJail {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    CommandJail::load(&root.join("jail/report.yaml"), root).unwrap_or_else(|err| panic!("{err}"))
}

#[test]
fn the_demo_report_spec_loads_explicit_cases_and_all_combinations() {
    let jail = demo();
    assert_eq!(jail.name(), "report");
    let cases = jail.cases();
    assert_eq!(cases.len(), 6 + 3 * 2 * 2);
    assert!(
        cases[0]
            .stdin
            .as_ref()
            .unwrap()
            .as_bytes()
            .starts_with(b"sku,qty,unit_price\n")
    );
    assert_eq!(
        cases[5].stdin,
        Some(Data::from(b"caf\xe9,2,3.50\r\n".to_vec()))
    );
    assert_eq!(
        cases[6].args,
        ["--currency", "EUR", "--discount", "0", "--format", "text"]
    );
}

#[test]
fn the_demo_report_runs_each_kind_of_case_as_described() {
    let jail = demo();
    let cases = jail.cases();
    let outcomes: Vec<ProcessOutcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases[..7]
            .iter()
            .map(|case| scope.spawn(|| jail.run(case)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let ordinary = &outcomes[0];
    assert_eq!(ordinary.label(), "exit 0", "{ordinary:?}");
    assert!(text(&ordinary.stdout).contains("INVOICE REPORT"));
    let CapturedFile::Content(summary) = &ordinary.files["out/summary.txt"] else {
        panic!()
    };
    assert!(
        text(summary).starts_with("generated=[timestamp]\nlines=3\n"),
        "{summary}"
    );

    assert!(
        !text(&outcomes[1].stdout).contains("discount:"),
        "exactly 100.00 gets no discount"
    );
    assert!(text(&outcomes[2].stdout).contains("discount: EUR 10.00 (10%)"));

    let large = &outcomes[3];
    assert_eq!(large.label(), "exit 0");
    assert!(text(&large.stderr).starts_with("warning: line 1: qty 1500 for bolt looks too large"));
    assert!(text(&large.stdout).starts_with("sku,qty,unit_price,line_total\n"));

    let bad = &outcomes[4];
    assert_eq!(bad.label(), "exit 2");
    assert_eq!(
        text(&bad.stderr),
        "error: line 1: qty 'three' is not a number\n"
    );
    assert!(bad.stdout.is_empty() && bad.files.is_empty());

    let latin1 = &outcomes[5];
    assert_eq!(latin1.label(), "exit 0");
    assert!(latin1.stdout.as_bytes().windows(4).any(|w| w == b"caf\xe9"));
    assert!(latin1.stdout.display().contains("caf\\xe9"));

    assert_eq!(outcomes[6].label(), "exit 0");
}
