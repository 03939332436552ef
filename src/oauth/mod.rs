//! OAuth 2.0 sign-in for a desktop program, without any window (issue 15).
//!
//! The flow is the one RFC 8252 describes for native apps: the system's browser shows the
//! provider's sign-in page, the provider sends the browser back to a listener of ours on
//! `http://127.0.0.1:<random port>/`, and the code it brings is exchanged for tokens with the
//! PKCE verifier (RFC 7636, S256 only) that only this process knows.
//!
//! - [`provider`]: [`OAuthProvider`], the endpoints, scopes and client id; presets for
//!   Microsoft and Google, whose client ids come from the build (never another program's).
//! - [`pkce`]: the code verifier, its S256 challenge, `state`, and a constant-time compare.
//! - [`loopback`]: the redirect listener: it answers the browser with a small page and
//!   hands over the code, and checks `state`, the timeout and the cancel flag.
//! - [`http`]: the token endpoint's POST, our own small HTTP/1.1 over the POP3 engine's
//!   transport; plain `http://` only to a loopback host.
//! - [`token`]: [`Grant`] and the token endpoint's JSON answer read into it or an error.
//! - [`flow`]: [`authorize`] (or [`Authorization`] when the caller wants the URL first),
//!   [`refresh`], [`revoke`].
//! - [`browser`]: the [`Browser`] that opens the URL; [`SystemBrowser`] starts the desktop's.
//!
//! Every function here blocks its thread (the browser's return can take minutes): callers
//! run them on a thread of their own, never the UI thread. The async forms of the token calls
//! ([`refresh_async`]) are for code already on an executor.
//!
//! No token is ever written to `Display`, `Debug` or the trace: they travel as
//! [`Secret`](crate::pop3::Secret). Errors are an [`OAuthError`] kind with its facts; the
//! words a person reads are chosen later, by the window or the command line.

pub mod browser;
pub mod error;
pub mod flow;
pub mod form;
pub mod http;
pub mod loopback;
pub mod pkce;
pub mod provider;
pub mod token;

pub use browser::{Browser, SystemBrowser};
pub use error::OAuthError;
pub use flow::{Authorization, DEFAULT_SIGN_IN_TIMEOUT, authorize, refresh, refresh_async, revoke};
pub use provider::OAuthProvider;
pub use token::{Grant, REFRESH_BEFORE_EXPIRY, needs_refresh, unix_now};
