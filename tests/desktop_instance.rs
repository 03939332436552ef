//! The real binary in a real (Xvfb) window. One Poplar per data directory: a second start
//! hands over and exits 0, a file given to it is imported by the window, `poplar sync` with
//! the window open reports the window's check, and a window killed with SIGKILL leaves
//! nothing that stops the next start. The tray (a test StatusNotifierWatcher on a private
//! bus): a background start waits there, closing the window (through a window manager,
//! openbox) hides it there when "keep checking" is on and quits when it is off, the icon and
//! a second start bring the window back, and the menu's Quit quits.
//!
//! Skipped (with the reason) where Xvfb or Dovecot is missing, unless
//! `POPLAR_REQUIRE_DESKTOP=1` / `POPLAR_REQUIRE_DOVECOT=1` (as in CI).

#[path = "support/dovecot.rs"]
mod dovecot;
#[path = "support/dovecot_store.rs"]
mod dovecot_store;
#[path = "support/session_bus.rs"]
mod session_bus;
#[path = "support/xvfb.rs"]
mod xvfb;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use dovecot::{Dovecot, Options};
use poplar::store::{FolderKind, ListView, Reader, STORE_FILE};
use session_bus::wait_until;
use xvfb::Xvfb;

const POPLAR: &str = env!("CARGO_BIN_EXE_poplar");

/// A desktop for the app: an X display, a home and a runtime directory of its own.
struct Desk {
    x: Xvfb,
    home: tempfile::TempDir,
    data: PathBuf,
}

impl Desk {
    fn start_or_skip(test_name: &str) -> Option<Self> {
        let x = match Xvfb::start() {
            Ok(x) => x,
            Err(why) => {
                session_bus::skip(test_name, &format!("Xvfb ({why})"));
                return None;
            }
        };
        let home = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(home.path().join("run")).expect("runtime dir");
        let data = home.path().join("data");
        std::fs::create_dir_all(&data).expect("data dir");
        Some(Self { x, home, data })
    }

    fn runtime(&self) -> PathBuf {
        self.home.path().join("run")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(POPLAR);
        command
            .arg("--data-dir")
            .arg(&self.data)
            .args(args)
            .env("DISPLAY", &self.x.display)
            .env("HOME", self.home.path())
            .env("XDG_RUNTIME_DIR", self.runtime())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            // No session bus: no notifications, no tray, and never the host's.
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .env_remove("WAYLAND_DISPLAY")
            // English labels and titles, whatever this machine's locale.
            .env("LANGUAGE", "en")
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("POPLAR_DATA_DIR")
            .stdin(Stdio::null());
        command
    }

