//! The window under egui_kittest: a harness over a store, and waiting for the app's threads.
#![allow(dead_code)] // Each test file uses its own part of this.

#[path = "seed.rs"]
pub mod seed;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::account::AccountSettings;
use poplar::app::StartOptions;
use poplar::app::dialogs::{FileDialogs, ScriptedDialogs};
use poplar::store::{STORE_FILE, Writer};
use poplar::sync::{MemorySecrets, Secrets};
use poplar::ui::PoplarApp;

/// A sent message: (uidl, from, subject, date, body).
pub const MAIL: [(&str, &str, &str, &str, &str); 3] = [
    (
        "u1",
        "Anna Müller <anna@example.de>",
        "Quarterly invoice",
        "Fri, 01 Mar 2024 09:00:00 +0000",
        "Please find the invoice for March below.",
    ),
    (
        "u2",
        "Bob Stone <bob@example.org>",
        "Lunch on Friday",
        "Sat, 02 Mar 2024 12:30:00 +0000",
        "Shall we try the new noodle place?",
    ),
    (
        "u3",
        "Carla Reyes <carla@example.net>",
        "Holiday photos",
        "Sun, 03 Mar 2024 18:45:00 +0000",
        "The photos from Lisbon are online now.",
    ),
];

pub fn raw(from: &str, subject: &str, date: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: Reader <reader@example.de>\r\nSubject: {subject}\r\nDate: {date}\r\n\
         Message-ID: <{}@test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        subject.replace(' ', ".")
    )
    .into_bytes()
}

/// A store with one account and the three messages above; `false`: an empty store.
pub fn seeded_store(dir: &Path, with_mail: bool) -> PathBuf {
    if !with_mail {
        let path = dir.join(STORE_FILE);
        Writer::open(&path).expect("open the store");
        return path;
    }
    let mail = MAIL.iter().map(|(uidl, from, subject, date, body)| {
        ((*uidl).to_owned(), raw(from, subject, date, body))
    });
    store_with_mail(dir, mail)
}

/// A store in `dir` with one account (reader@example.de) holding `mail` (UIDL, raw message).
pub fn store_with_mail(dir: &Path, mail: impl IntoIterator<Item = (String, Vec<u8>)>) -> PathBuf {
    let path = dir.join(STORE_FILE);
    let mut writer = Writer::open(&path).expect("open the store");
    let settings = AccountSettings::new("Test", "reader@example.de", "pop.invalid", "reader");
    seed::add_account_with_mail(&mut writer, &settings, mail);
    path
}

/// These tests find widgets by their English labels, whatever the machine's locale (the
/// German interface has tests of its own: `ui_german.rs`).
pub fn english() {
    poplar::i18n::set_language(poplar::i18n::Language::English);
}

/// The real app over the store at `store_path`, with passwords in memory, no scheduled
/// checks and `dialogs` for file dialogs.
pub fn harness(store_path: PathBuf, dialogs: Arc<dyn FileDialogs>) -> Harness<'static, PoplarApp> {
    english();
    let options = StartOptions {
        store_path,
        secrets: Arc::new(MemorySecrets::new()),
        schedule: false,
        dialogs,
    };
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| PoplarApp::new(cc, options))
}

/// Start options with passwords from `secrets`, no scheduled checks and no file dialog, in
/// English.
fn scripted_options(store_path: PathBuf, secrets: Arc<dyn Secrets>) -> StartOptions {
    english();
    StartOptions {
        store_path,
        secrets,
        schedule: false,
        dialogs: Arc::new(ScriptedDialogs::default()),
    }
}

/// The real app as [`harness`] builds it, in a taller window (for the accounts dialog), with
/// passwords from `secrets` and no file dialog.
pub fn harness_with(store_path: PathBuf, secrets: Arc<dyn Secrets>) -> Harness<'static, PoplarApp> {
    let options = scripted_options(store_path, secrets);
    Harness::builder()
        .with_size([1280.0, 900.0])
        .build_eframe(move |cc| PoplarApp::new(cc, options))
}

/// The real app over `store_path`, with passwords from `secrets`, no file dialog, and
/// `browser` for what the window opens outside (sign-in pages, mailto: links), `height`
/// pixels tall; two frames already run.
pub fn harness_with_browser(
    store_path: PathBuf,
    secrets: Arc<dyn Secrets>,
    browser: poplar::app::signin::SharedBrowser,
    height: f32,
) -> Harness<'static, PoplarApp> {
    let options = scripted_options(store_path, secrets);
    let mut harness = Harness::builder()
        .with_size([1280.0, height])
        .build_eframe(move |cc| PoplarApp::new(cc, options).with_browser(browser));
    harness.run_steps(2);
    harness
}

/// Hovers a widget for a frame, then clicks it (a button that a list of results just pushed
/// under a resting pointer does not take a click that arrives with no hover before it).
pub fn click(harness: &mut Harness<'_, PoplarApp>, label: &str) {
    // A pointer click lands where the widget is drawn: bring it into view first (a long
    // dialog scrolls).
    harness.get_by_label(label).scroll_to_me();
    harness.run_steps(2);
    harness.get_by_label(label).hover();
    harness.run_steps(2);
    harness.get_by_label(label).click();
    harness.run_steps(2);
}

/// Clicks a text field and types into it (at the end of what it holds).
pub fn type_into(harness: &mut Harness<'_, PoplarApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(1);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

/// Replaces a text field's content.
pub fn replace(harness: &mut Harness<'_, PoplarApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

/// Steps the app until `done` holds (the engine and the view thread answer on their own
/// threads); fails with `what` after ten seconds.
pub fn step_until(
    harness: &mut Harness<'_, PoplarApp>,
    what: &str,
    done: impl Fn(&Harness<'_, PoplarApp>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        harness.step();
        if done(harness) {
            harness.step();
            return;
        }
        if Instant::now() >= deadline {
            let shown: Vec<String> = harness
                .query_all_by_label_contains("")
                .filter_map(|n| {
                    use egui_kittest::kittest::NodeT as _;
                    n.accesskit_node().label()
                })
                .collect();
            panic!("timed out waiting until {what}; shown: {shown:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

pub fn count(harness: &Harness<'_, PoplarApp>, label: &str) -> usize {
    harness.query_all_by_label(label).count()
}

pub fn shows_text(harness: &Harness<'_, PoplarApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// Which of `subjects` are shown, top to bottom (each at its first place on screen).
pub fn shown_in_order<'s>(
    harness: &Harness<'_, PoplarApp>,
    subjects: impl IntoIterator<Item = &'s str>,
) -> Vec<String> {
    let mut rows: Vec<(f32, String)> = subjects
        .into_iter()
        .filter_map(|subject| {
            harness
                .query_all_by_label(subject)
                .next()
                .map(|node| (node.rect().top(), subject.to_owned()))
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter().map(|(_, subject)| subject).collect()
}
