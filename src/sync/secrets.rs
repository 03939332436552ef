//! Where passwords come from: the OS keyring, a password command, or memory (for this
//! session only, when there is no keyring; and in tests). Poplar itself never writes a
//! password to the store, a config file or a log.

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::{LazyLock, Mutex};

use crate::account::{AccountSettings, PasswordSource};
use crate::pop3::Secret;

/// Why no password could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretError {
    /// True when no keyring is available at all (no Secret Service running).
    pub no_keyring: bool,
    /// Plain words.
    pub message: String,
}

impl std::fmt::Display for SecretError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SecretError {}

/// A source of account passwords.
pub trait Secrets: Send + Sync {
    /// The password for an account, from its password source.
    fn password(&self, account: &AccountSettings) -> Result<Secret, SecretError>;
    /// Keeps a password for an account whose source is the keyring.
    fn store_password(
        &self,
        account: &AccountSettings,
        password: &Secret,
    ) -> Result<(), SecretError>;
    /// Forgets an account's keyring password (when the account is removed).
    fn forget_password(&self, account: &AccountSettings) -> Result<(), SecretError>;
    /// Whether a keyring can hold passwords; the error says why not (e.g. no Secret Service
    /// running). May block while it asks: call it off the UI thread.
    fn keyring_status(&self) -> Result<(), SecretError> {
        Ok(())
    }
    /// Another secret kept in the keyring under `key` (an account's OAuth grant, see
    /// [`oauth_key`]); `Ok(None)` when there is none.
    fn secret(&self, key: &str) -> Result<Option<Secret>, SecretError>;
    /// Keeps a secret under `key`: in the keyring, or, when there is none, fails with
    /// `no_keyring` set (then [`Secrets::remember_secret_for_session`]).
    fn store_secret(&self, key: &str, secret: &Secret) -> Result<(), SecretError>;
    /// Keeps a secret under `key` in memory until Poplar quits.
    fn remember_secret_for_session(&self, key: &str, secret: &Secret) -> Result<(), SecretError>;
    /// Forgets the secret under `key`, wherever it was kept.
    fn forget_secret(&self, key: &str) -> Result<(), SecretError>;
    /// Keeps a password in memory until Poplar quits ("remember for this session only"),
    /// for an account whose source is the keyring when there is no keyring. Never written
    /// anywhere.
    fn remember_for_session(
        &self,
        account: &AccountSettings,
        password: &Secret,
    ) -> Result<(), SecretError> {
        let _ = (account, password);
        Err(SecretError {
            no_keyring: false,
            message: "this password store cannot remember passwords for a session".into(),
        })
    }
}

/// Passwords remembered for this session only: in this process's memory, gone when it ends.
#[derive(Debug, Default)]
struct SessionPasswords(Mutex<HashMap<String, Secret>>);

/// The error of a lock whose holder panicked.
fn lock_poisoned() -> SecretError {
    SecretError {
        no_keyring: false,
        message: "lock poisoned".into(),
    }
}

impl SessionPasswords {
    fn get(&self, key: &str) -> Result<Option<Secret>, SecretError> {
        let map = self.0.lock().map_err(|_| lock_poisoned())?;
        Ok(map.get(key).cloned())
    }

    fn insert(&self, key: &str, secret: &Secret) -> Result<(), SecretError> {
        let mut map = self.0.lock().map_err(|_| lock_poisoned())?;
        map.insert(key.to_owned(), secret.clone());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<bool, SecretError> {
        let mut map = self.0.lock().map_err(|_| lock_poisoned())?;
        Ok(map.remove(key).is_some())
    }
}

/// The session passwords of [`KeyringSecrets`] (a unit struct, so they live here: one
/// process, one session).
static SESSION: LazyLock<SessionPasswords> = LazyLock::new(SessionPasswords::default);

/// The key of an account's password in a keyring: the server and user it logs in as.
pub fn keyring_user(account: &AccountSettings) -> String {
    format!(
        "pop3://{}@{}:{}",
        account.username, account.host, account.port
    )
}

/// The key of an account's OAuth grant in a keyring: beside its password's, under another
/// scheme, so one never overwrites the other.
pub fn oauth_key(account: &AccountSettings) -> String {
    format!(
        "oauth2://{}@{}:{}",
        account.username, account.host, account.port
    )
}

/// The keyring's service name for Poplar's entries.
pub const KEYRING_SERVICE: &str = "poplar";

/// Runs a password command (`sh -c`) and takes its first line of output as the password.
pub fn run_password_command(command: &str) -> Result<Secret, SecretError> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|err| SecretError {
            no_keyring: false,
            message: format!("cannot run the password command: {err}"),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(SecretError {
            no_keyring: false,
            message: format!(
                "the password command failed ({}): {}",
                output.status,
                stderr.trim()
            ),
        });
    }
    let text = String::from_utf8(output.stdout).map_err(|_| SecretError {
        no_keyring: false,
        message: "the password command printed no valid UTF-8".into(),
    })?;
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(SecretError {
            no_keyring: false,
            message: "the password command printed nothing".into(),
        });
    }
    Ok(Secret::new(password))
}

