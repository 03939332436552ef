//! Lays a message out on A4 pages: the header block, the body's blocks (paragraphs,
//! headings, lists, quotes, tables, rules, images) wrapped to the page width, the list of
//! attachments, and a footer with the page number on every page.
//!
//! Positions are in PDF points (1/72 inch) measured from the page's top left; [`super::pdf`]
//! turns them the PDF's way up. Nothing here fails: text no face can draw is printed as
//! "?" and counted in [`Document::missing`].

use std::collections::BTreeMap;
use std::sync::Arc;

use super::fonts::{FaceId, Faces};
use crate::mail::rich::{Block, Pixels, Span, Style};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
/// Margins: 2 cm at the sides and top, more at the foot for the page number.
const MARGIN: f32 = 56.7;
const BOTTOM: f32 = PAGE_HEIGHT - 68.0;
/// The body's text size and line height factor.
const BODY_SIZE: f32 = 10.5;
const LEADING: f32 = 1.38;
/// How far each list level and quote level is indented.
const LIST_INDENT: f32 = 18.0;
const QUOTE_INDENT: f32 = 14.0;
/// The most a nested list or quote is indented.
const MAX_INDENT: f32 = 160.0;

/// What a run of text looks like on paper.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    /// Points.
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub mono: bool,
    pub underline: bool,
    pub strike: bool,
    /// 0 black to 1 white.
    pub gray: f32,
    /// A link's text (drawn in blue).
    pub link: bool,
}

impl Look {
    fn body() -> Self {
        Self {
            size: BODY_SIZE,
            bold: false,
            italic: false,
            mono: false,
            underline: false,
            strike: false,
            gray: 0.0,
            link: false,
        }
    }

    fn styled(self, style: Style) -> Self {
        Self {
            bold: self.bold || style.bold,
            italic: self.italic || style.italic,
            mono: self.mono || style.monospace,
            underline: self.underline || style.underline,
            strike: self.strike || style.strikethrough,
            ..self
        }
    }
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Glyphs of one face, set from `x` on the baseline `y`.
    Glyphs {
        x: f32,
        y: f32,
        look: Look,
        face: FaceId,
        glyphs: Vec<u16>,
    },
    /// A straight line.
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        gray: f32,
    },
    /// An image of the message, `images[index]`, in this box (top left, width, height).
    Image {
        index: usize,
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
    /// A clickable link over this box (top left, width, height).
    Link {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        uri: String,
    },
}

/// A page: what is drawn on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// The laid-out message.
#[derive(Debug, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    /// The images the pages refer to.
    pub images: Vec<Arc<Pixels>>,
    /// Every glyph used, per face: its character (for copying text out of the PDF) and its
    /// advance at size 1.
    pub used: BTreeMap<FaceId, BTreeMap<u16, (char, f32)>>,
    /// How many characters no face could draw.
    pub missing: usize,
}

/// What the header block shows: label and value, in order; empty values are left out.
pub struct Header<'a> {
    pub subject: &'a str,
    pub fields: Vec<(String, String)>,
}

/// A piece of a line: text in one look, perhaps a link, and its width.
#[derive(Debug, Clone)]
struct Frag {
    text: String,
    look: Look,
    link: Option<String>,
    width: f32,
}

/// The flow: pages so far and where the next line goes.
struct Flow<'f> {
    faces: &'f Faces,
    doc: Document,
    /// The top of the next line, from the page's top.
    y: f32,
    /// Quote bars to draw beside each line: their x positions.
    bars: Vec<f32>,
    /// A list marker to set before the next line: text and its right edge.
    marker: Option<(String, f32, Look)>,
}

