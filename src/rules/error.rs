//! What can be wrong with a rule, in words a user can act on.

use std::fmt;

use super::FolderRef;

/// A reason a [`Rule`](super::Rule) cannot run. Each names the rule; a condition's `index`
/// counts from 0 here and from 1 in the message ("condition 2" is `index: 1`).
///
/// All of them are the user's to fix in the rules dialog; none is a fault of the program, so
/// there is no kind to tell apart. A rule with one of these errors never matches a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// The rule has no name.
    NameEmpty,
    /// The rule has no condition at all (it would match every message).
    NoConditions {
        /// The rule's name.
        rule: String,
    },
    /// A text condition has nothing (or only white space) to compare with.
    EmptyCondition {
        /// The rule's name.
        rule: String,
        /// Which condition, from 0.
        index: usize,
    },
    /// The rule has no action.
    NoActions {
        /// The rule's name.
        rule: String,
    },
    /// The rule moves a message twice (to two folders, or to a folder and to Trash).
    TwoMoves {
        /// The rule's name.
        rule: String,
    },
    /// The rule is limited to a list of accounts, and the list is empty.
    NoAccounts {
        /// The rule's name.
        rule: String,
    },
    /// A header condition names no valid header field (RFC 5322 §3.6.8: printable ASCII
    /// without spaces or a colon).
    HeaderNameInvalid {
        /// The rule's name.
        rule: String,
        /// Which condition, from 0.
        index: usize,
        /// The name as given.
        name: String,
    },
    /// A size condition's value is not a whole number of kilobytes.
    SizeNotANumber {
        /// The rule's name.
        rule: String,
        /// Which condition, from 0.
        index: usize,
        /// The value as given.
        value: String,
    },
    /// An account condition's value is not an account id.
    AccountNotANumber {
        /// The rule's name.
        rule: String,
        /// Which condition, from 0.
        index: usize,
        /// The value as given.
        value: String,
    },
    /// A has-attachment condition carries a value, which it does not use.
    ValueNotExpected {
        /// The rule's name.
        rule: String,
        /// Which condition, from 0.
        index: usize,
    },
    /// The rule files mail in a folder that no longer exists. [`Rule::validate`] cannot see
    /// this (only the store knows its folders); the store reports it in these words.
    ///
    /// [`Rule::validate`]: super::Rule::validate
    FolderGone {
        /// The rule's name.
        rule: String,
        /// The folder it names.
        folder: FolderRef,
    },
    /// The operator does not apply to the field ("size contains", "subject is greater").
    OpNotForField {
        /// The rule's name.
        rule: String,
        /// Which condition, from 0.
        index: usize,
        /// The field, in words ("size").
        field: &'static str,
        /// The operator, in words ("contains").
        op: &'static str,
    },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::NameEmpty => write!(f, "a rule needs a name"),
            RuleError::NoConditions { rule } => write!(
                f,
                "rule \"{rule}\" has no condition; add one (it would otherwise match every message)"
            ),
            RuleError::EmptyCondition { rule, index } => write!(
                f,
                "condition {} of rule \"{rule}\" is empty: give it a text to look for",
                index + 1
            ),
            RuleError::NoActions { rule } => {
                write!(f, "rule \"{rule}\" does nothing: add an action")
            }
            RuleError::TwoMoves { rule } => write!(
                f,
                "rule \"{rule}\" moves a message twice: keep one \"move to\" or \"move to Trash\""
            ),
            RuleError::NoAccounts { rule } => write!(
                f,
                "rule \"{rule}\" is for chosen accounts, and none is chosen"
            ),
            RuleError::HeaderNameInvalid { rule, index, name } => write!(
                f,
                "condition {} of rule \"{rule}\": \"{name}\" is not a header name \
                 (letters, digits and dashes, no spaces or colon)",
                index + 1
            ),
            RuleError::SizeNotANumber { rule, index, value } => write!(
                f,
                "condition {} of rule \"{rule}\": the size \"{value}\" is not a whole number of KB",
                index + 1
            ),
            RuleError::AccountNotANumber { rule, index, value } => write!(
                f,
                "condition {} of rule \"{rule}\": \"{value}\" is not an account",
                index + 1
            ),
            RuleError::ValueNotExpected { rule, index } => write!(
                f,
                "condition {} of rule \"{rule}\": \"has attachment\" takes no value",
                index + 1
            ),
            RuleError::FolderGone { rule, folder: _ } => write!(
                f,
                "rule \"{rule}\" files mail in a folder that no longer exists: choose another one"
            ),
            RuleError::OpNotForField {
                rule,
                index,
                field,
                op,
            } => write!(
                f,
                "condition {} of rule \"{rule}\": {field} cannot be compared with \"{op}\"",
                index + 1
            ),
        }
    }
}

impl std::error::Error for RuleError {}
