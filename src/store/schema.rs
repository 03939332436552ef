//! The store's schema, as forward-only migrations.
//!
//! `PRAGMA user_version` is the number of migrations applied. A migration is only ever
//! appended, never edited once released, and never drops a table that holds mail: with
//! "leave on server" off, the store holds the only copy of someone's mail.

use rusqlite::Connection;

/// Marks a SQLite file as a Poplar store (`PRAGMA application_id`, "POPL").
pub const APPLICATION_ID: i32 = 0x504F_504C;

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // Version 1: accounts, folders, messages with their raw bytes, the UIDL ledger and the
    // full-text index.
    r#"
    CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        security TEXT NOT NULL,
        username TEXT NOT NULL,
        auth TEXT NOT NULL,
        ca_file TEXT,
        pin_sha256 BLOB,
        check_on_start INTEGER NOT NULL,
        interval_minutes INTEGER NOT NULL,
        server_policy TEXT NOT NULL,
        delete_after_days INTEGER,
        delete_when_deleted_locally INTEGER NOT NULL,
        size_limit_kb INTEGER,
        first_sync TEXT NOT NULL,
        first_sync_days INTEGER,
        password_command TEXT,
        reconnect_every INTEGER,
        created_at INTEGER NOT NULL,
        removed_at INTEGER
    );
    CREATE UNIQUE INDEX accounts_name ON accounts(name) WHERE removed_at IS NULL;

    -- kind: 1 inbox, 2 trash, 3 imported (local, no account).
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        account_id INTEGER REFERENCES accounts(id),
        kind INTEGER NOT NULL,
        name TEXT NOT NULL,
        -- Kept by the triggers below, so folder counts never scan messages.
        total INTEGER NOT NULL DEFAULT 0,
        unread INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account_id, kind)
    );

    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        account_id INTEGER REFERENCES accounts(id),
        folder_id INTEGER NOT NULL REFERENCES folders(id),
        -- The folder kind, repeated here so that "All inboxes" is one index range.
        box INTEGER NOT NULL,
        origin_folder_id INTEGER REFERENCES folders(id),
        sha256 BLOB NOT NULL,
        size INTEGER NOT NULL,
        from_name TEXT NOT NULL,
        from_addr TEXT NOT NULL,
        to_list TEXT NOT NULL,
        cc_list TEXT NOT NULL,
        subject TEXT NOT NULL,
        date INTEGER,
        sort_date INTEGER NOT NULL,
        sender_key TEXT NOT NULL,
        subject_key TEXT NOT NULL,
        message_id TEXT,
        has_attachments INTEGER NOT NULL,
        preview TEXT NOT NULL,
        seen INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0,
        deleted_at INTEGER,
        partial INTEGER NOT NULL DEFAULT 0,
        fetched_at INTEGER NOT NULL,
        server TEXT,
        uidl TEXT,
        tls_version TEXT
    );
    CREATE INDEX messages_folder_date ON messages(folder_id, sort_date, id);
    CREATE INDEX messages_folder_sender ON messages(folder_id, sender_key, id);
    CREATE INDEX messages_folder_subject ON messages(folder_id, subject_key, id);
    CREATE INDEX messages_folder_size ON messages(folder_id, size, id);
    CREATE INDEX messages_box_date ON messages(box, sort_date, id);
    CREATE INDEX messages_box_sender ON messages(box, sender_key, id);
    CREATE INDEX messages_box_subject ON messages(box, subject_key, id);
    CREATE INDEX messages_box_size ON messages(box, size, id);
    CREATE INDEX messages_sha256 ON messages(sha256);
    CREATE INDEX messages_message_id ON messages(message_id) WHERE message_id IS NOT NULL;

    CREATE TABLE message_raw (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        raw BLOB NOT NULL
    );

    -- state: 0 present on the server, 1 deletion pending, 2 deleted on the server.
    CREATE TABLE uidls (
        account_id INTEGER NOT NULL REFERENCES accounts(id),
        uidl TEXT NOT NULL,
        message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
        first_seen INTEGER NOT NULL,
        downloaded_at INTEGER,
        state INTEGER NOT NULL DEFAULT 0,
        duplicate INTEGER NOT NULL DEFAULT 0,
        deleted_locally INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, uidl)
    ) WITHOUT ROWID;
    CREATE INDEX uidls_message ON uidls(message_id) WHERE message_id IS NOT NULL;

    CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
        UPDATE folders SET total = total + 1, unread = unread + (NEW.seen = 0)
        WHERE id = NEW.folder_id;
    END;
    CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
        UPDATE folders SET total = total - 1, unread = unread - (OLD.seen = 0)
        WHERE id = OLD.folder_id;
    END;
    CREATE TRIGGER messages_count_update AFTER UPDATE OF folder_id, seen ON messages BEGIN
        UPDATE folders SET total = total - 1, unread = unread - (OLD.seen = 0)
        WHERE id = OLD.folder_id;
        UPDATE folders SET total = total + 1, unread = unread + (NEW.seen = 0)
        WHERE id = NEW.folder_id;
    END;

    -- The local folders: imported mail, and a trash for it.
    INSERT INTO folders (account_id, kind, name) VALUES (NULL, 3, 'Imported');
    INSERT INTO folders (account_id, kind, name) VALUES (NULL, 2, 'Trash');

    CREATE VIRTUAL TABLE message_fts USING fts5(
        sender, recipients, subject, body,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        detail = none
    );
    "#,
    // Version 2: what the sync engine remembers per account.
    r#"
    ALTER TABLE accounts ADD COLUMN first_sync_done_at INTEGER;
    ALTER TABLE accounts ADD COLUMN last_check_at INTEGER;
    ALTER TABLE accounts ADD COLUMN last_error TEXT;
    -- Whether the UIDL's message was stored as headers only: remembered here because the
    -- message row may be deleted by the user while the whole message is still only on the
    -- server.
    ALTER TABLE uidls ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
    "#,
    // Version 3: the writer adds new mail to the folder counts once per transaction. The
    // per-row insert trigger made every message insert a two-table statement, which SQLite
    // journals page by page in case it has to undo it halfway. Moves, flag changes and
    // deletions keep their triggers.
    r#"
    DROP TRIGGER messages_count_insert;
    "#,
    // Version 4: the search index merges its segments only once a level holds 32 of them
    // (FTS5's default is 4, and 16 in a crisis). Each commit writes one new segment, and every
    // merge rewrites all the postings of the segments it takes; merging 4 at a time rewrote each
    // posting once per level, a tenth of the writer's work when downloading. A search reads
    // each segment in turn, but ranking the hits costs far more: at 100,000 messages searches
    // took the same time. Stored in the index's own config, so it applies to existing stores.
    r#"
    INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 32);
    INSERT INTO message_fts (message_fts, rank) VALUES ('crisismerge', 64);
    "#,
    // Version 5: sign-in. The method that worked last time (Automatic tries it first), and an
    // OAuth account's provider and registration. Its tokens are in the keyring, never here.
    r#"
    ALTER TABLE accounts ADD COLUMN auth_learned TEXT;
    ALTER TABLE accounts ADD COLUMN oauth_provider TEXT;
    ALTER TABLE accounts ADD COLUMN oauth_client_id TEXT;
    ALTER TABLE accounts ADD COLUMN oauth_authorize_url TEXT;
    ALTER TABLE accounts ADD COLUMN oauth_token_url TEXT;
    ALTER TABLE accounts ADD COLUMN oauth_scopes TEXT;
    ALTER TABLE accounts ADD COLUMN oauth_revocation_url TEXT;
    "#,
    // Version 6: user folders (kind 4) with a name and a parent, and a Junk folder (kind 5) per
    // account. `UNIQUE (account_id, kind)` allowed one folder of each kind per account, and
    // SQLite cannot drop a table constraint, so the table is rebuilt (SQLite's "generalized
    // ALTER TABLE" procedure, §7 of lang_altertable): a new table, every row copied with its
    // id and counts, the old one dropped, the new one renamed. Foreign keys are off while a
    // migration runs (see `migrate`), so no message loses its folder in between. The count
    // triggers name `folders`: they are dropped first (a rename checks every trigger and would
    // fail on one naming a missing table) and re-created exactly as v1 wrote them.
    r#"
    DROP TRIGGER messages_count_delete;
    DROP TRIGGER messages_count_update;

    -- kind: 1 inbox, 2 trash, 3 imported (local, no account), 4 a user's own folder, 5 junk.
    CREATE TABLE folders_new (
        id INTEGER PRIMARY KEY,
        account_id INTEGER REFERENCES accounts(id),
        kind INTEGER NOT NULL,
        name TEXT NOT NULL,
        -- A user folder's parent folder (same account); NULL at the top.
        parent_id INTEGER REFERENCES folders(id),
        -- Kept by the triggers below, so folder counts never scan messages.
        total INTEGER NOT NULL DEFAULT 0,
        unread INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO folders_new (id, account_id, kind, name, parent_id, total, unread)
        SELECT id, account_id, kind, name, NULL, total, unread FROM folders;
    DROP TABLE folders;
    ALTER TABLE folders_new RENAME TO folders;

    -- One Inbox, Trash and Junk per account and one Imported (as UNIQUE (account_id, kind)
    -- did: NULL account ids are distinct, so a removed account's kept Inbox is allowed).
    CREATE UNIQUE INDEX folders_fixed ON folders(account_id, kind) WHERE kind IN (1, 2, 3, 5);
    -- Sibling user folders have different names, ignoring ASCII case (the writer also compares
    -- them with Unicode case folding).
    CREATE UNIQUE INDEX folders_user_names
        ON folders(coalesce(account_id, 0), coalesce(parent_id, 0), name COLLATE NOCASE)
        WHERE kind = 4;
    CREATE INDEX folders_parent ON folders(parent_id) WHERE parent_id IS NOT NULL;

    CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
        UPDATE folders SET total = total - 1, unread = unread - (OLD.seen = 0)
        WHERE id = OLD.folder_id;
    END;
    CREATE TRIGGER messages_count_update AFTER UPDATE OF folder_id, seen ON messages BEGIN
        UPDATE folders SET total = total - 1, unread = unread - (OLD.seen = 0)
        WHERE id = OLD.folder_id;
        UPDATE folders SET total = total + 1, unread = unread + (NEW.seen = 0)
        WHERE id = NEW.folder_id;
    END;

    INSERT INTO folders (account_id, kind, name)
        SELECT id, 5, 'Junk' FROM accounts WHERE removed_at IS NULL ORDER BY id;

    -- Rules on arrival, run in `position` order: `definition` is a `rules::Rule` as JSON.
    -- `notice` says why the store switched a rule off (its folder was deleted); NULL if not.
    CREATE TABLE rules (
        id INTEGER PRIMARY KEY,
        position INTEGER NOT NULL,
        definition TEXT NOT NULL,
        notice TEXT
    );
    -- An account's junk filter (`junk::JunkSettings` as JSON); NULL: the defaults.
    ALTER TABLE accounts ADD COLUMN junk_filter TEXT;
    -- The learning filter's counts, from the user's own marks only: per word, and in all.
    CREATE TABLE junk_tokens (
        token TEXT PRIMARY KEY,
        junk INTEGER NOT NULL DEFAULT 0,
        ham INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE junk_totals (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        junk INTEGER NOT NULL,
        ham INTEGER NOT NULL
    );
    INSERT INTO junk_totals (id, junk, ham) VALUES (1, 0, 0);
    -- The user's mark, as the filter was trained on it (1 junk, 0 not junk; NULL unmarked),
    -- so changing one's mind untrains the old mark first; and why the message went to Junk
    -- on arrival ("X-Spam-Flag: YES", or "learned 97"), shown above it.
    ALTER TABLE messages ADD COLUMN junk_mark INTEGER;
    ALTER TABLE messages ADD COLUMN junk_reason TEXT;
    "#,
    // Version 7: a search index that knows where each word stands (detail = full), so a
    // search can ask for a phrase ("quarterly report") and for a word in one field (from:,
    // subject:); v1's index (detail = none) knew only which messages hold a word, each word
    // once. Filling it means parsing every stored message again, too slow for opening the
    // store, so the writer thread does it when it has nothing else to do, newest mail first
    // (`Writer::reindex_search`): `search_reindex.below` is the id under which messages are
    // still in the old index only, and searches ask both until it is 0. New mail goes to the
    // new index from the start. The old index is emptied at the end, not dropped.
    r#"
    CREATE VIRTUAL TABLE message_text USING fts5(
        sender, recipients, subject, body,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2',
        detail = full
    );
    INSERT INTO message_text (message_text, rank) VALUES ('automerge', 32);
    INSERT INTO message_text (message_text, rank) VALUES ('crisismerge', 64);
    CREATE TABLE search_reindex (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        below INTEGER NOT NULL
    );
    INSERT INTO search_reindex (id, below)
        SELECT 1, CASE WHEN max(id) IS NULL THEN 0 ELSE max(id) + 1 END FROM messages;
    -- Searches the user saved for the folder pane, in the order they were saved.
    CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        query TEXT NOT NULL
    );
    CREATE UNIQUE INDEX saved_searches_name ON saved_searches(name COLLATE NOCASE);
    "#,
    // Version 8: conversations. `thread_id` is the conversation a message belongs to, kept
    // by the writer as mail arrives (`store::writer::threads`): messages are linked by the
    // Message-IDs they answer (References, In-Reply-To), and by subject only when they answer
    // nothing. `thread_keys` maps each Message-ID seen (a message's own, or one it answers,
    // which may never arrive) to its conversation, so a reply that comes before the message
    // it answers still joins it; keys starting with `s:` are subjects, `rooted` 0 where only
    // replies have used them so far. Thread numbers come from `thread_next`, never reused.
    // Messages stored before have no thread yet (NULL: each its own): the writer reads their
    // headers again when idle, newest first, below `thread_backfill.below`.
    r#"
    ALTER TABLE messages ADD COLUMN thread_id INTEGER;
    CREATE INDEX messages_thread ON messages(thread_id) WHERE thread_id IS NOT NULL;
    CREATE TABLE thread_keys (
        key TEXT PRIMARY KEY,
        thread INTEGER NOT NULL,
        rooted INTEGER NOT NULL DEFAULT 1
    ) WITHOUT ROWID;
    CREATE INDEX thread_keys_thread ON thread_keys(thread);
    CREATE TABLE thread_next (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next INTEGER NOT NULL
    );
    INSERT INTO thread_next (id, next) VALUES (1, 1);
    CREATE TABLE thread_backfill (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        below INTEGER NOT NULL
    );
    INSERT INTO thread_backfill (id, below)
        SELECT 1, CASE WHEN max(id) IS NULL THEN 0 ELSE max(id) + 1 END FROM messages;
    "#,
];

/// The schema version this Poplar writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies every migration after `from`, each in its own transaction with its version bump,
/// so a crash leaves the store at some complete version.
///
/// Foreign keys are not enforced while migrations run (SQLite ignores the switch inside a
/// transaction, so it is turned off around them): a migration that rebuilds a table (v6's
/// folders) drops the old one while messages still refer to its rows, which enforcement
/// would refuse. Before each commit, `PRAGMA foreign_key_check` proves that the migration
/// left no more references to a missing folder than it found (a store damaged earlier still
/// upgrades: refusing would lock its owner out of their mail); the previous setting is
/// restored afterwards.
pub fn migrate(conn: &mut Connection, from: i64) -> rusqlite::Result<()> {
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |row| row.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let result = migrate_each(conn, from);
    conn.pragma_update(None, "foreign_keys", enforced)?;
    result
}

fn migrate_each(conn: &mut Connection, from: i64) -> rusqlite::Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        let tx = conn.transaction()?;
        let dangling_before = dangling_folder_references(&tx)?;
        tx.execute_batch(sql)?;
        let dangling_after = dangling_folder_references(&tx)?;
        if dangling_after > dangling_before {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!(
                    "migration {} would leave {} more rows referring to a missing folder",
                    index + 1,
                    dangling_after - dangling_before
                )),
            ));
        }
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        if index == 0 {
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        tx.commit()?;
    }
    Ok(())
}

/// How many rows refer to a folder that is not there.
fn dangling_folder_references(conn: &Connection) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let parents = stmt
        .query_map([], |row| row.get::<_, String>(2))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(parents.iter().filter(|parent| *parent == "folders").count())
}
