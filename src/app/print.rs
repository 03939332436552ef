//! Print and Save as PDF for the open message.
//!
//! Both set the message as a PDF ([`crate::print`]) on a thread of their own, never on the UI
//! thread. Print hands it to the [`Printer`]: the desktop's print dialog through the print
//! portal where there is one; where there is none, the PDF is written to the private folder
//! opened attachments use and opened in the document viewer, and the status line says to
//! print from there. Save as PDF asks where (the save dialog, or the path field without one)
//! and writes the file whole or not at all, as saving an attachment does.

use std::sync::Arc;
use std::sync::mpsc::channel;

use super::attachments::SaveTarget;
use super::{AppState, Opened};
use crate::mail::rich::RichDoc;

/// How printing ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintOutcome {
    /// The document went to the printer.
    Sent,
    /// The person cancelled the print dialog.
    Cancelled,
}

/// Why a printer did not print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintError {
    /// This desktop has no print dialog for Poplar (the PDF goes to the viewer instead).
    NoDialog(String),
    /// The dialog was there and printing failed.
    Failed(String),
}

/// Prints a PDF; called on a worker thread, may wait while the dialog is open.
pub trait Printer: Send + Sync {
    /// Prints `pdf`, titled `title`.
    fn print(&self, title: &str, pdf: &[u8]) -> Result<PrintOutcome, PrintError>;
}

/// The printer the window prints with.
pub type SharedPrinter = Arc<dyn Printer>;

/// No print dialog: every document goes to the viewer.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPrintDialog;

impl Printer for NoPrintDialog {
    fn print(&self, _title: &str, _pdf: &[u8]) -> Result<PrintOutcome, PrintError> {
        Err(PrintError::NoDialog("no print dialog".into()))
    }
}

/// The desktop's print dialog, through the print portal on this bus.
#[cfg(all(unix, not(target_os = "macos")))]
#[derive(Debug, Clone)]
pub struct PortalPrinter {
    /// The session bus (tests name their own).
    pub bus: crate::desktop::notify::Bus,
}

#[cfg(all(unix, not(target_os = "macos")))]
impl Printer for PortalPrinter {
    fn print(&self, title: &str, pdf: &[u8]) -> Result<PrintOutcome, PrintError> {
        use crate::desktop::print::{PortalError, Printed, print_pdf};
        match print_pdf(&self.bus, title, pdf) {
            Ok(Printed::Sent) => Ok(PrintOutcome::Sent),
            Ok(Printed::Cancelled) => Ok(PrintOutcome::Cancelled),
            Err(PortalError::Unavailable(why)) => Err(PrintError::NoDialog(why)),
            Err(PortalError::Failed(why)) => Err(PrintError::Failed(why)),
        }
    }
}

/// What of the open message is printed (its own copy, for the worker thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    subject: String,
    from: String,
    to: String,
    cc: String,
    date: String,
    doc: Arc<RichDoc>,
    attachments: Vec<(String, u64)>,
}

impl PrintJob {
    /// The PDF of the message.
    pub fn pdf(&self) -> crate::print::Printed {
        crate::print::pdf_of(&crate::print::Printable {
            subject: &self.subject,
            from: &self.from,
            to: &self.to,
            cc: &self.cc,
            date: &self.date,
            doc: &self.doc,
            attachments: self.attachments.clone(),
        })
    }

    /// The subject, as the status line names the message.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The name the PDF is offered under.
    pub fn file_name(&self) -> String {
        crate::print::file_name(&self.subject)
    }
}

/// A status line's note on characters printed as "?", if any.
pub(super) fn missing_note(printed: &crate::print::Printed) -> String {
    if printed.missing == 0 {
        String::new()
    } else {
        format!(" {}", crate::tr!("print-missing", count = printed.missing))
    }
}

impl AppState {
    /// The open message as a print job; `None` while none is shown.
    fn print_job(&self) -> Option<PrintJob> {
        let Opened::Ready(message) = &self.opened else {
            return None;
        };
        Some(PrintJob {
            subject: message.row.subject.clone(),
            from: message.from.clone(),
            to: message.to.clone(),
            cc: message.cc.clone(),
            date: message.date.clone(),
            doc: Arc::clone(&message.doc),
            attachments: message
                .attachments
                .iter()
                .map(|a| (a.name.clone(), a.bytes.len() as u64))
                .collect(),
        })
    }

    /// Replaces the printer (tests use their own; the desktop's is the print portal).
    pub fn set_printer(&mut self, printer: SharedPrinter) {
        self.printer = printer;
    }

    /// Prints the open message: the desktop's print dialog, or the PDF viewer without one.
    pub fn print_message(&mut self) {
        let Some(job) = self.print_job() else {
            return;
        };
        let printer = Arc::clone(&self.printer);
        let browser = Arc::clone(&self.browser);
        let store_path = self.store_path.clone();
        let waker = Arc::clone(&self.waker);
        let (tx, rx) = channel();
        let work = move || {
            let printed = job.pdf();
            let subject = job.subject();
            let note = missing_note(&printed);
            let failed =
                |error: String| crate::tr!("print-failed", subject = subject, error = error);
            let result = match printer.print(subject, &printed.pdf) {
                Ok(PrintOutcome::Sent) => Ok(crate::tr!("print-sent", subject = subject) + &note),
                Ok(PrintOutcome::Cancelled) => Ok(crate::tr!("print-cancelled")),
                Err(PrintError::Failed(error)) => Err(failed(error)),
                Err(PrintError::NoDialog(why)) => {
                    tracing::info!("printing through the PDF viewer: {why}");
                    super::open_attachment::private_dir(&store_path)
                        .and_then(|dir| {
                            super::open_attachment::write_private(
                                &dir,
                                &job.file_name(),
                                &printed.pdf,
                            )
                        })
                        .map_err(|err| err.to_string())
                        .and_then(|path| browser.open_file(&path))
                        .map(|()| crate::tr!("print-in-viewer", subject = subject) + &note)
                        .map_err(failed)
                }
            };
            let _ = tx.send(result);
            waker();
        };
        match std::thread::Builder::new()
            .name("poplar-print".into())
            .spawn(work)
        {
            Ok(_) => self.attachment_saves.push_write(rx),
            Err(err) => self.notice(
                crate::tr!("attachment-start-failed", error = err.to_string()),
                true,
            ),
        }
    }

    /// Saves the open message as a PDF where the person chooses.
    pub fn save_message_pdf(&mut self) {
        let Some(job) = self.print_job() else {
            return;
        };
        let request = super::dialogs::DialogRequest::SaveFile {
            title: crate::tr!("print-dialog-title"),
            suggested_name: job.file_name(),
            types: vec![super::dialogs::FileType::new(
                &crate::tr!("filetype-pdf"),
                &["pdf"],
            )],
        };
        self.ask_where(SaveTarget::Pdf(Box::new(job)), request);
    }
}
