//! A small HTML-to-text converter for previews and the full-text index.
//!
//! It is not a browser: it keeps the words a reader would see and the line structure of
//! block elements, and nothing else. What it guarantees matters more than what it renders:
//! it runs in time linear in the input (every search for a closing `-->`, `</script` or quote
//! remembers where it stopped, so no byte is scanned twice by the same search), and it never
//! panics on broken markup: an unclosed tag or comment ends the text, as it does in a browser.

use std::borrow::Cow;

use memchr::memmem;

use super::text::WINDOWS_1252_HIGH;

/// Elements whose content is never shown: their text is dropped up to the closing tag.
const HIDDEN: &[&[u8]] = &[b"script", b"style", b"head", b"title", b"template"];

/// Elements that start and end a paragraph: a blank line around them.
const PARAGRAPH: &[&[u8]] = &[
    b"p",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"blockquote",
    b"pre",
    b"table",
    b"ul",
    b"ol",
    b"dl",
];

/// Elements that start and end a line.
const LINE: &[&[u8]] = &[
    b"div",
    b"tr",
    b"li",
    b"dt",
    b"dd",
    b"hr",
    b"address",
    b"article",
    b"aside",
    b"center",
    b"details",
    b"fieldset",
    b"figure",
    b"figcaption",
    b"footer",
    b"form",
    b"header",
    b"main",
    b"nav",
    b"section",
    b"summary",
    b"caption",
    b"tbody",
    b"thead",
    b"tfoot",
];

/// Converts HTML to plain text: visible text only, block elements on their own lines,
/// entities decoded, runs of white space collapsed to one space.
///
/// `<script>`, `<style>`, `<head>`, `<title>` and `<template>` content and comments are
/// dropped; `<p>`, headings, `<blockquote>` and lists are separated by a blank line, `<div>`,
/// `<tr>`, `<li>` (which gets a `- ` bullet) and `<br>` end a line, table cells are separated
/// by a space. The result has no leading or trailing white space and no line ends with a space.
pub fn html_to_text(html: &str) -> String {
    Converter::new(html).run()
}

/// Finds a needle again and again in one haystack, moving forward only.
///
/// It remembers the last hit (or that there is none): a later search that starts at or
/// before that hit reuses it, one that starts after it scans only bytes never scanned before.
/// The total work over a whole document is therefore linear, however many searches are made.
struct Finder {
    needle: &'static [u8],
    last: Option<Option<usize>>,
}

impl Finder {
    fn new(needle: &'static [u8]) -> Self {
        Finder { needle, last: None }
    }

    fn find(&mut self, hay: &[u8], from: usize) -> Option<usize> {
        match self.last {
            Some(None) => return None,
            Some(Some(at)) if at >= from => return Some(at),
            _ => {}
        }
        let found = hay
            .get(from..)
            .and_then(|rest| memmem::find(rest, self.needle))
            .map(|at| at + from);
        self.last = Some(found);
        found
    }
}

/// One piece of an HTML document, as [`Tokenizer`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// Text as written: entities are not decoded yet ([`decode_entities`]), white space is
    /// not collapsed. A lone `<` that starts no tag is text too.
    Text(&'a str),
    /// A start or end tag.
    Tag(Tag<'a>),
}

/// A start or end tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    /// The element's name as written (compare with `eq_ignore_ascii_case`).
    pub name: &'a str,
    /// An end tag (`</p>`).
    pub closing: bool,
    /// The attributes as written, up to the tag's `>` (read them with [`attribute`]).
    pub attrs: &'a str,
}

