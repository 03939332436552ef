//! `poplar folder add|list|rename|remove`: the user's own folders, from the command line.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::account::find_account;
use super::output::{json_string, print};
use super::rule::{find_folder, folder_path};
use super::{CliError, store_path};
use crate::store::{FolderKind, Reader, Writer};

/// `poplar folder …`
#[derive(Debug, Subcommand)]
pub enum FolderCommand {
    /// Make a folder: under an account (--account) or under Local, at the top or inside
    /// another (--parent).
    Add(AddArgs),
    /// List every folder with its path, unread and total counts.
    List(ListArgs),
    /// Rename one of your own folders.
    Rename(RenameArgs),
    /// Delete one of your own folders and its subfolders; their mail goes to Trash.
    Remove(RemoveArgs),
}

/// `poplar folder add`
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The new folder's name.
    pub name: String,
    /// The account it belongs to (default: Local).
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// The folder it goes inside: its name or `Parent/Name`.
    #[arg(long, value_name = "FOLDER")]
    pub parent: Option<String>,
}

/// `poplar folder list`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON array instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// `poplar folder rename`
#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The folder: its name or `Parent/Name`.
    pub folder: String,
    /// Its new name.
    pub name: String,
}

/// `poplar folder remove`
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The folder: its name or `Parent/Name`.
    pub folder: String,
}

pub fn run(data_dir: Option<&PathBuf>, command: &FolderCommand) -> Result<(), CliError> {
    let path = store_path(data_dir)?;
    match command {
        FolderCommand::Add(args) => {
            let mut writer = Writer::open(&path)?;
            let reader = writer.reader()?;
            let accounts = reader.accounts()?;
            let folders = reader.folders()?;
            let parent = match &args.parent {
                Some(name) => Some(find_folder(&folders, &accounts, name)?),
                None => None,
            };
            // Inside another folder, it belongs to that folder's account unless told.
            let account = match (&args.account, parent) {
                (Some(name), _) => Some(find_account(&accounts, name)?.id),
                (None, Some(parent)) => parent.account_id,
                (None, None) => None,
            };
            writer.create_folder(account, parent.map(|p| p.id), &args.name)?;
            print(&format!(
                "{}\n",
                crate::tr!("cli-folder-added", name = args.name.trim())
            ))
        }
        FolderCommand::List(args) => {
            let reader = Reader::open(&path)?;
            let folders = reader.folders()?;
            let accounts = reader.accounts()?;
            let account_name = |id: Option<i64>| {
                id.and_then(|id| accounts.iter().find(|a| a.id == id))
                    .map(|a| a.settings.name.clone())
            };
            if args.json {
                let items: Vec<String> = folders
                    .iter()
                    .map(|f| {
                        format!(
                            "\n  {{\"id\": {}, \"account\": {}, \"kind\": {}, \"name\": {}, \"path\": {}, \"parent\": {}, \"total\": {}, \"unread\": {}}}",
                            f.id,
                            f.account_id.map_or_else(|| "null".into(), |id| id.to_string()),
                            json_string(kind_name(f.kind)),
                            json_string(&f.name),
                            json_string(&folder_path(&folders, f)),
                            f.parent.map_or_else(|| "null".into(), |id| id.to_string()),
                            f.total,
                            f.unread
                        )
                    })
                    .collect();
                let sep = if items.is_empty() { "" } else { "\n" };
                return print(&format!("[{}{sep}]\n", items.join(",")));
            }
            let text: String = folders
                .iter()
                .map(|f| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\n",
                        f.id,
                        account_name(f.account_id).unwrap_or_else(|| "Local".into()),
                        folder_path(&folders, f),
                        f.unread,
                        f.total
                    )
                })
                .collect();
            print(&text)
        }
        FolderCommand::Rename(args) => {
            let mut writer = Writer::open(&path)?;
            let reader = writer.reader()?;
            let folder = find_folder(&reader.folders()?, &reader.accounts()?, &args.folder)?.id;
            writer.rename_folder(folder, &args.name)?;
            print(&format!(
                "{}\n",
                crate::tr!("cli-folder-renamed", name = args.name.trim())
            ))
        }
        FolderCommand::Remove(args) => {
            let mut writer = Writer::open(&path)?;
            let reader = writer.reader()?;
            let folder = find_folder(&reader.folders()?, &reader.accounts()?, &args.folder)?.id;
            let moved = writer.delete_folder(folder, crate::store::now())?;
            print(&format!(
                "{}\n",
                crate::tr!(
                    "cli-folder-removed",
                    name = args.folder.clone(),
                    count = moved
                )
            ))
        }
    }
}

/// The kind's name in `folder list --json`.
fn kind_name(kind: FolderKind) -> &'static str {
    match kind {
        FolderKind::Inbox => "inbox",
        FolderKind::Trash => "trash",
        FolderKind::Imported => "imported",
        FolderKind::User => "folder",
        FolderKind::Junk => "junk",
    }
}
