//! Reply, Reply all and Forward in the window (issue 17): the open message goes to the
//! user's own mail program as a mailto: URL through the desktop's opener, here a recording
//! one; the status line says it did, or why it could not.

#[path = "support/ui.rs"]
mod ui;

use std::sync::{Arc, Mutex};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::oauth::Browser;
use poplar::sync::MemorySecrets;
use poplar::ui::PoplarApp;
use ui::{click, harness_with_browser, shows_text, step_until, store_with_mail};

/// Keeps every URL it is asked to open; refuses all when `broken`.
#[derive(Default)]
struct Recorder {
    opened: Mutex<Vec<String>>,
    broken: bool,
}

impl Browser for Recorder {
    fn open(&self, url: &str) -> Result<(), String> {
        if self.broken {
            return Err("xdg-open: not found".to_owned());
        }
        self.opened.lock().expect("lock").push(url.to_owned());
        Ok(())
    }
}

const RAW: &str = "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>\r\n\
To: Reader <reader@example.de>, Anna <anna@example.com>\r\n\
Cc: bernd@example.net\r\n\
Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\
Date: Tue, 05 Mar 2024 09:15:00 +0000\r\n\
Message-ID: <gruss@example.de>\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
Bis Freitag!\r\n";

fn window(recorder: Arc<Recorder>) -> (tempfile::TempDir, Harness<'static, PoplarApp>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_mail(dir.path(), [("u1".to_owned(), RAW.as_bytes().to_vec())]);
    let mut harness = harness_with_browser(store, Arc::new(MemorySecrets::new()), recorder, 800.0);
    harness
        .get_all_by_label("Grüße")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the message opens", |h| {
        shows_text(h, "Bis Freitag!")
    });
    (dir, harness)
}

#[test]
fn reply_all_hands_a_mailto_url_to_the_mail_program_without_the_users_own_address() {
    let recorder = Arc::new(Recorder::default());
    let (_dir, mut harness) = window(Arc::clone(&recorder));
    click(&mut harness, "Reply all");
    harness.run_steps(2);
    let opened = recorder.opened.lock().expect("lock").clone();
    assert_eq!(opened.len(), 1, "{opened:?}");
    let url = &opened[0];
    assert!(url.starts_with("mailto:juergen@example.de?"), "{url}");
    assert!(
        url.contains("cc=anna%40example.com%2Cbernd%40example.net"),
        "{url}"
    );
    assert!(
        !url.contains("reader%40example.de"),
        "the user's own address: {url}"
    );
    assert!(url.contains("subject=Re%3A%20Gr%C3%BC%C3%9Fe"), "{url}");
    assert!(
        url.contains("in-reply-to=%3Cgruss%40example.de%3E"),
        "{url}"
    );
    assert!(
        url.contains("%3E%20Bis%20Freitag%21"),
        "the quoted text: {url}"
    );
    assert!(shows_text(
        &harness,
        "Your mail program opens the new message."
    ));

    click(&mut harness, "Forward");
    harness.run_steps(2);
    let opened = recorder.opened.lock().expect("lock").clone();
    assert_eq!(opened.len(), 2);
    assert!(
        opened[1].starts_with("mailto:?subject=Fwd%3A%20Gr%C3%BC%C3%9Fe"),
        "{}",
        opened[1]
    );
    assert!(opened[1].contains("Forwarded%20message"), "{}", opened[1]);
}

#[test]
fn a_mail_program_that_cannot_be_opened_is_said_in_the_status_line() {
    let recorder = Arc::new(Recorder {
        broken: true,
        ..Recorder::default()
    });
    let (_dir, mut harness) = window(recorder);
    click(&mut harness, "Reply");
    harness.run_steps(2);
    assert!(
        shows_text(
            &harness,
            "Your mail program could not be opened: xdg-open: not found"
        ),
        "the failure is shown"
    );
}
