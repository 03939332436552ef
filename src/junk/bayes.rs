//! A small naive-Bayes junk filter, trained only on the user's own marks.
//!
//! The method is the one SpamBayes and Bogofilter use: each word's probability of junk is
//! smoothed as Gary Robinson proposed, f(w) = (s·x + n·p(w)) / (s + n) with s = 1 and
//! x = 0.5, so a word seen once says little; the strongest words are then combined with
//! Fisher's chi-square method, which weighs the evidence for junk and for good mail
//! separately and says 0.5 when they cancel out, instead of being pulled to 0 or 1 by a
//! long message.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;

use crate::rules::fold;

/// The most distinct tokens taken from one message, and the most [`score`] looks up: the
/// first ones, so a long message costs no more than one of a few pages.
pub const MAX_TOKENS: usize = 1500;

/// The most tokens [`score`] combines: the strongest ones.
pub const MAX_CLUES: usize = 150;

/// The junk messages and the good ones the user must have marked before [`score`] decides
/// anything: ten of each.
///
/// With fewer, each word's probability rests on a handful of messages, and those are often
/// one campaign's spam against a few personal letters: words like "the", "und" or the
/// user's own name would look like proof of one side, and good mail would be moved. Moving
/// good mail to Junk is the worse mistake, so a fresh store decides nothing, and the filter
/// starts once it has seen both kinds of mail more than a few times.
pub const MIN_TRAINED: u64 = 10;

/// The score at or above which a message is junk ([`is_junk`]). High on purpose: a good
/// message moved to Junk may go unread, while a junk message left in the inbox costs a
/// click.
pub const JUNK_THRESHOLD: f64 = 0.9;

/// Words shorter than this (in characters, after folding) are left out.
const MIN_WORD_CHARS: usize = 3;

/// Words longer than this (in characters, after folding) are left out: no word is that long,
/// but encoded data and URLs are.
const MAX_WORD_CHARS: usize = 30;

/// Pure numbers with more digits than this are left out: order and tracking numbers, phone
/// numbers and dates are different in every message and say nothing.
const MAX_NUMBER_DIGITS: usize = 6;

/// A word longer than this, in bytes, is dropped before it is folded: it cannot fold to
/// [`MAX_WORD_CHARS`] characters of real text, and folding it would cost its whole length.
const MAX_WORD_BYTES: usize = 256;

/// The longest domain name (RFC 1035: 253 characters in text form).
const MAX_DOMAIN_BYTES: usize = 253;

/// Tokens whose f(w) is closer than this to 0.5 are no evidence and are left out.
const MIN_STRENGTH: f64 = 0.1;

/// Robinson's s, the weight of the prior belief x against a word's own counts.
const ROBINSON_S: f64 = 1.0;

/// Robinson's x, what a word never seen says: nothing either way.
const ROBINSON_X: f64 = 0.5;

/// How many junk and good messages the user has marked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageTotals {
    /// Messages trained as junk.
    pub junk_messages: u64,
    /// Messages trained as good mail (ham).
    pub ham_messages: u64,
}

/// In how many of the trained junk and good messages one token appeared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenCounts {
    /// Junk messages with the token.
    pub junk: u64,
    /// Good messages with the token.
    pub ham: u64,
}

/// What the filter has learnt, as [`score`] asks for it. The store backs it with SQL (its
/// errors are `Error`); [`Model`] keeps it in memory.
///
/// Training must count as [`Model::train`] does: one per message in its totals, and one per
/// message for each distinct token it has among its first [`MAX_TOKENS`].
pub trait Counts {
    /// Why a lookup failed.
    type Error;

    /// How many junk and good messages were trained.
    fn totals(&self) -> Result<MessageTotals, Self::Error>;

    /// The counts of `token`; zeros for a token never seen.
    fn token(&self, token: &str) -> Result<TokenCounts, Self::Error>;
}

/// The tokens of a message for the filter: distinct, case- and accent-folded (with
/// [`fold`], as search folds), in this order, at most [`MAX_TOKENS`] of them (the first):
///
/// - `from:<domain>`: the domain of the sender's address `from` (the part after the last
///   `@`, which may end in `>`), when it looks like one;
/// - `s:<word>` for each word of `subject`, so a word in the subject weighs apart from the
///   same word in the body;
/// - each word of `body_words`, the text the store indexes for search (each word once,
///   space separated).
///
/// A word is a run of alphanumeric characters, split as the search index splits; only
/// words of 3 to 30 characters are kept, and no pure number of more than 6 digits.
pub fn tokens(subject: &str, from: &str, body_words: &str) -> Vec<String> {
    let mut tokens = Distinct::default();
    if let Some(domain) = sender_domain(from) {
        tokens.push(format!("from:{domain}"));
    }
    for word in words(subject) {
        if !tokens.push(format!("s:{word}")) {
            return tokens.list;
        }
    }
    for word in words(body_words) {
        if !tokens.push(word) {
            break;
        }
    }
    tokens.list
}

