//! The rules dialog's state: the rules in their order (switch on and off, move up and down,
//! delete), the editor of one rule as a draft the user fills in, the preview ("would match
//! 37 of 1,204 messages in the Inbox") counted on a thread of its own, and "Run rules now".
//! No egui here; `ui/rules.rs` draws it. Every change is a job on the store's writer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use super::rule_draft::{FieldChoice, RuleDraft, choice_of, op_label};
use super::{AppState, JobDone};
use crate::rules::{Action, Field, Rule};
use crate::store::{
    AccountId, FolderId, FolderKind, ListView, MessageId, Reader, RuleId, RulePreview, RulesRun,
    StoredRule,
};

/// The preview of the rule in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// The draft is not a rule yet: why.
    Invalid(String),
    /// Being counted.
    Counting,
    /// Counted.
    Counted(RulePreview),
    /// The store could not be read.
    Failed(String),
}

/// A preview being counted on its own thread.
struct PreviewJob {
    cancel: Arc<AtomicBool>,
    answer: Receiver<Result<Option<RulePreview>, String>>,
}

impl Drop for PreviewJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The rules dialog while it is open.
pub struct RulesDialog {
    /// The rules as the store holds them, in their order.
    pub rules: Vec<StoredRule>,
    /// The rule being written, if the editor is open.
    pub editing: Option<RuleDraft>,
    /// The store's refusal of the last change, as its sentence.
    pub error: Option<String>,
    /// The editor's preview.
    pub preview: Option<Preview>,
    /// The rule the preview counted (or is counting).
    previewed: Option<Rule>,
    job: Option<PreviewJob>,
}

impl std::fmt::Debug for RulesDialog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RulesDialog")
            .field("rules", &self.rules.len())
            .field("editing", &self.editing)
            .finish_non_exhaustive()
    }
}

fn rules_changed(result: Result<(), String>) -> JobDone {
    JobDone::Rules(result.map(|()| None))
}

fn rules_ran(result: Result<RulesRun, String>) -> JobDone {
    JobDone::Rules(result.map(Some))
}

impl AppState {
    /// Opens the rules dialog with the rules as stored.
    pub fn open_rules_dialog(&mut self) {
        let mut dialog = RulesDialog {
            rules: Vec::new(),
            editing: None,
            error: None,
            preview: None,
            previewed: None,
            job: None,
        };
        match self.reader.rules() {
            Ok(rules) => dialog.rules = rules,
            Err(err) => dialog.error = Some(err.to_string()),
        }
        self.rules_dialog = Some(dialog);
    }

    /// The rules dialog, while it is open.
    pub fn rules_dialog(&self) -> Option<&RulesDialog> {
        self.rules_dialog.as_ref()
    }

    /// The rule being edited, for the editor's fields.
    pub fn rule_draft(&mut self) -> Option<&mut RuleDraft> {
        self.rules_dialog.as_mut()?.editing.as_mut()
    }

    /// Closes the rules dialog (an open editor's changes are dropped).
    pub fn close_rules_dialog(&mut self) {
        self.rules_dialog = None;
    }

    /// "New rule…": an empty editor (for the account the list shows, if it shows one).
    pub fn new_rule(&mut self) {
        let account = self.current_folder().and_then(|f| f.account_id);
        if let Some(dialog) = self.rules_dialog.as_mut() {
            let mut draft = RuleDraft::default();
            if let Some(account) = account {
                draft.accounts = vec![account];
            }
            dialog.editing = Some(draft);
            dialog.error = None;
        }
    }

    /// "Edit…" on a stored rule.
    pub fn edit_rule(&mut self, id: RuleId) {
        if let Some(dialog) = self.rules_dialog.as_mut()
            && let Some(rule) = dialog.rules.iter().find(|r| r.id == id)
            && let Some(rule) = &rule.rule
        {
            dialog.editing = Some(RuleDraft::from_rule(id, rule));
            dialog.error = None;
        }
    }

    /// Leaves the editor without saving.
    pub fn cancel_rule_edit(&mut self) {
        if let Some(dialog) = self.rules_dialog.as_mut() {
            dialog.editing = None;
            dialog.preview = None;
            dialog.previewed = None;
            dialog.job = None;
            dialog.error = None;
        }
    }

    /// Saves the editor's rule (new, or in place of the one edited); the editor closes when
    /// the store took it, and stays open with the reason when it did not.
    pub fn save_rule(&mut self) {
        let Some(dialog) = self.rules_dialog.as_mut() else {
            return;
        };
        let Some(draft) = dialog.editing.clone() else {
            return;
        };
        let rule = match draft.to_rule() {
            Ok(rule) => rule,
            Err(why) => {
                dialog.error = Some(why);
                return;
            }
        };
        dialog.error = None;
        match draft.id {
            Some(id) => self.job(move |w| w.replace_rule(id, &rule), rules_changed),
            None => self.job(move |w| w.add_rule(&rule).map(drop), rules_changed),
        }
        self.rules_saving = true;
    }

