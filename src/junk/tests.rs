//! Junk filtering's behaviour, one test per behaviour.

use super::*;

mod bayes;
mod fixtures;
mod headers;

/// Header fields from `(name, value)` pairs, as [`crate::rules::MessageFacts`] holds them.
fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// Settings with only `check` enabled and the default threshold.
fn only(check: SpamCheck) -> JunkHeaderSettings {
    JunkHeaderSettings {
        enabled: [check].into_iter().collect(),
        ..JunkHeaderSettings::default()
    }
}
