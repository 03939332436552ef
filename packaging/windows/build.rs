//! Cargo build script (`build = "packaging/windows/build.rs"` in Cargo.toml).
//!
//! For a Windows target it embeds the application icon (`packaging/windows/poplar.ico`) and
//! the version information that Explorer shows under Properties → Details into `poplar.exe`,
//! through the `winresource` crate. For every other target it does nothing.
//!
//! `winresource` is a build dependency only on Windows hosts, so its use is behind
//! `#[cfg(windows)]`: this script also compiles on Linux and macOS, where the crate is absent.
//! Cross-compiling to Windows from another host therefore builds an executable without the
//! icon, and says so with a warning.

// Cargo reads its instructions from this script's standard output.
#![allow(clippy::print_stdout)]

const ICON: &str = "packaging/windows/poplar.ico";

fn main() {
    println!("cargo:rerun-if-changed=packaging/windows/build.rs");
    println!("cargo:rerun-if-changed={ICON}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        resources::embed();
    }
}

#[cfg(windows)]
mod resources {
    /// Compiles the icon and the version strings into a resource and links it into the binary.
    /// (`WindowsResource::new` fills in FileVersion and ProductVersion from Cargo.toml.)
    pub fn embed() {
        let mut res = winresource::WindowsResource::new();
        res.set_icon(super::ICON)
            .set("ProductName", "Poplar")
            // Task Manager and "Open with" show FileDescription as the program's name.
            .set("FileDescription", "Poplar")
            .set("Comments", "A mail reader for POP3 accounts")
            .set("CompanyName", "The Poplar developers")
            // ASCII only: rc.exe reads the generated .rc file in the system code page.
            .set(
                "LegalCopyright",
                "Copyright (c) The Poplar developers; MIT OR Apache-2.0",
            )
            .set("OriginalFilename", "poplar.exe")
            .set("InternalName", "poplar");
        if let Err(err) = res.compile() {
            panic!(
                "cannot embed the Windows resources ({}): {err}",
                super::ICON
            );
        }
    }
}

#[cfg(not(windows))]
mod resources {
    /// A Windows target built on another host: the resource compiler is not at hand here.
    pub fn embed() {
        println!(
            "cargo:warning=cross-compiling for Windows: poplar.exe gets no icon or version \
             information (build on Windows to embed them)"
        );
    }
}
