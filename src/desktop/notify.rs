//! New-mail notifications and the launcher's unread count, over the session bus.
//!
//! The notifier listens to the engine like the window does, on threads of its own, so it works
//! while the window is hidden. It gathers the `NewMail` of a check and, when the check ends,
//! sends one notification for it (`org.freedesktop.Notifications.Notify`): "3 new messages
//! from GMX" and the first senders and subjects. Only mail still in the account's inbox
//! counts, so what rules or the junk filter moved away is not announced. Clicking the
//! notification (its `default` action, heard as `ActionInvoked`) asks the window to come
//! forward on that message, or on the inbox when there were several.
//!
//! After every check it also sends the Unity launcher entry signal with the unread count
//! (docks that support it show a badge; the others ignore it).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use zbus::blocking::{Connection, MessageIterator};
use zbus::zvariant::Value;

use super::{APP_ID, Reveal, RevealSink};
use crate::store::{AccountId, FolderKind, MessageId, MessageRow, Reader};
use crate::sync::{EngineHandle, Event};
use crate::tr;

const SERVICE: &str = "org.freedesktop.Notifications";
const PATH: &str = "/org/freedesktop/Notifications";
/// How many senders and subjects a notification lists.
const LISTED: usize = 3;

/// Which bus to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bus {
    /// The session bus of the desktop (`DBUS_SESSION_BUS_ADDRESS`).
    Session,
    /// A bus at this address (tests run their own).
    Address(String),
}

/// How the notifier runs.
#[derive(Clone)]
pub struct NotifierConfig {
    /// The bus.
    pub bus: Bus,
    /// The store, read for the senders and subjects.
    pub store_path: PathBuf,
    /// The "notify me" switch, which the settings dialog flips.
    pub enabled: Arc<AtomicBool>,
    /// Where a click goes.
    pub sink: RevealSink,
}

impl std::fmt::Debug for NotifierConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NotifierConfig")
            .field("bus", &self.bus)
            .finish_non_exhaustive()
    }
}

/// A notification's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// The first line.
    pub summary: String,
    /// The senders and subjects.
    pub body: String,
}

/// What one check brought, in words: `None` when nothing is left to announce.
pub fn announce(account: &str, rows: &[MessageRow], markup: bool) -> Option<Announcement> {
    if rows.is_empty() {
        return None;
    }
    let summary = tr!("notify-summary", count = rows.len(), account = account);
    let escape = |text: &str| -> String {
        if markup {
            text.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        } else {
            text.to_owned()
        }
    };
    let mut lines: Vec<String> = rows
        .iter()
        .take(LISTED)
        .map(|row| {
            let from = if row.from_name.trim().is_empty() {
                row.from_addr.trim()
            } else {
                row.from_name.trim()
            };
            let subject = if row.subject.trim().is_empty() {
                tr!("notify-no-subject")
            } else {
                row.subject.trim().to_owned()
            };
            match from {
                "" => escape(&subject),
                from => format!("{}: {}", escape(from), escape(&subject)),
            }
        })
        .collect();
    if rows.len() > LISTED {
        lines.push(tr!("notify-more", count = rows.len() - LISTED));
    }
    Some(Announcement {
        summary,
        body: lines.join("\n"),
    })
}

pub(crate) fn connect(bus: &Bus) -> zbus::Result<Connection> {
    match bus {
        Bus::Session => Connection::session(),
        Bus::Address(address) => {
            zbus::blocking::connection::Builder::address(address.as_str())?.build()
        }
    }
}

/// Starts the notifier on its threads. Without a session bus it logs why and does nothing:
/// mail still arrives, it is only not announced.
pub fn start(engine: &EngineHandle, config: NotifierConfig) {
    let events = engine.subscribe();
    let spawned = std::thread::Builder::new()
        .name("poplar-notify".into())
        .spawn(move || {
            let connection = match connect(&config.bus) {
                Ok(connection) => connection,
                Err(err) => {
                    tracing::info!("no session bus, so no notifications: {err}");
                    return;
                }
            };
            let shown: Arc<Mutex<HashMap<u32, Reveal>>> = Arc::default();
            listen_for_clicks(&connection, Arc::clone(&shown), Arc::clone(&config.sink));
            let markup = capabilities(&connection).iter().any(|c| c == "body-markup");
            let reader = match Reader::open(&config.store_path) {
                Ok(reader) => reader,
                Err(err) => {
                    tracing::warn!("the notifier cannot read the store: {err}");
                    return;
                }
            };
            let mut pending: HashMap<AccountId, Vec<MessageId>> = HashMap::new();
            while let Ok(event) = events.recv_blocking() {
                let account = match event {
                    Event::NewMail {
                        account, messages, ..
                    } => {
                        pending.entry(account).or_default().extend(messages);
                        continue;
                    }
                    Event::Finished { account, .. } | Event::Failed { account, .. } => account,
                    _ => continue,
                };
                let new = pending.remove(&account).unwrap_or_default();
                update_launcher(&connection, &reader);
                if new.is_empty() || !config.enabled.load(Ordering::SeqCst) {
                    continue;
                }
                if let Err(err) = notify(&connection, &reader, account, &new, markup, &shown) {
                    tracing::warn!("the new-mail notification failed: {err}");
                }
            }
        });
    if let Err(err) = spawned {
        tracing::warn!("cannot start the notifier: {err}");
    }
}

fn capabilities(connection: &Connection) -> Vec<String> {
    connection
        .call_method(Some(SERVICE), PATH, Some(SERVICE), "GetCapabilities", &())
        .and_then(|reply| reply.body().deserialize::<Vec<String>>())
        .unwrap_or_default()
}

