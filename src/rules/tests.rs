//! The rules' behaviour, one test per behaviour.

use super::*;

mod raw_mail;

/// Test mail written with LF line ends, sent with CRLF.
fn crlf(text: &str) -> Vec<u8> {
    text.replace('\n', "\r\n").into_bytes()
}

fn cond(field: Field, op: Op, value: &str) -> Condition {
    Condition {
        field,
        op,
        value: value.to_string(),
    }
}

/// An enabled rule for all accounts, matching all its conditions, not stopping.
fn rule(name: &str, conditions: Vec<Condition>, actions: Vec<Action>) -> Rule {
    Rule {
        name: name.to_string(),
        enabled: true,
        scope: Scope::AllAccounts,
        match_all: true,
        conditions,
        actions,
        stop: false,
    }
}

fn subject_contains(text: &str, actions: Vec<Action>) -> Rule {
    rule(
        text,
        vec![cond(Field::Subject, Op::Contains, text)],
        actions,
    )
}

/// Facts of a message from Hans Müller to one recipient, account 1, 2 KB, no attachment.
fn facts(subject: &str) -> MessageFacts {
    MessageFacts {
        account: 1,
        from: Mailbox {
            name: "Hans Müller".into(),
            address: "hans@example.de".into(),
        },
        recipients: vec![Mailbox {
            name: "Zoë Dupont".into(),
            address: "zoe@example.fr".into(),
        }],
        subject: subject.into(),
        headers: vec![],
        size: 2048,
        has_attachment: false,
    }
}

fn matches(rule: Rule, facts: &MessageFacts) -> bool {
    evaluate(&[rule], facts).matched == [0]
}

#[test]
fn text_conditions_ignore_case_and_accents() {
    let message = facts("Grüße von Frau Ångström");
    for (field, op, value) in [
        (Field::From, Op::Contains, "muller"),
        (Field::From, Op::Is, "HANS MULLER"),
        (Field::From, Op::Is, "Hans@Example.DE"),
        (Field::From, Op::StartsWith, "hans müller <hans@"),
        (Field::ToOrCc, Op::Is, "zoe dupont"),
        (Field::Subject, Op::Contains, "ANGSTROM"),
        (Field::Subject, Op::StartsWith, "GRÜ"),
        (Field::Subject, Op::EndsWith, "ångström"),
        (Field::Subject, Op::Contains, "  von  "),
    ] {
        let condition = cond(field.clone(), op, value);
        assert!(
            matches(rule("r", vec![condition], vec![Action::Flag]), &message),
            "{field:?} {op:?} {value:?}"
        );
    }
    assert!(!matches(
        subject_contains("angstroem", vec![Action::Flag]),
        &message
    ));
}

#[test]
fn fold_lowers_case_and_drops_accents_as_search_does() {
    assert_eq!(fold("MÜLLER"), "muller");
    assert_eq!(fold("Café Crème"), "cafe creme");
    assert_eq!(fold("İstanbul"), "istanbul");
    assert_eq!(fold("ÇA VA, ŽELJKO"), "ca va, zeljko");
    // Precomposed and decomposed forms fold alike.
    assert_eq!(fold("Mu\u{308}ller"), fold("Müller"));
}

#[test]
fn sharp_s_is_not_folded_to_ss_as_in_search() {
    // FTS5's unicode61 tokenizer keeps ß, so "strasse" does not find "Straße" in search;
    // rules do the same, and a capital ẞ still matches.
    assert_eq!(fold("Straße"), "straße");
    let message = facts("Neue Straße");
    assert!(!matches(
        subject_contains("STRASSE", vec![Action::Flag]),
        &message
    ));
    assert!(matches(
        subject_contains("STRAẞE", vec![Action::Flag]),
        &message
    ));
}

