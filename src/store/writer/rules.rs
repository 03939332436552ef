//! The writer's rule methods: keeping the rules on arrival (add, replace, remove, reorder),
//! switching off rules whose folder is gone, and running the rules over stored mail on
//! demand ("Run rules now"). Running them on arrival is `filing.rs`, inside the ingest.

use rusqlite::{Transaction, params};

use super::Writer;
use crate::rules::{Action, MessageFacts, Rule, evaluate};
use crate::store::error::{StoreError, StoreErrorKind};
use crate::store::model::*;
use crate::store::query;

fn invalid(path: &std::path::Path, detail: impl Into<String>) -> StoreError {
    StoreError::new(StoreErrorKind::Invalid, path, detail)
}

/// Refuses a rule that is not well formed, or that moves mail to a folder that is not there
/// (or to a Trash: that is [`Action::MoveToTrash`]).
fn check_rule(tx: &Transaction<'_>, path: &std::path::Path, rule: &Rule) -> Result<(), StoreError> {
    rule.validate()
        .map_err(|err| invalid(path, err.to_string()))?;
    for action in &rule.actions {
        if let Action::MoveTo(folder) = action {
            let kind: Option<i64> = tx
                .query_row("SELECT kind FROM folders WHERE id = ?1", [folder], |row| {
                    row.get(0)
                })
                .map(Some)
                .or_else(|err| match err {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    other => Err(other),
                })
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            match kind.and_then(FolderKind::from_code) {
                None => {
                    return Err(invalid(
                        path,
                        format!(
                            "the rule {:?} moves mail to a folder that does not exist",
                            rule.name
                        ),
                    ));
                }
                Some(FolderKind::Trash) => {
                    return Err(invalid(
                        path,
                        format!(
                            "the rule {:?} moves mail to a Trash folder; use \"move to Trash\"",
                            rule.name
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

fn to_json(path: &std::path::Path, rule: &Rule) -> Result<String, StoreError> {
    serde_json::to_string(rule).map_err(|err| invalid(path, err.to_string()))
}

impl Writer {
    /// Adds a rule after the others. Refused with the reason when it is not well formed or
    /// names a folder that is not there.
    pub fn add_rule(&mut self, rule: &Rule) -> Result<RuleId, StoreError> {
        self.transaction(|tx, path| {
            check_rule(tx, path, rule)?;
            let json = to_json(path, rule)?;
            tx.execute(
                "INSERT INTO rules (position, definition) \
                 VALUES ((SELECT coalesce(max(position), 0) + 1 FROM rules), ?1)",
                [json],
            )
            .map_err(|err| StoreError::from_sqlite(path, &err))?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Replaces a rule (keeping its place), clearing any notice it had.
    pub fn replace_rule(&mut self, id: RuleId, rule: &Rule) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            check_rule(tx, path, rule)?;
            let json = to_json(path, rule)?;
            let changed = tx
                .execute(
                    "UPDATE rules SET definition = ?2, notice = NULL WHERE id = ?1",
                    params![id, json],
                )
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            if changed == 0 {
                return Err(invalid(path, format!("there is no rule {id}")));
            }
            Ok(())
        })
    }

    /// Removes a rule.
    pub fn remove_rule(&mut self, id: RuleId) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let changed = tx
                .execute("DELETE FROM rules WHERE id = ?1", [id])
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            if changed == 0 {
                return Err(invalid(path, format!("there is no rule {id}")));
            }
            Ok(())
        })
    }

    /// Puts a rule at `index` (0 first; past the end: last), the others keeping their order.
    pub fn move_rule(&mut self, id: RuleId, index: usize) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let mut order: Vec<RuleId> = query::rules(tx)
                .map_err(sql_error)?
                .into_iter()
                .map(|stored| stored.id)
                .collect();
            let Some(from) = order.iter().position(|other| *other == id) else {
                return Err(invalid(path, format!("there is no rule {id}")));
            };
            order.remove(from);
            order.insert(index.min(order.len()), id);
            for (position, rule) in order.iter().enumerate() {
                tx.execute(
                    "UPDATE rules SET position = ?2 WHERE id = ?1",
                    params![rule, position as i64 + 1],
                )
                .map_err(sql_error)?;
            }
            Ok(())
        })
    }
}

/// What running the rules over stored mail did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RulesRun {
    /// Messages the rules looked at.
    pub examined: u64,
    /// Messages at least one rule matched.
    pub matched: u64,
    /// Messages filed elsewhere (a folder or Trash).
    pub moved: u64,
}

impl Writer {
    /// Runs the enabled rules, in order, over the mail in `folders` ("Run rules now"), in
    /// one transaction, as they run on arrival: a message a rule files goes to that folder
    /// or to its account's Trash (from where "Restore" puts it back), and is marked read or
    /// flagged as the rules say. The provider's spam marks are not looked at again.
    pub fn run_rules(&mut self, folders: &[FolderId]) -> Result<RulesRun, StoreError> {
        let json = serde_json::to_string(folders).unwrap_or_else(|_| "[]".into());
        self.run_rules_where("folder_id IN (SELECT value FROM json_each(?1))", json)
    }

    /// Runs the enabled rules over these messages ("Run rules now" on a selection), as
    /// [`Writer::run_rules`] does over folders. Unknown ids are skipped.
    pub fn run_rules_on(&mut self, ids: &[MessageId]) -> Result<RulesRun, StoreError> {
        let json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        self.run_rules_where("id IN (SELECT value FROM json_each(?1))", json)
    }

    /// Runs the enabled rules over the messages `filter` (SQL on `messages`, with the JSON
    /// array `json` as ?1) selects.
    fn run_rules_where(&mut self, filter: &str, json: String) -> Result<RulesRun, StoreError> {
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let rules: Vec<Rule> = query::rules(tx)
                .map_err(sql_error)?
                .into_iter()
                .filter_map(|stored| stored.rule)
                .filter(|rule| rule.enabled)
                .collect();
            let mut run = RulesRun::default();
            if rules.is_empty() {
                return Ok(run);
            }
            let kinds = query::folder_kinds(tx).map_err(sql_error)?;
            let messages: Vec<(MessageId, Option<AccountId>, FolderId)> = {
                let mut stmt = tx
                    .prepare(&format!(
                        "SELECT id, account_id, folder_id FROM messages WHERE {filter} ORDER BY id"
                    ))
                    .map_err(sql_error)?;
                let rows = stmt
                    .query_map([&json], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                    .map_err(sql_error)?;
                rows.collect::<rusqlite::Result<_>>().map_err(sql_error)?
            };
            for (id, account, folder) in messages {
                let raw: Vec<u8> = tx
                    .prepare_cached("SELECT raw FROM message_raw WHERE message_id = ?1")
                    .and_then(|mut stmt| stmt.query_row([id], |row| row.get(0)))
                    .map_err(sql_error)?;
                run.examined += 1;
                // Local mail belongs to no account: only rules for all accounts apply.
                let facts = MessageFacts::from_raw(&raw, account.unwrap_or(0));
                let outcome = evaluate(&rules, &facts);
                if outcome.matched.is_empty() {
                    continue;
                }
                run.matched += 1;
                if outcome.mark_read {
                    tx.prepare_cached("UPDATE messages SET seen = 1 WHERE id = ?1 AND seen = 0")
                        .and_then(|mut stmt| stmt.execute([id]))
                        .map_err(sql_error)?;
                }
                if outcome.flag {
                    tx.prepare_cached("UPDATE messages SET flagged = 1 WHERE id = ?1")
                        .and_then(|mut stmt| stmt.execute([id]))
                        .map_err(sql_error)?;
                }
                let target = if outcome.to_trash {
                    query::folder_of(tx, account, FolderKind::Trash)
                        .map_err(sql_error)?
                        .map(|trash| (trash, FolderKind::Trash))
                } else {
                    outcome.folder.and_then(|to| match kinds.get(&to) {
                        Some(FolderKind::Trash) | None => None,
                        Some(kind) => Some((to, *kind)),
                    })
                };
                let Some((to, kind)) = target else {
                    continue;
                };
                if to == folder {
                    continue;
                }
                let (origin, deleted_at) = if kind == FolderKind::Trash {
                    (Some(folder), Some(crate::store::now()))
                } else {
                    (None, None)
                };
                tx.prepare_cached(
                    "UPDATE messages SET folder_id = ?2, box = ?3, origin_folder_id = ?4, \
                     deleted_at = ?5 WHERE id = ?1",
                )
                .and_then(|mut stmt| stmt.execute(params![id, to, kind.code(), origin, deleted_at]))
                .map_err(sql_error)?;
                run.moved += 1;
            }
            Ok(run)
        })
    }
}

/// Switches off every rule that moves mail to one of `folders` (being deleted), with a
/// notice saying so: its mail then stays where it arrives.
pub(super) fn disable_rules_into(
    tx: &Transaction<'_>,
    folders: &[FolderId],
) -> rusqlite::Result<()> {
    for stored in query::rules(tx)? {
        let Some(mut rule) = stored.rule else {
            continue;
        };
        let into_gone = rule
            .actions
            .iter()
            .any(|action| matches!(action, Action::MoveTo(f) if folders.contains(f)));
        if !into_gone || !rule.enabled {
            continue;
        }
        rule.enabled = false;
        let json = serde_json::to_string(&rule).unwrap_or_default();
        tx.execute(
            "UPDATE rules SET definition = ?2, notice = ?3 WHERE id = ?1",
            params![stored.id, json, RuleNotice::FolderGone.code()],
        )?;
    }
    Ok(())
}