/// The probability that the message with these `tokens` is junk, from 0 to 1, by what
/// `counts` has learnt; `None` until at least [`MIN_TRAINED`] junk and as many good
/// messages were trained, or when a lookup fails (`Err`).
///
/// Of the first [`MAX_TOKENS`] distinct tokens, those whose smoothed f(w) is at least 0.1
/// away from 0.5 are evidence, and the [`MAX_CLUES`] strongest of them are combined (ties
/// broken by the token, so the same counts always give the same score). With no evidence
/// the score is 0.5. It is never NaN, whatever the counts.
pub fn score<C: Counts + ?Sized>(counts: &C, tokens: &[String]) -> Result<Option<f64>, C::Error> {
    let totals = counts.totals()?;
    if totals.junk_messages < MIN_TRAINED || totals.ham_messages < MIN_TRAINED {
        return Ok(None);
    }
    let mut clues = Vec::new();
    for token in distinct(tokens) {
        if let Some(clue) = Clue::of(counts.token(token)?, totals)
            && clue.strength() >= MIN_STRENGTH
        {
            clues.push((clue, token));
        }
    }
    clues.sort_by(|(a, a_token), (b, b_token)| {
        b.strength()
            .total_cmp(&a.strength())
            .then_with(|| a_token.cmp(b_token))
    });
    clues.truncate(MAX_CLUES);
    Ok(Some(combine(clues.iter().map(|(clue, _)| clue))))
}

/// Whether a [`score`] says junk: at or above [`JUNK_THRESHOLD`] (never for NaN).
pub fn is_junk(score: f64) -> bool {
    score >= JUNK_THRESHOLD
}

/// The filter's counts in memory: for tests, and for anything that trains without the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    totals: MessageTotals,
    tokens: HashMap<String, TokenCounts>,
}

impl Model {
    /// A model that has learnt nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Learns one message, junk or good, from its [`tokens`]: its kind's message count and
    /// the count of each of its distinct tokens (the first [`MAX_TOKENS`]) go up by one.
    pub fn train(&mut self, tokens: &[String], is_junk: bool) {
        let bump = |count: &mut u64| *count = count.saturating_add(1);
        bump(kind(&mut self.totals, is_junk));
        for token in distinct(tokens) {
            let counts = self.tokens.entry(token.clone()).or_default();
            bump(if is_junk {
                &mut counts.junk
            } else {
                &mut counts.ham
            });
        }
    }

    /// Forgets one message [`Model::train`] learnt with the same tokens and kind, as when the
    /// user takes back a mark. Counts stop at 0, so forgetting a message never learnt does
    /// no harm; a token whose counts reach 0 is dropped, so train then untrain leaves the
    /// model as it was.
    pub fn untrain(&mut self, tokens: &[String], is_junk: bool) {
        let drop_one = |count: &mut u64| *count = count.saturating_sub(1);
        drop_one(kind(&mut self.totals, is_junk));
        for token in distinct(tokens) {
            if let Some(counts) = self.tokens.get_mut(token.as_str()) {
                drop_one(if is_junk {
                    &mut counts.junk
                } else {
                    &mut counts.ham
                });
                if *counts == TokenCounts::default() {
                    self.tokens.remove(token.as_str());
                }
            }
        }
    }

    /// [`score`] over this model, which cannot fail.
    pub fn score(&self, tokens: &[String]) -> Option<f64> {
        match score(self, tokens) {
            Ok(score) => score,
            Err(never) => match never {},
        }
    }
}

impl Counts for Model {
    type Error = Infallible;

    fn totals(&self) -> Result<MessageTotals, Infallible> {
        Ok(self.totals)
    }

    fn token(&self, token: &str) -> Result<TokenCounts, Infallible> {
        Ok(self.tokens.get(token).copied().unwrap_or_default())
    }
}

/// The message count of one kind.
fn kind(totals: &mut MessageTotals, is_junk: bool) -> &mut u64 {
    if is_junk {
        &mut totals.junk_messages
    } else {
        &mut totals.ham_messages
    }
}

