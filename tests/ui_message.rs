//! The message view through egui_kittest, by accessible labels: HTML drawn with its
//! formatting and its remote images blocked, links as links, inline images shown, the
//! attachment bar saving through (scripted) file dialogs or a path field, and a long message
//! shown in parts.

#[path = "support/ui.rs"]
mod ui;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use egui::Modifiers;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::Opened;
use poplar::app::dialogs::{DialogAnswer, DialogRequest, FileDialogs, ScriptedDialogs};
use poplar::ui::PoplarApp;
use ui::{shows_text, step_until};

/// A message with these extra header lines and this body.
fn mail(subject: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Anna Müller <anna@example.de>\r\nTo: reader@example.de\r\nSubject: {subject}\r\n\
         Date: Fri, 01 Mar 2024 09:00:00 +0000\r\nMessage-ID: <{}@test>\r\nMIME-Version: 1.0\r\n\
         {headers}\r\n\r\n{body}\r\n",
        subject.replace(' ', ".")
    )
    .into_bytes()
}

/// A store in `dir` with one account holding `messages` (UIDLs u0, u1, …).
fn store_with(dir: &Path, messages: Vec<Vec<u8>>) -> PathBuf {
    let mail = messages.into_iter().enumerate();
    ui::store_with_mail(dir, mail.map(|(n, raw)| (format!("u{n}"), raw)))
}

/// Opens the window over one message and waits until it is shown.
fn open_one(
    dir: &Path,
    raw: Vec<u8>,
    subject: &str,
    dialogs: Arc<dyn FileDialogs>,
) -> Harness<'static, PoplarApp> {
    let mut harness = ui::harness(store_with(dir, vec![raw]), dialogs);
    harness.run_steps(2);
    harness
        .get_all_by_label(subject)
        .next()
        .expect("the subject is listed")
        .click();
    step_until(&mut harness, "the message is open", |h| {
        h.state()
            .state()
            .is_ok_and(|s| matches!(s.opened(), Opened::Ready(_)))
    });
    harness.run_steps(2);
    harness
}

fn notices(harness: &Harness<'_, PoplarApp>) -> Vec<(String, bool)> {
    harness
        .state()
        .state()
        .map(|s| {
            s.notices()
                .iter()
                .map(|n| (n.text.clone(), n.error))
                .collect()
        })
        .unwrap_or_default()
}

fn base64_lines(bytes: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(bytes);
    let lines: Vec<&str> = text
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    lines.join("\r\n")
}

/// Every byte value, so that a save that is not byte-exact shows.
fn binary() -> Vec<u8> {
    (0..=255u8).cycle().take(3000).collect()
}

/// A message with attachments given as (file name, bytes).
fn with_attachments(subject: &str, files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = String::from(
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe files are attached.\r\n",
    );
    for (name, bytes) in files {
        body.push_str(&format!(
            "--b\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            base64_lines(bytes)
        ));
    }
    body.push_str("--b--");
    mail(
        subject,
        "Content-Type: multipart/mixed; boundary=\"b\"",
        &body,
    )
}

/// The files in `dir`, sorted by name.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_html_mail_is_formatted_and_its_remote_images_are_blocked() {
    let html = "<html><head><style>h1 { color: red }</style></head><body>\
                <h1>Autumn sale</h1><p>Everything <b>half price</b> this week.</p>\
                <ul><li>Apples</li><li>Pears</li></ul>\
                <blockquote>Best shop in town</blockquote>\
                <table><tr><th>Item</th><th>Price</th></tr><tr><td>Tea</td><td>3 €</td></tr></table>\
                <img src=\"http://127.0.0.1:9/pixel.gif\" width=\"1\" height=\"1\">\
                <img src=\"https://127.0.0.1:9/banner.png\" alt=\"Banner\"></body></html>";
    let raw = mail(
        "Autumn sale",
        "Content-Type: text/html; charset=utf-8",
        html,
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let harness = open_one(
        dir.path(),
        raw,
        "Autumn sale",
        Arc::new(ScriptedDialogs::default()),
    );
    assert!(shows_text(&harness, "Remote images blocked (2 images)"));
    for text in [
        "half price",
        "Apples",
        "Pears",
        "Best shop in town",
        "Item",
        "3 €",
        "[Banner]",
    ] {
        assert!(shows_text(&harness, text), "{text} is shown");
    }
    assert!(
        !shows_text(&harness, "color: red"),
        "style sheets are not text"
    );
    // No image loader at all (no http, no file): nothing can turn a URL into a picture.
    let loaders = harness.ctx.loaders();
    assert_eq!(loaders.image.lock().len(), 0, "image loaders installed");
    assert_eq!(
        loaders.bytes.lock().len(),
        1,
        "only egui's own include:// bytes"
    );
    // A plain-text mail has no such notice.
    let plain = mail("Plain", "Content-Type: text/plain", "Just words.");
    let dir = tempfile::tempdir().expect("tempdir");
    let harness = open_one(
        dir.path(),
        plain,
        "Plain",
        Arc::new(ScriptedDialogs::default()),
    );
    assert!(shows_text(&harness, "Just words."));
    assert!(!shows_text(&harness, "Remote images blocked"));
}

