//! `poplar list`, `poplar show` and `poplar export`.

use std::collections::HashSet;
use std::path::PathBuf;

use clap::ValueEnum;

use super::account::find_account;
use super::output::{format_date, json_string, note, print, print_bytes};
use super::{CliError, store_path};
use crate::export::{Destination, Format, Progress};
use crate::store::{FolderKind, ListView, MessageRow, Reader, Sort};

/// Which folders `list` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FolderArg {
    /// Inboxes.
    Inbox,
    /// Trash folders.
    Trash,
    /// Every folder.
    All,
    /// Junk folders.
    Junk,
    /// Your own folders (made with `poplar folder add`).
    Own,
}

/// Arguments of `poplar list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this account (name or id).
    #[arg(long)]
    pub account: Option<String>,
    /// Which folders (default: the inboxes, or every folder when the search names one with
    /// folder:).
    #[arg(long, value_enum)]
    pub folder: Option<FolderArg>,
    /// Only messages this search finds: words, "phrases", -word, and the operators from:,
    /// to:, subject:, body:, has:attachment, is:unread/read/flagged/unflagged, folder:,
    /// account:, before:, after:, date: (as in the window's search field); newest first.
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `poplar show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The message id (from `poplar list`).
    pub id: i64,
    /// The raw message, byte for byte as downloaded.
    #[arg(long, conflicts_with = "text")]
    pub raw: bool,
    /// Only the text of the body.
    #[arg(long)]
    pub text: bool,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One .eml file per message, byte for byte as downloaded.
    Eml,
    /// One mboxrd file holding every message.
    Mbox,
    /// One PDF per message, set for printing as the window shows it.
    Pdf,
}

/// Arguments of `poplar export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The format.
    #[arg(long, value_enum, default_value = "eml")]
    pub format: FormatArg,
    /// For eml and pdf, the folder to write into (created if missing); for mbox, the file to
    /// create.
    #[arg(long, value_name = "PATH")]
    pub to: PathBuf,
    /// Only this account (name or id).
    #[arg(long)]
    pub account: Option<String>,
    /// Which folders (default: all).
    #[arg(long, value_enum, default_value = "all")]
    pub folder: FolderArg,
    /// Only messages this search finds (words and operators, as `list --search`).
    #[arg(long, value_name = "Q")]
    pub search: Option<String>,
    /// Only these message ids, comma-separated.
    #[arg(long, value_name = "1,2,3", value_delimiter = ',')]
    pub ids: Vec<i64>,
}

/// Arguments of `poplar import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// .eml or mbox files; their messages go into the local Imported folder.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

fn open_reader(data_dir: Option<&PathBuf>) -> Result<Reader, CliError> {
    Ok(Reader::open(&store_path(data_dir)?)?)
}

/// The rows of the chosen folders, newest first.
fn rows(reader: &Reader, args: &ListArgs) -> Result<Vec<MessageRow>, CliError> {
    let names_a_folder = args.search.as_deref().is_some_and(|text| {
        crate::search::parse(text).is_ok_and(|query| {
            query
                .terms
                .iter()
                .any(|t| matches!(t.kind, crate::search::TermKind::Folder(_)))
        })
    });
    let folder_choice = args.folder.unwrap_or(if names_a_folder {
        FolderArg::All
    } else {
        FolderArg::Inbox
    });
    let account = match &args.account {
        Some(name) => Some(find_account(&reader.accounts()?, name)?.id),
        None => None,
    };
    let folders: Vec<_> = reader
        .folders()?
        .into_iter()
        .filter(|f| account.is_none() || f.account_id == account)
        .filter(|f| match folder_choice {
            FolderArg::Inbox => f.kind == FolderKind::Inbox,
            FolderArg::Trash => f.kind == FolderKind::Trash,
            FolderArg::All => true,
            FolderArg::Junk => f.kind == FolderKind::Junk,
            FolderArg::Own => f.kind == FolderKind::User,
        })
        .collect();
    if let Some(query) = &args.search {
        // Every hit, newest first, as `list` without a search; operators as in the window.
        let wanted: HashSet<_> = folders.iter().map(|f| f.id).collect();
        let hits = reader
            .search_ids(query, None, Sort::default())?
            .map_err(|problem| CliError::new(problem.sentence()))?;
        let mut rows = Vec::with_capacity(hits.len());
        for chunk in hits.chunks(1000) {
            rows.extend(
                reader
                    .rows(chunk)?
                    .into_iter()
                    .filter(|r| wanted.contains(&r.folder_id)),
            );
        }
        return Ok(rows);
    }
    let mut rows = Vec::new();
    for folder in folders {
        let view = ListView::Folder(folder.id);
        rows.extend(reader.page(view, Sort::default(), 0, reader.count(view)?)?);
    }
    rows.sort_by(|a, b| b.sort_date.cmp(&a.sort_date).then(b.id.cmp(&a.id)));
    Ok(rows)
}