/// Lays out a message: `header`, the body's `blocks`, the `attachments` (name and size
/// text), and the footer (`page(n, of)` gives its text).
pub fn lay_out(
    faces: &Faces,
    header: &Header<'_>,
    blocks: &[Block],
    attachments: &[(String, String)],
    attachments_title: &str,
    page: &dyn Fn(usize, usize) -> String,
) -> Document {
    let mut flow = Flow {
        faces,
        doc: Document::default(),
        y: MARGIN,
        bars: Vec::new(),
        marker: None,
    };
    flow.doc.pages.push(Page::default());
    flow.header(header);
    for block in blocks {
        flow.block(block, 0.0, Look::body());
    }
    if !attachments.is_empty() {
        flow.gap(BODY_SIZE);
        flow.rule(0.5, 0.6);
        flow.gap(BODY_SIZE * 0.4);
        let title = Look {
            bold: true,
            ..Look::body()
        };
        flow.paragraph(&[plain(attachments_title)], 0.0, title);
        for (name, size) in attachments {
            let spans = [plain(&format!("{name}  ")), plain(size)];
            let mut line = flow.wrap(&spans[..1], Look::body(), f32::MAX);
            let size_look = Look {
                gray: 0.4,
                ..Look::body()
            };
            line.extend(flow.wrap(&spans[1..], size_look, f32::MAX));
            let frags: Vec<Frag> = line.into_iter().flatten().collect();
            flow.paragraph_frags(frags, 0.0, Look::body());
        }
    }
    flow.footer(header.subject, page);
    flow.doc
}

fn plain(text: &str) -> Span {
    Span {
        text: text.to_owned(),
        style: Style::default(),
        link: None,
    }
}

