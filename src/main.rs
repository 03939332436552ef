//! The `poplar` binary: the mail window, or the command line with a subcommand.

use std::process::ExitCode;

fn main() -> ExitCode {
    poplar::cli::run()
}
