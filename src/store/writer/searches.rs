//! The user's saved searches: saving one under a name, and removing it.

use rusqlite::{OptionalExtension, params};

use super::Writer;
use crate::store::error::StoreError;
use crate::store::model::SavedSearchId;

/// The longest name a saved search may have, in characters.
const NAME_MAX_CHARS: usize = 100;

impl Writer {
    /// Saves `query` under `name` (names differ ignoring case); returns its id. A name that
    /// is empty, too long or taken, or a search that cannot run, is refused with a sentence.
    pub fn save_search(&mut self, name: &str, query: &str) -> Result<SavedSearchId, StoreError> {
        let name = name.trim();
        let query = query.trim();
        if name.is_empty() {
            return Err(self.invalid(crate::tr!("search-save-no-name")));
        }
        if name.chars().count() > NAME_MAX_CHARS {
            return Err(self.invalid(crate::tr!("search-save-long-name", count = NAME_MAX_CHARS)));
        }
        match crate::search::parse(query) {
            Ok(parsed) if !parsed.is_empty() => {}
            Ok(_) => return Err(self.invalid(crate::tr!("search-save-empty"))),
            Err(problem) => {
                return Err(self.invalid(problem.sentence()));
            }
        }
        let taken = self
            .conn
            .prepare_cached("SELECT id FROM saved_searches WHERE name = ?1 COLLATE NOCASE")
            .and_then(|mut stmt| {
                stmt.query_row([name], |row| row.get::<_, i64>(0))
                    .optional()
            })
            .map_err(|err| self.sql_error(err))?;
        if taken.is_some() {
            return Err(self.invalid(crate::tr!("search-save-taken", name = name)));
        }
        self.transaction(|tx, path| {
            tx.execute(
                "INSERT INTO saved_searches (name, query) VALUES (?1, ?2)",
                params![name, query],
            )
            .map_err(|err| StoreError::from_sqlite(path, &err))?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Removes a saved search (the mail it found stays where it is).
    pub fn remove_saved_search(&mut self, id: SavedSearchId) -> Result<(), StoreError> {
        self.transaction(|tx, path| {
            tx.execute("DELETE FROM saved_searches WHERE id = ?1", [id])
                .map_err(|err| StoreError::from_sqlite(path, &err))?;
            Ok(())
        })
    }
}
