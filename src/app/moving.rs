//! Moving and copying the selected messages into another folder: the targets (every folder of
//! every account and Local, as a tree, with the recently used ones first), the quick picker
//! behind the M key that filters them as the user types, and the jobs on the store's writer.
//!
//! A move of 100,000 messages is one job on the writer thread, so the window never waits for
//! it; the status line says what is moving until the store answers. Jobs run in the order
//! they were queued, so the answers meet the moves in `moving` in the same order.

use std::collections::VecDeque;

use super::{AppState, JobDone, format};
use crate::rules::fold;
use crate::store::{FolderId, FolderKind, ListView, MessageId, now};

/// How many recently used folders the menu and the picker put first.
pub const RECENT: usize = 5;

/// A folder mail can be moved or copied into, as the menus and the picker show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The folder.
    pub id: FolderId,
    /// Its name, translated for Inbox, Trash and Junk.
    pub name: String,
    /// Where it is: "Account › Inbox › Work".
    pub path: String,
    /// How deep it is in its account's tree (0 at the top).
    pub depth: usize,
    /// Whose it is: the account's name, or "Local".
    pub owner: String,
}

/// The quick folder picker while it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    /// Copy instead of move.
    pub copy: bool,
    /// What the user typed.
    pub filter: String,
    /// The highlighted match (Enter takes it).
    pub highlighted: usize,
}

/// A move or copy on the writer, waiting for its answer.
#[derive(Debug, Clone)]
pub(super) struct Moving {
    copy: bool,
    count: usize,
    folder: String,
}

fn moved(result: Result<u64, String>) -> JobDone {
    JobDone::Moved(result)
}

impl AppState {
    /// Every folder mail can go into, account by account and then Local, each tree in the
    /// folder pane's order. The folder the list shows is left out (mail is already there),
    /// and so is every Trash when copying (a copy in Trash makes no sense).
    pub fn move_targets(&self, copy: bool) -> Vec<Target> {
        let current = match self.list.view() {
            ListView::Folder(id) => Some(id),
            ListView::AllInboxes | ListView::Saved(_) | ListView::Conversation(_) => None,
        };
        self.targets(current, copy)
    }

    /// The folders a rule can file mail in: every one but the Trashes (a rule has "Move to
    /// Trash" for those).
    pub fn rule_targets(&self) -> Vec<Target> {
        self.targets(None, true)
    }

    fn targets(&self, current: Option<FolderId>, copy: bool) -> Vec<Target> {
        let tree = super::folders::FolderTree::default();
        let owners = self
            .accounts
            .iter()
            .map(|a| (Some(a.id), a.settings.name.clone()))
            .chain(std::iter::once((None, crate::tr!("folder-local"))));
        let mut out = Vec::new();
        for (account, owner) in owners {
            let mut trail: Vec<String> = Vec::new();
            for line in tree.lines(&self.folders, account) {
                let name = format::folder_name(line.folder);
                trail.truncate(line.depth);
                trail.push(name.clone());
                if Some(line.folder.id) == current
                    || (copy && line.folder.kind == FolderKind::Trash)
                {
                    continue;
                }
                out.push(Target {
                    id: line.folder.id,
                    name,
                    path: format!("{owner} › {}", trail.join(" › ")),
                    depth: line.depth,
                    owner: owner.clone(),
                });
            }
        }
        out
    }

    /// The folders last moved or copied into (newest first) that are still targets.
    pub fn recent_targets(&self, copy: bool) -> Vec<Target> {
        let targets = self.move_targets(copy);
        self.recent_folders
            .iter()
            .filter_map(|id| targets.iter().find(|t| t.id == *id).cloned())
            .collect()
    }

    /// Moves the selection into `to`; into a Trash it is "Move to Trash", which remembers
    /// where each message came from.
    pub fn move_selected_to(&mut self, to: FolderId) {
        let ids = self.selection();
        self.move_to(ids, to, false);
    }

    /// Copies the selection into `to`.
    pub fn copy_selected_to(&mut self, to: FolderId) {
        let ids = self.selection();
        self.move_to(ids, to, true);
    }

