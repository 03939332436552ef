//! The `poplar` binary: the mail window, or the command line with a subcommand.

// Windows release builds are GUI programs: a double-click opens the window without a console
// window beside it (packaging/windows/README.md says what that means for the command line).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    poplar::cli::run()
}
