//! Export and import from the window, through egui_kittest by accessible labels, with the
//! file dialogs replaced by a scripted double: the bytes written are the stored bytes, the
//! dialog is asked what a user would be asked, and import recognises mail it already has.

#[path = "support/ui.rs"]
mod ui;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::Modifiers;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::dialogs::{DialogAnswer, DialogRequest, FileDialogs, ScriptedDialogs};
use poplar::store::{FolderKind, ListView, Reader, Sort};
use poplar::ui::PoplarApp;
use ui::{MAIL, harness, raw, seeded_store, step_until};

/// The bytes the store holds for a subject (exactly what was "downloaded").
fn stored_bytes(subject: &str) -> Vec<u8> {
    let (_, from, subject, date, body) = MAIL
        .iter()
        .find(|m| m.2 == subject)
        .expect("a seeded subject");
    raw(from, subject, date, body)
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn right_click(harness: &mut Harness<'_, PoplarApp>, subject: &str) {
    // The list comes before the message view, which shows the subject too.
    harness
        .get_all_by_label(subject)
        .next()
        .expect("the subject is shown")
        .click_secondary();
    harness.run_steps(3);
}

fn idle(harness: &Harness<'_, PoplarApp>) -> bool {
    harness
        .state()
        .state()
        .is_ok_and(|s| s.transfer().is_none())
}

/// The window over the seeded store in `dir` with "Quarterly invoice" opened, and a file
/// dialog that will answer `chosen`.
fn invoice_opened(
    dir: &Path,
    chosen: &Path,
) -> (Harness<'static, PoplarApp>, Arc<ScriptedDialogs>) {
    let dialogs = Arc::new(ScriptedDialogs::new([DialogAnswer::Chosen(vec![
        chosen.to_path_buf(),
    ])]));
    let mut harness = harness(
        seeded_store(dir, true),
        Arc::clone(&dialogs) as Arc<dyn FileDialogs>,
    );
    harness.run_steps(3);
    harness.get_by_label("Quarterly invoice").click();
    harness.run_steps(3);
    (harness, dialogs)
}

#[test]
fn exporting_one_message_through_the_context_menu_writes_its_exact_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("chosen.eml");
    let (mut harness, dialogs) = invoice_opened(dir.path(), &out);
    right_click(&mut harness, "Quarterly invoice");
    harness.get_by_label("Export…").click();
    step_until(&mut harness, "the file is written", |_| out.exists());
    step_until(&mut harness, "the export is done", idle);

    assert_eq!(
        std::fs::read(&out).expect("read"),
        stored_bytes("Quarterly invoice")
    );
    let asked = dialogs.asked();
    assert!(
        matches!(
            asked.as_slice(),
            [DialogRequest::SaveFile { suggested_name, .. }]
                if suggested_name == "2024-03-01 Quarterly invoice.eml"
        ),
        "asked {asked:?}"
    );
    // The summary is a notice in the status bar; a click opens the details.
    harness
        .get_all_by_label_contains("Exported 1 message to")
        .next()
        .expect("the summary is shown")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Dismiss all").click();
    harness.run_steps(2);
    assert!(
        harness
            .query_all_by_label_contains("Exported 1 message to")
            .next()
            .is_none()
    );
}

#[test]
fn exporting_a_multiple_selection_writes_one_file_each_into_the_chosen_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("export");
    let (mut harness, dialogs) = invoice_opened(dir.path(), &out);
    harness
        .get_all_by_label("Holiday photos")
        .next()
        .expect("listed")
        .click_modifiers(Modifiers::COMMAND);
    harness.run_steps(3);
    assert!(harness.query_by_label("2 selected").is_some());
    right_click(&mut harness, "Holiday photos");
    harness.get_by_label("Export…").click();
    step_until(&mut harness, "two files are written", |_| {
        files_in(&out, "eml").len() == 2
    });
    step_until(&mut harness, "the export is done", idle);

    let files = files_in(&out, "eml");
    let names: Vec<_> = files
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
        .collect();
    assert_eq!(
        names,
        [
            "2024-03-01 Quarterly invoice.eml",
            "2024-03-03 Holiday photos.eml"
        ]
    );
    assert_eq!(
        std::fs::read(&files[0]).expect("read"),
        stored_bytes("Quarterly invoice")
    );
    assert_eq!(
        std::fs::read(&files[1]).expect("read"),
        stored_bytes("Holiday photos")
    );
    assert!(matches!(
        dialogs.asked().as_slice(),
        [DialogRequest::PickFolder { .. }]
    ));
}

