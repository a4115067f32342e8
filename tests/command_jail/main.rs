//! The command jail: specs, cases, running legacy programs as subprocesses.

mod combinations;
mod demo;
mod helpers;
mod links;
mod running;
mod serialization;
mod spec;
