//! The accounts dialog's OAuth sign-in: runs [`grant::sign_in`] on a `poplar-sign-in` thread
//! (it waits minutes for the browser), takes its steps back through a channel each frame,
//! cancels it, and says in the user's language why it failed. No egui here.
//!
//! The sign-in runs with the settings the form describes at the moment Sign in is pressed,
//! so the grant is kept under the key the saved account will look for; the form remembers
//! what it signed in as ([`SignedInAs`]), and asks for another sign-in when the user name,
//! server, port or provider change afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use super::AppState;
use super::account_form::oauth::SignedInAs;
use crate::oauth::{Browser, OAuthError};
use crate::pop3::Secret;
use crate::sync::grant::{self, Kept, SignInError, SignInStep};

/// The browser the dialog signs in with: the desktop's, or a test's.
pub type SharedBrowser = Arc<dyn Browser + Send + Sync>;

/// The sign-in of the account being edited.
#[derive(Debug, Default)]
pub enum SignInState {
    /// Not started in this editor (or cancelled).
    #[default]
    Idle,
    /// Waiting for the browser to come back.
    Waiting(SignInRun),
    /// The grant is kept.
    SignedIn(Kept),
    /// It did not work; why.
    Failed(SignInFailure),
}

/// Why a sign-in did not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInFailure {
    /// The provider or the browser side failed.
    OAuth(OAuthError),
    /// The grant came but could not be kept; the keyring's words.
    Keyring(String),
    /// The sign-in could not start (its settings are incomplete, or no thread).
    NotStarted(String),
}

enum Message {
    Step(SignInStep),
    Done(Result<Kept, SignInError>),
}

/// A running sign-in. Dropping it (Cancel, or the editor closing) cancels it.
pub struct SignInRun {
    /// The page the browser was sent to, once known (shown so it can be opened by hand).
    pub url: Option<String>,
    /// The browser could not be started: the launcher's words.
    pub browser_failed: Option<String>,
    /// What it signs in as.
    pub signs_in_as: SignedInAs,
    cancel: Arc<AtomicBool>,
    receiver: Receiver<Message>,
}

impl std::fmt::Debug for SignInRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInRun")
            .field("url", &self.url.is_some())
            .field("browser_failed", &self.browser_failed)
            .finish_non_exhaustive()
    }
}

impl Drop for SignInRun {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl AppState {
    /// Uses `browser` for sign-ins from now on (tests give a scripted one).
    pub fn set_browser(&mut self, browser: SharedBrowser) {
        self.browser = browser;
    }

    /// Signs the editor's account in with the settings the form describes now, on a
    /// thread of its own.
    pub fn start_sign_in(&mut self) {
        let secrets = Arc::clone(&self.secrets);
        let browser = Arc::clone(&self.browser);
        let waker = Arc::clone(&self.waker);
        let timeout = crate::oauth::DEFAULT_SIGN_IN_TIMEOUT;
        let Some(editor) = self.editor_mut() else {
            return;
        };
        if matches!(editor.sign_in, SignInState::Waiting(_)) {
            return;
        }
        let form = &editor.form;
        let settings = match form.sign_in_settings() {
            Ok(settings) => settings,
            Err(why) => {
                editor.sign_in = SignInState::Failed(SignInFailure::NotStarted(why));
                return;
            }
        };
        let Some(signs_in_as) = SignedInAs::of(&settings) else {
            return;
        };
        let client_secret = Some(form.oauth_client_secret.trim())
            .filter(|s| !s.is_empty())
            .map(Secret::new);
        let cancel = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = channel();
        let flag = Arc::clone(&cancel);
        let started = std::thread::Builder::new()
            .name("poplar-sign-in".into())
            .spawn(move || {
                let mut on_step = |step: SignInStep| {
                    let _ = sender.send(Message::Step(step));
                    waker();
                };
                let result = grant::sign_in(
                    &*secrets,
                    &settings,
                    client_secret,
                    &*browser,
                    &flag,
                    timeout,
                    &mut on_step,
                );
                let _ = sender.send(Message::Done(result));
                waker();
            });
        editor.sign_in = match started {
            Ok(_) => SignInState::Waiting(SignInRun {
                url: None,
                browser_failed: None,
                signs_in_as,
                cancel,
                receiver,
            }),
            Err(err) => SignInState::Failed(SignInFailure::NotStarted(err.to_string())),
        };
    }

