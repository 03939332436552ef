//! Open for an attachment (egui_kittest): the file goes to a private folder, readable by
//! the user only and never executable, and the desktop's opener (here a recording one) gets
//! its path; a script is not opened, and the status line says why.

#[path = "support/ui.rs"]
mod ui;

use std::sync::{Arc, Mutex};

use egui_kittest::kittest::Queryable as _;
use poplar::oauth::Browser;
use poplar::sync::MemorySecrets;
use ui::{harness_with_browser, shows_text, step_until, store_with_mail};

#[derive(Default)]
struct Recorder {
    opened: Mutex<Vec<String>>,
}

impl Browser for Recorder {
    fn open(&self, url: &str) -> Result<(), String> {
        self.opened.lock().expect("lock").push(url.to_owned());
        Ok(())
    }
}

const RAW: &str = "From: Anna <anna@example.org>\r\nTo: reader@example.de\r\n\
Subject: Two files\r\nDate: Tue, 05 Mar 2024 09:15:00 +0000\r\nMessage-ID: <two@x>\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nSee the files.\r\n\
--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"report.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n\
--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"setup.sh\"\r\n\r\n\
#!/bin/sh\r\necho hi\r\n--b--\r\n";

#[test]
fn open_hands_a_private_copy_to_the_opener_and_never_a_script() {
    ui::english();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_mail(dir.path(), [("u1".to_owned(), RAW.as_bytes().to_vec())]);
    let recorder = Arc::new(Recorder::default());
    let mut harness = harness_with_browser(
        store,
        Arc::new(MemorySecrets::new()),
        recorder.clone(),
        900.0,
    );
    harness
        .get_all_by_label("Two files")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the message", |h| {
        shows_text(h, "See the files.")
    });

    harness.get_by_label_contains("Open report.pdf").click();
    step_until(&mut harness, "opened", |h| {
        shows_text(h, "Opened report.pdf with the system's program.")
    });
    let opened = recorder.opened.lock().expect("lock").clone();
    assert_eq!(opened.len(), 1, "{opened:?}");
    let path = std::path::Path::new(&opened[0]);
    assert_eq!(
        path.file_name().and_then(|n| n.to_str()),
        Some("report.pdf")
    );
    assert_eq!(std::fs::read(path).expect("the copy"), b"%PDF-1.4\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "private, never executable");
        let folder = std::fs::metadata(path.parent().expect("folder"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(folder & 0o077, 0, "the folder is the user's alone");
    }
    let _ = std::fs::remove_file(path);

    harness.get_by_label_contains("Open setup.sh").click();
    step_until(&mut harness, "refused", |h| {
        shows_text(h, "setup.sh was not opened")
    });
    assert_eq!(
        recorder.opened.lock().expect("lock").len(),
        1,
        "the script was not opened"
    );
}
