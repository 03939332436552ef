//! [`spam_fields`]: the few header fields the provider's spam checks read, found by a plain
//! scan of the header block ([`crate::mail::header_fields`]). Filing asks this of every arriving message, and a full header
//! parse (every field decoded into a string) cost the writer a quarter of its time for a
//! verdict that reads only these fields' first words (`cargo bench --bench filing`).

/// Every field a [`SpamCheck`](super::SpamCheck) reads.
const SPAM_FIELDS: [&str; 10] = [
    "X-Spam-Flag",
    "X-Spam-Status",
    "X-Spam",
    "X-Spam-Score",
    "X-Rspamd-Score",
    "X-UI-Filterresults",
    "UI-InboundReport",
    "X-TOI-EXPURGATEID",
    "X-MS-Exchange-Organization-SCL",
    "X-Forefront-Antispam-Report",
];

/// The spam fields of `raw`'s header (name as written, value unfolded and trimmed), in
/// order, every occurrence (see [`crate::mail::header_fields`]).
pub fn spam_fields(raw: &[u8]) -> Vec<(String, String)> {
    crate::mail::header_fields(raw, &SPAM_FIELDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::junk::{JunkHeaderSettings, provider_verdict};
    use crate::rules::MessageFacts;

    const SAMPLES: [&str; 9] = [
        "From: a@example.org\r\nX-Spam-Flag: YES\r\nSubject: hi\r\n\r\nbody\r\n",
        "X-Spam-Status: Yes, score=9.1 required=5.0\r\n\ttests=BAYES_99,\r\n\tURIBL_BLACK\r\nSubject: x\r\n\r\n",
        "X-Spam-Status: No, score=-1.0\r\nX-Spam-Score: 7.5\r\n\r\n",
        "x-ui-filterresults: junk:10;V03:K0:abc\nSubject: lower case, LF only\n\n",
        "X-TOI-EXPURGATEID: 150726::1701234567-00000A-1B2C3D4E/10/0 SPAM\r\n\r\n",
        "X-MS-Exchange-Organization-SCL: 6\r\n\r\n",
        "X-Forefront-Antispam-Report: CIP:1.2.3.4;CTRY:DE;SFV:SPM;H:mx\r\n\r\n",
        "Subject: nothing here\r\nX-Spam: No\r\n\r\nX-Spam-Flag: YES (in the body: not a header)\r\n",
        "Subject: a header that never ends\r\nX-Spam",
    ];

    #[test]
    fn the_scan_gives_the_same_verdicts_as_a_full_header_parse() {
        let settings = JunkHeaderSettings::default();
        for sample in SAMPLES {
            let scanned = provider_verdict(&spam_fields(sample.as_bytes()), &settings);
            let parsed = MessageFacts::from_raw(sample.as_bytes(), 1);
            let full = provider_verdict(&parsed.headers, &settings);
            assert_eq!(
                scanned.as_ref().map(|v| v.check),
                full.as_ref().map(|v| v.check),
                "{sample:?}"
            );
        }
    }

    #[test]
    fn folded_values_are_unfolded_and_the_body_is_not_read() {
        let fields = spam_fields(SAMPLES[1].as_bytes());
        assert_eq!(
            fields,
            [(
                "X-Spam-Status".to_owned(),
                "Yes, score=9.1 required=5.0 tests=BAYES_99, URIBL_BLACK".to_owned()
            )]
        );
        assert_eq!(
            spam_fields(SAMPLES[7].as_bytes()),
            [("X-Spam".to_owned(), "No".to_owned())]
        );
        assert!(spam_fields(b"").is_empty());
        assert!(spam_fields(&[0xff; 300]).is_empty());
    }
}
