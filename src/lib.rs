//! kaizen — make refactoring legacy code safe.

pub mod cases;
pub mod snapshot;
