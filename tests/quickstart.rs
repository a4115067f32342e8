//! A legacy function, jailed and characterized: the README's quickstart.

use kaizen::{Cases, Jail};
use proptest::prelude::*;

// The legacy code: nobody dares to touch it. It stays exactly as it is.
fn shipping_cost(weight_kg: u32, express: bool, country: &str) -> u32 {
    let mut cost = if country == "DE" { 499 } else { 1299 };
    if weight_kg > 20 {
        cost += (weight_kg - 20) * 150;
    }
    if express {
        cost = cost * 2 - 1; // "make it look cheaper"
    }
    cost
}

#[test]
fn shipping_cost_is_characterized() {
    // 1. Jail: the function behind a stable interface, taking one recorded input.
    let jail = Jail::new(
        "shipping_cost",
        |(kg, express, country): (u32, bool, String)| shipping_cost(kg, express, &country),
    );
    // 2. Characterize: every combination of interesting values, plus 200 generated inputs
    //    (always the same 200: the seed is fixed).
    let cases = Cases::new()
        .combinations((
            vec![0, 1, 20, 21, 100],
            vec![false, true],
            vec!["DE".to_string(), "FR".into()],
        ))
        .proptest((0u32..500, any::<bool>(), "DE|FR|US|[A-Z]{2}"), 200);
    // 3. The first run records snapshots/shipping_cost.snap; every later run verifies.
    jail.check(&cases);
}
