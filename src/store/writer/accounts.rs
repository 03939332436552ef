//! The writer's account methods: adding, changing and removing accounts, and what the sync
//! engine records per account.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Writer, collect_ids, delete_message};
use crate::account::{AccountSettings, FirstSync, PasswordSource, ServerPolicy, names};
use crate::store::error::{StoreError, StoreErrorKind};
use crate::store::model::*;
use crate::store::query;

impl Writer {
    // ----- accounts -------------------------------------------------------------------------

    /// Adds an account with its Inbox, Trash and Junk. Names must be unique among accounts.
    pub fn add_account(
        &mut self,
        settings: &AccountSettings,
        now: i64,
    ) -> Result<AccountId, StoreError> {
        if settings.name.trim().is_empty() {
            return Err(self.invalid("an account needs a name"));
        }
        if self.account_named(&settings.name)?.is_some() {
            return Err(self.invalid(format!(
                "there is already an account named {:?}",
                settings.name
            )));
        }
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            tx.execute(
                "INSERT INTO accounts (name, email, host, port, security, username, auth, check_on_start, \
                 interval_minutes, server_policy, delete_when_deleted_locally, first_sync, created_at) \
                 VALUES ('', '', '', 0, 'tls', '', 'auto', 1, 10, 'keep', 0, 'all', ?1)",
                [now],
            )
            .map_err(sql_error)?;
            let id = tx.last_insert_rowid();
            write_settings(tx, id, settings).map_err(sql_error)?;
            for (kind, name) in [
                (FolderKind::Inbox, "Inbox"),
                (FolderKind::Trash, "Trash"),
                (FolderKind::Junk, "Junk"),
            ] {
                tx.execute(
                    "INSERT INTO folders (account_id, kind, name) VALUES (?1, ?2, ?3)",
                    params![id, kind.code(), name],
                )
                .map_err(sql_error)?;
            }
            Ok(id)
        })
    }

    /// Replaces an account's settings.
    pub fn update_account(
        &mut self,
        id: AccountId,
        settings: &AccountSettings,
    ) -> Result<(), StoreError> {
        if let Some(other) = self.account_named(&settings.name)?
            && other != id
        {
            return Err(self.invalid(format!(
                "there is already an account named {:?}",
                settings.name
            )));
        }
        self.require_account(id)?;
        self.transaction(|tx, path| {
            write_settings(tx, id, settings).map_err(|err| StoreError::from_sqlite(path, &err))
        })
    }

    /// Removes an account. With `delete_mail` false (the safe default) its mail stays readable
    /// in its folders; with true, its mail and ledger are deleted too.
    pub fn remove_account(
        &mut self,
        id: AccountId,
        delete_mail: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        self.require_account(id)?;
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            if delete_mail {
                let ids: Vec<MessageId> =
                    collect_ids(tx, "SELECT id FROM messages WHERE account_id = ?1", id)
                        .map_err(sql_error)?;
                for message in ids {
                    delete_message(tx, message).map_err(sql_error)?;
                }
                tx.execute("DELETE FROM uidls WHERE account_id = ?1", [id])
                    .map_err(sql_error)?;
                tx.execute("DELETE FROM folders WHERE account_id = ?1", [id])
                    .map_err(sql_error)?;
                tx.execute("DELETE FROM accounts WHERE id = ?1", [id])
                    .map_err(sql_error)?;
            } else {
                tx.execute(
                    "UPDATE accounts SET removed_at = ?2 WHERE id = ?1",
                    params![id, now],
                )
                .map_err(sql_error)?;
            }
            Ok(())
        })
    }

    /// The accounts (not removed).
    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        query::accounts(&self.conn).map_err(|err| self.sql_error(err))
    }

    /// One account.
    pub fn account(&self, id: AccountId) -> Result<Option<Account>, StoreError> {
        query::account(&self.conn, id).map_err(|err| self.sql_error(err))
    }

    fn account_named(&self, name: &str) -> Result<Option<AccountId>, StoreError> {
        self.conn
            .query_row(
                "SELECT id FROM accounts WHERE name = ?1 AND removed_at IS NULL",
                [name],
                |row| row.get(0),
            )
            .optional()
            .map_err(|err| self.sql_error(err))
    }

    pub(super) fn require_account(&self, id: AccountId) -> Result<Account, StoreError> {
        self.account(id)?
            .ok_or_else(|| self.invalid(format!("there is no account {id}")))
    }

    /// Records the outcome of a check: its time, and its error in plain words (or none).
    pub fn record_check(
        &mut self,
        id: AccountId,
        at: i64,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE accounts SET last_check_at = ?2, last_error = ?3 WHERE id = ?1",
                params![id, at, error],
            )
            .map(drop)
            .map_err(|err| self.sql_error(err))
    }

    /// Records that the account's first sync is done: from now on every new UIDL is new mail.
    pub fn record_first_sync_done(&mut self, id: AccountId, at: i64) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE accounts SET first_sync_done_at = ?2 WHERE id = ?1 AND first_sync_done_at IS NULL",
                params![id, at],
            )
            .map(drop)
            .map_err(|err| self.sql_error(err))
    }

    /// Remembers the method that logged in, so that Automatic tries it first next time.
    pub fn record_auth_learned(
        &mut self,
        id: AccountId,
        method: crate::pop3::AuthMethod,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE accounts SET auth_learned = ?2 WHERE id = ?1",
                params![id, names::auth(method)],
            )
            .map(drop)
            .map_err(|err| self.sql_error(err))
    }

    /// Removes an account and keeps its mail readable as a local folder named after it
    /// (what the accounts dialog does by default). Its messages become local mail: their
    /// Trash is the local Trash, and nothing of them is ever deleted on a server. The
    /// account's UIDL ledger stays in the store.
    pub fn remove_account_keep_mail(&mut self, id: AccountId, now: i64) -> Result<(), StoreError> {
        let account = self.require_account(id)?;
        self.transaction(|tx, path| {
            let sql_error = |err: rusqlite::Error| StoreError::from_sqlite(path, &err);
            let folder = |kind: FolderKind, account: Option<AccountId>| {
                query::folder_of(tx, account, kind)
                    .map_err(sql_error)?
                    .ok_or_else(|| {
                        StoreError::new(StoreErrorKind::Corrupt, path, "a folder is missing")
                    })
            };
            let local_trash = folder(FolderKind::Trash, None)?;
            let account_trash = folder(FolderKind::Trash, Some(id))?;
            // Its Trash joins the local Trash (the triggers move the counts).
            tx.execute(
                "UPDATE messages SET folder_id = ?2 WHERE folder_id = ?1",
                params![account_trash, local_trash],
            )
            .map_err(sql_error)?;
            tx.execute(
                "UPDATE messages SET account_id = NULL WHERE account_id = ?1",
                [id],
            )
            .map_err(sql_error)?;
            tx.execute("DELETE FROM folders WHERE id = ?1", [account_trash])
                .map_err(sql_error)?;
            // Its own folders and its Junk go inside the kept Inbox (named after the account),
            // so they cannot clash with local folders of the same name; Junk with mail in it
            // becomes an ordinary folder there (local mail has no Junk), an empty one goes.
            let inbox = folder(FolderKind::Inbox, Some(id))?;
            keep_junk_inside(tx, id, inbox).map_err(sql_error)?;
            tx.execute(
                "UPDATE folders SET parent_id = ?2 WHERE account_id = ?1 AND kind = 4 AND parent_id IS NULL",
                params![id, inbox],
            )
            .map_err(sql_error)?;
            tx.execute("UPDATE folders SET name = ?2 WHERE id = ?1", params![inbox, account.settings.name])
                .map_err(sql_error)?;
            tx.execute("UPDATE folders SET account_id = NULL WHERE account_id = ?1", [id])
                .map_err(sql_error)?;
            tx.execute(
                "UPDATE accounts SET removed_at = ?2 WHERE id = ?1",
                params![id, now],
            )
            .map_err(sql_error)?;
            Ok(())
        })
    }
}

