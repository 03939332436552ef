//! The reader window, driven through egui_kittest (no GPU, no display) by accessible labels,
//! over a temporary store seeded through the `Writer`. The real app runs: the sync engine
//! (with scheduling off, so no server is ever contacted), the store's writer thread and the
//! view thread; each test waits for their answers with `step_until`.

#[path = "support/ui.rs"]
mod ui;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::account::AccountSettings;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::app::{Opened, StartOptions};
use poplar::store::{Incoming, STORE_FILE, Writer, prepare};
use poplar::sync::MemorySecrets;
use poplar::ui::PoplarApp;
use ui::{count, seeded_store, shows_text, step_until};

fn harness(store_path: PathBuf) -> Harness<'static, PoplarApp> {
    ui::harness(store_path, Arc::new(ScriptedDialogs::default()))
}

/// Clicks a message's row in the list (its subject cell: the list comes before the view).
fn click_message(harness: &mut Harness<'_, PoplarApp>, subject: &str) {
    harness
        .get_all_by_label(subject)
        .next()
        .expect("the subject is shown")
        .click();
}

/// Clicks a folder in the folder pane ("Trash", or "Trash, 1 unread").
fn click_folder(harness: &mut Harness<'_, PoplarApp>, name: &str) {
    harness
        .get_by(|node| {
            node.label()
                .is_some_and(|label| label == name || label.starts_with(&format!("{name}, ")))
        })
        .click();
}

#[test]
fn the_welcome_screen_greets_a_first_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), false));
    harness.run_steps(2);
    assert!(harness.query_by_label("Welcome to Poplar").is_some());
    harness.get_by_label("Add account").click();
    harness.run_steps(3);
    // The accounts dialog opens on a new account, with its labelled fields.
    assert!(harness.query_by_label("Incoming server").is_some());
    assert!(harness.query_by_label("User name").is_some());
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Incoming server").is_none());
    harness.get_by_label("Close").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Accounts").is_none());
    assert!(harness.query_by_label("Welcome to Poplar").is_some());
}

#[test]
fn adding_an_account_through_the_form_leaves_the_welcome_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), false));
    harness.run_steps(2);
    harness.get_by_label("Add account").click();
    harness.run_steps(3);
    // The address fills the rest from the GMX preset.
    for (field, value) in [("Email address", "anna@gmx.de"), ("Password", "secret")] {
        harness.get_by_label(field).click();
        harness.run_steps(1);
        harness.get_by_label(field).type_text(value);
        harness.run_steps(1);
    }
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the account is saved", |h| {
        h.query_by_label("Incoming server").is_none()
    });
    harness.get_by_label("Close").click();
    step_until(&mut harness, "the account shows in the folder pane", |h| {
        count(h, "GMX") == 1 && count(h, "Welcome to Poplar") == 0
    });
    assert!(
        harness
            .query_by_role_and_label(Role::Button, "All inboxes")
            .is_some()
    );
}

#[test]
fn selecting_a_message_shows_its_body_and_marks_it_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), true));
    harness.run_steps(2);
    assert!(harness.query_by_label("Inbox, 3 unread").is_some());
    click_message(&mut harness, "Quarterly invoice");
    step_until(&mut harness, "the body is shown", |h| {
        shows_text(h, "Please find the invoice for March")
    });
    assert!(shows_text(&harness, "Anna Müller <anna@example.de>"));
    step_until(&mut harness, "the message is marked read", |h| {
        h.query_by_label("Inbox, 2 unread").is_some()
    });
}

#[test]
fn typing_in_search_narrows_the_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), true));
    harness.run_steps(2);
    assert_eq!(count(&harness, "Lunch on Friday"), 1);
    // Ctrl+F goes to the search field.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(2);
    assert!(harness.get_by_label("Search").is_focused());
    harness.get_by_label("Search").type_text("lisbon");
    harness.run_steps(3);
    assert_eq!(count(&harness, "Holiday photos"), 1, "the match stays");
    assert_eq!(count(&harness, "Lunch on Friday"), 0, "the rest goes");
    assert_eq!(count(&harness, "Quarterly invoice"), 0);
    assert!(harness.query_by_label("1 found").is_some());
    // Escape in the field clears the search.
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert_eq!(count(&harness, "Lunch on Friday"), 1);
}