    /// Cancels a running sign-in (the thread notices its flag and ends).
    pub fn cancel_sign_in(&mut self) {
        if let Some(editor) = self.editor_mut()
            && matches!(editor.sign_in, SignInState::Waiting(_))
        {
            editor.sign_in = SignInState::Idle;
        }
    }

    /// The editor closes unsaved: a grant it signed in for, that no stored account has, is
    /// forgotten (on a thread of its own: the keyring may be slow).
    pub(super) fn forget_unsaved_sign_in(&self) {
        let Some(form) = self
            .accounts_dialog
            .as_ref()
            .and_then(|d| d.editor.as_ref())
            .map(|e| &e.form)
        else {
            return;
        };
        let Some(signed_in) = form.signed_in.as_ref() else {
            return;
        };
        if form.stored_grant.as_ref() == Some(signed_in) {
            return;
        }
        let key = signed_in.key.clone();
        let secrets = Arc::clone(&self.secrets);
        let started = std::thread::Builder::new()
            .name("poplar-keyring".into())
            .spawn(move || {
                if let Err(err) = secrets.forget_secret(&key) {
                    tracing::warn!("cannot forget an unsaved sign-in: {err}");
                }
            });
        if let Err(err) = started {
            tracing::warn!("cannot forget an unsaved sign-in: {err}");
        }
    }