#[test]
fn without_a_file_dialog_a_path_field_takes_its_place_and_the_mbox_imports_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mbox = dir.path().join("inbox.mbox");
    let dialogs: Arc<dyn FileDialogs> = Arc::new(ScriptedDialogs::unavailable());
    let mut harness = harness(seeded_store(dir.path(), true), dialogs);
    harness.run_steps(3);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export this list as mbox…").click();
    harness.run_steps(3);
    harness.get_by_label("Path").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.run_steps(1);
    harness
        .get_by_label("Path")
        .type_text(mbox.to_str().expect("utf8"));
    harness.run_steps(2);
    harness.get_by_label("OK").click();
    step_until(&mut harness, "the mbox is written", |_| mbox.exists());
    step_until(&mut harness, "the export is done", idle);
    let text = std::fs::read(&mbox).expect("read");
    assert_eq!(
        text.windows(5).filter(|w| w == b"From ").count(),
        MAIL.len()
    );
    drop(harness);

    // Into a fresh store, by dropping the file on the window; then again: nothing twice.
    let fresh = tempfile::tempdir().expect("tempdir");
    let store = seeded_store(fresh.path(), false);
    let mut harness = ui::harness(store.clone(), Arc::new(ScriptedDialogs::unavailable()));
    harness.run_steps(3);
    for round in 0..2 {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(mbox.clone())));
        harness.run_steps(2);
        step_until(&mut harness, "the import is done", idle);
        let expected = if round == 0 {
            "Imported 3 messages into Imported"
        } else {
            "Imported 0 messages into Imported; 3 were already here"
        };
        step_until(&mut harness, expected, |h| {
            h.query_all_by_label_contains(expected).next().is_some()
        });
    }
    let reader = Reader::open(&store).expect("reader");
    let imported = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.kind == FolderKind::Imported)
        .expect("Imported");
    let view = ListView::Folder(imported.id);
    let rows = reader.page(view, Sort::default(), 0, 10).expect("rows");
    assert_eq!(rows.len(), MAIL.len());
    for row in rows {
        let bytes = reader.raw(row.id).expect("raw").expect("stored");
        assert_eq!(bytes, stored_bytes(&row.subject));
    }
}

/// A file dropped on the window.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|err| err.to_string())
    }
}

/// File dialogs that seem to exist but come back at once, unseen (a session bus with no
/// portal behind it, and no zenity): after the first try they say they are unavailable.
#[derive(Debug, Default)]
struct VanishingDialogs {
    failed: std::sync::atomic::AtomicBool,
}

impl FileDialogs for VanishingDialogs {
    fn available(&self) -> bool {
        !self.failed.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn ask(&self, _request: &DialogRequest) -> DialogAnswer {
        self.failed.store(true, std::sync::atomic::Ordering::SeqCst);
        DialogAnswer::Cancelled
    }
}

#[test]
fn a_dialog_that_cannot_be_shown_gives_way_to_the_path_field_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness(
        seeded_store(dir.path(), true),
        Arc::new(VanishingDialogs::default()),
    );
    harness.run_steps(3);
    harness
        .get_all_by_label("Lunch on Friday")
        .next()
        .expect("listed")
        .click();
    harness.run_steps(2);
    right_click(&mut harness, "Lunch on Friday");
    harness.get_by_label("Export…").click();
    step_until(&mut harness, "the path field is shown", |h| {
        h.query_by_label("Path").is_some()
    });
    let suggested = harness.get_by_label("Path").value().unwrap_or_default();
    assert!(
        suggested.ends_with("2024-03-02 Lunch on Friday.eml"),
        "{suggested}"
    );
    // Enter in the field is OK.
    let target = dir.path().join("lunch.eml");
    harness.get_by_label("Path").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Path")
        .type_text(target.to_str().expect("utf8"));
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    step_until(&mut harness, "Enter exported the message", |_| {
        target.exists()
    });
    assert_eq!(
        std::fs::read(&target).expect("read"),
        stored_bytes("Lunch on Friday")
    );
}
