//! One rule as the rules dialog's editor holds it while the user writes it ([`RuleDraft`]),
//! the menus' choices and words, and the conversion to and from a stored [`Rule`], with
//! what is wrong with a draft in the user's language. No egui, no store.

use crate::rules::{Action, Condition, Field, Op, Rule, RuleError, Scope};
use crate::store::{AccountId, FolderId, RuleId};

/// The part of a message a condition looks at, as the editor's first menu offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldChoice {
    /// The sender.
    From,
    /// Any To or Cc recipient.
    ToOrCc,
    /// The subject.
    Subject,
    /// A header field the user names.
    Header,
    /// The size in KB.
    Size,
    /// Whether it has an attachment.
    HasAttachment,
    /// The account it came from.
    Account,
}

impl FieldChoice {
    /// Every choice, in the menu's order.
    pub const ALL: [FieldChoice; 7] = [
        Self::From,
        Self::ToOrCc,
        Self::Subject,
        Self::Header,
        Self::Size,
        Self::HasAttachment,
        Self::Account,
    ];

    /// The operators that fit this field, in the menu's order.
    pub fn ops(self) -> &'static [Op] {
        match self {
            Self::From | Self::ToOrCc | Self::Subject | Self::Header => &[
                Op::Contains,
                Op::NotContains,
                Op::Is,
                Op::IsNot,
                Op::StartsWith,
                Op::EndsWith,
            ],
            Self::Size => &[Op::Greater, Op::Less],
            Self::HasAttachment | Self::Account => &[Op::Is, Op::IsNot],
        }
    }

    /// The field's name in the menu.
    pub fn label(self) -> String {
        match self {
            Self::From => crate::tr!("rule-field-from"),
            Self::ToOrCc => crate::tr!("rule-field-to"),
            Self::Subject => crate::tr!("rule-field-subject"),
            Self::Header => crate::tr!("rule-field-header"),
            Self::Size => crate::tr!("rule-field-size"),
            Self::HasAttachment => crate::tr!("rule-field-attachment"),
            Self::Account => crate::tr!("rule-field-account"),
        }
    }
}

/// An operator's name in the menu; `field` words "is" and "is not" for an attachment as
/// "has one" and "has none".
pub fn op_label(field: FieldChoice, op: Op) -> String {
    match (field, op) {
        (FieldChoice::HasAttachment, Op::Is) => crate::tr!("rule-op-has"),
        (FieldChoice::HasAttachment, _) => crate::tr!("rule-op-has-not"),
        (_, Op::Contains) => crate::tr!("rule-op-contains"),
        (_, Op::NotContains) => crate::tr!("rule-op-not-contains"),
        (_, Op::Is) => crate::tr!("rule-op-is"),
        (_, Op::IsNot) => crate::tr!("rule-op-is-not"),
        (_, Op::StartsWith) => crate::tr!("rule-op-starts-with"),
        (_, Op::EndsWith) => crate::tr!("rule-op-ends-with"),
        (_, Op::Greater) => crate::tr!("rule-op-greater"),
        (_, Op::Less) => crate::tr!("rule-op-less"),
    }
}

/// The editor's choice for a rule's field, with the header's name for a header field.
pub(super) fn choice_of(field: &Field) -> (FieldChoice, String) {
    match field {
        Field::From => (FieldChoice::From, String::new()),
        Field::ToOrCc => (FieldChoice::ToOrCc, String::new()),
        Field::Subject => (FieldChoice::Subject, String::new()),
        Field::Header(name) => (FieldChoice::Header, name.clone()),
        Field::Size => (FieldChoice::Size, String::new()),
        Field::HasAttachment => (FieldChoice::HasAttachment, String::new()),
        Field::Account => (FieldChoice::Account, String::new()),
    }
}

/// One condition as the editor holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftCondition {
    /// What it looks at.
    pub field: FieldChoice,
    /// The header's name, for [`FieldChoice::Header`].
    pub header: String,
    /// How it compares.
    pub op: Op,
    /// What it compares with (for an account: its id, chosen from a menu).
    pub value: String,
}

impl Default for DraftCondition {
    fn default() -> Self {
        Self {
            field: FieldChoice::Subject,
            header: String::new(),
            op: Op::Contains,
            value: String::new(),
        }
    }
}

