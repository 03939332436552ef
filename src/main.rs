//! The `poplar` binary: the command line (and, once it exists, the mail window).

use std::process::ExitCode;

fn main() -> ExitCode {
    poplar::cli::run()
}
