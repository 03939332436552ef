//! New-mail notifications, end to end: the real window (under egui_kittest) checks a real
//! Dovecot, and its notifier talks to a notification service on a private D-Bus session bus
//! that records what it is sent and clicks what the test tells it to.
//!
//! Skipped (with the reason) where Dovecot or dbus-daemon is missing, unless
//! `POPLAR_REQUIRE_DOVECOT=1` / `POPLAR_REQUIRE_DESKTOP=1` (as in CI).

#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/dovecot_store.rs"]
mod dovecot_store;
#[path = "support/session_bus.rs"]
mod session_bus;
#[path = "support/ui.rs"]
mod ui;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dovecot::{Dovecot, Options};
use dovecot_store::store_for;
use egui::Key;
use egui_kittest::Harness;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::app::{Opened, StartOptions};
use poplar::desktop::notify::Bus;
use poplar::desktop::settings::DesktopSettings;
use poplar::store::{FolderKind, ListView};
use poplar::sync::MemorySecrets;
use poplar::ui::{DesktopOptions, PoplarApp};
use session_bus::{NotificationService, SessionBus};
use ui::{click, step_until};
use zbus::zvariant::OwnedValue;

fn message(subject: &str, from: &str) -> Vec<u8> {
    format!(
        "From: {from}\nTo: user1@localhost\nSubject: {subject}\nDate: Tue, 01 Dec 2026 10:00:00 +0100\n\
         Message-ID: <{}@test>\n\nHello.\n",
        subject.replace(' ', ".")
    )
    .into_bytes()
}

fn harness(store_path: PathBuf, bus: &SessionBus, data_dir: &Path) -> Harness<'static, PoplarApp> {
    ui::english();
    let options = StartOptions {
        store_path,
        secrets: Arc::new(MemorySecrets::new()),
        schedule: false,
        dialogs: Arc::new(ScriptedDialogs::default()),
    };
    let desktop = DesktopOptions {
        data_dir: Some(data_dir.to_path_buf()),
        notifications: Some(Bus::Address(bus.address.clone())),
        ..DesktopOptions::none()
    };
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| PoplarApp::with_desktop(cc, options, desktop))
}

