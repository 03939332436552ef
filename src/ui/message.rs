//! The message view: the header block, actions, the attachment bar, and the body drawn from
//! its [`RichDoc`] (or the raw source).
//!
//! The document was built on the view thread; here it is only drawn. Nothing in a message
//! can make the window load anything: no image loader is installed at all, inline (`cid:`)
//! images arrive as pixels and are uploaded as textures, remote images are only counted
//! ("Remote images blocked"), and a link opens in the system's browser only when clicked.
//! A long body is laid out up to a budget of text per frame, with "Show more" for the rest.

use std::sync::Arc;

use egui::text::LayoutJob;
use egui::{
    Align, Button, FontSelection, Grid, Label, RichText, ScrollArea, Stroke, TextEdit,
    TextureHandle, TextureOptions, Ui, Vec2,
};

use crate::app::{AppState, OpenMessage, Opened, format};
use crate::mail::mailto::Answer;
use crate::mail::rich::{Block, Pixels, RichDoc, Span};
use crate::mail::view::Attachment;
use crate::store::MessageRow;
use crate::tr;

/// How much text (bytes) is laid out before "Show more": every ordinary mail whole, the first
/// screens of a megabyte newsletter.
const FIRST_BYTES: usize = 64 * 1024;

/// How much more each "Show more" lays out.
const MORE_BYTES: usize = 256 * 1024;

/// The widest a table column gets before its text wraps.
const MAX_COLUMN_WIDTH: f32 = 320.0;

enum Action {
    Trash,
    Restore,
    DownloadRest(i64),
    SaveAttachment(usize),
    OpenAttachment(usize),
    SaveAll,
    AnswerPrompt(bool),
    Answer(Answer),
    Conversation(Box<crate::store::MessageRow>),
    Print,
}

pub(super) fn show(ui: &mut Ui, state: &mut AppState) {
    let mut action = None;
    let in_trash = state.in_trash();
    let in_junk = state.in_junk();
    let state_in_conversation = state.in_conversation();
    let account = match state.opened() {
        Opened::Ready(message) => state.account_label(message.row.account_id),
        _ => String::new(),
    };
    let saving = state.saving_attachments();
    let mut show_source = state.show_source;
    // The path field's text is edited here and written back below (the open message
    // borrows the state meanwhile).
    let mut prompt = state.attachment_prompt().map(|p| {
        (
            p.text.clone(),
            matches!(p.target, crate::app::attachments::SaveTarget::All(_)),
        )
    });
    match state.opened() {
        Opened::Nothing => {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                ui.label(RichText::new(tr!("view-select")).weak());
                ui.label(RichText::new(tr!("view-keys")).weak().small());
            });
        }
        Opened::Failed(error) => {
            ui.add_space(20.0);
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        Opened::Loading(row) => {
            header(ui, row, None);
            ui.separator();
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr!("view-opening"));
            });
        }
        Opened::Ready(message) => {
            header(ui, &message.row, Some(message));
            details(ui, message, &account);
            // Wrapped: in a narrow message pane the buttons go on a second line, not off it.
            ui.horizontal_wrapped(|ui| {
                if in_trash {
                    if ui.button(format!("↩ {}", tr!("list-restore"))).clicked() {
                        action = Some(Action::Restore);
                    }
                } else if ui
                    .button(format!("🗑 {}", tr!("list-delete")))
                    .on_hover_text(tr!("view-delete-hint"))
                    .clicked()
                {
                    action = Some(Action::Trash);
                }
                for (answer, label, hint) in [
                    (Answer::Reply, tr!("answer-reply"), tr!("answer-reply-hint")),
                    (
                        Answer::ReplyAll,
                        tr!("answer-reply-all"),
                        tr!("answer-reply-hint"),
                    ),
                    (
                        Answer::Forward,
                        tr!("answer-forward"),
                        tr!("answer-forward-hint"),
                    ),
                ] {
                    if ui.button(label).on_hover_text(hint).clicked() {
                        action = Some(Action::Answer(answer));
                    }
                }
                if !state_in_conversation
                    && ui
                        .button(format!("💬 {}", tr!("view-conversation")))
                        .on_hover_text(tr!("view-conversation-hint"))
                        .clicked()
                {
                    action = Some(Action::Conversation(Box::new(message.row.clone())));
                }
                if ui
                    .button(tr!("menu-print"))
                    .on_hover_text(tr!("print-hint"))
                    .clicked()
                {
                    action = Some(Action::Print);
                }
                ui.toggle_value(&mut show_source, tr!("view-source"))
                    .on_hover_text(tr!("view-source-hint"));
                if message.row.partial
                    && ui
                        .add(Button::new(format!("⬇ {}", tr!("menu-download-rest"))))
                        .on_hover_text(tr!("view-partial-hint"))
                        .clicked()
                {
                    action = Some(Action::DownloadRest(message.row.id));
                }
            });
            if !message.attachments.is_empty() {
                attachment_bar(ui, &message.attachments, saving, &mut action);
            }
            if let Some((text, all)) = &mut prompt {
                prompt_row(ui, text, *all, &mut action);
            }
            if let Some(note) = &message.junk_note
                && in_junk
            {
                ui.label(RichText::new(format!("⚠ {note}")).color(ui.visuals().warn_fg_color));
            }
            if message.doc.remote_images > 0 && !show_source {
                remote_notice(ui, message.doc.remote_images);
            }
            ui.separator();
            body(ui, message, show_source);
        }
    }
    state.show_source = show_source;
    if let (Some((text, _)), Some(open)) = (prompt, state.attachment_prompt()) {
        open.text = text;
    }
    match action {
        Some(Action::Trash) => state.trash_selected(),
        Some(Action::Restore) => state.restore_selected(),
        Some(Action::DownloadRest(id)) => state.download_rest(id),
        Some(Action::SaveAttachment(index)) => state.save_attachment(index),
        Some(Action::SaveAll) => state.save_all_attachments(),
        Some(Action::AnswerPrompt(ok)) => state.answer_attachment_prompt(ok),
        Some(Action::Answer(answer)) => state.answer(answer),
        Some(Action::OpenAttachment(index)) => state.open_attachment(index),
        Some(Action::Conversation(row)) => state.show_conversation(&row),
        Some(Action::Print) => state.print_message(),
        None => {}
    }
}

