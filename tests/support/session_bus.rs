//! A private D-Bus session bus for one test (a real `dbus-daemon --session`, as
//! `dbus-run-session` starts), and a small notification service on it that records every
//! notification it is sent and can "click" one.
//!
//! Where dbus-daemon is not installed these tests say they were skipped and why; with
//! `POPLAR_REQUIRE_DESKTOP=1` (as in CI) a missing dbus-daemon fails them.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use zbus::zvariant::OwnedValue;

const REQUIRE_ENV: &str = "POPLAR_REQUIRE_DESKTOP";

/// Whether a desktop test must run (CI) rather than skip.
pub fn required() -> bool {
    std::env::var(REQUIRE_ENV).is_ok_and(|v| v.trim() == "1")
}

/// Skips (or, where required, fails) a test for want of `what`.
pub fn skip(test_name: &str, what: &str) {
    assert!(
        !required(),
        "{test_name}: {what} is required ({REQUIRE_ENV}=1) but missing"
    );
    eprintln!("skipped {test_name}: {what} is missing");
}

/// A running private session bus; stopped when dropped.
pub struct SessionBus {
    child: Child,
    /// Its address, for `DBUS_SESSION_BUS_ADDRESS` or a zbus connection.
    pub address: String,
}

impl SessionBus {
    /// Starts one, or skips the test (see the module documentation).
    pub fn start_or_skip(test_name: &str) -> Option<Self> {
        let spawned = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(_) => {
                skip(test_name, "dbus-daemon");
                return None;
            }
        };
        let stdout = child.stdout.take().expect("dbus-daemon's stdout");
        let mut address = String::new();
        BufReader::new(stdout)
            .read_line(&mut address)
            .expect("dbus-daemon prints its address");
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        Some(Self { child, address })
    }

    /// A connection to the bus.
    pub fn connect(&self) -> zbus::blocking::Connection {
        zbus::blocking::connection::Builder::address(self.address.as_str())
            .expect("bus address")
            .build()
            .expect("connect to the test bus")
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `interface` at `path` under the well-known `name` on `bus`.
fn serve(
    bus: &SessionBus,
    name: &str,
    path: &str,
    interface: impl zbus::object_server::Interface,
) -> zbus::blocking::Connection {
    zbus::blocking::connection::Builder::address(bus.address.as_str())
        .expect("bus address")
        .name(name.to_owned())
        .expect("name")
        .serve_at(path.to_owned(), interface)
        .expect("serve")
        .build()
        .unwrap_or_else(|err| panic!("cannot serve {name}: {err}"))
}

/// Waits until `done` holds; fails with `what` after `limit`.
pub fn wait_until(what: &str, limit: std::time::Duration, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + limit;
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// One `Notify` call as the service received it.
#[derive(Debug, Clone)]
pub struct Notified {
    pub id: u32,
    pub app_name: String,
    pub app_icon: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    pub desktop_entry: Option<String>,
}

struct Recorder {
    calls: Arc<Mutex<Vec<Notified>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Recorder {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        _replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut calls = self.calls.lock().expect("calls");
        let id = calls.len() as u32 + 1;
        let desktop_entry = hints
            .get("desktop-entry")
            .and_then(|v| String::try_from(v.clone()).ok());
        calls.push(Notified {
            id,
            app_name,
            app_icon,
            summary,
            body,
            actions,
            desktop_entry,
        });
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "poplar-test".into(),
            "poplar".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// The notification service on a test bus: what it received, and its clicks.
pub struct NotificationService {
    connection: zbus::blocking::Connection,
    calls: Arc<Mutex<Vec<Notified>>>,
}

impl NotificationService {
    /// Takes the name `org.freedesktop.Notifications` on `bus`.
    pub fn start(bus: &SessionBus) -> Self {
        let calls: Arc<Mutex<Vec<Notified>>> = Arc::default();
        let connection = serve(
            bus,
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            Recorder {
                calls: Arc::clone(&calls),
            },
        );
        Self { connection, calls }
    }

    /// Every notification so far.
    pub fn received(&self) -> Vec<Notified> {
        self.calls.lock().expect("calls").clone()
    }

    /// The user clicks notification `id` (its default action).
    pub fn click(&self, id: u32) {
        self.connection
            .emit_signal(
                None::<zbus::names::BusName<'_>>,
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications",
                "ActionInvoked",
                &(id, "default"),
            )
            .expect("emit ActionInvoked");
    }
}

struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(
        &self,
        service: String,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        // An item registers by bus name, or by object path (then its sender is the name).
        let name = if service.starts_with('/') {
            header.sender().map(|s| s.to_string()).unwrap_or_default()
        } else {
            service
        };
        self.items.lock().expect("items").push(name);
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().expect("items").clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// A tray on a test bus (the StatusNotifierWatcher a panel runs): which icons registered,
/// and a way to click them and their menus.
pub struct TrayHost {
    connection: zbus::blocking::Connection,
    items: Arc<Mutex<Vec<String>>>,
}

impl TrayHost {
    /// Takes the name `org.kde.StatusNotifierWatcher` on `bus`.
    pub fn start(bus: &SessionBus) -> Self {
        let items: Arc<Mutex<Vec<String>>> = Arc::default();
        let connection = serve(
            bus,
            "org.kde.StatusNotifierWatcher",
            "/StatusNotifierWatcher",
            Watcher {
                items: Arc::clone(&items),
            },
        );
        Self { connection, items }
    }

    /// The bus names of the icons that registered.
    pub fn items(&self) -> Vec<String> {
        self.items.lock().expect("items").clone()
    }

    /// A property of icon `item` (`Title`, `Status`, …) as a string.
    pub fn property(&self, item: &str, name: &str) -> String {
        let reply = self
            .connection
            .call_method(
                Some(item),
                "/StatusNotifierItem",
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &("org.kde.StatusNotifierItem", name),
            )
            .expect("Properties.Get");
        let value: OwnedValue = reply.body().deserialize().expect("a variant");
        String::try_from(value).expect("a string property")
    }

    /// Clicks the icon (its Activate method).
    pub fn activate(&self, item: &str) {
        self.connection
            .call_method(
                Some(item),
                "/StatusNotifierItem",
                Some("org.kde.StatusNotifierItem"),
                "Activate",
                &(0i32, 0i32),
            )
            .expect("Activate");
    }

    /// Clicks the menu entry labelled `label` (through com.canonical.dbusmenu).
    pub fn click_menu(&self, item: &str, label: &str) {
        for id in 1..32i32 {
            let Ok(reply) = self.connection.call_method(
                Some(item),
                "/MenuBar",
                Some("com.canonical.dbusmenu"),
                "GetProperty",
                &(id, "label"),
            ) else {
                continue;
            };
            let Ok(value) = reply.body().deserialize::<OwnedValue>() else {
                continue;
            };
            if String::try_from(value).is_ok_and(|l| l == label) {
                self.connection
                    .call_method(
                        Some(item),
                        "/MenuBar",
                        Some("com.canonical.dbusmenu"),
                        "Event",
                        &(id, "clicked", zbus::zvariant::Value::from(0i32), 0u32),
                    )
                    .expect("dbusmenu Event");
                return;
            }
        }
        panic!("no menu entry {label:?}");
    }
}

/// Whether a command-line tool is missing from PATH.
pub fn tool_missing(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
}

/// One call the print portal received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintCall {
    /// `PreparePrint`: the dialog was shown, with this title.
    Prepare { title: String },
    /// `Print`: the document (read from the descriptor), its title and the token it gave.
    Print {
        title: String,
        token: Option<u32>,
        document: Vec<u8>,
    },
}

/// What the portal's print dialog answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogChoice {
    /// The person presses Print.
    Print,
    /// The person presses Cancel.
    Cancel,
}

/// The request path a portal answers on: the caller's unique name and its handle token.
fn request_path(sender: &str, options: &HashMap<String, OwnedValue>) -> String {
    let token = options
        .get("handle_token")
        .and_then(|v| String::try_from(v.clone()).ok())
        .unwrap_or_else(|| "t".into());
    let sender = sender.trim_start_matches(':').replace('.', "_");
    format!("/org/freedesktop/portal/desktop/request/{sender}/{token}")
}

struct PrintRecorder {
    calls: Arc<Mutex<Vec<PrintCall>>>,
    choice: DialogChoice,
}

const PRINT_TOKEN: u32 = 4711;

impl PrintRecorder {
    fn respond(
        connection: &zbus::Connection,
        path: &str,
        code: u32,
        results: HashMap<&str, zbus::zvariant::Value<'_>>,
    ) {
        // Answered after the call's own reply has gone, as a real portal does.
        let path = path.to_owned();
        let connection = zbus::blocking::Connection::from(connection.clone());
        let results: HashMap<String, OwnedValue> = results
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.try_to_owned().expect("owned")))
            .collect();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(30));
            let body = (code, results);
            connection
                .emit_signal(
                    None::<&str>,
                    path.as_str(),
                    "org.freedesktop.portal.Request",
                    "Response",
                    &body,
                )
                .expect("emit Response");
        });
    }
}