/// Presses F5 (check now) and waits until the check reports `result`.
fn check(harness: &mut Harness<'_, PoplarApp>, result: &str) {
    harness.key_press(Key::F5);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        let last = harness
            .state()
            .state()
            .expect("state")
            .last_result()
            .map(str::to_owned);
        if last.as_deref().is_some_and(|l| l.starts_with(result)) {
            break;
        }
        assert!(Instant::now() < deadline, "no {result:?}; last: {last:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits until the service has `n` notifications (the notifier runs on its own thread).
fn wait_for(service: &NotificationService, n: usize) {
    session_bus::wait_until(
        &format!("{n} notifications came"),
        Duration::from_secs(10),
        || service.received().len() >= n,
    );
}

/// The Unity launcher entry signals on the bus (docks show their count as a badge).
fn launcher_updates(bus: &SessionBus) -> zbus::blocking::MessageIterator {
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("com.canonical.Unity.LauncherEntry")
        .expect("interface")
        .member("Update")
        .expect("member")
        .build();
    zbus::blocking::MessageIterator::for_match_rule(rule, &bus.connect(), Some(16))
        .expect("listen for launcher updates")
}

/// The next launcher update: (count, count-visible), for our desktop entry.
fn next_launcher_count(updates: &mut zbus::blocking::MessageIterator) -> (i64, bool) {
    let message = updates
        .next()
        .expect("a launcher update")
        .expect("a message");
    let (uri, properties): (String, HashMap<String, OwnedValue>) =
        message.body().deserialize().expect("the Update signature");
    assert_eq!(
        uri,
        format!("application://{}.desktop", poplar::desktop::APP_ID)
    );
    let count = i64::try_from(properties["count"].clone()).expect("count");
    let visible = bool::try_from(properties["count-visible"].clone()).expect("visible");
    (count, visible)
}

/// Long enough for a notification that should not come to have come.
fn settle() {
    std::thread::sleep(Duration::from_millis(500));
}

#[test]
fn a_check_with_new_mail_is_one_notification_and_nothing_new_or_switched_off_is_none() {
    let name = "a_check_with_new_mail_is_one_notification_and_nothing_new_or_switched_off_is_none";
    let Some(bus) = SessionBus::start_or_skip(name) else {
        return;
    };
    let Some(server) = Dovecot::start_or_skip_with(name, Options::new().fast_stop(true)) else {
        return;
    };
    let service = NotificationService::start(&bus);
    let mut launcher = launcher_updates(&bus);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_for(&server, dir.path());
    server.deliver(
        "user1",
        &[
            message("Quarterly invoice", "Anna Müller <anna@example.de>"),
            message("Lunch on Friday", "Bob Stone <bob@example.org>"),
            message("Holiday photos", "Carla Reyes <carla@example.net>"),
        ],
    );
    let mut harness = harness(store, &bus, dir.path());
    harness.run_steps(3);

    check(&mut harness, "Test: 3 new messages");
    wait_for(&service, 1);
    settle();
    let sent = service.received();
    assert_eq!(sent.len(), 1, "one notification per check: {sent:?}");
    let first = &sent[0];
    assert_eq!(first.summary, "3 new messages from Test");
    for line in [
        "Anna Müller: Quarterly invoice",
        "Bob Stone: Lunch on Friday",
        "Carla Reyes: Holiday photos",
    ] {
        assert!(first.body.contains(line), "{line:?} in {:?}", first.body);
    }
    assert_eq!(first.app_name, "Poplar");
    assert_eq!(first.app_icon, poplar::desktop::APP_ID);
    assert_eq!(
        first.desktop_entry.as_deref(),
        Some(poplar::desktop::APP_ID)
    );
    assert!(first.actions.iter().any(|a| a == "default"));

    // The launcher's badge: 3 unread.
    assert_eq!(next_launcher_count(&mut launcher), (3, true));

    // Nothing new: no notification.
    check(&mut harness, "Test: no new mail");
    settle();
    assert_eq!(service.received().len(), 1);

    // Clicking it brings the window forward on the account's inbox.
    let inbox = harness
        .state()
        .state()
        .expect("state")
        .folders()
        .iter()
        .find(|f| f.kind == FolderKind::Inbox)
        .expect("the inbox")
        .id;
    assert_eq!(harness.state().times_raised(), 0);
    service.click(first.id);
    step_until(&mut harness, "the click raised the window", |h| {
        h.state().times_raised() == 1
    });
    assert_eq!(
        harness.state().state().expect("state").list().view(),
        ListView::Folder(inbox)
    );

    // Switched off in the Settings dialog: mail arrives, nothing is announced.
    click(&mut harness, "File");
    click(&mut harness, "Settings…");
    click(&mut harness, "Show a notification when new mail arrives");
    assert!(!DesktopSettings::load(dir.path()).notify_new_mail);
    server.deliver("user1", &[message("Quiet one", "Dora <dora@example.de>")]);
    check(&mut harness, "Test: 1 new message");
    settle();
    assert_eq!(service.received().len(), 1, "switched off, yet notified");

    // On again: one new message is announced, and a click opens that very message.
    click(&mut harness, "Show a notification when new mail arrives");
    assert!(DesktopSettings::load(dir.path()).notify_new_mail);
    // Beside it, mail the provider marked as spam: filed as junk, and never announced.
    let mut spam = message("Cheap watches", "Spammer <win@example.com>");
    spam.splice(0..0, b"X-Spam-Flag: YES\n".iter().copied());
    server.deliver(
        "user1",
        &[message("Concert tickets", "Emil <emil@example.de>"), spam],
    );
    check(&mut harness, "Test: 2 new messages");
    wait_for(&service, 2);
    let second = service.received()[1].clone();
    assert_eq!(second.summary, "1 new message from Test");
    assert_eq!(second.body, "Emil: Concert tickets");
    service.click(second.id);
    step_until(&mut harness, "the message opened", |h| {
        h.state().times_raised() == 2
            && match h.state().state().expect("state").opened() {
                Opened::Ready(m) => m.row.subject == "Concert tickets",
                Opened::Loading(row) => row.subject == "Concert tickets",
                _ => false,
            }
    });
}
