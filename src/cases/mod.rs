//! Choosing the inputs a jail is exercised with.

pub mod harvest;
pub mod pairwise;
