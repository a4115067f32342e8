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
    let cases = Cases::<Parcel>::from_source::<Parcel>(&["jail/freight.rs"], 300)
        .unwrap()
        // Added by hand: a local parcel of 16.5 kg and 13 items costs exactly 20.00 before the
        // PLUS discount, the one input that pins `fee > 2000` (README, "How strong is my
        // characterization?"); neither the harvested pools nor strengthening reach it.
        .list([(16_500, 0, "PLUS".to_string(), 13, false)]);
    jail.check(&cases);
}
