//! The message text's size: Ctrl + and Ctrl − (and View → Larger text / Smaller text) step
//! it, Ctrl 0 sets it back; the window remembers it. Only the message body grows: the lists
//! and the header keep their size, as in other mail readers (egui's zoom of the whole window
//! is switched off for these keys).

/// The sizes a step goes through.
const STEPS: [f32; 12] = [
    0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0,
];

fn id() -> egui::Id {
    egui::Id::unique("poplar-text-zoom")
}

/// The message text's zoom, 1 at normal size.
pub(super) fn text_zoom(ctx: &egui::Context) -> f32 {
    let zoom = ctx
        .data_mut(|d| d.get_persisted::<f32>(id()))
        .unwrap_or(1.0);
    if zoom.is_finite() {
        zoom.clamp(STEPS[0], STEPS[STEPS.len() - 1])
    } else {
        1.0
    }
}

/// How the text size changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Zoom {
    In,
    Out,
    Reset,
}

/// One step larger or smaller, or back to normal.
pub(super) fn apply(ctx: &egui::Context, change: Zoom) {
    let now = text_zoom(ctx);
    let next = match change {
        Zoom::Reset => 1.0,
        Zoom::In => STEPS
            .iter()
            .copied()
            .find(|s| *s > now + 0.001)
            .unwrap_or(now),
        Zoom::Out => STEPS
            .iter()
            .rev()
            .copied()
            .find(|s| *s < now - 0.001)
            .unwrap_or(now),
    };
    ctx.data_mut(|d| d.insert_persisted(id(), next));
}

/// Ctrl + (or Ctrl =), Ctrl − and Ctrl 0, taken before egui sees them.
pub(super) fn keys(ctx: &egui::Context) -> Option<Zoom> {
    ctx.input_mut(|i| {
        use egui::{Key, Modifiers};
        if i.consume_key(Modifiers::COMMAND, Key::Plus)
            || i.consume_key(Modifiers::COMMAND, Key::Equals)
        {
            Some(Zoom::In)
        } else if i.consume_key(Modifiers::COMMAND, Key::Minus) {
            Some(Zoom::Out)
        } else if i.consume_key(Modifiers::COMMAND, Key::Num0) {
            Some(Zoom::Reset)
        } else {
            None
        }
    })
}
