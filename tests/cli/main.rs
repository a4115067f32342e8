//! End-to-end tests of the `kaizen` command: each test copies a fixture project from
//! `tests/fixtures/` to a temp dir and drives the real binary there, with a hermetic
//! environment (see `harness`).

mod harness;

mod accept_list;
mod behaviours;
mod bounds;
mod ci;
mod demo;
mod errors;
mod formats;
mod html;
mod init_list;
mod outputs;
mod port;
mod port_demo;
mod processes;
mod record_verify;
mod review;
mod steps;
mod strength;
mod terminal;
mod usage;
mod verify_only;
mod writing;
mod xml;
