//! The characterization of the legacy `invoice_total` in `jail/invoice.rs`, with every input
//! source (`tests/invoice_demo`). It holds nothing else, so `kaizen strength --test
//! characterize_invoice` judges mutants of the legacy file by this characterization alone.

mod invoice_demo;
#[path = "../jail/invoice.rs"]
mod legacy;

#[test]
fn the_legacy_invoice_matches_its_recorded_behaviour() {
    invoice_demo::jail(legacy::invoice_total).check(&invoice_demo::cases());
}