    /// Starts the window and waits until it answers on its socket.
    fn open_window(&self) -> Child {
        let mut child = self
            .command(&[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start poplar");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(socket) = self.socket()
                && std::os::unix::net::UnixStream::connect(&socket).is_ok()
            {
                return child;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("the window exited ({status}) before it listened");
            }
            assert!(Instant::now() < deadline, "the window never listened");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The instance socket in the runtime directory, if there is one.
    fn socket(&self) -> Option<PathBuf> {
        std::fs::read_dir(self.runtime())
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "sock"))
    }

    /// Runs poplar with `args` to its end, within `limit`.
    fn run(&self, args: &[&str], limit: Duration) -> Output {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start poplar");
        let deadline = Instant::now() + limit;
        while child.try_wait().expect("wait").is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("poplar {args:?} did not end within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().expect("output")
    }
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn still_running(child: &mut Child) -> bool {
    child.try_wait().expect("try_wait").is_none()
}

fn imported_count(store: &Path) -> u64 {
    let reader = Reader::open(store).expect("reader");
    let folders = reader.folders().expect("folders");
    match folders.iter().find(|f| f.kind == FolderKind::Imported) {
        Some(f) => reader.count(ListView::Folder(f.id)).expect("count"),
        None => 0,
    }
}

#[test]
fn a_second_start_hands_over_and_exits_0_and_a_file_given_to_it_is_imported_by_the_window() {
    let Some(desk) = Desk::start_or_skip("a_second_start_hands_over") else {
        return;
    };
    let mut window = desk.open_window();

    let again = desk.run(&[], Duration::from_secs(20));
    assert!(again.status.success(), "second start: {again:?}");
    assert!(still_running(&mut window), "the first window must stay");

    let eml = desk.home.path().join("a letter.eml");
    std::fs::write(
        &eml,
        "From: Anna <anna@example.de>\r\nSubject: Opened from the file manager\r\n\
         Message-ID: <opened@test>\r\n\r\nHello.\r\n",
    )
    .expect("write eml");
    let opened = desk.run(&[eml.to_str().expect("utf-8")], Duration::from_secs(20));
    assert!(opened.status.success(), "open: {opened:?}");
    let store = desk.data.join(STORE_FILE);
    let deadline = Instant::now() + Duration::from_secs(20);
    while imported_count(&store) == 0 {
        assert!(
            Instant::now() < deadline,
            "the window never imported the file"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(imported_count(&store), 1);
    assert!(still_running(&mut window));
    stop(window);
}

#[test]
fn a_window_killed_with_sigkill_leaves_nothing_that_stops_the_next_start() {
    let Some(desk) = Desk::start_or_skip("a_window_killed_with_sigkill") else {
        return;
    };
    let window = desk.open_window();
    stop(window); // SIGKILL: no destructor runs, the socket file stays behind.
    let stale = desk
        .socket()
        .expect("the dead window's socket file is still there");
    assert!(std::os::unix::net::UnixStream::connect(&stale).is_err());

    // The next start is the window again (it does not hand over to a dead one)...
    let mut next = desk.open_window();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        still_running(&mut next),
        "the next start must stay as the window"
    );
    // ...and a start after it hands over to it.
    let again = desk.run(&[], Duration::from_secs(20));
    assert!(again.status.success(), "{again:?}");
    stop(next);
}

#[test]
fn poplar_sync_with_the_window_open_asks_the_window_to_check_and_prints_its_result() {
    let name = "poplar_sync_with_the_window_open_asks_the_window_to_check";
    let Some(desk) = Desk::start_or_skip(name) else {
        return;
    };
    let Some(server) = Dovecot::start_or_skip_with(name, Options::new().fast_stop(true)) else {
        return;
    };
    dovecot_store::store_for(&server, &desk.data);
    server.deliver(
        "user1",
        &[
            b"Subject: one\n\nfirst\n".to_vec(),
            b"Subject: two\n\nsecond\n".to_vec(),
        ],
    );
    let window = desk.open_window();

    let synced = desk.run(&["sync"], Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&synced.stdout);
    let stderr = String::from_utf8_lossy(&synced.stderr);
    assert!(synced.status.success(), "sync: {stdout} {stderr}");
    assert!(
        stderr.contains("window is open"),
        "stdout {stdout:?} stderr {stderr:?}"
    );
    assert!(
        stdout.starts_with("Test: 2 new, 0 deleted on the server"),
        "{stdout}"
    );
    let reader = Reader::open(&desk.data.join(STORE_FILE)).expect("reader");
    let inbox = reader
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.kind == FolderKind::Inbox)
        .expect("inbox");
    assert_eq!(reader.count(ListView::Folder(inbox.id)).expect("count"), 2);

    let again = desk.run(&["sync", "--account", "Test"], Duration::from_secs(60));
    assert!(again.status.success(), "{again:?}");
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(
        out.starts_with("Test: 0 new"),
        "{out} {}",
        String::from_utf8_lossy(&again.stderr)
    );
    stop(window);
}

/// Whether `xdotool` finds a window of Poplar's class (`visible`: mapped only).
fn window_shown(desk: &Desk, visible: bool) -> bool {
    let mut command = Command::new("xdotool");
    command.env("DISPLAY", &desk.x.display).arg("search");
    if visible {
        command.arg("--onlyvisible");
    }
    let out = command
        .args(["--class", poplar::desktop::APP_ID])
        .output()
        .expect("xdotool");
    !out.stdout.is_empty()
}

#[test]
fn started_in_the_background_poplar_waits_in_the_tray_whose_icon_opens_the_window_and_quits() {
    let name = "started_in_the_background_poplar_waits_in_the_tray";
    let Some(desk) = Desk::start_or_skip(name) else {
        return;
    };
    if session_bus::tool_missing("xdotool") {
        session_bus::skip(name, "xdotool");
        return;
    }
    let Some(bus) = session_bus::SessionBus::start_or_skip(name) else {
        return;
    };
    let tray = session_bus::TrayHost::start(&bus);
    let mut app = desk
        .command(&["--background"])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start poplar --background");

    wait_until("the tray icon registered", Duration::from_secs(60), || {
        !tray.items().is_empty()
    });
    let item = tray.items()[0].clone();
    assert_eq!(tray.property(&item, "Title"), "Poplar: no unread mail");
    assert_eq!(tray.property(&item, "Id"), poplar::desktop::APP_ID);
    // The window exists, but is not shown.
    wait_until("the window was made", Duration::from_secs(30), || {
        window_shown(&desk, false)
    });
    wait_until("the window was hidden", Duration::from_secs(10), || {
        !window_shown(&desk, true)
    });
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !window_shown(&desk, true),
        "a background start shows no window"
    );

    the_icon_shows_the_window_and_quit_quits(&desk, &tray, &item, &mut app);
}

/// Clicks the tray icon (the window must show), then Quit in its menu (Poplar must end, 0).
fn the_icon_shows_the_window_and_quit_quits(
    desk: &Desk,
    tray: &session_bus::TrayHost,
    item: &str,
    app: &mut Child,
) {
    tray.activate(item);
    wait_until(
        "the icon's click showed the window",
        Duration::from_secs(10),
        || window_shown(desk, true),
    );
    tray.click_menu(item, "Quit");
    let status = wait_for_exit(app, "Quit in the tray menu");
    assert!(status.success(), "{status}");
}

/// Starts a window manager on the desk's display (closing a window is the WM's job: it sends
/// the window WM_DELETE_WINDOW, as a click on the title bar's close button does).
fn window_manager(desk: &Desk, test_name: &str) -> Option<Child> {
    if session_bus::tool_missing("wmctrl") {
        session_bus::skip(test_name, "wmctrl");
        return None;
    }
    // openbox now and then dies at once under load (two cores, every test at once): start
    // it again rather than fail the test for the window manager's sake.
    for _ in 0..3 {
        let Ok(mut wm) = Command::new("openbox")
            .arg("--sm-disable")
            .env("DISPLAY", &desk.x.display)
            .env("HOME", desk.home.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            session_bus::skip(test_name, "openbox");
            return None;
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if wmctrl(desk, &["-m"]) {
                return Some(wm);
            }
            if wm.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        stop(wm);
    }
    panic!("{test_name}: openbox did not come up on {}", desk.x.display);
}

fn wmctrl(desk: &Desk, args: &[&str]) -> bool {
    Command::new("wmctrl")
        .env("DISPLAY", &desk.x.display)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Closes Poplar's window the way its close button does.
fn close_window(desk: &Desk) {
    assert!(
        wmctrl(desk, &["-x", "-c", poplar::desktop::APP_ID]),
        "wmctrl found no Poplar window to close"
    );
}

fn wait_for_exit(app: &mut Child, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = app.try_wait().expect("try_wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "{what}: Poplar did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn closing_the_window_quits_where_poplar_does_not_keep_checking() {
    let name = "closing_the_window_quits_where_poplar_does_not_keep_checking";
    let Some(desk) = Desk::start_or_skip(name) else {
        return;
    };
    let Some(wm) = window_manager(&desk, name) else {
        return;
    };
    let mut app = desk.open_window();
    wait_until("the window shows", Duration::from_secs(30), || {
        window_shown(&desk, true)
    });
    close_window(&desk);
    let status = wait_for_exit(&mut app, "closed");
    assert!(status.success(), "{status}");
    stop(wm);
}

#[test]
fn with_keep_checking_on_closing_hides_the_window_into_the_tray_and_poplar_goes_on() {
    let name = "with_keep_checking_on_closing_hides_the_window_into_the_tray";
    let Some(desk) = Desk::start_or_skip(name) else {
        return;
    };
    let Some(wm) = window_manager(&desk, name) else {
        return;
    };
    let Some(bus) = session_bus::SessionBus::start_or_skip(name) else {
        return;
    };
    let tray = session_bus::TrayHost::start(&bus);
    poplar::desktop::settings::DesktopSettings {
        keep_running: true,
        ..Default::default()
    }
    .save(&desk.data)
    .expect("settings");
    let mut app = desk
        .command(&[])
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start poplar");
    wait_until("the window shows", Duration::from_secs(30), || {
        window_shown(&desk, true)
    });
    wait_until("the tray icon registered", Duration::from_secs(30), || {
        !tray.items().is_empty()
    });
    let item = tray.items()[0].clone();

    close_window(&desk);
    wait_until(
        "the window went to the tray",
        Duration::from_secs(10),
        || !window_shown(&desk, true),
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(still_running(&mut app), "closing must not quit");

    // A second start (a click in the menu) brings it back, as does the tray icon.
    let again = desk.run(&[], Duration::from_secs(20));
    assert!(again.status.success(), "{again:?}");
    wait_until(
        "the second start showed the window",
        Duration::from_secs(10),
        || window_shown(&desk, true),
    );
    close_window(&desk);
    wait_until(
        "the window went to the tray again",
        Duration::from_secs(10),
        || !window_shown(&desk, true),
    );
    the_icon_shows_the_window_and_quit_quits(&desk, &tray, &item, &mut app);
    stop(wm);
}