/// The first [`MAX_TOKENS`] distinct tokens of `tokens`, in order.
fn distinct(tokens: &[String]) -> impl Iterator<Item = &String> {
    let mut seen = HashSet::new();
    tokens
        .iter()
        .filter(move |token| seen.insert(token.as_str()))
        .take(MAX_TOKENS)
}

/// One token's evidence: Robinson's f(w), and 1 - f(w) computed on its own so that its
/// logarithm stays finite even where f(w) rounds to 1.
struct Clue {
    junk: f64,
    ham: f64,
}

impl Clue {
    /// The evidence of a token with these counts; `None` for a token never seen.
    fn of(counts: TokenCounts, totals: MessageTotals) -> Option<Clue> {
        let seen = counts.junk as f64 + counts.ham as f64;
        if seen == 0.0 {
            return None;
        }
        // p(w) as SpamBayes has it: the share of junk messages with the word against the
        // share of good ones, so that training more of one kind does not tilt every word.
        // A count above its total (a store out of step) is taken as the total.
        let share = |count: u64, total: u64| count.min(total) as f64 / total as f64;
        let junk_share = share(counts.junk, totals.junk_messages);
        let ham_share = share(counts.ham, totals.ham_messages);
        let shares = junk_share + ham_share;
        if shares == 0.0 {
            return None;
        }
        let p = junk_share / shares;
        let smooth = |prior: f64, p: f64| (ROBINSON_S * prior + seen * p) / (ROBINSON_S + seen);
        Some(Clue {
            junk: smooth(ROBINSON_X, p),
            ham: smooth(1.0 - ROBINSON_X, ham_share / shares),
        })
    }

    /// How far f(w) is from "no evidence".
    fn strength(&self) -> f64 {
        (self.junk - 0.5).abs()
    }
}

/// Fisher's method as SpamBayes combines it: how unlikely the junk evidence is under chance
/// (spamminess) against how unlikely the good evidence is (hamminess), mapped to 0..=1 with
/// 0.5 where they balance.
fn combine<'c>(clues: impl Iterator<Item = &'c Clue>) -> f64 {
    let (mut ln_junk, mut ln_ham, mut count) = (0.0_f64, 0.0_f64, 0_usize);
    for clue in clues {
        ln_junk += clue.junk.ln();
        ln_ham += clue.ham.ln();
        count += 1;
    }
    if count == 0 {
        return 0.5;
    }
    let spamminess = 1.0 - chi2_q(-2.0 * ln_ham, 2 * count);
    let hamminess = 1.0 - chi2_q(-2.0 * ln_junk, 2 * count);
    let probability = (spamminess - hamminess + 1.0) / 2.0;
    if probability.is_nan() {
        0.5
    } else {
        probability.clamp(0.0, 1.0)
    }
}

/// The chance that a chi-square variable with `freedom` (even) degrees of freedom is at
/// least `chi2`, by the series for even degrees of freedom.
fn chi2_q(chi2: f64, freedom: usize) -> f64 {
    let half = chi2 / 2.0;
    let mut term = (-half).exp();
    let mut sum = term;
    for i in 1..freedom / 2 {
        term *= half / i as f64;
        sum += term;
    }
    sum.min(1.0)
}

/// The folded words of `text` that make tokens.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| (MIN_WORD_CHARS..=MAX_WORD_BYTES).contains(&word.len()))
        .filter_map(|word| {
            let folded = fold(word);
            let chars = folded.chars().count();
            let number = folded.chars().all(char::is_numeric);
            let kept = (MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&chars)
                && !(number && chars > MAX_NUMBER_DIGITS);
            kept.then_some(folded)
        })
}

/// The folded domain of the address `from`, when what follows its last `@` looks like one.
fn sender_domain(from: &str) -> Option<String> {
    let (_, domain) = from.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('>').trim_end_matches('.');
    let plausible = !domain.is_empty()
        && domain.len() <= MAX_DOMAIN_BYTES
        && domain
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '-' || ch == '.');
    plausible.then(|| fold(domain))
}

/// Tokens in order, each once, at most [`MAX_TOKENS`].
#[derive(Default)]
struct Distinct {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Distinct {
    /// Adds `token` unless it is there; `false` once the list is full.
    fn push(&mut self, token: String) -> bool {
        if self.list.len() >= MAX_TOKENS {
            return false;
        }
        if self.seen.insert(token.clone()) {
            self.list.push(token);
        }
        self.list.len() < MAX_TOKENS
    }
}