/// A removed account's Junk, on the way to becoming local: deleted when empty, or else made a
/// user folder inside the account's kept Inbox (named "Junk", or "Junk 2" beside a folder
/// of that name).
fn keep_junk_inside(
    tx: &Transaction<'_>,
    account: AccountId,
    inbox: FolderId,
) -> rusqlite::Result<()> {
    let Some(junk) = query::folder_of(tx, Some(account), FolderKind::Junk)? else {
        return Ok(());
    };
    let total: i64 = tx.query_row(
        "SELECT count(*) FROM messages WHERE folder_id = ?1",
        [junk],
        |row| row.get(0),
    )?;
    if total == 0 {
        tx.execute("DELETE FROM folders WHERE id = ?1", [junk])?;
        return Ok(());
    }
    let clash: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM folders WHERE account_id = ?1 AND kind = 4 \
         AND parent_id IS NULL AND name = 'Junk' COLLATE NOCASE)",
        [account],
        |row| row.get(0),
    )?;
    let name = if clash { "Junk 2" } else { "Junk" };
    tx.execute(
        "UPDATE folders SET kind = 4, parent_id = ?2, name = ?3 WHERE id = ?1",
        params![junk, inbox, name],
    )?;
    tx.execute("UPDATE messages SET box = 4 WHERE folder_id = ?1", [junk])?;
    Ok(())
}

