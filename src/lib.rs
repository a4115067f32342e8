//! kaizen — make refactoring legacy code safe.

pub mod jail;