    /// Each frame: takes the running sign-in's steps and outcome.
    pub(super) fn poll_sign_in(&mut self) {
        let Some(editor) = self.editor_mut() else {
            return;
        };
        let SignInState::Waiting(run) = &mut editor.sign_in else {
            return;
        };
        let outcome = loop {
            match run.receiver.try_recv() {
                Ok(Message::Step(SignInStep::Url(url))) => run.url = Some(url),
                Ok(Message::Step(SignInStep::BrowserFailed(why))) => run.browser_failed = Some(why),
                Ok(Message::Done(result)) => break Some(result.map_err(Some)),
                Err(TryRecvError::Empty) => break None,
                Err(TryRecvError::Disconnected) => break Some(Err(None)),
            }
        };
        let Some(outcome) = outcome else {
            return;
        };
        let signs_in_as = run.signs_in_as.clone();
        editor.sign_in = match outcome {
            Ok(kept) => {
                editor.form.signed_in = Some(signs_in_as.clone());
                SignInState::SignedIn(kept)
            }
            Err(Some(SignInError::OAuth(OAuthError::Cancelled))) => SignInState::Idle,
            Err(Some(SignInError::OAuth(err))) => SignInState::Failed(SignInFailure::OAuth(err)),
            Err(Some(SignInError::Keyring(err))) => {
                SignInState::Failed(SignInFailure::Keyring(err.message))
            }
            // The thread ended without a word (it panicked).
            Err(None) => SignInState::Failed(SignInFailure::NotStarted(crate::tr!(
                "oauth-failed-stopped"
            ))),
        };
        // A stored account signed in again under its own key: the engine may have stopped
        // it for want of a sign-in, so it checks again now.
        let refreshed = matches!(editor.sign_in, SignInState::SignedIn(_))
            && editor.form.stored_grant.as_ref() == Some(&signs_in_as);
        if let (true, Some(id)) = (refreshed, editor.account) {
            self.engine.accounts_changed();
            self.check_now(Some(id));
        }
    }
}

/// The sentence for a failed sign-in, in the user's language. `provider` names the
/// provider ("Microsoft", "Google", or the provider in general).
pub fn failure_text(failure: &SignInFailure, provider: &str) -> String {
    use crate::tr;
    let reason = |text: &Option<String>, fallback: &str| match text {
        Some(text) if !text.trim().is_empty() => text.trim().to_owned(),
        _ => fallback.to_owned(),
    };
    match failure {
        SignInFailure::NotStarted(why) => why.clone(),
        SignInFailure::Keyring(why) => tr!("oauth-failed-keyring", reason = why.as_str()),
        SignInFailure::OAuth(err) => match err {
            OAuthError::NoClientId => tr!("oauth-no-client-id", provider = provider),
            OAuthError::Browser(why) => tr!("oauth-failed-browser", reason = why.as_str()),
            OAuthError::Cancelled => tr!("oauth-failed-cancelled"),
            OAuthError::TimedOut => tr!(
                "oauth-failed-timeout",
                minutes = crate::oauth::DEFAULT_SIGN_IN_TIMEOUT.as_secs() / 60
            ),
            OAuthError::Denied { .. } => tr!("oauth-failed-denied"),
            OAuthError::StateMismatch => tr!("oauth-failed-state"),
            OAuthError::Revoked { .. } => tr!("oauth-failed-revoked"),
            OAuthError::Server {
                status,
                error,
                description,
            } => {
                let code = error
                    .clone()
                    .or_else(|| status.map(|s| format!("HTTP {s}"))) // untranslated: a protocol's status
                    .unwrap_or_default();
                let why = reason(description, &code);
                if why.is_empty() {
                    tr!("oauth-failed-server-plain")
                } else {
                    tr!("oauth-failed-server", reason = why.as_str())
                }
            }
            OAuthError::Network(why) => tr!("oauth-failed-network", reason = why.as_str()),
            OAuthError::Insecure { url } => tr!("oauth-failed-insecure", url = url.as_str()),
            OAuthError::Malformed(why) => tr!("oauth-failed-malformed", reason = why.as_str()),
            OAuthError::System(why) => tr!("oauth-failed-system", reason = why.as_str()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_a_plain_sentence() {
        crate::i18n::set_language(crate::i18n::Language::English);
        let none = || None;
        for error in [
            OAuthError::NoClientId,
            OAuthError::Browser("xdg-open: not found".into()),
            OAuthError::Cancelled,
            OAuthError::TimedOut,
            OAuthError::Denied {
                description: none(),
            },
            OAuthError::StateMismatch,
            OAuthError::Revoked {
                description: none(),
            },
            OAuthError::Server {
                status: Some(400),
                error: Some("invalid_client".into()),
                description: none(),
            },
            OAuthError::Server {
                status: None,
                error: None,
                description: none(),
            },
            OAuthError::Network("connection refused".into()),
            OAuthError::Insecure {
                url: "http://example.org/token".into(),
            },
            OAuthError::Malformed("no access_token".into()),
            OAuthError::System("no port".into()),
        ] {
            let text = failure_text(&SignInFailure::OAuth(error.clone()), "Microsoft");
            assert!(
                text.ends_with('.') || text.contains(':'),
                "{error:?}: {text}"
            );
            assert!(
                !text.contains("oauth-"),
                "{error:?}: an id, not a sentence: {text}"
            );
        }
        let text = |error| failure_text(&SignInFailure::OAuth(error), "Microsoft");
        assert!(text(OAuthError::TimedOut).contains("within 10 minutes"));
        assert!(
            text(OAuthError::Denied {
                description: none()
            })
            .contains("refused on the provider's page")
        );
        assert!(text(OAuthError::NoClientId).contains("registered with Microsoft"));
        assert!(
            text(OAuthError::Server {
                status: Some(401),
                error: None,
                description: None
            })
            .contains("HTTP 401")
        );
    }
}
