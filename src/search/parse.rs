//! From typed text to a [`Query`]: never a panic, and an error only where guessing would
//! give the wrong mail (a date that is no date, an `is:` that is nothing Poplar knows).
//!
//! The grammar, loosely: terms separated by white space; a term is `-`? then a quoted
//! phrase, an `operator:value` (the value may be quoted) or a word. An `x:` that is no
//! operator is a word like any other ("re:", "10:30", "https://…"), and an operator still
//! being typed (`from:` with nothing after it) is left out rather than refused.

use std::fmt;

use jiff::civil::Date;

/// The most terms a search takes: far more than anyone types, and a bound on the query the
/// store runs for text pasted by mistake.
pub const MAX_TERMS: usize = 32;

/// A search as typed, understood.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Every term must hold (those with `negated` must not).
    pub terms: Vec<Term>,
}

/// One term of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Written with a leading `-`: the messages it matches are left out.
    pub negated: bool,
    /// What it asks for.
    pub kind: TermKind,
}

/// Where a text term looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The sender's name and address (`from:`).
    From,
    /// The To and Cc recipients (`to:`, `cc:`).
    To,
    /// The subject (`subject:`).
    Subject,
    /// The text of the message (`body:`).
    Body,
}

/// A stretch of days: `start` up to, not including, `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    /// The first day.
    pub start: Date,
    /// The day after the last.
    pub end: Date,
}

/// What a term asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// Words in a field, or anywhere when `field` is `None`.
    Text {
        /// Where.
        field: Option<Field>,
        /// The text as typed (without quotes).
        text: String,
        /// Quoted: the words in this order, next to each other.
        phrase: bool,
    },
    /// `has:attachment`.
    HasAttachment,
    /// `is:unread`.
    Unread,
    /// `is:read`.
    Read,
    /// `is:flagged`.
    Flagged,
    /// `is:unflagged`.
    Unflagged,
    /// `folder:NAME`.
    Folder(String),
    /// `account:NAME` (its name or its address).
    Account(String),
    /// `before:DATE`: sent before the first day of `DATE`.
    Before(DateSpan),
    /// `after:DATE`: sent on or after the first day of `DATE`.
    After(DateSpan),
    /// `date:DATE`: sent within `DATE` (a day, a month or a year).
    During(DateSpan),
}

/// Why a search cannot run as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    /// `before:`, `after:` or `date:` with something that is not a date.
    BadDate {
        /// The operator, without its colon.
        operator: &'static str,
        /// What followed it.
        value: String,
    },
    /// `is:` with a value Poplar does not know.
    UnknownIs(String),
    /// `has:` with a value Poplar does not know.
    UnknownHas(String),
    /// `folder:` naming no folder.
    UnknownFolder(String),
    /// `account:` naming no account.
    UnknownAccount(String),
    /// More than [`MAX_TERMS`] terms.
    TooManyTerms,
}

impl fmt::Display for SearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadDate { operator, value } => write!(
                f,
                "{operator}:{value} is not a date: write a day (2024-03-15 or 15.3.2024), a month (2024-03) or a year (2024)"
            ),
            Self::UnknownIs(value) => write!(
                f,
                "is:{value} is not something Poplar can search for: use is:unread, is:read, is:flagged or is:unflagged"
            ),
            Self::UnknownHas(value) => write!(
                f,
                "has:{value} is not something Poplar can search for: use has:attachment"
            ),
            Self::UnknownFolder(name) => write!(f, "there is no folder called \"{name}\""),
            Self::UnknownAccount(name) => write!(f, "there is no account called \"{name}\""),
            Self::TooManyTerms => write!(f, "a search takes at most {MAX_TERMS} terms"),
        }
    }
}

impl std::error::Error for SearchError {}

impl SearchError {
    /// Why the search cannot run, as a sentence in the interface's language.
    pub fn sentence(&self) -> String {
        match self {
            Self::BadDate { operator, value } => {
                crate::tr!("search-bad-date", term = format!("{operator}:{value}"))
            }
            Self::UnknownIs(value) => crate::tr!("search-unknown-is", value = value.as_str()),
            Self::UnknownHas(value) => crate::tr!("search-unknown-has", value = value.as_str()),
            Self::UnknownFolder(name) => {
                crate::tr!("search-unknown-folder", name = name.as_str())
            }
            Self::UnknownAccount(name) => {
                crate::tr!("search-unknown-account", name = name.as_str())
            }
            Self::TooManyTerms => crate::tr!("search-too-long", count = MAX_TERMS),
        }
    }
}

