//! Snapshots of recorded behaviour and the checks that keep them exact.

pub mod exact;