/// The OS keyring (through the `keyring` crate), with password commands where an account
/// has one.
#[derive(Debug, Default)]
pub struct KeyringSecrets;

fn keyring_error(err: keyring::Error) -> SecretError {
    let no_keyring = matches!(
        err,
        keyring::Error::NoDefaultStore
            | keyring::Error::NoStorageAccess(_)
            | keyring::Error::PlatformFailure(_)
    );
    let message = if no_keyring {
        format!(
            "no keyring is available ({err}); use a password command, or remember the password for this session"
        )
    } else {
        format!("the keyring failed: {err}")
    };
    SecretError {
        no_keyring,
        message,
    }
}

/// The entry the keyring check reads: never written, so "no entry" means "the keyring works".
const PROBE_USER: &str = "poplar-keyring-check";

impl Secrets for KeyringSecrets {
    fn password(&self, account: &AccountSettings) -> Result<Secret, SecretError> {
        match &account.password_source {
            PasswordSource::Command(command) => run_password_command(command),
            // The session's copy first, then the keyring's.
            PasswordSource::Keyring => {
                self.secret(&keyring_user(account))?
                    .ok_or_else(|| SecretError {
                        no_keyring: false,
                        message: format!(
                            "no password is stored for {} in the keyring",
                            account.name
                        ),
                    })
            }
        }
    }

    fn store_password(
        &self,
        account: &AccountSettings,
        password: &Secret,
    ) -> Result<(), SecretError> {
        let entry =
            keyring::Entry::new(KEYRING_SERVICE, &keyring_user(account)).map_err(keyring_error)?;
        entry.set_password(password.expose()).map_err(keyring_error)
    }

    fn forget_password(&self, account: &AccountSettings) -> Result<(), SecretError> {
        self.forget_secret(&keyring_user(account))
    }

    fn keyring_status(&self) -> Result<(), SecretError> {
        let entry = keyring::Entry::new(KEYRING_SERVICE, PROBE_USER).map_err(keyring_error)?;
        match entry.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(keyring_error(err)),
        }
    }

    fn remember_for_session(
        &self,
        account: &AccountSettings,
        password: &Secret,
    ) -> Result<(), SecretError> {
        SESSION.insert(&keyring_user(account), password)
    }

    fn secret(&self, key: &str) -> Result<Option<Secret>, SecretError> {
        if let Some(secret) = SESSION.get(key)? {
            return Ok(Some(secret));
        }
        let entry = keyring::Entry::new(KEYRING_SERVICE, key).map_err(keyring_error)?;
        match entry.get_password() {
            Ok(secret) => Ok(Some(Secret::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(keyring_error(err)),
        }
    }

    fn store_secret(&self, key: &str, secret: &Secret) -> Result<(), SecretError> {
        let entry = keyring::Entry::new(KEYRING_SERVICE, key).map_err(keyring_error)?;
        entry.set_password(secret.expose()).map_err(keyring_error)?;
        // A session copy from before would shadow the new one.
        SESSION.remove(key)?;
        Ok(())
    }

    fn remember_secret_for_session(&self, key: &str, secret: &Secret) -> Result<(), SecretError> {
        SESSION.insert(key, secret)
    }

    fn forget_secret(&self, key: &str) -> Result<(), SecretError> {
        let in_session = SESSION.remove(key)?;
        let entry = match keyring::Entry::new(KEYRING_SERVICE, key) {
            Ok(entry) => entry,
            // Nothing can be in a keyring that does not exist.
            Err(_) if in_session => return Ok(()),
            Err(err) => return Err(keyring_error(err)),
        };
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(_) if in_session => Ok(()),
            Err(err) => Err(keyring_error(err)),
        }
    }
}

/// Passwords held in memory, for tests: a stand-in for the keyring (or, made with
/// [`MemorySecrets::without_keyring`], for a desktop without one). Password commands still
/// run.
#[derive(Debug, Default)]
pub struct MemorySecrets {
    passwords: Mutex<HashMap<String, Secret>>,
    no_keyring: bool,
}

impl MemorySecrets {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// A desktop without a keyring: storing in "the keyring" fails as it does without a
    /// Secret Service, and only session passwords and commands work.
    pub fn without_keyring() -> Self {
        Self {
            no_keyring: true,
            ..Self::default()
        }
    }

    fn missing_keyring() -> SecretError {
        SecretError {
            no_keyring: true,
            message: "no keyring is available (no Secret Service is running); use a password \
                      command, or remember the password for this session"
                .into(),
        }
    }
}

