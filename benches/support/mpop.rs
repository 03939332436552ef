//! The mpop configuration the network benchmarks run mpop with: implicit TLS trusting the
//! test server's certificate, keep everything on the server, download everything every run,
//! deliver byte for byte into a maildir.
#![allow(dead_code)]

use std::path::Path;

/// Where and as whom mpop logs in, and where it delivers.
pub struct MpopTarget<'a> {
    /// Server host.
    pub host: &'a str,
    /// Implicit-TLS port.
    pub port: u16,
    /// The server's certificate, trusted as mpop's only trust file.
    pub cert: &'a Path,
    /// User.
    pub user: &'a str,
    /// Password.
    pub password: &'a str,
    /// mpop's UIDL state file (deleted between runs by the caller's fresh directory).
    pub uidls: &'a Path,
    /// The maildir to deliver into.
    pub maildir: &'a Path,
}

/// The text of an mpoprc with one account named `bench`.
pub fn mpop_config(target: &MpopTarget<'_>) -> String {
    format!(
        "account bench\n\
         host {host}\n\
         port {port}\n\
         tls on\n\
         tls_starttls off\n\
         tls_trust_file {cert}\n\
         user {user}\n\
         password {password}\n\
         keep on\n\
         only_new off\n\
         uidls_file {uidls}\n\
         received_header off\n\
         delivery maildir {maildir}\n",
        host = target.host,
        port = target.port,
        cert = target.cert.display(),
        user = target.user,
        password = target.password,
        uidls = target.uidls.display(),
        maildir = target.maildir.display(),
    )
}
