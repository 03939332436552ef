//! The words people read, in English or German: Fluent catalogues in `assets/i18n/<lang>/`,
//! compiled into the binary, and [`tr!`](crate::tr) to look a message up.
//!
//! The language is chosen once per process from the system's locale (`LANGUAGE`, `LC_ALL`,
//! `LC_MESSAGES`, `LANG`, in the order gettext reads them) or from the user's choice under
//! View → Language (kept in `settings.conf`), and can be changed while the window runs. English
//! is the fallback: a message missing from the German catalogue shows in English (the tests
//! make sure none is missing).
//!
//! Machine-readable output (the command line's flags, subcommands and `--json` fields) is
//! never translated.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;

pub use fluent_bundle::FluentValue;

/// The English catalogue (the source language, and the fallback).
pub const ENGLISH_FTL: &str = include_str!("../../assets/i18n/en/poplar.ftl");
/// The German catalogue.
pub const GERMAN_FTL: &str = include_str!("../../assets/i18n/de/poplar.ftl");

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// English (the fallback).
    English,
    /// German.
    German,
}

impl Language {
    /// Every language, in the order the menu lists them.
    pub const ALL: [Language; 2] = [Language::English, Language::German];

    /// The language's own name, as a menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "Deutsch",
        }
    }

    /// The short code kept in settings ("en", "de").
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }

    /// The language of a code or locale name ("de", "de_DE.UTF-8", "en-GB"), if we have it.
    pub fn from_locale(locale: &str) -> Option<Self> {
        let primary: String = locale
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase();
        match primary.as_str() {
            "de" => Some(Language::German),
            "en" => Some(Language::English),
            _ => None,
        }
    }
}

/// The language the system asks for, from the environment as gettext reads it: `LANGUAGE`
/// (a colon-separated list, honoured unless the locale is C/POSIX), then the first of
/// `LC_ALL`, `LC_MESSAGES`, `LANG` that is set. English where none names a language we have.
pub fn system_language() -> Language {
    language_from(|name| std::env::var(name).ok())
}

/// [`system_language`] over any environment (tests give their own).
pub fn language_from(var: impl Fn(&str) -> Option<String>) -> Language {
    let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let locale = set("LC_ALL")
        .or_else(|| set("LC_MESSAGES"))
        .or_else(|| set("LANG"));
    let c_locale = locale
        .as_deref()
        .is_some_and(|l| l == "C" || l == "POSIX" || l.starts_with("C."));
    if !c_locale && let Some(list) = set("LANGUAGE") {
        for entry in list.split(':') {
            if let Some(language) = Language::from_locale(entry) {
                return language;
            }
        }
    }
    locale
        .as_deref()
        .and_then(Language::from_locale)
        .unwrap_or(Language::English)
}

/// 0: not chosen yet (the system's language is read on first use).
static CURRENT: AtomicU8 = AtomicU8::new(0);

fn encode(language: Language) -> u8 {
    match language {
        Language::English => 1,
        Language::German => 2,
    }
}

/// The interface's language now.
pub fn language() -> Language {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Language::English,
        2 => Language::German,
        _ => {
            // Unit tests read English whatever the machine's locale (tests of German say so).
            let language = if cfg!(test) {
                Language::English
            } else {
                system_language()
            };
            // Only the first reader decides; a choice made meanwhile stays.
            let _ =
                CURRENT.compare_exchange(0, encode(language), Ordering::Relaxed, Ordering::Relaxed);
            language_now()
        }
    }
}

fn language_now() -> Language {
    match CURRENT.load(Ordering::Relaxed) {
        2 => Language::German,
        _ => Language::English,
    }
}

/// Switches the interface's language (for the whole process).
pub fn set_language(language: Language) {
    CURRENT.store(encode(language), Ordering::Relaxed);
}

struct Bundles {
    english: FluentBundle<FluentResource>,
    german: FluentBundle<FluentResource>,
}

fn bundle(code: &str, source: &'static str) -> FluentBundle<FluentResource> {
    let language: unic_langid::LanguageIdentifier = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // egui draws the Unicode isolation marks Fluent puts around arguments as boxes.
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(source.to_owned()) {
        Ok(resource) => resource,
        // The tests parse both catalogues: a broken one never ships. Keep what did parse.
        Err((resource, _errors)) => resource,
    };
    // Duplicate ids are caught by the tests too; the first one wins here.
    let _ = bundle.add_resource(resource);
    bundle
}

fn bundles() -> &'static Bundles {
    static BUNDLES: OnceLock<Bundles> = OnceLock::new();
    BUNDLES.get_or_init(|| Bundles {
        english: bundle("en", ENGLISH_FTL),
        german: bundle("de", GERMAN_FTL),
    })
}

fn format_in(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: Option<&FluentArgs<'_>>,
) -> Option<String> {
    let message = bundle.get_message(id)?;
    let pattern = message.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    Some(text.into_owned())
}

/// The message `id` in `language`, with `args`; English where German lacks it, and the id
/// itself where both do (so a missing message is visible, never an empty label).
pub fn message_in(language: Language, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundles = bundles();
    let preferred = match language {
        Language::English => &bundles.english,
        Language::German => &bundles.german,
    };
    format_in(preferred, id, args)
        .or_else(|| format_in(&bundles.english, id, args))
        .unwrap_or_else(|| id.to_owned())
}

/// The message `id` in the current language.
pub fn message(id: &str, args: Option<&FluentArgs<'_>>) -> String {
    message_in(language(), id, args)
}

/// Looks up a message in the current language: `tr!("menu-file")`, or with arguments
/// `tr!("new-mail-summary", count = 3, account = name)`. Every id used this way must be in
/// both catalogues; `i18n`'s tests read the sources to make sure.
#[macro_export]
macro_rules! tr {
    ($id:literal) => {
        $crate::i18n::message($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::FluentValue::from($value)); )+
        $crate::i18n::message($id, Some(&args))
    }};
}

/// [`tr!`](crate::tr) in a given language: `tr_in!(Language::German, "id", arg = value)`.
#[macro_export]
macro_rules! tr_in {
    ($language:expr, $id:literal) => {
        $crate::i18n::message_in($language, $id, None)
    };
    ($language:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::FluentValue::from($value)); )+
        $crate::i18n::message_in($language, $id, Some(&args))
    }};
}

pub use fluent_bundle::FluentArgs;

/// Unit tests that switch the process's language take turns through this lock, so that
/// none reads another's language.
#[cfg(test)]
pub(crate) fn language_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests;
