//! The list grouped by conversation: each conversation one row (its first message in the
//! list's order: the newest, sorted by date), opened to show its other messages below it.
//!
//! Pure and in memory: the view thread sends every message of the view with its
//! conversation ([`Member`]), and opening or closing a conversation regroups them here
//! without asking the store again (a pass over the conversations).

use std::collections::{HashMap, HashSet};

use crate::store::{Member, MessageId, ThreadId};

/// The messages of a list read by id, as the view thread sends them: grouped there when the
/// list is grouped, so the window only takes the result.
#[derive(Debug)]
pub enum Listed {
    /// In the list's order, one row each.
    Flat(Vec<Member>),
    /// By conversation.
    Grouped(Box<Grouping>),
}

impl Listed {
    /// `members` grouped if `expanded` is given (the conversations open), else flat.
    pub fn new(members: Vec<Member>, expanded: Option<HashSet<ThreadId>>) -> Self {
        match expanded {
            Some(expanded) => Self::Grouped(Box::new(Grouping::new(members, expanded))),
            None => Self::Flat(members),
        }
    }
}

/// What a row of the grouped list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadMark {
    /// Its conversation.
    pub thread: ThreadId,
    /// The conversation's messages in the view.
    pub size: usize,
    /// Of which unread.
    pub unread: usize,
    /// The conversation is open (its other messages are listed below its first).
    pub expanded: bool,
    /// The row is one of those other messages, not the conversation's own row.
    pub reply: bool,
}

/// The grouped list: the rows shown, and what each is.
#[derive(Debug, Default)]
pub struct Grouping {
    members: Vec<Member>,
    expanded: HashSet<ThreadId>,
    /// The conversations in the list's order, each with its members (indices into
    /// `members`, in the list's order). Kept while conversations open and close.
    groups: Vec<(ThreadId, Vec<usize>)>,
    /// Where each conversation is in `groups`.
    group_of: HashMap<ThreadId, usize>,
    /// Each member's conversation.
    thread_by_id: HashMap<MessageId, ThreadId>,
    ids: Vec<MessageId>,
    marks: Vec<ThreadMark>,
    /// Where each shown message is listed.
    index_by_id: HashMap<MessageId, usize>,
}

