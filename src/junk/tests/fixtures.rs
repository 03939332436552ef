//! Real messages from tests/fixtures/mail (see its SOURCES.md): the provider marks they carry
//! give the verdicts their servers gave, and the messages without one give none.

use super::*;
use crate::rules::MessageFacts;

/// The provider's verdict on a raw message, with every check on.
fn verdict_on(raw: &[u8]) -> Option<ProviderVerdict> {
    let facts = MessageFacts::from_raw(raw, 1);
    provider_verdict(&facts.headers, &JunkHeaderSettings::default())
}

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/mail/",
            $name
        ))
    };
}

#[test]
fn spamassassins_yes_on_real_spam_is_a_spam_status_verdict() {
    for raw in [
        &fixture!("rubymail__plain_emails-raw_email_bad_time.eml")[..],
        &fixture!("rubymail__error_emails-empty_group_lists.eml")[..],
    ] {
        let verdict = verdict_on(raw);
        assert_eq!(
            verdict.as_ref().map(|v| v.check),
            Some(SpamCheck::SpamStatus)
        );
        assert_eq!(
            verdict.map(|v| v.field).as_deref(),
            Some("X-Spam-Status: Yes")
        );
    }
}

#[test]
fn real_mail_that_its_filters_passed_has_no_verdict() {
    let passed = [
        // GMX: X-UI-Filterresults: unknown:5 on an obvious spam that GMX let through.
        &fixture!("nodemailer__spam.eml")[..],
        // GMX in 2026: UI-InboundReport: unknown:2.
        &fixture!("stalwart__thirdparty-015.eml")[..],
        // Amavis/SpamAssassin: X-Spam-Flag: NO, score=-6.901.
        &fixture!("mimekit__openpgp-_Announce_GnuPG_2.1.20_released.eml")[..],
        // SpamAssassin 3.2.5: No, score=-1.1.
        &fixture!("rubymail__error_emails-trademark_character_in_subject.eml")[..],
        // rspamd: X-Spamd-Result: default: False.
        &fixture!("rspamd__arcbad.eml")[..],
        // Exchange Online: X-MS-Exchange-Organization-SCL: -1.
        &fixture!("mimekit__messages-bounce.eml")[..],
        // Exchange Online: X-Forefront-Antispam-Report: SFV:NSPM.
        &fixture!("mimekit__messages-issue358.eml")[..],
    ];
    for raw in passed {
        assert_eq!(verdict_on(raw), None);
    }
}
