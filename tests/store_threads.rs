//! Conversations in the store: replies join the message they answer in whatever order they
//! arrive, a message naming two conversations joins them, mail that answers nothing is
//! linked by subject only when its subject says it replies, the grouping facts come in the
//! list's order, one conversation is a view across folders, and a store from before
//! conversations gets its threads when the writer is idle.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use poplar::store::{ListView, Reader, Sort, SortKey, ThreadId, Writer};
use poplar::sync::store_thread::StoreHandle;

#[path = "support/store_kit.rs"]
mod store_kit;

use store_kit::*;

/// A message with its own Message-ID, answering `references` (and `in_reply_to`).
fn message(
    id: &str,
    subject: &str,
    day: u32,
    references: &[&str],
    in_reply_to: Option<&str>,
) -> Vec<u8> {
    let mut out = format!(
        "From: someone@example.de\r\nTo: reader@example.de\r\nSubject: {subject}\r\n\
         Date: {day} Mar 2024 10:00:00 +0100\r\n"
    );
    if !id.is_empty() {
        out.push_str(&format!("Message-ID: <{id}>\r\n"));
    }
    if !references.is_empty() {
        let refs: Vec<String> = references.iter().map(|r| format!("<{r}>")).collect();
        out.push_str(&format!("References: {}\r\n", refs.join("\r\n ")));
    }
    if let Some(parent) = in_reply_to {
        out.push_str(&format!("In-Reply-To: <{parent}>\r\n"));
    }
    out.push_str(&format!("\r\nText of {subject} on day {day}\r\n"));
    out.into_bytes()
}

/// Each subject's conversation number.
fn threads(reader: &Reader) -> HashMap<String, ThreadId> {
    let ids: Vec<i64> = (1..=200).collect();
    reader
        .rows(&ids)
        .expect("rows")
        .into_iter()
        .map(|row| (row.subject, row.thread))
        .collect()
}

#[test]
fn replies_join_the_message_they_answer_in_whatever_order_they_arrive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let account = writer.add_account(&settings("GMX"), 1).expect("account");
    // The answer to the answer first, then the start, an unrelated mail, then the answer;
    // each in its own download.
    let c = message("c@x", "Re: Re: Plan", 4, &["a@x", "b@x"], Some("b@x"));
    let a = message("a@x", "Plan", 1, &[], None);
    let d = message("d@x", "Something else", 2, &[], None);
    let b = message("b@x", "Re: Plan", 3, &[], Some("a@x"));
    for (uidl, raw) in [("c", c), ("a", a), ("d", d), ("b", b)] {
        ingest(&mut writer, account, &[(uidl, raw)], 10);
    }
    let reader = writer.reader().expect("reader");
    let threads = threads(&reader);
    assert_eq!(threads["Plan"], threads["Re: Plan"]);
    assert_eq!(threads["Plan"], threads["Re: Re: Plan"]);
    assert_ne!(threads["Plan"], threads["Something else"]);
    assert!(threads.values().all(|t| *t > 0));
    // The same within one download.
    let e = message("e@x", "Re: Lunch", 6, &["f@x"], None);
    let f = message("f@x", "Lunch", 5, &[], None);
    ingest(&mut writer, account, &[("e", e), ("f", f)], 20);
    let threads = self::threads(&reader);
    assert_eq!(threads["Lunch"], threads["Re: Lunch"]);
    assert_ne!(threads["Lunch"], threads["Plan"]);
}

