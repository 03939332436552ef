//! A [`Query`] made concrete: folder and account names turned into ids, days into Unix
//! seconds in the user's time zone, words split as the search index splits them.

use jiff::tz::TimeZone;

use super::parse::{DateSpan, Field, Query, SearchError, TermKind};
use crate::store::{Account, AccountId, Folder, FolderId, FolderKind};

/// What the store runs: every text term and every condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words and phrases, matched by the full-text index.
    pub text: Vec<TextTerm>,
    /// Conditions on the message's own columns.
    pub conditions: Vec<Condition>,
}

/// Words to find, as the index knows them (lower or upper case alike, accents ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextTerm {
    /// Leave out what it matches.
    pub negated: bool,
    /// Where; `None`: anywhere.
    pub field: Option<Field>,
    /// The words, in order: letters and digits only.
    pub words: Vec<String>,
    /// The words must stand next to each other, in this order (a quoted phrase, or one
    /// typed word the index splits, such as an address).
    pub adjacent: bool,
    /// The last word may be the start of a longer one (it was not quoted, or its quote is
    /// still open).
    pub prefix: bool,
}

/// A condition on a message's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Has attachments (`true`) or none (`false`).
    Attachments(bool),
    /// Read (`true`) or unread.
    Seen(bool),
    /// Flagged (`true`) or not.
    Flagged(bool),
    /// In one of these folders, or (`negated`) in none of them.
    InFolders {
        /// The folders.
        ids: Vec<FolderId>,
        /// Not in them.
        negated: bool,
    },
    /// From one of these accounts, or (`negated`) from none of them.
    InAccounts {
        /// The accounts.
        ids: Vec<AccountId>,
        /// Not from them.
        negated: bool,
    },
    /// Sent at or after this Unix time.
    From(i64),
    /// Sent before this Unix time.
    Before(i64),
    /// Sent before the first or at or after the second.
    Outside(i64, i64),
}

impl Query {
    /// Resolves names and days against the store's folders and accounts, in `zone` (the
    /// user's time zone: "date:2024-03-01" is that day where the user lives).
    pub fn resolve(
        &self,
        folders: &[Folder],
        accounts: &[Account],
        zone: &TimeZone,
    ) -> Result<Filter, SearchError> {
        let mut filter = Filter::default();
        for term in &self.terms {
            let negated = term.negated;
            let condition = match &term.kind {
                TermKind::Text {
                    field,
                    text,
                    phrase,
                } => {
                    let words = index_words(text);
                    if !words.is_empty() {
                        filter.text.push(TextTerm {
                            negated,
                            field: *field,
                            adjacent: *phrase || words.len() > 1,
                            prefix: !*phrase,
                            words,
                        });
                    }
                    continue;
                }
                TermKind::HasAttachment => Condition::Attachments(!negated),
                TermKind::Unread => Condition::Seen(negated),
                TermKind::Read => Condition::Seen(!negated),
                TermKind::Flagged => Condition::Flagged(!negated),
                TermKind::Unflagged => Condition::Flagged(negated),
                TermKind::Folder(name) => {
                    let ids = folders_named(folders, name);
                    if ids.is_empty() {
                        return Err(SearchError::UnknownFolder(name.clone()));
                    }
                    Condition::InFolders { ids, negated }
                }
                TermKind::Account(name) => {
                    let wanted = name.trim().to_lowercase();
                    let ids: Vec<AccountId> = accounts
                        .iter()
                        .filter(|a| {
                            a.settings.name.to_lowercase() == wanted
                                || a.settings.email.to_lowercase() == wanted
                        })
                        .map(|a| a.id)
                        .collect();
                    if ids.is_empty() {
                        return Err(SearchError::UnknownAccount(name.clone()));
                    }
                    Condition::InAccounts { ids, negated }
                }
                TermKind::Before(span) => {
                    let start = day_start(span.start, zone);
                    if negated {
                        Condition::From(start)
                    } else {
                        Condition::Before(start)
                    }
                }
                TermKind::After(span) => {
                    let start = day_start(span.start, zone);
                    if negated {
                        Condition::Before(start)
                    } else {
                        Condition::From(start)
                    }
                }
                TermKind::During(DateSpan { start, end }) => {
                    let (start, end) = (day_start(*start, zone), day_start(*end, zone));
                    if negated {
                        Condition::Outside(start, end)
                    } else {
                        filter.conditions.push(Condition::From(start));
                        Condition::Before(end)
                    }
                }
            };
            filter.conditions.push(condition);
        }
        Ok(filter)
    }
}

/// The words of a text as the index's tokenizer (unicode61) cuts them: runs of letters and
/// digits.
pub fn index_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The folders a name means: a folder's own name or its path ("Work/Projects"), or a fixed
/// folder's name in English or German, ignoring case. Every account's Inbox for "Inbox".
fn folders_named(folders: &[Folder], name: &str) -> Vec<FolderId> {
    let wanted = name.trim().trim_matches('/').to_lowercase();
    let path = |folder: &Folder| -> String {
        let mut parts = vec![folder.name.to_lowercase()];
        let mut parent = folder.parent;
        while let Some(id) = parent {
            match folders.iter().find(|f| f.id == id) {
                Some(up) if parts.len() < 64 => {
                    parts.push(up.name.to_lowercase());
                    parent = up.parent;
                }
                _ => break,
            }
        }
        parts.reverse();
        parts.join("/")
    };
    folders
        .iter()
        .filter(|folder| {
            let fixed: &[&str] = match folder.kind {
                FolderKind::Inbox => &["inbox", "posteingang"],
                FolderKind::Trash => &["trash", "papierkorb"],
                FolderKind::Junk => &["junk", "spam"],
                FolderKind::Imported => &["imported", "importiert"],
                FolderKind::User => &[],
            };
            fixed.contains(&wanted.as_str())
                || folder.name.to_lowercase() == wanted
                || (folder.parent.is_some() && path(folder) == wanted)
        })
        .map(|folder| folder.id)
        .collect()
}

/// The Unix time at which `day` begins in `zone` (the first moment of the day, where a
/// change of clocks skips midnight).
fn day_start(day: jiff::civil::Date, zone: &TimeZone) -> i64 {
    zone.to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .map(|at| at.as_second())
        // Years 1000 to 9998 (all the parser takes) are within jiff's range.
        .unwrap_or(0)
}
