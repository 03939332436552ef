//! A message body as a small document of blocks and spans, for the message view.
//!
//! [`from_html`] reads HTML through the [`Tokenizer`] of `html.rs` (script, style and head
//! dropped, entities decoded) into paragraphs, headings, bold, italic and monospace spans,
//! links, lists, block quotes, simple tables, rules and inline images. [`from_plain`] reads
//! text/plain: `format=flowed` (RFC 3676) joined, `>` quote levels turned into nested quotes,
//! URLs turned into links.
//!
//! Nothing here loads anything: a `cid:` image is asked of the caller (which looks in the
//! message's own parts), every other image is only counted ([`RichDoc::remote_images`]).
//! Like the rest of the mail layer it never panics and runs in linear time: containers nest at
//! most [`MAX_DEPTH`] deep (deeper ones are flattened), a paragraph is split after
//! [`PARAGRAPH_SPLIT_BYTES`], and text past [`MAX_TEXT_BYTES`] is cut.

use std::io::Cursor;
use std::sync::Arc;

use super::html::{Tag, Token, Tokenizer, attribute, decode_entities, is_invisible};

/// How deep quotes, lists and tables nest; deeper ones are shown flat.
pub const MAX_DEPTH: usize = 12;

/// A paragraph longer than this (in bytes) is split at the next space or line end, so that
/// no single label holds a megabyte of text.
pub const PARAGRAPH_SPLIT_BYTES: usize = 4096;

/// The most text a document keeps; the rest is cut and [`RichDoc::truncated`] says so.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// An inline image wider or taller than this is scaled down (a texture must fit the GPU's
/// limit, and a photo need not be larger than the screen).
pub const MAX_IMAGE_SIDE: u32 = 2048;

/// A top-level quote or list with more text than this (bytes) is split into consecutive
/// ones, so that the view can lay out only the parts on screen.
pub const CHUNK_BYTES: usize = 8 * 1024;

/// The most decoded pixel bytes one message's images may take (about four 2048² pictures);
/// images past it are shown by their alternative text.
pub const MAX_IMAGE_BYTES: usize = 64 * 1024 * 1024;

/// The most distinct pictures one message shows.
pub const MAX_IMAGES: usize = 256;

/// The longest `data:` image URL decoded (its base64 text, in bytes).
const MAX_DATA_URL_BYTES: usize = 8 * 1024 * 1024;

/// A table with more cells than this is a layout, not data: it is shown flat.
const MAX_TABLE_CELLS: usize = 400;

/// A message body, ready to draw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RichDoc {
    /// The blocks, top to bottom.
    pub blocks: Vec<Block>,
    /// How many remote images (and backgrounds) the HTML referred to; none was loaded.
    pub remote_images: usize,
    /// The text was longer than [`MAX_TEXT_BYTES`] and was cut.
    pub truncated: bool,
}

impl RichDoc {
    /// Whether the document shows nothing.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Adds another document's blocks after this one's.
    pub fn append(&mut self, other: RichDoc) {
        self.blocks.extend(other.blocks);
        self.remote_images += other.remote_images;
        self.truncated |= other.truncated;
    }

    /// The visible text, one line per paragraph (for tests and searching what is shown).
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            block.push_text(&mut out);
        }
        out
    }
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Running text.
    Paragraph(Vec<Span>),
    /// A heading, level 1 (largest) to 6.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Its text.
        spans: Vec<Span>,
    },
    /// A list; each item is a list of blocks.
    List {
        /// Numbered (`<ol>`) rather than bulleted.
        ordered: bool,
        /// The first number of a numbered list.
        start: u64,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A quotation (`<blockquote>`, or `>` lines in plain text).
    Quote(Vec<Block>),
    /// A simple table: rows of cells, each cell a run of text.
    Table(Vec<Vec<Vec<Span>>>),
    /// A horizontal rule.
    Rule,
    /// An inline image from the message itself.
    Image(Image),
}

impl Block {
    /// How many bytes of text the block holds (its cost to lay out).
    pub fn text_len(&self) -> usize {
        let spans = |spans: &[Span]| spans.iter().map(|s| s.text.len()).sum::<usize>();
        match self {
            Block::Paragraph(s) | Block::Heading { spans: s, .. } => spans(s),
            Block::List { items, .. } => items.iter().flatten().map(Block::text_len).sum(),
            Block::Quote(blocks) => blocks.iter().map(Block::text_len).sum(),
            Block::Table(rows) => rows.iter().flatten().map(|c| spans(c)).sum(),
            Block::Rule => 1,
            // An image costs about as much as a screenful of text.
            Block::Image(_) => 2000,
        }
    }

    fn push_text(&self, out: &mut String) {
        let line = |out: &mut String, spans: &[Span]| {
            for span in spans {
                out.push_str(&span.text);
            }
            out.push('\n');
        };
        match self {
            Block::Paragraph(spans) | Block::Heading { spans, .. } => line(out, spans),
            Block::List { items, .. } => items.iter().flatten().for_each(|b| b.push_text(out)),
            Block::Quote(blocks) => blocks.iter().for_each(|b| b.push_text(out)),
            Block::Table(rows) => rows.iter().flatten().for_each(|cell| line(out, cell)),
            Block::Rule => out.push_str("---\n"),
            Block::Image(image) => {
                out.push_str(&format!("[image {}]\n", image.alt));
            }
        }
    }
}

/// How a span of text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Style {
    /// Bold (`<b>`, `<strong>`, headings in table cells).
    pub bold: bool,
    /// Italic (`<i>`, `<em>`).
    pub italic: bool,
    /// Monospace (`<code>`, `<pre>`).
    pub monospace: bool,
    /// Underlined (`<u>`, `<ins>`).
    pub underline: bool,
    /// Struck through (`<s>`, `<del>`).
    pub strikethrough: bool,
}

/// A run of text with one style, perhaps a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text; white space already collapsed (except in preformatted text), may contain
    /// line breaks.
    pub text: String,
    /// How it looks.
    pub style: Style,
    /// The link's target (http, https or mailto only), when the span is a link.
    pub link: Option<String>,
}

/// An image of the message itself (a `cid:` reference), decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Its alternative text.
    pub alt: String,
    /// The pixels.
    pub pixels: Arc<Pixels>,
}

/// Decoded pixels: 8-bit RGBA, not premultiplied, row by row.
#[derive(Clone, PartialEq, Eq)]
pub struct Pixels {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for Pixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pixels({}×{})", self.width, self.height)
    }
}