#[test]
fn delete_moves_to_trash_and_restore_brings_it_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), true));
    harness.run_steps(2);
    click_message(&mut harness, "Lunch on Friday");
    step_until(&mut harness, "the body is shown", |h| {
        shows_text(h, "new noodle place")
    });
    harness.key_press(Key::Delete);
    step_until(&mut harness, "the message leaves the inbox", |h| {
        count(h, "Lunch on Friday") == 0
    });
    // The next message took its place in the view.
    assert!(harness.query_by_label("2 messages").is_some());

    click_folder(&mut harness, "Trash");
    step_until(&mut harness, "the Trash shows it", |h| {
        count(h, "Lunch on Friday") >= 1
    });
    click_message(&mut harness, "Lunch on Friday");
    step_until(&mut harness, "it opens in the Trash", |h| {
        shows_text(h, "new noodle place")
    });
    harness
        .get_all_by_label("↩ Restore")
        .next()
        .expect("Restore")
        .click();
    step_until(&mut harness, "the Trash is empty", |h| {
        count(h, "Lunch on Friday") == 0
    });
    click_folder(&mut harness, "Inbox");
    step_until(&mut harness, "the inbox has it again", |h| {
        count(h, "Lunch on Friday") == 1 && h.query_by_label("3 messages").is_some()
    });
}

#[test]
fn keys_move_the_selection_and_open_each_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), true));
    harness.run_steps(2);
    // Newest first: Holiday photos, Lunch on Friday, Quarterly invoice.
    harness.key_press(Key::ArrowDown);
    step_until(&mut harness, "the first message opens", |h| {
        shows_text(h, "photos from Lisbon")
    });
    harness.key_press(Key::J);
    step_until(&mut harness, "j moves down", |h| {
        shows_text(h, "new noodle place")
    });
    harness.key_press(Key::ArrowDown);
    step_until(&mut harness, "down moves down", |h| {
        shows_text(h, "invoice for March")
    });
    harness.key_press(Key::ArrowDown);
    harness.run_steps(3);
    assert!(shows_text(&harness, "invoice for March"), "the end stops");
    harness.key_press(Key::K);
    step_until(&mut harness, "k moves up", |h| {
        shows_text(h, "new noodle place")
    });
    harness.key_press(Key::ArrowUp);
    step_until(&mut harness, "up moves up", |h| {
        shows_text(h, "photos from Lisbon")
    });
}

#[test]
fn clicking_a_header_sorts_and_again_reverses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), true));
    harness.run_steps(2);
    let order = |h: &Harness<'_, PoplarApp>| -> Vec<String> {
        let subjects = ["Quarterly invoice", "Lunch on Friday", "Holiday photos"];
        let mut found: Vec<(f32, String)> = subjects
            .iter()
            .filter_map(|s| {
                h.query_all_by_label(s)
                    .next()
                    .map(|n| (n.rect().min.y, (*s).to_owned()))
            })
            .collect();
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
        found.into_iter().map(|(_, s)| s).collect()
    };
    assert_eq!(
        order(&harness),
        ["Holiday photos", "Lunch on Friday", "Quarterly invoice"]
    );
    // Senders: Anna, Bob, Carla.
    harness.get_by_label("Sender").click();
    harness.run_steps(3);
    assert_eq!(
        order(&harness),
        ["Quarterly invoice", "Lunch on Friday", "Holiday photos"],
        "A to Z"
    );
    harness.get_by_label_contains("Sender").click();
    harness.run_steps(3);
    assert_eq!(
        order(&harness),
        ["Holiday photos", "Lunch on Friday", "Quarterly invoice"],
        "Z to A"
    );
}

/// Every message of the test fixtures opens and is laid out without a panic: walked with
/// the Down key, each body (and, for a few, the source) is shown before moving on.
#[test]
fn every_fixture_message_opens_without_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = ui::seed::fixtures();
    assert!(fixtures.len() > 200, "the fixtures are there");
    let mail = fixtures.into_iter().enumerate();
    let path = ui::store_with_mail(dir.path(), mail.map(|(n, raw)| (format!("u{n}"), raw)));

    let options = StartOptions {
        store_path: path,
        secrets: Arc::new(MemorySecrets::new()),
        schedule: false,
        dialogs: Arc::new(poplar::app::dialogs::ScriptedDialogs::default()),
    };
    // Real-world mail has scripts the bundled fonts lack: tofu, as users would see it.
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .allow_missing_glyphs()
        .build_eframe(move |cc| PoplarApp::new(cc, options));
    harness.run_steps(2);
    let total = harness
        .state()
        .state()
        .map(|s| s.list().len())
        .expect("the app started");
    assert!(total > 150, "{total} messages listed");
    let opened_selected = |h: &Harness<'_, PoplarApp>| {
        h.state().state().is_ok_and(|s| match s.opened() {
            Opened::Ready(message) => Some(message.row.id) == s.list().selected(),
            _ => false,
        })
    };
    for index in 0..total {
        harness.key_press(Key::ArrowDown);
        step_until(
            &mut harness,
            &format!("message {index} opens"),
            opened_selected,
        );
    }
}

