//! The legacy files, included unchanged from `jail/` so that cargo-mutants mutates them.

#[path = "../jail/freight.rs"]
pub mod freight;
#[path = "../jail/invoice.rs"]
pub mod invoice;
#[path = "../jail/loyalty.rs"]
pub mod loyalty;
