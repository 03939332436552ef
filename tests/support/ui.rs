//! The window under egui_kittest: a harness over a store, and waiting for the app's threads.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use poplar::app::StartOptions;
use poplar::app::dialogs::FileDialogs;
use poplar::sync::MemorySecrets;
use poplar::ui::PoplarApp;

/// The real app over the store at `store_path`, with passwords in memory, no scheduled
/// checks and `dialogs` for file dialogs.
pub fn harness(store_path: PathBuf, dialogs: Arc<dyn FileDialogs>) -> Harness<'static, PoplarApp> {
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
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

pub fn count(harness: &Harness<'_, PoplarApp>, label: &str) -> usize {
    harness.query_all_by_label(label).count()
}

pub fn shows_text(harness: &Harness<'_, PoplarApp>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}
