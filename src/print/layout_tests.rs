//! The layout's guarantees: inside the margins, over pages, every page numbered.

use super::*;

fn para(text: &str) -> Block {
    Block::Paragraph(vec![plain(text)])
}

fn laid(blocks: &[Block]) -> Document {
    let faces = Faces::bundled().expect("fonts");
    let header = Header {
        subject: "Subject",
        fields: vec![("From".into(), "a@example.org".into())],
    };
    lay_out(&faces, &header, blocks, &[], "Attachments", &|n, of| {
        format!("{n}/{of}")
    })
}

/// Every run of glyphs: page, x, baseline, width.
fn runs(doc: &Document) -> Vec<(usize, f32, f32, f32)> {
    let mut out = Vec::new();
    for (n, page) in doc.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Glyphs {
                x,
                y,
                look,
                face,
                glyphs,
            } = item
            {
                let width: f32 = glyphs.iter().map(|g| doc.used[face][g].1 * look.size).sum();
                out.push((n, *x, *y, width));
            }
        }
    }
    out
}

#[test]
fn lines_wrap_inside_the_margins_and_a_long_word_is_broken() {
    let text = format!("{} {}", "word ".repeat(200), "y".repeat(500));
    let doc = laid(&[para(&text)]);
    for (page, x, _, width) in runs(&doc) {
        assert!(x >= MARGIN - 0.01, "page {page}: starts at {x}");
        assert!(
            x + width <= PAGE_WIDTH - MARGIN + 0.01,
            "page {page}: ends at {}",
            x + width
        );
    }
    // Every letter of the text is set.
    let set: usize = doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .map(|i| match i {
            Item::Glyphs { glyphs, .. } => glyphs.len(),
            _ => 0,
        })
        .sum();
    let letters = text.chars().filter(|c| *c != ' ').count();
    assert!(set >= letters, "{set} glyphs for {letters} letters");
}

#[test]
fn text_runs_over_pages_between_the_margins_and_every_page_is_numbered() {
    let blocks: Vec<Block> = (0..400).map(|n| para(&format!("Paragraph {n}"))).collect();
    let doc = laid(&blocks);
    let pages = doc.pages.len();
    assert!(pages > 3, "{pages} pages");
    let footer = PAGE_HEIGHT - 40.0;
    for (page, _, y, _) in runs(&doc) {
        assert!(
            (MARGIN..=BOTTOM).contains(&y) || (y - footer).abs() < 0.01,
            "page {page}: a baseline at {y}"
        );
    }
    for n in 0..pages {
        let on_footer = runs(&doc)
            .into_iter()
            .filter(|(p, _, y, _)| *p == n && (y - footer).abs() < 0.01)
            .count();
        assert_eq!(on_footer, 2, "page {n}: its number and the subject");
    }
}

#[test]
fn a_character_no_font_has_is_counted_and_printed_as_a_question_mark() {
    let doc = laid(&[para("ok \u{10FFFD}\u{10FFFD}")]);
    assert_eq!(doc.missing, 2);
    let text = &doc.used[&FaceId::Text];
    assert!(text.values().any(|(c, _)| *c == '?'));
}

#[test]
fn quotes_get_a_bar_and_list_items_a_marker() {
    let doc = laid(&[
        Block::Quote(vec![para("quoted")]),
        Block::List {
            ordered: true,
            start: 7,
            items: vec![vec![para("seventh")], vec![para("eighth")]],
        },
    ]);
    let bars = doc.pages[0]
        .items
        .iter()
        .filter(|i| matches!(i, Item::Line { from, to, .. } if from.0 == to.0))
        .count();
    assert_eq!(bars, 1, "one quoted line, one bar beside it");
    let used: String = doc.used[&FaceId::Text].values().map(|(c, _)| *c).collect();
    for c in ['7', '8', '.'] {
        assert!(used.contains(c), "marker {c} set");
    }
}
