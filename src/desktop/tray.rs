//! The tray icon (a StatusNotifierItem, which KDE, GNOME with the AppIndicator extension,
//! Xfce, Cinnamon, MATE, LXQt and the wlroots bars show): the unread count, and a menu with
//! Open, Check now and Quit. It is what lets Poplar keep checking while its window is closed;
//! where no tray host runs, [`start`] says so and closing the window quits.

use std::path::PathBuf;

use ksni::blocking::TrayMethods as _;
use ksni::menu::StandardItem;
use ksni::{Icon, MenuItem, ToolTip, Tray};

use super::{APP_ID, Reveal, RevealSink};
use crate::store::Reader;
use crate::sync::{EngineHandle, Event};
use crate::tr;

struct PoplarTray {
    unread: u64,
    icon: Vec<Icon>,
    sink: RevealSink,
}

impl PoplarTray {
    fn title_text(&self) -> String {
        tr!("tray-title", count = self.unread)
    }
}

impl Tray for PoplarTray {
    fn id(&self) -> String {
        APP_ID.to_owned()
    }

    fn title(&self) -> String {
        self.title_text()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::Communications
    }

    fn status(&self) -> ksni::Status {
        if self.unread > 0 {
            ksni::Status::NeedsAttention
        } else {
            ksni::Status::Active
        }
    }

    fn icon_name(&self) -> String {
        APP_ID.to_owned()
    }

    fn attention_icon_name(&self) -> String {
        APP_ID.to_owned()
    }

    fn icon_pixmap(&self) -> Vec<Icon> {
        self.icon.clone()
    }

    fn attention_icon_pixmap(&self) -> Vec<Icon> {
        self.icon.clone()
    }

    fn tool_tip(&self) -> ToolTip {
        ToolTip {
            title: self.title_text(),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        (self.sink)(Reveal::Window);
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        let item = |label: &str, reveal: Reveal| -> MenuItem<Self> {
            StandardItem {
                label: label.to_owned(),
                activate: Box::new(move |tray: &mut Self| (tray.sink)(reveal.clone())),
                ..Default::default()
            }
            .into()
        };
        vec![
            item(&tr!("tray-open"), Reveal::Window),
            item(&tr!("tray-check"), Reveal::CheckNow),
            MenuItem::Separator,
            item(&tr!("tray-quit"), Reveal::Quit),
        ]
    }
}

/// The window icon as the tray wants it: ARGB, big-endian.
fn pixmap() -> Vec<Icon> {
    let Ok(image) = image::load_from_memory(crate::ui::ICON_PNG) else {
        return Vec::new();
    };
    let rgba = image.to_rgba8();
    let (width, height) = rgba.dimensions();
    let data = rgba
        .pixels()
        .flat_map(|p| [p[3], p[0], p[1], p[2]])
        .collect();
    vec![Icon {
        width: i32::try_from(width).unwrap_or(0),
        height: i32::try_from(height).unwrap_or(0),
        data,
    }]
}

/// The running tray icon; it goes away when dropped.
pub struct TrayIcon {
    handle: ksni::blocking::Handle<PoplarTray>,
}

impl std::fmt::Debug for TrayIcon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrayIcon").finish_non_exhaustive()
    }
}

impl TrayIcon {
    /// Shows this unread count.
    pub fn set_unread(&self, unread: u64) {
        self.handle.update(|tray| tray.unread = unread);
    }
}

impl Drop for TrayIcon {
    fn drop(&mut self) {
        self.handle.shutdown().wait();
    }
}

/// Shows the tray icon, or says why there is none (no session bus, or no tray on this
/// desktop). The count follows every check by itself; the window reports its own changes
/// with [`TrayIcon::set_unread`].
pub fn start(
    engine: &EngineHandle,
    store_path: PathBuf,
    sink: RevealSink,
) -> Result<TrayIcon, String> {
    let reader = Reader::open(&store_path).map_err(|err| err.to_string())?;
    let tray = PoplarTray {
        unread: reader.unread_in_inboxes(),
        icon: pixmap(),
        sink,
    };
    let handle = tray.spawn().map_err(|err| match err {
        ksni::Error::WontShow => tr!("tray-no-host"),
        // No session bus at all (a bare X session, a container): say so, not zbus's words.
        ksni::Error::Dbus(err) => {
            tracing::info!("no tray, the session bus is unreachable: {err}");
            tr!("tray-no-bus")
        }
        ksni::Error::Watcher(_) => tr!("tray-no-watcher"),
        other => tr!("tray-failed", error = other.to_string()),
    })?;
    let events = engine.subscribe();
    let updates = handle.clone();
    let _ = std::thread::Builder::new()
        .name("poplar-tray".into())
        .spawn(move || {
            while let Ok(event) = events.recv_blocking() {
                if matches!(event, Event::Finished { .. } | Event::StoreChanged) {
                    let unread = reader.unread_in_inboxes();
                    if updates.update(|tray| tray.unread = unread).is_none() {
                        break;
                    }
                }
            }
        });
    Ok(TrayIcon { handle })
}
