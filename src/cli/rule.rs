//! `poplar rule add|list|remove|run`: the rules on arrival, from the command line.
//!
//! A condition is written `FIELD OP VALUE`: FIELD is `from`, `to` (To and Cc), `subject`,
//! `header:NAME`, `size` (kilobytes), `attachment` or `account` (a name); OP is `contains`,
//! `not-contains`, `is`, `is-not`, `starts-with`, `ends-with`, `greater` or `less`. Text is
//! compared ignoring case and accents, as search does.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::account::find_account;
use super::output::{json_string, print};
use super::{CliError, store_path};
use crate::rules::{Action, Condition, Field, Op, Rule, Scope};
use crate::store::{Account, Folder, FolderKind, Reader, RuleNotice, StoredRule, Writer};

/// `poplar rule …`
#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// Add a rule after the others: it runs on every message that arrives from now on.
    Add(AddArgs),
    /// List the rules in the order they run.
    List(ListArgs),
    /// Remove a rule, by its number in `rule list` or by its name.
    Remove(RemoveArgs),
    /// Run the rules now over the mail already here (default: every account's Inbox).
    Run(RunArgs),
}

/// `poplar rule add`
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The rule's name.
    pub name: String,
    /// A condition, `FIELD OP VALUE` (for example `subject contains Rechnung`); repeatable.
    #[arg(long = "if", value_name = "CONDITION", required = true)]
    pub conditions: Vec<String>,
    /// Match when any condition holds (default: all of them).
    #[arg(long)]
    pub any: bool,
    /// Only mail of this account (name); repeatable. Default: every account.
    #[arg(long = "account", value_name = "NAME")]
    pub accounts: Vec<String>,
    /// Move matching mail to this folder: its name, or `Parent/Name` where names repeat.
    #[arg(long, value_name = "FOLDER")]
    pub move_to: Option<String>,
    /// Move matching mail to Trash.
    #[arg(long, conflicts_with = "move_to")]
    pub trash: bool,
    /// Mark matching mail read.
    #[arg(long)]
    pub mark_read: bool,
    /// Flag matching mail.
    #[arg(long)]
    pub flag: bool,
    /// Run no later rules on mail this one matched.
    #[arg(long)]
    pub stop: bool,
    /// Add it switched off.
    #[arg(long)]
    pub disabled: bool,
}

/// `poplar rule list`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON array instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// `poplar rule remove`
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The rule's number in `rule list`, or its name.
    pub rule: String,
}

/// `poplar rule run`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The folder to run over: its name or `Parent/Name` (`Inbox` alone: every Inbox).
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
}

pub fn run(data_dir: Option<&PathBuf>, command: &RuleCommand) -> Result<(), CliError> {
    let path = store_path(data_dir)?;
    match command {
        RuleCommand::Add(args) => add(&path, args),
        RuleCommand::List(args) => list(&path, args),
        RuleCommand::Remove(args) => remove(&path, args),
        RuleCommand::Run(args) => run_now(&path, args),
    }
}

fn add(path: &std::path::Path, args: &AddArgs) -> Result<(), CliError> {
    let mut writer = Writer::open(path)?;
    let reader = writer.reader()?;
    let accounts = reader.accounts()?;
    let folders = reader.folders()?;
    let conditions = args
        .conditions
        .iter()
        .map(|text| parse_condition(text, &accounts))
        .collect::<Result<Vec<_>, _>>()?;
    let mut actions = Vec::new();
    if let Some(name) = &args.move_to {
        actions.push(Action::MoveTo(find_folder(&folders, &accounts, name)?.id));
    }
    if args.trash {
        actions.push(Action::MoveToTrash);
    }
    if args.mark_read {
        actions.push(Action::MarkRead);
    }
    if args.flag {
        actions.push(Action::Flag);
    }
    let scope = if args.accounts.is_empty() {
        Scope::AllAccounts
    } else {
        Scope::Accounts(
            args.accounts
                .iter()
                .map(|name| find_account(&accounts, name).map(|a| a.id))
                .collect::<Result<_, _>>()?,
        )
    };
    let rule = Rule {
        name: args.name.trim().to_owned(),
        enabled: !args.disabled,
        scope,
        match_all: !args.any,
        conditions,
        actions,
        stop: args.stop,
    };
    writer.add_rule(&rule)?;
    let position = reader.rules()?.len();
    print(&format!(
        "{}\n",
        crate::tr!("cli-rule-added", name = rule.name, number = position)
    ))
}