    /// Moves (or copies) `ids` into `to`: a drop on the folder pane, the menus, the picker.
    pub fn move_to(&mut self, ids: Vec<MessageId>, to: FolderId, copy: bool) {
        let Some(folder) = self.folders.iter().find(|f| f.id == to) else {
            return;
        };
        if ids.is_empty() || (copy && folder.kind == FolderKind::Trash) {
            return;
        }
        if self.list.view() == ListView::Folder(to) && !copy {
            return;
        }
        let trash = folder.kind == FolderKind::Trash;
        let name = format::folder_name(folder);
        self.recent_folders.retain(|id| *id != to);
        self.recent_folders.insert(0, to);
        self.recent_folders.truncate(RECENT);
        let count = ids.len();
        self.last_result = Some(if copy {
            crate::tr!("notice-copying", count = count, folder = name.clone())
        } else {
            crate::tr!("notice-moving", count = count, folder = name.clone())
        });
        self.moving.push_back(Moving {
            copy,
            count,
            folder: name,
        });
        if copy {
            self.job(
                move |w| w.copy_messages(&ids, to).map(|c| c.len() as u64),
                moved,
            );
        } else if trash {
            let at = now();
            self.job(
                move |w| w.move_to_trash(&ids, at).map(|()| count as u64),
                moved,
            );
        } else {
            self.job(move |w| w.move_messages(&ids, to), moved);
        }
    }

    /// The writer's answer to the oldest move or copy in flight.
    pub(super) fn on_moved(&mut self, result: Result<u64, String>) {
        let Some(done) = self.moving.pop_front() else {
            return;
        };
        match result {
            Ok(n) => {
                let n = n.min(done.count as u64);
                self.last_result = Some(if done.copy {
                    crate::tr!("notice-copied", count = n, folder = done.folder)
                } else {
                    crate::tr!("notice-moved", count = n, folder = done.folder)
                });
            }
            Err(err) => {
                self.last_result = None;
                let what = if done.copy {
                    crate::tr!("notice-copy-failed", folder = done.folder)
                } else {
                    crate::tr!("notice-move-failed", folder = done.folder)
                };
                self.notice(format!("{what}: {err}"), true);
            }
        }
    }

    /// Whether a move or copy is still on the writer.
    pub fn is_moving(&self) -> bool {
        !self.moving.is_empty()
    }

    /// Opens the quick folder picker (M: move, Shift+M: copy) for the selection.
    pub fn open_picker(&mut self, copy: bool) {
        if self.selection_len() == 0 {
            return;
        }
        self.picker = Some(Picker {
            copy,
            filter: String::new(),
            highlighted: 0,
        });
    }

    /// The quick folder picker, while it is open.
    pub fn picker(&self) -> Option<&Picker> {
        self.picker.as_ref()
    }

    /// The picker's filter field.
    pub fn picker_filter(&mut self) -> Option<&mut String> {
        self.picker.as_mut().map(|p| &mut p.filter)
    }

    /// What the picker offers for its filter: with an empty filter the recent folders and
    /// then all; otherwise every folder whose path holds each typed word, case- and
    /// accent-insensitively, recent ones first.
    pub fn picker_matches(&self) -> Vec<Target> {
        let Some(picker) = &self.picker else {
            return Vec::new();
        };
        let recent = self.recent_targets(picker.copy);
        let mut all: Vec<Target> = recent.clone();
        all.extend(
            self.move_targets(picker.copy)
                .into_iter()
                .filter(|t| !recent.iter().any(|r| r.id == t.id)),
        );
        let words: Vec<String> = fold(&picker.filter)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        all.retain(|t| {
            let path = fold(&t.path);
            words.iter().all(|w| path.contains(w.as_str()))
        });
        all
    }

    /// Moves the picker's highlight by `delta`, within its matches.
    pub fn picker_step(&mut self, delta: isize) {
        let len = self.picker_matches().len();
        if let Some(picker) = self.picker.as_mut() {
            let last = len.saturating_sub(1) as isize;
            picker.highlighted = (picker.highlighted as isize + delta).clamp(0, last) as usize;
        }
    }

    /// Takes a folder from the picker (`None`: the highlighted one) and closes it.
    pub fn pick(&mut self, target: Option<FolderId>) {
        let Some(picker) = self.picker.clone() else {
            return;
        };
        let target = target.or_else(|| {
            let matches = self.picker_matches();
            let at = picker.highlighted.min(matches.len().saturating_sub(1));
            matches.get(at).map(|t| t.id)
        });
        let Some(to) = target else {
            return;
        };
        self.picker = None;
        if picker.copy {
            self.copy_selected_to(to);
        } else {
            self.move_selected_to(to);
        }
    }

    /// Closes the picker without moving anything.
    pub fn close_picker(&mut self) {
        self.picker = None;
    }

    /// Keeps the highlight on a match after the filter changed.
    pub fn picker_filter_changed(&mut self) {
        if let Some(picker) = self.picker.as_mut() {
            picker.highlighted = 0;
        }
    }
}

/// The queue of moves in flight.
pub(super) type MovingQueue = VecDeque<Moving>;
