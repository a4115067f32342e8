//! The characterization of the legacy `loyalty_points` in `jail/loyalty.rs`, with inputs
//! seeded from its source: every combination (or pairwise) of the harvested literals, then
//! 300 seeded draws. It holds nothing else, so `kaizen strength --test characterize_loyalty`
//! judges mutants of the legacy file by this characterization alone.

#[path = "../jail/loyalty.rs"]
mod legacy;

use kaizen::{Cases, Jail};

/// Spend in cents, tier, visits, weekday.
type Purchase = (u32, String, u8, u8);

#[test]
fn the_legacy_loyalty_points_match_their_recorded_behaviour() {
    let jail = Jail::new("loyalty_points", |(spend, tier, visits, day): Purchase| {
        legacy::loyalty_points(spend, &tier, visits, day)
    });
    let cases = Cases::<Purchase>::from_source::<Purchase>(&["jail/loyalty.rs"], 300).unwrap();
    jail.check(&cases);
}
