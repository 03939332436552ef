use proptest::prelude::*;

use super::*;

/// Percent-decodes one part of a URL (the tests' own decoder, to read back what was written).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// The URL's addresses and its fields, decoded.
fn fields(url: &str) -> (Vec<String>, Vec<(String, String)>) {
    let rest = url.strip_prefix("mailto:").expect("mailto:");
    let (to, query) = rest.split_once('?').unwrap_or((rest, ""));
    let to = to
        .split(',')
        .filter(|a| !a.is_empty())
        .map(decode)
        .collect();
    let fields = query
        .split('&')
        .filter(|f| !f.is_empty())
        .map(|f| {
            let (name, value) = f.split_once('=').expect("name=value");
            (name.to_owned(), decode(value))
        })
        .collect();
    (to, fields)
}

fn field(url: &str, name: &str) -> Option<String> {
    fields(url)
        .1
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

const RAW: &[u8] = b"From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>\r\n\
To: Leser <leser@example.org>, Anna <anna@example.com>\r\n\
Cc: Bernd <bernd@example.net>, leser@example.org\r\n\
Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n\
Message-ID: <abc@example.de>\r\n\
References: <one@example.de> <two@example.de>\r\n\
\r\n\
Hallo,\r\nwie geht's?\r\n";

fn own() -> Vec<String> {
    vec!["Leser@Example.org".to_owned()]
}

#[test]
fn a_reply_goes_to_the_sender_with_re_threading_and_the_text_quoted() {
    let original = Original::from_raw(RAW);
    assert_eq!(original.subject, "Grüße aus Köln");
    let draft = draft(
        &original,
        Answer::Reply,
        &own(),
        "Hallo,\n\nwie geht's?\n> alt",
        "Jürgen wrote:",
    );
    let url = mailto(&draft, MAILTO_MAX, "cut");
    let (to, _) = fields(&url);
    assert_eq!(to, ["juergen@example.de"]);
    assert_eq!(
        field(&url, "subject").as_deref(),
        Some("Re: Grüße aus Köln")
    );
    assert_eq!(
        field(&url, "in-reply-to").as_deref(),
        Some("<abc@example.de>")
    );
    assert_eq!(
        field(&url, "references").as_deref(),
        Some("<one@example.de> <two@example.de> <abc@example.de>")
    );
    assert_eq!(field(&url, "cc"), None);
    assert_eq!(
        field(&url, "body").as_deref(),
        Some("\r\n\r\nJürgen wrote:\r\n> Hallo,\r\n>\r\n> wie geht's?\r\n>> alt\r\n")
    );
    // Umlauts are UTF-8, percent-encoded; nothing outside the unreserved set is left bare.
    assert!(url.contains("Gr%C3%BC%C3%9Fe"), "{url}");
    assert!(url.is_ascii());
}

#[test]
fn reply_all_copies_everyone_but_the_user_once_and_reply_to_wins() {
    let mut original = Original::from_raw(RAW);
    let url = mailto(
        &draft(&original, Answer::ReplyAll, &own(), "x", "i"),
        MAILTO_MAX,
        "cut",
    );
    assert_eq!(fields(&url).0, ["juergen@example.de"]);
    assert_eq!(
        field(&url, "cc").as_deref(),
        Some("anna@example.com,bernd@example.net")
    );
    original.reply_to = vec!["liste@example.de".to_owned()];
    let url = mailto(
        &draft(&original, Answer::Reply, &own(), "x", "i"),
        MAILTO_MAX,
        "cut",
    );
    assert_eq!(fields(&url).0, ["liste@example.de"]);
    // Replying to all on one's own message answers its recipients.
    original.reply_to.clear();
    original.from = own();
    let url = mailto(
        &draft(&original, Answer::ReplyAll, &own(), "x", "i"),
        MAILTO_MAX,
        "cut",
    );
    assert_eq!(fields(&url).0, ["anna@example.com"]);
    assert_eq!(field(&url, "cc").as_deref(), Some("bernd@example.net"));
}

#[test]
fn a_forward_has_no_recipient_fwd_and_the_text_unquoted() {
    let original = Original::from_raw(RAW);
    let url = mailto(
        &draft(
            &original,
            Answer::Forward,
            &own(),
            "Hallo",
            "---- Forwarded ----",
        ),
        MAILTO_MAX,
        "cut",
    );
    assert!(url.starts_with("mailto:?subject="), "{url}");
    assert_eq!(
        field(&url, "subject").as_deref(),
        Some("Fwd: Grüße aus Köln")
    );
    assert_eq!(field(&url, "in-reply-to"), None);
    assert_eq!(
        field(&url, "body").as_deref(),
        Some("\r\n\r\n---- Forwarded ----\r\n\r\nHallo\r\n")
    );
}

#[test]
fn subjects_that_already_say_reply_or_forward_get_no_second_prefix() {
    let mut original = Original {
        subject: "AW: Rechnung".to_owned(),
        ..Original::default()
    };
    assert_eq!(
        draft(&original, Answer::Reply, &[], "", "").subject,
        "AW: Rechnung"
    );
    assert_eq!(
        draft(&original, Answer::Forward, &[], "", "").subject,
        "Fwd: AW: Rechnung"
    );
    original.subject = "WG: Termin".to_owned();
    assert_eq!(
        draft(&original, Answer::Forward, &[], "", "").subject,
        "WG: Termin"
    );
    original.subject.clear();
    assert_eq!(draft(&original, Answer::Reply, &[], "", "").subject, "Re:");
}

#[test]
fn a_long_body_is_cut_within_the_limit_and_says_so() {
    let original = Original::from_raw(RAW);
    let text = "Grüße aus Köln, ".repeat(2_000);
    let url = mailto(
        &draft(&original, Answer::Reply, &own(), &text, "i"),
        MAILTO_MAX,
        "Gekürzt",
    );
    assert!(url.len() <= MAILTO_MAX, "{}", url.len());
    assert!(
        url.len() > MAILTO_MAX - 100,
        "the room is used: {}",
        url.len()
    );
    let body = field(&url, "body").expect("body");
    assert!(
        body.ends_with("\r\n[Gekürzt]\r\n"),
        "{}",
        &body[body.len() - 40..]
    );
    assert!(body.starts_with("\r\n\r\ni\r\n> Grüße aus Köln, "));
}

#[test]
fn a_long_thread_keeps_its_first_and_last_references() {
    let original = Original {
        references: (0..30).map(|i| format!("m{i}@x")).collect(),
        message_id: Some("last@x".to_owned()),
        ..Original::default()
    };
    let refs = draft(&original, Answer::Reply, &[], "", "").references;
    assert_eq!(refs.len(), MAX_REFERENCES);
    assert_eq!(refs.first().map(String::as_str), Some("m0@x"));
    assert_eq!(refs.last().map(String::as_str), Some("last@x"));
    assert_eq!(refs[MAX_REFERENCES - 2], "m29@x");
}

#[test]
fn a_header_with_nothing_usable_gives_an_empty_reply_not_an_error() {
    let original = Original::from_raw(b"\x00\xff garbage without a colon");
    let url = mailto(
        &draft(&original, Answer::ReplyAll, &own(), "", ""),
        MAILTO_MAX,
        "cut",
    );
    assert!(url.starts_with("mailto:?subject=Re%3A"), "{url}");
    // Addresses smuggling a line break or a second field are dropped.
    let original = Original::from_raw(b"From: <a@b.de\r\n>\r\nTo: x@y.de\r\n\r\n");
    assert!(original.from.iter().all(|a| !a.contains('\n')));
}

proptest! {
    #[test]
    fn any_text_gives_an_ascii_url_within_the_limit_that_reads_back(
        subject in "\\PC{0,200}",
        text in "(\\PC|\n){0,3000}",
        max in 200usize..9_000,
    ) {
        let original = Original {
            from: vec!["a@b.de".to_owned()],
            subject,
            message_id: Some("id@x".to_owned()),
            ..Original::default()
        };
        let draft = draft(&original, Answer::Reply, &[], &text, "intro");
        let url = mailto(&draft, max, "cut");
        prop_assert!(url.is_ascii());
        prop_assert!(!url.contains(' '));
        let head = mailto(&Draft { body: String::new(), ..draft.clone() }, usize::MAX, "");
        prop_assert!(url.len() <= max.max(head.len()));
        let (to, fields) = fields(&url);
        prop_assert_eq!(to, vec!["a@b.de".to_owned()]);
        let subject = fields.iter().find(|(n, _)| n == "subject").map(|(_, v)| v.clone());
        prop_assert_eq!(subject, Some(draft.subject.replace('\r', "").replace('\n', "\r\n")));
    }
}