/// Splits HTML into text and tags, in one pass over the input.
///
/// Comments, `<!DOCTYPE>`, `<?xml ?>` and the content of the [`HIDDEN`] elements (with their
/// start tags) are skipped. Every search for a closing `-->`, `</script` or quote remembers
/// where it stopped, so the whole document is read in linear time.
pub(crate) struct Tokenizer<'a> {
    html: &'a str,
    /// The input, ASCII-lower-cased: the same byte offsets, for case-insensitive searches.
    lower: Vec<u8>,
    pos: usize,
    comment_end: Finder,
    double_quote: Finder,
    single_quote: Finder,
    /// One finder for the closing tag of each element of `HIDDEN`, in the same order.
    hidden_end: Vec<Finder>,
    body_start: Finder,
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer at the start of `html`.
    pub fn new(html: &'a str) -> Self {
        Tokenizer {
            html,
            lower: html.as_bytes().to_ascii_lowercase(),
            pos: 0,
            comment_end: Finder::new(b"-->"),
            double_quote: Finder::new(b"\""),
            single_quote: Finder::new(b"'"),
            hidden_end: vec![
                Finder::new(b"</script"),
                Finder::new(b"</style"),
                Finder::new(b"</head"),
                Finder::new(b"</title"),
                Finder::new(b"</template"),
            ],
            body_start: Finder::new(b"<body"),
        }
    }

    /// Reads the markup that starts with the `<` at `at`: moves past it and returns the tag
    /// it is, if any.
    fn markup(&mut self, at: usize) -> Option<Token<'a>> {
        let bytes = self.html.as_bytes();
        let len = bytes.len();
        match bytes.get(at + 1).copied() {
            Some(b'!') if bytes.get(at + 2..at + 4) == Some(b"--") => {
                // A comment runs to the next "-->"; an unclosed one hides the rest, as in a
                // browser.
                self.pos = match self.comment_end.find(&self.lower, at + 4) {
                    Some(end) => end + 3,
                    None => len,
                };
                None
            }
            // <!DOCTYPE>, <![CDATA[ ]]>, <?xml ?>, and "</ >" are bogus comments up to ">".
            Some(b'!') | Some(b'?') => {
                self.pos = skip_past_gt(bytes, at + 2);
                None
            }
            Some(b'/') if bytes.get(at + 2).is_some_and(u8::is_ascii_alphabetic) => {
                self.tag(at + 2, true)
            }
            Some(b'/') => {
                self.pos = skip_past_gt(bytes, at + 2);
                None
            }
            Some(ch) if ch.is_ascii_alphabetic() => self.tag(at + 1, false),
            _ => {
                // "a < b", "<3": a lone "<" is text.
                self.pos = at + 1;
                self.html.get(at..at + 1).map(Token::Text)
            }
        }
    }

    /// Reads a start or end tag whose name begins at `name_at`.
    fn tag(&mut self, name_at: usize, closing: bool) -> Option<Token<'a>> {
        let bytes = self.html.as_bytes();
        let name_end = bytes[name_at..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
            .map_or(bytes.len(), |n| name_at + n);
        let resume = self.tag_end(name_end);
        self.pos = resume;
        let name = &self.lower[name_at..name_end];
        if !closing && let Some(index) = HIDDEN.iter().position(|h| *h == name) {
            self.pos = self.skip_hidden(index, resume);
            return None;
        }
        let attrs_end = if resume > name_end && bytes[resume - 1] == b'>' {
            resume - 1
        } else {
            resume
        };
        Some(Token::Tag(Tag {
            name: self.html.get(name_at..name_end).unwrap_or_default(),
            closing,
            attrs: self.html.get(name_end..attrs_end).unwrap_or_default(),
        }))
    }

    /// Skips the content of a hidden element that starts at `from`; returns where text resumes.
    fn skip_hidden(&mut self, index: usize, from: usize) -> usize {
        let len = self.html.len();
        let end = self.hidden_end[index].find(&self.lower, from);
        if HIDDEN[index] == b"head" {
            // An unclosed <head> ends where <body> starts; with neither, nothing is hidden
            // (a browser would move the text into the body).
            let body = self.body_start.find(&self.lower, from);
            return match (end, body) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => from,
            };
        }
        // An unclosed <script> or <style> hides the rest of the document, as in a browser.
        end.unwrap_or(len)
    }

    /// Finds the `>` that ends a tag whose attributes start at `from`, skipping quoted
    /// attribute values; returns the offset after it (or the end of the input).
    fn tag_end(&mut self, from: usize) -> usize {
        let bytes = self.html.as_bytes();
        let mut pos = from;
        while pos < bytes.len() {
            match bytes[pos] {
                b'>' => return pos + 1,
                quote @ (b'"' | b'\'') if pos > from && bytes[pos - 1] == b'=' => {
                    let finder = if quote == b'"' {
                        &mut self.double_quote
                    } else {
                        &mut self.single_quote
                    };
                    match finder.find(bytes, pos + 1) {
                        Some(close) => pos = close + 1,
                        // No closing quote anywhere: take the quote as an ordinary byte.
                        None => pos += 1,
                    }
                }
                _ => pos += 1,
            }
        }
        bytes.len()
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.html.as_bytes();
        while self.pos < bytes.len() {
            let pos = self.pos;
            let tag_at = memchr::memchr(b'<', &bytes[pos..]).map_or(bytes.len(), |at| pos + at);
            if tag_at > pos {
                self.pos = tag_at;
                if let Some(text) = self.html.get(pos..tag_at) {
                    return Some(Token::Text(text));
                }
                continue;
            }
            if let Some(token) = self.markup(tag_at) {
                return Some(token);
            }
        }
        None
    }
}