#[test]
fn a_message_naming_two_conversations_joins_them_into_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let account = writer.add_account(&settings("GMX"), 1).expect("account");
    // Two replies to messages that never arrived, then one answering both.
    let x = message("x1@x", "Re: One", 1, &["x0@x"], None);
    let y = message("y1@x", "Re: Two", 2, &["y0@x"], None);
    ingest(&mut writer, account, &[("x", x), ("y", y)], 10);
    let reader = writer.reader().expect("reader");
    let before = threads(&reader);
    assert_ne!(before["Re: One"], before["Re: Two"]);
    let z = message("z@x", "Re: One and two", 3, &["x0@x", "y1@x"], None);
    ingest(&mut writer, account, &[("z", z)], 20);
    let after = threads(&reader);
    assert_eq!(after["Re: One"], after["Re: Two"]);
    assert_eq!(after["Re: One"], after["Re: One and two"]);
    // A later reply to either old one is in it too.
    let w = message("w@x", "Re: Two", 4, &["y0@x"], None);
    ingest(&mut writer, account, &[("w", w)], 30);
    let rows = reader.rows(&[4]).expect("rows");
    assert_eq!(rows[0].thread, after["Re: One"]);
}

#[test]
fn mail_that_answers_nothing_is_linked_by_subject_only_when_its_subject_replies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut writer = Writer::open(&store_path(&dir)).expect("open");
    let account = writer.add_account(&settings("GMX"), 1).expect("account");
    let mail = |subject: &str, day: u32| message("", subject, day, &[], None);
    ingest(
        &mut writer,
        account,
        &[("1", mail("Budget", 1)), ("2", mail("Re: Budget", 2))],
        10,
    );
    ingest(&mut writer, account, &[("3", mail("Hello", 3))], 20);
    ingest(&mut writer, account, &[("4", mail("hello", 4))], 30);
    // A new "Budget" starts its own; a reply after it joins the newest.
    ingest(&mut writer, account, &[("5", mail("Budget", 5))], 40);
    ingest(&mut writer, account, &[("6", mail("AW: Budget", 6))], 50);
    let reader = writer.reader().expect("reader");
    let rows = reader.rows(&[1, 2, 3, 4, 5, 6]).expect("rows");
    let t: Vec<ThreadId> = rows.iter().map(|r| r.thread).collect();
    assert_eq!(t[0], t[1], "Re: Budget joins Budget");
    assert_ne!(t[2], t[3], "two mails called Hello stay apart");
    assert_ne!(t[4], t[0], "a second Budget is a new conversation");
    assert_eq!(t[5], t[4], "AW: Budget joins the newest Budget");
    // A reply with References is linked by those alone, never by its subject.
    let r = message("r@x", "Re: Budget", 7, &["elsewhere@x"], None);
    ingest(&mut writer, account, &[("7", r)], 60);
    let reply = &reader.rows(&[7]).expect("rows")[0];
    assert!(reply.thread != t[0] && reply.thread != t[4]);
}