fn header(ui: &mut Ui, row: &MessageRow, message: Option<&OpenMessage>) {
    ui.add_space(6.0);
    ui.add(Label::new(RichText::new(format::subject(&row.subject)).heading()).wrap());
    ui.add_space(4.0);
    Grid::new("message-header")
        .num_columns(2)
        .spacing([10.0, 3.0])
        .show(ui, |ui| {
            let field = |ui: &mut Ui, name: &str, value: &str| {
                if value.is_empty() {
                    return;
                }
                ui.label(RichText::new(name).weak());
                ui.add(Label::new(value).wrap());
                ui.end_row();
            };
            let from = format::sender_full(&row.from_name, &row.from_addr);
            if !from.is_empty() {
                ui.label(RichText::new(tr!("header-from")).weak());
                ui.horizontal_wrapped(|ui| {
                    ui.add(Label::new(&from).wrap());
                    if !row.from_addr.is_empty()
                        && ui
                            .add(Button::new("📋").small().frame(false))
                            .accessible_name(tr!("header-copy-address"))
                            .on_hover_text(tr!(
                                "header-copy-address-hint",
                                address = row.from_addr.as_str()
                            ))
                            .clicked()
                    {
                        ui.ctx().copy_text(row.from_addr.clone());
                    }
                });
                ui.end_row();
            }
            if let Some(message) = message {
                field(ui, &tr!("header-to"), &message.to);
                field(ui, &tr!("header-cc"), &message.cc);
                field(ui, &tr!("header-date"), &message.date);
            } else if let Some(date) = row.date {
                field(ui, &tr!("header-date"), &format::full_date(date));
            }
        });
    ui.add_space(4.0);
}

/// Where the message came from, folded away: the account, the server and UIDL, when it was
/// downloaded and over which TLS version, its Message-ID.
fn details(ui: &mut Ui, message: &OpenMessage, account: &str) {
    let p = &message.provenance;
    egui::CollapsingHeader::new(RichText::new(tr!("details-title")).weak())
        .id_salt("message-details")
        .show(ui, |ui| {
            Grid::new("message-details-grid")
                .num_columns(2)
                .spacing([10.0, 3.0])
                .show(ui, |ui| {
                    let mut field = |name: String, value: String| {
                        ui.label(RichText::new(name).weak());
                        ui.add(Label::new(value).wrap());
                        ui.end_row();
                    };
                    field(tr!("details-account"), account.to_owned());
                    let none = || tr!("details-none");
                    match (&p.server, &p.uidl) {
                        (Some(server), Some(uidl)) => {
                            field(tr!("details-server"), server.clone());
                            field(tr!("details-uidl"), uidl.clone());
                            field(tr!("details-downloaded"), format::full_date(p.fetched_at));
                            let tls = p
                                .tls_version
                                .clone()
                                .unwrap_or_else(|| tr!("details-no-tls"));
                            field(tr!("details-tls"), tls);
                        }
                        _ => field(tr!("details-imported"), format::full_date(p.fetched_at)),
                    }
                    field(
                        tr!("details-message-id"),
                        p.message_id.clone().unwrap_or_else(none),
                    );
                });
        });
}

