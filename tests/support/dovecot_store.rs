//! A store with one account, "Test", on a test Dovecot's user1 (implicit TLS with the
//! server's certificate pinned, the password from a command, no check on start), for tests
//! that start the real window over it. Needs `mod dovecot` beside it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use poplar::account::{AccountSettings, PasswordSource};
use poplar::pop3::Security;
use poplar::store::{STORE_FILE, Writer};
use sha2::Digest as _;

use crate::dovecot::Dovecot;

/// The store file in `dir`, made with the account.
pub fn store_for(server: &Dovecot, dir: &Path) -> PathBuf {
    let path = dir.join(STORE_FILE);
    let mut s = AccountSettings::new("Test", "user1@localhost", server.host(), "user1");
    s.port = server.tls_port();
    s.security = Security::Tls;
    s.pin_sha256 = Some(sha2::Sha256::digest(server.cert_der()).into());
    s.password_source = PasswordSource::Command(format!("echo {}", server.password("user1")));
    s.check_on_start = false;
    let mut writer = Writer::open(&path).expect("open the store");
    writer.add_account(&s, 0).expect("add the account");
    drop(writer);
    path
}
