//! The kaizen command-line tool.

fn main() {}