/// Decodes a PNG, JPEG or GIF (its first frame) into pixels, scaled down to at most
/// [`MAX_IMAGE_SIDE`]; `None` for anything else or anything broken. Dimensions and memory are
/// limited before decoding, so a small file that claims to be huge is refused.
pub fn decode_image(bytes: &[u8]) -> Option<Pixels> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::Gif)
    ) {
        return None;
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut decoded = reader.decode().ok()?;
    if decoded.width() > MAX_IMAGE_SIDE || decoded.height() > MAX_IMAGE_SIDE {
        decoded = decoded.thumbnail(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE);
    }
    let rgba = decoded.to_rgba8();
    Some(Pixels {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

/// Looks up the image of a `cid:` reference (the Content-ID, without `cid:` or brackets).
pub type ImageLookup<'a> = dyn FnMut(&str) -> Option<Arc<Pixels>> + 'a;

/// Reads an HTML body into a document. `images` resolves `cid:` images; nothing else is
/// ever loaded.
pub fn from_html(html: &str, images: &mut ImageLookup<'_>) -> RichDoc {
    let mut builder = Builder::new();
    for token in Tokenizer::new(html) {
        if builder.full() {
            break;
        }
        match token {
            Token::Text(_) if builder.hidden.is_some() => {}
            Token::Text(text) => builder.text(&decode_entities(text)),
            Token::Tag(tag) => builder.tag(&tag, images),
        }
    }
    builder.finish()
}

/// Reads a text/plain body into a document: `flowed` (with `delsp`) as in the part's
/// `Content-Type: text/plain; format=flowed; delsp=yes`.
pub fn from_plain(text: &str, flowed: bool, delsp: bool) -> RichDoc {
    let mut builder = Builder::new();
    let mut soft = String::new();
    let mut soft_depth = 0;
    for raw_line in text.split('\n') {
        if builder.full() {
            break;
        }
        let raw_line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let (depth, mut line) = if flowed {
            flowed_quote(raw_line)
        } else {
            plain_quote(raw_line)
        };
        if flowed {
            // RFC 3676 §4.4: a space after the quote marks is space-stuffing.
            line = line.strip_prefix(' ').unwrap_or(line);
            if !soft.is_empty() && soft_depth != depth {
                // §4.5: a change of quote depth ends a paragraph, even after a soft break.
                builder.plain_line(soft_depth, &std::mem::take(&mut soft));
            }
            // §4.2: a line ending in a space is soft (but "-- ", the signature separator, is
            // not); §4.3: with DelSp=yes that space is not part of the text.
            if line.ends_with(' ') && line != "-- " {
                let kept = if delsp { &line[..line.len() - 1] } else { line };
                soft.push_str(kept);
                soft_depth = depth;
                continue;
            }
            if !soft.is_empty() {
                soft.push_str(line);
                builder.plain_line(depth, &std::mem::take(&mut soft));
                continue;
            }
        }
        builder.plain_line(depth, line);
    }
    if !soft.is_empty() {
        builder.plain_line(soft_depth, &soft);
    }
    builder.finish()
}

/// The quote depth of a format=flowed line (RFC 3676 §4.5: `>` characters, nothing between)
/// and the rest.
fn flowed_quote(line: &str) -> (usize, &str) {
    let depth = line.bytes().take_while(|b| *b == b'>').count();
    (depth, &line[depth..])
}

/// The quote depth of an ordinary line, where mailers write `> > ` as well as `>> `, and the
/// rest without the space after the last `>`.
fn plain_quote(line: &str) -> (usize, &str) {
    let mut depth = 0;
    let mut rest = line;
    while let Some(after) = rest.strip_prefix('>') {
        depth += 1;
        rest = match after.strip_prefix(' ') {
            Some(spaced) if spaced.starts_with('>') => spaced,
            _ => after,
        };
    }
    if depth > 0 {
        rest = rest.strip_prefix(' ').unwrap_or(rest);
    }
    (depth, rest)
}

/// Finds the links in plain text: `http://`, `https://`, `mailto:` and `www.` addresses.
/// Returns each link's byte range and its target; trailing punctuation (and a closing bracket
/// without its opening one) is left out, as a reader means it.
pub fn find_links(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    const PREFIXES: [&str; 4] = ["https://", "http://", "mailto:", "www."];
    let bytes = text.as_bytes();
    let mut links = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let at_word_start =
            pos == 0 || !(bytes[pos - 1].is_ascii_alphanumeric() || bytes[pos - 1] == b'.');
        let prefix = at_word_start
            .then(|| {
                PREFIXES.iter().find(|p| {
                    bytes
                        .get(pos..pos + p.len())
                        .is_some_and(|b| b.eq_ignore_ascii_case(p.as_bytes()))
                })
            })
            .flatten();
        let Some(prefix) = prefix else {
            pos += 1;
            continue;
        };
        let mut end = pos;
        while end < bytes.len()
            && !bytes[end].is_ascii_whitespace()
            && !matches!(bytes[end], b'<' | b'>' | b'"' | b'`')
            && !bytes[end].is_ascii_control()
        {
            end += 1;
        }
        // Non-ASCII white space ends a link too.
        if let Some(space) = text[pos..end].find(char::is_whitespace) {
            end = pos + space;
        }
        // Brackets are counted once, then kept up to date while the end moves back.
        let count = |byte: u8| bytes[pos..end].iter().filter(|b| **b == byte).count();
        let (open_round, open_square) = (count(b'('), count(b'['));
        let (mut close_round, mut close_square) = (count(b')'), count(b']'));
        while end > pos {
            match bytes[end - 1] {
                b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'*' => {}
                b')' if close_round > open_round => close_round -= 1,
                b']' if close_square > open_square => close_square -= 1,
                _ => break,
            }
            end -= 1;
        }
        if end <= pos + prefix.len() {
            pos += prefix.len();
            continue;
        }
        let found = &text[pos..end];
        let target = if prefix == &"www." {
            format!("http://{found}")
        } else {
            found.to_owned()
        };
        links.push((pos..end, target));
        pos = end;
    }
    links
}

/// Whether a link may be followed: only web and mail addresses (no `javascript:`, `file:`,
/// `data:` or anything else a click should not run).
fn safe_link(target: &str) -> bool {
    let lower = |prefix: &str| {
        target
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    (lower("http://") || lower("https://") || lower("mailto:")) && target.len() > 7
}

/// Decodes the picture of a `data:` URL (after `data:`): base64 only, at most
/// [`MAX_DATA_URL_BYTES`] of it.
fn data_image(data: &str) -> Option<Pixels> {
    use base64::Engine as _;
    let (_, encoded) = data.split_once(',')?;
    let header = &data[..data.len() - encoded.len() - 1];
    if !header.to_ascii_lowercase().ends_with(";base64") || encoded.len() > MAX_DATA_URL_BYTES {
        return None;
    }
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(compact.trim_end_matches('='))
        .ok()?;
    decode_image(&bytes)
}

/// Undoes `%XX` escapes (RFC 2392 `cid:` URLs are URL-encoded).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while pos < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[pos],
            bytes.get(pos + 1).copied().and_then(hex),
            bytes.get(pos + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                pos += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                pos += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What an open container is.
enum Kind {
    Root,
    Quote,
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Item,
    Table {
        rows: Vec<Vec<Vec<Block>>>,
    },
    Cell {
        /// A header cell (`<th>`): its text is bold.
        header: bool,
    },
}

impl Kind {
    /// A number for each kind of container, to count the ones not opened (too deep).
    fn slot(&self) -> usize {
        match self {
            Kind::Root => 0,
            Kind::Quote => 1,
            Kind::List { .. } => 2,
            Kind::Item => 3,
            Kind::Table { .. } => 4,
            Kind::Cell { .. } => 5,
        }
    }
}

/// An open container and the blocks it holds so far.
struct Frame {
    kind: Kind,
    blocks: Vec<Block>,
}

/// Builds a document: a stack of open containers (never recursion, whatever the nesting)
/// and the paragraph being written.
struct Builder {
    /// Never empty: the root is at the bottom.
    frames: Vec<Frame>,
    /// Containers not opened because they were nested too deep, by [`Kind::slot`].
    suppressed: [usize; 6],
    para: Vec<Span>,
    para_bytes: usize,
    /// The last span of `para` takes more text (same style and link).
    span_open: bool,
    heading: Option<u8>,
    bold: usize,
    italic: usize,
    monospace: usize,
    underline: usize,
    strikethrough: usize,
    pre: usize,
    link: Option<String>,
    /// White space was seen since the last visible character.
    space: bool,
    /// Line breaks at the end of the paragraph.
    breaks: usize,
    total_bytes: usize,
    truncated: bool,
    remote_images: usize,
    /// The element being skipped (not shown in a browser) and how deep in it the text is.
    hidden: Option<(String, usize)>,
    /// The pictures in the document (by address) and their decoded size.
    images_shown: std::collections::HashSet<usize>,
    image_bytes: usize,
}

impl Builder {
    fn new() -> Self {
        Builder {
            frames: vec![Frame {
                kind: Kind::Root,
                blocks: Vec::new(),
            }],
            suppressed: [0; 6],
            para: Vec::new(),
            para_bytes: 0,
            span_open: false,
            heading: None,
            bold: 0,
            italic: 0,
            monospace: 0,
            underline: 0,
            strikethrough: 0,
            pre: 0,
            link: None,
            space: false,
            breaks: 0,
            total_bytes: 0,
            truncated: false,
            remote_images: 0,
            hidden: None,
            images_shown: std::collections::HashSet::new(),
            image_bytes: 0,
        }
    }

    fn full(&self) -> bool {
        self.truncated
    }

    fn style(&self) -> Style {
        Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
            monospace: self.monospace > 0 || self.pre > 0,
            underline: self.underline > 0,
            strikethrough: self.strikethrough > 0,
        }
    }

    // ----- text --------------------------------------------------------------------------

    fn push_char(&mut self, ch: char) {
        if self.total_bytes >= MAX_TEXT_BYTES {
            self.truncated = true;
            return;
        }
        let reuse = self.span_open
            || self
                .para
                .last()
                .is_some_and(|last| last.style == self.style() && last.link == self.link);
        if !reuse || self.para.is_empty() {
            let span = Span {
                text: String::new(),
                style: self.style(),
                link: self.link.clone(),
            };
            self.para.push(span);
            self.span_open = true;
        }
        if let Some(span) = self.para.last_mut() {
            span.text.push(ch);
        }
        self.para_bytes += ch.len_utf8();
        self.total_bytes += ch.len_utf8();
        self.breaks = if ch == '\n' { self.breaks + 1 } else { 0 };
    }

    /// HTML text: white space collapsed (kept in `<pre>`), invisible characters dropped.
    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            for ch in text.chars() {
                match ch {
                    '\r' => {}
                    '\n' if self.para.is_empty() => {}
                    '\n' if self.para_bytes > PARAGRAPH_SPLIT_BYTES => self.flush(),
                    '\t' | '\n' => self.push_char(ch),
                    ch if is_invisible(ch) => {}
                    ch => self.push_char(ch),
                }
            }
            return;
        }
        for ch in text.chars() {
            if ch.is_whitespace() {
                self.space = true;
                if self.para_bytes > PARAGRAPH_SPLIT_BYTES {
                    self.flush();
                }
            } else if !is_invisible(ch) {
                if self.space && self.breaks == 0 && !self.para.is_empty() {
                    // The space goes with the text before it, so a link or a style starts
                    // at its first letter; but never at the end of a link, which it would
                    // underline.
                    let after_link = self
                        .para
                        .last()
                        .is_some_and(|last| last.link.is_some() && last.link != self.link);
                    if after_link {
                        self.push_char(' ');
                    } else {
                        self.span_open = true;
                        self.push_char(' ');
                        self.span_open = false;
                    }
                }
                self.space = false;
                self.push_char(ch);
            }
        }
    }

    /// `<br>`: a new line, but never more than one empty line in a row.
    fn line_break(&mut self) {
        self.space = false;
        if !self.para.is_empty() && self.breaks < 2 {
            self.push_char('\n');
        }
    }

    /// A line of plain text at quote depth `depth`: an empty line ends the paragraph.
    fn plain_line(&mut self, depth: usize, line: &str) {
        self.quote_depth(depth);
        if line.trim().is_empty() {
            self.flush();
            return;
        }
        if !self.para.is_empty() {
            if self.para_bytes > PARAGRAPH_SPLIT_BYTES {
                self.flush();
            } else {
                self.span_open = false;
                self.push_char('\n');
            }
        }
        let mut at = 0;
        for (range, target) in find_links(line) {
            self.plain_run(&line[at..range.start]);
            self.link = Some(target);
            self.span_open = false;
            self.plain_run(&line[range.clone()]);
            self.link = None;
            self.span_open = false;
            at = range.end;
        }
        self.plain_run(&line[at..]);
    }

    /// Plain text as written: spaces kept, tabs as four spaces, invisible characters dropped.
    fn plain_run(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' => (0..4).for_each(|_| self.push_char(' ')),
                ch if is_invisible(ch) => {}
                ch => self.push_char(ch),
            }
        }
    }

    /// Opens or closes quotes until `depth` are open (plain text has no other containers).
    fn quote_depth(&mut self, depth: usize) {
        let depth = depth.min(MAX_DEPTH);
        while self.frames.len() - 1 > depth {
            self.pop_frame();
        }
        while self.frames.len() - 1 < depth {
            self.open(Kind::Quote);
        }
    }

    /// Ends the paragraph being written, adding it to the innermost container.
    fn flush(&mut self) {
        self.span_open = false;
        self.space = false;
        self.breaks = 0;
        self.para_bytes = 0;
        let mut spans = std::mem::take(&mut self.para);
        while let Some(last) = spans.last_mut() {
            let kept = last.text.trim_end().len();
            last.text.truncate(kept);
            if !last.text.is_empty() {
                break;
            }
            spans.pop();
        }
        if spans.is_empty() {
            return;
        }
        let block = match self.heading {
            Some(level) => Block::Heading { level, spans },
            None => Block::Paragraph(spans),
        };
        self.add_block(block);
    }

    fn add_block(&mut self, block: Block) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        match &mut frame.kind {
            Kind::List { items, .. } => match items.last_mut() {
                // Text straight in a list, outside any item: part of the last item.
                Some(item) => item.push(block),
                None => items.push(vec![block]),
            },
            // Text in a table but outside its cells goes before the table, as in a browser.
            _ => frame.blocks.push(block),
        }
    }

    // ----- containers --------------------------------------------------------------------

    fn open(&mut self, kind: Kind) {
        self.flush();
        if self.frames.len() > MAX_DEPTH {
            self.suppressed[kind.slot()] += 1;
            return;
        }
        self.frames.push(Frame {
            kind,
            blocks: Vec::new(),
        });
    }

    fn top_is(&self, slot: usize) -> bool {
        self.frames.last().is_some_and(|f| f.kind.slot() == slot)
    }

    /// Closes the innermost container of kind `slot` and everything inside it; a cell or
    /// table boundary is not crossed for other kinds (a stray `</li>` in a cell closes
    /// nothing outside it).
    fn close(&mut self, slot: usize) {
        self.flush();
        if self.suppressed[slot] > 0 {
            self.suppressed[slot] -= 1;
            return;
        }
        let table_like = |s: usize| s == 4 || s == 5;
        let mut found = None;
        for (index, frame) in self.frames.iter().enumerate().skip(1).rev() {
            let s = frame.kind.slot();
            if s == slot {
                found = Some(index);
                break;
            }
            if table_like(s) && !table_like(slot) || s == 4 && slot == 5 {
                break;
            }
        }
        if let Some(index) = found {
            while self.frames.len() > index {
                self.pop_frame();
            }
        }
    }

    /// Closes the innermost container and hands what it built to its parent.
    fn pop_frame(&mut self) {
        self.flush();
        if self.frames.len() <= 1 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        match frame.kind {
            Kind::Root => self.frames.push(frame),
            Kind::Quote => {
                if !frame.blocks.is_empty() {
                    self.add_block(Block::Quote(frame.blocks));
                }
            }
            Kind::Item => {
                if frame.blocks.is_empty() {
                    return;
                }
                match self.frames.last_mut().map(|f| &mut f.kind) {
                    Some(Kind::List { items, .. }) => items.push(frame.blocks),
                    _ => frame.blocks.into_iter().for_each(|b| self.add_block(b)),
                }
            }
            Kind::List {
                ordered,
                start,
                items,
            } => {
                if !items.is_empty() {
                    self.add_block(Block::List {
                        ordered,
                        start,
                        items,
                    });
                }
            }
            Kind::Cell { header } => {
                if header {
                    self.bold = self.bold.saturating_sub(1);
                }
                self.cell_done(frame.blocks);
            }
            Kind::Table { rows } => {
                for block in frame.blocks {
                    self.add_block(block);
                }
                match simple_table(&rows) {
                    true => self.add_block(Block::Table(table_cells(rows))),
                    false => rows
                        .into_iter()
                        .flatten()
                        .flatten()
                        .for_each(|b| self.add_block(b)),
                }
            }
        }
    }

    /// Hands a closed cell's blocks to its table's last row.
    fn cell_done(&mut self, blocks: Vec<Block>) {
        match self.frames.last_mut().map(|f| &mut f.kind) {
            Some(Kind::Table { rows }) => {
                if rows.is_empty() {
                    rows.push(Vec::new());
                }
                if let Some(row) = rows.last_mut() {
                    row.push(blocks);
                }
            }
            _ => blocks.into_iter().for_each(|b| self.add_block(b)),
        }
    }

    // ----- HTML tags ---------------------------------------------------------------------

    fn tag(&mut self, tag: &Tag<'_>, images: &mut ImageLookup<'_>) {
        let name = tag.name.to_ascii_lowercase();
        let name = name.as_str();
        let closing = tag.closing;
        if self.skip_hidden(name, tag) {
            return;
        }
        let count = |counter: &mut usize| {
            if closing {
                *counter = counter.saturating_sub(1);
            } else {
                *counter += 1;
            }
        };
        match name {
            "br" => self.line_break(),
            // text/enriched (RFC 1896) is read as markup too: <bold>, <italic>, <fixed>.
            "b" | "strong" | "bold" => {
                count(&mut self.bold);
                self.span_open = false;
            }
            "i" | "em" | "cite" | "var" | "dfn" | "italic" => {
                count(&mut self.italic);
                self.span_open = false;
            }
            "code" | "tt" | "kbd" | "samp" | "fixed" => {
                count(&mut self.monospace);
                self.span_open = false;
            }
            "u" | "ins" | "underline" => {
                count(&mut self.underline);
                self.span_open = false;
            }
            "s" | "strike" | "del" => {
                count(&mut self.strikethrough);
                self.span_open = false;
            }
            "a" => {
                self.link = if closing {
                    None
                } else {
                    attribute(tag.attrs, "href")
                        .map(|href| href.trim().to_owned())
                        .filter(|href| safe_link(href))
                };
                self.span_open = false;
            }
            "img" if !closing => self.image(tag.attrs, images),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.heading = (!closing).then(|| name.as_bytes()[1] - b'0');
            }
            "pre" | "listing" | "xmp" => {
                self.flush();
                count(&mut self.pre);
            }
            "hr" => {
                self.flush();
                self.add_block(Block::Rule);
            }
            "blockquote" if closing => self.close(1),
            "blockquote" => self.open(Kind::Quote),
            "ul" | "ol" | "menu" | "dir" if closing => self.close(2),
            "ul" | "ol" | "menu" | "dir" => {
                let start = attribute(tag.attrs, "start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.open(Kind::List {
                    ordered: name == "ol",
                    start,
                    items: Vec::new(),
                });
            }
            "li" if closing => self.close(3),
            "li" => {
                if self.top_is(3) {
                    self.pop_frame();
                }
                if !self.top_is(2) {
                    self.open(Kind::List {
                        ordered: false,
                        start: 1,
                        items: Vec::new(),
                    });
                }
                self.open(Kind::Item);
            }
            "table" if closing => self.close(4),
            "table" => {
                self.background(tag.attrs);
                self.open(Kind::Table { rows: Vec::new() });
            }
            "tr" | "td" | "th" => self.table_part(name, tag),
            _ => {
                if !closing && name == "body" {
                    self.background(tag.attrs);
                }
                if BLOCKS.contains(&name) {
                    self.flush();
                }
            }
        }
    }

    /// Content a browser would not show (`style="display:none"` or the `hidden` attribute,
    /// as newsletters hide their preheader text) is skipped up to its element's end tag.
    /// Returns whether `tag` was skipped.
    fn skip_hidden(&mut self, name: &str, tag: &Tag<'_>) -> bool {
        if let Some((hidden, depth)) = &mut self.hidden {
            if hidden.as_str() == name {
                if tag.closing {
                    *depth -= 1;
                    if *depth == 0 {
                        self.hidden = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            return true;
        }
        // Only elements whose end tag is always written: a hidden <p> or <td>, whose end is
        // implied, would hide the rest of the message.
        if tag.closing || !matches!(name, "div" | "span" | "table") {
            return false;
        }
        let display_none = attribute(tag.attrs, "style").is_some_and(|style| {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            style.contains("display:none")
        });
        if display_none || attribute(tag.attrs, "hidden").is_some() {
            self.hidden = Some((name.to_owned(), 1));
            return true;
        }
        false
    }

    fn table_part(&mut self, name: &str, tag: &Tag<'_>) {
        if self.top_is(5) {
            self.pop_frame();
        }
        if tag.closing {
            return;
        }
        self.background(tag.attrs);
        if !self.top_is(4) {
            // A row or cell outside a table (or inside one nested too deep): a space.
            self.flush();
            return;
        }
        if name == "tr" {
            if let Some(Frame {
                kind: Kind::Table { rows },
                ..
            }) = self.frames.last_mut()
            {
                rows.push(Vec::new());
            }
            return;
        }
        let header = name == "th";
        self.open(Kind::Cell { header });
        if header && self.top_is(5) {
            self.bold += 1;
            self.span_open = false;
        }
    }

    /// `background="…"` on a body, table or cell: a remote image too.
    fn background(&mut self, attrs: &str) {
        if attribute(attrs, "background").is_some_and(|url| !url.trim().is_empty()) {
            self.remote_images += 1;
        }
    }

    fn image(&mut self, attrs: &str, images: &mut ImageLookup<'_>) {
        let src = attribute(attrs, "src").unwrap_or_default();
        let src = src.trim();
        let alt: String = attribute(attrs, "alt")
            .map(|alt| alt.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        let cid = src
            .get(..4)
            .filter(|scheme| scheme.eq_ignore_ascii_case("cid:"))
            .and_then(|_| src.get(4..));
        let data = src
            .get(..5)
            .filter(|scheme| scheme.eq_ignore_ascii_case("data:"))
            .and_then(|_| src.get(5..));
        let pixels = if let Some(cid) = cid {
            let cid = percent_decode(cid);
            images(cid.trim().trim_start_matches('<').trim_end_matches('>'))
        } else if let Some(data) = data {
            // The picture is in the message itself: decoded here, nothing fetched (and not
            // once the message's pictures are at their limit).
            let room = self.images_shown.len() < MAX_IMAGES && self.image_bytes < MAX_IMAGE_BYTES;
            room.then(|| data_image(data).map(Arc::new)).flatten()
        } else {
            if !src.is_empty() {
                // Anything else would come from a server: never loaded, only counted.
                self.remote_images += 1;
            }
            None
        };
        if let Some(pixels) = pixels {
            // Each picture counts once, however often it is shown.
            let key = Arc::as_ptr(&pixels) as usize;
            let new = !self.images_shown.contains(&key);
            let room = self.images_shown.len() < MAX_IMAGES
                && self.image_bytes + pixels.rgba.len() <= MAX_IMAGE_BYTES;
            if !new || room {
                if new {
                    self.images_shown.insert(key);
                    self.image_bytes += pixels.rgba.len();
                }
                self.flush();
                self.add_block(Block::Image(Image { alt, pixels }));
                return;
            }
        }
        if !alt.is_empty() {
            self.italic += 1;
            self.span_open = false;
            self.text(&format!(" [{alt}] "));
            self.italic -= 1;
            self.span_open = false;
        }
    }

    fn finish(mut self) -> RichDoc {
        while self.frames.len() > 1 {
            self.pop_frame();
        }
        self.flush();
        let mut blocks = Vec::new();
        for block in self
            .frames
            .pop()
            .map(|root| root.blocks)
            .unwrap_or_default()
        {
            chunk(block, &mut blocks);
        }
        RichDoc {
            blocks,
            remote_images: self.remote_images,
            truncated: self.truncated,
        }
    }
}

/// Splits a block of more than [`CHUNK_BYTES`] of text into consecutive blocks of the same
/// kind: a long quote into quotes (nested ones too), a long list into lists that go on
/// numbering. It reads the same, and the view can skip each part while it is off screen.
fn chunk(block: Block, out: &mut Vec<Block>) {
    if block.text_len() <= CHUNK_BYTES {
        out.push(block);
        return;
    }
    match block {
        Block::Quote(children) => {
            let mut pieces = Vec::new();
            for child in children {
                chunk(child, &mut pieces);
            }
            let mut group = Vec::new();
            let mut size = 0;
            for piece in pieces {
                let len = piece.text_len();
                if !group.is_empty() && size + len > CHUNK_BYTES {
                    out.push(Block::Quote(std::mem::take(&mut group)));
                    size = 0;
                }
                size += len;
                group.push(piece);
            }
            if !group.is_empty() {
                out.push(Block::Quote(group));
            }
        }
        Block::List {
            ordered,
            start,
            items,
        } => {
            let mut group = Vec::new();
            let (mut size, mut group_start, mut number) = (0, start, start);
            for item in items {
                let len: usize = item.iter().map(Block::text_len).sum();
                if !group.is_empty() && size + len > CHUNK_BYTES {
                    out.push(Block::List {
                        ordered,
                        start: group_start,
                        items: std::mem::take(&mut group),
                    });
                    size = 0;
                    group_start = number;
                }
                size += len;
                group.push(item);
                number = number.saturating_add(1);
            }
            if !group.is_empty() {
                out.push(Block::List {
                    ordered,
                    start: group_start,
                    items: group,
                });
            }
        }
        other => out.push(other),
    }
}

/// Elements that end the paragraph before and after them.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "dl",
    "dt",
    "dd",
    "address",
    "article",
    "aside",
    "center",
    "details",
    "fieldset",
    "figure",
    "figcaption",
    "footer",
    "form",
    "header",
    "main",
    "nav",
    "section",
    "summary",
    "caption",
    "tbody",
    "thead",
    "tfoot",
];

/// A data table rather than a layout: some row has two cells or more, there are not too
/// many cells, and every cell holds only text.
fn simple_table(rows: &[Vec<Vec<Block>>]) -> bool {
    let cells: usize = rows.iter().map(Vec::len).sum();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    columns >= 2
        && cells <= MAX_TABLE_CELLS
        && rows
            .iter()
            .flatten()
            .flatten()
            .all(|block| matches!(block, Block::Paragraph(_) | Block::Heading { .. }))
}

/// A simple table's cells as runs of text (paragraphs on their own lines, headings bold).
fn table_cells(rows: Vec<Vec<Vec<Block>>>) -> Vec<Vec<Vec<Span>>> {
    rows.into_iter()
        .filter(|row| !row.is_empty())
        .map(|row| {
            row.into_iter()
                .map(|cell| {
                    let mut spans: Vec<Span> = Vec::new();
                    for block in cell {
                        let (bold, mut more) = match block {
                            Block::Heading { spans, .. } => (true, spans),
                            Block::Paragraph(spans) => (false, spans),
                            _ => continue,
                        };
                        if let Some(last) = spans.last_mut() {
                            last.text.push('\n');
                        }
                        for span in &mut more {
                            span.style.bold |= bold;
                        }
                        spans.extend(more);
                    }
                    spans
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> RichDoc {
        from_html(text, &mut |_| None)
    }

    fn span(text: &str) -> Span {
        Span {
            text: text.into(),
            style: Style::default(),
            link: None,
        }
    }

    fn styled(text: &str, bold: bool, italic: bool, monospace: bool) -> Span {
        Span {
            text: text.into(),
            style: Style {
                bold,
                italic,
                monospace,
                ..Style::default()
            },
            link: None,
        }
    }

    fn link(text: &str, target: &str) -> Span {
        Span {
            link: Some(target.into()),
            ..span(text)
        }
    }

    fn para(spans: &[Span]) -> Block {
        Block::Paragraph(spans.to_vec())
    }

    #[test]
    fn paragraphs_headings_and_inline_styles() {
        let doc = html(
            "<html><head><title>T</title><style>p{color:red}</style></head><body>\
             <h2>News &amp; views</h2><p>Plain <b>bold <i>both</i></b> <em>it</em> \
             <code>x = 1</code></p><p>second</p><script>alert(1)</script></body></html>",
        );
        assert_eq!(
            doc.blocks,
            vec![
                Block::Heading {
                    level: 2,
                    spans: vec![span("News & views")]
                },
                para(&[
                    span("Plain "),
                    styled("bold ", true, false, false),
                    styled("both ", true, true, false),
                    styled("it ", false, true, false),
                    styled("x = 1", false, false, true),
                ]),
                para(&[span("second")]),
            ]
        );
        assert_eq!(doc.remote_images, 0);
    }

    #[test]
    fn links_keep_their_target_and_unsafe_ones_are_plain_text() {
        let doc = html(
            "<p>See <a href=\"https://example.org/a?b=1&amp;c=2\">the site</a>, \
             <a href='mailto:x@example.org'>mail</a>, <a href=\"javascript:alert(1)\">no</a> \
             <a href=\"file:///etc/passwd\">nor</a>.</p>",
        );
        assert_eq!(
            doc.blocks,
            vec![para(&[
                span("See "),
                link("the site", "https://example.org/a?b=1&c=2"),
                span(", "),
                link("mail", "mailto:x@example.org"),
                span(", no nor."),
            ])]
        );
    }

    #[test]
    fn underline_strikethrough_and_enriched_names() {
        let doc =
            html("<u>under</u><del>gone</del><bold>b</bold><italic>i</italic><fixed>f</fixed>");
        let Block::Paragraph(spans) = &doc.blocks[0] else {
            panic!("{doc:?}");
        };
        let styles: Vec<(&str, Style)> = spans.iter().map(|s| (s.text.as_str(), s.style)).collect();
        let style = |f: fn(&mut Style)| {
            let mut style = Style::default();
            f(&mut style);
            style
        };
        assert_eq!(
            styles,
            [
                ("under", style(|s| s.underline = true)),
                ("gone", style(|s| s.strikethrough = true)),
                ("b", style(|s| s.bold = true)),
                ("i", style(|s| s.italic = true)),
                ("f", style(|s| s.monospace = true)),
            ]
        );
    }

    #[test]
    fn hidden_preheaders_are_not_shown() {
        let doc = html(
            "<div style=\"display: none; max-height:0\">Preheader <div>nested</div> text\
             &zwnj;&nbsp;</div><p>Visible</p><span hidden>also hidden</span>\
             <img style=\"display:none\" src=\"http://t.example/p.gif\"><p>end</p>",
        );
        assert_eq!(doc.plain_text(), "Visible\nend\n");
        assert_eq!(
            doc.remote_images, 1,
            "a hidden tracking pixel is still counted"
        );
    }

    #[test]
    fn spaces_stay_outside_links() {
        let doc = html("<p>Read <a href=\"https://x.example/\">the guide</a> or <b>not</b></p>");
        assert_eq!(
            doc.blocks,
            vec![para(&[
                span("Read "),
                link("the guide", "https://x.example/"),
                span(" or "),
                styled("not", true, false, false),
            ])]
        );
    }

    #[test]
    fn entities_and_white_space() {
        let doc = html("<p>  caf&eacute;&nbsp;&#8364;5\n\t&lt;tag&gt; &bogus; a&#x26;b  </p>");
        assert_eq!(doc.plain_text(), "café €5 <tag> &bogus; a&b\n");
        let doc = html("<pre>  indented\n    more &amp; <b>bold</b></pre>");
        assert_eq!(
            doc.blocks,
            vec![para(&[
                styled("  indented\n    more & ", false, false, true),
                styled("bold", true, false, true),
            ])]
        );
        assert_eq!(html("a<br>b<br><br><br><br>c").plain_text(), "a\nb\n\nc\n");
    }

    #[test]
    fn lists_nest_and_number() {
        let doc = html(
            "<ol start=\"3\"><li>three<li>four<ul><li>sub one</li><li>sub two</ul></li>\
             <li>five</ol>",
        );
        let sub = Block::List {
            ordered: false,
            start: 1,
            items: vec![
                vec![para(&[span("sub one")])],
                vec![para(&[span("sub two")])],
            ],
        };
        assert_eq!(
            doc.blocks,
            vec![Block::List {
                ordered: true,
                start: 3,
                items: vec![
                    vec![para(&[span("three")])],
                    vec![para(&[span("four")]), sub],
                    vec![para(&[span("five")])],
                ],
            }]
        );
        // An item without a list gets one.
        assert!(matches!(html("<li>alone").blocks[..], [Block::List { .. }]));
    }

    #[test]
    fn block_quotes_nest() {
        let doc = html(
            "<p>reply</p><blockquote>outer<blockquote>inner</blockquote>outer again\
             </blockquote>after",
        );
        assert_eq!(
            doc.blocks,
            vec![
                para(&[span("reply")]),
                Block::Quote(vec![
                    para(&[span("outer")]),
                    Block::Quote(vec![para(&[span("inner")])]),
                    para(&[span("outer again")]),
                ]),
                para(&[span("after")]),
            ]
        );
    }

    #[test]
    fn data_tables_stay_tables_and_layout_tables_are_flattened() {
        let doc = html("<table><tr><th>Item</th><td>Price</td></tr><tr><td>Tea<td>3 €</table><hr>");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Table(vec![
                    vec![
                        vec![styled("Item", true, false, false)],
                        vec![span("Price")]
                    ],
                    vec![vec![span("Tea")], vec![span("3 €")]],
                ]),
                Block::Rule,
            ]
        );
        // One column, or a table in a table: a layout; its text flows as paragraphs.
        let layout = html(
            "<table><tr><td><table><tr><td>a</td><td>b</td></tr></table></td>\
             <td><p>c</p><ul><li>d</ul></td></tr></table>",
        );
        assert!(
            !layout
                .blocks
                .iter()
                .any(|b| matches!(b, Block::Table(rows) if rows.len() > 1)),
            "{layout:?}"
        );
        assert!(layout.plain_text().contains("c\nd\n"), "{layout:?}");
        assert_eq!(
            html("<table><tr><td>x</td></tr></table>").blocks,
            vec![para(&[span("x")])]
        );
    }

    #[test]
    fn cid_images_resolve_and_remote_ones_are_only_counted() {
        let pixels = Arc::new(Pixels {
            width: 1,
            height: 1,
            rgba: vec![255, 0, 0, 255],
        });
        let mut asked = Vec::new();
        let doc = from_html(
            "<body background=\"http://t.example/bg.png\"><p>Logo:</p>\
             <img src=\"cid:logo%40example.org\" alt=\"Our logo\">\
             <img src=\"CID:missing@x\" alt=\"gone\">\
             <img src=\"https://tracker.example/p.gif\" width=1>\
             <img src=\"//cdn.example/banner.png\" alt=\"Banner\">\
             <img src=\"data:image/png;base64,AAAA\"></body>",
            &mut |cid: &str| {
                asked.push(cid.to_owned());
                (cid == "logo@example.org").then(|| Arc::clone(&pixels))
            },
        );
        assert_eq!(asked, ["logo@example.org", "missing@x"]);
        assert_eq!(doc.remote_images, 3, "two images and a background");
        assert_eq!(doc.blocks[0], para(&[span("Logo:")]));
        assert_eq!(
            doc.blocks[1],
            Block::Image(Image {
                alt: "Our logo".into(),
                pixels
            })
        );
        assert_eq!(doc.plain_text().lines().nth(2), Some("[gone] [Banner]"));
    }

    #[test]
    fn data_images_are_decoded_and_pictures_are_capped() {
        use base64::Engine as _;
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 255]))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let encoded = base64::engine::general_purpose::STANDARD.encode(&png);
        let doc = html(&format!(
            "<img src=\"data:image/png;base64,{encoded}\" alt=inline>\
             <img src=\"data:text/plain,hello\" alt=text>"
        ));
        assert!(
            matches!(&doc.blocks[0], Block::Image(i) if i.pixels.width == 4 && i.alt == "inline")
        );
        assert_eq!(doc.remote_images, 0);
        assert_eq!(doc.plain_text().lines().nth(1), Some("[text]"));
        // Many distinct pictures: the first MAX_IMAGES are shown, the rest by their text.
        let many =
            format!("<img src=\"data:image/png;base64,{encoded}\" alt=x>").repeat(MAX_IMAGES + 5);
        let doc = html(&many);
        let shown = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Image(_)))
            .count();
        assert_eq!(shown, MAX_IMAGES);
        // One picture shown many times counts once.
        let pixels = Arc::new(decode_image(&png).expect("png"));
        let doc = from_html(&"<img src=cid:a>".repeat(MAX_IMAGES * 2), &mut |_| {
            Some(Arc::clone(&pixels))
        });
        assert_eq!(doc.blocks.len(), MAX_IMAGES * 2);
    }

    #[test]
    fn plain_text_finds_links() {
        let text = "See https://example.org/a_(b) or (www.example.com/x), mail \
                    mailto:me@example.org. Nothttp://x nor https:// alone; ftp://no.";
        let found: Vec<String> = find_links(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            found,
            [
                "https://example.org/a_(b)",
                "http://www.example.com/x",
                "mailto:me@example.org"
            ]
        );
        let doc = from_plain("Go to https://example.org/path.\n", false, false);
        assert_eq!(
            doc.blocks,
            vec![para(&[
                span("Go to "),
                link("https://example.org/path", "https://example.org/path"),
                span("."),
            ])]
        );
        assert!(find_links("ünïcödé https://é.example/ü ok")[0].1 == "https://é.example/ü");
    }

    #[test]
    fn plain_text_keeps_lines_and_splits_paragraphs() {
        let doc = from_plain(
            "Hello,\r\nsecond line\r\n\r\n\r\nNew  paragraph\r\n",
            false,
            false,
        );
        assert_eq!(
            doc.blocks,
            vec![
                para(&[span("Hello,\nsecond line")]),
                para(&[span("New  paragraph")]),
            ]
        );
    }

    #[test]
    fn plain_quotes_nest() {
        let doc = from_plain(
            "Yes.\n> You asked\n> > first\n>> still first\n> back\nme\n",
            false,
            false,
        );
        assert_eq!(
            doc.blocks,
            vec![
                para(&[span("Yes.")]),
                Block::Quote(vec![
                    para(&[span("You asked")]),
                    Block::Quote(vec![para(&[span("first\nstill first")])]),
                    para(&[span("back")]),
                ]),
                para(&[span("me")]),
            ]
        );
    }

    #[test]
    fn format_flowed_joins_soft_lines() {
        // RFC 3676: trailing space = soft break; a leading space is stuffing; "-- " is hard.
        let text = "This is a long \r\nparagraph that \r\nflows.\r\n From stuffed\r\n\
                    >quoted soft \r\n>continues\r\n-- \r\nsig\r\n";
        let doc = from_plain(text, true, false);
        assert_eq!(
            doc.plain_text(),
            "This is a long paragraph that flows.\nFrom stuffed\nquoted soft continues\n-- \nsig\n"
        );
        assert!(matches!(&doc.blocks[1], Block::Quote(inner) if inner.len() == 1));
        // DelSp=yes: the space before the break is not text (for languages without spaces).
        let doc = from_plain("日本語の \r\n文章です。\r\nnext\r\n", true, true);
        assert_eq!(doc.plain_text(), "日本語の文章です。\nnext\n");
        let doc = from_plain("word \r\nword\r\n", true, false);
        assert_eq!(doc.plain_text(), "word word\n");
        // Without format=flowed the same lines stay lines.
        let doc = from_plain("This is a long \r\nparagraph\r\n", false, false);
        assert_eq!(doc.plain_text(), "This is a long \nparagraph\n");
    }

    #[test]
    fn deep_nesting_is_flattened_not_recursed() {
        let depth = 100_000;
        let doc = html(&format!(
            "{}deep{}",
            "<blockquote><ul><li>".repeat(depth),
            "</li></ul></blockquote>".repeat(depth)
        ));
        fn depth_of(blocks: &[Block]) -> usize {
            blocks
                .iter()
                .map(|b| match b {
                    Block::Quote(inner) => 1 + depth_of(inner),
                    Block::List { items, .. } => {
                        1 + items.iter().map(|i| depth_of(i)).max().unwrap_or(0)
                    }
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(
            depth_of(&doc.blocks) <= MAX_DEPTH,
            "{}",
            depth_of(&doc.blocks)
        );
        assert_eq!(doc.plain_text(), "deep\n");
        let quoted = from_plain(&format!("{}deep\n", ">".repeat(depth)), false, false);
        assert!(depth_of(&quoted.blocks) <= MAX_DEPTH);
    }

    #[test]
    fn long_quotes_and_lists_are_split_into_consecutive_ones() {
        let quoted: String = (0..2000)
            .map(|n| format!("> > line {n} of the quote\n> >\n"))
            .collect();
        let doc = from_plain(&quoted, false, false);
        assert!(doc.blocks.len() > 4, "{} blocks", doc.blocks.len());
        assert!(
            doc.blocks.iter().all(
                |b| matches!(b, Block::Quote(inner) if matches!(inner[..], [Block::Quote(_)]))
            )
        );
        assert!(doc.blocks.iter().all(|b| b.text_len() <= CHUNK_BYTES));
        let text = doc.plain_text();
        assert!(text.starts_with("line 0 of the quote\nline 1 of the quote\n"));
        assert!(text.ends_with("line 1998 of the quote\nline 1999 of the quote\n"));
        let items: String = (0..3000).map(|n| format!("<li>item number {n}")).collect();
        let doc = html(&format!("<ol start=5>{items}</ol>"));
        assert!(doc.blocks.len() > 4);
        let mut expected_start = 5;
        for block in &doc.blocks {
            let Block::List { start, items, .. } = block else {
                panic!("{block:?}");
            };
            assert_eq!(*start, expected_start, "numbering goes on");
            expected_start += items.len() as u64;
        }
        assert_eq!(expected_start, 3005);
    }

    #[test]
    fn long_text_is_split_and_capped() {
        let doc = html(&format!("<p>{}</p>", "word ".repeat(200_000)));
        assert!(doc.blocks.len() > 100);
        assert!(
            doc.blocks
                .iter()
                .all(|b| b.text_len() < PARAGRAPH_SPLIT_BYTES + 64)
        );
        let huge = from_plain(&"line of text\n".repeat(800_000), false, false);
        assert!(huge.truncated);
        let kept: usize = huge.blocks.iter().map(Block::text_len).sum();
        assert!(kept <= MAX_TEXT_BYTES);
    }

    #[test]
    fn pathological_inputs_finish_fast() {
        let started = std::time::Instant::now();
        let _ = from_plain(&format!("http://x{}", ")".repeat(1 << 20)), false, false);
        let _ = from_plain(&"www.".repeat(1 << 18), false, false);
        let _ = from_plain(&"> ".repeat(1 << 19), true, false);
        let _ = from_plain(&"soft \n".repeat(1 << 17), true, true);
        let _ = html(&"<td>".repeat(1 << 18));
        let _ = html(&"<li>".repeat(1 << 18));
        let _ = html(&"<b>".repeat(1 << 18));
        let _ = html(&"<table><tr><td>x".repeat(1 << 16));
        let _ = html(&"<img src=cid:a alt=b>".repeat(1 << 15));
        let elapsed = started.elapsed();
        assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
    }

    #[test]
    fn broken_markup_never_panics() {
        for input in [
            "<",
            "<a href",
            "<a href=\"",
            "</li></ul></table></td>",
            "<td>x<tr>y",
            "<img src=cid:",
            "<img src='cid:%'>",
            "<img src=\"cid:%e9%\">",
            "é<a href=é>é</a>",
            "<h9>x</h9>",
            "<ol start=99999999999999999999999><li>x",
            "<pre>\n\n",
            "<table><li>x</table>",
            "<a =\"x\" é>y",
            "<b></b></b></b>x",
        ] {
            let _ = html(input);
        }
        for input in [">", "> ", ">>>", " \r\n \r\n", "www.", "http://", "-- "] {
            let _ = from_plain(input, true, true);
            let _ = from_plain(input, false, false);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_markup_or_text_gives_a_document(
            text in "(<(/?)(p|b|i|a href=\"http://x\"|a|li|ul|ol start=2|table|tr|td|th|blockquote|pre|img src=cid:x|img src=http://x|h1|br|hr)>|[a-z &;#<>\n]{0,6}|é|\\u{200b}){0,80}"
        ) {
            let doc = html(&text);
            proptest::prop_assert!(doc.blocks.iter().map(Block::text_len).sum::<usize>() <= text.len() * 4 + 64);
            let _ = from_plain(&text, true, true);
            let _ = from_plain(&text, false, false);
        }
    }

    #[test]
    fn decodes_small_png_and_refuses_other_bytes() {
        let mut png = Vec::new();
        let image = image::RgbaImage::from_pixel(3, 2, image::Rgba([10, 20, 30, 255]));
        image
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let pixels = decode_image(&png).expect("decoded");
        assert_eq!((pixels.width, pixels.height), (3, 2));
        assert_eq!(&pixels.rgba[..4], &[10, 20, 30, 255]);
        assert!(decode_image(b"not an image").is_none());
        assert!(decode_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>").is_none());
    }
}
