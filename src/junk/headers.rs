//! The spam marks that providers and server-side filters put in a message's header, and
//! [`provider_verdict`], which finds the first one the user has enabled.
//!
//! Every check reads only what its filter is known to write; where a value is not what that
//! filter writes (a word that is not "Yes", a score that is not a plain decimal number, an
//! SCL out of range) the check does not match. A provider's mark moves mail without the
//! user's say, so a mark that cannot be read is no mark.

use std::collections::BTreeSet;

use serde::{Deserialize, Deserializer, Serialize};

/// The score at or above which [`SpamCheck::SpamScore`] calls a message spam unless the user
/// sets another: SpamAssassin's own default `required_score`.
pub const DEFAULT_SCORE_THRESHOLD: f64 = 5.0;

/// How much of a field's value a check reads, in bytes: every mark we know of is at the start
/// of its field, and a hostile 16 KB field costs no more than a short one.
const READ_BYTES: usize = 256;

/// How much of the Forefront report is read: its `SFV:` item comes after a dozen short ones.
const FOREFRONT_READ_BYTES: usize = 2048;

/// The longest value [`ProviderVerdict::field`] keeps, in characters.
const FIELD_MAX_CHARS: usize = 200;

/// The largest score, either way, that is taken for a score: SpamAssassin's blocklist rules
/// add 100 and real totals stay in the hundreds, so a bigger number is not a score.
const MAX_SCORE: f64 = 10_000.0;

/// One spam mark a provider or filter puts in the header. The user chooses which ones Poplar
/// believes ([`JunkHeaderSettings::enabled`]).
///
/// Each has a stable id ([`SpamCheck::id`], the snake_case name of the variant), which is
/// also its JSON form and the key of its translated label: the store keeps the ids, the
/// window shows [`SpamCheck::label`] (English) until the catalogue has the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpamCheck {
    /// `X-Spam-Flag: YES`: SpamAssassin's flag, also written by rspamd (its milter headers)
    /// and many Dovecot and Postfix set-ups. "YES" or "true", in any case, as rspamd's own
    /// `SPAM_FLAG` rule reads it (rspamd `rules/regexp/upstream_spam_filters.lua`).
    SpamFlag,
    /// `X-Spam-Status: Yes, score=7.9 required=5.0 tests=…`: SpamAssassin's verdict (Amavis
    /// and Stalwart write the same form). Only the leading word counts: "Yes" (or "true").
    SpamStatus,
    /// `X-Spam: Yes`: rspamd's milter header for a message it judged spam (rspamd's milter
    /// headers module, and the `SPAM_FLAG` rule above, which reads it too).
    XSpam,
    /// A spam score at or above [`JunkHeaderSettings::score_threshold`]: the `score=` of
    /// `X-Spam-Status` (SpamAssassin, Amavis), else `X-Spam-Score` (Amavis, SpamAssassin
    /// set-ups), else `X-Rspamd-Score` (rspamd). The status field's score comes first because
    /// some hosts write `X-Spam-Score` in tenths (`-41` beside `score=-4.1`), which would
    /// make a harmless 1.2 a 12.
    SpamScore,
    /// GMX and WEB.DE (United Internet): the inbound filter's result, `X-UI-Filterresults`
    /// or, in its newer name, `UI-InboundReport`, starting `junk:` (`junk:10;V03:K0:…`);
    /// `notjunk:1;…` and `unknown:2;…` are not junk. rspamd's `UNITEDINTERNET_SPAM` rule
    /// reads `^junk:` the same way (rspamd pull requests 1925 and 3854); real GMX and WEB.DE
    /// messages (tests/fixtures: `nodemailer__spam.eml`, `stalwart__thirdparty-015.eml`) and
    /// public test data show the `notjunk:`/`unknown:` forms under both names.
    ///
    /// `X-UI-Out-Filterresults` and `UI-OutboundReport` are never read: they are the
    /// sender's provider's verdict on its outgoing mail, not the recipient's.
    UnitedInternet,
    /// T-Online: its mail servers scan incoming mail with eleven's eXpurgate and record the
    /// category in `X-TOI-EXPURGATEID: 149288::1767080332-9F7F14FD-F2085298/3/8621109840
    /// BULK NORMAL` (an id, then the category, then a second word). Public messages received
    /// at t-online.de show `CLEAN` and `BULK`; eXpurgate's list of categories (eleven.de and
    /// spamfence.net, "e-mail categories") has `spam` for mail "unambiguously identified as
    /// spam or phishing", so the category `SPAM` is junk. `BULK` (newsletters) and `SUSPECT`
    /// are not. A message of category SPAM was not among the samples found, so this check
    /// rests on eXpurgate's documentation; no `X-TOI-SPAM` field was found anywhere.
    TOnline,
    /// Microsoft (Outlook.com, Exchange Online): `X-MS-Exchange-Organization-SCL` of 5 or
    /// more (Microsoft's spam confidence levels: -1 skipped, 0 and 1 not spam, 5 and 6 spam,
    /// 8 and 9 high-confidence spam; [MS-OXCMAIL] gives the range -1 to 10), or
    /// `X-Forefront-Antispam-Report` with the item `SFV:SPM` ("marked as spam by spam
    /// filtering", which rspamd's `MICROSOFT_SPAM` rule reads too).
    Microsoft,
}