    /// Switches a stored rule on or off.
    pub fn set_rule_enabled(&mut self, id: RuleId, enabled: bool) {
        let Some(stored) = self
            .rules_dialog
            .as_ref()
            .and_then(|d| d.rules.iter().find(|r| r.id == id))
        else {
            return;
        };
        let Some(mut rule) = stored.rule.clone() else {
            return;
        };
        rule.enabled = enabled;
        self.job(move |w| w.replace_rule(id, &rule), rules_changed);
    }

    /// Moves a stored rule up (`-1`) or down (`1`) one place.
    pub fn move_rule(&mut self, id: RuleId, delta: isize) {
        let Some(at) = self
            .rules_dialog
            .as_ref()
            .and_then(|d| d.rules.iter().position(|r| r.id == id))
        else {
            return;
        };
        let Some(to) = at.checked_add_signed(delta) else {
            return;
        };
        self.job(move |w| w.move_rule(id, to), rules_changed);
    }

    /// Deletes a stored rule.
    pub fn remove_rule(&mut self, id: RuleId) {
        self.job(move |w| w.remove_rule(id), rules_changed);
    }

    /// "Run rules now" over a folder.
    pub fn run_rules_on_folder(&mut self, folder: FolderId) {
        self.last_result = Some(crate::tr!("notice-rules-running"));
        self.job(move |w| w.run_rules(&[folder]), rules_ran);
    }

    /// "Run rules now" over what the list shows: its folder, or every account's Inbox.
    pub fn run_rules_on_view(&mut self) {
        let folders: Vec<FolderId> = match self.list.view() {
            ListView::Folder(id) => vec![id],
            ListView::AllInboxes => self.inboxes(None),
            ListView::Saved(_) | ListView::Conversation(_) => {
                // A saved search or a conversation: what it lists.
                let ids = self.list.listed_ids();
                self.last_result = Some(crate::tr!("notice-rules-running"));
                self.job(move |w| w.run_rules_on(&ids), rules_ran);
                return;
            }
        };
        self.last_result = Some(crate::tr!("notice-rules-running"));
        self.job(move |w| w.run_rules(&folders), rules_ran);
    }

    /// "Run rules now" over the selected messages.
    pub fn run_rules_on_selection(&mut self) {
        let ids: Vec<MessageId> = self.selection();
        if ids.is_empty() {
            return;
        }
        self.last_result = Some(crate::tr!("notice-rules-running"));
        self.job(move |w| w.run_rules_on(&ids), rules_ran);
    }

    /// The Inbox of every account, or of those listed.
    fn inboxes(&self, accounts: Option<&[AccountId]>) -> Vec<FolderId> {
        self.folders
            .iter()
            .filter(|f| f.kind == FolderKind::Inbox)
            .filter(|f| {
                f.account_id
                    .is_some_and(|a| accounts.is_none_or(|list| list.contains(&a)))
            })
            .map(|f| f.id)
            .collect()
    }

    /// The writer's answer to a change of the rules, or to a run.
    pub(super) fn on_rules_done(&mut self, result: Result<Option<RulesRun>, String>) {
        let saving = std::mem::take(&mut self.rules_saving);
        match result {
            Ok(Some(run)) => {
                self.last_result = Some(crate::tr!(
                    "notice-rules-ran",
                    examined = run.examined,
                    matched = run.matched,
                    moved = run.moved
                ));
            }
            Ok(None) => {
                let rules = self.reader.rules();
                if let Some(dialog) = self.rules_dialog.as_mut() {
                    match rules {
                        Ok(rules) => dialog.rules = rules,
                        Err(err) => dialog.error = Some(err.to_string()),
                    }
                    if saving {
                        dialog.editing = None;
                        dialog.preview = None;
                        dialog.previewed = None;
                        dialog.job = None;
                    }
                }
            }
            Err(err) => {
                if let Some(dialog) = self.rules_dialog.as_mut() {
                    dialog.error = Some(err);
                } else {
                    self.last_result = None;
                    self.notice(crate::tr!("notice-rules-failed", error = err), true);
                }
            }
        }
    }