impl Query {
    /// True when the search asks for nothing (the whole view).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Understands a search as typed.
pub fn parse(input: &str) -> Result<Query, SearchError> {
    let mut scanner = Scanner {
        chars: input.chars().collect(),
        at: 0,
    };
    let mut terms = Vec::new();
    while let Some(term) = scanner.term()? {
        if let Some(term) = term {
            if terms.len() == MAX_TERMS {
                return Err(SearchError::TooManyTerms);
            }
            terms.push(term);
        }
    }
    Ok(Query { terms })
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
}

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// The next term: `None` at the end, `Some(None)` for something that asks for nothing
    /// (a lone `-`, an operator without its value yet).
    fn term(&mut self) -> Result<Option<Option<Term>>, SearchError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
        let Some(first) = self.peek() else {
            return Ok(None);
        };
        let negated = first == '-';
        if negated {
            self.at += 1;
        }
        if self.peek() == Some('"') {
            let text = self.quoted();
            return Ok(Some(text_term(negated, None, text, true)));
        }
        let bare = self.bare();
        let Some((name, value)) = bare.split_once(':') else {
            return Ok(Some(text_term(negated, None, bare, false)));
        };
        let Some(operator) = Operator::named(name) else {
            return Ok(Some(text_term(negated, None, bare, false)));
        };
        let (value, quoted) = if value.is_empty() && self.peek() == Some('"') {
            (self.quoted(), true)
        } else {
            (value.to_owned(), false)
        };
        if value.trim().is_empty() {
            return Ok(Some(None));
        }
        let kind = match operator {
            Operator::Text(field) => {
                return Ok(Some(text_term(negated, Some(field), value, quoted)));
            }
            Operator::Has => match value.to_lowercase().as_str() {
                "attachment" | "attachments" | "anhang" => TermKind::HasAttachment,
                _ => return Err(SearchError::UnknownHas(value)),
            },
            Operator::Is => match value.to_lowercase().as_str() {
                "unread" | "ungelesen" => TermKind::Unread,
                "read" | "gelesen" => TermKind::Read,
                "flagged" | "starred" | "markiert" => TermKind::Flagged,
                "unflagged" | "unmarkiert" => TermKind::Unflagged,
                _ => return Err(SearchError::UnknownIs(value)),
            },
            Operator::Folder => TermKind::Folder(value),
            Operator::Account => TermKind::Account(value),
            Operator::Date(operator) => {
                let span = date_span(&value).ok_or_else(|| SearchError::BadDate {
                    operator,
                    value: value.clone(),
                })?;
                match operator {
                    "before" => TermKind::Before(span),
                    "after" => TermKind::After(span),
                    _ => TermKind::During(span),
                }
            }
        };
        Ok(Some(Some(Term { negated, kind })))
    }

    /// A quoted text from the opening quote to the closing one (or to the end, while it is
    /// still being typed).
    fn quoted(&mut self) -> String {
        self.at += 1;
        let start = self.at;
        while self.peek().is_some_and(|c| c != '"') {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        if self.peek() == Some('"') {
            self.at += 1;
        }
        text
    }

    /// Up to white space or a quote.
    fn bare(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| !c.is_whitespace() && c != '"') {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }
}

fn text_term(negated: bool, field: Option<Field>, text: String, phrase: bool) -> Option<Term> {
    // Only letters and digits are searched (as the index splits words), so "-" or "@" alone
    // ask for nothing.
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(Term {
        negated,
        kind: TermKind::Text {
            field,
            text,
            phrase,
        },
    })
}

#[derive(Clone, Copy)]
enum Operator {
    Text(Field),
    Has,
    Is,
    Folder,
    Account,
    Date(&'static str),
}

impl Operator {
    fn named(name: &str) -> Option<Self> {
        Some(match name.to_lowercase().as_str() {
            "from" => Self::Text(Field::From),
            "to" | "cc" => Self::Text(Field::To),
            "subject" => Self::Text(Field::Subject),
            "body" => Self::Text(Field::Body),
            "has" => Self::Has,
            "is" => Self::Is,
            "folder" | "in" => Self::Folder,
            "account" => Self::Account,
            "before" => Self::Date("before"),
            "after" => Self::Date("after"),
            "date" => Self::Date("date"),
            _ => return None,
        })
    }
}

/// A day, a month or a year: 2024-03-15, 2024/03/15, 15.3.2024, 2024-03, 3.2024, 2024.
pub(super) fn date_span(text: &str) -> Option<DateSpan> {
    let text = text.trim().trim_end_matches('.');
    let number = |part: &str| -> Option<i64> {
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (year, month, day) = if text.contains('.') {
        // German order: day.month.year or month.year.
        let parts: Vec<&str> = text.split('.').collect();
        match parts.as_slice() {
            [day, month, year] => (number(year)?, Some(number(month)?), Some(number(day)?)),
            [month, year] => (number(year)?, Some(number(month)?), None),
            _ => return None,
        }
    } else {
        let parts: Vec<&str> = text.split(['-', '/']).collect();
        match parts.as_slice() {
            [year] => (number(year)?, None, None),
            [year, month] => (number(year)?, Some(number(month)?), None),
            [year, month, day] => (number(year)?, Some(number(month)?), Some(number(day)?)),
            _ => return None,
        }
    };
    if !(1000..=9998).contains(&year) {
        return None;
    }
    let year = year as i16;
    match (month, day) {
        (None, _) => Some(DateSpan {
            start: Date::new(year, 1, 1).ok()?,
            end: Date::new(year + 1, 1, 1).ok()?,
        }),
        (Some(month), None) => {
            let month = i8::try_from(month).ok()?;
            let start = Date::new(year, month, 1).ok()?;
            Some(DateSpan {
                start,
                end: start.checked_add(jiff::Span::new().months(1)).ok()?,
            })
        }
        (Some(month), Some(day)) => {
            let start = Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
            Some(DateSpan {
                start,
                end: start.tomorrow().ok()?,
            })
        }
    }
}