impl Secrets for MemorySecrets {
    fn password(&self, account: &AccountSettings) -> Result<Secret, SecretError> {
        if let PasswordSource::Command(command) = &account.password_source {
            return run_password_command(command);
        }
        self.secret(&keyring_user(account))?
            .ok_or_else(|| SecretError {
                no_keyring: false,
                message: format!("no password is remembered for {}", account.name),
            })
    }

    fn store_password(
        &self,
        account: &AccountSettings,
        password: &Secret,
    ) -> Result<(), SecretError> {
        if self.no_keyring {
            return Err(Self::missing_keyring());
        }
        self.remember_for_session(account, password)
    }

    fn keyring_status(&self) -> Result<(), SecretError> {
        match self.no_keyring {
            true => Err(Self::missing_keyring()),
            false => Ok(()),
        }
    }

    fn remember_for_session(
        &self,
        account: &AccountSettings,
        password: &Secret,
    ) -> Result<(), SecretError> {
        self.remember_secret_for_session(&keyring_user(account), password)
    }

    fn forget_password(&self, account: &AccountSettings) -> Result<(), SecretError> {
        self.forget_secret(&keyring_user(account))
    }

    fn secret(&self, key: &str) -> Result<Option<Secret>, SecretError> {
        let passwords = self.passwords.lock().map_err(|_| lock_poisoned())?;
        Ok(passwords.get(key).cloned())
    }

    fn store_secret(&self, key: &str, secret: &Secret) -> Result<(), SecretError> {
        if self.no_keyring {
            return Err(Self::missing_keyring());
        }
        self.remember_secret_for_session(key, secret)
    }

    fn remember_secret_for_session(&self, key: &str, secret: &Secret) -> Result<(), SecretError> {
        let mut passwords = self.passwords.lock().map_err(|_| lock_poisoned())?;
        passwords.insert(key.to_owned(), secret.clone());
        Ok(())
    }

    fn forget_secret(&self, key: &str) -> Result<(), SecretError> {
        let mut passwords = self.passwords.lock().map_err(|_| lock_poisoned())?;
        passwords.remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(source: PasswordSource) -> AccountSettings {
        let mut settings = AccountSettings::new("A", "a@example.de", "pop.example.de", "a");
        settings.password_source = source;
        settings
    }

    #[test]
    fn a_password_command_gives_its_first_output_line() {
        let secret = run_password_command("printf 'hunter2\\nsecond line\\n'").expect("runs");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn a_failing_password_command_says_why() {
        let err = run_password_command("echo nope >&2; exit 3").expect_err("fails");
        assert!(err.message.contains("nope"), "{err}");
        assert!(
            run_password_command("true").is_err(),
            "empty output is an error"
        );
    }

    #[test]
    fn memory_secrets_keep_and_forget_and_run_commands() {
        let secrets = MemorySecrets::new();
        let keyring = account(PasswordSource::Keyring);
        assert!(secrets.password(&keyring).is_err());
        secrets
            .store_password(&keyring, &Secret::new("pw"))
            .expect("store");
        assert_eq!(secrets.password(&keyring).expect("kept").expose(), "pw");
        secrets.forget_password(&keyring).expect("forget");
        assert!(secrets.password(&keyring).is_err());
        let command = account(PasswordSource::Command("echo from-command".into()));
        assert_eq!(
            secrets.password(&command).expect("command").expose(),
            "from-command"
        );
    }

    #[test]
    fn without_a_keyring_only_the_session_and_commands_hold_passwords() {
        let secrets = MemorySecrets::without_keyring();
        let keyring = account(PasswordSource::Keyring);
        let err = secrets.keyring_status().expect_err("no keyring");
        assert!(
            err.no_keyring && err.message.contains("this session"),
            "{err}"
        );
        let refused = secrets
            .store_password(&keyring, &Secret::new("pw"))
            .expect_err("nowhere to keep it");
        assert!(refused.no_keyring);
        secrets
            .remember_for_session(&keyring, &Secret::new("pw"))
            .expect("session");
        assert_eq!(secrets.password(&keyring).expect("kept").expose(), "pw");
    }

    #[test]
    fn keyring_secrets_prefer_a_session_password_and_forget_it() {
        // A unique account, so the process-wide session map is not shared with other tests.
        let mut settings = account(PasswordSource::Keyring);
        settings.username = "session-test-user".into();
        KeyringSecrets
            .remember_for_session(&settings, &Secret::new("s3ssion"))
            .expect("session");
        assert_eq!(
            KeyringSecrets
                .password(&settings)
                .expect("from the session")
                .expose(),
            "s3ssion"
        );
        KeyringSecrets.forget_password(&settings).expect("forget");
        assert!(
            SESSION
                .get(&keyring_user(&settings))
                .expect("lock")
                .is_none()
        );
    }
}
