//! The mail window: egui drawing over [`crate::app::AppState`].
//!
//! One file per part of the window: `folders` (left), `list` (middle), `message` (right),
//! `status` (the bottom bar), `welcome` (first run), `menu` (the menu bar), `accounts` (the
//! accounts dialog), `transfer` (export and import). Each frame,
//! [`eframe::App::logic`] lets the state drain the engine's events and re-read the store if
//! it changed; [`eframe::App::ui`] draws and turns clicks and keys into calls on the state.
//! egui is used only in this module.

mod accounts;
mod desktop;
mod folders;
mod fonts;
mod list;
mod menu;
mod message;
mod moving;
mod rules;
mod shortcuts;
mod status;
mod transfer;
mod welcome;
mod zoom;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Key, Modifiers};

pub use desktop::DesktopOptions;

use crate::app::{AppState, EVENT_BUDGET, StartError, StartOptions, Waker};
use crate::desktop::instance::{self, Claim};
use crate::store::STORE_FILE;
use crate::sync::KeyringSecrets;

/// The window's title and the name eframe files its preferences under.
pub const APP_NAME: &str = "Poplar";

/// The window icon (a 128×128 PNG).
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Opens the window over the store in `data_dir` and runs until it is closed (or, when
/// Poplar keeps checking in the tray, until Quit). If a Poplar runs over `data_dir` already,
/// hands it `files` (or asks it to come forward) and returns.
pub fn run(data_dir: &Path, files: Vec<PathBuf>, background: bool) -> Result<(), String> {
    let files: Vec<PathBuf> = files
        .into_iter()
        .map(|f| std::path::absolute(&f).unwrap_or(f))
        .collect();
    let primary = match instance::claim(data_dir) {
        Ok(Claim::First(primary)) => Some(primary),
        Ok(Claim::Running(running)) => {
            let handed = if files.is_empty() {
                running.raise()
            } else {
                running.open(files)
            };
            return handed.map_err(|err| {
                format!("Poplar is running already, but it does not answer: {err}")
            });
        }
        Err(err) => {
            tracing::warn!("cannot take the instance lock, so later starts cannot find us: {err}");
            None
        }
    };
    let desktop = DesktopOptions::system(data_dir.to_path_buf(), primary, files, background);
    let start = StartOptions {
        store_path: data_dir.join(STORE_FILE),
        secrets: Arc::new(KeyringSecrets),
        schedule: true,
        dialogs: Arc::new(crate::app::dialogs::SystemDialogs::default()),
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(APP_NAME)
        .with_app_id(crate::desktop::APP_ID)
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0]);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(Arc::new(icon)),
        Err(err) => tracing::warn!("the window icon is unreadable: {err}"),
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        // Window size and pane widths only: never mail, never passwords.
        persistence_path: Some(data_dir.join("window")),
        ..Default::default()
    };
    eframe::run_native(
        APP_NAME,
        options,
        Box::new(move |cc| Ok(Box::new(PoplarApp::with_desktop(cc, start, desktop)))),
    )
    .map_err(|err| format!("cannot open the window: {err}"))
}

/// The eframe application.
pub struct PoplarApp {
    state: Result<AppState, StartError>,
    /// The search field's text (the list follows it).
    search: String,
    /// Ctrl+F was pressed: focus the search field this frame.
    focus_search: bool,
    /// Help → Keyboard shortcuts is open.
    shortcuts_open: bool,
    /// Notifications, tray, other starts, settings (none if the state could not start).
    desktop: Option<desktop::Desktop>,
}

impl std::fmt::Debug for PoplarApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoplarApp").finish_non_exhaustive()
    }
}

/// Where the window remembers "Group by conversation".
fn grouped_id() -> egui::Id {
    egui::Id::unique("poplar-group-by-conversation")
}