impl DraftCondition {
    /// Changes the field, keeping the operator when it still fits.
    pub fn set_field(&mut self, field: FieldChoice) {
        self.field = field;
        if !field.ops().contains(&self.op) {
            self.op = field.ops()[0];
        }
        if field == FieldChoice::HasAttachment {
            self.value.clear();
        }
    }
}

/// Where a rule files what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveChoice {
    /// It stays where it is.
    Stay,
    /// Into this folder.
    Folder(FolderId),
    /// Into its account's Trash.
    Trash,
}

/// A rule being written in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDraft {
    /// The rule it replaces (`None`: a new one).
    pub id: Option<RuleId>,
    /// Its name.
    pub name: String,
    /// Whether it runs.
    pub enabled: bool,
    /// For every account (else for `accounts`).
    pub all_accounts: bool,
    /// The accounts it is for when not for all.
    pub accounts: Vec<AccountId>,
    /// Every condition must hold (else any one).
    pub match_all: bool,
    /// Its conditions.
    pub conditions: Vec<DraftCondition>,
    /// Where it files mail.
    pub move_to: MoveChoice,
    /// It marks mail read.
    pub mark_read: bool,
    /// It flags mail.
    pub flag: bool,
    /// A match stops the later rules.
    pub stop: bool,
}

impl Default for RuleDraft {
    fn default() -> Self {
        Self {
            id: None,
            name: String::new(),
            enabled: true,
            all_accounts: true,
            accounts: Vec::new(),
            match_all: true,
            conditions: vec![DraftCondition::default()],
            move_to: MoveChoice::Stay,
            mark_read: false,
            flag: false,
            stop: false,
        }
    }
}

impl RuleDraft {
    /// The editor filled in from a stored rule.
    pub fn from_rule(id: RuleId, rule: &Rule) -> Self {
        let conditions = rule
            .conditions
            .iter()
            .map(|c| {
                let (field, header) = choice_of(&c.field);
                DraftCondition {
                    field,
                    header,
                    op: c.op,
                    value: c.value.clone(),
                }
            })
            .collect();
        let mut move_to = MoveChoice::Stay;
        for action in &rule.actions {
            match action {
                Action::MoveTo(folder) => move_to = MoveChoice::Folder(*folder),
                Action::MoveToTrash => move_to = MoveChoice::Trash,
                Action::MarkRead | Action::Flag => {}
            }
        }
        let (all_accounts, accounts) = match &rule.scope {
            Scope::AllAccounts => (true, Vec::new()),
            Scope::Accounts(accounts) => (false, accounts.clone()),
        };
        Self {
            id: Some(id),
            name: rule.name.clone(),
            enabled: rule.enabled,
            all_accounts,
            accounts,
            match_all: rule.match_all,
            conditions,
            move_to,
            mark_read: rule.actions.contains(&Action::MarkRead),
            flag: rule.actions.contains(&Action::Flag),
            stop: rule.stop,
        }
    }

    /// The rule this draft describes, or what is wrong with it, in the user's language.
    pub fn to_rule(&self) -> Result<Rule, String> {
        let conditions = self
            .conditions
            .iter()
            .map(|c| Condition {
                field: match c.field {
                    FieldChoice::From => Field::From,
                    FieldChoice::ToOrCc => Field::ToOrCc,
                    FieldChoice::Subject => Field::Subject,
                    FieldChoice::Header => Field::Header(c.header.trim().to_owned()),
                    FieldChoice::Size => Field::Size,
                    FieldChoice::HasAttachment => Field::HasAttachment,
                    FieldChoice::Account => Field::Account,
                },
                op: c.op,
                value: match c.field {
                    FieldChoice::HasAttachment => String::new(),
                    _ => c.value.trim().to_owned(),
                },
            })
            .collect();
        let mut actions = Vec::new();
        match self.move_to {
            MoveChoice::Stay => {}
            MoveChoice::Folder(folder) => actions.push(Action::MoveTo(folder)),
            MoveChoice::Trash => actions.push(Action::MoveToTrash),
        }
        if self.mark_read {
            actions.push(Action::MarkRead);
        }
        if self.flag {
            actions.push(Action::Flag);
        }
        let rule = Rule {
            name: self.name.trim().to_owned(),
            enabled: self.enabled,
            scope: if self.all_accounts {
                Scope::AllAccounts
            } else {
                Scope::Accounts(self.accounts.clone())
            },
            match_all: self.match_all,
            conditions,
            actions,
            stop: self.stop,
        };
        rule.validate().map_err(|err| error_text(&err))?;
        Ok(rule)
    }
}