    /// Keeps the editor's preview current: called every frame while the editor is open.
    /// When the draft changed, the count on the way is cancelled and a new one starts on a
    /// thread of its own; its answer wakes the window.
    pub fn refresh_rule_preview(&mut self) {
        let inbox_of_scope = |state: &AppState, draft: &RuleDraft| {
            if draft.all_accounts {
                state.inboxes(None)
            } else {
                state.inboxes(Some(&draft.accounts))
            }
        };
        let Some(dialog) = self.rules_dialog.as_ref() else {
            return;
        };
        let Some(draft) = dialog.editing.as_ref() else {
            return;
        };
        let folders = inbox_of_scope(self, draft);
        let wanted = draft.to_rule();
        let store_path = self.store_path.clone();
        let waker = Arc::clone(&self.waker);
        let Some(dialog) = self.rules_dialog.as_mut() else {
            return;
        };
        if let Some(job) = &dialog.job
            && let Ok(answer) = job.answer.try_recv()
        {
            dialog.preview = match answer {
                Ok(Some(counted)) => Some(Preview::Counted(counted)),
                Ok(None) => dialog.preview.take(),
                Err(err) => Some(Preview::Failed(err)),
            };
            dialog.job = None;
        }
        let rule = match wanted {
            Ok(rule) => rule,
            Err(why) => {
                dialog.job = None;
                dialog.previewed = None;
                dialog.preview = Some(Preview::Invalid(why));
                return;
            }
        };
        // The preview ignores the switch: it says what the rule would do when on.
        let same = dialog.previewed.as_ref().is_some_and(|p| {
            Rule {
                enabled: true,
                ..p.clone()
            } == Rule {
                enabled: true,
                ..rule.clone()
            }
        });
        if same {
            return;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        let (send, answer) = channel();
        let thread_rule = rule.clone();
        let thread_cancel = Arc::clone(&cancel);
        let spawned = std::thread::Builder::new()
            .name("rule-preview".into())
            .spawn(move || {
                let counted = Reader::open(&store_path)
                    .and_then(|reader| reader.rule_preview(&thread_rule, &folders, &thread_cancel))
                    .map_err(|err| err.to_string());
                let _ = send.send(counted);
                waker();
            });
        dialog.previewed = Some(rule);
        match spawned {
            Ok(_) => {
                dialog.preview = Some(Preview::Counting);
                dialog.job = Some(PreviewJob { cancel, answer });
            }
            Err(err) => dialog.preview = Some(Preview::Failed(err.to_string())),
        }
    }

    /// Where the preview counts, in words: "in the Inbox" or "in all inboxes".
    pub fn rule_preview_place(&self) -> String {
        let draft = self.rules_dialog.as_ref().and_then(|d| d.editing.as_ref());
        match draft {
            Some(d) if !d.all_accounts && d.accounts.len() == 1 => crate::tr!("rule-preview-inbox"),
            _ => crate::tr!("rule-preview-inboxes"),
        }
    }

    /// A rule in words for the dialog's list: "Subject contains “invoice”: move to Work".
    pub fn rule_summary(&self, rule: &Rule) -> String {
        let joiner = if rule.match_all {
            crate::tr!("rule-and")
        } else {
            crate::tr!("rule-or")
        };
        let conditions: Vec<String> = rule
            .conditions
            .iter()
            .map(|c| {
                let (choice, header) = choice_of(&c.field);
                let field = match choice {
                    FieldChoice::Header => header,
                    _ => choice.label(),
                };
                let value = match c.field {
                    Field::Account => c
                        .value
                        .parse::<AccountId>()
                        .map(|id| self.account_name(id))
                        .unwrap_or_else(|_| c.value.clone()),
                    Field::HasAttachment => String::new(),
                    Field::Size => format!("{} KB", c.value),
                    _ => crate::tr!("rule-quoted", text = c.value.as_str()),
                };
                format!("{field} {} {value}", op_label(choice, c.op))
                    .trim_end()
                    .to_owned()
            })
            .collect();
        let mut actions: Vec<String> = Vec::new();
        for action in &rule.actions {
            actions.push(match action {
                Action::MoveTo(folder) => self
                    .folders
                    .iter()
                    .find(|f| f.id == *folder)
                    .map(|f| {
                        crate::tr!("rule-summary-move", folder = super::format::folder_name(f))
                    })
                    .unwrap_or_else(|| crate::tr!("rule-error-folder-gone")),
                Action::MoveToTrash => crate::tr!("rule-summary-trash"),
                Action::MarkRead => crate::tr!("rule-summary-read"),
                Action::Flag => crate::tr!("rule-summary-flag"),
            });
        }
        crate::tr!(
            "rule-summary",
            conditions = conditions.join(&format!(" {joiner} ")),
            actions = actions.join(", ")
        )
    }
}
