//! The accounts dialog's logic: the list with Add, Edit and Remove, the editor with its
//! connection test and certificate trust, the keyring check, and saving through the store's
//! writer. No egui here (that is `ui/accounts.rs`).
//!
//! Everything slow runs elsewhere: the keyring check on a `poplar-keyring` thread, the
//! connection test on `poplar-probe` ([`probe::spawn`]), saving and removing on the store's
//! writer thread. Their answers come back through channels drained in [`AppState::update`],
//! so a frame never waits.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use super::account_form::{AccountForm, PasswordChoice};
use super::signin::SignInState;
use super::{AppState, JobDone};
use crate::account::{AccountSettings, PasswordSource};
use crate::pop3::{Secret, Security, TlsTrust};
use crate::store::{AccountId, Writer, now};
use crate::sync::SyncError;
use crate::sync::probe::{self, ProbeHandle, ProbeOutcome, ProbePassword, ProbeReport};
use crate::sync::secrets::{Secrets, keyring_user, oauth_key};

/// How long the connection test waits for each step.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Whether the OS keyring can hold passwords.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyringState {
    /// Still asking (it may take a moment when the Secret Service must start).
    Checking,
    /// It works.
    Available,
    /// There is none; why, in plain words.
    Missing(String),
}

/// The connection test.
#[derive(Debug, Default)]
pub enum TestState {
    /// Not run (or the form changed since).
    #[default]
    Idle,
    /// Running; Cancel drops the handle.
    Running(ProbeHandle),
    /// Finished.
    Done(Box<ProbeReport>),
    /// The user cancelled it.
    Cancelled,
}

/// The editor for one account (new or existing).
#[derive(Debug)]
pub struct Editor {
    /// The account being edited; `None` for a new one.
    pub account: Option<AccountId>,
    /// Its settings as stored (editing).
    pub original: Option<AccountSettings>,
    /// The fields.
    pub form: AccountForm,
    /// The connection test.
    pub test: TestState,
    /// The OAuth sign-in.
    pub sign_in: SignInState,
}

/// "Remove account", waiting for the user's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The account.
    pub account: AccountId,
    /// Its name.
    pub name: String,
    /// Keep its mail on this computer (the default).
    pub keep_mail: bool,
    /// Being removed.
    pub busy: bool,
}

/// The accounts dialog, while it is open.
#[derive(Debug)]
pub struct AccountsDialog {
    /// The account selected in the list.
    pub selected: Option<AccountId>,
    /// The editor, when adding or editing.
    pub editor: Option<Editor>,
    /// The remove question, when asked.
    pub removal: Option<Removal>,
    /// The keyring's state.
    pub keyring: KeyringState,
    keyring_check: Option<Receiver<KeyringState>>,
    /// An error to show at the top (a failed removal).
    pub error: Option<String>,
}

/// What the writer answered for the dialog.
pub(super) enum Done {
    Saved(Result<Saved, String>),
    Removed(Result<(), String>),
}

/// The outcome of a save.
pub(super) enum Saved {
    Account(AccountId),
    /// The keyring is missing: nothing was saved; the user chooses another way.
    NoKeyring(String),
}

/// What to do with the password when saving.
enum PasswordAction {
    /// Nothing: keep what is stored.
    Keep,
    /// Store this one in the keyring.
    Keyring(Secret),
    /// Remember this one until Poplar quits.
    Session(Secret),
    /// Forget the keyring's (the account now uses a command).
    Forget,
    /// None: the account signs in with OAuth (its grant is kept by the sign-in); a password
    /// kept before is forgotten.
    Token,
}

impl AppState {
    /// Opens the accounts dialog on its list (or, with no account yet, on a new one).
    pub fn open_accounts_dialog(&mut self) {
        if self.accounts_dialog.is_none() {
            let keyring_check = self.check_keyring();
            self.accounts_dialog = Some(AccountsDialog {
                selected: self.accounts.first().map(|a| a.id),
                editor: None,
                removal: None,
                keyring: KeyringState::Checking,
                keyring_check,
                error: None,
            });
        }
        if self.accounts.is_empty() {
            self.add_account();
        }
    }