/// Each attachment with its type, size and "Save"; "Save all" when there are several.
fn attachment_bar(
    ui: &mut Ui,
    attachments: &[Attachment],
    saving: bool,
    action: &mut Option<Action>,
) {
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("📎").weak());
        for (index, attachment) in attachments.iter().enumerate() {
            ui.label(RichText::new(&attachment.name).strong());
            ui.label(
                RichText::new(format!(
                    "{}, {}",
                    attachment.mime,
                    format::size(attachment.bytes.len() as u64)
                ))
                .weak()
                .small(),
            );
            if ui
                .add_enabled(!saving, Button::new(tr!("attachment-open")).small())
                .on_hover_text(tr!("attachment-open-hint", name = attachment.name.as_str()))
                .accessible_name(tr!("attachment-open-hint", name = attachment.name.as_str()))
                .clicked()
            {
                *action = Some(Action::OpenAttachment(index));
            }
            if ui
                .add_enabled(!saving, Button::new(tr!("attachment-save")).small())
                .on_hover_text(tr!("attachment-save-hint", name = attachment.name.as_str()))
                .clicked()
            {
                *action = Some(Action::SaveAttachment(index));
            }
            ui.add_space(10.0);
        }
        if attachments.len() > 1
            && ui
                .add_enabled(!saving, Button::new(tr!("attachment-save-all")).small())
                .on_hover_text(tr!("attachment-save-all-hint"))
                .clicked()
        {
            *action = Some(Action::SaveAll);
        }
        if saving {
            ui.spinner();
        }
    });
}

/// The path field, where no file dialog can be shown.
fn prompt_row(ui: &mut Ui, text: &mut String, all: bool, action: &mut Option<Action>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(if all {
            tr!("attachment-save-all-into")
        } else {
            tr!("attachment-save-to")
        });
        // Room for the two buttons, so the row never widens the view.
        let width = (ui.available_width() - 240.0).clamp(120.0, 480.0);
        let field = ui
            .add(TextEdit::singleline(text).desired_width(width))
            .labelled_by(label.id);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(tr!("attachment-save-here")).clicked() || enter {
            *action = Some(Action::AnswerPrompt(true));
        }
        if ui.button(tr!("confirm-cancel")).clicked() {
            *action = Some(Action::AnswerPrompt(false));
        }
    });
}

fn remote_notice(ui: &mut Ui, count: usize) {
    let text = tr!("view-remote-blocked", count = count);
    ui.label(RichText::new(format!("🛡 {text}")).weak())
        .on_hover_text(tr!("view-remote-blocked-hint"));
}

fn body(ui: &mut Ui, message: &OpenMessage, show_source: bool) {
    // The source keeps its lines (scrolling sideways); the body wraps.
    let area = if show_source {
        ScrollArea::both()
    } else {
        ScrollArea::vertical()
    };
    area.id_salt(("message-body", message.row.id, show_source))
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            if show_source {
                ui.add(Label::new(RichText::new(&message.source).monospace()).extend());
                if message.source_truncated {
                    ui.label(RichText::new(tr!("view-source-cut")).weak());
                }
                return;
            }
            if message.row.partial {
                ui.label(RichText::new(tr!("view-partial-note")).italics().weak());
                ui.add_space(6.0);
            }
            if message.doc.is_empty() {
                ui.label(RichText::new(tr!("view-no-text")).weak());
            } else {
                document(ui, message.row.id, &message.doc, viewport);
            }
        });
}

/// The heights of a document's top-level blocks as last laid out (for one message at one
/// width), so that blocks far from the visible part only take their room.
#[derive(Clone, Default)]
struct Heights {
    message_id: i64,
    zoom: f32,
    width: f32,
    heights: Vec<Option<f32>>,
}

