//! The POP3 engine: a sans-I/O protocol core and an async client over smol and TLS.
//!
//! Layers, from the bytes up:
//! - [`reader`]: turns received bytes into responses (status lines, dot-unstuffed bodies).
//! - [`command`]: commands, their validation and their wire form; [`Secret`] for passwords.
//! - [`session`]: the RFC 1939 state machine and the queue of pipelined commands.
//! - [`capability`], [`sasl`], [`response`], [`error`]: what the server offers, how to log in,
//!   what it said, and what went wrong.
//! - [`transport`] and [`client`]: the only code with sockets: TCP, TLS, timeouts, pipelining.
//!
//! Everything above `transport` is pure: tests and fuzzers feed it bytes directly.

pub mod capability;
pub mod certificate;
pub mod client;
pub mod command;
pub mod error;
pub mod reader;
pub mod response;
pub mod sasl;
pub mod scram;
pub mod session;
pub mod transport;

pub use capability::{Capabilities, Expire, SaslMechanism};
pub use client::{AuthMethod, Client, ClientConfig, Credentials, Listed, Pipeline, QuitOutcome};
pub use command::{Command, Secret};
pub use error::{Cause, Error, ErrorKind};
pub use reader::{Expect, Limits, ResponseReader};
pub use response::{Response, ResponseCode, StatusLine};
pub use session::{Session, State};
pub use transport::{Endpoint, Security, TlsInfo, TlsTrust, TlsVersion};