/// The value of attribute `wanted` (lower case) in a tag's attribute text, entities decoded;
/// `None` when the tag does not have it.
pub(crate) fn attribute<'a>(attrs: &'a str, wanted: &str) -> Option<Cow<'a, str>> {
    let bytes = attrs.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'/') {
            pos += 1;
        }
        let name_start = pos;
        while pos < bytes.len()
            && !matches!(bytes[pos], b'=' | b'/' | b'>')
            && !bytes[pos].is_ascii_whitespace()
        {
            pos += 1;
        }
        let name = &attrs[name_start..pos];
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let mut value = "";
        let has_value = bytes.get(pos) == Some(&b'=');
        if has_value {
            pos += 1;
            while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            match bytes.get(pos) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(quote, &bytes[pos + 1..])
                        .map_or(bytes.len(), |n| pos + 1 + n);
                    value = &attrs[pos + 1..end];
                    pos = end + 1;
                }
                _ => {
                    let start = pos;
                    while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() {
                        pos += 1;
                    }
                    value = &attrs[start..pos];
                }
            }
        }
        if name.is_empty() {
            // A value without a name was read and dropped; a stray ">" is stepped over.
            if !has_value {
                pos += 1;
            }
            continue;
        }
        if name.eq_ignore_ascii_case(wanted) {
            return Some(decode_entities(value));
        }
    }
    None
}

/// Decodes the character references in a run of HTML text (`&amp;`, `&#233;`, `&eacute;`);
/// an `&` that starts none stays as it is.
pub(crate) fn decode_entities(run: &str) -> Cow<'_, str> {
    if !run.contains('&') {
        return Cow::Borrowed(run);
    }
    let mut out = String::with_capacity(run.len());
    let mut rest = run;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_entity(after) {
            Some((ch, used)) => {
                if let Some(ch) = ch {
                    out.push(ch);
                }
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

struct Converter<'a> {
    tokens: Tokenizer<'a>,
    out: Sink,
}

impl<'a> Converter<'a> {
    fn new(html: &'a str) -> Self {
        Converter {
            tokens: Tokenizer::new(html),
            out: Sink::with_capacity(html.len() / 2),
        }
    }

    fn run(mut self) -> String {
        while let Some(token) = self.tokens.next() {
            match token {
                Token::Text(text) => self.out.push_str(&decode_entities(text)),
                Token::Tag(tag) => self.tag(&tag),
            }
        }
        self.out.finish()
    }

    fn tag(&mut self, tag: &Tag<'_>) {
        let name = tag.name.to_ascii_lowercase();
        let name = name.as_bytes();
        if PARAGRAPH.contains(&name) {
            self.out.end_block(2);
        } else if LINE.contains(&name) {
            self.out.end_block(1);
            if name == b"li" && !tag.closing {
                self.out.push_bullet();
            }
        } else if name == b"br" {
            self.out.line_break();
        } else if name == b"td" || name == b"th" {
            self.out.push_char(' ');
        }
    }
}

/// Returns the offset after the next `>` at or after `from`, or the end of the input.
fn skip_past_gt(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| memchr::memchr(b'>', rest))
        .map_or(bytes.len(), |at| from + at + 1)
}

