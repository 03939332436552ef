//! Poplar: a desktop mail reader for POP3 accounts.
pub mod account;
pub mod app;
pub mod calendar;
pub mod cli;
pub mod desktop;
pub mod export;
pub mod i18n;
pub mod junk;
pub mod mail;
pub mod oauth;
pub mod pop3;
pub mod presets;
pub mod rules;
pub mod search;
pub mod store;
pub mod sync;
pub mod ui;
