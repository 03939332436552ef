//! Poplar: a desktop mail reader for POP3 accounts.
pub mod cli;
pub mod pop3;
