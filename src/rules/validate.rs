//! [`Rule::validate`], and the reading of the values that are numbers (written once, for the
//! check and for [`evaluate`](super::evaluate) alike).

use super::{Condition, Field, Op, Rule, RuleError, Scope};
use crate::store::AccountId;

impl Rule {
    /// The first thing wrong with this rule, or `Ok` when it can run. Checked in the order
    /// the dialog shows them: name, accounts, conditions, actions.
    ///
    /// It does not check that a [`MoveTo`](Action::MoveTo) folder exists: only the store
    /// knows, and it can change after the rule was saved.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.name.trim().is_empty() {
            return Err(RuleError::NameEmpty);
        }
        let rule = || self.name.clone();
        if matches!(&self.scope, Scope::Accounts(accounts) if accounts.is_empty()) {
            return Err(RuleError::NoAccounts { rule: rule() });
        }
        if self.conditions.is_empty() {
            return Err(RuleError::NoConditions { rule: rule() });
        }
        for (index, condition) in self.conditions.iter().enumerate() {
            check_condition(condition).map_err(|problem| problem.into_error(rule(), index))?;
        }
        if self.actions.is_empty() {
            return Err(RuleError::NoActions { rule: rule() });
        }
        if self
            .actions
            .iter()
            .filter(|action| action.is_move())
            .count()
            > 1
        {
            return Err(RuleError::TwoMoves { rule: rule() });
        }
        Ok(())
    }
}

/// What is wrong with one condition, before the rule's name and the index are added.
enum Problem {
    Empty,
    HeaderName(String),
    Size(String),
    Account(String),
    ValueNotExpected,
    Op(&'static str, &'static str),
}

impl Problem {
    fn into_error(self, rule: String, index: usize) -> RuleError {
        match self {
            Problem::Empty => RuleError::EmptyCondition { rule, index },
            Problem::HeaderName(name) => RuleError::HeaderNameInvalid { rule, index, name },
            Problem::Size(value) => RuleError::SizeNotANumber { rule, index, value },
            Problem::Account(value) => RuleError::AccountNotANumber { rule, index, value },
            Problem::ValueNotExpected => RuleError::ValueNotExpected { rule, index },
            Problem::Op(field, op) => RuleError::OpNotForField {
                rule,
                index,
                field,
                op,
            },
        }
    }
}

fn check_condition(condition: &Condition) -> Result<(), Problem> {
    let Condition { field, op, value } = condition;
    if !op_fits(field, *op) {
        return Err(Problem::Op(field_words(field), op_words(*op)));
    }
    match field {
        Field::From | Field::ToOrCc | Field::Subject | Field::Header(_) => {
            if let Field::Header(name) = field
                && !is_header_name(name)
            {
                return Err(Problem::HeaderName(name.clone()));
            }
            if value.trim().is_empty() {
                return Err(Problem::Empty);
            }
        }
        Field::Size if size_limit_bytes(value).is_none() => {
            return Err(Problem::Size(value.clone()));
        }
        Field::Account if account_id(value).is_none() => {
            return Err(Problem::Account(value.clone()));
        }
        Field::HasAttachment if !value.trim().is_empty() => {
            return Err(Problem::ValueNotExpected);
        }
        Field::Size | Field::Account | Field::HasAttachment => {}
    }
    Ok(())
}

/// Whether `op` applies to `field`: text operators to the text fields, greater and less to
/// the size, is and is-not to the attachment flag and the account.
pub(super) fn op_fits(field: &Field, op: Op) -> bool {
    match field {
        Field::From | Field::ToOrCc | Field::Subject | Field::Header(_) => matches!(
            op,
            Op::Contains | Op::NotContains | Op::Is | Op::IsNot | Op::StartsWith | Op::EndsWith
        ),
        Field::Size => matches!(op, Op::Greater | Op::Less),
        Field::HasAttachment | Field::Account => matches!(op, Op::Is | Op::IsNot),
    }
}

/// RFC 5322 §3.6.8: a field name is one or more printable US-ASCII characters other than
/// space and colon.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b) && b != b':')
}

/// A size condition's limit in bytes: its value is whole kilobytes of 1024 bytes, as
/// Thunderbird counts them, white space around it allowed. `None` when it is not a number.
pub(super) fn size_limit_bytes(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<u64>().ok().map(|kb| kb.saturating_mul(1024))
}

/// An account condition's account id; `None` when the value is not one.
pub(super) fn account_id(value: &str) -> Option<AccountId> {
    value.trim().parse().ok()
}

fn field_words(field: &Field) -> &'static str {
    match field {
        Field::From => "the sender",
        Field::ToOrCc => "To or Cc",
        Field::Subject => "the subject",
        Field::Header(_) => "a header",
        Field::Size => "the size",
        Field::HasAttachment => "\"has attachment\"",
        Field::Account => "the account",
    }
}

fn op_words(op: Op) -> &'static str {
    match op {
        Op::Contains => "contains",
        Op::NotContains => "does not contain",
        Op::Is => "is",
        Op::IsNot => "is not",
        Op::StartsWith => "starts with",
        Op::EndsWith => "ends with",
        Op::Greater => "is greater than",
        Op::Less => "is less than",
    }
}
