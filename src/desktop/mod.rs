//! Poplar on the desktop: what makes it a program people live in, apart from the window.
//!
//! - [`instance`]: one Poplar per data directory. A second start hands its request (raise the
//!   window, open these files) to the running one; `poplar sync` asks it to check.
//! - [`notify`]: one notification per check with new mail, through the session bus
//!   (`org.freedesktop.Notifications`), and the launcher's unread count.
//! - [`print`]: the desktop's print dialog (the `org.freedesktop.portal.Print` portal).
//! - [`tray`]: the status icon that keeps Poplar checking while its window is closed.
//! - [`autostart`]: "Start Poplar when I log in" (an XDG autostart entry).
//! - [`settings`]: the few switches these read, in a small file beside the store.
//!
//! None of this draws anything: the window asks and shows (`ui`), this module does.

pub mod autostart;
pub mod instance;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod notify;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod print;
pub mod settings;
#[cfg(all(unix, not(target_os = "macos")))]
pub mod tray;

use crate::store::{AccountId, MessageId};

/// The application id: the desktop entry's name, the icon's, the AppStream id, the window's
/// app id (Wayland) and class (X11), the D-Bus names.
pub const APP_ID: &str = "io.github.poplar_mail.Poplar";

/// What the window should show when it is raised by something outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reveal {
    /// Just come to the front.
    Window,
    /// The account's inbox, with this message open if there is one.
    NewMail {
        /// The account whose check brought the mail.
        account: AccountId,
        /// The message to open (the notification's only, or first, message).
        message: Option<MessageId>,
    },
    /// Import these .eml or mbox files into Imported and show them.
    Open(Vec<std::path::PathBuf>),
    /// Check every account now (the tray's "Check now").
    CheckNow,
    /// Quit, even when "keep checking" is on (the tray's "Quit").
    Quit,
}

/// Where requests from outside the window go: it queues them and wakes the window.
pub type RevealSink = std::sync::Arc<dyn Fn(Reveal) + Send + Sync>;

/// Whether Poplar runs inside a Flatpak sandbox (where it cannot start host programs).
pub fn in_flatpak() -> bool {
    std::env::var_os("FLATPAK_ID").is_some() || std::path::Path::new("/.flatpak-info").exists()
}
