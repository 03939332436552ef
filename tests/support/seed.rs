//! Mail for tests: the real-world fixtures, and a store seeded with an account's messages as
//! a sync would have left them.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::path::{Path, PathBuf};

use poplar::account::AccountSettings;
use poplar::store::{AccountId, Incoming, Writer, prepare};

/// The messages of `tests/fixtures/mail/*.eml`, byte for byte, in file-name order.
pub fn fixtures() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("read fixture"))
        .collect()
}

/// Adds an account with `settings` and stores `mail` (UIDL, raw message) as downloaded from
/// `pop.invalid`, whole, in one batch.
pub fn add_account_with_mail(
    writer: &mut Writer,
    settings: &AccountSettings,
    mail: impl IntoIterator<Item = (String, Vec<u8>)>,
) -> AccountId {
    let account = writer
        .add_account(settings, 1_700_000_000)
        .expect("account");
    ingest(writer, account, mail);
    account
}

/// Stores `mail` (UIDL, raw message) for `account` as downloaded from `pop.invalid`, whole,
/// in one batch.
pub fn ingest(
    writer: &mut Writer,
    account: AccountId,
    mail: impl IntoIterator<Item = (String, Vec<u8>)>,
) {
    let batch = mail
        .into_iter()
        .map(|(uidl, raw)| {
            prepare(Incoming {
                uidl,
                raw,
                partial: false,
                fetched_at: 1_700_000_000,
                server: "pop.invalid".into(),
                tls_version: None,
            })
        })
        .collect();
    writer.ingest(account, batch).expect("ingest");
}
