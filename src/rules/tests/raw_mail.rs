//! Rules over facts read from raw mail: decoding, recipients, repeated headers, attachments,
//! and malformed input.

use super::*;

#[test]
fn header_condition_looks_at_every_occurrence_of_a_repeated_header() {
    let raw = crlf(
        "From: a@example.com\n\
         X-Label: work\n\
         Subject: s\n\
         x-label: =?utf-8?q?Bj=C3=B6rk?= fan mail\n\
         \n\
         body\n",
    );
    let message = MessageFacts::from_raw(&raw, 1);
    let label = |op, value: &str| {
        rule(
            "h",
            vec![cond(Field::Header("X-LABEL".into()), op, value)],
            vec![Action::Flag],
        )
    };
    assert!(matches(label(Op::Is, "work"), &message));
    assert!(matches(label(Op::StartsWith, "bjork"), &message));
    // Negative operators hold only when no occurrence holds the positive one.
    assert!(!matches(label(Op::NotContains, "work"), &message));
    assert!(!matches(label(Op::IsNot, "work"), &message));
    assert!(matches(label(Op::IsNot, "home"), &message));
    // A field the message lacks contains nothing.
    let missing = |op| {
        rule(
            "m",
            vec![cond(Field::Header("X-Spam-Flag".into()), op, "yes")],
            vec![Action::Flag],
        )
    };
    assert!(!matches(missing(Op::Contains), &message));
    assert!(matches(missing(Op::NotContains), &message));
}

#[test]
fn to_or_cc_looks_at_every_recipient_and_group_member() {
    let raw = crlf(
        "From: a@example.com\n\
         To: Team: =?iso-8859-1?q?J=FCrgen?= <j@example.de>, ann@example.com;\n\
         Cc: \"Bob\" <BOB@Example.org>\n\
         Subject: s\n\
         \n\
         body\n",
    );
    let message = MessageFacts::from_raw(&raw, 1);
    let to = |op, value: &str| {
        rule(
            "t",
            vec![cond(Field::ToOrCc, op, value)],
            vec![Action::Flag],
        )
    };
    assert!(matches(to(Op::Is, "jurgen"), &message));
    assert!(matches(to(Op::Is, "ann@example.com"), &message));
    assert!(matches(to(Op::EndsWith, "@example.org"), &message));
    assert!(matches(to(Op::Is, "bob <bob@example.org>"), &message));
    assert!(!matches(to(Op::NotContains, "example.com"), &message));
    assert!(matches(to(Op::NotContains, "example.net"), &message));
}

#[test]
fn facts_read_from_raw_mail_are_decoded() {
    let raw = crlf(
        "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@Vm1.Ulg.AC.BE>\n\
         To: keld@example.com\n\
         Subject: =?utf-8?q?Caf=C3=A9?=\n  =?utf-8?q?_cr=C3=A8me?=\n\
         X-Spam-Status: Yes, score=7.1\n\
         \trequired=5.0\n\
         \n\
         body\n",
    );
    let message = MessageFacts::from_raw(&raw, 7);
    assert_eq!(message.account, 7);
    assert_eq!(message.from.name, "André Pirard");
    assert_eq!(message.from.address, "PIRARD@vm1.ulg.ac.be");
    assert_eq!(message.subject, "Café crème");
    assert_eq!(message.size, raw.len() as u64);
    assert!(!message.has_attachment);
    let names: Vec<&str> = message.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["From", "To", "Subject", "X-Spam-Status"]);
    let spam: Vec<&str> = message.header_values("x-spam-status").collect();
    assert_eq!(spam.len(), 1);
    assert!(spam[0].starts_with("Yes, score=7.1"), "{spam:?}");
    assert!(spam[0].ends_with("required=5.0"), "{spam:?}");
}

#[test]
fn has_attachment_follows_the_message_list() {
    let raw = crlf(
        "From: a@example.com\n\
         Subject: photo\n\
         Content-Type: multipart/mixed; boundary=b\n\
         \n\
         --b\n\
         Content-Type: text/plain\n\
         \n\
         see attached\n\
         --b\n\
         Content-Type: image/jpeg; name=cat.jpg\n\
         Content-Disposition: attachment; filename=cat.jpg\n\
         \n\
         xyz\n\
         --b--\n",
    );
    let message = MessageFacts::from_raw(&raw, 1);
    assert!(message.has_attachment);
    let attached = |op| {
        rule(
            "a",
            vec![cond(Field::HasAttachment, op, "")],
            vec![Action::Flag],
        )
    };
    assert!(matches(attached(Op::Is), &message));
    assert!(!matches(attached(Op::IsNot), &message));
}

#[test]
fn malformed_mail_gives_facts_without_panicking() {
    let many_fields = "To: x@example.com\n".repeat(5000);
    let long_value = format!("X-Long: {}\n\nbody", "é".repeat(100_000));
    let nested = format!(
        "Content-Type: multipart/mixed; boundary=a\n\n{}",
        "--a\nContent-Type: message/rfc822\n\n".repeat(2000)
    );
    let nasty: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\0\0\xff\xfe".to_vec(),
        b"From:".to_vec(),
        b"no colon here\n\nbody".to_vec(),
        b"Subject: =?utf-8?q?unterminated\nTo: <<<@@@>>>, \"\n\n".to_vec(),
        b"Subject: \xff\xc3(\x80 latin1 \xe9t\xe9\r\nFrom: \xe9 <a@b>\r\n\r\n".to_vec(),
        b"To: Group: a@b, (comment ; c@d\n\n".to_vec(),
        b"\r\n\r\n\r\n".to_vec(),
        b"From: a@b\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n".to_vec(),
        many_fields.clone().into_bytes(),
        long_value.clone().into_bytes(),
        nested.into_bytes(),
    ];
    let everything = rule(
        "any",
        vec![
            cond(Field::ToOrCc, Op::Contains, "x"),
            cond(Field::Header("X-Long".into()), Op::EndsWith, "é"),
            cond(Field::Size, Op::Greater, "0"),
        ],
        vec![Action::Flag],
    );
    for raw in &nasty {
        let message = MessageFacts::from_raw(raw, 1);
        assert_eq!(message.size, raw.len() as u64);
        assert!(message.headers.len() <= 1000);
        assert!(message.headers.iter().all(|(_, v)| v.len() <= 16 * 1024));
        evaluate(std::slice::from_ref(&everything), &message);
    }
    // The caps hold where they bite: 5,000 fields keep 1,000, a 200 KB value keeps 16 KB.
    let many = MessageFacts::from_raw(many_fields.as_bytes(), 1);
    assert_eq!((many.headers.len(), many.recipients.len()), (1000, 1000));
    let long = MessageFacts::from_raw(long_value.as_bytes(), 1);
    assert_eq!(long.headers[0].1.len(), 16 * 1024);
    assert_eq!(
        MessageFacts::from_raw(b"", 4),
        MessageFacts {
            account: 4,
            ..MessageFacts::default()
        }
    );
}