#[test]
fn fold_keeps_letters_that_are_not_accented_and_other_scripts_marks() {
    // Strokes are part of the letter, ligatures are compatibility forms: search keeps them.
    assert_eq!(fold("Øre Łódź Đorđe ﬁne"), "øre łodz đorđe ﬁne");
    // Devanagari vowel signs are not accents: dropping them would merge different words.
    assert_eq!(fold("किताब"), "किताब");
    assert_eq!(fold("ΕΛΛΆΔΑ"), "ελλαδα");
}

#[test]
fn all_needs_every_condition_and_any_needs_one() {
    let message = facts("Invoice 42");
    let conditions = vec![
        cond(Field::Subject, Op::Contains, "invoice"),
        cond(Field::From, Op::Contains, "nobody"),
    ];
    let mut all = rule("all", conditions.clone(), vec![Action::Flag]);
    assert!(!matches(all.clone(), &message));
    all.conditions.truncate(1);
    assert!(matches(all, &message));
    let mut any = rule("any", conditions, vec![Action::Flag]);
    any.match_all = false;
    assert!(matches(any.clone(), &message));
    any.conditions.remove(0);
    assert!(!matches(any, &message));
}

#[test]
fn scope_limits_a_rule_to_its_accounts() {
    let mut message = facts("hello");
    let mut scoped = subject_contains("hello", vec![Action::MarkRead]);
    scoped.scope = Scope::Accounts(vec![2, 3]);
    assert!(!matches(scoped.clone(), &message));
    message.account = 3;
    assert!(matches(scoped, &message));
    assert!(matches(
        subject_contains("hello", vec![Action::MarkRead]),
        &message
    ));
}

#[test]
fn account_condition_compares_the_account_id() {
    let message = facts("x");
    let on = |op, value: &str| {
        rule(
            "a",
            vec![cond(Field::Account, op, value)],
            vec![Action::Flag],
        )
    };
    assert!(matches(on(Op::Is, "1"), &message));
    assert!(matches(on(Op::Is, " 1 "), &message));
    assert!(!matches(on(Op::Is, "2"), &message));
    assert!(matches(on(Op::IsNot, "2"), &message));
}

#[test]
fn stop_ends_processing_after_a_matching_rule_only() {
    let message = facts("news");
    let mut stopper = subject_contains("news", vec![Action::MarkRead]);
    stopper.stop = true;
    let later = subject_contains("news", vec![Action::Flag]);
    let outcome = evaluate(&[stopper.clone(), later.clone()], &message);
    assert_eq!((outcome.mark_read, outcome.flag), (true, false));
    assert_eq!(outcome.matched, [0]);
    // A stop rule that does not match stops nothing.
    stopper.conditions[0].value = "sale".into();
    let outcome = evaluate(&[stopper, later], &message);
    assert_eq!((outcome.mark_read, outcome.flag), (false, true));
    assert_eq!(outcome.matched, [1]);
}

#[test]
fn first_move_wins_and_ends_processing() {
    let message = facts("report");
    let to_folder = subject_contains("report", vec![Action::MoveTo(5), Action::MarkRead]);
    let to_trash = subject_contains("report", vec![Action::Flag, Action::MoveToTrash]);
    let outcome = evaluate(&[to_folder.clone(), to_trash.clone()], &message);
    assert_eq!(
        outcome,
        Outcome {
            folder: Some(5),
            to_trash: false,
            // The moving rule's own actions after its move still apply.
            mark_read: true,
            flag: false,
            matched: vec![0],
        }
    );
    let outcome = evaluate(&[to_trash, to_folder], &message);
    assert_eq!(outcome.folder, None);
    assert!(outcome.to_trash && outcome.flag && !outcome.mark_read);
}