fn list(path: &std::path::Path, args: &ListArgs) -> Result<(), CliError> {
    let reader = Reader::open(path)?;
    let rules = reader.rules()?;
    let folders = reader.folders()?;
    let accounts = reader.accounts()?;
    if args.json {
        let items: Vec<String> = rules
            .iter()
            .enumerate()
            .map(|(index, stored)| {
                let definition = stored
                    .rule
                    .as_ref()
                    .and_then(|rule| serde_json::to_string(rule).ok())
                    .unwrap_or_else(|| "null".into());
                format!(
                    "\n  {{\"number\": {}, \"id\": {}, \"name\": {}, \"enabled\": {}, \"notice\": {}, \"rule\": {}}}",
                    index + 1,
                    stored.id,
                    json_string(stored.rule.as_ref().map_or("", |r| r.name.as_str())),
                    stored.rule.as_ref().is_some_and(|r| r.enabled),
                    stored
                        .notice
                        .map_or_else(|| "null".to_owned(), |n| json_string(n.code())),
                    definition
                )
            })
            .collect();
        let sep = if items.is_empty() { "" } else { "\n" };
        return print(&format!("[{}{sep}]\n", items.join(",")));
    }
    if rules.is_empty() {
        return print(&format!("{}\n", crate::tr!("cli-rule-none")));
    }
    let text: String = rules
        .iter()
        .enumerate()
        .map(|(index, stored)| describe(index + 1, stored, &folders, &accounts))
        .collect();
    print(&text)
}

/// One line of `rule list`: number, on/off, name, what it does; a notice below it.
fn describe(
    number: usize,
    stored: &StoredRule,
    folders: &[Folder],
    accounts: &[Account],
) -> String {
    let Some(rule) = &stored.rule else {
        return format!("{number}\t?\t{}\n", crate::tr!("cli-rule-unreadable"));
    };
    let state = if rule.enabled { "on" } else { "off" };
    let joiner = if rule.match_all { " and " } else { " or " };
    let conditions: Vec<String> = rule
        .conditions
        .iter()
        .map(|c| condition_text(c, accounts))
        .collect();
    let actions: Vec<String> = rule
        .actions
        .iter()
        .map(|action| match action {
            Action::MoveTo(id) => format!(
                "move to {}",
                folders.iter().find(|f| f.id == *id).map_or_else(
                    || "(a deleted folder)".to_owned(),
                    |f| folder_path(folders, f)
                )
            ),
            Action::MoveToTrash => "move to Trash".into(),
            Action::MarkRead => "mark read".into(),
            Action::Flag => "flag".into(),
        })
        .collect();
    let stop = if rule.stop { ", stop" } else { "" };
    let mut line = format!(
        "{number}\t{state}\t{}\tif {}: {}{stop}\n",
        rule.name,
        conditions.join(joiner),
        actions.join(", ")
    );
    if stored.notice == Some(RuleNotice::FolderGone) {
        line.push_str(&format!("\t\t{}\n", crate::tr!("cli-rule-folder-gone")));
    }
    line
}

fn condition_text(condition: &Condition, accounts: &[Account]) -> String {
    let field = match &condition.field {
        Field::From => "from".to_owned(),
        Field::ToOrCc => "to".to_owned(),
        Field::Subject => "subject".to_owned(),
        Field::Header(name) => format!("header:{name}"),
        Field::Size => "size".to_owned(),
        Field::HasAttachment => "attachment".to_owned(),
        Field::Account => "account".to_owned(),
    };
    let op = OPS
        .iter()
        .find(|(_, op)| *op == condition.op)
        .map_or("?", |(name, _)| name);
    let value = match condition.field {
        Field::Account => condition
            .value
            .parse::<i64>()
            .ok()
            .and_then(|id| accounts.iter().find(|a| a.id == id))
            .map_or_else(|| condition.value.clone(), |a| a.settings.name.clone()),
        _ => condition.value.clone(),
    };
    format!("{field} {op} {value:?}")
        .trim_end_matches(" \"\"")
        .to_owned()
}

const OPS: [(&str, Op); 8] = [
    ("contains", Op::Contains),
    ("not-contains", Op::NotContains),
    ("is", Op::Is),
    ("is-not", Op::IsNot),
    ("starts-with", Op::StartsWith),
    ("ends-with", Op::EndsWith),
    ("greater", Op::Greater),
    ("less", Op::Less),
];

