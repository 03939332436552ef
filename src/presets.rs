//! Provider presets: the POP3 server, port, security and user-name form of well-known mail
//! providers, found by the domain of an email address, with each provider's gotchas.
//!
//! Pure data (from the providers' help pages and Thunderbird's ISPDB; see
//! `POP3-NOTES.md`). The accounts dialog fills its fields from here as the address is typed;
//! for an unknown domain it offers the usual guesses and lets "Test connection" decide.

use crate::pop3::Security;

/// How a provider wants the user name written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserName {
    /// The whole address, `anna@gmx.de`.
    Address,
    /// The part before `@` (WEB.DE).
    LocalPart,
}

impl UserName {
    /// The user name for `email` in this form.
    pub fn for_email(self, email: &str) -> String {
        let email = email.trim();
        match self {
            Self::Address => email.to_owned(),
            Self::LocalPart => email.split('@').next().unwrap_or(email).to_owned(),
        }
    }
}

/// A provider's POP3 server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PopServer {
    /// Host name.
    pub host: &'static str,
    /// Port.
    pub port: u16,
    /// Security.
    pub security: Security,
}

/// One provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// The provider's name as people know it, e.g. "GMX".
    pub provider: &'static str,
    /// The address domains it serves (lower case).
    pub domains: &'static [&'static str],
    /// Its POP3 server; `None` for providers without POP3 (iCloud).
    pub server: Option<PopServer>,
    /// The user-name form.
    pub user_name: UserName,
    /// The least number of minutes between checks the provider allows.
    pub min_interval_minutes: Option<u32>,
    /// What a user must know or do first, in plain words: message ids of the catalogues
    /// (`preset-…`), shown with [`crate::i18n::message`].
    pub notes: &'static [&'static str],
    /// The OAuth provider the account signs in with (`"microsoft"`, `"google"`): the dialog
    /// then chooses OAuth 2.0 and shows "Sign in with …" instead of the password.
    pub oauth: Option<&'static str>,
}

const fn tls(host: &'static str) -> Option<PopServer> {
    Some(PopServer {
        host,
        port: 995,
        security: Security::Tls,
    })
}

