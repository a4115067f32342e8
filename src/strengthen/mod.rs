//! Strengthening, the test-process side: what a characterization test does when `kaizen
//! strength --strengthen` runs it (`KAIZEN_STRENGTHEN` names a request folder) instead of
//! verifying, and the file of inputs strengthening found (`NAME.strengthened.yaml` beside the
//! snapshot), which `Jail::check` adds to the jail's cases as the `strengthened` source.
//!
//! The driver (`strength::strengthen`, in the `kaizen` binary) builds the test target once
//! unmutated and once per surviving mutant; the test binary does the work in between:
//! - **explore** (unmutated): [`pool`] makes the candidate inputs from the recorded ones,
//!   [`probe`] runs each on the original and writes its behaviour text — once per pool;
//! - **judge** (one mutant): [`probe`] runs the same candidates on the mutant, in order of
//!   magnitude, and stops at the first whose behaviour text differs. Progress is one byte per
//!   candidate, so the driver sees a hang (no byte within the time limit) and counts the
//!   candidate running then as the one that kills the mutant.
//! - **behave** (either build): [`behave`] runs a list of inputs and writes each behaviour,
//!   so the driver can shrink a found killer below the pool ([`simplify`]) by comparing the
//!   unmutated and the mutated build on the inputs one step simpler.

pub mod added;
pub mod behave;
pub mod pool;
pub mod probe;
pub mod simplify;
pub mod values;
