//! Junk filtering (issue 16), the pure core: what a provider's spam marks in the header say.
//! No store, no UI, no I/O.
//!
//! - `headers`: [`SpamCheck`], the spam marks providers and filters put in a message's header
//!   (SpamAssassin, rspamd, GMX and WEB.DE, T-Online, Microsoft), the user's choice of them
//!   ([`JunkHeaderSettings`], kept by the store as JSON), and [`provider_verdict`], which
//!   says whether one of the enabled marks is on a message and which field it was.

mod headers;

#[cfg(test)]
mod tests;

pub use headers::{
    DEFAULT_SCORE_THRESHOLD, JunkHeaderSettings, ProviderVerdict, SpamCheck, provider_verdict,
};
