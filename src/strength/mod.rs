//! How strong is a characterization? kaizen asks cargo-mutants to change the jailed legacy
//! code in small ways (`<` to `<=`, a body replaced by a default value) and runs the
//! characterization tests against each change. A change the tests catch is a behaviour the
//! recorded inputs pin; a change they miss is one no recorded input tells apart from the
//! original — a hole in the characterization, shown with the legacy line it is on.
//!
//! The data flows one way: [`run`] drives cargo-mutants and yields its [`outcomes`];
//! [`score`] turns outcomes (of one run, or of several shards merged) into a [`Strength`];
//! [`render`] prints it for people or as JSON.

pub mod outcomes;
pub mod render;
pub mod run;
pub mod score;

pub use score::{Strength, score};
pub mod literals;
pub mod minimize;
pub mod probe_run;
pub mod shrink;
pub mod strengthen;
