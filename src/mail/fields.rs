//! [`header_fields`]: a few named header fields, found by a plain scan of the header block.
//! For callers that read two or three fields of every arriving message (the spam marks, the
//! threading references), where a full header parse would decode every field into a string.

/// How much of a message is looked at for its header.
const HEADER_MAX_BYTES: usize = 256 * 1024;

/// How long one field's value may grow with its folded lines.
const VALUE_MAX_BYTES: usize = 8 * 1024;

/// The fields of `raw`'s header named in `wanted` (compared ignoring ASCII case): each
/// occurrence in order, its name as written and its value unfolded and trimmed. The header
/// ends at the first empty line; a line that is neither a field nor a folded continuation is
/// skipped, and bytes that are not UTF-8 are replaced.
pub fn header_fields(raw: &[u8], wanted: &[&str]) -> Vec<(String, String)> {
    let raw = &raw[..raw.len().min(HEADER_MAX_BYTES)];
    let mut out = Vec::new();
    let mut current: Option<(&[u8], Vec<u8>)> = None;
    let flush = |current: &mut Option<(&[u8], Vec<u8>)>, out: &mut Vec<(String, String)>| {
        if let Some((name, value)) = current.take() {
            let value = String::from_utf8_lossy(&value).trim().to_owned();
            out.push((String::from_utf8_lossy(name).into_owned(), value));
        }
    };
    for line in raw.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if let Some((_, value)) = &mut current
                && value.len() < VALUE_MAX_BYTES
            {
                value.push(b' ');
                value.extend_from_slice(line.trim_ascii_start());
            }
            continue;
        }
        flush(&mut current, &mut out);
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let name = line[..colon].trim_ascii_end();
        if wanted
            .iter()
            .any(|field| field.as_bytes().eq_ignore_ascii_case(name))
        {
            current = Some((name, line[colon + 1..].to_vec()));
        }
    }
    flush(&mut current, &mut out);
    out
}