/// The text being built: collapses white space lazily and counts trailing line breaks.
struct Sink {
    text: String,
    /// White space was seen since the last visible character.
    space: bool,
    /// How many line breaks end `text` (0 when it ends with a visible character).
    breaks: usize,
}

impl Sink {
    fn with_capacity(capacity: usize) -> Self {
        Sink {
            text: String::with_capacity(capacity),
            space: false,
            breaks: 0,
        }
    }

    fn push_str(&mut self, s: &str) {
        for ch in s.chars() {
            self.push_char(ch);
        }
    }

    fn push_char(&mut self, ch: char) {
        if ch.is_whitespace() {
            self.space = true;
        } else if is_invisible(ch) {
            // Zero-width characters (newsletters pad their preheader with hundreds of them)
            // and control characters show nothing.
        } else {
            if self.space && self.breaks == 0 && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.space = false;
            self.breaks = 0;
            self.text.push(ch);
        }
    }

    /// Ends the current block: at least `lines` line breaks before the next text.
    fn end_block(&mut self, lines: usize) {
        self.space = false;
        if self.text.is_empty() {
            return;
        }
        while self.breaks < lines {
            self.text.push('\n');
            self.breaks += 1;
        }
    }

    /// `<br>`: always a new line, but never more than one empty line in a row.
    fn line_break(&mut self) {
        self.space = false;
        if !self.text.is_empty() && self.breaks < 2 {
            self.text.push('\n');
            self.breaks += 1;
        }
    }

    fn push_bullet(&mut self) {
        self.push_char('-');
        self.space = true;
    }

    fn finish(mut self) -> String {
        let end = self.text.trim_end().len();
        self.text.truncate(end);
        self.text
    }
}

/// Characters that take no room on screen: controls (other than white space), zero-width
/// spaces and joiners, the soft hyphen, the byte-order mark.
pub(crate) fn is_invisible(ch: char) -> bool {
    ch.is_control()
        || matches!(
            ch,
            '\u{ad}' | '\u{34f}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        )
}

/// Decodes the entity after an `&`: returns the character (`None` for one that shows nothing)
/// and how many bytes of `after` it used, or `None` when `after` does not start an entity.
fn decode_entity(after: &str) -> Option<(Option<char>, usize)> {
    let bytes = after.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (radix, digits_at) = match bytes.get(1) {
            Some(b'x' | b'X') => (16, 2),
            _ => (10, 1),
        };
        // At most 8 digits: enough for any code point, and no overflow.
        let digits = bytes[digits_at..]
            .iter()
            .take(8)
            .take_while(|b| char::from(**b).is_digit(radix))
            .count();
        if digits == 0 {
            return None;
        }
        let mut used = digits_at + digits;
        let value = u32::from_str_radix(&after[digits_at..used], radix).ok()?;
        if bytes.get(used) == Some(&b';') {
            used += 1;
        }
        return Some((Some(numeric_char(value)), used));
    }
    let name_len = bytes
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return None;
    }
    let name = &after[..name_len];
    let with_semicolon = bytes.get(name_len) == Some(&b';');
    // Browsers accept a few legacy entities without the semicolon ("&amp", "&nbsp").
    if !with_semicolon && !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp") {
        return None;
    }
    let ch = named_entity(name)?;
    let used = name_len + usize::from(with_semicolon);
    Some((ch, used))
}

