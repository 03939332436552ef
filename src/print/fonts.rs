//! The faces a printed message is set in: egui's own bundled fonts (Ubuntu Light for text,
//! Hack for monospace, Noto Emoji for emoji), so a PDF looks the same on every machine and
//! needs no font on it. A character the chosen face lacks is taken from the next face that
//! has it; one no face has is printed as "?" (and counted, so the caller can say so).

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, GlyphId, MetadataProvider as _};

/// Which face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    /// Proportional text.
    Text = 0,
    /// Monospace.
    Mono = 1,
    /// Emoji.
    Emoji = 2,
}

impl FaceId {
    /// Every face, in the order of their PDF resources.
    pub const ALL: [FaceId; 3] = [FaceId::Text, FaceId::Mono, FaceId::Emoji];
}

/// One face: its file and what the layout needs of it.
pub struct Face {
    /// The font file, embedded as it is.
    pub data: &'static [u8],
    /// Its PostScript-like name in the PDF.
    pub name: &'static str,
    font: FontRef<'static>,
    /// Font units per em.
    pub units_per_em: f32,
    /// Ascent and descent (negative), font units.
    pub ascent: f32,
    pub descent: f32,
}

impl Face {
    fn load(data: &'static [u8], name: &'static str) -> Option<Self> {
        let font = FontRef::new(data).ok()?;
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        Some(Self {
            data,
            name,
            font,
            units_per_em: f32::from(metrics.units_per_em.max(1)),
            ascent: metrics.ascent,
            descent: metrics.descent,
        })
    }

    /// The glyph of `ch`, if the face has one.
    pub fn glyph(&self, ch: char) -> Option<GlyphId> {
        self.font.charmap().map(ch).filter(|g| g.to_u32() != 0)
    }

    /// A glyph's advance in font units.
    pub fn advance(&self, glyph: GlyphId) -> f32 {
        self.font
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(glyph)
            .unwrap_or(0.0)
    }
}

/// The three faces.
pub struct Faces {
    faces: Vec<Face>,
}

/// A character set: the face and glyph it is drawn with, and its advance at size 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// The face.
    pub face: FaceId,
    /// The glyph (a two-byte CID in the PDF: the fonts have fewer than 65,536 glyphs).
    pub glyph: u16,
    /// The advance at a size of one point.
    pub advance: f32,
}

impl Faces {
    /// The bundled faces; `None` only if a bundled file were unreadable (a build error).
    pub fn bundled() -> Option<Self> {
        Some(Self {
            faces: vec![
                Face::load(epaint_default_fonts::UBUNTU_LIGHT, "Ubuntu-Light")?,
                Face::load(epaint_default_fonts::HACK_REGULAR, "Hack-Regular")?,
                Face::load(
                    epaint_default_fonts::NOTO_EMOJI_REGULAR,
                    "NotoEmoji-Regular",
                )?,
            ],
        })
    }

    /// A face.
    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id as usize]
    }

    /// How `ch` is drawn when `preferred` is asked for: by that face, else the first other
    /// face that has it; `None` when no face has it.
    pub fn place(&self, ch: char, preferred: FaceId) -> Option<Placed> {
        std::iter::once(preferred)
            .chain(FaceId::ALL.into_iter().filter(|f| *f != preferred))
            .find_map(|id| {
                let face = self.face(id);
                let glyph = face.glyph(ch)?;
                let glyph = u16::try_from(glyph.to_u32()).ok()?;
                Some(Placed {
                    face: id,
                    glyph,
                    advance: face.advance(GlyphId::new(u32::from(glyph))) / face.units_per_em,
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_greek_and_cyrillic_letters_are_in_the_text_face_and_emoji_fall_back() {
        let faces = Faces::bundled().expect("bundled fonts");
        for ch in "Grüße aus Köln, ß€ αβγ Привет".chars() {
            let placed = faces.place(ch, FaceId::Text).expect("a glyph");
            assert_eq!(placed.face, FaceId::Text, "{ch}");
        }
        let emoji = faces.place('😀', FaceId::Text).expect("an emoji glyph");
        assert_eq!(emoji.face, FaceId::Emoji);
        assert!(faces.place('\u{10FFFD}', FaceId::Text).is_none());
    }

    #[test]
    fn monospace_letters_are_all_as_wide() {
        let faces = Faces::bundled().expect("bundled fonts");
        let i = faces.place('i', FaceId::Mono).expect("i").advance;
        let m = faces.place('M', FaceId::Mono).expect("M").advance;
        assert!((i - m).abs() < 1e-6 && i > 0.3, "{i} {m}");
        let text_i = faces.place('i', FaceId::Text).expect("i").advance;
        assert!(text_i < i, "proportional i is narrower");
    }
}
