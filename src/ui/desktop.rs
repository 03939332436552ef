//! The window's side of the desktop parts ([`crate::desktop`]): raising the window when asked
//! from outside, hiding it instead of quitting when Poplar keeps checking in the tray, and
//! the Settings dialog with the switches for notifications, the tray and autostart.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use egui::{Context, ViewportCommand};

use crate::app::AppState;
use crate::desktop::settings::DesktopSettings;
use crate::desktop::{Reveal, RevealSink, autostart};
use crate::i18n::Language;
use crate::tr;

/// What the window does on the desktop. [`DesktopOptions::none`] for tests that want none of
/// it; [`DesktopOptions::system`] for the real thing.
#[derive(Debug, Default)]
pub struct DesktopOptions {
    /// Where `settings.conf` lives (the data directory); `None`: beside the store.
    pub data_dir: Option<PathBuf>,
    /// The instance lock, when this window is the one Poplar: it then answers later starts.
    pub instance: Option<crate::desktop::instance::Primary>,
    /// Notifications over this bus; `None`: no notifications at all.
    #[cfg(all(unix, not(target_os = "macos")))]
    pub notifications: Option<crate::desktop::notify::Bus>,
    /// Print through the print portal on this bus; `None`: the PDF viewer prints.
    #[cfg(all(unix, not(target_os = "macos")))]
    pub print: Option<crate::desktop::notify::Bus>,
    /// Whether a tray icon may be shown (off in tests).
    pub tray: bool,
    /// Started with `--background`: hide at once and live in the tray (where there is one).
    pub background: bool,
    /// Files to import and show once the window is up (`poplar FILE…`).
    pub files: Vec<PathBuf>,
    /// The autostart folder; `None`: the setting is not offered.
    pub autostart_dir: Option<PathBuf>,
    /// The program an autostart entry starts.
    pub program: PathBuf,
}

impl DesktopOptions {
    /// No desktop parts: no notifications, no tray, no instance, no autostart.
    pub fn none() -> Self {
        Self::default()
    }

    /// The real desktop: the session bus, the tray, the user's autostart folder.
    pub fn system(
        data_dir: PathBuf,
        instance: Option<crate::desktop::instance::Primary>,
        files: Vec<PathBuf>,
        background: bool,
    ) -> Self {
        Self {
            data_dir: Some(data_dir),
            instance,
            #[cfg(all(unix, not(target_os = "macos")))]
            notifications: Some(crate::desktop::notify::Bus::Session),
            #[cfg(all(unix, not(target_os = "macos")))]
            print: Some(crate::desktop::notify::Bus::Session),
            tray: cfg!(all(unix, not(target_os = "macos"))),
            background,
            files,
            // The sandbox's autostart folder is not the desktop's (that needs the Background
            // portal), so the setting would do nothing there.
            autostart_dir: autostart::user_dir().filter(|_| !crate::desktop::in_flatpak()),
            program: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("poplar")), // untranslated: a file name
        }
    }
}

/// The window's desktop state.
pub(super) struct Desktop {
    reveals: Receiver<Reveal>,
    sink: RevealSink,
    #[cfg(unix)]
    _server: Option<crate::desktop::instance::Server>,
    #[cfg(all(unix, not(target_os = "macos")))]
    tray: Option<crate::desktop::tray::TrayIcon>,
    tray_allowed: bool,
    /// Why there is no tray, once trying to show one failed.
    tray_error: Option<String>,
    settings: DesktopSettings,
    notify: Arc<AtomicBool>,
    data_dir: PathBuf,
    autostart_dir: Option<PathBuf>,
    program: PathBuf,
    background: bool,
    quitting: bool,
    first_frame: bool,
    last_unread: Option<u64>,
    /// The Settings dialog is open.
    pub settings_open: bool,
    /// Whether the login start is on, read from the autostart folder when the dialog opens
    /// (not every frame it is drawn).
    login_start: Option<bool>,
    /// How often the window was asked to come forward (tests read it).
    pub raised: u64,
    /// Why the last settings change failed.
    settings_error: Option<String>,
}

