//! Export and import: safe file names for .eml files, mboxrd, and the export and import
//! jobs the window and the command line share (with progress, Cancel, and files written
//! whole or not at all).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::store::{
    AccountId, Incoming, ListView, MessageId, MessageRow, Prepared, Reader, Sort, StoreError,
    prepare,
};

/// Longest file name written, in bytes, before the extension and any " (n)".
const MAX_NAME_BYTES: usize = 120;

/// Windows' reserved device names, refused as a file name's stem on every platform so an
/// export can be copied anywhere.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Makes `text` safe as one file name on Linux, macOS and Windows: no path separators,
/// control or bidirectional-override characters, no characters Windows refuses, no leading
/// dots, no trailing dots or spaces, not a reserved device name, at most 120 bytes. Letters of
/// every script are kept. Never empty: `fallback` stands in for nothing usable.
pub fn sanitize_file_name(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bad = c.is_control()
            || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}');
        let c = if bad { '_' } else { c };
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    let mut name = out.trim().trim_start_matches(['.', ' ']).to_owned();
    if name.len() > MAX_NAME_BYTES {
        let mut cut = MAX_NAME_BYTES;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    let name = name.trim_end_matches(['.', ' ']).to_owned();
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_uppercase();
    if name.is_empty() || name.chars().all(|c| c == '_') && fallback != name {
        return fallback.to_owned();
    }
    if RESERVED.contains(&stem.as_str()) {
        return format!("_{name}");
    }
    name
}

/// A path in `dir` for `stem.ext` that does not exist yet: ` (2)`, ` (3)` … are added.
/// An empty `ext` means a name without an extension.
pub fn unused_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let name = |suffix: &str| match ext {
        "" => format!("{stem}{suffix}"),
        _ => format!("{stem}{suffix}.{ext}"),
    };
    let first = dir.join(name(""));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(name(&format!(" ({n})"))))
        .find(|path| !path.exists())
        .unwrap_or(first)
}

/// A path in `dir` for the file name `name` that does not exist yet: ` (2)`, ` (3)` … go
/// before its extension, or at the end of a name without one.
pub fn unused_name(dir: &Path, name: &str) -> PathBuf {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => unused_path(dir, stem, ext),
        _ => unused_path(dir, name, ""),
    }
}

/// The separator line written before each message of an mbox.
const MBOX_FROM: &[u8] = b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n";

/// Appends one message to an mboxrd stream: a `From ` line, the message with every line that
/// starts with `>`s and `From ` given one more `>`, and a blank line. The bytes otherwise stay
/// as they are (CRLF included), so [`split_mbox`] gives back exactly the message, as long as it
/// ends with a line break (every message downloaded over POP3 does); one that does not comes
/// back with an LF, since mbox cannot say whether the last line had one.
pub fn append_mboxrd(out: &mut Vec<u8>, message: &[u8]) {
    out.extend_from_slice(MBOX_FROM);
    for line in message.split_inclusive(|&b| b == b'\n') {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if line[quotes..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !message.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
}

/// True when `bytes` look like an mbox (they start with a `From ` line).
pub fn is_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// Splits an mboxrd (or plain mboxo) stream into its messages, undoing the `>From` quoting
/// of mboxrd and removing the blank line that ends each message.
pub fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    MboxReader::new(bytes).filter_map(Result::ok).collect()
}

/// The messages of an mboxrd (or mboxo) stream, read one at a time: an mbox of gigabytes is
/// never in memory whole. See [`split_mbox`].
#[derive(Debug)]
pub struct MboxReader<R> {
    input: R,
    /// The message being read (`None` before the first `From ` line).
    current: Option<Vec<u8>>,
    line: Vec<u8>,
}

impl<R: std::io::BufRead> MboxReader<R> {
    /// Reads messages from `input`.
    pub fn new(input: R) -> Self {
        Self {
            input,
            current: None,
            line: Vec::new(),
        }
    }
}

impl<R: std::io::BufRead> Iterator for MboxReader<R> {
    type Item = std::io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.line.clear();
            match self.input.read_until(b'\n', &mut self.line) {
                Ok(0) => return self.current.take().map(|m| Ok(finish_mbox_message(m))),
                Ok(_) => {}
                Err(err) => return Some(Err(err)),
            }
            let line = self.line.as_slice();
            if line.starts_with(b"From ") {
                if let Some(message) = self.current.replace(Vec::new()) {
                    return Some(Ok(finish_mbox_message(message)));
                }
                continue;
            }
            let Some(message) = self.current.as_mut() else {
                continue;
            };
            let quotes = line.iter().take_while(|&&b| b == b'>').count();
            if quotes > 0 && line[quotes..].starts_with(b"From ") {
                message.extend_from_slice(&line[1..]);
            } else {
                message.extend_from_slice(line);
            }
        }
    }
}

