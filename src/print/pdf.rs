//! Writes a laid-out [`Document`] as a PDF 1.7 file: the faces embedded whole as CID fonts
//! (Identity-H, two bytes a glyph) with a ToUnicode map so that text can be searched and
//! copied out of the PDF, images as RGB with their alpha as a soft mask, links as URI
//! annotations, every stream deflated.

use std::io::Write as _;

use pdf_writer::types::{
    ActionType, AnnotationType, CidFontType, FontFlags, SystemInfo, TextRenderingMode,
};
use pdf_writer::{Content, Filter, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};

use super::fonts::{FaceId, Faces};
use super::layout::{Document, Item, PAGE_HEIGHT, PAGE_WIDTH};

const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// A face's file deflated, once per process (the faces are the same for every message).
fn deflated(id: FaceId, data: &'static [u8]) -> &'static [u8] {
    static DONE: [std::sync::OnceLock<Vec<u8>>; 3] = [
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
    ];
    DONE[id as usize].get_or_init(|| deflate(data))
}

fn font_name(id: FaceId) -> Vec<u8> {
    format!("F{}", id as usize).into_bytes()
}

/// The PDF of `doc`, titled `title`.
pub fn write(doc: &Document, faces: &Faces, title: &str) -> Vec<u8> {
    let mut next = 1;
    let mut alloc = || {
        let id = Ref::new(next);
        next += 1;
        id
    };
    let catalog = alloc();
    let tree = alloc();
    let info = alloc();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr("Poplar"));

    // Fonts: only the faces the pages use.
    let mut fonts = Vec::new();
    for (&face_id, glyphs) in &doc.used {
        let face = faces.face(face_id);
        let (font, cid, descriptor, file, cmap) = (alloc(), alloc(), alloc(), alloc(), alloc());
        let base = Name(face.name.as_bytes());
        pdf.type0_font(font)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let scale = 1000.0 / face.units_per_em;
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(IDENTITY)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let mut widths = cid_font.widths();
        for (&glyph, &(_, advance)) in glyphs {
            widths.consecutive(glyph, [advance * 1000.0]);
        }
        widths.finish();
        cid_font.finish();
        let flags = if face_id == FaceId::Mono {
            FontFlags::NON_SYMBOLIC | FontFlags::FIXED_PITCH
        } else {
            FontFlags::NON_SYMBOLIC
        };
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(flags)
            .bbox(Rect::new(
                -200.0,
                face.descent * scale,
                1200.0,
                face.ascent * scale,
            ))
            .italic_angle(0.0)
            .ascent(face.ascent * scale)
            .descent(face.descent * scale)
            .cap_height(face.ascent * scale * 0.9)
            .stem_v(80.0)
            .font_file2(file);
        pdf.stream(file, deflated(face_id, face.data))
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), face.data.len() as i32);
        let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Poplar-UCS"), IDENTITY);
        for (&glyph, &(ch, _)) in glyphs {
            unicode.pair(glyph, ch);
        }
        pdf.stream(cmap, unicode.finish().as_slice());
        fonts.push((face_id, font));
    }

    // Images: RGB samples and an alpha mask.
    let mut images = Vec::new();
    for pixels in &doc.images {
        let (image, mask) = (alloc(), alloc());
        let count = (pixels.width as usize) * (pixels.height as usize);
        let mut rgb = Vec::with_capacity(count * 3);
        let mut alpha = Vec::with_capacity(count);
        for px in pixels.rgba.chunks_exact(4).take(count) {
            rgb.extend_from_slice(&px[..3]);
            alpha.push(px[3]);
        }
        let (w, h) = (
            i32::try_from(pixels.width).unwrap_or(i32::MAX),
            i32::try_from(pixels.height).unwrap_or(i32::MAX),
        );
        let rgb = deflate(&rgb);
        let mut x = pdf.image_xobject(image, &rgb);
        x.filter(Filter::FlateDecode);
        x.width(w)
            .height(h)
            .color_space_name(Name(b"DeviceRGB"))
            .bits_per_component(8)
            .s_mask(mask);
        x.finish();
        let alpha = deflate(&alpha);
        let mut m = pdf.image_xobject(mask, &alpha);
        m.filter(Filter::FlateDecode);
        m.width(w)
            .height(h)
            .color_space_name(Name(b"DeviceGray"))
            .bits_per_component(8);
        m.finish();
        images.push(image);
    }

    let mut page_ids = Vec::new();
    for page in &doc.pages {
        let (page_id, content_id) = (alloc(), alloc());
        let mut content = Content::new();
        let mut links = Vec::new();
        for item in &page.items {
            draw(&mut content, item, &mut links);
        }
        let annotations: Vec<(Ref, Rect, String)> = links
            .into_iter()
            .map(|(rect, uri)| (alloc(), rect, uri))
            .collect();
        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(content_id);
        if !annotations.is_empty() {
            p.annotations(annotations.iter().map(|(id, _, _)| *id));
        }
        let mut resources = p.resources();
        let mut font_dict = resources.fonts();
        for (face, id) in &fonts {
            font_dict.pair(Name(&font_name(*face)), *id);
        }
        font_dict.finish();
        let mut objects = resources.x_objects();
        for (n, id) in images.iter().enumerate() {
            objects.pair(Name(format!("I{n}").as_bytes()), *id);
        }
        objects.finish();
        resources.finish();
        p.finish();
        pdf.stream(content_id, &deflate(&content.finish().into_vec()))
            .filter(Filter::FlateDecode);
        for (id, rect, uri) in &annotations {
            let mut annotation = pdf.annotation(*id);
            annotation
                .subtype(AnnotationType::Link)
                .rect(*rect)
                .border(0.0, 0.0, 0.0, None);
            annotation
                .action()
                .action_type(ActionType::Uri)
                .uri(Str(uri.as_bytes()));
        }
        page_ids.push(page_id);
    }
    let count = page_ids.len() as i32;
    pdf.pages(tree).kids(page_ids).count(count);
    pdf.finish()
}

