//! kaizen — make refactoring legacy code safe.