impl PoplarApp {
    /// Starts the engine and reads the store; a failure is shown in the window.
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        Self::with_desktop(cc, options, DesktopOptions::none())
    }

    /// As [`PoplarApp::new`], with the desktop parts `desktop` asks for.
    pub fn with_desktop(
        cc: &eframe::CreationContext<'_>,
        options: StartOptions,
        desktop: DesktopOptions,
    ) -> Self {
        fonts::install(&cc.egui_ctx);
        // Ctrl + and Ctrl − size the message text (`zoom`), not the whole window.
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let ctx = cc.egui_ctx.clone();
        let waker: Waker = Arc::new(move || ctx.request_repaint());
        let mut state = AppState::start(options, waker);
        if let Ok(state) = &mut state
            && cc
                .egui_ctx
                .data_mut(|d| d.get_persisted::<bool>(grouped_id()))
                .unwrap_or(false)
        {
            state.set_grouped(true);
        }
        let desktop = state
            .as_mut()
            .ok()
            .map(|state| desktop::Desktop::start(&cc.egui_ctx, state, desktop));
        Self {
            state,
            search: String::new(),
            focus_search: false,
            shortcuts_open: false,
            desktop,
        }
    }

    /// The same app signing accounts in through `browser` instead of the desktop's
    /// (tests give a scripted one). The accounts dialog runs the sign-in on a thread of its
    /// own, so `browser` may block.
    #[must_use]
    pub fn with_browser(mut self, browser: crate::app::SharedBrowser) -> Self {
        if let Ok(state) = &mut self.state {
            state.set_browser(browser);
        }
        self
    }

    /// How often something outside asked the window to come forward (a second start, a
    /// clicked notification, the tray).
    pub fn times_raised(&self) -> u64 {
        self.desktop.as_ref().map_or(0, |d| d.raised)
    }

    /// The state behind the window (for tests), or why it could not start.
    pub fn state(&self) -> Result<&AppState, &StartError> {
        self.state.as_ref()
    }

    fn keys(&mut self, ctx: &egui::Context) {
        if let Some(change) = zoom::keys(ctx) {
            zoom::apply(ctx, change);
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F1)) {
            self.shortcuts_open = true;
        }
        let Ok(state) = &mut self.state else {
            return;
        };
        if state.accounts_dialog_open()
            || state.confirmation().is_some()
            || state.folder_dialog().is_some()
            || state.picker().is_some()
            || state.rules_dialog().is_some()
            || state.path_prompt().is_some()
        {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        let mut delta = 0isize;
        let mut extend = 0isize;
        let mut trash = false;
        let mut check = false;
        let mut open = false;
        let mut flag = false;
        let mut junk = false;
        let mut mark_all_read = false;
        let mut pick: Option<bool> = None;
        let mut select_all = false;
        let mut expand: Option<bool> = None;
        let mut folder_step = 0isize;
        let mut toggle_read = false;
        let mut print = false;
        ctx.input_mut(|i| {
            if i.consume_key(Modifiers::COMMAND, Key::F) {
                self.focus_search = true;
            }
            print = i.consume_key(Modifiers::COMMAND, Key::P);
            if i.consume_key(Modifiers::NONE, Key::F5) || i.consume_key(Modifiers::COMMAND, Key::R)
            {
                check = true;
            }
            if typing {
                return;
            }
            // Shift first: a key without modifiers would match Shift+key too. Shift+J is
            // "Mark as junk" / "Not junk" (Thunderbird's J; plain j moves down here).
            junk = i.consume_key(Modifiers::SHIFT, Key::J);
            // Shift+C: "Mark all as read" in the view (Thunderbird's key).
            mark_all_read = i.consume_key(Modifiers::SHIFT, Key::C);
            // M moves the selection with the quick folder picker, Shift+M copies it.
            if i.consume_key(Modifiers::SHIFT, Key::M) {
                pick = Some(true);
            } else if i.consume_key(Modifiers::NONE, Key::M) {
                pick = Some(false);
            }
            for (key, step) in [(Key::ArrowDown, 1), (Key::ArrowUp, -1)] {
                if i.consume_key(Modifiers::SHIFT, key) {
                    extend += step;
                }
                // Alt with ↓/↑: the next or previous folder (before plain ↓/↑, which
                // would match it too).
                if i.consume_key(Modifiers::ALT, key) {
                    folder_step += step;
                }
            }
            toggle_read = i.consume_key(Modifiers::NONE, Key::U);
            for key in [Key::ArrowDown, Key::J] {
                if i.consume_key(Modifiers::NONE, key) {
                    delta += 1;
                }
            }
            for key in [Key::ArrowUp, Key::K] {
                if i.consume_key(Modifiers::NONE, key) {
                    delta -= 1;
                }
            }
            if i.consume_key(Modifiers::NONE, Key::PageDown) {
                delta += 20;
            }
            if i.consume_key(Modifiers::NONE, Key::PageUp) {
                delta -= 20;
            }
            if i.consume_key(Modifiers::NONE, Key::Delete) {
                trash = true;
            }
            open = i.consume_key(Modifiers::NONE, Key::Enter);
            // → opens the selected conversation, ← closes it (grouped by conversation).
            if i.consume_key(Modifiers::NONE, Key::ArrowRight) {
                expand = Some(true);
            } else if i.consume_key(Modifiers::NONE, Key::ArrowLeft) {
                expand = Some(false);
            }
            flag = i.consume_key(Modifiers::NONE, Key::S);
            select_all = i.consume_key(Modifiers::COMMAND, Key::A);
        });
        if delta != 0 {
            state.move_selection(delta);
        }
        if extend != 0 {
            state.extend_selection(extend);
        }
        if trash {
            state.delete_selected();
        }
        if open {
            state.open_selected();
        }
        if flag {
            state.toggle_flag_selected();
        }
        if let Some(copy) = pick {
            state.open_picker(copy);
        }
        if junk {
            state.toggle_junk_selected();
        }
        if mark_all_read {
            state.mark_all_read(None);
        }
        if select_all {
            state.select_all();
        }
        if let Some(open) = expand {
            state.expand_selected(open);
        }
        if folder_step != 0 {
            state.step_view(folder_step);
        }
        if toggle_read {
            state.toggle_read_selected();
        }
        if check {
            state.check_now(None);
        }
        if print {
            state.print_message();
        }
    }
}

