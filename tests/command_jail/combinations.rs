//! Command jail tests: combinations.
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
fn cartesian_rows_vary_the_last_position_fastest() {
    assert_eq!(
        rows(&[2, 3], false),
        vec![
            vec![0, 0],
            vec![0, 1],
            vec![0, 2],
            vec![1, 0],
            vec![1, 1],
            vec![1, 2]
        ]
    );
    assert!(rows(&[2, 0], false).is_empty());
    assert_eq!(rows(&[3, 3, 3, 3], false).len(), 81);
}

#[test]
fn pairwise_rows_cover_every_pair_with_fewer_rows() {
    let sizes = [3, 3, 3, 3, 2];
    let found = rows(&sizes, true);
    assert!(found.len() < 3 * 3 * 3 * 3 * 2, "{} rows", found.len());
    assert!(found.len() <= 15, "{} rows", found.len());
    for i in 0..sizes.len() {
        for j in i + 1..sizes.len() {
            for a in 0..sizes[i] {
                for b in 0..sizes[j] {
                    assert!(
                        found.iter().any(|row| row[i] == a && row[j] == b),
                        "pair ({i}={a}, {j}={b}) missing"
                    );
                }
            }
        }
    }
}

#[test]
fn pairwise_combinations_expand_in_the_spec() {
    let (_p, jail) = jail(
        "command: [prog]\ncombinations:\n  args: [[a, b], [c, d], [e, f]]\n  pairwise: true\n",
    );
    let cases = jail.cases();
    assert!(cases.len() >= 4 && cases.len() < 8, "{}", cases.len());
}

#[test]
fn combinations_beyond_the_limit_are_refused_before_any_is_made() {
    let positions = ["[a, b, c, d, e, f, g, h, i, j]"; 12].join(", ");
    let err = spec_error(&format!(
        "command: [prog]\ncombinations:\n  args: [{positions}]\n"
    ));
    assert_eq!(
        (err.line, err.field.as_str()),
        (Some(2), "combinations.args")
    );
    assert!(
        err.message
            .contains("make 1000000000000 combinations, more than the limit of 2000000"),
        "{err}"
    );
    assert!(err.hint.contains("pairwise: true"), "{err}");
    assert!(err.hint.contains("combinations.max_cases"), "{err}");
    // Far past what any count type holds: still counted, still refused.
    let positions = ["[a, b, c, d, e, f, g, h, i, j]"; 60].join(", ");
    let err = spec_error(&format!(
        "command: [prog]\ncombinations:\n  args: [{positions}]\n"
    ));
    assert_eq!(err.field, "combinations.args");
}

#[test]
fn the_combination_limit_can_be_raised_and_is_counted_without_making_cases() {
    let positions = ["[a, b, c, d, e, f, g, h, i, j]"; 12].join(", ");
    let (_project, jail) = jail(&format!(
        "command: [prog]\ncombinations:\n  max_cases: 1000000000000\n  args: [{positions}]\n"
    ));
    assert_eq!(jail.case_count(), 1_000_000_000_000);
    assert_eq!(
        jail.case_place(999_999_999_999),
        "jail/t.yaml:2, combination 1000000000000 of 1000000000000"
    );
    let err =
        spec_error("command: [prog]\ncombinations:\n  max_cases: 3\n  args: [[a, b], [c, d]]\n");
    assert!(
        err.message
            .contains("2 × 2 values make 4 combinations, more than the limit of 3"),
        "{err}"
    );
}

#[test]
fn a_pairwise_set_too_big_for_the_limit_is_refused_before_it_is_made() {
    let values: Vec<String> = (0..2000).map(|n| format!("v{n}")).collect();
    let list = format!("[{}]", values.join(", "));
    let err = spec_error(&format!(
        "command: [prog]\ncombinations:\n  pairwise: true\n  args: [{list}, {list}, [x, y]]\n"
    ));
    assert!(
        err.message
            .contains("make at least 4000000 pairwise combinations"),
        "{err}"
    );
}

#[test]
fn a_value_listed_twice_in_one_position_is_refused() {
    let err = spec_error("command: [prog]\ncombinations:\n  args: [[a, b], [c, d, c]]\n");
    assert_eq!(err.field, "combinations.args[1]");
    assert!(
        err.message.contains("lists \"c\" twice (values 1 and 3)"),
        "{err}"
    );
}
