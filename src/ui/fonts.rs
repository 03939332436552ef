//! A bold face for unread mail. egui's bundled fonts have no bold, so the window takes the
//! system's bold sans-serif when there is one (scripts it lacks still fall back to the
//! system's fonts, as everywhere in the window); without one, "bold" text is the regular
//! face in a stronger colour.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily, RichText};

/// The family of bold text.
const BOLD: &str = "poplar-bold";

/// Where Linux distributions, macOS and Windows keep a bold sans-serif, most common first.
const BOLD_FONTS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/google-noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/ubuntu/Ubuntu-B.ttf",
    "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
    "C:\\Windows\\Fonts\\segoeuib.ttf",
    "C:\\Windows\\Fonts\\arialbd.ttf",
];

/// Adds the bold family to the context's fonts: the first bold font found, then the regular
/// fonts for what it lacks (emoji, icons).
pub(super) fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    let regular = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let mut bold = Vec::with_capacity(regular.len() + 1);
    if let Some(data) = BOLD_FONTS.iter().find_map(|path| std::fs::read(path).ok()) {
        fonts
            .font_data
            .insert(BOLD.to_owned(), Arc::new(FontData::from_owned(data)));
        bold.push(BOLD.to_owned());
    }
    bold.extend(regular);
    fonts.families.insert(FontFamily::Name(BOLD.into()), bold);
    ctx.set_fonts(fonts);
}

/// `text` in bold (and the stronger colour, which also shows where no bold face exists).
pub(super) fn bold(text: impl Into<String>) -> RichText {
    emphasize(RichText::new(text))
}

/// Makes `text` bold, keeping what else it has (italics, a size).
pub(super) fn emphasize(text: RichText) -> RichText {
    text.family(FontFamily::Name(BOLD.into())).strong()
}