/// Every preset Poplar knows.
pub const PRESETS: &[Preset] = &[
    Preset {
        provider: "GMX",
        domains: &[
            "gmx.de", "gmx.net", "gmx.at", "gmx.ch", "gmx.eu", "gmx.info", "gmx.biz", "gmx.org",
        ],
        server: tls("pop.gmx.net"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-gmx-enable-pop"],
        oauth: None,
    },
    Preset {
        provider: "GMX",
        domains: &["gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr", "gmx.es"],
        server: tls("pop.gmx.com"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-gmx-enable-pop"],
        oauth: None,
    },
    Preset {
        provider: "WEB.DE",
        domains: &["web.de"],
        server: tls("pop3.web.de"),
        user_name: UserName::LocalPart,
        min_interval_minutes: Some(15),
        notes: &["preset-webde-enable-pop", "preset-webde-interval"],
        oauth: None,
    },
    Preset {
        provider: "T-Online",
        domains: &["t-online.de", "magenta.de"],
        server: tls("securepop.t-online.de"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-tonline-password"],
        oauth: None,
    },
    Preset {
        provider: "freenet",
        domains: &["freenet.de"],
        server: tls("mx.freenet.de"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-freenet-enable-pop"],
        oauth: None,
    },
    Preset {
        provider: "1&1",
        domains: &["online.de", "onlinehome.de", "1und1.de"],
        server: tls("pop.1und1.de"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &[],
        oauth: None,
    },
    Preset {
        provider: "IONOS",
        domains: &["ionos.de", "ionos.com", "ionos.co.uk"],
        server: tls("pop.ionos.de"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-ionos-own-domain"],
        oauth: None,
    },
    Preset {
        provider: "mailbox.org",
        domains: &["mailbox.org"],
        server: tls("pop3.mailbox.org"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &[],
        oauth: None,
    },
    Preset {
        provider: "Posteo",
        domains: &[
            "posteo.de",
            "posteo.net",
            "posteo.at",
            "posteo.ch",
            "posteo.eu",
        ],
        server: tls("posteo.de"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &[],
        oauth: None,
    },
    Preset {
        provider: "Gmail",
        domains: &["gmail.com", "googlemail.com"],
        server: tls("pop.gmail.com"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-gmail-app-password", "preset-gmail-paging"],
        oauth: Some("google"),
    },
    Preset {
        provider: "Outlook.com",
        domains: &[
            "outlook.com",
            "outlook.de",
            "hotmail.com",
            "hotmail.de",
            "live.com",
            "live.de",
            "msn.com",
        ],
        server: tls("outlook.office365.com"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-outlook-oauth"],
        oauth: Some("microsoft"),
    },
    Preset {
        provider: "Yahoo",
        domains: &[
            "yahoo.com",
            "yahoo.de",
            "yahoo.co.uk",
            "yahoo.fr",
            "ymail.com",
        ],
        server: tls("pop.mail.yahoo.com"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-yahoo-app-password"],
        oauth: None,
    },
    Preset {
        provider: "AOL",
        domains: &["aol.com", "aol.de", "aim.com"],
        server: tls("pop.aol.com"),
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-aol-app-password"],
        oauth: None,
    },
    Preset {
        provider: "iCloud",
        domains: &["icloud.com", "me.com", "mac.com"],
        server: None,
        user_name: UserName::Address,
        min_interval_minutes: None,
        notes: &["preset-icloud-no-pop"],
        oauth: None,
    },
];

/// What is known about an address's provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// A known provider.
    Known(&'static Preset),
    /// An unknown domain: the usual server names to try.
    Guesses(Vec<String>),
    /// Not an address yet (no `@`, or nothing after it).
    NotAnAddress,
}

/// The domain of an address, lower case, or `None` when there is none yet.
pub fn domain_of(email: &str) -> Option<String> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    // A domain has a dot and no spaces; "anna@gmx" is still being typed.
    (domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains(char::is_whitespace))
    .then_some(domain)
}

/// The preset for a domain, if Poplar knows it.
pub fn for_domain(domain: &str) -> Option<&'static Preset> {
    let domain = domain.to_ascii_lowercase();
    PRESETS
        .iter()
        .find(|p| p.domains.contains(&domain.as_str()))
}

/// The usual POP3 server names for an unknown domain, most likely first.
pub fn guesses(domain: &str) -> Vec<String> {
    ["pop", "pop3", "mail"]
        .iter()
        .map(|prefix| format!("{prefix}.{domain}"))
        .collect()
}

/// What Poplar knows about the provider of `email`.
pub fn lookup(email: &str) -> Lookup {
    match domain_of(email) {
        None => Lookup::NotAnAddress,
        Some(domain) => match for_domain(&domain) {
            Some(preset) => Lookup::Known(preset),
            None => Lookup::Guesses(guesses(&domain)),
        },
    }
}

/// Other names providers' POP3 servers answer to, and the preset's name for them.
const HOST_ALIASES: &[(&str, &str)] = &[("pop.web.de", "pop3.web.de")];

/// A preset by its POP3 host, for accounts set up before (e.g. to show WEB.DE's notes, or
/// for the engine to respect its minimum interval).
pub fn for_host(host: &str) -> Option<&'static Preset> {
    let host = host.trim().to_ascii_lowercase();
    let host = HOST_ALIASES
        .iter()
        .find(|(alias, _)| *alias == host)
        .map_or(host.as_str(), |(_, name)| name);
    PRESETS
        .iter()
        .find(|p| p.server.is_some_and(|s| s.host == host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english(id: &str) -> String {
        crate::i18n::message_in(crate::i18n::Language::English, id, None)
    }

    #[test]
    fn german_providers_are_found_by_every_domain() {
        for (email, provider, host) in [
            ("anna@gmx.de", "GMX", "pop.gmx.net"),
            ("anna@GMX.NET", "GMX", "pop.gmx.net"),
            ("anna@gmx.at", "GMX", "pop.gmx.net"),
            ("anna@gmx.ch", "GMX", "pop.gmx.net"),
            ("anna@web.de", "WEB.DE", "pop3.web.de"),
            ("anna@t-online.de", "T-Online", "securepop.t-online.de"),
            ("anna@freenet.de", "freenet", "mx.freenet.de"),
            ("anna@online.de", "1&1", "pop.1und1.de"),
            ("anna@ionos.de", "IONOS", "pop.ionos.de"),
            ("anna@mailbox.org", "mailbox.org", "pop3.mailbox.org"),
            ("anna@posteo.de", "Posteo", "posteo.de"),
            ("anna@gmail.com", "Gmail", "pop.gmail.com"),
            ("anna@hotmail.de", "Outlook.com", "outlook.office365.com"),
            ("anna@live.com", "Outlook.com", "outlook.office365.com"),
            ("anna@yahoo.de", "Yahoo", "pop.mail.yahoo.com"),
            ("anna@aol.com", "AOL", "pop.aol.com"),
        ] {
            let Lookup::Known(preset) = lookup(email) else {
                panic!("{email} should be known");
            };
            assert_eq!(preset.provider, provider, "{email}");
            let server = preset.server.expect("has POP3");
            assert_eq!(server.host, host, "{email}");
            assert_eq!((server.port, server.security), (995, Security::Tls));
        }
    }

    #[test]
    fn icloud_is_named_as_having_no_pop3() {
        for email in ["a@icloud.com", "a@me.com", "a@mac.com"] {
            let Lookup::Known(preset) = lookup(email) else {
                panic!("{email} should be known");
            };
            assert_eq!(preset.provider, "iCloud");
            assert!(preset.server.is_none());
            assert!(english(preset.notes[0]).contains("no POP3"));
        }
    }

    #[test]
    fn each_provider_carries_its_gotchas() {
        let notes = |email: &str| match lookup(email) {
            Lookup::Known(preset) => preset
                .notes
                .iter()
                .map(|id| english(id))
                .collect::<Vec<_>>()
                .join(" "),
            other => panic!("{email}: {other:?}"),
        };
        assert!(notes("a@gmx.de").contains("switched on"));
        assert!(notes("a@web.de").contains("switched on"));
        assert!(notes("a@web.de").contains("15 minutes"));
        assert!(notes("a@t-online.de").contains("separate e-mail password"));
        assert!(notes("a@gmail.com").contains("app password"));
        assert!(notes("a@outlook.com").contains("OAuth"));
        let Lookup::Known(webde) = lookup("a@web.de") else {
            panic!("known")
        };
        assert_eq!(webde.min_interval_minutes, Some(15));
    }

    #[test]
    fn microsoft_and_google_addresses_sign_in_with_their_provider() {
        for (email, provider) in [
            ("a@outlook.com", Some("microsoft")),
            ("a@hotmail.de", Some("microsoft")),
            ("a@live.com", Some("microsoft")),
            ("a@gmail.com", Some("google")),
            ("a@googlemail.com", Some("google")),
            ("a@gmx.de", None),
        ] {
            let Lookup::Known(preset) = lookup(email) else {
                panic!("{email} should be known");
            };
            assert_eq!(preset.oauth, provider, "{email}");
        }
    }

    #[test]
    fn user_names_take_the_providers_form() {
        let Lookup::Known(webde) = lookup("anna.m@web.de") else {
            panic!("known")
        };
        assert_eq!(webde.user_name.for_email("anna.m@web.de"), "anna.m");
        let Lookup::Known(gmx) = lookup("anna@gmx.de") else {
            panic!("known")
        };
        assert_eq!(gmx.user_name.for_email(" anna@gmx.de "), "anna@gmx.de");
    }

    #[test]
    fn unknown_domains_get_the_usual_guesses() {
        assert_eq!(
            lookup("me@example-isp.de"),
            Lookup::Guesses(vec![
                "pop.example-isp.de".into(),
                "pop3.example-isp.de".into(),
                "mail.example-isp.de".into(),
            ])
        );
    }

    #[test]
    fn half_typed_addresses_are_not_looked_up() {
        for email in ["", "anna", "anna@", "anna@gmx", "anna@gmx.", "anna@.de"] {
            assert_eq!(lookup(email), Lookup::NotAnAddress, "{email:?}");
        }
    }

    #[test]
    fn no_domain_belongs_to_two_presets_and_hosts_find_presets() {
        let mut seen = std::collections::HashSet::new();
        for preset in PRESETS {
            for domain in preset.domains {
                assert!(seen.insert(*domain), "{domain} twice");
                assert_eq!(domain.to_ascii_lowercase(), *domain);
            }
        }
        assert_eq!(for_host("POP3.WEB.DE").map(|p| p.provider), Some("WEB.DE"));
        assert_eq!(for_host("pop.example.de"), None);
    }
}