#[zbus::interface(name = "org.freedesktop.portal.Print")]
impl PrintRecorder {
    #[allow(clippy::too_many_arguments)] // The portal's signature, and zbus's two extras.
    async fn prepare_print(
        &mut self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _parent_window: String,
        title: String,
        _settings: HashMap<String, OwnedValue>,
        _page_setup: HashMap<String, OwnedValue>,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::zvariant::OwnedObjectPath {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let path = request_path(&sender, &options);
        self.calls
            .lock()
            .expect("calls")
            .push(PrintCall::Prepare { title });
        let mut results = HashMap::new();
        let code = match self.choice {
            DialogChoice::Print => {
                results.insert("token", zbus::zvariant::Value::from(PRINT_TOKEN));
                0
            }
            DialogChoice::Cancel => 1,
        };
        Self::respond(connection, &path, code, results);
        zbus::zvariant::OwnedObjectPath::try_from(path).expect("path")
    }

    async fn print(
        &mut self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _parent_window: String,
        title: String,
        fd: zbus::zvariant::OwnedFd,
        options: HashMap<String, OwnedValue>,
    ) -> zbus::zvariant::OwnedObjectPath {
        use std::io::Read as _;
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let path = request_path(&sender, &options);
        let token = options.get("token").and_then(|v| u32::try_from(v).ok());
        let mut file = std::fs::File::from(std::os::fd::OwnedFd::from(fd));
        let mut document = Vec::new();
        file.read_to_end(&mut document).expect("read the document");
        self.calls.lock().expect("calls").push(PrintCall::Print {
            title,
            token,
            document,
        });
        Self::respond(connection, &path, 0, HashMap::new());
        zbus::zvariant::OwnedObjectPath::try_from(path).expect("path")
    }
}

/// A print portal on a test bus (`org.freedesktop.portal.Desktop`): records the dialogs it
/// was asked for and the documents it was given, and answers as `choice` says.
pub struct PrintPortal {
    _connection: zbus::blocking::Connection,
    calls: Arc<Mutex<Vec<PrintCall>>>,
}

impl PrintPortal {
    /// Takes the portal's name on `bus`.
    pub fn start(bus: &SessionBus, choice: DialogChoice) -> Self {
        let calls: Arc<Mutex<Vec<PrintCall>>> = Arc::default();
        let connection = serve(
            bus,
            "org.freedesktop.portal.Desktop",
            "/org/freedesktop/portal/desktop",
            PrintRecorder {
                calls: Arc::clone(&calls),
                choice,
            },
        );
        Self {
            _connection: connection,
            calls,
        }
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<PrintCall> {
        self.calls.lock().expect("calls").clone()
    }

    /// The documents printed so far.
    pub fn documents(&self) -> Vec<Vec<u8>> {
        self.calls()
            .into_iter()
            .filter_map(|c| match c {
                PrintCall::Print { document, .. } => Some(document),
                PrintCall::Prepare { .. } => None,
            })
            .collect()
    }
}

/// The token the test portal's dialog hands out.
pub const TEST_PRINT_TOKEN: u32 = PRINT_TOKEN;
