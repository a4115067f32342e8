//! The characterization of the legacy `freight_cents` in `jail/freight.rs` (nested branches,
//! thresholds that interact), with inputs seeded from its source: pairwise combinations of
//! the harvested literals, then 300 seeded draws. It holds nothing else, so `kaizen strength
//! --test characterize_freight` judges mutants of the legacy file by this characterization
//! alone.

#[path = "../jail/freight.rs"]
mod legacy;

use kaizen::{Cases, Jail};

/// Weight in grams, zone, club, items, express.
type Parcel = (u32, u8, String, u16, bool);

#[test]
fn the_legacy_freight_matches_its_recorded_behaviour() {
    let jail = Jail::new(
        "freight_cents",
        |(weight, zone, club, items, express): Parcel| {
            legacy::freight_cents(weight, zone, &club, items, express)
        },
    );
    let cases = Cases::<Parcel>::from_source::<Parcel>(&["jail/freight.rs"], 300).unwrap();
    jail.check(&cases);
}