/// The character of a numeric reference, mapped the way browsers do (HTML §13.2.5.80):
/// C1 controls are read as Windows-1252, invalid values become U+FFFD.
fn numeric_char(value: u32) -> char {
    match value {
        0x80..=0x9f => WINDOWS_1252_HIGH[(value - 0x80) as usize],
        0 => char::REPLACEMENT_CHARACTER,
        _ => char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER),
    }
}

/// The named entities mail actually uses: markup, typography and the Latin-1 letters.
/// `Some(None)` is an entity that shows nothing (zero-width joiners).
fn named_entity(name: &str) -> Option<Option<char>> {
    let ch = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "zwnj" | "zwj" | "shy" | "lrm" | "rlm" => return Some(None),
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "bull" => '•',
        "middot" => '·',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "curren" => '¤',
        "sect" => '§',
        "para" => '¶',
        "deg" => '°',
        "plusmn" => '±',
        "times" => '×',
        "divide" => '÷',
        "micro" => 'µ',
        "frac14" => '¼',
        "frac12" => '½',
        "frac34" => '¾',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordf" => 'ª',
        "ordm" => 'º',
        "not" => '¬',
        "macr" => '¯',
        "acute" => '´',
        "cedil" => '¸',
        "uml" => '¨',
        "brvbar" => '¦',
        "dagger" => '†',
        "Dagger" => '‡',
        "permil" => '‰',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "check" => '✓',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "AElig" => 'Æ',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Euml" => 'Ë',
        "Igrave" => 'Ì',
        "Iacute" => 'Í',
        "Icirc" => 'Î',
        "Iuml" => 'Ï',
        "ETH" => 'Ð',
        "Ntilde" => 'Ñ',
        "Ograve" => 'Ò',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Otilde" => 'Õ',
        "Ouml" => 'Ö',
        "Oslash" => 'Ø',
        "Ugrave" => 'Ù',
        "Uacute" => 'Ú',
        "Ucirc" => 'Û',
        "Uuml" => 'Ü',
        "Yacute" => 'Ý',
        "THORN" => 'Þ',
        "szlig" => 'ß',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "auml" => 'ä',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "igrave" => 'ì',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "eth" => 'ð',
        "ntilde" => 'ñ',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ouml" => 'ö',
        "oslash" => 'ø',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yacute" => 'ý',
        "thorn" => 'þ',
        "yuml" => 'ÿ',
        "OElig" => 'Œ',
        "oelig" => 'œ',
        "Scaron" => 'Š',
        "scaron" => 'š',
        "Yuml" => 'Ÿ',
        "fnof" => 'ƒ',
        _ => return None,
    };
    Some(Some(ch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn plain_text_passes_through_with_spaces_collapsed() {
        assert_eq!(html_to_text("  Hello,\n\t  world!  "), "Hello, world!");
        assert_eq!(html_to_text(""), "");
    }

    #[test]
    fn decodes_common_entities() {
        assert_eq!(
            html_to_text("&amp; &lt;b&gt; &quot;q&quot; it&#39;s&nbsp;ok"),
            "& <b> \"q\" it's ok"
        );
        assert_eq!(html_to_text("&#233;t&#xE9; &#X41;&#66"), "été AB");
        assert_eq!(html_to_text("caf&eacute; &euro;5 &hellip;"), "café €5 …");
        assert_eq!(
            html_to_text("&#150; &#146;"),
            "– ’",
            "C1 numbers are Windows-1252"
        );
        assert_eq!(
            html_to_text("&#0;&#xD800;&#x110000;"),
            "\u{fffd}\u{fffd}\u{fffd}"
        );
    }

    #[test]
    fn leaves_unknown_or_broken_entities_alone() {
        assert_eq!(
            html_to_text("AT&T &bogus; & &#; &#x;"),
            "AT&T &bogus; & &#; &#x;"
        );
        assert_eq!(html_to_text("a &amp b &copy c"), "a & b &copy c");
        assert_eq!(html_to_text("&#99999999999999;"), "\u{fffd}999999;");
    }

    #[test]
    fn drops_script_style_head_and_comments() {
        let html = "<html><head><title>T</title><style>p { color: red }</style></head>\
                    <body><!-- hidden --><p>Shown</p><script>alert('<p>no</p>')</script>\
                    <SCRIPT type=x>var a = 1 < 2;</SCRIPT>after</body></html>";
        assert_eq!(html_to_text(html), "Shown\n\nafter");
    }

    #[test]
    fn block_elements_make_lines() {
        assert_eq!(html_to_text("<p>one</p><p>two</p>"), "one\n\ntwo");
        assert_eq!(html_to_text("a<br>b<br/>c<BR />d"), "a\nb\nc\nd");
        assert_eq!(html_to_text("<div>a</div><div>b</div>"), "a\nb");
        assert_eq!(html_to_text("<h1>Title</h1>text"), "Title\n\ntext");
        assert_eq!(
            html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"),
            "a b\nc"
        );
        assert_eq!(
            html_to_text("x<blockquote>quoted</blockquote>y"),
            "x\n\nquoted\n\ny"
        );
    }

    #[test]
    fn lists_get_bullets() {
        assert_eq!(
            html_to_text("Items:<ul><li>one</li><li>two</ul>"),
            "Items:\n\n- one\n- two"
        );
        assert_eq!(html_to_text("<ol><li> a <li>b</ol>end"), "- a\n- b\n\nend");
    }

    #[test]
    fn inline_tags_do_not_split_words() {
        assert_eq!(
            html_to_text("<b>bo</b>ld <a href=\"x\">link</a> <span>s</span>"),
            "bold link s"
        );
    }

    #[test]
    fn survives_broken_markup() {
        assert_eq!(html_to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(html_to_text("<3 love"), "<3 love");
        assert_eq!(html_to_text("text <b"), "text");
        assert_eq!(html_to_text("text <!-- never closed <p>x"), "text");
        assert_eq!(html_to_text("x<script>never closed"), "x");
        assert_eq!(html_to_text("<a title=\"a>b\">link</a>"), "link");
        assert_eq!(
            html_to_text("<a title=\"unclosed>link</a> more"),
            "link more"
        );
        assert_eq!(html_to_text("<head>no end, no body"), "no end, no body");
        assert_eq!(html_to_text("<head><title>t</title><p>body"), "body");
        assert_eq!(html_to_text("</ >x<!doctype html><?xml ?>y"), "xy");
        assert_eq!(html_to_text("<<<>>>"), "<<<>>>");
        assert_eq!(html_to_text("é<"), "é<");
        assert_eq!(html_to_text("&"), "&");
        assert_eq!(html_to_text("&#"), "&#");
    }

    #[test]
    fn drops_zero_width_padding() {
        assert_eq!(
            html_to_text("Hi&zwnj;&nbsp;\u{200c}\u{feff}there"),
            "Hi there"
        );
    }

    #[test]
    fn pathological_inputs_finish_fast() {
        let cases: Vec<String> = vec![
            "<".repeat(1 << 20),
            "<a x=\"".repeat(1 << 18),
            "<a x='".repeat(1 << 18),
            "<!-".repeat(1 << 19),
            "<head>".repeat(1 << 18),
            "<script>".repeat(1 << 17),
            "&#".repeat(1 << 19),
            "&amp".repeat(1 << 18),
            "<div>".repeat(1 << 18),
            "<p>x</p>".repeat(1 << 17),
            "<a title='a' b=\"c".repeat(1 << 16),
        ];
        for html in cases {
            assert!(html.len() >= 1 << 20);
            let started = Instant::now();
            let text = html_to_text(&html);
            let elapsed = started.elapsed();
            assert!(
                elapsed < Duration::from_secs(2),
                "{:?}… took {elapsed:?}",
                &html[..16]
            );
            assert!(text.len() <= html.len());
        }
    }
}