impl SpamCheck {
    /// Every check, in the order [`provider_verdict`] tries them.
    pub const ALL: [SpamCheck; 7] = [
        SpamCheck::SpamFlag,
        SpamCheck::SpamStatus,
        SpamCheck::XSpam,
        SpamCheck::SpamScore,
        SpamCheck::UnitedInternet,
        SpamCheck::TOnline,
        SpamCheck::Microsoft,
    ];

    /// The stable id: the JSON form, and the key for the window's translated label.
    pub fn id(self) -> &'static str {
        match self {
            SpamCheck::SpamFlag => "spam_flag",
            SpamCheck::SpamStatus => "spam_status",
            SpamCheck::XSpam => "x_spam",
            SpamCheck::SpamScore => "spam_score",
            SpamCheck::UnitedInternet => "united_internet",
            SpamCheck::TOnline => "t_online",
            SpamCheck::Microsoft => "microsoft",
        }
    }

    /// The check whose [`SpamCheck::id`] is `id`; `None` for an id this version does not
    /// know.
    pub fn from_id(id: &str) -> Option<SpamCheck> {
        SpamCheck::ALL.into_iter().find(|check| check.id() == id)
    }

    /// What the check looks for, in English, for the settings (the catalogue will translate
    /// it by [`SpamCheck::id`]).
    pub fn label(self) -> &'static str {
        match self {
            SpamCheck::SpamFlag => "X-Spam-Flag: YES (SpamAssassin, rspamd)",
            SpamCheck::SpamStatus => "X-Spam-Status: Yes (SpamAssassin)",
            SpamCheck::XSpam => "X-Spam: Yes (rspamd)",
            SpamCheck::SpamScore => "Spam score at or above the threshold (SpamAssassin, rspamd)",
            SpamCheck::UnitedInternet => "GMX and WEB.DE junk verdict",
            SpamCheck::TOnline => "T-Online spam category",
            SpamCheck::Microsoft => "Microsoft spam verdict (Outlook.com, Exchange Online)",
        }
    }

    /// The first field of `headers` (name, value) by which this check calls the message
    /// spam, with `threshold` for [`SpamCheck::SpamScore`].
    fn find(self, headers: &[(String, String)], threshold: f64) -> Option<&(String, String)> {
        let named = |names: &'static [&'static str]| {
            headers
                .iter()
                .filter(move |(name, _)| names.iter().any(|n| name.eq_ignore_ascii_case(n)))
        };
        match self {
            SpamCheck::SpamFlag => named(&["X-Spam-Flag"]).find(|(_, v)| says_yes(v)),
            SpamCheck::SpamStatus => named(&["X-Spam-Status"]).find(|(_, v)| says_yes(v)),
            SpamCheck::XSpam => named(&["X-Spam"]).find(|(_, v)| says_yes(v)),
            SpamCheck::SpamScore => {
                if !threshold.is_finite() {
                    return None;
                }
                // The first source with a readable score decides (see the variant's doc for why).
                let scored = named(&["X-Spam-Status"])
                    .find_map(|field| status_score(&field.1).map(|score| (field, score)))
                    .or_else(|| {
                        named(&["X-Spam-Score", "X-Rspamd-Score"])
                            .find_map(|field| plain_score(score_word(&field.1)).map(|s| (field, s)))
                    });
                scored.and_then(|(field, score)| (score >= threshold).then_some(field))
            }
            SpamCheck::UnitedInternet => named(&["X-UI-Filterresults", "UI-InboundReport"])
                .find(|(_, v)| starts_with_ignore_case(v.trim_start(), "junk:")),
            SpamCheck::TOnline => named(&["X-TOI-EXPURGATEID"]).find(|(_, v)| {
                let mut words = head(v, READ_BYTES).split_whitespace();
                let id = words.next().unwrap_or_default();
                id.contains("::") && words.next().is_some_and(|c| c.eq_ignore_ascii_case("SPAM"))
            }),
            SpamCheck::Microsoft => headers.iter().find(|(name, value)| {
                if name.eq_ignore_ascii_case("X-MS-Exchange-Organization-SCL") {
                    scl(value).is_some_and(|level| level >= 5)
                } else if name.eq_ignore_ascii_case("X-Forefront-Antispam-Report") {
                    head(value, FOREFRONT_READ_BYTES)
                        .split(';')
                        .any(|item| item.trim().eq_ignore_ascii_case("SFV:SPM"))
                } else {
                    false
                }
            }),
        }
    }
}