impl Desktop {
    pub(super) fn start(ctx: &Context, state: &mut AppState, options: DesktopOptions) -> Self {
        let data_dir = options
            .data_dir
            .clone()
            .or_else(|| state.store_path().parent().map(PathBuf::from))
            .unwrap_or_default();
        let settings = DesktopSettings::load(&data_dir);
        if let Some(language) = settings.language {
            crate::i18n::set_language(language);
        }
        let (tx, reveals) = channel();
        let waker = ctx.clone();
        let sink: RevealSink = Arc::new(move |reveal| {
            let _ = tx.send(reveal);
            waker.request_repaint();
        });
        let notify = Arc::new(AtomicBool::new(settings.notify_new_mail));
        let engine = state.engine_handle();
        #[cfg(all(unix, not(target_os = "macos")))]
        if let Some(bus) = options.print.clone() {
            state.set_printer(Arc::new(crate::app::print::PortalPrinter { bus }));
        }
        #[cfg(all(unix, not(target_os = "macos")))]
        if let Some(bus) = options.notifications.clone() {
            crate::desktop::notify::start(
                &engine,
                crate::desktop::notify::NotifierConfig {
                    bus,
                    store_path: state.store_path().to_path_buf(),
                    enabled: Arc::clone(&notify),
                    sink: Arc::clone(&sink),
                },
            );
        }
        #[cfg(unix)]
        let server = options.instance.and_then(|primary| {
            primary
                .serve(engine.clone(), Arc::clone(&sink))
                .map_err(|err| tracing::warn!("other starts cannot reach this window: {err}"))
                .ok()
        });
        #[cfg(not(unix))]
        drop((options.instance, engine));
        if !options.files.is_empty() {
            sink(Reveal::Open(options.files));
        }
        let mut desktop = Self {
            reveals,
            sink,
            #[cfg(unix)]
            _server: server,
            #[cfg(all(unix, not(target_os = "macos")))]
            tray: None,
            tray_allowed: options.tray,
            tray_error: None,
            settings,
            notify,
            data_dir,
            autostart_dir: options.autostart_dir,
            program: options.program,
            background: options.background,
            quitting: false,
            first_frame: true,
            last_unread: None,
            settings_open: false,
            login_start: None,
            raised: 0,
            settings_error: None,
        };
        if desktop.settings.keep_running || desktop.background {
            desktop.show_tray(state);
        }
        desktop
    }

    fn has_tray(&self) -> bool {
        #[cfg(all(unix, not(target_os = "macos")))]
        return self.tray.is_some();
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        false
    }

    /// Shows the tray icon if it is not shown yet; false (with the reason kept) if it cannot.
    fn show_tray(&mut self, state: &AppState) -> bool {
        if self.has_tray() {
            return true;
        }
        if !self.tray_allowed {
            self.tray_error = Some(tr!("tray-none-here"));
            return false;
        }
        #[cfg(all(unix, not(target_os = "macos")))]
        match crate::desktop::tray::start(
            &state.engine_handle(),
            state.store_path().to_path_buf(),
            Arc::clone(&self.sink),
        ) {
            Ok(tray) => {
                self.tray = Some(tray);
                self.tray_error = None;
                return true;
            }
            Err(err) => self.tray_error = Some(err),
        }
        #[cfg(not(all(unix, not(target_os = "macos"))))]
        let _ = state;
        false
    }

    /// Whether closing the window hides it (Poplar goes on checking in the tray).
    fn keeps_running(&self) -> bool {
        (self.settings.keep_running || self.background) && self.has_tray()
    }

    fn raise(&mut self, ctx: &Context) {
        self.raised += 1;
        ctx.send_viewport_cmd(ViewportCommand::Visible(true));
        ctx.send_viewport_cmd(ViewportCommand::Minimized(false));
        ctx.send_viewport_cmd(ViewportCommand::Focus);
    }

