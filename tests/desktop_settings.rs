//! The Settings dialog's desktop switches, through the real window under egui_kittest:
//! "Start Poplar when I log in" writes an XDG autostart entry that `desktop-file-validate`
//! accepts and removes it again; "Keep checking for mail when the window is closed" stays off
//! where there is no tray, and says why.

#[path = "support/session_bus.rs"]
mod session_bus;
#[path = "support/ui.rs"]
mod ui;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use egui_kittest::Harness;
use poplar::app::StartOptions;
use poplar::app::dialogs::ScriptedDialogs;
use poplar::desktop::autostart;
use poplar::desktop::settings::DesktopSettings;
use poplar::sync::MemorySecrets;
use poplar::ui::{DesktopOptions, PoplarApp};
use ui::{click, seeded_store, shows_text};

fn harness(dir: &Path, desktop: DesktopOptions) -> Harness<'static, PoplarApp> {
    ui::english();
    let options = StartOptions {
        store_path: seeded_store(dir, true),
        secrets: Arc::new(MemorySecrets::new()),
        schedule: false,
        dialogs: Arc::new(ScriptedDialogs::default()),
    };
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| PoplarApp::with_desktop(cc, options, desktop))
}

fn open_settings(harness: &mut Harness<'_, PoplarApp>) {
    harness.run_steps(3);
    click(harness, "File");
    click(harness, "Settings…");
}

#[test]
fn start_at_login_writes_a_valid_autostart_entry_and_unticking_removes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let autostart_dir = dir.path().join("config/autostart");
    let desktop = DesktopOptions {
        data_dir: Some(dir.path().to_path_buf()),
        autostart_dir: Some(autostart_dir.clone()),
        program: "/usr/bin/poplar".into(),
        ..DesktopOptions::none()
    };
    let mut harness = harness(dir.path(), desktop);
    open_settings(&mut harness);
    click(&mut harness, "Start Poplar when I log in");
    let entry = autostart_dir.join(autostart::file_name());
    assert!(entry.is_file(), "ticking writes {}", entry.display());
    let text = std::fs::read_to_string(&entry).expect("read the entry");
    assert!(text.contains(&format!(
        "Exec=/usr/bin/poplar --background --data-dir {}\n",
        dir.path().display()
    )));
    match Command::new("desktop-file-validate").arg(&entry).output() {
        Ok(out) => {
            let said = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success() && said.trim().is_empty(), "{said}");
        }
        Err(_) => session_bus::skip("autostart validation", "desktop-file-validate"),
    }
    click(&mut harness, "Start Poplar when I log in");
    assert!(!entry.exists(), "unticking removes the entry");
}

#[test]
fn keep_checking_stays_off_without_a_tray_and_the_dialog_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let desktop = DesktopOptions {
        data_dir: Some(dir.path().to_path_buf()),
        tray: false,
        ..DesktopOptions::none()
    };
    let mut harness = harness(dir.path(), desktop);
    open_settings(&mut harness);
    click(
        &mut harness,
        "Keep checking for mail when the window is closed",
    );
    assert!(shows_text(&harness, "closing the window quits"));
    assert!(!DesktopSettings::load(dir.path()).keep_running);
    // Without an autostart folder (a Flatpak) the login start is offered as unavailable.
    assert!(shows_text(&harness, "use your desktop's own settings"));
}
