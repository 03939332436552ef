//! Reply, Reply all and Forward: the open message handed to the user's own mail program as
//! a `mailto:` URL (Poplar does not send mail yet), through the desktop's opener.

use super::{AppState, Opened};
use crate::mail::mailto::{self, Answer, MAILTO_MAX};

impl AppState {
    /// Opens the user's mail program with an answer to the open message; the status line
    /// says that it did, or why it could not.
    pub fn answer(&mut self, answer: Answer) {
        let Opened::Ready(message) = &self.opened else {
            return;
        };
        let sender = if message.row.from_name.trim().is_empty() {
            message.row.from_addr.clone()
        } else {
            message.row.from_name.clone()
        };
        let intro = match answer {
            Answer::Reply | Answer::ReplyAll if message.date.is_empty() => {
                crate::tr!("answer-intro-undated", name = sender)
            }
            Answer::Reply | Answer::ReplyAll => {
                crate::tr!("answer-intro", date = message.date.clone(), name = sender)
            }
            Answer::Forward => crate::tr!(
                "answer-forwarded",
                from = message.from.clone(),
                date = message.date.clone(),
                subject = message.row.subject.clone(),
                to = message.to.clone()
            ),
        };
        let own: Vec<String> = self
            .accounts
            .iter()
            .map(|a| a.settings.email.clone())
            .collect();
        let draft = mailto::draft(
            &message.original,
            answer,
            &own,
            &message.doc.plain_text(),
            &intro,
        );
        let url = mailto::mailto(&draft, MAILTO_MAX, &crate::tr!("answer-cut"));
        match self.browser.open(&url) {
            Ok(()) => self.notice(crate::tr!("answer-handed-over"), false),
            Err(error) => self.notice(crate::tr!("answer-failed", error = error), true),
        }
    }
}