#[test]
fn actions_of_matching_rules_add_up() {
    let message = facts("weekly digest");
    let rules = [
        subject_contains("weekly", vec![Action::MarkRead]),
        subject_contains("monthly", vec![Action::MoveToTrash]),
        subject_contains("digest", vec![Action::Flag]),
        subject_contains("digest", vec![Action::MoveTo(9)]),
    ];
    let outcome = evaluate(&rules, &message);
    assert_eq!(
        outcome,
        Outcome {
            folder: Some(9),
            to_trash: false,
            mark_read: true,
            flag: true,
            matched: vec![0, 2, 3],
        }
    );
    assert_eq!(evaluate(&[], &message), Outcome::default());
}

#[test]
fn disabled_rule_is_skipped() {
    let mut disabled = subject_contains("x", vec![Action::MoveToTrash]);
    disabled.enabled = false;
    let outcome = evaluate(&[disabled], &facts("x"));
    assert_eq!(outcome, Outcome::default());
}

#[test]
fn an_invalid_rule_never_matches() {
    // "does not contain nothing" would hold for every message; as an empty condition the
    // rule is invalid and is skipped instead of trashing all mail.
    let empty = rule(
        "all mail",
        vec![cond(Field::Subject, Op::NotContains, "")],
        vec![Action::MoveToTrash],
    );
    assert!(empty.validate().is_err());
    let no_conditions = rule("none", vec![], vec![Action::MoveToTrash]);
    let outcome = evaluate(&[empty, no_conditions], &facts("x"));
    assert_eq!(outcome, Outcome::default());
}

#[test]
fn size_is_in_kilobytes_and_the_limit_is_neither_greater_nor_less() {
    let mut message = facts("x");
    let size = |op, value: &str| rule("s", vec![cond(Field::Size, op, value)], vec![Action::Flag]);
    message.size = 10 * 1024;
    assert!(!matches(size(Op::Greater, "10"), &message));
    assert!(!matches(size(Op::Less, "10"), &message));
    assert!(matches(size(Op::Greater, "9"), &message));
    assert!(matches(size(Op::Less, "11"), &message));
    message.size += 1;
    assert!(matches(size(Op::Greater, "10"), &message));
    message.size = 0;
    assert!(!matches(size(Op::Less, "0"), &message));
    assert!(matches(size(Op::Less, "1"), &message));
    // A limit too large for bytes is saturated, not wrapped.
    message.size = u64::MAX - 1;
    assert!(matches(size(Op::Less, "18446744073709551615"), &message));
}

#[test]
fn validation_names_what_is_wrong_in_plain_words() {
    let ok = subject_contains("invoice", vec![Action::MoveTo(3)]);
    assert_eq!(ok.validate(), Ok(()));
    /// A change to the valid rule that makes it invalid.
    type Change = dyn Fn(&mut Rule);
    let with = |change: &Change| {
        let mut rule = ok.clone();
        change(&mut rule);
        rule.validate().map_err(|error| error.to_string())
    };
    let cases: [(&Change, &str); 10] = [
        (&|r| r.name = " ".into(), "a rule needs a name"),
        (
            &|r| r.scope = Scope::Accounts(vec![]),
            "rule \"invoice\" is for chosen accounts, and none is chosen",
        ),
        (
            &|r| r.conditions.clear(),
            "rule \"invoice\" has no condition; add one (it would otherwise match every message)",
        ),
        (
            &|r| r.conditions.push(cond(Field::From, Op::Is, "  ")),
            "condition 2 of rule \"invoice\" is empty: give it a text to look for",
        ),
        (
            &|r| r.actions.clear(),
            "rule \"invoice\" does nothing: add an action",
        ),
        (
            &|r| r.actions.push(Action::MoveToTrash),
            "rule \"invoice\" moves a message twice: keep one \"move to\" or \"move to Trash\"",
        ),
        (
            &|r| r.conditions[0].field = Field::Header("X Spam:".into()),
            "condition 1 of rule \"invoice\": \"X Spam:\" is not a header name \
             (letters, digits and dashes, no spaces or colon)",
        ),
        (
            &|r| r.conditions[0] = cond(Field::Size, Op::Greater, "10 KB"),
            "condition 1 of rule \"invoice\": the size \"10 KB\" is not a whole number of KB",
        ),
        (
            &|r| r.conditions[0] = cond(Field::HasAttachment, Op::Is, "yes"),
            "condition 1 of rule \"invoice\": \"has attachment\" takes no value",
        ),
        (
            &|r| r.conditions[0] = cond(Field::Size, Op::Contains, "10"),
            "condition 1 of rule \"invoice\": the size cannot be compared with \"contains\"",
        ),
    ];
    for (change, message) in cases {
        assert_eq!(with(change), Err(message.to_string()));
    }
    let mut account = ok.clone();
    account.conditions[0] = cond(Field::Account, Op::Is, "gmx");
    assert_eq!(
        account.validate(),
        Err(RuleError::AccountNotANumber {
            rule: "invoice".into(),
            index: 0,
            value: "gmx".into(),
        })
    );
    let gone = RuleError::FolderGone {
        rule: "invoice".into(),
        folder: 3,
    };
    assert_eq!(
        gone.to_string(),
        "rule \"invoice\" files mail in a folder that no longer exists: choose another one"
    );
    account.conditions[0] = cond(Field::Subject, Op::Less, "5");
    assert!(matches!(
        account.validate(),
        Err(RuleError::OpNotForField { index: 0, .. })
    ));
}