/// The new messages worth announcing, newest first: unread, and not filed as junk or in
/// Trash (by the user's rules or the junk filter as they arrived). Mail a rule filed in one
/// of the user's folders is announced like mail in the Inbox.
fn worth_announcing(
    reader: &Reader,
    new: &[MessageId],
) -> Result<Vec<MessageRow>, crate::store::StoreError> {
    let quiet: Vec<_> = reader
        .folders()?
        .into_iter()
        .filter(|f| matches!(f.kind, FolderKind::Junk | FolderKind::Trash))
        .map(|f| f.id)
        .collect();
    let mut rows: Vec<MessageRow> = reader
        .rows(new)?
        .into_iter()
        .filter(|row| !quiet.contains(&row.folder_id) && !row.seen)
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.sort_date));
    Ok(rows)
}

fn notify(
    connection: &Connection,
    reader: &Reader,
    account: AccountId,
    new: &[MessageId],
    markup: bool,
    shown: &Mutex<HashMap<u32, Reveal>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let rows = worth_announcing(reader, new)?;
    let name = reader
        .accounts()?
        .into_iter()
        .find(|a| a.id == account)
        .map(|a| a.settings.name)
        .unwrap_or_else(|| "Poplar".to_owned());
    let Some(text) = announce(&name, &rows, markup) else {
        return Ok(());
    };
    let mut hints: HashMap<&str, Value<'_>> = HashMap::new();
    hints.insert("desktop-entry", Value::from(APP_ID));
    hints.insert("category", Value::from("email.arrived"));
    let show = tr!("notify-show");
    let actions = vec!["default", show.as_str()];
    let reply = connection.call_method(
        Some(SERVICE),
        PATH,
        Some(SERVICE),
        "Notify",
        &(
            "Poplar",
            0u32,
            APP_ID,
            text.summary.as_str(),
            text.body.as_str(),
            actions,
            hints,
            -1i32,
        ),
    )?;
    let id: u32 = reply.body().deserialize()?;
    let reveal = Reveal::NewMail {
        account,
        message: match rows.as_slice() {
            [only] => Some(only.id),
            _ => None,
        },
    };
    if let Ok(mut shown) = shown.lock() {
        shown.insert(id, reveal);
    }
    Ok(())
}

/// Hears clicks on our notifications (their `default` action) on a thread of its own.
fn listen_for_clicks(
    connection: &Connection,
    shown: Arc<Mutex<HashMap<u32, Reveal>>>,
    sink: RevealSink,
) {
    let rule = match zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(SERVICE)
        .and_then(|r| r.member("ActionInvoked"))
    {
        Ok(rule) => rule.build(),
        Err(err) => {
            tracing::warn!("cannot listen for notification clicks: {err}");
            return;
        }
    };
    let signals = match MessageIterator::for_match_rule(rule, connection, Some(64)) {
        Ok(signals) => signals,
        Err(err) => {
            tracing::warn!("cannot listen for notification clicks: {err}");
            return;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("poplar-notify-click".into())
        .spawn(move || {
            for message in signals {
                let Ok(message) = message else { continue };
                let Ok((id, _action)) = message.body().deserialize::<(u32, String)>() else {
                    continue;
                };
                let reveal = shown.lock().ok().and_then(|mut shown| shown.remove(&id));
                if let Some(reveal) = reveal {
                    sink(reveal);
                }
            }
        });
    if let Err(err) = spawned {
        tracing::warn!("cannot listen for notification clicks: {err}");
    }
}

/// The unread count on the launcher (Unity's LauncherEntry, read by Dash to Dock, Plank,
/// KDE's task manager and others).
fn update_launcher(connection: &Connection, reader: &Reader) {
    let unread = reader.unread_in_inboxes();
    let mut properties: HashMap<&str, Value<'_>> = HashMap::new();
    properties.insert(
        "count",
        Value::from(i64::try_from(unread).unwrap_or(i64::MAX)),
    );
    properties.insert("count-visible", Value::from(unread > 0));
    let uri = format!("application://{APP_ID}.desktop");
    let sent = connection.emit_signal(
        None::<zbus::names::BusName<'_>>,
        "/io/github/poplar_mail/Poplar/launcher",
        "com.canonical.Unity.LauncherEntry",
        "Update",
        &(uri.as_str(), properties),
    );
    if let Err(err) = sent {
        tracing::debug!("the launcher count was not sent: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: MessageId, from: &str, subject: &str) -> MessageRow {
        MessageRow {
            from_name: from.to_owned(),
            from_addr: "someone@example.org".to_owned(),
            ..MessageRow::sample(id, subject, 0)
        }
    }

    #[test]
    fn one_check_is_one_announcement_listing_the_first_three_and_counting_the_rest() {
        let _turn = crate::i18n::language_lock();
        crate::i18n::set_language(crate::i18n::Language::English);
        assert_eq!(announce("GMX", &[], false), None);
        let one = announce("GMX", &[row(1, "Anna", "Lunch?")], false).expect("one");
        assert_eq!(one.summary, "1 new message from GMX");
        assert_eq!(one.body, "Anna: Lunch?");
        let rows: Vec<_> = (1..=5).map(|i| row(i, "", &format!("S{i}"))).collect();
        let five = announce("GMX", &rows, false).expect("five");
        assert_eq!(five.summary, "5 new messages from GMX");
        assert_eq!(
            five.body,
            "someone@example.org: S1\nsomeone@example.org: S2\nsomeone@example.org: S3\nand 2 more"
        );
        let marked = announce("GMX", &[row(1, "A & B <x>", "")], true).expect("markup");
        assert_eq!(marked.body, "A &amp; B &lt;x&gt;: (no subject)");
    }
}
