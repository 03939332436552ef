//! `poplar sync`: one check of every account (or one), through the same engine as the window.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::sync::Arc;

use super::account::find_account;
use super::output::{note, print};
use super::{CliError, data_dir, store_path};
use crate::desktop::instance::{self, CheckLine};
use crate::store::{AccountId, Reader};
use crate::sync::{Engine, EngineConfig, Event, KeyringSecrets, PassReport};

/// Arguments of `poplar sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Only this account (name or id).
    #[arg(long)]
    pub account: Option<String>,
}

pub(super) fn run(dir: Option<&PathBuf>, args: &SyncArgs) -> Result<(), CliError> {
    let path = store_path(dir)?;
    let accounts = {
        let reader = Reader::open(&path)?;
        reader.accounts()?
    };
    let targets: Vec<(AccountId, String)> = match &args.account {
        Some(name) => {
            let account = find_account(&accounts, name)?;
            vec![(account.id, account.settings.name)]
        }
        None => accounts
            .iter()
            .map(|a| (a.id, a.settings.name.clone()))
            .collect(),
    };
    if targets.is_empty() {
        note(&format!("poplar: {}", crate::tr!("cli-no-accounts")));
        return Ok(());
    }
    let names: HashMap<AccountId, String> = targets.iter().cloned().collect();
    let account = args.account.as_ref().map(|_| targets[0].0);
    // The window holds the store: it checks for us and tells us how it went.
    if let Some(running) = instance::running(&data_dir(dir)?) {
        note(&format!("poplar: {}", crate::tr!("cli-window-checks")));
        let lines = running.check(account).map_err(|err| {
            CliError::new(crate::tr!("cli-window-silent", error = err.to_string()))
        })?;
        let lines = lines.map_while(|line| match line {
            Ok(line) => Some(line),
            Err(err) => {
                note(&format!(
                    "poplar: {}",
                    crate::tr!("cli-window-stopped", error = err.to_string())
                ));
                None
            }
        });
        return report(&names, &targets, lines);
    }
    let mut config = EngineConfig::new(&path, Arc::new(KeyringSecrets));
    config.schedule = false;
    let engine = Engine::start(config)?;
    let events = engine.subscribe();
    engine.check_now(account);
    let lines = std::iter::from_fn(|| {
        loop {
            let event = events.recv_blocking().ok()?;
            return Some(match event {
                Event::Progress { account, progress } => CheckLine::Progress(account, progress),
                Event::Finished { account, report } => CheckLine::Finished(account, report),
                Event::Failed { account, error, .. } => {
                    CheckLine::Failed(account, crate::app::trouble::for_terminal(&error))
                }
                _ => continue,
            });
        }
    });
    let result = report(&names, &targets, lines);
    engine.shutdown();
    result
}

/// Follows a check's lines until every target has ended, then prints the summary.
fn report(
    names: &HashMap<AccountId, String>,
    targets: &[(AccountId, String)],
    mut lines: impl Iterator<Item = CheckLine>,
) -> Result<(), CliError> {
    let bar = std::io::stderr().is_terminal();
    let mut waiting: HashSet<AccountId> = targets.iter().map(|(id, _)| *id).collect();
    let mut finished: Vec<(String, PassReport)> = Vec::new();
    let mut failed: Vec<(String, String)> = Vec::new();
    while !waiting.is_empty() {
        let Some(line) = lines.next() else {
            break;
        };
        match line {
            CheckLine::Progress(account, progress) if names.contains_key(&account) => {
                let name = &names[&account];
                let line = crate::tr!(
                    "cli-sync-progress",
                    account = name.as_str(),
                    done = progress.messages_done,
                    total = progress.messages_total,
                    mb_done = decimal(progress.bytes_done as f64 / 1e6, 1),
                    mb_total = decimal(progress.bytes_total as f64 / 1e6, 1)
                );
                if bar {
                    let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
                } else if progress.messages_total > 0
                    && (progress.messages_done == progress.messages_total
                        || progress.messages_done % 500 == 0)
                {
                    note(&line);
                }
            }
            CheckLine::Finished(account, report) if waiting.remove(&account) => {
                if bar {
                    let _ = write!(std::io::stderr(), "\r\x1b[2K");
                }
                finished.push((names[&account].clone(), report));
            }
            CheckLine::Failed(account, error) if waiting.remove(&account) => {
                if bar {
                    let _ = write!(std::io::stderr(), "\r\x1b[2K");
                }
                failed.push((
                    names
                        .get(&account)
                        .cloned()
                        .unwrap_or_else(|| account.to_string()),
                    error,
                ));
            }
            _ => {}
        }
    }
    for (id, name) in targets {
        if waiting.contains(id) {
            failed.push((name.clone(), crate::tr!("cli-sync-no-result")));
        }
    }
    let mut summary = String::new();
    for (name, report) in &finished {
        let partial = if report.partial > 0 {
            crate::tr!("cli-sync-partial", count = report.partial)
        } else {
            String::new()
        };
        let duplicates = if report.duplicates > 0 {
            crate::tr!("cli-sync-duplicates", count = report.duplicates)
        } else {
            String::new()
        };
        summary.push_str(&crate::tr!(
            "cli-sync-summary",
            account = name.as_str(),
            new = report.downloaded,
            partial = partial,
            duplicates = duplicates,
            deleted = report.deleted_on_server,
            seconds = decimal(report.duration.as_secs_f64(), 2)
        ));
        summary.push('\n');
        for warning in &report.warnings {
            note(&format!("poplar: {name}: {warning}"));
        }
    }
    print(&summary)?;
    for (name, error) in &failed {
        note(&format!("poplar: {name}: {error}"));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError {
            message: String::new(),
            code: 1,
        })
    }
}

/// A number with `places` decimals, with the language's decimal mark (1.5 / 1,5).
fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    match crate::i18n::language() {
        crate::i18n::Language::German => text.replace('.', ","),
        crate::i18n::Language::English => text,
    }
}