/// `FIELD OP VALUE`, the value being the rest of the text (it may hold spaces).
fn parse_condition(text: &str, accounts: &[Account]) -> Result<Condition, CliError> {
    let bad = || {
        CliError::new(crate::tr!(
            "cli-rule-bad-condition",
            text = format!("{text:?}")
        ))
    };
    let mut parts = text.trim().splitn(3, char::is_whitespace);
    let field = parts.next().filter(|f| !f.is_empty()).ok_or_else(bad)?;
    let op = parts.next().ok_or_else(bad)?;
    let value = parts.next().unwrap_or("").trim().to_owned();
    let field = match field.to_ascii_lowercase().as_str() {
        "from" => Field::From,
        "to" | "cc" | "to-or-cc" => Field::ToOrCc,
        "subject" => Field::Subject,
        "size" => Field::Size,
        "attachment" => Field::HasAttachment,
        "account" => Field::Account,
        other => match other.strip_prefix("header:") {
            Some(name) if !name.is_empty() => Field::Header(field["header:".len()..].to_owned()),
            _ => return Err(bad()),
        },
    };
    let op = OPS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(op))
        .map(|(_, op)| *op)
        .ok_or_else(bad)?;
    let value = if field == Field::Account {
        find_account(accounts, &value)?.id.to_string()
    } else {
        value
    };
    Ok(Condition { field, op, value })
}

/// A folder's name with its parents, `Work/Clients`; an account's own folders (Inbox, Trash,
/// Junk) as `Account/Inbox`.
pub(super) fn folder_path(folders: &[Folder], folder: &Folder) -> String {
    let mut names = vec![crate::app::format::folder_name(folder)];
    let mut parent = folder.parent;
    let mut guard = 0;
    while let Some(id) = parent
        && guard < 16
    {
        guard += 1;
        let Some(up) = folders.iter().find(|f| f.id == id) else {
            break;
        };
        names.push(crate::app::format::folder_name(up));
        parent = up.parent;
    }
    names.reverse();
    names.join("/")
}

/// A folder by name or path (case-insensitive), refusing a name that several folders have.
pub(super) fn find_folder<'f>(
    folders: &'f [Folder],
    accounts: &[Account],
    name: &str,
) -> Result<&'f Folder, CliError> {
    let wanted = name.trim().trim_matches('/').to_lowercase();
    let account_name = |f: &Folder| {
        f.account_id
            .and_then(|id| accounts.iter().find(|a| a.id == id))
            .map(|a| a.settings.name.to_lowercase())
    };
    let matches: Vec<&Folder> = folders
        .iter()
        .filter(|f| {
            let path = folder_path(folders, f).to_lowercase();
            let own = f.name.to_lowercase();
            path == wanted
                || (f.kind == FolderKind::User && own == wanted)
                || account_name(f).is_some_and(|a| format!("{a}/{path}") == wanted)
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::new(crate::tr!(
            "cli-rule-no-folder",
            name = format!("{name:?}")
        ))),
        many => Err(CliError::new(crate::tr!(
            "cli-rule-ambiguous-folder",
            name = format!("{name:?}"),
            count = many.len()
        ))),
    }
}

fn remove(path: &std::path::Path, args: &RemoveArgs) -> Result<(), CliError> {
    let mut writer = Writer::open(path)?;
    let rules = writer.reader()?.rules()?;
    let by_number = args
        .rule
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|index| rules.get(index));
    let found = by_number.or_else(|| {
        rules
            .iter()
            .find(|r| r.rule.as_ref().is_some_and(|rule| rule.name == args.rule))
    });
    let Some(found) = found else {
        return Err(CliError::new(crate::tr!(
            "cli-rule-not-found",
            rule = format!("{:?}", args.rule)
        )));
    };
    writer.remove_rule(found.id)?;
    let name = found.rule.as_ref().map_or("?", |r| r.name.as_str());
    print(&format!(
        "{}\n",
        crate::tr!("cli-rule-removed", name = name)
    ))
}

fn run_now(path: &std::path::Path, args: &RunArgs) -> Result<(), CliError> {
    let mut writer = Writer::open(path)?;
    let reader = writer.reader()?;
    let folders = reader.folders()?;
    let ids: Vec<_> = match &args.folder {
        Some(name) if !name.trim().eq_ignore_ascii_case("inbox") => {
            vec![find_folder(&folders, &reader.accounts()?, name)?.id]
        }
        _ => folders
            .iter()
            .filter(|f| f.kind == FolderKind::Inbox && f.account_id.is_some())
            .map(|f| f.id)
            .collect(),
    };
    let done = writer.run_rules(&ids)?;
    print(&format!(
        "{}\n",
        crate::tr!(
            "cli-rule-ran",
            examined = done.examined,
            matched = done.matched,
            moved = done.moved
        )
    ))
}