fn finish_mbox_message(mut message: Vec<u8>) -> Vec<u8> {
    // The separator's blank line: "\n" after a message that ends with a line break.
    if message.ends_with(b"\n\n") || message.ends_with(b"\r\n\n") {
        message.pop();
    }
    message
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One .eml file per message, byte for byte as downloaded.
    Eml,
    /// One mboxrd file holding every message, oldest first.
    Mbox,
}

/// Which messages an export takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// These messages.
    Ids(Vec<MessageId>),
    /// A folder, or all inboxes.
    View(ListView),
    /// Every folder of an account (Trash included).
    Account(AccountId),
    /// Every message in the store.
    All,
}

impl Source {
    /// The rows, newest first (ids: in the order given).
    pub fn rows(&self, reader: &Reader) -> Result<Vec<MessageRow>, StoreError> {
        let folders: Vec<ListView> = match self {
            Self::Ids(ids) => return reader.rows(ids),
            Self::View(view) => vec![*view],
            Self::Account(account) => reader
                .folders()?
                .into_iter()
                .filter(|f| f.account_id == Some(*account))
                .map(|f| ListView::Folder(f.id))
                .collect(),
            Self::All => reader
                .folders()?
                .into_iter()
                .map(|f| ListView::Folder(f.id))
                .collect(),
        };
        let mut rows = Vec::new();
        for view in folders {
            rows.extend(reader.page(view, Sort::default(), 0, reader.count(view)?)?);
        }
        rows.sort_by(|a, b| b.sort_date.cmp(&a.sort_date).then(b.id.cmp(&a.id)));
        Ok(rows)
    }
}

/// Where an export goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// This file (an mbox, or the .eml of one message); ` (2)` is added if it exists.
    File(PathBuf),
    /// This folder (created if missing): one .eml file per message.
    Folder(PathBuf),
}

/// How far a job is, shared with the thread that shows it; and its Cancel button.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    /// Messages done and in all.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Asks the job to stop at the next message.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// Whether Cancel was pressed.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Records how far the job is.
    pub(crate) fn set(&self, done: usize, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done, Ordering::Relaxed);
    }
}

/// What an export did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Messages written.
    pub written: usize,
    /// Messages asked for.
    pub total: usize,
    /// Cancel stopped it (what was written stays: whole files only; an mbox is not kept).
    pub cancelled: bool,
    /// The file or folder written.
    pub path: PathBuf,
}

impl Summary {
    /// In words, for the status bar or the terminal.
    pub fn describe(&self) -> String {
        let path = self.path.display().to_string();
        if self.cancelled {
            crate::tr!(
                "export-cancelled",
                count = self.written,
                total = self.total,
                path = path
            )
        } else {
            crate::tr!("export-done", count = self.written, path = path)
        }
    }
}

/// Why an export or import failed, in plain words (it names the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferError(pub String);

impl std::fmt::Display for TransferError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TransferError {}

impl From<StoreError> for TransferError {
    fn from(err: StoreError) -> Self {
        Self(err.to_string())
    }
}

fn write_error(path: &Path, err: &std::io::Error) -> TransferError {
    TransferError(format!("cannot write {}: {err}", path.display()))
}

