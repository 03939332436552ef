//! Reply, Reply all and Forward handed to the user's own mail program as a `mailto:` URL
//! (RFC 6068), until Poplar sends mail itself.
//!
//! Pure: [`Original::from_raw`] reads the header fields a reply needs, [`draft`] decides
//! who gets it and what it says, and [`mailto`] writes the URL, cutting the quoted text so
//! that the URL stays within [`MAILTO_MAX`] characters (openers and mail programs refuse or
//! truncate longer ones).

use mail_parser::{Address, HeaderValue, MessageParser};

/// The longest URL handed to the opener. Linux passes one argument of up to 128 KiB, but
/// Windows' command line ends at 32,767 characters and some mail programs take far less;
/// 8,000 keeps a screenful or two of quoted text everywhere.
pub const MAILTO_MAX: usize = 8_000;

/// What a reply needs from the message it answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Original {
    /// From: addresses.
    pub from: Vec<String>,
    /// Reply-To: addresses (where replies go instead of From, when given).
    pub reply_to: Vec<String>,
    /// To: addresses.
    pub to: Vec<String>,
    /// Cc: addresses.
    pub cc: Vec<String>,
    /// The subject, decoded.
    pub subject: String,
    /// Message-ID, without angle brackets.
    pub message_id: Option<String>,
    /// References, without angle brackets, oldest first.
    pub references: Vec<String>,
}

fn addresses(address: Option<&Address<'_>>) -> Vec<String> {
    address
        .map(|a| {
            a.iter()
                .filter_map(|addr| addr.address())
                .map(|addr| addr.trim().to_owned())
                .filter(|addr| addr.contains('@') && !addr.chars().any(char::is_control))
                .collect()
        })
        .unwrap_or_default()
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    value
        .as_text_list()
        .unwrap_or_default()
        .iter()
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty() && !id.chars().any(|c| c.is_control() || c == '<' || c == '>'))
        .collect()
}

impl Original {
    /// Reads the header block of a raw message (the body is not parsed). A header the parser
    /// cannot read gives empty fields, never an error: the reply is then addressed by hand.
    pub fn from_raw(raw: &[u8]) -> Self {
        let Some(message) = MessageParser::default().parse_headers(raw) else {
            return Self::default();
        };
        Self {
            from: addresses(message.from()),
            reply_to: addresses(message.reply_to()),
            to: addresses(message.to()),
            cc: addresses(message.cc()),
            subject: message.subject().unwrap_or_default().trim().to_owned(),
            message_id: message
                .message_id()
                .map(|id| id.trim().to_owned())
                .filter(|id| !id.is_empty()),
            references: ids(message.references()),
        }
    }
}

/// Which answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// To the sender (or Reply-To).
    Reply,
    /// To the sender and everyone else who got it, but not to the user.
    ReplyAll,
    /// To nobody yet, with the message's text below.
    Forward,
}

/// A message to hand over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// To: addresses.
    pub to: Vec<String>,
    /// Cc: addresses.
    pub cc: Vec<String>,
    /// Subject.
    pub subject: String,
    /// In-Reply-To, without angle brackets.
    pub in_reply_to: Option<String>,
    /// References, without angle brackets, oldest first.
    pub references: Vec<String>,
    /// The body: the quoted or forwarded text.
    pub body: String,
}

/// The most References kept in a reply.
const MAX_REFERENCES: usize = 10;

/// Subject prefixes that already say "reply" (English, German, Scandinavian, Dutch).
const REPLY_PREFIXES: &[&str] = &["re:", "aw:", "sv:", "antw:"];
/// Subject prefixes that already say "forward".
const FORWARD_PREFIXES: &[&str] = &["fwd:", "fw:", "wg:"];

fn prefixed(subject: &str, prefix: &str, known: &[&str]) -> String {
    let lower = subject.to_lowercase();
    if known.iter().any(|p| lower.starts_with(p)) {
        subject.to_owned()
    } else if subject.is_empty() {
        prefix.trim_end().to_owned()
    } else {
        format!("{prefix}{subject}")
    }
}

fn push_unique(list: &mut Vec<String>, address: &str, skip: &[String]) {
    let same = |a: &String| a.eq_ignore_ascii_case(address);
    if !list.iter().any(same) && !skip.iter().any(same) {
        list.push(address.to_owned());
    }
}

