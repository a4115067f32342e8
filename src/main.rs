//! The `kaizen` command: see `kaizen --help` and the README.

fn main() -> std::process::ExitCode {
    kaizen::cli::main()
}