/// Draws the document up to the text budget ("Show more" raises it). Of that, only the
/// top-level blocks near the visible part (`viewport`, in the scroll area's coordinates) are
/// laid out; the others take the room they took when last drawn.
fn document(ui: &mut Ui, message_id: i64, doc: &RichDoc, viewport: egui::Rect) {
    let budget_id = ui.scope_id().with(("shown-bytes", message_id));
    let budget = ui
        .data(|d| d.get_temp::<usize>(budget_id))
        .unwrap_or(FIRST_BYTES);
    let zoom = super::zoom::text_zoom(ui.ctx());
    let mut draw = Draw {
        left: budget,
        cut: false,
        message_id,
        join_quote: false,
        zoom,
    };
    // Zoomed: every text style of the body, so plain, monospace and quoted text grow alike.
    if zoom != 1.0 {
        for font in ui.style_mut().text_styles.values_mut() {
            font.size *= zoom;
        }
    }
    ui.spacing_mut().item_spacing.y = 6.0;
    let spacing = ui.spacing().item_spacing.y;
    let width = ui.available_width();
    let heights_id = ui.scope_id().with(("block-heights", message_id));
    let mut known: Heights = ui.data(|d| d.get_temp(heights_id)).unwrap_or_default();
    if known.message_id != message_id
        || known.zoom != zoom
        || (known.width - width).abs() > 0.5
        || known.heights.len() != doc.blocks.len()
    {
        known = Heights {
            message_id,
            zoom,
            width,
            heights: vec![None; doc.blocks.len()],
        };
    }
    // The scroll area's content starts where this closure's first widget went.
    let origin = ui.min_rect().top();
    let margin = viewport.height().max(200.0);
    for (index, (block, height)) in doc.blocks.iter().zip(known.heights.iter_mut()).enumerate() {
        if draw.left == 0 {
            draw.cut = true;
            break;
        }
        let top = ui.cursor().top() - origin;
        if let Some(h) = *height
            && (top + h < viewport.top() - margin || top > viewport.bottom() + margin)
        {
            draw.left = draw.left.saturating_sub(block.text_len());
            ui.allocate_space(Vec2::new(width, h));
            continue;
        }
        draw.join_quote = index > 0 && matches!(doc.blocks[index - 1], Block::Quote(_));
        draw.block(ui, block);
        // A block cut short by the budget is measured again when it is drawn whole.
        *height = (!draw.cut).then(|| (ui.cursor().top() - origin - top - spacing).max(0.0));
    }
    ui.data_mut(|d| d.insert_temp(heights_id, known));
    if draw.cut {
        ui.add_space(8.0);
        if ui
            .button(tr!("view-show-more"))
            .on_hover_text(tr!("view-show-more-hint"))
            .clicked()
        {
            ui.data_mut(|d| d.insert_temp(budget_id, budget.saturating_add(MORE_BYTES)));
        }
    } else if doc.truncated {
        ui.label(RichText::new(tr!("view-cut")).weak());
    }
}

/// One frame's drawing of a document: what is left of the text budget.
struct Draw {
    left: usize,
    cut: bool,
    message_id: i64,
    /// The block about to be drawn follows a quote (the two parts of one long quote).
    join_quote: bool,
    /// The message text's zoom (Ctrl + and Ctrl −), 1 at normal size.
    zoom: f32,
}

impl Draw {
    /// Draws blocks; `join_first`: the first one continues a quote drawn just before it.
    fn blocks(&mut self, ui: &mut Ui, blocks: &[Block], join_first: bool) {
        for (index, block) in blocks.iter().enumerate() {
            if self.left == 0 {
                self.cut = true;
                return;
            }
            self.join_quote = match index {
                0 => join_first,
                _ => matches!(blocks[index - 1], Block::Quote(_)),
            };
            self.block(ui, block);
        }
    }