/// The PDF's y for a y measured from the page's top.
fn up(y: f32) -> f32 {
    PAGE_HEIGHT - y
}

fn draw(content: &mut Content, item: &Item, links: &mut Vec<(Rect, String)>) {
    match item {
        Item::Glyphs {
            x,
            y,
            look,
            face,
            glyphs,
        } => {
            let bytes: Vec<u8> = glyphs.iter().flat_map(|g| g.to_be_bytes()).collect();
            content.save_state();
            if look.link {
                content.set_fill_rgb(0.08, 0.27, 0.62);
            } else {
                content.set_fill_gray(look.gray);
            }
            if look.bold {
                // The bundled text face has one weight: bold is the outline drawn over it.
                content.set_stroke_gray(look.gray);
                content.set_line_width(look.size * 0.035);
            }
            content.begin_text();
            content.set_font(Name(&font_name(*face)), look.size);
            if look.bold {
                content.set_text_rendering_mode(TextRenderingMode::FillStroke);
            }
            let shear = if look.italic { 0.2 } else { 0.0 };
            content.set_text_matrix([1.0, 0.0, shear, 1.0, *x, up(*y)]);
            content.show(Str(&bytes));
            content.end_text();
            content.restore_state();
        }
        Item::Line {
            from,
            to,
            width,
            gray,
        } => {
            content.save_state();
            content.set_line_width(*width);
            content.set_stroke_gray(*gray);
            content.move_to(from.0, up(from.1));
            content.line_to(to.0, up(to.1));
            content.stroke();
            content.restore_state();
        }
        Item::Image {
            index,
            x,
            y,
            width,
            height,
        } => {
            content.save_state();
            content.transform([*width, 0.0, 0.0, *height, *x, up(*y + *height)]);
            content.x_object(Name(format!("I{index}").as_bytes()));
            content.restore_state();
        }
        Item::Link {
            x,
            y,
            width,
            height,
            uri,
        } => links.push((
            Rect::new(*x, up(*y + *height), *x + *width, up(*y)),
            uri.clone(),
        )),
    }
}