pub(super) fn list(data_dir: Option<&PathBuf>, args: &ListArgs) -> Result<(), CliError> {
    let reader = open_reader(data_dir)?;
    let rows = rows(&reader, args)?;
    let mut out = String::new();
    if args.json {
        out.push('[');
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                "\n  {{\"id\": {}, \"account\": {}, \"folder\": {}, \"date\": {}, \"from_name\": {}, \"from\": {}, \
                 \"subject\": {}, \"size\": {}, \"seen\": {}, \"flagged\": {}, \"attachments\": {}, \"partial\": {}}}",
                row.id,
                row.account_id.map_or("null".into(), |a| a.to_string()),
                row.folder_id,
                row.date.map_or("null".into(), |d| d.to_string()),
                json_string(&row.from_name),
                json_string(&row.from_addr),
                json_string(&row.subject),
                row.size,
                row.seen,
                row.flagged,
                row.has_attachments,
                row.partial,
            ));
        }
        out.push_str(if rows.is_empty() { "]\n" } else { "\n]\n" });
    } else {
        for row in &rows {
            let from = if row.from_name.is_empty() {
                &row.from_addr
            } else {
                &row.from_name
            };
            let flags = format!(
                "{}{}{}{}",
                if row.seen { ' ' } else { 'N' },
                if row.flagged { '!' } else { ' ' },
                if row.has_attachments { '@' } else { ' ' },
                if row.partial { 'P' } else { ' ' }
            );
            out.push_str(&format!(
                "{}\t{flags}\t{}\t{}\t{}\t{}\n",
                row.id,
                format_date(row.sort_date),
                from.replace(['\t', '\n', '\r'], " "),
                row.subject.replace(['\t', '\n', '\r'], " "),
                row.size
            ));
        }
    }
    print(&out)
}

pub(super) fn show(data_dir: Option<&PathBuf>, args: &ShowArgs) -> Result<(), CliError> {
    let reader = open_reader(data_dir)?;
    let message = reader
        .message(args.id)?
        .ok_or_else(|| CliError::new(crate::tr!("cli-no-message", id = args.id)))?;
    if args.raw {
        return print_bytes(&message.raw);
    }
    let mut text = crate::mail::summarize(&message.raw).body_text;
    if text.trim().is_empty() {
        // Only attachments: say so, as the window does.
        let attachments = crate::mail::view::message_view(&message.raw)
            .map(|view| view.attachments)
            .unwrap_or_default();
        if let Some(sentence) = crate::app::loader::only_attachments(&attachments) {
            text = sentence;
        }
    }
    if args.text {
        return print(&format!("{text}\n"));
    }
    let from = if message.row.from_name.is_empty() {
        message.row.from_addr.clone()
    } else {
        format!("{} <{}>", message.row.from_name, message.row.from_addr)
    };
    let mut out = format!("From: {from}\nTo: {}\n", message.to_list);
    if !message.cc_list.is_empty() {
        out.push_str(&format!("Cc: {}\n", message.cc_list));
    }
    out.push_str(&format!(
        "Date: {}\nSubject: {}\n",
        message
            .row
            .date
            .map_or_else(|| "(none)".to_owned(), format_date),
        message.row.subject
    ));
    out.push_str(&provenance(&reader, &message)?);
    if message.row.partial {
        out.push_str(
            "(Only the headers and the first lines were downloaded; the rest is on the server.)\n",
        );
    }
    out.push('\n');
    out.push_str(&text);
    out.push('\n');
    print(&out)
}

