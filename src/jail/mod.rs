//! Jails: isolate legacy code behind a stable interface so its behaviour can be recorded and verified.

pub mod command;