impl eframe::App for PoplarApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if let Ok(state) = &mut self.state {
            state.update(EVENT_BUDGET);
            if let Some(desktop) = &mut self.desktop {
                desktop.update(ctx, state);
            }
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.keys(&ctx);
        let state = match &mut self.state {
            Ok(state) => state,
            Err(err) => {
                welcome::start_error(ui, err);
                return;
            }
        };
        let chosen = self.desktop.as_ref().and_then(|d| d.chosen_language());
        let asks = egui::Panel::top("menu")
            .show(ui, |ui| menu::show(ui, state, chosen))
            .inner;
        self.shortcuts_open |= asks.shortcuts;
        shortcuts::show(&ctx, &mut self.shortcuts_open);
        if let Some(change) = asks.zoom {
            zoom::apply(&ctx, change);
        }
        if let Some(grouped) = asks.grouped {
            ctx.data_mut(|d| d.insert_persisted(grouped_id(), grouped));
        }
        if let Some(desktop) = &mut self.desktop {
            desktop.settings_open |= asks.settings;
            if let Some(language) = asks.language {
                desktop.choose_language(language);
            }
            desktop.dialog(&ctx, state);
        }
        if welcome::first_run(state) {
            welcome::show(ui, state);
        } else {
            egui::Panel::bottom("status")
                .show_separator_line(true)
                .show(ui, |ui| status::show(ui, state));
            egui::Panel::left("folders")
                .resizable(true)
                .default_size(200.0)
                .size_range(150.0..=420.0)
                .show(ui, |ui| folders::show(ui, state));
            egui::Panel::left("list")
                .resizable(true)
                .default_size(620.0)
                .size_range(300.0..=1400.0)
                .show(ui, |ui| {
                    list::show(ui, state, &mut self.search, &mut self.focus_search)
                });
            egui::CentralPanel::default().show(ui, |ui| message::show(ui, state));
        }
        accounts::show(&ctx, state);
        list::confirmation(&ctx, state);
        folders::dialog(&ctx, state);
        moving::picker(&ctx, state);
        rules::show(&ctx, state);
        moving::drag_label(&ctx);
        transfer::path_prompt(&ctx, state);
        transfer::dropped_files(&ctx, state);
    }
}