fn write_settings(
    tx: &Transaction<'_>,
    id: AccountId,
    s: &AccountSettings,
) -> rusqlite::Result<()> {
    let (policy, days) = match s.server_policy {
        ServerPolicy::Keep => ("keep", None),
        ServerPolicy::DeleteAfterDays(days) => ("delete-after-days", Some(days)),
        ServerPolicy::DeleteAfterDownload => ("delete-after-download", None),
    };
    let (first_sync, first_days) = match s.first_sync {
        FirstSync::All => ("all", None),
        FirstSync::NewOnly => ("new", None),
        FirstSync::LastDays(days) => ("days", Some(days)),
    };
    let oauth = s.oauth.as_ref();
    let command = match &s.password_source {
        PasswordSource::Keyring => None,
        PasswordSource::Command(command) => Some(command.as_str()),
    };
    tx.execute(
        "UPDATE accounts SET name = ?2, email = ?3, host = ?4, port = ?5, security = ?6, username = ?7, \
         auth = ?8, ca_file = ?9, pin_sha256 = ?10, check_on_start = ?11, interval_minutes = ?12, \
         server_policy = ?13, delete_after_days = ?14, delete_when_deleted_locally = ?15, size_limit_kb = ?16, \
         first_sync = ?17, first_sync_days = ?18, password_command = ?19, reconnect_every = ?20, \
         oauth_provider = ?21, oauth_client_id = ?22, oauth_authorize_url = ?23, oauth_token_url = ?24, \
         oauth_scopes = ?25, oauth_revocation_url = ?26, junk_filter = ?27 WHERE id = ?1",
        params![
            id,
            s.name,
            s.email,
            s.host,
            s.port,
            names::security(s.security),
            s.username,
            names::auth(s.auth),
            s.ca_file.as_ref().map(|p| p.to_string_lossy().into_owned()),
            s.pin_sha256.as_ref().map(|pin| pin.to_vec()),
            s.check_on_start,
            s.interval_minutes,
            policy,
            days,
            s.delete_when_deleted_locally,
            s.size_limit_kb,
            first_sync,
            first_days,
            command,
            s.reconnect_every,
            oauth.map(|o| o.provider.as_str()),
            oauth.and_then(|o| o.client_id.as_deref()),
            oauth.and_then(|o| o.authorize_url.as_deref()),
            oauth.and_then(|o| o.token_url.as_deref()),
            oauth.and_then(|o| o.scopes.as_deref()),
            oauth.and_then(|o| o.revocation_url.as_deref()),
            s.junk.to_stored(),
        ],
    )?;
    Ok(())
}
