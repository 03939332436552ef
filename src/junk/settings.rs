//! [`JunkSettings`]: what one account's junk filter does, as the store keeps it.

use serde::{Deserialize, Serialize};

use super::JunkHeaderSettings;

/// One account's junk filter. The store keeps it as JSON in `accounts.junk_filter`, and
/// keeps nothing (NULL) while it is the default, so an account that never changed it gains
/// the checks a later Poplar adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JunkSettings {
    /// Whether mail the provider marked as spam goes to Junk on arrival.
    pub provider_marks: bool,
    /// Which of the providers' marks are believed, and the score that counts as spam.
    pub headers: JunkHeaderSettings,
    /// Whether the filter trained on the user's own marks may move mail to Junk too.
    pub learning: bool,
}

impl Default for JunkSettings {
    fn default() -> Self {
        Self {
            provider_marks: true,
            headers: JunkHeaderSettings::default(),
            learning: true,
        }
    }
}

impl JunkSettings {
    /// The settings with everything off: nothing goes to Junk on arrival.
    pub fn off() -> Self {
        Self {
            provider_marks: false,
            headers: JunkHeaderSettings::default(),
            learning: false,
        }
    }

    /// Whether any part of the filter is on.
    pub fn is_on(&self) -> bool {
        self.provider_marks || self.learning
    }

    /// The JSON the store keeps; `None` for the defaults.
    pub fn to_stored(&self) -> Option<String> {
        if *self == Self::default() {
            return None;
        }
        serde_json::to_string(self).ok()
    }

    /// The settings from the store's JSON; the defaults for NULL, and for JSON this version
    /// cannot read (a filter that is on is the safe side: junk is only ever moved).
    pub fn from_stored(json: Option<&str>) -> Self {
        json.and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_kept_as_nothing_and_anything_else_round_trips() {
        assert_eq!(JunkSettings::default().to_stored(), None);
        assert_eq!(JunkSettings::from_stored(None), JunkSettings::default());
        let off = JunkSettings::off();
        let json = off.to_stored().expect("stored");
        assert_eq!(JunkSettings::from_stored(Some(&json)), off);
        assert!(!off.is_on());
        assert_eq!(
            JunkSettings::from_stored(Some("{\"provider_marks\": 7")),
            JunkSettings::default(),
            "unreadable JSON falls back to the defaults"
        );
    }
}
