//! What a person types into the search field, understood: words and quoted phrases, the
//! operators (`from:`, `to:`, `subject:`, `has:attachment`, `is:unread`, `folder:`,
//! `account:`, `before:`, `after:`, `date:`) and `-` to exclude.
//!
//! Pure: [`parse`] turns text into a [`Query`], and [`Query::resolve`] names the folders,
//! accounts and days it means, as a [`Filter`] the store runs (see `store::search`). Nothing
//! here touches the store or the clock, so the window, the command line and the tests all
//! understand a search the same way.

mod parse;
mod resolve;
#[cfg(test)]
mod tests;

pub use parse::{DateSpan, Field, MAX_TERMS, Query, SearchError, Term, TermKind, parse};
pub use resolve::{Condition, Filter, TextTerm, index_words};