impl Flow<'_> {
    fn left(&self, indent: f32) -> f32 {
        MARGIN + indent
    }

    fn width(&self, indent: f32) -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN - indent
    }

    fn page(&mut self) -> &mut Page {
        self.doc.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        self.doc.pages.push(Page::default());
        self.y = MARGIN;
    }

    /// Room for `height` more on this page, or a new page.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > MARGIN {
            self.new_page();
        }
    }

    fn gap(&mut self, height: f32) {
        // A gap at the top of a page is dropped.
        if self.y > MARGIN {
            self.y += height;
        }
    }

    fn rule(&mut self, width: f32, gray: f32) {
        self.room(width + 2.0);
        let y = self.y;
        self.page().items.push(Item::Line {
            from: (MARGIN, y),
            to: (PAGE_WIDTH - MARGIN, y),
            width,
            gray,
        });
        self.y += width;
    }

    fn header(&mut self, header: &Header<'_>) {
        let subject = Look {
            size: 15.0,
            bold: true,
            ..Look::body()
        };
        self.paragraph(&[plain(header.subject)], 0.0, subject);
        self.gap(4.0);
        let label = Look {
            size: 9.5,
            bold: true,
            gray: 0.35,
            ..Look::body()
        };
        let value = Look {
            size: 9.5,
            ..Look::body()
        };
        let column = header
            .fields
            .iter()
            .map(|(l, _)| self.measure(l, label))
            .fold(0.0, f32::max)
            + 10.0;
        for (name, text) in header.fields.iter().filter(|(_, v)| !v.trim().is_empty()) {
            let mut lines = self.wrap(&[plain(text)], value, self.width(column));
            let width = self.measure(name, label);
            let first = lines.first_mut();
            let mut label_frag = vec![(
                MARGIN,
                Frag {
                    text: name.clone(),
                    look: label,
                    link: None,
                    width,
                },
            )];
            if let Some(first) = first {
                let mut x = MARGIN + column;
                for frag in first.drain(..) {
                    let w = frag.width;
                    label_frag.push((x, frag));
                    x += w;
                }
            }
            self.emit(label_frag, value.size);
            for line in lines.into_iter().skip(1) {
                self.emit_from(line, MARGIN + column, value.size);
            }
        }
        self.gap(6.0);
        self.rule(0.75, 0.5);
        self.gap(BODY_SIZE);
    }

    fn block(&mut self, block: &Block, indent: f32, look: Look) {
        match block {
            Block::Paragraph(spans) => {
                self.paragraph(spans, indent, look);
                self.gap(look.size * 0.5);
            }
            Block::Heading { level, spans } => {
                let size = match level {
                    1 => 17.0,
                    2 => 15.0,
                    3 => 13.0,
                    4 => 12.0,
                    _ => 11.0,
                };
                self.gap(size * 0.4);
                let heading = Look {
                    size,
                    bold: true,
                    ..look
                };
                self.paragraph(spans, indent, heading);
                self.gap(size * 0.3);
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                for (n, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}.", start.saturating_add(n as u64))
                    } else {
                        "•".to_owned()
                    };
                    let inner = deeper(indent, LIST_INDENT);
                    let edge = self.left(inner) - 5.0;
                    self.marker = Some((marker, edge, look));
                    for block in item {
                        self.block(block, inner, look);
                    }
                    self.marker = None;
                }
            }
            Block::Quote(blocks) => {
                self.bars.push(self.left(indent) + 3.0);
                let quoted = Look { gray: 0.3, ..look };
                let inner = deeper(indent, QUOTE_INDENT);
                for block in blocks {
                    self.block(block, inner, quoted);
                }
                self.bars.pop();
            }
            Block::Table(rows) => self.table(rows, indent, look),
            Block::Rule => {
                self.gap(look.size * 0.4);
                self.rule(0.5, 0.6);
                self.gap(look.size * 0.6);
            }
            Block::Image(image) => self.image(&image.pixels, indent),
        }
    }

    fn table(&mut self, rows: &[Vec<Vec<Span>>], indent: f32, look: Look) {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let gutter = 8.0;
        let column = (self.width(indent) - gutter * (columns - 1) as f32) / columns as f32;
        for row in rows {
            let cells: Vec<Vec<Vec<Frag>>> = row
                .iter()
                .map(|cell| self.wrap(cell, look, column))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(0);
            for i in 0..height {
                let mut placed = Vec::new();
                for (c, lines) in cells.iter().enumerate() {
                    let mut x = self.left(indent) + c as f32 * (column + gutter);
                    for frag in lines.get(i).cloned().unwrap_or_default() {
                        let w = frag.width;
                        placed.push((x, frag));
                        x += w;
                    }
                }
                self.emit(placed, look.size);
            }
            self.gap(look.size * 0.3);
        }
        self.gap(look.size * 0.4);
    }

    fn image(&mut self, pixels: &Arc<Pixels>, indent: f32) {
        // At 96 pixels to the inch, scaled down to the column and to most of a page.
        let mut width = pixels.width as f32 * 0.75;
        let mut height = pixels.height as f32 * 0.75;
        let most = (BOTTOM - MARGIN) * 0.9;
        let scale = (self.width(indent) / width).min(most / height).min(1.0);
        width *= scale;
        height *= scale;
        if width < 0.5 || height < 0.5 {
            return;
        }
        self.room(height);
        let index = self.doc.images.len();
        self.doc.images.push(Arc::clone(pixels));
        let (x, y) = (self.left(indent), self.y);
        self.page().items.push(Item::Image {
            index,
            x,
            y,
            width,
            height,
        });
        self.y += height;
        self.gap(BODY_SIZE * 0.5);
    }

    fn paragraph(&mut self, spans: &[Span], indent: f32, look: Look) {
        let lines = self.wrap(spans, look, self.width(indent));
        let left = self.left(indent);
        if lines.is_empty() {
            // An empty paragraph still takes a line, as in the window.
            self.emit(Vec::new(), look.size);
        }
        for line in lines {
            self.emit_from(line, left, look.size);
        }
    }

    fn paragraph_frags(&mut self, frags: Vec<Frag>, indent: f32, look: Look) {
        let left = self.left(indent);
        self.emit_from(frags, left, look.size);
    }

    fn emit_from(&mut self, line: Vec<Frag>, left: f32, size: f32) {
        let mut x = left;
        let mut placed = Vec::with_capacity(line.len());
        for frag in line {
            let w = frag.width;
            placed.push((x, frag));
            x += w;
        }
        self.emit(placed, size);
    }

    /// Sets one line of fragments at their x positions, with the quote bars and any
    /// pending list marker.
    fn emit(&mut self, placed: Vec<(f32, Frag)>, size: f32) {
        let size = placed.iter().map(|(_, f)| f.look.size).fold(size, f32::max);
        let height = size * LEADING;
        self.room(height);
        let top = self.y;
        let baseline = top + size * 0.95;
        for x in self.bars.clone() {
            self.page().items.push(Item::Line {
                from: (x, top),
                to: (x, top + height),
                width: 1.5,
                gray: 0.7,
            });
        }
        if let Some((marker, edge, look)) = self.marker.take() {
            let width = self.measure(&marker, look);
            self.set(edge - width, baseline, &marker, look);
        }
        for (x, frag) in placed {
            let text = frag.text.trim_end_matches(' ');
            if text.is_empty() {
                continue;
            }
            let look = Look {
                link: frag.link.is_some(),
                ..frag.look
            };
            let width = self.set(x, baseline, text, look);
            let line_at = |y: f32| Item::Line {
                from: (x, y),
                to: (x + width, y),
                width: look.size * 0.06,
                gray: look.gray,
            };
            let mut decorations = Vec::new();
            if look.underline {
                decorations.push(line_at(baseline + look.size * 0.12));
            }
            if look.strike {
                decorations.push(line_at(baseline - look.size * 0.3));
            }
            if let Some(uri) = frag.link {
                decorations.push(Item::Link {
                    x,
                    y: top,
                    width,
                    height,
                    uri,
                });
            }
            self.page().items.extend(decorations);
        }
        self.y += height;
    }

    /// Sets `text` from `x` on `baseline` on this page; returns its width.
    fn set(&mut self, x: f32, baseline: f32, text: &str, look: Look) -> f32 {
        let (items, width) = self.glyphs(x, baseline, text, look);
        self.page().items.extend(items);
        width
    }

    /// The runs (one per face) that set `text` from `x` on `baseline`, and its width.
    fn glyphs(&mut self, x: f32, baseline: f32, text: &str, look: Look) -> (Vec<Item>, f32) {
        let preferred = if look.mono {
            FaceId::Mono
        } else {
            FaceId::Text
        };
        let mut pen = x;
        let mut run: Option<(FaceId, f32, Vec<u16>)> = None;
        let mut items = Vec::new();
        for ch in text.chars().filter(|c| !c.is_control()) {
            let (ch, placed) = match self.faces.place(ch, preferred) {
                Some(p) => (ch, p),
                None => {
                    self.doc.missing += 1;
                    match self.faces.place('?', preferred) {
                        Some(p) => ('?', p),
                        None => continue,
                    }
                }
            };
            self.doc
                .used
                .entry(placed.face)
                .or_default()
                .entry(placed.glyph)
                .or_insert((ch, placed.advance));
            match &mut run {
                Some((face, _, glyphs)) if *face == placed.face => glyphs.push(placed.glyph),
                _ => {
                    if let Some((face, start, glyphs)) = run.take() {
                        items.push(Item::Glyphs {
                            x: start,
                            y: baseline,
                            look,
                            face,
                            glyphs,
                        });
                    }
                    run = Some((placed.face, pen, vec![placed.glyph]));
                }
            }
            pen += placed.advance * look.size;
        }
        if let Some((face, start, glyphs)) = run {
            items.push(Item::Glyphs {
                x: start,
                y: baseline,
                look,
                face,
                glyphs,
            });
        }
        (items, pen - x)
    }

    fn measure(&self, text: &str, look: Look) -> f32 {
        let preferred = if look.mono {
            FaceId::Mono
        } else {
            FaceId::Text
        };
        text.chars()
            .filter(|c| !c.is_control())
            .map(|ch| {
                self.faces
                    .place(ch, preferred)
                    .or_else(|| self.faces.place('?', preferred))
                    .map_or(0.0, |p| p.advance * look.size)
            })
            .sum()
    }

    /// Breaks spans into lines no wider than `width`: at spaces, at the text's own line
    /// breaks, and inside a word only when the word alone is wider than the line.
    fn wrap(&self, spans: &[Span], base: Look, width: f32) -> Vec<Vec<Frag>> {
        let mut lines: Vec<Vec<Frag>> = Vec::new();
        let mut line: Vec<Frag> = Vec::new();
        let mut used = 0.0;
        let mut any = false;
        for span in spans {
            let look = base.styled(span.style);
            let text = span.text.replace('\t', "    ");
            for (n, piece) in text.split('\n').enumerate() {
                if n > 0 {
                    lines.push(std::mem::take(&mut line));
                    used = 0.0;
                }
                any = true;
                for word in split_keeping_spaces(piece) {
                    let w = self.measure(word, look);
                    let ink = self.measure(word.trim_end_matches(' '), look);
                    if used + ink > width && used > 0.0 {
                        lines.push(std::mem::take(&mut line));
                        used = 0.0;
                        if word.trim().is_empty() {
                            continue;
                        }
                    }
                    if ink > width {
                        // A word wider than the line: broken where it must be.
                        let mut part = String::new();
                        let mut part_w = 0.0;
                        for ch in word.chars() {
                            let cw = self.measure(ch.encode_utf8(&mut [0; 4]), look);
                            if used + part_w + cw > width && !part.is_empty() {
                                line.push(frag(std::mem::take(&mut part), look, span, part_w));
                                lines.push(std::mem::take(&mut line));
                                used = 0.0;
                                part_w = 0.0;
                            }
                            part.push(ch);
                            part_w += cw;
                        }
                        used += part_w;
                        line.push(frag(part, look, span, part_w));
                        continue;
                    }
                    used += w;
                    line.push(frag(word.to_owned(), look, span, w));
                }
            }
        }
        if any && (!line.is_empty() || lines.is_empty()) {
            lines.push(line);
        }
        lines
    }

    fn footer(&mut self, subject: &str, page: &dyn Fn(usize, usize) -> String) {
        let count = self.doc.pages.len();
        let look = Look {
            size: 8.0,
            gray: 0.45,
            ..Look::body()
        };
        let baseline = PAGE_HEIGHT - 40.0;
        for n in 0..count {
            let text = page(n + 1, count);
            let width = self.measure(&text, look);
            let mut title: String = subject.chars().take(90).collect();
            while self.measure(&title, look) > self.width(0.0) - width - 24.0 && !title.is_empty() {
                title.pop();
            }
            let (number, _) = self.glyphs(PAGE_WIDTH - MARGIN - width, baseline, &text, look);
            let (title, _) = self.glyphs(MARGIN, baseline, &title, look);
            self.doc.pages[n]
                .items
                .extend(number.into_iter().chain(title));
        }
    }
}

/// The indent one level in: deeper levels stop moving right at [`MAX_INDENT`], so that
/// deeply nested quotes keep most of the line.
fn deeper(indent: f32, step: f32) -> f32 {
    if indent + step <= MAX_INDENT {
        indent + step
    } else {
        indent
    }
}

fn frag(text: String, look: Look, span: &Span, width: f32) -> Frag {
    Frag {
        text,
        look,
        link: span.link.clone(),
        width,
    }
}

/// Splits text into words, each with the spaces after it.
fn split_keeping_spaces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let word_end = rest.find(' ').unwrap_or(rest.len());
        let end = rest[word_end..]
            .find(|c| c != ' ')
            .map_or(rest.len(), |n| word_end + n);
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
