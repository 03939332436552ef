//! The desktop's own print dialog, through the print portal (`org.freedesktop.portal.Print`
//! of xdg-desktop-portal): `PreparePrint` shows the dialog (printer, copies, pages) and
//! answers with a token; `Print` hands the portal the PDF as an open file descriptor and the
//! token, and the desktop prints it with the user's choices. Each call answers through a
//! `Response` signal on a request object whose path the caller names in advance
//! (`handle_token`), so the answer cannot be missed.
//!
//! Runs on a worker thread: it waits for as long as the person keeps the dialog open.

use std::collections::HashMap;
use std::io::{Seek as _, Write as _};

use zbus::blocking::{Connection, MessageIterator};
use zbus::zvariant::{OwnedValue, Value};

use super::notify::{Bus, connect};

const SERVICE: &str = "org.freedesktop.portal.Desktop";
const PATH: &str = "/org/freedesktop/portal/desktop";
const INTERFACE: &str = "org.freedesktop.portal.Print";

/// How printing ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// The portal took the document for the printer.
    Sent,
    /// The person closed the dialog without printing.
    Cancelled,
}

/// Why the portal could not print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalError {
    /// No bus, or no print portal on it: print another way.
    Unavailable(String),
    /// The portal was there and failed.
    Failed(String),
}

impl std::fmt::Display for PortalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortalError::Unavailable(why) | PortalError::Failed(why) => f.write_str(why),
        }
    }
}

fn unavailable(err: &zbus::Error) -> bool {
    match err {
        zbus::Error::MethodError(name, _, _) => matches!(
            name.as_str(),
            "org.freedesktop.DBus.Error.ServiceUnknown"
                | "org.freedesktop.DBus.Error.UnknownInterface"
                | "org.freedesktop.DBus.Error.UnknownMethod"
                | "org.freedesktop.DBus.Error.UnknownObject"
                | "org.freedesktop.DBus.Error.NameHasNoOwner"
        ),
        zbus::Error::FDO(fdo) => matches!(
            **fdo,
            zbus::fdo::Error::ServiceUnknown(_)
                | zbus::fdo::Error::UnknownInterface(_)
                | zbus::fdo::Error::UnknownMethod(_)
                | zbus::fdo::Error::UnknownObject(_)
                | zbus::fdo::Error::NameHasNoOwner(_)
        ),
        _ => false,
    }
}

/// A request's answer: 0 done (with its results), 1 cancelled, 2 failed.
type Answer = (u32, HashMap<String, OwnedValue>);

/// Calls `method` with `handle_token` added to its options and waits for its `Response`.
fn request(
    connection: &Connection,
    token: &str,
    call: impl FnOnce(&zbus::blocking::Proxy<'_>, HashMap<&str, Value<'_>>) -> zbus::Result<()>,
) -> Result<Answer, PortalError> {
    let sender = connection
        .unique_name()
        .map(|n| n.trim_start_matches(':').replace('.', "_"))
        .ok_or_else(|| PortalError::Unavailable("no name on the bus".into()))?;
    let handle = format!("{PATH}/request/{sender}/{token}");
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("org.freedesktop.portal.Request")
        .and_then(|r| r.member("Response"))
        .and_then(|r| r.path(handle.as_str()))
        .map(|r| r.build())
        .map_err(|err| PortalError::Failed(err.to_string()))?;
    // Listening before the call: the answer may come before the call's own reply.
    let responses = MessageIterator::for_match_rule(rule, connection, Some(4))
        .map_err(|err| PortalError::Unavailable(err.to_string()))?;
    let proxy = zbus::blocking::Proxy::new(connection, SERVICE, PATH, INTERFACE)
        .map_err(|err| PortalError::Unavailable(err.to_string()))?;
    let mut options = HashMap::new();
    options.insert("handle_token", Value::from(token));
    options.insert("modal", Value::from(true));
    call(&proxy, options).map_err(|err| {
        if unavailable(&err) {
            PortalError::Unavailable(err.to_string())
        } else {
            PortalError::Failed(err.to_string())
        }
    })?;
    for message in responses {
        let message = message.map_err(|err| PortalError::Failed(err.to_string()))?;
        if let Ok(answer) = message.body().deserialize::<Answer>() {
            return Ok(answer);
        }
    }
    Err(PortalError::Failed("the print portal went away".into()))
}

/// Prints `pdf` (titled `title`) through the desktop's print dialog on `bus`.
pub fn print_pdf(bus: &Bus, title: &str, pdf: &[u8]) -> Result<Printed, PortalError> {
    let connection = connect(bus).map_err(|err| PortalError::Unavailable(err.to_string()))?;
    let nonce = std::process::id();
    let prepare_token = format!("poplar_prepare_{nonce}_{}", unique());
    let (code, results) = request(&connection, &prepare_token, |proxy, options| {
        let empty: HashMap<&str, Value<'_>> = HashMap::new();
        proxy.call_method("PreparePrint", &("", title, empty.clone(), empty, options))?;
        Ok(())
    })?;
    match code {
        0 => {}
        1 => return Ok(Printed::Cancelled),
        _ => return Err(PortalError::Failed("the print dialog failed".into())),
    }
    let token = results
        .get("token")
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| PortalError::Failed("the print dialog gave no token".into()))?;
    let file = document_file(pdf).map_err(|err| PortalError::Failed(err.to_string()))?;
    let print_token = format!("poplar_print_{nonce}_{}", unique());
    let (code, _) = request(&connection, &print_token, |proxy, mut options| {
        options.insert("token", Value::from(token));
        let fd = zbus::zvariant::Fd::from(&file);
        proxy.call_method("Print", &("", title, fd, options))?;
        Ok(())
    })?;
    match code {
        0 => Ok(Printed::Sent),
        1 => Ok(Printed::Cancelled),
        _ => Err(PortalError::Failed(
            "the printer refused the document".into(),
        )),
    }
}

/// A different number for each request of this process.
fn unique() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The document as a file the portal can read: a file with no name (deleted as soon as it is
/// made), so nothing is left behind whatever happens.
fn document_file(pdf: &[u8]) -> std::io::Result<std::fs::File> {
    let dir = std::env::temp_dir();
    let path = dir.join(format!(
        "poplar-print-{}-{}.pdf",
        std::process::id(),
        unique()
    ));
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    let _ = std::fs::remove_file(&path);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(pdf)?;
    file.rewind()?;
    Ok(file)
}