/// What is wrong with a rule, in the user's language (the dialog's wording; the command
/// line keeps the rule core's English).
pub fn error_text(err: &RuleError) -> String {
    use crate::tr;
    match err {
        RuleError::NameEmpty => tr!("rule-error-name"),
        RuleError::NoConditions { .. } => tr!("rule-error-no-conditions"),
        RuleError::EmptyCondition { index, .. } => {
            tr!("rule-error-empty-condition", number = index + 1)
        }
        RuleError::NoActions { .. } => tr!("rule-error-no-actions"),
        RuleError::TwoMoves { .. } => tr!("rule-error-two-moves"),
        RuleError::NoAccounts { .. } => tr!("rule-error-no-accounts"),
        RuleError::HeaderNameInvalid { index, name, .. } => {
            tr!(
                "rule-error-header",
                number = index + 1,
                name = name.as_str()
            )
        }
        RuleError::SizeNotANumber { index, value, .. } => {
            tr!(
                "rule-error-size",
                number = index + 1,
                value = value.as_str()
            )
        }
        RuleError::AccountNotANumber { index, .. } | RuleError::OpNotForField { index, .. } => {
            tr!("rule-error-condition", number = index + 1)
        }
        RuleError::ValueNotExpected { index, .. } => {
            tr!("rule-error-condition", number = index + 1)
        }
        RuleError::FolderGone { .. } => tr!("rule-error-folder-gone"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_rule_comes_back_unchanged_through_the_editor() {
        let rule = Rule {
            name: "Lists".into(),
            enabled: false,
            scope: Scope::Accounts(vec![2, 5]),
            match_all: false,
            conditions: vec![
                Condition {
                    field: Field::Header("List-Id".into()),
                    op: Op::EndsWith,
                    value: "example.org>".into(),
                },
                Condition {
                    field: Field::Size,
                    op: Op::Greater,
                    value: "512".into(),
                },
                Condition {
                    field: Field::HasAttachment,
                    op: Op::IsNot,
                    value: String::new(),
                },
            ],
            actions: vec![Action::MoveTo(7), Action::MarkRead, Action::Flag],
            stop: true,
        };
        let draft = RuleDraft::from_rule(3, &rule);
        assert_eq!(draft.id, Some(3));
        assert_eq!(draft.move_to, MoveChoice::Folder(7));
        assert_eq!(draft.to_rule(), Ok(rule));
    }

    #[test]
    fn changing_a_field_keeps_a_fitting_operator_and_swaps_one_that_does_not_fit() {
        let mut condition = DraftCondition {
            op: Op::StartsWith,
            value: "x".into(),
            ..DraftCondition::default()
        };
        condition.set_field(FieldChoice::From);
        assert_eq!(condition.op, Op::StartsWith);
        condition.set_field(FieldChoice::Size);
        assert_eq!(condition.op, Op::Greater);
        condition.set_field(FieldChoice::HasAttachment);
        assert_eq!((condition.op, condition.value.as_str()), (Op::Is, ""));
    }

    #[test]
    fn a_draft_that_is_not_a_rule_says_why_in_words() {
        let _lock = crate::i18n::language_lock();
        crate::i18n::set_language(crate::i18n::Language::English);
        let draft = RuleDraft::default();
        assert_eq!(draft.to_rule(), Err("Give the rule a name.".to_owned()));
        let draft = RuleDraft {
            name: "Big".into(),
            conditions: vec![DraftCondition {
                field: FieldChoice::Size,
                op: Op::Greater,
                value: "ten".into(),
                ..DraftCondition::default()
            }],
            flag: true,
            ..RuleDraft::default()
        };
        assert_eq!(
            draft.to_rule(),
            Err("Condition 1: the size \"ten\" is not a whole number of KB.".to_owned())
        );
    }
}