/// A rule that uses every kind of field, operator and action.
fn sample_rule() -> Rule {
    Rule {
        name: "Spam from GMX".into(),
        enabled: true,
        scope: Scope::Accounts(vec![2]),
        match_all: false,
        conditions: vec![
            cond(Field::Header("X-GMX-Antispam".into()), Op::StartsWith, "1"),
            cond(Field::From, Op::EndsWith, "@gmx.de"),
            cond(Field::ToOrCc, Op::NotContains, "me@"),
            cond(Field::Size, Op::Greater, "500"),
            cond(Field::HasAttachment, Op::IsNot, ""),
            cond(Field::Account, Op::Is, "2"),
        ],
        actions: vec![
            Action::MarkRead,
            Action::Flag,
            Action::MoveTo(12),
            Action::MoveToTrash,
        ],
        stop: true,
    }
}

#[test]
fn rules_round_trip_through_json() {
    let rules = vec![
        sample_rule(),
        subject_contains("Straße", vec![Action::MoveTo(-1)]),
    ];
    let json = serde_json::to_string(&rules).unwrap_or_default();
    let back: Vec<Rule> = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back, rules);
}

/// The stored form of rules. A change here breaks every rule users have saved: it needs a
/// migration of the stored JSON, not a new expected string.
#[test]
fn the_json_of_a_sample_rule_is_pinned() {
    let json = serde_json::to_value(sample_rule()).unwrap_or_default();
    let expected = serde_json::json!({
        "name": "Spam from GMX",
        "enabled": true,
        "scope": {"accounts": [2]},
        "match_all": false,
        "conditions": [
            {"field": {"header": "X-GMX-Antispam"}, "op": "starts_with", "value": "1"},
            {"field": "from", "op": "ends_with", "value": "@gmx.de"},
            {"field": "to_or_cc", "op": "not_contains", "value": "me@"},
            {"field": "size", "op": "greater", "value": "500"},
            {"field": "has_attachment", "op": "is_not", "value": ""},
            {"field": "account", "op": "is", "value": "2"}
        ],
        "actions": ["mark_read", "flag", {"move_to": 12}, "move_to_trash"],
        "stop": true
    });
    assert_eq!(json, expected);
    let all: Scope = serde_json::from_str("\"all_accounts\"").unwrap_or(Scope::Accounts(vec![]));
    assert_eq!(all, Scope::AllAccounts);
    let less: Op = serde_json::from_str("\"less\"").unwrap_or(Op::Greater);
    assert_eq!(less, Op::Less);
}