    /// Opens the dialog on a new account (the welcome screen's "Add account").
    pub fn open_account_form(&mut self) {
        self.open_accounts_dialog();
        if self
            .accounts_dialog
            .as_ref()
            .is_some_and(|d| d.editor.is_none())
        {
            self.add_account();
        }
    }

    /// True while the dialog is open (the window's shortcuts are off then).
    pub fn accounts_dialog_open(&self) -> bool {
        self.accounts_dialog.is_some()
    }

    /// Closes the dialog (a running test is cancelled).
    pub fn close_accounts_dialog(&mut self) {
        self.forget_unsaved_sign_in();
        self.accounts_dialog = None;
    }

    /// Starts an editor for a new account.
    pub fn add_account(&mut self) {
        let keyring_missing = self.keyring_missing();
        if let Some(dialog) = &mut self.accounts_dialog {
            let mut form = AccountForm::default();
            if keyring_missing {
                form.password_choice = PasswordChoice::Session;
            }
            dialog.removal = None;
            dialog.editor = Some(Editor {
                account: None,
                original: None,
                form,
                test: TestState::Idle,
                sign_in: SignInState::Idle,
            });
        }
    }

    /// Starts an editor for the selected account.
    pub fn edit_account(&mut self, account: AccountId) {
        let Some(stored) = self.accounts.iter().find(|a| a.id == account) else {
            return;
        };
        let settings = stored.settings.clone();
        if let Some(dialog) = &mut self.accounts_dialog {
            dialog.selected = Some(account);
            dialog.removal = None;
            dialog.editor = Some(Editor {
                account: Some(account),
                form: AccountForm::from_settings(&settings),
                original: Some(settings),
                test: TestState::Idle,
                sign_in: SignInState::Idle,
            });
        }
    }

    /// Closes the editor without saving.
    pub fn cancel_edit(&mut self) {
        self.forget_unsaved_sign_in();
        if let Some(dialog) = &mut self.accounts_dialog {
            dialog.editor = None;
        }
    }

    /// Asks whether to keep the account's mail before removing it.
    pub fn ask_remove_account(&mut self, account: AccountId) {
        let name = self.account_name(account);
        if let Some(dialog) = &mut self.accounts_dialog {
            dialog.editor = None;
            dialog.removal = Some(Removal {
                account,
                name,
                keep_mail: true,
                busy: false,
            });
        }
    }