#[test]
fn links_are_links() {
    let text = "Docs: https://example.org/docs and www.example.com.\r\n\
                > quoted https://example.net/q\r\n";
    let raw = mail("Links", "Content-Type: text/plain; charset=utf-8", text);
    let dir = tempfile::tempdir().expect("tempdir");
    let harness = open_one(
        dir.path(),
        raw,
        "Links",
        Arc::new(ScriptedDialogs::default()),
    );
    for label in [
        "https://example.org/docs",
        "www.example.com",
        "https://example.net/q",
    ] {
        assert!(
            harness.query_by_role_and_label(Role::Link, label).is_some(),
            "{label} is a link"
        );
    }
    assert!(
        harness
            .query_by_role_and_label(Role::Link, "Docs:")
            .is_none()
    );

    let html = "<p>Read <a href=\"https://example.org/guide\">the guide</a> or \
                <a href=\"javascript:alert(1)\">this</a>.</p>";
    let raw = mail("Guide", "Content-Type: text/html", html);
    let dir = tempfile::tempdir().expect("tempdir");
    let harness = open_one(
        dir.path(),
        raw,
        "Guide",
        Arc::new(ScriptedDialogs::default()),
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Link, "the guide")
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Link, "this")
            .is_none(),
        "a javascript: link is only text"
    );
    assert!(shows_text(&harness, "this"));
}

#[test]
fn an_inline_cid_image_is_shown_and_not_listed_as_an_attachment() {
    let mut png = Vec::new();
    image::RgbaImage::from_pixel(40, 20, image::Rgba([200, 30, 30, 255]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode");
    let body = format!(
        "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p>Our logo:</p><img src=\"cid:logo@shop\" alt=\"Shop logo\">\r\n\
         --r\r\nContent-Type: image/png; name=logo.png\r\nContent-ID: <logo@shop>\r\n\
         Content-Disposition: inline; filename=logo.png\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--r--",
        base64_lines(&png)
    );
    let raw = mail(
        "Logo",
        "Content-Type: multipart/related; boundary=\"r\"",
        &body,
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let harness = open_one(
        dir.path(),
        raw,
        "Logo",
        Arc::new(ScriptedDialogs::default()),
    );
    assert!(
        harness
            .query_by_role_and_label(Role::Image, "Shop logo")
            .is_some()
    );
    assert!(
        harness.query_by_label("Save").is_none(),
        "no attachment bar"
    );
    assert!(!shows_text(&harness, "Remote images blocked"));
}

#[test]
fn save_writes_the_exact_bytes_where_the_dialog_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("chosen.bin");
    let dialogs = Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![
        target.clone(),
    ])]));
    let bytes = binary();
    let raw = with_attachments("Report", &[("../secret:report.pdf", &bytes)]);
    let mut harness = open_one(dir.path(), raw, "Report", dialogs.clone());
    // The name is made safe before it is shown or suggested.
    assert!(shows_text(&harness, "_secret_report.pdf"));
    assert!(shows_text(&harness, "application/octet-stream, 3 KB"));
    assert!(
        harness.query_by_label("Save all").is_none(),
        "one attachment"
    );
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the file is saved", |h| {
        notices(h).iter().any(|(text, _)| text.starts_with("Saved"))
    });
    assert_eq!(std::fs::read(&target).expect("saved"), bytes);
    assert_eq!(
        names_in(out.path()),
        ["chosen.bin"],
        "no temporary file left"
    );
    assert_eq!(
        dialogs.asked(),
        [DialogRequest::SaveFile {
            title: "Save attachment".into(),
            suggested_name: "_secret_report.pdf".into(),
            types: Vec::new(),
        }]
    );
}