/// Why a provider's mark makes a message junk: the check, and the field as the message has
/// it, for the message view ("Junk because of X-Spam-Flag: YES").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderVerdict {
    /// The check that matched.
    pub check: SpamCheck,
    /// The field, `Name: value`, its value cut at 200 characters (with "…").
    pub field: String,
}

/// Which provider marks the user believes, and the score that counts as spam. The store
/// keeps it as JSON; `tests::headers::the_json_of_the_default_settings_is_pinned` guards
/// the form.
///
/// In the JSON, a check id this version does not know (written by a newer Poplar) is left
/// out rather than refused, and a missing field takes its default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JunkHeaderSettings {
    /// The checks [`provider_verdict`] tries; those left out are never looked at.
    #[serde(deserialize_with = "known_checks")]
    pub enabled: BTreeSet<SpamCheck>,
    /// The score at or above which [`SpamCheck::SpamScore`] matches (SpamAssassin calls a
    /// message spam at or above its `required_score`). A threshold that is not a finite
    /// number turns that check off.
    pub score_threshold: f64,
}

impl Default for JunkHeaderSettings {
    /// Every check on, and SpamAssassin's default threshold of 5.
    fn default() -> Self {
        Self {
            enabled: SpamCheck::ALL.into_iter().collect(),
            score_threshold: DEFAULT_SCORE_THRESHOLD,
        }
    }
}

/// The provider's verdict on a message with these header fields (name in any case, value
/// decoded and unfolded: [`MessageFacts::headers`](crate::rules::MessageFacts::headers)):
/// the first enabled check, in the order of [`SpamCheck::ALL`], that finds its mark, and
/// the first field where it found it. `None` when no enabled check matches.
///
/// Every occurrence of a field counts, not only the first: a message relayed through a
/// list or a forwarder may carry another server's marks, and those are spam marks too.
pub fn provider_verdict(
    headers: &[(String, String)],
    settings: &JunkHeaderSettings,
) -> Option<ProviderVerdict> {
    SpamCheck::ALL
        .into_iter()
        .filter(|check| settings.enabled.contains(check))
        .find_map(|check| {
            let (name, value) = check.find(headers, settings.score_threshold)?;
            Some(ProviderVerdict {
                check,
                field: shown_field(name, value),
            })
        })
}

