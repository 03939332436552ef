//! The list's sort keys for senders and subjects, computed once when a message is stored.

/// The sender sort key: the name, or the address when there is none, folded to lower case.
pub(crate) fn sender_key(name: &str, addr: &str) -> String {
    let shown = if name.trim().is_empty() { addr } else { name };
    shown.trim().trim_matches('"').to_lowercase()
}

/// The subject sort key: without reply and forward prefixes, folded to lower case.
pub(crate) fn subject_key(subject: &str) -> String {
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_ascii_lowercase();
        let stripped = ["re:", "fwd:", "fw:", "aw:", "wg:", "sv:", "vs:", "antw:"]
            .iter()
            .find(|prefix| lower.starts_with(*prefix))
            .map(|prefix| rest[prefix.len()..].trim_start());
        match stripped {
            Some(next) => rest = next,
            None => break,
        }
    }
    rest.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_keys_ignore_reply_prefixes_and_case() {
        assert_eq!(subject_key("Re: AW: Fwd: Hello"), "hello");
        assert_eq!(subject_key("  re:re: x"), "x");
        assert_eq!(subject_key("Reply all"), "reply all");
        assert_eq!(subject_key("Ärger"), "ärger");
    }

    #[test]
    fn sender_keys_use_the_name_or_else_the_address() {
        assert_eq!(sender_key("Anna Müller", "a@x.de"), "anna müller");
        assert_eq!(sender_key("", "Bob@Example.com"), "bob@example.com");
        assert_eq!(sender_key("\"Quoted\"", "q@x"), "quoted");
    }
}