#[test]
fn save_all_writes_every_file_into_the_folder_without_overwriting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    std::fs::write(out.path().join("notes.txt"), b"mine").expect("write");
    let dialogs = Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![
        out.path().to_path_buf(),
    ])]));
    let raw = with_attachments(
        "Two files",
        &[
            ("notes.txt", b"first"),
            ("notes.txt", b"second"),
            ("data.bin", &binary()),
        ],
    );
    let mut harness = open_one(dir.path(), raw, "Two files", dialogs.clone());
    harness.get_by_label("Save all").click();
    step_until(&mut harness, "the files are saved", |h| {
        notices(h)
            .iter()
            .any(|(text, _)| text.starts_with("Saved 3 attachments"))
    });
    assert_eq!(
        names_in(out.path()),
        ["data.bin", "notes (2).txt", "notes (3).txt", "notes.txt"]
    );
    let read = |name: &str| std::fs::read(out.path().join(name)).expect(name);
    assert_eq!(read("notes.txt"), b"mine", "an existing file is kept");
    assert_eq!(read("notes (2).txt"), b"first");
    assert_eq!(read("notes (3).txt"), b"second");
    assert_eq!(read("data.bin"), binary());
    assert!(matches!(
        dialogs.asked().as_slice(),
        [DialogRequest::PickFolder { .. }]
    ));
}

#[test]
fn a_save_that_cannot_be_written_says_so_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("gone").join("file.bin");
    let dialogs = Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![target])]));
    let raw = with_attachments("Broken", &[("file.bin", b"data")]);
    let mut harness = open_one(dir.path(), raw, "Broken", dialogs);
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the error is reported", |h| {
        notices(h).iter().any(|(_, error)| *error)
    });
    let (text, _) = notices(&harness).pop().expect("a notice");
    assert!(text.starts_with("Cannot save file.bin: "), "{text}");
    assert!(names_in(out.path()).is_empty());
}

#[test]
fn without_a_file_dialog_a_path_field_saves_the_attachment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("tempdir");
    let target = out.path().join("typed.bin");
    let bytes = binary();
    let raw = with_attachments("Typed", &[("file.bin", &bytes)]);
    let mut harness = open_one(
        dir.path(),
        raw,
        "Typed",
        Arc::new(ScriptedDialogs::unavailable()),
    );
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    harness.get_by_label("Save to").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness
        .get_by_label("Save to")
        .type_text(target.to_str().expect("utf8"));
    harness.run_steps(2);
    harness.get_by_label("Save here").click();
    step_until(&mut harness, "the typed path is written", |_| {
        target.exists()
    });
    step_until(&mut harness, "the notice says so", |h| {
        notices(h).iter().any(|(text, _)| text.starts_with("Saved"))
    });
    assert_eq!(std::fs::read(&target).expect("saved"), bytes);
    assert!(
        harness.query_by_label("Save here").is_none(),
        "the field is gone"
    );
}

#[test]
fn the_path_field_closes_when_another_message_is_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_with(
        dir.path(),
        vec![
            with_attachments("First", &[("a.bin", b"a")]),
            mail("Second", "Content-Type: text/plain", "No files here."),
        ],
    );
    let mut harness = ui::harness(store, Arc::new(ScriptedDialogs::unavailable()));
    harness.run_steps(2);
    harness
        .get_all_by_label("First")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the first message is open", |h| {
        h.query_by_label("Save").is_some()
    });
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Save to").is_some());
    harness
        .get_all_by_label("Second")
        .next()
        .expect("listed")
        .click();
    step_until(&mut harness, "the second message is shown", |h| {
        shows_text(h, "No files here.")
    });
    assert!(harness.query_by_label("Save to").is_none());
    assert!(harness.query_by_label("Save here").is_none());
}

#[test]
fn a_megabyte_of_html_is_shown_in_parts_and_frames_stay_quick() {
    let mut html = String::from("<html><body>");
    let mut n = 0;
    while html.len() < 1024 * 1024 {
        html.push_str(&format!(
            "<p>Paragraph {n} with <b>some</b> <a href=\"https://example.org/{n}\">links</a> \
             and words enough to wrap a line or two in the message view.</p>"
        ));
        n += 1;
    }
    html.push_str("<p>The very end.</p></body></html>");
    let raw = mail("Big newsletter", "Content-Type: text/html", &html);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = open_one(
        dir.path(),
        raw,
        "Big newsletter",
        Arc::new(ScriptedDialogs::default()),
    );
    assert!(shows_text(&harness, "Paragraph 0 with"));
    assert!(!shows_text(&harness, "The very end."), "not all laid out");
    assert!(
        !shows_text(&harness, "Paragraph 400 with"),
        "blocks far below the visible part are not laid out"
    );
    // Once measured, a frame lays out only what is near the visible part (generous bound:
    // a debug build on a shared machine).
    let started = Instant::now();
    harness.run_steps(10);
    let per_frame = started.elapsed() / 10;
    eprintln!("a frame of the 1 MB message: {per_frame:?}");
    assert!(
        per_frame < Duration::from_millis(100),
        "{per_frame:?} a frame"
    );
    // "Show more" until all of it is reachable, then scroll to the end.
    let mut rounds = 0;
    while harness
        .query_by_label("Show more of this message")
        .is_some()
    {
        harness
            .get_by_label("Show more of this message")
            .scroll_to_me();
        harness.run_steps(3);
        // Scrolled there, the paragraphs just above the button are laid out.
        assert!(shows_text(&harness, "words enough to wrap"));
        harness
            .get_by_label("Show more of this message")
            .click_accesskit();
        harness.run_steps(3);
        rounds += 1;
        assert!(rounds < 10, "Show more never ends");
    }
    assert!(rounds >= 3, "{rounds} rounds for a megabyte");
    harness.hover_at(egui::pos2(1050.0, 500.0));
    for _ in 0..400 {
        if shows_text(&harness, "The very end.") {
            break;
        }
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Page,
            delta: egui::vec2(0.0, -5.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: Modifiers::NONE,
        });
        harness.run_steps(2);
    }
    assert!(shows_text(&harness, "The very end."));
}

