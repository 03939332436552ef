//! Filing mail on arrival: the rules, then the junk filter, decided for each new message
//! inside the ingest's transaction, so a message is never stored but unfiled, nor filed
//! twice (a killed sync rolls both back together).
//!
//! The order: the user's rules run first, and a rule that files a message (in a folder or
//! in Trash) has the last word, since the user said so; a message no rule filed goes to its
//! account's Junk when the provider marked it as spam and the account believes that mark.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::learning::StoreCounts;
use crate::junk::{
    Counts, JunkSettings, MIN_TRAINED, is_junk, provider_verdict, score, spam_fields, tokens,
};
use crate::rules::{MessageFacts, Rule, evaluate};
use crate::store::model::*;
use crate::store::query;

/// How `junk_reason` says the learning filter decided, followed by its percentage.
pub const LEARNED_PREFIX: &str = "learned:";

/// Where and how one new message is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Filed {
    pub folder: FolderId,
    pub kind: FolderKind,
    pub seen: bool,
    pub flagged: bool,
    /// For a message filed in Trash: where "Restore" puts it back (the Inbox).
    pub origin: Option<FolderId>,
    /// For a message filed in Trash: when it went there.
    pub deleted_at: Option<i64>,
    /// Why it went to Junk, shown above it.
    pub junk_reason: Option<String>,
}

impl Filed {
    /// Unread, unflagged, in `folder`.
    pub fn plain(folder: FolderId, kind: FolderKind) -> Self {
        Self {
            folder,
            kind,
            seen: false,
            flagged: false,
            origin: None,
            deleted_at: None,
            junk_reason: None,
        }
    }
}

/// What filing needs for one account's batch, read once at the start of its transaction.
pub(super) struct Filing {
    account: AccountId,
    inbox: FolderId,
    trash: Option<FolderId>,
    junk: Option<FolderId>,
    settings: JunkSettings,
    /// Whether the learning filter is on and trained enough to decide.
    learning: bool,
    /// The rules that can apply to this account, in order.
    rules: Vec<Rule>,
    /// Every folder there is, with its kind: a rule's folder must still be one.
    folders: HashMap<FolderId, FolderKind>,
}

impl Filing {
    pub fn load(
        tx: &Transaction<'_>,
        account: AccountId,
        inbox: FolderId,
    ) -> rusqlite::Result<Self> {
        let rules = query::rules(tx)?
            .into_iter()
            .filter_map(|stored| stored.rule)
            .filter(|rule| rule.enabled && rule.scope.includes(account))
            .collect::<Vec<_>>();
        let folders = if rules.is_empty() {
            HashMap::new()
        } else {
            query::folder_kinds(tx)?
        };
        let settings: Option<String> = tx
            .prepare_cached("SELECT junk_filter FROM accounts WHERE id = ?1")?
            .query_row([account], |row| row.get(0))?;
        let settings = JunkSettings::from_stored(settings.as_deref());
        let learning = settings.learning && {
            let totals = StoreCounts { tx }.totals()?;
            totals.junk_messages >= MIN_TRAINED && totals.ham_messages >= MIN_TRAINED
        };
        Ok(Self {
            learning,
            account,
            inbox,
            trash: query::folder_of(tx, Some(account), FolderKind::Trash)?,
            junk: query::folder_of(tx, Some(account), FolderKind::Junk)?,
            settings,
            rules,
            folders,
        })
    }

    /// Whether filing can do anything: otherwise every message goes to the Inbox and no
    /// header needs reading.
    fn idle(&self) -> bool {
        self.rules.is_empty() && !self.settings.provider_marks && !self.learning
    }

    /// Where `prepared` goes, with what flags.
    pub fn file(&self, tx: &Transaction<'_>, prepared: &Prepared) -> Filed {
        let mut filed = Filed::plain(self.inbox, FolderKind::Inbox);
        if self.idle() {
            return filed;
        }
        // The header is parsed whole only for rules; the spam checks scan for their fields.
        let outcome = if self.rules.is_empty() {
            Default::default()
        } else {
            let facts =
                MessageFacts::from_summary(&prepared.summary, &prepared.incoming.raw, self.account);
            evaluate(&self.rules, &facts)
        };
        filed.seen = outcome.mark_read;
        filed.flagged = outcome.flag;
        if outcome.to_trash
            && let Some(trash) = self.trash
        {
            filed.folder = trash;
            filed.kind = FolderKind::Trash;
            filed.origin = Some(self.inbox);
            filed.deleted_at = Some(prepared.incoming.fetched_at);
            return filed;
        }
        if let Some(folder) = outcome.folder {
            // A folder deleted since the rule was written (deleting it switches such rules
            // off, so this is a race at most): the message stays in the Inbox.
            match self.folders.get(&folder) {
                Some(FolderKind::Trash) | None => {}
                Some(&kind) => {
                    filed.folder = folder;
                    filed.kind = kind;
                    return filed;
                }
            }
        }
        let Some(junk) = self.junk else {
            return filed;
        };
        if self.settings.provider_marks
            && let Some(verdict) =
                provider_verdict(&spam_fields(&prepared.incoming.raw), &self.settings.headers)
        {
            filed.folder = junk;
            filed.kind = FolderKind::Junk;
            filed.junk_reason = Some(verdict.field);
            return filed;
        }
        if self.learning {
            let words = tokens(
                &prepared.summary.subject,
                &prepared.summary.from_addr,
                &prepared.index_body,
            );
            if let Ok(Some(probability)) = score(&StoreCounts { tx }, &words)
                && is_junk(probability)
            {
                filed.folder = junk;
                filed.kind = FolderKind::Junk;
                filed.junk_reason = Some(format!(
                    "{LEARNED_PREFIX}{}",
                    (probability * 100.0).round() as u8
                ));
            }
        }
        filed
    }
}
