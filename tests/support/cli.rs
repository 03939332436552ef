//! Running the `poplar` binary on a data directory, as a script would.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::path::Path;
use std::process::{Command, Output};

pub fn poplar(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_poplar"))
        .env("LC_ALL", "C")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("run poplar")
}

/// Its standard output; the command must succeed.
pub fn ok(data_dir: &Path, args: &[&str]) -> String {
    let out = poplar(data_dir, args);
    assert!(
        out.status.success(),
        "poplar {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Its standard error; the command must fail.
pub fn refused(data_dir: &Path, args: &[&str]) -> String {
    let out = poplar(data_dir, args);
    assert!(!out.status.success(), "poplar {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}
