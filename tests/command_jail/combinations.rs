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