/// Where a message came from, as `show` prints it below its header: the account, and for
/// downloaded mail the server, UIDL, when and over which TLS version.
fn provenance(
    reader: &crate::store::Reader,
    message: &crate::store::StoredMessage,
) -> Result<String, CliError> {
    let account = match message.row.account_id {
        Some(id) => reader
            .accounts()?
            .into_iter()
            .find(|a| a.id == id)
            .map_or_else(|| format!("#{id} (removed)"), |a| a.settings.name),
        None => "Local".to_owned(),
    };
    let mut out = format!("Account: {account}\n");
    match (&message.server, &message.uidl) {
        (Some(server), Some(uidl)) => {
            out.push_str(&format!(
                "Server: {server}\nUIDL: {uidl}\nDownloaded: {}\nTLS: {}\n",
                format_date(message.fetched_at),
                message.tls_version.as_deref().unwrap_or("(not recorded)")
            ));
        }
        _ => out.push_str(&format!("Imported: {}\n", format_date(message.fetched_at))),
    }
    Ok(out)
}

pub(super) fn export(data_dir: Option<&PathBuf>, args: &ExportArgs) -> Result<(), CliError> {
    let reader = open_reader(data_dir)?;
    let rows = if args.ids.is_empty() {
        let list = ListArgs {
            account: args.account.clone(),
            folder: Some(args.folder),
            search: args.search.clone(),
            json: false,
        };
        rows(&reader, &list)?
    } else {
        reader.rows(&args.ids)?
    };
    let (format, to) = match args.format {
        FormatArg::Pdf => {
            let written = crate::print::write_pdfs(&reader, &rows, &args.to)
                .map_err(|err| CliError::new(err.to_string()))?;
            note(&crate::tr!(
                "cli-exported",
                count = written,
                path = args.to.display().to_string()
            ));
            return Ok(());
        }
        FormatArg::Eml => (Format::Eml, Destination::Folder(args.to.clone())),
        FormatArg::Mbox => {
            if args.to.exists() {
                return Err(CliError::new(crate::tr!(
                    "cli-exists",
                    path = args.to.display().to_string()
                )));
            }
            (Format::Mbox, Destination::File(args.to.clone()))
        }
    };
    let summary = crate::export::export(&reader, &rows, format, &to, &Progress::default())
        .map_err(|err| CliError::new(err.to_string()))?;
    note(&crate::tr!(
        "cli-exported",
        count = summary.written,
        path = summary.path.display().to_string()
    ));
    Ok(())
}

pub(super) fn import(data_dir: Option<&PathBuf>, args: &ImportArgs) -> Result<(), CliError> {
    let mut writer = crate::store::Writer::open(&store_path(data_dir)?)?;
    let (mut added, mut known) = (0, 0);
    crate::export::import_files(&args.files, &Progress::default(), |raws| {
        let now = crate::store::now();
        let batch = raws
            .into_iter()
            .map(|raw| crate::export::prepare_imported(raw, now))
            .collect();
        let results = writer.import(batch)?;
        let stored = results
            .iter()
            .filter(|r| matches!(r, crate::store::Ingest::Stored(_)))
            .count();
        added += stored;
        known += results.len() - stored;
        Ok(())
    })
    .map_err(|err| CliError::new(err.to_string()))?;
    note(&crate::tr!("cli-imported", added = added, known = known));
    Ok(())
}