/// The name suggested for a message's .eml file, without the extension:
/// `YYYY-MM-DD Subject`, sanitised.
pub fn eml_stem(row: &MessageRow) -> String {
    let (y, m, d) = crate::calendar::date_of(row.date.unwrap_or(row.sort_date));
    let subject = sanitize_file_name(&row.subject, "message");
    sanitize_file_name(&format!("{y:04}-{m:02}-{d:02} {subject}"), "message")
}

/// Writes `rows` (read from `reader`) to `to`. Files appear whole or not at all: each is
/// written to a `.partial` name, synced and renamed; an mbox is one such file, so a
/// cancelled or failed mbox export leaves nothing behind.
pub fn export(
    reader: &Reader,
    rows: &[MessageRow],
    format: Format,
    to: &Destination,
    progress: &Progress,
) -> Result<Summary, TransferError> {
    let total = rows.len();
    progress.set(0, total);
    match (format, to) {
        (Format::Eml, Destination::Folder(dir)) => {
            std::fs::create_dir_all(dir)
                .map_err(|err| TransferError(format!("cannot create {}: {err}", dir.display())))?;
            let mut written = 0;
            for row in rows {
                if progress.cancelled() {
                    return Ok(cancelled(written, total, dir));
                }
                if let Some(raw) = reader.raw(row.id)? {
                    let path = unused_path(dir, &eml_stem(row), "eml");
                    write_new(&path, &raw).map_err(|err| write_error(&path, &err))?;
                    written += 1;
                }
                progress.set(written, total);
            }
            Ok(done(written, total, dir))
        }
        (Format::Eml, Destination::File(path)) => {
            let path = free_path(path);
            let mut written = 0;
            // One file holds one message: the first.
            if let Some(row) = rows.first()
                && let Some(raw) = reader.raw(row.id)?
            {
                write_new(&path, &raw).map_err(|err| write_error(&path, &err))?;
                written = 1;
            }
            progress.set(written, total);
            Ok(done(written, total.min(1), &path))
        }
        (Format::Mbox, Destination::File(path)) => export_mbox(reader, rows, path, progress),
        (Format::Mbox, Destination::Folder(dir)) => {
            let path = unused_path(dir, "Poplar export", "mbox");
            export_mbox(reader, rows, &path, progress)
        }
    }
}

fn done(written: usize, total: usize, path: &Path) -> Summary {
    Summary {
        written,
        total,
        cancelled: false,
        path: path.to_owned(),
    }
}

fn cancelled(written: usize, total: usize, path: &Path) -> Summary {
    Summary {
        cancelled: true,
        ..done(written, total, path)
    }
}

/// `path`, or ` (2)` … added to its stem when it exists.
fn free_path(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) if path.exists() => unused_name(dir, &name.to_string_lossy()),
        _ => path.to_owned(),
    }
}

fn export_mbox(
    reader: &Reader,
    rows: &[MessageRow],
    path: &Path,
    progress: &Progress,
) -> Result<Summary, TransferError> {
    let path = free_path(path);
    let total = rows.len();
    let tmp = partial_path(&path);
    let result = (|| {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|err| write_error(&path, &err))?;
        let mut out = std::io::BufWriter::new(file);
        let mut written = 0;
        let mut chunk = Vec::new();
        // Oldest first, as mail programs expect in an mbox.
        for row in rows.iter().rev() {
            if progress.cancelled() {
                return Ok(None);
            }
            if let Some(raw) = reader.raw(row.id)? {
                chunk.clear();
                append_mboxrd(&mut chunk, &raw);
                out.write_all(&chunk)
                    .map_err(|err| write_error(&path, &err))?;
                written += 1;
            }
            progress.set(written, total);
        }
        let file = out
            .into_inner()
            .map_err(|err| write_error(&path, err.error()))?;
        file.sync_all().map_err(|err| write_error(&path, &err))?;
        std::fs::rename(&tmp, &path).map_err(|err| write_error(&path, &err))?;
        Ok(Some(written))
    })();
    match result {
        Ok(Some(written)) => Ok(done(written, total, &path)),
        Ok(None) => {
            let _ = std::fs::remove_file(&tmp);
            Ok(cancelled(0, total, &path))
        }
        Err(err) => {
            let _ = std::fs::remove_file(&tmp);
            Err(err)
        }
    }
}

