//! The folder pane's tree: which folders show, in which order, how deep, and which are
//! collapsed. No egui here; `ui/folders.rs` draws the lines this returns.

use std::collections::HashSet;

use crate::store::{AccountId, Folder, FolderId, FolderKind};

/// One line of the folder tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderLine<'a> {
    /// The folder on this line.
    pub folder: &'a Folder,
    /// How many folders it is inside (0 at the account's or Local's top).
    pub depth: usize,
    /// It has subfolders (so it can be collapsed).
    pub has_children: bool,
}

/// The folders of the pane that are expanded or collapsed, kept for the session.
#[derive(Debug, Clone, Default)]
pub struct FolderTree {
    collapsed: HashSet<FolderId>,
}

impl FolderTree {
    /// Whether the folder's subfolders are hidden.
    pub fn is_collapsed(&self, folder: FolderId) -> bool {
        self.collapsed.contains(&folder)
    }

    /// Hides the subfolders when shown, shows them when hidden.
    pub fn toggle(&mut self, folder: FolderId) {
        if !self.collapsed.remove(&folder) {
            self.collapsed.insert(folder);
        }
    }

    /// The lines the folder pane shows under an account (or Local): [`Self::lines`], but the
    /// local Trash only while it holds something (it only holds deleted imported mail).
    pub fn pane_lines<'a>(
        &self,
        folders: &'a [Folder],
        account: Option<AccountId>,
    ) -> Vec<FolderLine<'a>> {
        let mut lines = self.lines(folders, account);
        if account.is_none() {
            lines.retain(|l| l.folder.kind != FolderKind::Trash || l.folder.total > 0);
        }
        lines
    }

    /// The lines under an account (or Local for `None`): top folders in the pane's order
    /// (Inbox, Trash, Junk, then the user's), each followed by its subfolders, depth first,
    /// those of a collapsed folder left out.
    pub fn lines<'a>(
        &self,
        folders: &'a [Folder],
        account: Option<AccountId>,
    ) -> Vec<FolderLine<'a>> {
        let mine: Vec<&Folder> = folders.iter().filter(|f| f.account_id == account).collect();
        let mut tops: Vec<&Folder> = mine
            .iter()
            .copied()
            .filter(|f| f.parent.is_none_or(|p| !mine.iter().any(|m| m.id == p)))
            .collect();
        // Stable: the store's name order stays within each rank.
        tops.sort_by_key(|f| rank(f.kind));
        let mut lines = Vec::new();
        for top in tops {
            self.push(&mine, top, 0, &mut lines);
        }
        lines
    }

    fn push<'a>(
        &self,
        mine: &[&'a Folder],
        folder: &'a Folder,
        depth: usize,
        lines: &mut Vec<FolderLine<'a>>,
    ) {
        let children: Vec<&'a Folder> = mine
            .iter()
            .copied()
            .filter(|f| f.parent == Some(folder.id))
            .collect();
        lines.push(FolderLine {
            folder,
            depth,
            has_children: !children.is_empty(),
        });
        // The store allows 4 levels and no cycles; the bound keeps a damaged store finite.
        if self.is_collapsed(folder.id) || depth > 8 {
            return;
        }
        for child in children {
            self.push(mine, child, depth + 1, lines);
        }
    }
}

/// The messages in a folder and all its subfolders, from the loaded counts (the store keeps
/// them exact), so asking before a delete needs no query on the UI thread.
pub fn subtree_total(folders: &[Folder], folder: FolderId) -> u64 {
    let mut total = 0;
    let mut pending = vec![folder];
    // The store allows 4 levels and no cycles; the bound keeps a damaged store finite.
    let mut steps = 0;
    while let Some(id) = pending.pop() {
        steps += 1;
        if steps > folders.len() + 1 {
            break;
        }
        total += folders.iter().find(|f| f.id == id).map_or(0, |f| f.total);
        pending.extend(
            folders
                .iter()
                .filter(|f| f.parent == Some(id))
                .map(|f| f.id),
        );
    }
    total
}

/// Where a top folder stands in the pane: Junk right after Trash, the user's own after.
fn rank(kind: FolderKind) -> u8 {
    match kind {
        FolderKind::Inbox => 0,
        FolderKind::Imported => 1,
        FolderKind::Trash => 2,
        FolderKind::Junk => 3,
        FolderKind::User => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: AccountId = 1;

    fn folder(id: i64, kind: FolderKind, name: &str, parent: Option<i64>) -> Folder {
        Folder {
            id,
            account_id: Some(ACCOUNT),
            kind,
            name: name.to_owned(),
            parent,
            total: 0,
            unread: 0,
        }
    }

    fn names(lines: &[FolderLine]) -> Vec<(String, usize)> {
        lines
            .iter()
            .map(|l| (l.folder.name.clone(), l.depth))
            .collect()
    }

    #[test]
    fn subfolders_follow_their_parent_one_level_deeper_and_junk_comes_after_trash() {
        let folders = vec![
            folder(1, FolderKind::Inbox, "Inbox", None),
            folder(2, FolderKind::Trash, "Trash", None),
            folder(3, FolderKind::User, "Work", Some(1)),
            folder(4, FolderKind::User, "Zoo", None),
            folder(5, FolderKind::Junk, "Junk", None),
            folder(6, FolderKind::User, "Clients", Some(3)),
        ];
        let tree = FolderTree::default();
        let want: Vec<(String, usize)> = [
            ("Inbox", 0),
            ("Work", 1),
            ("Clients", 2),
            ("Trash", 0),
            ("Junk", 0),
            ("Zoo", 0),
        ]
        .iter()
        .map(|(n, d)| (n.to_string(), *d))
        .collect();
        assert_eq!(names(&tree.lines(&folders, Some(ACCOUNT))), want);
    }

    #[test]
    fn a_collapsed_folder_hides_its_subfolders_until_expanded_again() {
        let folders = vec![
            folder(1, FolderKind::Inbox, "Inbox", None),
            folder(3, FolderKind::User, "Work", Some(1)),
        ];
        let mut tree = FolderTree::default();
        tree.toggle(1);
        let lines = tree.lines(&folders, Some(ACCOUNT));
        assert_eq!(lines.len(), 1);
        assert!(lines[0].has_children);
        tree.toggle(1);
        assert_eq!(tree.lines(&folders, Some(ACCOUNT)).len(), 2);
    }
    #[test]
    fn a_folders_total_for_deleting_counts_its_subfolders_mail_too() {
        let mut folders = vec![
            folder(1, FolderKind::Inbox, "Inbox", None),
            folder(3, FolderKind::User, "Work", Some(1)),
            folder(6, FolderKind::User, "Clients", Some(3)),
            folder(7, FolderKind::User, "Other", None),
        ];
        for (f, total) in folders.iter_mut().zip([5, 2, 3, 40]) {
            f.total = total;
        }
        assert_eq!(subtree_total(&folders, 3), 5);
        assert_eq!(subtree_total(&folders, 6), 3);
        assert_eq!(subtree_total(&folders, 99), 0);
    }
}