    fn block(&mut self, ui: &mut Ui, block: &Block) {
        match block {
            Block::Paragraph(text) => {
                self.left = self.left.saturating_sub(block.text_len());
                spans(ui, text, None, self.zoom);
            }
            Block::Heading { level, spans: text } => {
                self.left = self.left.saturating_sub(block.text_len());
                ui.add_space(4.0);
                spans(ui, text, Some(*level), self.zoom);
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                for (n, item) in items.iter().enumerate() {
                    if self.left == 0 {
                        self.cut = true;
                        return;
                    }
                    let marker = if *ordered {
                        format!("{}.", start.saturating_add(n as u64))
                    } else {
                        "•".to_owned()
                    };
                    ui.horizontal_top(|ui| {
                        ui.add_sized([18.0, 14.0], Label::new(marker));
                        ui.vertical(|ui| self.blocks(ui, item, false));
                    });
                }
            }
            Block::Quote(inner) => {
                // A long quote comes in parts (see rich::CHUNK_BYTES): their bars join.
                let joined = std::mem::take(&mut self.join_quote);
                let shown = ui.horizontal_top(|ui| {
                    ui.add_space(12.0);
                    ui.vertical(|ui| self.blocks(ui, inner, joined));
                });
                let rect = shown.response.rect;
                let gap = if joined {
                    ui.spacing().item_spacing.y
                } else {
                    0.0
                };
                ui.painter().vline(
                    rect.left() + 4.0,
                    (rect.top() - gap)..=rect.bottom(),
                    Stroke::new(2.0, ui.visuals().weak_text_color()),
                );
            }
            Block::Table(rows) => {
                self.left = self.left.saturating_sub(block.text_len());
                let zoom = self.zoom;
                // The rows' address is the table's identity while the message is open.
                Grid::new(("message-table", self.message_id, rows.as_ptr() as usize))
                    .striped(true)
                    .spacing([12.0, 4.0])
                    .max_col_width(MAX_COLUMN_WIDTH)
                    .show(ui, |ui| {
                        for row in rows {
                            for cell in row {
                                spans(ui, cell, None, zoom);
                            }
                            ui.end_row();
                        }
                    });
            }
            Block::Rule => {
                ui.separator();
            }
            Block::Image(image) => {
                self.left = self.left.saturating_sub(block.text_len());
                let pixels = &image.pixels;
                if pixels.rgba.len() != pixels.width as usize * pixels.height as usize * 4 {
                    ui.label(RichText::new(format!("[{}]", image.alt)).italics().weak());
                    return;
                }
                let texture = texture(ui, self.message_id, &image.pixels);
                let size = Vec2::new(image.pixels.width as f32, image.pixels.height as f32);
                let scale = (ui.available_width() / size.x.max(1.0)).min(1.0);
                let shown = ui.add(
                    egui::Image::from_texture((texture.id(), size * scale)).alt_text(&image.alt),
                );
                if !image.alt.is_empty() {
                    shown.on_hover_text(&image.alt);
                }
            }
        }
    }
}

/// A run of spans: one label when it has no links, else labels and links side by side
/// (a link must be its own widget to be clicked, and to be a link for screen readers).
fn spans(ui: &mut Ui, spans: &[Span], heading: Option<u8>, zoom: f32) {
    if spans.iter().all(|s| s.link.is_none()) {
        let mut job = LayoutJob::default();
        for span in spans {
            styled(span, heading, zoom).append_to(
                &mut job,
                ui.style(),
                FontSelection::Default,
                Align::Min,
            );
        }
        ui.add(Label::new(job).wrap());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for span in spans {
            let text = styled(span, heading, zoom);
            match &span.link {
                Some(url) => {
                    ui.hyperlink_to(text, url).on_hover_text(url);
                }
                None => {
                    ui.add(Label::new(text).wrap());
                }
            }
        }
    });
}

fn styled(span: &Span, heading: Option<u8>, zoom: f32) -> RichText {
    let mut text = RichText::new(&span.text);
    if span.style.monospace {
        text = text.monospace();
        if span.style.bold {
            text = text.strong();
        }
    } else if span.style.bold {
        text = super::fonts::emphasize(text);
    }
    if span.style.italic {
        text = text.italics();
    }
    if span.style.underline {
        text = text.underline();
    }
    if span.style.strikethrough {
        text = text.strikethrough();
    }
    match heading {
        Some(1) => text.heading().strong(),
        Some(2) => text.size(18.0 * zoom).strong(),
        Some(_) => text.size(15.0 * zoom).strong(),
        None => text,
    }
}

/// The textures of the open message's inline images, uploaded once each; replaced (and the
/// old ones freed) when another message is opened.
#[derive(Clone, Default)]
struct Textures {
    message_id: Option<i64>,
    loaded: Vec<(usize, TextureHandle)>,
}

fn texture(ui: &Ui, message_id: i64, pixels: &Arc<Pixels>) -> TextureHandle {
    let cache_id = ui.ctx().viewport_id().0.with("message-inline-images");
    let mut cache: Textures = ui.data(|d| d.get_temp(cache_id)).unwrap_or_default();
    if cache.message_id != Some(message_id) {
        cache = Textures {
            message_id: Some(message_id),
            loaded: Vec::new(),
        };
    }
    // The document keeps the pixels alive while the message is open: the address is a key.
    let key = Arc::as_ptr(pixels) as usize;
    if let Some((_, handle)) = cache.loaded.iter().find(|(k, _)| *k == key) {
        return handle.clone();
    }
    let image = egui::ColorImage::from_rgba_unmultiplied(
        [pixels.width as usize, pixels.height as usize],
        &pixels.rgba,
    );
    let handle = ui.ctx().load_texture(
        format!("cid-{message_id}-{}", cache.loaded.len()),
        image,
        TextureOptions::LINEAR,
    );
    cache.loaded.push((key, handle.clone()));
    ui.data_mut(|d| d.insert_temp(cache_id, cache));
    handle
}
