//! The input sources of `Cases`: lists, all combinations, pairwise, proptest under a seed.
//!
//! `cargo run --example input_sources` prints how many inputs each source makes.

use kaizen::Cases;
use proptest::prelude::*;

type Order = (u8, u8, u8, u8, u8, u8);

fn main() {
    let six: Vec<u8> = (0..6).collect();
    let params = (
        six.clone(),
        six.clone(),
        six.clone(),
        six.clone(),
        six.clone(),
        six,
    );
    let all = Cases::<Order>::new().combinations(params.clone());
    let pairs = Cases::<Order>::new().pairwise(params);
    println!(
        "6 parameters x 6 values: {} combinations, {} pairwise",
        all.len(),
        pairs.len()
    );

    let cases = Cases::<(u32, bool)>::new()
        .list([(0, false), (u32::MAX, true)])
        .combinations((vec![1, 10, 100], vec![false, true]))
        .proptest((any::<u32>(), any::<bool>()), 5)
        .seed(42);
    for line in cases.describe() {
        println!("source: {line}");
    }
    for case in cases.generate() {
        println!("{:?} from {}", case.input, case.origin);
    }
}
