//! What a message says about the conversation it belongs to: the Message-IDs it answers
//! (`References`, then `In-Reply-To`; RFC 5322 §3.6.4), read by a plain scan of the header.
//! The store links messages into threads by these (see `store::writer::threads`).

use super::header_fields;

/// The most parents kept: the first (the conversation's start) and the newest ones. A
/// References field of a long discussion lists every message before, and the start and the
/// message answered are what link it.
pub const MAX_PARENTS: usize = 32;

/// The longest Message-ID kept, in bytes (RFC 5322's line limit); a longer one is dropped.
const MAX_ID_BYTES: usize = 998;

/// The Message-IDs `raw` answers, without angle brackets, oldest first: the References
/// field's, then In-Reply-To's if not among them; each once. Empty for a message that
/// answers nothing (or says so in a form no id can be read from).
pub fn thread_parents(raw: &[u8]) -> Vec<String> {
    let fields = header_fields(raw, &["References", "In-Reply-To"]);
    let mut parents: Vec<String> = Vec::new();
    // References first (the whole chain), the first such field only, as readers do.
    let references = fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("References"));
    let in_reply_to = fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("In-Reply-To"));
    for (_, value) in references.into_iter().chain(in_reply_to) {
        for id in message_ids(value) {
            if !parents.contains(&id) {
                parents.push(id);
            }
        }
    }
    if parents.len() > MAX_PARENTS {
        let tail = parents.split_off(parents.len() - (MAX_PARENTS - 1));
        parents.truncate(1);
        parents.extend(tail);
    }
    parents
}

/// The ids in a field's value: each `<…>`; with no brackets at all, each word with an `@`
/// (some programs leave the brackets out).
fn message_ids(value: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            break;
        };
        ids.push(after[..close].trim().to_owned());
        rest = &after[close + 1..];
    }
    if ids.is_empty() && !value.contains('<') {
        ids = value
            .split_whitespace()
            .filter(|word| word.contains('@'))
            .map(str::to_owned)
            .collect();
    }
    ids.retain(|id| {
        !id.is_empty() && id.len() <= MAX_ID_BYTES && !id.contains(char::is_whitespace)
    });
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_come_first_then_in_reply_to_each_once() {
        let raw = b"Subject: Re: x\r\nIn-Reply-To: <b@x> (Anna's message)\r\n\
            References: <a@x>\r\n <b@x>\r\n\r\nbody <c@x>\r\n";
        assert_eq!(thread_parents(raw), ["a@x", "b@x"]);
        let raw = b"In-Reply-To: <c@x>\r\nReferences: <a@x> <b@x>\r\n\r\n";
        assert_eq!(thread_parents(raw), ["a@x", "b@x", "c@x"]);
    }

    #[test]
    fn ids_without_brackets_are_read_and_junk_is_not() {
        assert_eq!(thread_parents(b"In-Reply-To: a@x\n\n"), ["a@x"]);
        assert!(thread_parents(b"In-Reply-To: your message of Monday\n\n").is_empty());
        assert!(thread_parents(b"References: <>\n\n").is_empty());
        assert!(thread_parents(b"References: <a@x\n\n").is_empty());
        assert!(thread_parents(b"").is_empty());
        assert!(thread_parents(&[0xff; 100]).is_empty());
    }

    #[test]
    fn a_long_chain_keeps_its_start_and_its_newest_parents() {
        let chain: Vec<String> = (0..100).map(|n| format!("<m{n}@x>")).collect();
        let raw = format!("References: {}\r\n\r\n", chain.join("\r\n "));
        let parents = thread_parents(raw.as_bytes());
        assert_eq!(parents.len(), MAX_PARENTS);
        assert_eq!(parents[0], "m0@x");
        assert_eq!(parents[1], "m69@x");
        assert_eq!(parents.last().map(String::as_str), Some("m99@x"));
    }
}