#[test]
fn an_html_mail_with_remote_images_and_css_makes_no_request() {
    // A listener standing in for the tracking server: it counts every connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listener");
    let port = listener.local_addr().expect("addr").port();
    listener.set_nonblocking(true).expect("nonblocking");
    let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = Arc::clone(&requests);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let watcher = std::thread::spawn(move || {
        while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
            if listener.accept().is_ok() {
                counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let html = format!(
        "<html><head><link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/style.css\">\
         <style>@import url(http://127.0.0.1:{port}/import.css); body {{ background: \
         url(http://127.0.0.1:{port}/bg.png) }}</style>\
         <link rel=\"prefetch\" href=\"http://127.0.0.1:{port}/prefetch\"></head>\
         <body><p>Our autumn offers are here.</p>\
         <img src=\"http://127.0.0.1:{port}/pixel.gif\" width=\"1\" height=\"1\">\
         <img src=\"http://127.0.0.1:{port}/banner.png\" alt=\"Banner\"></body></html>"
    );
    let raw = format!(
        "From: Shop <news@shop.example>\r\nTo: reader@example.de\r\nSubject: Autumn offers\r\n\
         Date: Mon, 04 Mar 2024 08:00:00 +0000\r\nMessage-ID: <html@test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STORE_FILE);
    {
        let mut writer = Writer::open(&path).expect("open the store");
        let settings = AccountSettings::new("Test", "reader@example.de", "pop.invalid", "reader");
        let account = writer
            .add_account(&settings, 1_700_000_000)
            .expect("account");
        let incoming = Incoming {
            uidl: "html".into(),
            raw: raw.into_bytes(),
            partial: false,
            fetched_at: 1_700_000_000,
            server: "pop.invalid".into(),
            tls_version: None,
        };
        writer
            .ingest(account, vec![prepare(incoming)])
            .expect("ingest");
    }
    let mut harness = harness(path);
    harness.run_steps(2);
    click_message(&mut harness, "Autumn offers");
    step_until(&mut harness, "the HTML body is shown as text", |h| {
        shows_text(h, "Our autumn offers are here.")
    });
    // Give anything that would fetch in the background time to try.
    for _ in 0..50 {
        harness.step();
        std::thread::sleep(Duration::from_millis(4));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    watcher.join().expect("watcher");
    assert_eq!(
        requests.load(std::sync::atomic::Ordering::Relaxed),
        0,
        "showing the mail reached the network"
    );
}

#[test]
fn a_failed_check_says_why_in_words_and_offers_retry_and_edit_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(seeded_store(dir.path(), true));
    harness.run_steps(3);
    // The seeded account's server does not exist (and no password is known): F5 fails.
    harness.key_press(Key::F5);
    step_until(&mut harness, "the check failed", |h| {
        h.query_by_label("⚠ Check failed").is_some()
    });
    assert!(harness.query_by_label("Retry").is_some());
    // What happened, in words, with what to do.
    assert!(
        shows_text(&harness, "Poplar has no password for Test"),
        "the failure is explained"
    );
    assert!(
        shows_text(&harness, "Test: no password"),
        "the status bar names the failure, not just that it failed"
    );
    // The error itself, with the server's reply where there is one, is a click away.
    let details = match harness.state().state().expect("state").status(1) {
        poplar::app::AccountStatus::Failed { error, .. } => error,
        other => panic!("{other:?}"),
    };
    assert!(!shows_text(&harness, &details), "folded away at first");
    harness
        .get_by_label("The server's reply and the details")
        .click();
    harness.run_steps(3);
    assert!(shows_text(&harness, &details), "{details}");
    harness.get_by_label("Edit account").click();
    step_until(&mut harness, "the account's settings are open", |h| {
        h.state().state().is_ok_and(|s| s.accounts_dialog_open())
    });
    let server = harness
        .get_by_label("Incoming server")
        .value()
        .unwrap_or_default();
    assert_eq!(server, "pop.invalid", "the editor shows the failed account");
}
