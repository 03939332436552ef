//! Print and Save as PDF in the window (egui_kittest). Without a print dialog on the desktop
//! the PDF is written to the private folder (user only, never executable) and handed to the
//! document viewer, and the status line says to print from there; Ctrl+P prints; File →
//! Save as PDF… asks where, suggests the subject as the name and writes the PDF there.

#[path = "support/pdf.rs"]
mod pdf;
#[path = "support/ui.rs"]
mod ui;

use std::sync::{Arc, Mutex};

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use poplar::app::dialogs::{DialogAnswer, DialogRequest, FileType, ScriptedDialogs};
use poplar::oauth::Browser;
use poplar::sync::MemorySecrets;
use ui::{click, harness, harness_with_browser, shows_text, step_until, store_with_mail};

#[derive(Default)]
struct Viewer {
    opened: Mutex<Vec<String>>,
}

impl Browser for Viewer {
    fn open(&self, url: &str) -> Result<(), String> {
        self.opened.lock().expect("lock").push(url.to_owned());
        Ok(())
    }
}

const RAW: &str = "From: Anna <anna@example.org>\r\nTo: reader@example.de\r\n\
Subject: Quarterly: report/2024\r\nDate: Tue, 05 Mar 2024 09:15:00 +0000\r\n\
Message-ID: <q@x>\r\n\r\nThe figures are in.\r\n";

#[test]
fn without_a_print_dialog_ctrl_p_opens_a_private_pdf_in_the_viewer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_mail(dir.path(), [("u1".to_owned(), RAW.as_bytes().to_vec())]);
    let viewer = Arc::new(Viewer::default());
    let mut harness =
        harness_with_browser(store, Arc::new(MemorySecrets::new()), viewer.clone(), 800.0);
    harness
        .get_all_by_label("Quarterly: report/2024")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the message", |h| {
        shows_text(h, "The figures are in.")
    });
    harness.key_press_modifiers(Modifiers::COMMAND, Key::P);
    step_until(&mut harness, "in the viewer", |h| {
        shows_text(h, "is open as a PDF in your document viewer")
    });
    let opened = viewer.opened.lock().expect("lock").clone();
    assert_eq!(opened.len(), 1, "{opened:?}");
    let path = std::path::Path::new(&opened[0]);
    assert!(path.is_absolute(), "{opened:?}");
    assert_eq!(
        path.file_name().and_then(|n| n.to_str()),
        Some("Quarterly_ report_2024.pdf"),
        "the subject, made safe"
    );
    let bytes = std::fs::read(path).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "private, never executable");
    }
    if pdf::poppler_or_skip("ctrl_p_opens_a_pdf (reading it)") {
        assert!(pdf::text(&bytes).contains("The figures are in."));
    }
    let _ = std::fs::remove_file(path);
}

#[test]
fn save_as_pdf_asks_where_and_writes_the_message_there() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("chosen.pdf");
    let dialogs = Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![
        target.clone(),
    ])]));
    let store = store_with_mail(dir.path(), [("u1".to_owned(), RAW.as_bytes().to_vec())]);
    let mut harness = harness(store, dialogs.clone());
    harness.run_steps(2);
    // Nothing to print before a message is open.
    click(&mut harness, "File");
    for label in ["Print…", "Save as PDF…"] {
        assert!(
            harness
                .get_by_label_contains(label)
                .accesskit_node()
                .is_disabled(),
            "{label} is disabled without an open message"
        );
    }
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness
        .get_all_by_label("Quarterly: report/2024")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the message", |h| {
        shows_text(h, "The figures are in.")
    });
    click(&mut harness, "File");
    click(&mut harness, "Save as PDF…");
    step_until(&mut harness, "saved", |h| {
        shows_text(h, "Saved “Quarterly: report/2024” as")
    });
    let bytes = std::fs::read(&target).expect("saved");
    assert!(bytes.starts_with(b"%PDF-"));
    let names: Vec<String> = std::fs::read_dir(out.path())
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["chosen.pdf"], "no temporary file left");
    assert_eq!(
        dialogs.asked(),
        [DialogRequest::SaveFile {
            title: "Save the message as PDF".into(),
            suggested_name: "Quarterly_ report_2024.pdf".into(),
            types: vec![FileType::new("PDF document", &["pdf"])],
        }]
    );
    if pdf::poppler_or_skip("save_as_pdf (reading it)") {
        let text = pdf::text(&bytes);
        assert!(text.contains("Quarterly: report/2024"), "{text}");
        assert!(text.contains("The figures are in."), "{text}");
    }
}
