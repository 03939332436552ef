use jiff::civil::date;
use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::parse::date_span;
use super::*;
use crate::store::{Folder, FolderKind};

fn text(field: Option<Field>, text: &str, phrase: bool) -> TermKind {
    TermKind::Text {
        field,
        text: text.into(),
        phrase,
    }
}

fn kinds(input: &str) -> Vec<(bool, TermKind)> {
    parse(input)
        .expect("parses")
        .terms
        .into_iter()
        .map(|t| (t.negated, t.kind))
        .collect()
}

#[test]
fn words_phrases_operators_and_exclusions_are_told_apart() {
    assert_eq!(
        kinds(r#"from:müller "quarterly report" -spam has:attachment is:unread"#),
        vec![
            (false, text(Some(Field::From), "müller", false)),
            (false, text(None, "quarterly report", true)),
            (true, text(None, "spam", false)),
            (false, TermKind::HasAttachment),
            (false, TermKind::Unread),
        ]
    );
    assert_eq!(
        kinds(r#"subject:"Ihre Rechnung" -from:"newsletter@shop.de" to:anna cc:bob"#),
        vec![
            (false, text(Some(Field::Subject), "Ihre Rechnung", true)),
            (true, text(Some(Field::From), "newsletter@shop.de", true)),
            (false, text(Some(Field::To), "anna", false)),
            (false, text(Some(Field::To), "bob", false)),
        ]
    );
    assert_eq!(
        kinds("FOLDER:Work in:Trash account:GMX is:Flagged -is:flagged is:read is:ungelesen"),
        vec![
            (false, TermKind::Folder("Work".into())),
            (false, TermKind::Folder("Trash".into())),
            (false, TermKind::Account("GMX".into())),
            (false, TermKind::Flagged),
            (true, TermKind::Flagged),
            (false, TermKind::Read),
            (false, TermKind::Unread),
        ]
    );
}

#[test]
fn what_is_no_operator_is_searched_as_words() {
    assert_eq!(
        kinds("re: 10:30 https://example.de/x"),
        vec![
            (false, text(None, "re:", false)),
            (false, text(None, "10:30", false)),
            (false, text(None, "https://example.de/x", false)),
        ]
    );
}

#[test]
fn half_typed_terms_ask_for_nothing_yet() {
    assert_eq!(kinds("from: - @ \"\" is: before:"), vec![]);
    // An open quote runs to the end, as it is being typed.
    assert_eq!(
        kinds("\"quarterly rep"),
        vec![(false, text(None, "quarterly rep", true))]
    );
    assert!(parse("   ").expect("parses").is_empty());
}

#[test]
fn dates_are_days_months_or_years_in_iso_or_german_order() {
    let day = |y, m, d| date(y, m, d);
    let span = |text| date_span(text).map(|s| (s.start, s.end));
    assert_eq!(
        span("2024-03-15"),
        Some((day(2024, 3, 15), day(2024, 3, 16)))
    );
    assert_eq!(
        span("2024/3/15"),
        Some((day(2024, 3, 15), day(2024, 3, 16)))
    );
    assert_eq!(
        span("15.3.2024"),
        Some((day(2024, 3, 15), day(2024, 3, 16)))
    );
    assert_eq!(span("2024-03"), Some((day(2024, 3, 1), day(2024, 4, 1))));
    assert_eq!(span("12.2024"), Some((day(2024, 12, 1), day(2025, 1, 1))));
    assert_eq!(span("2024"), Some((day(2024, 1, 1), day(2025, 1, 1))));
    assert_eq!(
        span("2024-02-29"),
        Some((day(2024, 2, 29), day(2024, 3, 1)))
    );
    for bad in [
        "2023-02-29",
        "2024-13",
        "yesterday",
        "24",
        "2024-03-15-1",
        "",
        "99999",
    ] {
        assert_eq!(span(bad), None, "{bad:?}");
    }
}

#[test]
fn bad_values_are_refused_with_a_sentence_that_says_what_would_do() {
    let err = parse("after:2024-13-45").expect_err("no such day");
    assert_eq!(
        err,
        SearchError::BadDate {
            operator: "after",
            value: "2024-13-45".into()
        }
    );
    assert!(err.to_string().contains("2024-03-15"), "{err}");
    let err = parse("is:important").expect_err("unknown is:");
    assert!(err.to_string().contains("is:unread"), "{err}");
    let err = parse("has:pdf").expect_err("unknown has:");
    assert!(err.to_string().contains("has:attachment"), "{err}");
    let many = "word ".repeat(parse::MAX_TERMS + 1);
    assert_eq!(parse(&many), Err(SearchError::TooManyTerms));
}

fn folder(id: i64, kind: FolderKind, name: &str, parent: Option<i64>) -> Folder {
    Folder {
        id,
        account_id: Some(1),
        kind,
        name: name.into(),
        total: 0,
        unread: 0,
        parent,
    }
}

#[test]
fn names_resolve_to_folders_in_either_language_and_days_to_local_midnight() {
    let folders = [
        folder(1, FolderKind::Inbox, "Inbox", None),
        folder(2, FolderKind::Trash, "Trash", None),
        folder(3, FolderKind::User, "Work", None),
        folder(4, FolderKind::User, "Projects", Some(3)),
        folder(5, FolderKind::Inbox, "Inbox", None),
    ];
    let berlin = TimeZone::get("Europe/Berlin").expect("zone");
    let resolve = |input: &str| {
        parse(input)
            .expect("parses")
            .resolve(&folders, &[], &berlin)
    };
    let filter = resolve("in:posteingang -folder:work/PROJECTS folder:papierkorb").expect("ok");
    assert_eq!(
        filter.conditions,
        vec![
            Condition::InFolders {
                ids: vec![1, 5],
                negated: false
            },
            Condition::InFolders {
                ids: vec![4],
                negated: true
            },
            Condition::InFolders {
                ids: vec![2],
                negated: false
            },
        ]
    );
    assert_eq!(
        resolve("folder:Nowhere"),
        Err(SearchError::UnknownFolder("Nowhere".into()))
    );
    assert_eq!(
        resolve("account:x@y.de"),
        Err(SearchError::UnknownAccount("x@y.de".into()))
    );
    // 1 March 2024 00:00 in Berlin is 29 February 23:00 UTC.
    let march = 1_709_247_600;
    let filter = resolve("date:2024-03 -before:2024-03-01 after:1.3.2024").expect("ok");
    assert_eq!(
        filter.conditions,
        vec![
            Condition::From(march),
            Condition::Before(march + 31 * 86_400 - 3_600),
            Condition::From(march),
            Condition::From(march),
        ]
    );
    let filter = resolve("-date:2024-03 is:read -is:unread -has:attachment").expect("ok");
    assert_eq!(
        filter.conditions,
        vec![
            Condition::Outside(march, march + 31 * 86_400 - 3_600),
            Condition::Seen(true),
            Condition::Seen(true),
            Condition::Attachments(false),
        ]
    );
}

#[test]
fn text_is_split_into_the_words_the_index_holds() {
    let filter = parse(r#"from:anna@example.de "Grüße aus Köln" straße"#)
        .expect("parses")
        .resolve(&[], &[], &TimeZone::UTC)
        .expect("ok");
    let words: Vec<(Vec<&str>, bool, bool)> = filter
        .text
        .iter()
        .map(|t| {
            (
                t.words.iter().map(String::as_str).collect(),
                t.adjacent,
                t.prefix,
            )
        })
        .collect();
    assert_eq!(
        words,
        vec![
            (vec!["anna", "example", "de"], true, true),
            (vec!["Grüße", "aus", "Köln"], true, false),
            (vec!["straße"], false, true),
        ]
    );
    assert_eq!(filter.text[0].field, Some(Field::From));
}

proptest! {
    #[test]
    fn any_input_parses_or_gives_a_reason_and_never_panics(input in "\\PC{0,80}") {
        match parse(&input) {
            Ok(query) => {
                prop_assert!(query.terms.len() <= parse::MAX_TERMS);
                let _ = query.resolve(&[], &[], &TimeZone::UTC);
            }
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }

    #[test]
    fn operator_soup_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("from:"), Just("-"), Just("\""), Just("is:"), Just("has:"),
                Just("before:"), Just("date:"), Just("folder:"), Just(" "), Just("2024-"),
                Just("ü"), Just(":"), Just("a"), Just("."), Just("31"),
            ],
            0..24,
        )
    ) {
        let input: String = parts.concat();
        if let Ok(query) = parse(&input) {
            let _ = query.resolve(&[], &[], &TimeZone::UTC);
        }
    }
}