/// What to hand over. `own` are the user's addresses (left out of Reply all); `text` is the
/// message's text as shown; `intro` comes above it ("On 3 December, Petra wrote:", or the
/// forwarded message's header lines).
pub fn draft(
    original: &Original,
    answer: Answer,
    own: &[String],
    text: &str,
    intro: &str,
) -> Draft {
    let text = text.trim_end();
    if answer == Answer::Forward {
        return Draft {
            subject: prefixed(&original.subject, "Fwd: ", FORWARD_PREFIXES),
            body: format!("\n\n{intro}\n\n{text}\n"),
            ..Draft::default()
        };
    }
    let sender = if original.reply_to.is_empty() {
        &original.from
    } else {
        &original.reply_to
    };
    let mut to = Vec::new();
    for address in sender {
        push_unique(&mut to, address, &[]);
    }
    let mut cc = Vec::new();
    if answer == Answer::ReplyAll {
        // Replying to one's own message: its recipients are who the reply is for.
        if to
            .iter()
            .all(|a| own.iter().any(|o| o.eq_ignore_ascii_case(a)))
        {
            to.clear();
            for address in &original.to {
                push_unique(&mut to, address, own);
            }
        }
        for address in original.to.iter().chain(&original.cc) {
            let mut skip = own.to_vec();
            skip.extend(to.iter().cloned());
            push_unique(&mut cc, address, &skip);
        }
    }
    let mut references = original.references.clone();
    if let Some(id) = &original.message_id
        && !references.contains(id)
    {
        references.push(id.clone());
    }
    // A long thread's References would crowd out the text: its first and last ones are what
    // threading needs (RFC 5322 §3.6.4 allows dropping the ones between).
    if references.len() > MAX_REFERENCES {
        let cut = references.len() - (MAX_REFERENCES - 1);
        references.drain(1..cut);
    }
    let quoted: String = text
        .lines()
        .map(|line| {
            if line.starts_with('>') {
                format!(">{line}\n")
            } else if line.is_empty() {
                ">\n".to_owned()
            } else {
                format!("> {line}\n")
            }
        })
        .collect();
    Draft {
        to,
        cc,
        subject: prefixed(&original.subject, "Re: ", REPLY_PREFIXES),
        in_reply_to: original.message_id.clone(),
        references,
        body: format!("\n\n{intro}\n{quoted}"),
    }
}

/// RFC 6068 §2: everything but the unreserved characters percent-encoded as UTF-8, and line
/// breaks as CRLF.
fn encode_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        encode_char(out, ch);
    }
}

fn encode_char(out: &mut String, ch: char) {
    match ch {
        'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' => out.push(ch),
        '\n' => out.push_str("%0D%0A"),
        '\r' => {}
        _ => {
            let mut buf = [0u8; 4];
            for byte in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
}

fn encoded_len(ch: char) -> usize {
    match ch {
        'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' => 1,
        '\n' => 6,
        '\r' => 0,
        _ => 3 * ch.len_utf8(),
    }
}

/// An address in the URL's path: its `@` may stay (RFC 6068 §2, `addr-spec`).
fn encode_address(out: &mut String, address: &str) {
    for (i, part) in address.split('@').enumerate() {
        if i > 0 {
            out.push('@');
        }
        encode_into(out, part);
    }
}

fn angle_list(ids: &[String]) -> String {
    ids.iter()
        .map(|id| format!("<{id}>"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `mailto:` URL of a draft, at most `max` characters: when the body does not fit, it is
/// cut at a character (never inside one's encoding) and `cut_note` ends it instead.
pub fn mailto(draft: &Draft, max: usize, cut_note: &str) -> String {
    let mut url = String::from("mailto:");
    for (i, address) in draft.to.iter().enumerate() {
        if i > 0 {
            url.push(',');
        }
        encode_address(&mut url, address);
    }
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !draft.cc.is_empty() {
        fields.push(("cc", draft.cc.join(",")));
    }
    fields.push(("subject", draft.subject.clone()));
    if let Some(id) = &draft.in_reply_to {
        fields.push(("in-reply-to", format!("<{id}>")));
    }
    if !draft.references.is_empty() {
        fields.push(("references", angle_list(&draft.references)));
    }
    for (i, (name, value)) in fields.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(name);
        url.push('=');
        encode_into(&mut url, value);
    }
    if draft.body.is_empty() {
        return url;
    }
    const BODY: &str = "&body=";
    let whole: usize = draft.body.chars().map(encoded_len).sum();
    if url.len() + BODY.len() + whole <= max {
        url.push_str(BODY);
        encode_into(&mut url, &draft.body);
        return url;
    }
    let note = format!("\n[{cut_note}]\n");
    let note_len: usize = note.chars().map(encoded_len).sum();
    if url.len() + BODY.len() + note_len > max {
        // No room for any text: the addresses and the subject still go over.
        return url;
    }
    url.push_str(BODY);
    let mut budget = max.saturating_sub(url.len() + note_len);
    for ch in draft.body.chars() {
        let len = encoded_len(ch);
        if len > budget {
            break;
        }
        budget -= len;
        encode_char(&mut url, ch);
    }
    encode_into(&mut url, &note);
    url
}

#[cfg(test)]
mod tests;