#[test]
fn the_grouping_facts_come_in_the_list_order_and_one_conversation_is_a_view_across_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let mut writer = Writer::open(&path).expect("open");
    let account = writer.add_account(&settings("GMX"), 1).expect("account");
    ingest(
        &mut writer,
        account,
        &[
            ("a", message("a@x", "Plan", 1, &[], None)),
            ("b", message("b@x", "Re: Plan", 3, &["a@x"], None)),
            ("d", message("d@x", "Other", 2, &[], None)),
            (
                "c",
                message("c@x", "Re: Plan again", 4, &["a@x", "b@x"], None),
            ),
        ],
        10,
    );
    let reader = writer.reader().expect("reader");
    let inbox = inbox(&reader, account);
    writer.set_seen(&[1], true).expect("seen");
    let members = reader
        .members("", ListView::Folder(inbox), Sort::default())
        .expect("store")
        .expect("members");
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    assert_eq!(ids, [4, 2, 3, 1], "newest first, as the list");
    let plan = members[0].thread;
    assert!(members.iter().filter(|m| m.thread == plan).count() == 3);
    assert!(!members[3].unread && members[0].unread);
    // The same order as the rows of the view.
    let page: Vec<i64> = reader
        .page(ListView::Folder(inbox), Sort::default(), 0, 10)
        .expect("page")
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(page, ids);
    // By subject, and narrowed by a search.
    let by_subject = Sort {
        key: SortKey::Subject,
        descending: false,
    };
    let sorted: Vec<i64> = reader
        .members("", ListView::Folder(inbox), by_subject)
        .expect("store")
        .expect("members")
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(sorted, [3, 1, 2, 4], "Other, Plan, Plan, Plan again");
    let found = reader
        .members("again", ListView::Folder(inbox), Sort::default())
        .expect("store")
        .expect("members");
    assert_eq!(found.iter().map(|m| m.id).collect::<Vec<_>>(), [4]);
    assert!(
        reader
            .members("before:2024-13", ListView::Folder(inbox), Sort::default())
            .expect("store")
            .is_err(),
        "a search that cannot run says why"
    );
    // One conversation: wherever its messages are filed, but not in Trash.
    let work = writer
        .create_folder(Some(account), None, "Work")
        .expect("folder");
    writer.move_messages(&[2], work).expect("move");
    writer.move_to_trash(&[4], 20).expect("trash");
    let view = ListView::Conversation(plan);
    assert_eq!(reader.count(view).expect("count"), 2);
    let rows = reader.page(view, Sort::default(), 0, 10).expect("page");
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 1]);
    let members = reader
        .members("", view, Sort::default())
        .expect("store")
        .expect("members");
    assert_eq!(members.len(), 2);
    // A message not linked yet is a conversation of its own.
    let alone = ListView::Conversation(-3);
    assert_eq!(reader.count(alone).expect("count"), 1);
}

#[test]
fn a_store_from_before_conversations_gets_its_threads_while_the_writer_is_idle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    {
        let mut writer = Writer::open(&path).expect("open");
        let account = writer.add_account(&settings("GMX"), 1).expect("account");
        ingest(
            &mut writer,
            account,
            &[
                ("a", message("a@x", "Plan", 1, &[], None)),
                ("b", message("b@x", "Re: Plan", 2, &[], Some("a@x"))),
                ("c", message("c@x", "Re: Plan", 3, &["a@x", "b@x"], None)),
                ("d", message("d@x", "Other", 4, &[], None)),
                ("e", message("", "Re: Other", 5, &[], None)),
            ],
            10,
        );
    }
    {
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(UNDO_V8).expect("back to v7");
        conn.execute_batch("PRAGMA user_version = 7;").expect("v7");
    }
    let mut writer = Writer::open(&path).expect("migrate");
    let reader = writer.reader().expect("reader");
    assert!(writer.threads_pending().expect("pending"));
    let before: Vec<ThreadId> = reader
        .rows(&[1, 2, 3, 4, 5])
        .expect("rows")
        .iter()
        .map(|r| r.thread)
        .collect();
    assert_eq!(before, [-1, -2, -3, -4, -5], "each alone until linked");
    // New mail is linked at once, to the old mail too once that is read again.
    ingest(
        &mut writer,
        1,
        &[("f", message("f@x", "Re: Plan", 6, &["a@x"], None))],
        20,
    );
    let step = writer.thread_backlog(2).expect("slice");
    assert_eq!((step.moved, step.done), (2, false));
    // The writer's thread finishes on its own while it has no work.
    let (handle, thread) = StoreHandle::spawn(writer).expect("writer thread");
    let started = Instant::now();
    while handle
        .run_blocking(|w| w.threads_pending())
        .expect("job")
        .expect("pending")
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "threading ends"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    handle.close();
    thread.join().expect("thread ends");
    let after: Vec<ThreadId> = reader
        .rows(&[1, 2, 3, 4, 5, 6])
        .expect("rows")
        .iter()
        .map(|r| r.thread)
        .collect();
    assert!(after.iter().all(|t| *t > 0));
    assert_eq!(after[0], after[1]);
    assert_eq!(after[0], after[2]);
    assert_eq!(after[0], after[5]);
    assert_eq!(after[3], after[4], "Re: Other joins Other by subject");
    assert_ne!(after[0], after[3]);
}