    /// Removes the account the question is about, keeping its mail or not as chosen.
    pub fn confirm_remove_account(&mut self) {
        let Some(removal) = self
            .accounts_dialog
            .as_mut()
            .and_then(|d| d.removal.as_mut())
        else {
            return;
        };
        removal.busy = true;
        let (id, keep) = (removal.account, removal.keep_mail);
        let settings = self
            .accounts
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.settings.clone());
        let secrets = Arc::clone(&self.secrets);
        self.job(
            move |w: &mut Writer| {
                let at = now();
                if keep {
                    w.remove_account_keep_mail(id, at)?;
                } else {
                    w.remove_account(id, true, at)?;
                }
                if let Some(settings) = settings.clone().filter(|s| s.oauth.is_some()) {
                    // Telling the provider takes the network: on a thread of its own.
                    let secrets = Arc::clone(&secrets);
                    let spawned = std::thread::Builder::new()
                        .name("poplar-revoke".into())
                        .spawn(move || {
                            if let Err(err) =
                                crate::sync::grant::revoke_and_forget(&*secrets, &settings)
                            {
                                tracing::warn!(
                                    "cannot withdraw the sign-in of {}: {err:?}",
                                    settings.name
                                );
                            }
                        });
                    if let Err(err) = spawned {
                        tracing::warn!("no thread to withdraw a sign-in: {err}");
                    }
                } else if let Some(settings) = settings
                    && let Err(err) = secrets.forget_password(&settings)
                {
                    // The account is gone; a keyring entry left behind is harmless.
                    tracing::warn!("cannot forget the password of {}: {err}", settings.name);
                }
                Ok::<_, crate::store::StoreError>(())
            },
            |result| JobDone::Accounts(Done::Removed(result)),
        );
    }

    /// The names of the accounts other than the one being edited (for the duplicate check).
    pub fn other_account_names(&self) -> Vec<&str> {
        let editing = self.editor().and_then(|e| e.account);
        self.accounts
            .iter()
            .filter(|a| Some(a.id) != editing)
            .map(|a| a.settings.name.as_str())
            .collect()
    }

    /// Saves the editor's account: the password to the keyring (or this session), the
    /// settings to the store, both on the store's thread; then the engine is told.
    pub fn save_account(&mut self) {
        let others: Vec<String> = self
            .other_account_names()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let keyring_missing = self.keyring_missing();
        let Some(editor) = self.editor_mut() else {
            return;
        };
        let form = &mut editor.form;
        if form.busy || !form.validate(others.iter().map(String::as_str)).is_ok() {
            return;
        }
        let (settings, password) = match form.settings() {
            Ok(parts) => parts,
            Err(err) => {
                form.error = Some(err);
                return;
            }
        };
        let action = match (form.password_choice, password) {
            _ if crate::sync::grant::signs_in_itself(&settings) => PasswordAction::Token,
            (PasswordChoice::Command, _) => PasswordAction::Forget,
            (PasswordChoice::Keyring, Some(password)) if !keyring_missing => {
                PasswordAction::Keyring(password)
            }
            (PasswordChoice::Keyring | PasswordChoice::Session, Some(password)) => {
                PasswordAction::Session(password)
            }
            (_, None) => PasswordAction::Keep,
        };
        form.error = None;
        form.busy = true;
        let account = editor.account;
        let original = editor.original.clone();
        let secrets = Arc::clone(&self.secrets);
        self.job(
            move |w: &mut Writer| save(w, secrets.as_ref(), account, original, settings, action),
            |result| JobDone::Accounts(Done::Saved(result)),
        );
    }

    /// Runs the connection test with the editor's fields (off this thread).
    pub fn test_connection(&mut self) {
        let waker = Arc::clone(&self.waker);
        let secrets = Arc::clone(&self.secrets);
        let Some(editor) = self.editor_mut() else {
            return;
        };
        let form = &editor.form;
        let Some(port) = form.port_number() else {
            return;
        };
        let password = if form.uses_oauth() {
            // Signed in: the test logs in with the grant (refreshed on its thread if stale).
            match form.sign_in_settings() {
                Ok(settings) if form.has_fitting_grant() => {
                    ProbePassword::Stored(Box::new(settings), secrets)
                }
                _ => ProbePassword::Skip,
            }
        } else if !form.password.is_empty() {
            ProbePassword::Given(Secret::new(form.password.clone()))
        } else if form.password_choice == PasswordChoice::Command
            && !form.password_command.trim().is_empty()
        {
            let mut settings =
                AccountSettings::new("test", form.email.trim(), form.host.trim(), "test");
            settings.password_source = PasswordSource::Command(form.password_command.clone());
            ProbePassword::Stored(Box::new(settings), secrets)
        } else if let Some(original) = &editor.original
            && form.has_stored_password
        {
            ProbePassword::Stored(Box::new(original.clone()), secrets)
        } else {
            ProbePassword::Skip
        };
        let ca_file = form.ca_file.trim();
        let request = probe::ProbeRequest {
            host: form.host.trim().to_owned(),
            port,
            security: form.security,
            trust: TlsTrust {
                ca_file: (!ca_file.is_empty()).then(|| ca_file.into()),
                pinned_sha256: form.pin,
            },
            user: form.user.trim().to_owned(),
            password,
            auth: form.auth,
            timeout: TEST_TIMEOUT,
        };
        editor.test = match probe::spawn(request, waker) {
            Ok(handle) => TestState::Running(handle),
            Err(err) => TestState::Done(Box::new(ProbeReport {
                server: format!("{}:{port}", form.host.trim()),
                tls_version: None,
                certificate: None,
                capabilities: Vec::new(),
                auth_used: None,
                outcome: ProbeOutcome::Failed {
                    kind: crate::pop3::ErrorKind::Input,
                    // Not a POP3 failure: the words say the test did not start.
                    error: crate::sync::SyncError::new(
                        crate::sync::SyncErrorKind::Settings,
                        err.to_string(),
                    ),
                    detail: err.to_string(),
                },
            })),
        };
    }

    /// Cancels a running connection test.
    pub fn cancel_test(&mut self) {
        if let Some(editor) = self.editor_mut()
            && matches!(editor.test, TestState::Running(_))
        {
            // Dropping the handle ends the test and closes its connection.
            editor.test = TestState::Cancelled;
        }
    }

    /// Trusts the certificate the last test found (pins its SHA-256) and tests again.
    pub fn trust_tested_certificate(&mut self) {
        let Some(editor) = self.editor_mut() else {
            return;
        };
        let TestState::Done(report) = &editor.test else {
            return;
        };
        let Some(certificate) = &report.certificate else {
            return;
        };
        editor.form.pin = Some(certificate.sha256);
        self.test_connection();
    }

    /// Forgets the pinned certificate (the system's CAs decide again).
    pub fn forget_pin(&mut self) {
        if let Some(editor) = self.editor_mut() {
            editor.form.pin = None;
            editor.test = TestState::Idle;
        }
    }

    /// The open editor, if any.
    fn editor(&self) -> Option<&Editor> {
        self.accounts_dialog.as_ref()?.editor.as_ref()
    }

    pub(super) fn editor_mut(&mut self) -> Option<&mut Editor> {
        self.accounts_dialog.as_mut()?.editor.as_mut()
    }

    /// True when the keyring is known to be missing.
    pub fn keyring_missing(&self) -> bool {
        self.accounts_dialog
            .as_ref()
            .is_some_and(|d| matches!(d.keyring, KeyringState::Missing(_)))
    }

    /// Asks the keyring whether it works, on its own thread.
    fn check_keyring(&self) -> Option<Receiver<KeyringState>> {
        let (sender, receiver) = channel();
        let secrets = Arc::clone(&self.secrets);
        let waker = Arc::clone(&self.waker);
        let started = std::thread::Builder::new()
            .name("poplar-keyring".into())
            .spawn(move || {
                let state = match secrets.keyring_status() {
                    Ok(()) => KeyringState::Available,
                    Err(err) => KeyringState::Missing(err.message),
                };
                let _ = sender.send(state);
                waker();
            });
        match started {
            Ok(_) => Some(receiver),
            Err(err) => {
                tracing::warn!("cannot start the keyring check: {err}");
                None
            }
        }
    }

    /// Each frame: takes the keyring's answer and the test's report.
    pub(super) fn poll_accounts_dialog(&mut self) {
        let Some(dialog) = &mut self.accounts_dialog else {
            return;
        };
        if let Some(check) = &dialog.keyring_check
            && let Ok(state) = check.try_recv()
        {
            if matches!(state, KeyringState::Missing(_))
                && let Some(editor) = &mut dialog.editor
                && editor.account.is_none()
                && editor.form.password_choice == PasswordChoice::Keyring
            {
                editor.form.password_choice = PasswordChoice::Session;
            }
            dialog.keyring = state;
            dialog.keyring_check = None;
        }
        if let Some(editor) = &mut dialog.editor
            && let TestState::Running(handle) = &editor.test
            && let Some(report) = handle.try_result()
        {
            editor.test = TestState::Done(Box::new(report));
        }
    }

    /// A check failed because a pinned certificate changed: said loudly in the status bar,
    /// not only beside the account, with what to do.
    pub(super) fn warn_if_certificate_changed(&mut self, account: AccountId, error: &SyncError) {
        if error.facts().cause == Some(crate::pop3::Cause::CertificateChanged) {
            let name = self.account_name(account);
            self.notice(
                format!(
                    "⚠ {}",
                    crate::tr!("notice-certificate-changed", account = name.as_str())
                ),
                true,
            );
        }
    }

    /// A writer job of the dialog finished.
    pub(super) fn on_accounts_done(&mut self, done: Done) {
        match done {
            Done::Saved(Ok(Saved::Account(id))) => {
                self.engine.accounts_changed();
                if let Some(dialog) = &mut self.accounts_dialog {
                    dialog.editor = None;
                    dialog.selected = Some(id);
                }
            }
            Done::Saved(Ok(Saved::NoKeyring(reason))) => {
                if let Some(dialog) = &mut self.accounts_dialog {
                    dialog.keyring = KeyringState::Missing(reason);
                    if let Some(editor) = &mut dialog.editor {
                        editor.form.busy = false;
                        editor.form.password_choice = PasswordChoice::Session;
                        editor.form.error = Some(crate::tr!("notice-no-keyring"));
                    }
                }
            }
            Done::Saved(Err(err)) => match self.editor_mut() {
                Some(editor) => {
                    editor.form.busy = false;
                    editor.form.error = Some(err);
                }
                None => self.notice(crate::tr!("notice-save-account-failed", error = err), true),
            },
            Done::Removed(result) => {
                self.engine.accounts_changed();
                if let Some(dialog) = &mut self.accounts_dialog {
                    match result {
                        Ok(()) => {
                            dialog.removal = None;
                            dialog.selected = None;
                        }
                        Err(err) => {
                            dialog.removal = None;
                            dialog.error =
                                Some(crate::tr!("notice-remove-account-failed", error = err));
                        }
                    }
                }
            }
        }
    }
}