    /// Each frame: requests from outside, the close button, the tray's count.
    pub(super) fn update(&mut self, ctx: &Context, state: &mut AppState) {
        if self.first_frame {
            self.first_frame = false;
            if self.background && self.has_tray() {
                ctx.send_viewport_cmd(ViewportCommand::Visible(false));
            }
        }
        while let Ok(reveal) = self.reveals.try_recv() {
            match reveal {
                Reveal::Window => self.raise(ctx),
                Reveal::NewMail { account, message } => {
                    state.reveal_new_mail(account, message);
                    self.raise(ctx);
                }
                Reveal::Open(files) => {
                    state.open_files(files);
                    self.raise(ctx);
                }
                Reveal::CheckNow => state.check_now(None),
                Reveal::Quit => {
                    self.quitting = true;
                    ctx.send_viewport_cmd(ViewportCommand::Close);
                }
            }
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.quitting && self.keeps_running() {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            ctx.send_viewport_cmd(ViewportCommand::Visible(false));
        }
        let unread = state.unread_in_inboxes();
        if self.last_unread != Some(unread) {
            self.last_unread = Some(unread);
            #[cfg(all(unix, not(target_os = "macos")))]
            if let Some(tray) = &self.tray {
                tray.set_unread(unread);
            }
        }
    }

    /// The language chosen under View → Language (`None`: the system's).
    pub(super) fn chosen_language(&self) -> Option<Language> {
        self.settings.language
    }

    /// Switches the interface's language now and remembers the choice.
    pub(super) fn choose_language(&mut self, language: Option<Language>) {
        crate::i18n::set_language(language.unwrap_or_else(crate::i18n::system_language));
        self.settings.language = language;
        self.save();
    }

    fn save(&mut self) {
        self.notify
            .store(self.settings.notify_new_mail, Ordering::SeqCst);
        self.settings_error = self
            .settings
            .save(&self.data_dir)
            .err()
            .map(|err| tr!("settings-save-failed", error = err.to_string()));
    }

    /// The Settings dialog.
    pub(super) fn dialog(&mut self, ctx: &Context, state: &AppState) {
        if !self.settings_open {
            self.login_start = None;
            return;
        }
        let mut open = true;
        let mut close = false;
        egui::Window::new(tr!("settings-title"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.heading(tr!("settings-new-mail"));
                let mut notify = self.settings.notify_new_mail;
                if ui.checkbox(&mut notify, tr!("settings-notify")).changed() {
                    self.settings.notify_new_mail = notify;
                    self.save();
                }
                ui.add_space(8.0);
                ui.heading(tr!("settings-running"));
                let mut keep = self.settings.keep_running;
                if ui
                    .checkbox(&mut keep, tr!("settings-keep-running"))
                    .changed()
                {
                    if keep && !self.show_tray(state) {
                        keep = false;
                    }
                    self.settings.keep_running = keep;
                    self.save();
                }
                match &self.tray_error {
                    Some(why) => {
                        ui.label(tr!("settings-keep-running-off", why = why.as_str()));
                    }
                    None => {
                        ui.weak(tr!("settings-keep-running-hint"));
                    }
                }
                match self.autostart_dir.clone() {
                    Some(dir) => {
                        let mut on = *self
                            .login_start
                            .get_or_insert_with(|| autostart::is_enabled(&dir));
                        if ui.checkbox(&mut on, tr!("settings-login")).changed() {
                            let done = if on {
                                autostart::enable(&dir, &self.program, &self.data_dir).map(drop)
                            } else {
                                autostart::disable(&dir)
                            };
                            self.login_start = Some(autostart::is_enabled(&dir));
                            self.settings_error = done
                                .err()
                                .map(|err| tr!("settings-login-failed", error = err.to_string()));
                        }
                        ui.weak(tr!("settings-login-hint"));
                    }
                    None => {
                        let mut off = false;
                        ui.add_enabled(false, egui::Checkbox::new(&mut off, tr!("settings-login")));
                        ui.weak(tr!("settings-login-unavailable"));
                    }
                }
                if let Some(error) = &self.settings_error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                ui.add_space(8.0);
                if ui.button(tr!("settings-close")).clicked() {
                    close = true;
                }
            });
        if !open || close {
            self.settings_open = false;
        }
    }
}
