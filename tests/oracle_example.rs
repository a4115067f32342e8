//! Runs `examples/oracle.rs` and checks the report it prints.

#[path = "../examples/oracle.rs"]
mod example;

#[test]
fn the_oracle_example_reports_the_slip_at_the_big_basket_threshold_with_a_minimal_input() {
    example::main(); // what `cargo run --example oracle` prints
    let text = example::report();
    assert!(
        text.starts_with("loyalty: 500 cases, original vs refactored — "),
        "{text}"
    );
    assert!(text.contains("minimal input (shrunk in"), "{text}");
    assert!(
        text.contains("    - 25000\n    - ''\n    - 0\n    - 0\n"),
        "{text}"
    );
    assert!(
        text.contains("  - returned: 350\n  + returned: 250\n"),
        "{text}"
    );
}