fn partial_path(path: &Path) -> PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".partial");
    PathBuf::from(tmp)
}

/// Writes a new file completely or not at all: a temporary file, synced, then renamed.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = partial_path(path);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Messages read for an import, handed over at most this many at a time.
pub const IMPORT_BATCH: usize = 500;

/// Reads .eml and mbox files and hands their messages to `import` in batches of at most
/// [`IMPORT_BATCH`] (an mbox of gigabytes is never in memory whole). Between batches it
/// stops when `progress` was cancelled (what was handed over stays imported). Returns how
/// many messages were read; `progress` counts them too (its total stays 0: unknown).
pub fn import_files(
    files: &[PathBuf],
    progress: &Progress,
    mut import: impl FnMut(Vec<Vec<u8>>) -> Result<(), TransferError>,
) -> Result<usize, TransferError> {
    use std::io::Read as _;
    // Every file is looked at before anything is imported: a wrong one imports nothing.
    for file in files {
        open_for_import(file)?;
    }
    let mut batch = Vec::new();
    let mut read = 0;
    let mut hand_over = |batch: &mut Vec<Vec<u8>>, read: &mut usize| {
        *read += batch.len();
        progress.set(*read, 0);
        import(std::mem::take(batch))
    };
    for file in files {
        let (mut input, mbox) = open_for_import(file)?;
        if mbox {
            for message in MboxReader::new(input) {
                batch.push(message.map_err(cannot_read(file))?);
                if batch.len() == IMPORT_BATCH {
                    if progress.cancelled() {
                        return Ok(read);
                    }
                    hand_over(&mut batch, &mut read)?;
                }
            }
        } else {
            let mut bytes = Vec::new();
            input.read_to_end(&mut bytes).map_err(cannot_read(file))?;
            batch.push(bytes);
        }
        if progress.cancelled() {
            return Ok(read);
        }
    }
    if !batch.is_empty() {
        hand_over(&mut batch, &mut read)?;
    }
    Ok(read)
}

fn cannot_read(file: &Path) -> impl Fn(std::io::Error) -> TransferError + '_ {
    move |err| TransferError(format!("cannot read {}: {err}", file.display()))
}

/// Opens a file to import; whether it is an mbox (else a single message).
fn open_for_import(
    file: &Path,
) -> Result<(std::io::BufReader<std::fs::File>, bool), TransferError> {
    use std::io::BufRead as _;
    let mut input = std::io::BufReader::new(std::fs::File::open(file).map_err(cannot_read(file))?);
    let start = input.fill_buf().map_err(cannot_read(file))?;
    let mbox = is_mbox(start);
    if !mbox && !looks_like_mail(start) {
        return Err(TransferError(format!(
            "{} is neither a message (.eml) nor an mbox",
            file.display()
        )));
    }
    Ok((input, mbox))
}

/// A message read from a file, ready for [`crate::store::Writer::import`] (parsing is CPU
/// work: callers do it off the store's thread).
pub fn prepare_imported(raw: Vec<u8>, now: i64) -> Prepared {
    prepare(Incoming {
        uidl: String::new(),
        raw,
        partial: false,
        fetched_at: now,
        server: String::new(),
        tls_version: None,
    })
}