/// Every fixture message's body, laid out whole: a window tall enough that the view's
/// culling skips nothing of the first screens, walked with the Down key.
#[test]
fn every_fixture_body_is_laid_out_without_panic() {
    let messages = ui::seed::fixtures();
    assert!(messages.len() >= 280, "the fixtures are there");
    let dir = tempfile::tempdir().expect("tempdir");
    let options = poplar::app::StartOptions {
        store_path: store_with(dir.path(), messages),
        secrets: Arc::new(poplar::sync::MemorySecrets::new()),
        schedule: false,
        dialogs: Arc::new(ScriptedDialogs::default()),
    };
    let mut harness = Harness::builder()
        .with_size([1280.0, 2400.0])
        .allow_missing_glyphs()
        .build_eframe(move |cc| PoplarApp::new(cc, options));
    harness.run_steps(2);
    let total = harness.state().state().map(|s| s.list().len()).unwrap_or(0);
    assert!(total > 200, "{total} listed");
    let mut pictures = 0;
    for index in 0..total {
        harness.key_press(egui::Key::ArrowDown);
        step_until(&mut harness, &format!("message {index} opens"), |h| {
            h.state().state().is_ok_and(|s| match s.opened() {
                Opened::Ready(message) => Some(message.row.id) == s.list().selected(),
                _ => false,
            })
        });
        pictures += harness.query_all_by_role(Role::Image).count();
    }
    assert!(pictures >= 10, "{pictures} inline pictures drawn");
}

/// A tmpfs of this test's own, full or read-only: real ENOSPC and EROFS. Mounting needs root
/// (CI runs as root); elsewhere the test says it was skipped.
struct TinyDisk {
    dir: tempfile::TempDir,
}

impl TinyDisk {
    fn mount(test: &str, options: &str) -> Option<Self> {
        let dir = tempfile::tempdir().expect("tempdir");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            eprintln!("skipped {test}: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Self { dir })
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Saves a 512 KB attachment onto `disk` and returns the error notice.
fn failed_save_on(disk: &TinyDisk, subject: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = disk.dir.path().join("big.bin");
    let dialogs = Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![target])]));
    let big: Vec<u8> = (0..512 * 1024).map(|n| (n % 251) as u8).collect();
    let raw = with_attachments(subject, &[("big.bin", &big)]);
    let mut harness = open_one(dir.path(), raw, subject, dialogs);
    harness.get_by_label("Save").click();
    step_until(&mut harness, "the error is reported", |h| {
        notices(h).iter().any(|(_, error)| *error)
    });
    notices(&harness)
        .pop()
        .map(|(text, _)| text)
        .unwrap_or_default()
}

#[test]
fn saving_onto_a_full_disk_fails_clearly_and_leaves_no_half_written_file() {
    let test = "saving_onto_a_full_disk_fails_clearly_and_leaves_no_half_written_file";
    let Some(disk) = TinyDisk::mount(test, "size=64k") else {
        return;
    };
    let text = failed_save_on(&disk, "Full disk");
    assert!(text.starts_with("Cannot save big.bin: "), "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    assert!(names_in(disk.dir.path()).is_empty(), "nothing half-written");
}

#[test]
fn saving_onto_a_read_only_disk_fails_clearly() {
    let test = "saving_onto_a_read_only_disk_fails_clearly";
    let Some(disk) = TinyDisk::mount(test, "size=1m,ro") else {
        return;
    };
    let text = failed_save_on(&disk, "Read only");
    assert!(text.contains("Read-only file system"), "{text}");
    assert!(names_in(disk.dir.path()).is_empty());
}