impl Grouping {
    /// Groups `members` (in the list's order); the conversations in `expanded` are open.
    pub fn new(members: Vec<Member>, mut expanded: HashSet<ThreadId>) -> Self {
        let mut groups: Vec<(ThreadId, Vec<usize>)> = Vec::new();
        let mut group_of: HashMap<ThreadId, usize> = HashMap::new();
        let mut thread_by_id = HashMap::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            thread_by_id.insert(member.id, member.thread);
            let group = *group_of.entry(member.thread).or_insert_with(|| {
                groups.push((member.thread, Vec::new()));
                groups.len() - 1
            });
            groups[group].1.push(index);
        }
        // Forget open conversations that left the view.
        expanded.retain(|thread| group_of.contains_key(thread));
        let mut grouping = Self {
            members,
            expanded,
            groups,
            group_of,
            thread_by_id,
            ..Self::default()
        };
        grouping.list();
        grouping
    }

    /// Lists the rows: each conversation's first message, and the rest of the open ones.
    fn list(&mut self) {
        self.ids.clear();
        self.marks.clear();
        self.index_by_id.clear();
        for (thread, group) in &self.groups {
            let expanded = group.len() > 1 && self.expanded.contains(thread);
            let mark = ThreadMark {
                thread: *thread,
                size: group.len(),
                unread: group.iter().filter(|&&i| self.members[i].unread).count(),
                expanded,
                reply: false,
            };
            let shown = if expanded { group.len() } else { 1 };
            for (n, &index) in group.iter().take(shown).enumerate() {
                let id = self.members[index].id;
                self.index_by_id.insert(id, self.ids.len());
                self.ids.push(id);
                self.marks.push(ThreadMark {
                    reply: n > 0,
                    ..mark
                });
            }
        }
    }

    /// Every message grouped, in the list's order.
    pub fn member_ids(&self) -> Vec<MessageId> {
        self.members.iter().map(|m| m.id).collect()
    }

    /// How many messages and how many conversations the list holds.
    pub fn counts(&self) -> (usize, usize) {
        (self.members.len(), self.groups.len())
    }

    /// The rows shown, in order.
    pub fn ids(&self) -> &[MessageId] {
        &self.ids
    }

    /// What row `index` is.
    pub fn mark(&self, index: usize) -> Option<ThreadMark> {
        self.marks.get(index).copied()
    }

    /// The conversations that are open.
    pub fn expanded(&self) -> &HashSet<ThreadId> {
        &self.expanded
    }

    /// Every message of a conversation in the view, in the list's order.
    pub fn messages_of(&self, thread: ThreadId) -> Vec<MessageId> {
        self.group_of
            .get(&thread)
            .map(|&group| {
                self.groups[group]
                    .1
                    .iter()
                    .map(|&i| self.members[i].id)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many messages a selected row stands for: a closed conversation's all.
    pub fn stands_for(&self, id: MessageId) -> usize {
        match self.thread_by_id.get(&id) {
            Some(thread) if !self.expanded.contains(thread) => self
                .group_of
                .get(thread)
                .map_or(1, |&group| self.groups[group].1.len()),
            _ => 1,
        }
    }

    /// Opens or closes a conversation; false when nothing changed (it has one message, or
    /// is not in the view, or is already so).
    pub fn set_expanded(&mut self, thread: ThreadId, open: bool) -> bool {
        let size = self
            .group_of
            .get(&thread)
            .map_or(0, |&group| self.groups[group].1.len());
        if size < 2 {
            return false;
        }
        let changed = if open {
            self.expanded.insert(thread)
        } else {
            self.expanded.remove(&thread)
        };
        if changed {
            self.list();
        }
        changed
    }

    /// Where a message is listed, if it is (a message inside a closed conversation is not).
    pub fn index_of(&self, id: MessageId) -> Option<usize> {
        self.index_by_id.get(&id).copied()
    }

    /// The conversation a listed message belongs to.
    pub fn thread_of(&self, id: MessageId) -> Option<ThreadId> {
        self.thread_by_id.get(&id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: MessageId, thread: ThreadId, unread: bool) -> Member {
        Member { id, thread, unread }
    }

    /// Newest first: 9 (thread 1), 8 (thread 2), 7 (1), 6 (3), 5 (1, read).
    fn sample() -> Vec<Member> {
        vec![
            member(9, 1, true),
            member(8, 2, false),
            member(7, 1, true),
            member(6, 3, true),
            member(5, 1, false),
        ]
    }

    #[test]
    fn each_conversation_is_one_row_at_its_first_message_with_its_counts() {
        let grouping = Grouping::new(sample(), HashSet::new());
        assert_eq!(grouping.ids(), [9, 8, 6]);
        let first = grouping.mark(0).expect("a row");
        assert_eq!((first.thread, first.size, first.unread), (1, 3, 2));
        assert!(!first.expanded && !first.reply);
        assert_eq!(grouping.mark(1).map(|m| m.size), Some(1));
        assert_eq!(grouping.messages_of(1), [9, 7, 5]);
    }

    #[test]
    fn opening_lists_the_other_messages_below_and_closing_hides_them() {
        let mut grouping = Grouping::new(sample(), HashSet::new());
        assert!(grouping.set_expanded(1, true));
        assert_eq!(grouping.ids(), [9, 7, 5, 8, 6]);
        let marks: Vec<bool> = (0..5)
            .map(|i| grouping.mark(i).expect("a row").reply)
            .collect();
        assert_eq!(marks, [false, true, true, false, false]);
        assert!(grouping.mark(0).expect("a row").expanded);
        assert_eq!(grouping.index_of(5), Some(2));
        // A single message cannot be opened; opening twice changes nothing.
        assert!(!grouping.set_expanded(2, true));
        assert!(!grouping.set_expanded(1, true));
        assert!(grouping.set_expanded(1, false));
        assert_eq!(grouping.ids(), [9, 8, 6]);
        assert_eq!(grouping.index_of(5), None);
        assert_eq!(grouping.thread_of(5), Some(1));
    }

    #[test]
    fn open_conversations_stay_open_when_regrouped_and_vanished_ones_are_forgotten() {
        let grouping = Grouping::new(sample(), HashSet::from([1, 42]));
        assert_eq!(grouping.ids(), [9, 7, 5, 8, 6]);
        assert!(!grouping.expanded().contains(&42));
        assert!(Grouping::new(Vec::new(), HashSet::new()).ids().is_empty());
    }
}