/// True when `bytes` start with something like a header field (`Name: value`), as every
/// message does.
fn looks_like_mail(bytes: &[u8]) -> bool {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|&b| b.is_ascii_graphic() && b != b':'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mboxrd_round_trips_byte_exact_with_from_lines_and_crlf() {
        let messages: Vec<Vec<u8>> = vec![
            b"Subject: one\r\n\r\nFrom here on\r\n>From quoted\r\n>>From twice\r\n\r\n".to_vec(),
            b"Subject: two\n\nplain LF body\nFrom the end\n".to_vec(),
            b"Subject: three\r\n\r\n\r\n".to_vec(),
        ];
        let mut mbox = Vec::new();
        for message in &messages {
            append_mboxrd(&mut mbox, message);
        }
        assert!(is_mbox(&mbox));
        let text = String::from_utf8_lossy(&mbox);
        assert!(
            text.contains("\n>From here on")
                && text.contains("\n>>From quoted")
                && text.contains("\n>>>From twice")
        );
        assert_eq!(split_mbox(&mbox), messages);
    }

    #[test]
    fn hostile_subjects_become_safe_names() {
        assert_eq!(
            sanitize_file_name("../../etc/passwd", "x"),
            "_.._etc_passwd"
        );
        assert_eq!(sanitize_file_name("CON", "x"), "_CON");
        assert_eq!(sanitize_file_name("nul.txt", "x"), "_nul.txt");
        assert_eq!(sanitize_file_name("a\0b\r\nc", "x"), "a_b__c");
        assert_eq!(
            sanitize_file_name("evil\u{202E}gpj.exe", "x"),
            "evil_gpj.exe"
        );
        assert_eq!(sanitize_file_name("...hidden", "x"), "hidden");
        assert_eq!(sanitize_file_name("trailing. . ", "x"), "trailing");
        assert_eq!(sanitize_file_name("", "message"), "message");
        assert_eq!(sanitize_file_name("///", "message"), "message");
        assert_eq!(sanitize_file_name("Grüße aus 東京", "x"), "Grüße aus 東京");
        let long = sanitize_file_name(&"ä".repeat(300), "x");
        assert!(long.len() <= MAX_NAME_BYTES && long.chars().all(|c| c == 'ä'));
    }

    /// A store in a temporary folder with three messages from one account.
    struct ThreeMessages {
        dir: tempfile::TempDir,
        reader: Reader,
        /// Their rows, newest first.
        rows: Vec<MessageRow>,
    }

    impl ThreeMessages {
        fn new() -> Self {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("store.sqlite3");
            let mut writer = crate::store::Writer::open(&path).expect("store");
            let settings =
                crate::account::AccountSettings::new("A", "a@example.de", "pop.invalid", "a");
            let account = writer.add_account(&settings, 1).expect("account");
            let batch = (0..3)
                .map(|i| {
                    prepare(Incoming {
                        uidl: format!("u{i}"),
                        raw: format!("Subject: m{i}\r\nDate: Fri, 01 Mar 2024 09:0{i}:00 +0000\r\n\r\nbody {i}\r\n")
                            .into_bytes(),
                        partial: false,
                        fetched_at: 1_700_000_000,
                        server: "pop.invalid".into(),
                        tls_version: None,
                    })
                })
                .collect();
            writer.ingest(account, batch).expect("ingest");
            drop(writer);
            let reader = Reader::open(&path).expect("reader");
            let rows = Source::Account(account).rows(&reader).expect("rows");
            Self { dir, reader, rows }
        }

        /// `name` in the temporary folder.
        fn path(&self, name: &str) -> PathBuf {
            self.dir.path().join(name)
        }

        /// Exports all three as `format` to `to`.
        fn export(&self, format: Format, to: Destination, progress: &Progress) -> Summary {
            export(&self.reader, &self.rows, format, &to, progress).expect("export")
        }
    }

    #[test]
    fn a_cancelled_export_leaves_no_mbox_and_no_partial_file() {
        let store = ThreeMessages::new();
        assert_eq!(store.rows.len(), 3);
        let progress = Progress::default();
        progress.cancel();
        let mbox = store.path("out.mbox");
        let summary = store.export(Format::Mbox, Destination::File(mbox.clone()), &progress);
        assert!(summary.cancelled && summary.written == 0);
        assert!(!mbox.exists() && !partial_path(&mbox).exists());
        assert!(
            summary
                .describe()
                .starts_with("Export cancelled: 0 messages of 3")
        );

        let folder = store.path("eml");
        let summary = store.export(Format::Eml, Destination::Folder(folder.clone()), &progress);
        assert!(summary.cancelled);
        assert_eq!(std::fs::read_dir(&folder).expect("folder").count(), 0);
    }

    #[test]
    fn a_full_export_reports_progress_and_names_files_by_date_and_subject() {
        let store = ThreeMessages::new();
        let progress = Progress::default();
        let folder = store.path("eml");
        let summary = store.export(Format::Eml, Destination::Folder(folder.clone()), &progress);
        assert_eq!(progress.get(), (3, 3));
        assert_eq!(
            summary.describe(),
            format!("Exported 3 messages to {}", folder.display())
        );
        assert!(folder.join("2024-03-01 m2.eml").exists());
        // Into a file that exists: " (2)" is added, the file is left alone.
        let taken = store.path("taken.mbox");
        std::fs::write(&taken, b"mine").expect("write");
        let summary = store.export(Format::Mbox, Destination::File(taken.clone()), &progress);
        assert_eq!(std::fs::read(&taken).expect("read"), b"mine");
        assert_eq!(summary.path, store.path("taken (2).mbox"));
        let messages = split_mbox(&std::fs::read(&summary.path).expect("read"));
        assert_eq!(messages.len(), 3);
        assert!(messages[0].starts_with(b"Subject: m0"), "oldest first");
    }

    #[test]
    fn import_refuses_files_that_are_not_mail() {
        let dir = tempfile::tempdir().expect("tempdir");
        let png = dir.path().join("photo.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n").expect("write");
        let eml = dir.path().join("a.eml");
        std::fs::write(&eml, b"Subject: hi\r\n\r\nbody\r\n").expect("write");
        let mut imported = Vec::new();
        let progress = Progress::default();
        let err = import_files(&[eml.clone(), png], &progress, |batch| {
            imported.extend(batch);
            Ok(())
        })
        .expect_err("not mail");
        assert!(err.0.contains("neither a message"), "{err}");
        assert!(
            imported.is_empty(),
            "a wrong file imports nothing, not even the good one"
        );
        let read = import_files(&[eml], &progress, |batch| {
            imported.extend(batch);
            Ok(())
        });
        assert_eq!(read, Ok(1));
        assert_eq!(imported, [b"Subject: hi\r\n\r\nbody\r\n".to_vec()]);
    }

    #[test]
    fn a_big_mbox_is_imported_in_batches_and_cancel_stops_between_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mbox = dir.path().join("big.mbox");
        let messages: Vec<Vec<u8>> = (0..1_200)
            .map(|i| format!("Subject: {i}\r\n\r\nFrom the body of {i}\r\n").into_bytes())
            .collect();
        let mut bytes = Vec::new();
        for message in &messages {
            append_mboxrd(&mut bytes, message);
        }
        std::fs::write(&mbox, &bytes).expect("write");

        let mut sizes = Vec::new();
        let mut imported = Vec::new();
        let progress = Progress::default();
        let read = import_files(std::slice::from_ref(&mbox), &progress, |batch| {
            sizes.push(batch.len());
            imported.extend(batch);
            Ok(())
        });
        assert_eq!(read, Ok(1_200));
        assert_eq!(sizes, [IMPORT_BATCH, IMPORT_BATCH, 200]);
        assert_eq!(imported, messages, "every message, byte for byte, in order");
        assert_eq!(progress.get(), (1_200, 0));

        let progress = Progress::default();
        let mut batches = 0;
        let read = import_files(&[mbox], &progress, |_| {
            batches += 1;
            progress.cancel();
            Ok(())
        });
        assert_eq!(
            (read, batches),
            (Ok(IMPORT_BATCH), 1),
            "cancel stops after the batch"
        );
    }

    #[test]
    fn existing_files_are_never_overwritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = unused_path(dir.path(), "a", "eml");
        std::fs::write(&first, b"1").expect("write");
        let second = unused_path(dir.path(), "a", "eml");
        assert_eq!(
            second.file_name().and_then(|n| n.to_str()),
            Some("a (2).eml")
        );
        // A name without an extension gets its number at the end, not "README.".
        std::fs::write(dir.path().join("README"), b"1").expect("write");
        let taken = dir.path().join("README");
        assert_eq!(free_path(&taken), dir.path().join("README (2)"));
        assert_eq!(unused_name(dir.path(), "a.eml"), second);
    }
}
