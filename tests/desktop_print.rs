//! Print through the desktop's print dialog: the print portal (`org.freedesktop.portal.Print`)
//! on a private D-Bus session bus, played by a test service that records the dialog it was
//! asked to show and the document it was handed. The window's Print sends the open message
//! there as a PDF; a cancelled dialog prints nothing; without a portal the caller is told to
//! print another way.
//!
//! Skipped (with the reason) where dbus-daemon is missing, unless `POPLAR_REQUIRE_DESKTOP=1`
//! (as in CI).

#[path = "support/pdf.rs"]
mod pdf;
#[path = "support/session_bus.rs"]
mod session_bus;
#[path = "support/ui.rs"]
mod ui;

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::StartOptions;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::desktop::notify::Bus;
use poplar::desktop::print::{PortalError, Printed, print_pdf};
use poplar::sync::MemorySecrets;
use poplar::ui::{DesktopOptions, PoplarApp};
use session_bus::{DialogChoice, PrintCall, PrintPortal, SessionBus, TEST_PRINT_TOKEN};
use ui::{shows_text, step_until, store_with_mail};

#[test]
fn the_portal_shows_the_dialog_then_prints_the_document_with_its_token() {
    let Some(bus) = SessionBus::start_or_skip("portal_prints") else {
        return;
    };
    let portal = PrintPortal::start(&bus, DialogChoice::Print);
    let document = b"%PDF-1.7\nnot really a PDF, but bytes to pass on\n".to_vec();
    let result = print_pdf(&Bus::Address(bus.address.clone()), "Grüße", &document);
    assert_eq!(result, Ok(Printed::Sent));
    assert_eq!(
        portal.calls(),
        vec![
            PrintCall::Prepare {
                title: "Grüße".into()
            },
            PrintCall::Print {
                title: "Grüße".into(),
                token: Some(TEST_PRINT_TOKEN),
                document,
            },
        ]
    );
}

#[test]
fn a_cancelled_print_dialog_prints_nothing() {
    let Some(bus) = SessionBus::start_or_skip("cancelled_dialog") else {
        return;
    };
    let portal = PrintPortal::start(&bus, DialogChoice::Cancel);
    let result = print_pdf(&Bus::Address(bus.address.clone()), "x", b"%PDF-1.7\n");
    assert_eq!(result, Ok(Printed::Cancelled));
    assert_eq!(
        portal.calls(),
        vec![PrintCall::Prepare { title: "x".into() }]
    );
}

#[test]
fn without_a_print_portal_the_caller_is_told_to_print_another_way() {
    let Some(bus) = SessionBus::start_or_skip("no_portal") else {
        return;
    };
    let result = print_pdf(&Bus::Address(bus.address.clone()), "x", b"%PDF-1.7\n");
    assert!(
        matches!(result, Err(PortalError::Unavailable(_))),
        "{result:?}"
    );
}

const RAW: &str = "From: Anna <anna@example.org>\r\nTo: reader@example.de\r\n\
Subject: Print me\r\nDate: Tue, 05 Mar 2024 09:15:00 +0000\r\nMessage-ID: <p@x>\r\n\r\n\
Liebe Grüße aus dem Drucker.\r\n";

fn window(
    store: std::path::PathBuf,
    bus: &SessionBus,
    data: &std::path::Path,
) -> Harness<'static, PoplarApp> {
    ui::english();
    let options = StartOptions {
        store_path: store,
        secrets: Arc::new(MemorySecrets::new()),
        schedule: false,
        dialogs: Arc::new(ScriptedDialogs::default()),
    };
    let desktop = DesktopOptions {
        data_dir: Some(data.to_path_buf()),
        print: Some(Bus::Address(bus.address.clone())),
        ..DesktopOptions::none()
    };
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| PoplarApp::with_desktop(cc, options, desktop));
    harness.run_steps(2);
    harness
}

#[test]
fn print_in_the_window_hands_the_open_message_to_the_print_dialog_as_a_pdf() {
    let Some(bus) = SessionBus::start_or_skip("window_prints") else {
        return;
    };
    let portal = PrintPortal::start(&bus, DialogChoice::Print);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with_mail(dir.path(), [("u1".to_owned(), RAW.as_bytes().to_vec())]);
    let mut harness = window(store, &bus, dir.path());
    harness
        .get_all_by_label("Print me")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the message", |h| {
        shows_text(h, "Liebe Grüße aus dem Drucker.")
    });
    harness.get_by_label("Print…").click();
    step_until(&mut harness, "printed", |h| {
        shows_text(h, "“Print me” went to the printer.")
    });
    let documents = portal.documents();
    assert_eq!(documents.len(), 1, "one document");
    assert!(documents[0].starts_with(b"%PDF-"), "a PDF");
    assert!(
        matches!(&portal.calls()[0], PrintCall::Prepare { title } if title == "Print me"),
        "{:?}",
        portal.calls()
    );
    if pdf::poppler_or_skip("window_prints (reading the PDF)") {
        let text = pdf::text(&documents[0]);
        assert!(text.contains("Liebe Grüße aus dem Drucker."), "{text}");
        assert!(text.contains("anna@example.org"), "{text}");
    }
}
