//! Junk filtering (issue 16), the pure core: what a provider's spam marks in the header say,
//! and a small naive-Bayes filter that learns only from the user's own marks. No store, no
//! UI, no I/O.
//!
//! - `headers`: [`SpamCheck`], the spam marks providers and filters put in a message's header
//!   (SpamAssassin, rspamd, GMX and WEB.DE, T-Online, Microsoft), the user's choice of them
//!   ([`JunkHeaderSettings`], kept by the store as JSON), and [`provider_verdict`], which
//!   says whether one of the enabled marks is on a message and which field it was;
//! - `settings`: [`JunkSettings`], one account's filter (provider marks, learning), as the
//!   store keeps it;
//! - `bayes`: [`tokens`], the words of a message the filter weighs, the [`Counts`] it learns
//!   (which the store keeps in SQL; [`Model`] keeps them in memory), [`score`], the
//!   probability that a message is junk, and [`is_junk`], the conservative line above which
//!   a message is moved.
//!
//! The store (planned) is to ask the provider's verdict first (it is the provider's word,
//! and costs nothing), the user's trained filter second, move the message to its account's
//! Junk and remember why. Marking a message as junk or as not junk trains the filter (as
//! [`Model::train`] does; as [`Model::untrain`] does when the user changes their mind).

mod bayes;
mod fields;
mod headers;
mod settings;

#[cfg(test)]
mod tests;

pub use bayes::{
    Counts, JUNK_THRESHOLD, MAX_CLUES, MAX_TOKENS, MIN_TRAINED, MessageTotals, Model, TokenCounts,
    is_junk, score, tokens,
};
pub use fields::spam_fields;
pub use headers::{
    DEFAULT_SCORE_THRESHOLD, JunkHeaderSettings, ProviderVerdict, SpamCheck, provider_verdict,
};
pub use settings::JunkSettings;
