//! [`evaluate`]: the rules, in order, over one message's facts.

use super::facts::display;
use super::validate::{account_id, size_limit_bytes};
use super::{Action, Condition, Field, FolderRef, MessageFacts, Op, Rule, fold};

/// What the rules decided for one message. At most one of `folder` and `to_trash` is set:
/// the first move ends the processing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The folder to file the message in; `None` to leave it where it arrived.
    pub folder: Option<FolderRef>,
    /// Whether to move it to its account's Trash.
    pub to_trash: bool,
    /// Whether to mark it read.
    pub mark_read: bool,
    /// Whether to flag it.
    pub flag: bool,
    /// The indexes (into the rules given) of the rules that matched, in order: for the
    /// preview, and for telling the user which rule filed a message.
    pub matched: Vec<usize>,
}

/// Runs `rules` in order over the message `facts` describes.
///
/// A rule runs when it is enabled, its scope includes the message's account and it is valid
/// ([`Rule::validate`]: a rule with an error never matches, so a half-written rule cannot
/// move mail). When its conditions hold (all of them or any, by [`Rule::match_all`]), its
/// actions apply, in order, and add up with those of earlier rules: read and flagged stay
/// set once set.
///
/// A move ends the processing, as in Thunderbird: once a rule files a message (in a folder or
/// in Trash) no later rule runs for it, so a later rule can neither move it again nor mark
/// it. The other actions of the rule that moved it still apply, wherever they stand in its
/// list. [`Rule::stop`] ends the processing after a matching rule's actions too.
pub fn evaluate(rules: &[Rule], facts: &MessageFacts) -> Outcome {
    let folded = Folded::new(facts);
    let mut outcome = Outcome::default();
    for (index, rule) in rules.iter().enumerate() {
        let runs = rule.enabled && rule.scope.includes(facts.account) && rule.validate().is_ok();
        if !runs || !rule_matches(rule, facts, &folded) {
            continue;
        }
        outcome.matched.push(index);
        let mut moved = false;
        for action in &rule.actions {
            match *action {
                Action::MarkRead => outcome.mark_read = true,
                Action::Flag => outcome.flag = true,
                // A valid rule has one move at most; should it have two, the first stands.
                Action::MoveTo(folder) if !moved => {
                    outcome.folder = Some(folder);
                    moved = true;
                }
                Action::MoveToTrash if !moved => {
                    outcome.to_trash = true;
                    moved = true;
                }
                Action::MoveTo(_) | Action::MoveToTrash => {}
            }
        }
        if moved || rule.stop {
            break;
        }
    }
    outcome
}

/// The message's text fields folded once, for all the rules: the sender and each recipient
/// as name, address and `Name <address>`, and the subject. Header fields are folded when a
/// condition asks for them, since most are never asked for.
struct Folded {
    from: Vec<String>,
    recipients: Vec<String>,
    subject: String,
}

impl Folded {
    fn new(facts: &MessageFacts) -> Self {
        let forms = |mailbox: &super::Mailbox| {
            [
                fold(&mailbox.name),
                fold(&mailbox.address),
                fold(&display(mailbox)),
            ]
        };
        Self {
            from: forms(&facts.from).into(),
            recipients: facts.recipients.iter().flat_map(forms).collect(),
            subject: fold(&facts.subject),
        }
    }
}

fn rule_matches(rule: &Rule, facts: &MessageFacts, folded: &Folded) -> bool {
    let holds = |condition: &Condition| condition_holds(condition, facts, folded);
    if rule.match_all {
        rule.conditions.iter().all(holds)
    } else {
        rule.conditions.iter().any(holds)
    }
}

/// Whether one (valid) condition holds for the message.
fn condition_holds(condition: &Condition, facts: &MessageFacts, folded: &Folded) -> bool {
    let Condition { field, op, value } = condition;
    match field {
        Field::From => text_holds(*op, value, folded.from.iter().map(String::as_str)),
        Field::ToOrCc => text_holds(*op, value, folded.recipients.iter().map(String::as_str)),
        Field::Subject => text_holds(*op, value, [folded.subject.as_str()]),
        Field::Header(name) => {
            let values: Vec<String> = facts.header_values(name).map(fold).collect();
            text_holds(*op, value, values.iter().map(String::as_str))
        }
        Field::Size => size_limit_bytes(value).is_some_and(|limit| match op {
            Op::Greater => facts.size > limit,
            Op::Less => facts.size < limit,
            _ => false,
        }),
        Field::HasAttachment => match op {
            Op::Is => facts.has_attachment,
            Op::IsNot => !facts.has_attachment,
            _ => false,
        },
        Field::Account => account_id(value).is_some_and(|account| match op {
            Op::Is => facts.account == account,
            Op::IsNot => facts.account != account,
            _ => false,
        }),
    }
}

/// A text operator over the folded texts of a field: a positive operator holds when one
/// text holds it, a negative one when none holds its positive ("does not contain" means no
/// recipient contains it; a field the message lacks contains nothing).
fn text_holds<'t>(op: Op, value: &str, texts: impl IntoIterator<Item = &'t str>) -> bool {
    let positive: fn(&str, &str) -> bool = match op {
        Op::Contains | Op::NotContains => |text, needle| text.contains(needle),
        Op::Is | Op::IsNot => |text, needle| text == needle,
        Op::StartsWith => |text, needle| text.starts_with(needle),
        Op::EndsWith => |text, needle| text.ends_with(needle),
        Op::Greater | Op::Less => return false,
    };
    let needle = fold(value.trim());
    let found = texts.into_iter().any(|text| positive(text, &needle));
    if matches!(op, Op::NotContains | Op::IsNot) {
        !found
    } else {
        found
    }
}
