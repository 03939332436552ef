//! Rules on arrival (issue 16), the pure core: what a rule is, whether it is well formed, and
//! what a list of rules does to one message. No store, no UI, no I/O.
//!
//! - this file: the data ([`Rule`], [`Scope`], [`Condition`], [`Field`], [`Op`], [`Action`]),
//!   with a stable JSON form (serde) for the store to keep;
//! - `error`: [`RuleError`], what [`Rule::validate`] finds wrong, in plain words;
//! - `validate`: [`Rule::validate`];
//! - `facts`: [`MessageFacts`], what a rule sees of a message, built from its raw bytes;
//! - `fold`: case and accent folding, as search does it;
//! - `evaluate`: [`evaluate`], running the rules in order into an [`Outcome`].
//!
//! The store resolves [`FolderRef`]s, runs [`evaluate`] inside the commit that stores the
//! message and applies the [`Outcome`]; nothing here knows whether a folder exists.

mod error;
mod evaluate;
mod facts;
mod fold;
mod validate;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use error::RuleError;
pub use evaluate::{Outcome, evaluate};
pub use facts::{Mailbox, MessageFacts};
pub use fold::fold;

use crate::store::AccountId;

/// A folder a rule moves mail to: the store's folder id, which the store resolves (and which
/// may no longer exist by the time the rule runs; that is the store's to report).
pub type FolderRef = crate::store::FolderId;

/// One rule: when its conditions hold for a message, its actions apply.
///
/// The JSON form (field names, and the snake_case names of every variant) is what the store
/// keeps; `tests::the_json_of_a_sample_rule_is_pinned` guards it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The name the user gave it, shown in the rules dialog and in errors.
    pub name: String,
    /// Whether it runs at all; a disabled rule is skipped.
    pub enabled: bool,
    /// Which accounts' mail it looks at.
    pub scope: Scope,
    /// `true`: every condition must hold; `false`: any one is enough.
    pub match_all: bool,
    /// What it asks of a message; at least one (see [`Rule::validate`]).
    pub conditions: Vec<Condition>,
    /// What it does to a matching message, in order; at least one.
    pub actions: Vec<Action>,
    /// Whether a match ends the processing: later rules do not run for that message.
    pub stop: bool,
}

/// Which accounts a rule applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Mail of every account.
    AllAccounts,
    /// Mail of these accounts only (at least one).
    Accounts(Vec<AccountId>),
}

impl Scope {
    /// Whether mail of `account` is in this scope.
    pub fn includes(&self, account: AccountId) -> bool {
        match self {
            Scope::AllAccounts => true,
            Scope::Accounts(accounts) => accounts.contains(&account),
        }
    }
}

/// One test of a message: a field, an operator and a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// What part of the message is looked at.
    pub field: Field,
    /// How it is compared.
    pub op: Op,
    /// What it is compared with: text for the text fields (case- and accent-folded), a whole
    /// number of kilobytes (1024 bytes) for [`Field::Size`], an account id for
    /// [`Field::Account`], and empty for [`Field::HasAttachment`].
    pub value: String,
}

/// The part of a message a [`Condition`] looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The sender: display name, address, or `Name <address>`. Text operators.
    From,
    /// Every To and Cc recipient: name, address, or `Name <address>`. Text operators.
    ToOrCc,
    /// The subject, decoded. Text operators.
    Subject,
    /// Every occurrence of the header field of this name (any case), decoded. Text operators;
    /// a message without the field has no value, so only the negative operators hold.
    Header(String),
    /// The message's size in kilobytes of 1024 bytes: [`Op::Greater`] or [`Op::Less`].
    Size,
    /// Whether the message has an attachment (as the message list shows it): [`Op::Is`] or
    /// [`Op::IsNot`], no value.
    HasAttachment,
    /// The account the message came from, by id: [`Op::Is`] or [`Op::IsNot`].
    Account,
}

/// How a [`Condition`] compares. Text operators compare case- and accent-folded text (see
/// [`fold`]); on a field with several values (recipients, a repeated header) the positive
/// ones hold when one value does, and the negative ones ([`Op::NotContains`], [`Op::IsNot`])
/// when no value holds the positive one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The value is part of the text.
    Contains,
    /// The value is part of no text of the field.
    NotContains,
    /// The text is the value (for [`Field::HasAttachment`]: the message has one).
    Is,
    /// No text of the field is the value (for [`Field::HasAttachment`]: the message has none).
    IsNot,
    /// The text starts with the value.
    StartsWith,
    /// The text ends with the value.
    EndsWith,
    /// [`Field::Size`]: larger than the value.
    Greater,
    /// [`Field::Size`]: smaller than the value.
    Less,
}

/// What a rule does to a message it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Files the message in this folder; ends the processing (see [`evaluate`]).
    MoveTo(FolderRef),
    /// Marks the message read.
    MarkRead,
    /// Flags the message.
    Flag,
    /// Moves the message to its account's Trash; ends the processing.
    MoveToTrash,
}

impl Action {
    /// Whether this action moves the message (to a folder or to Trash).
    pub fn is_move(self) -> bool {
        matches!(self, Action::MoveTo(_) | Action::MoveToTrash)
    }
}