/// On the writer's thread: the password first (so a missing keyring saves nothing), then the
/// account.
fn save(
    writer: &mut Writer,
    secrets: &dyn Secrets,
    account: Option<AccountId>,
    original: Option<AccountSettings>,
    settings: AccountSettings,
    action: PasswordAction,
) -> Result<Saved, String> {
    let keyed_before = original.as_ref().filter(|o| {
        o.password_source == PasswordSource::Keyring && !crate::sync::grant::signs_in_itself(o)
    });
    match action {
        PasswordAction::Keyring(password) => match secrets.store_password(&settings, &password) {
            Ok(()) => {}
            Err(err) if err.no_keyring => return Ok(Saved::NoKeyring(err.message)),
            Err(err) => return Err(err.to_string()),
        },
        PasswordAction::Session(password) => secrets
            .remember_for_session(&settings, &password)
            .map_err(|err| err.to_string())?,
        PasswordAction::Keep => {
            // The keyring entry is named after user, server and port: move it along.
            if let Some(before) = keyed_before
                && keyring_user(before) != keyring_user(&settings)
            {
                let password = secrets.password(before).map_err(|err| {
                    format!("cannot move the stored password: {err}; type it again")
                })?;
                if let Err(err) = secrets.store_password(&settings, &password) {
                    if !err.no_keyring {
                        return Err(err.to_string());
                    }
                    secrets
                        .remember_for_session(&settings, &password)
                        .map_err(|err| err.to_string())?;
                }
            }
        }
        PasswordAction::Forget | PasswordAction::Token => {}
    }
    let id = match account {
        Some(id) => {
            writer
                .update_account(id, &settings)
                .map_err(|err| err.to_string())?;
            id
        }
        None => writer
            .add_account(&settings, now())
            .map_err(|err| err.to_string())?,
    };
    // The old entry, when it is no longer the account's.
    if let Some(before) = keyed_before
        && (keyring_user(before) != keyring_user(&settings)
            || settings.password_source != PasswordSource::Keyring
            || crate::sync::grant::signs_in_itself(&settings))
        && let Err(err) = secrets.forget_password(before)
    {
        tracing::warn!("cannot forget the old password entry: {err}");
    }
    // The old grant, when it is kept under another key now (the new one was signed in).
    if let Some(before) = original
        .as_ref()
        .filter(|o| crate::sync::grant::signs_in_itself(o))
        && (!crate::sync::grant::signs_in_itself(&settings)
            || oauth_key(before) != oauth_key(&settings))
        && let Err(err) = crate::sync::grant::forget(secrets, before)
    {
        tracing::warn!("cannot forget the old sign-in: {err}");
    }
    Ok(Saved::Account(id))
}

impl Editor {
    /// True when the security is none: the dialog shows its warning in red.
    pub fn insecure(&self) -> bool {
        self.form.security == Security::None
    }
}