/// `name: value`, the value cut at [`FIELD_MAX_CHARS`] characters.
fn shown_field(name: &str, value: &str) -> String {
    let value = value.trim();
    match value.char_indices().nth(FIELD_MAX_CHARS) {
        Some((cut, _)) => format!("{name}: {}…", &value[..cut]),
        None => format!("{name}: {value}"),
    }
}

/// Whether the field's first word is "yes" or "true", in any case: "Yes, score=…" and
/// "YES" say yes; "No", "Yesterday" and "" do not.
fn says_yes(value: &str) -> bool {
    let word = first_word(value);
    word.eq_ignore_ascii_case("yes") || word.eq_ignore_ascii_case("true")
}

/// The value's first word: up to the first white space, `,` or `;`, within [`READ_BYTES`].
fn first_word(value: &str) -> &str {
    let value = head(value, READ_BYTES).trim_start();
    let end = value
        .find(|ch: char| ch.is_whitespace() || ch == ',' || ch == ';')
        .unwrap_or(value.len());
    &value[..end]
}

/// The value's first word as a score is written: up to the first white space or `;` (not
/// `,`, so that "5,2" is not read as 5).
fn score_word(value: &str) -> &str {
    let value = head(value, READ_BYTES).trim_start();
    let end = value
        .find(|ch: char| ch.is_whitespace() || ch == ';')
        .unwrap_or(value.len());
    &value[..end]
}

/// The `score=` of an `X-Spam-Status` value, when it has a readable one.
fn status_score(value: &str) -> Option<f64> {
    let text = head(value, READ_BYTES);
    let mut from = 0;
    while let Some(found) = find_ignore_case(&text[from..], "score=") {
        let at = from + found;
        // "score=" on its own, not the end of a longer name such as "xscore=".
        let alone = text[..at]
            .chars()
            .next_back()
            .is_none_or(|ch| ch.is_whitespace() || ch == ',' || ch == ';');
        let after = &text[at + "score=".len()..];
        if alone {
            return plain_score(score_word(after));
        }
        from = at + "score=".len();
    }
    None
}

/// `text` as a score when it is a plain decimal number (`7.9`, `-1`, `+12.31`) within
/// ±[`MAX_SCORE`]: not `inf`, `NaN`, `1e9`, `0x10`, `5,2` or `--1`.
fn plain_score(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let dotted = digits.contains('.');
    let plain = !whole.is_empty()
        && text.len() <= 24
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(dotted && fraction.is_empty());
    if !plain {
        return None;
    }
    let score: f64 = text.parse().ok()?;
    (score.is_finite() && score.abs() <= MAX_SCORE).then_some(score)
}

/// A spam confidence level: a whole number from -1 to 10 ([MS-OXCMAIL] 2.2.3.2.21).
fn scl(value: &str) -> Option<i8> {
    let word = first_word(value);
    if word.len() > 3 {
        return None;
    }
    let level: i8 = word.parse().ok()?;
    (-1..=10).contains(&level).then_some(level)
}

/// At most the first `max` bytes of `text`, cut at a char boundary.
fn head(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Whether `text` starts with the ASCII `prefix`, ignoring ASCII case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Where the ASCII `needle` first occurs in `text`, ignoring ASCII case.
fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The enabled checks from their ids, leaving out ids this version does not know.
fn known_checks<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeSet<SpamCheck>, D::Error> {
    let ids = Vec::<String>::deserialize(deserializer)?;
    Ok(ids.iter().filter_map(|id| SpamCheck::from_id(id)).collect())
}
