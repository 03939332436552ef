//! `application/x-www-form-urlencoded`: the query of the authorization URL and of the
//! redirect, and the token endpoint's request body (pure functions).

/// Percent-encodes `value`: RFC 3986's unreserved characters stay, every other byte of its
/// UTF-8 becomes `%XX` (a space too, which both a query and a form body accept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `name=value&name=value`, each part encoded.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}

/// Decodes one part: `+` is a space, `%XX` a byte. `None` for a broken escape or bytes
/// that are not UTF-8.
pub fn decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let high = hex_value(*bytes.get(i + 1)?)?;
                let low = hex_value(*bytes.get(i + 2)?)?;
                out.push(high << 4 | low);
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The pairs of a query or form body, in order; a part without `=` has an empty value.
/// `None` if any part does not decode.
pub fn parse(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            Some((decode(name)?, decode(value)?))
        })
        .collect()
}

/// The value of the first pair called `name`.
pub fn get<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_unreserved_characters_and_escapes_the_rest() {
        assert_eq!(encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            encode("https://mail.google.com/ offline_access"),
            "https%3A%2F%2Fmail.google.com%2F%20offline_access"
        );
        assert_eq!(encode("ä"), "%C3%A4");
        assert_eq!(encode_pairs([("a b", "c&d"), ("e", "")]), "a%20b=c%26d&e=");
    }

    #[test]
    fn decoding_reverses_encoding_and_refuses_broken_escapes() {
        let text = "4/0AbCd+ef=gh&ij ä";
        assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        assert_eq!(decode("a+b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%ff"), None, "not UTF-8");
    }

    #[test]
    fn a_query_is_read_into_pairs_in_order() {
        let pairs = parse("code=4%2Fabc&state=xyz&flag&&scope=a+b").expect("decodes");
        assert_eq!(get(&pairs, "code"), Some("4/abc"));
        assert_eq!(get(&pairs, "state"), Some("xyz"));
        assert_eq!(get(&pairs, "flag"), Some(""));
        assert_eq!(get(&pairs, "scope"), Some("a b"));
        assert_eq!(get(&pairs, "missing"), None);
        assert_eq!(parse("a=%"), None);
    }
}
