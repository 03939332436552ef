//! The minimal "Add account" form: its fields as typed, and the checks that turn them into
//! [`AccountSettings`] and a password. (The full accounts dialog is issue 6.)

use crate::account::{AccountSettings, PasswordSource};
use crate::pop3::command::check_input;
use crate::pop3::{Secret, Security};

/// Where the form takes the password from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordChoice {
    /// Typed here, kept in the OS keyring.
    #[default]
    Keyring,
    /// The output of a command.
    Command,
}

/// The form's fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountForm {
    /// A unique name for the account.
    pub name: String,
    /// The email address.
    pub email: String,
    /// The POP3 server.
    pub host: String,
    /// The port, as typed.
    pub port: String,
    /// Connection security.
    pub security: Security,
    /// The user name.
    pub user: String,
    /// Keyring or command.
    pub password_choice: PasswordChoice,
    /// The password (keyring choice).
    pub password: String,
    /// The password command (command choice).
    pub password_command: String,
    /// Why the last attempt was refused.
    pub error: Option<String>,
    /// The account is being added (the form waits for the store).
    pub busy: bool,
}

impl Default for AccountForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            email: String::new(),
            host: String::new(),
            port: Security::Tls.default_port().to_string(),
            security: Security::Tls,
            user: String::new(),
            password_choice: PasswordChoice::Keyring,
            password: String::new(),
            password_command: String::new(),
            error: None,
            busy: false,
        }
    }
}

impl AccountForm {
    /// Changes the security, and the port with it while it still is the old default.
    pub fn set_security(&mut self, security: Security) {
        if self.port.trim() == self.security.default_port().to_string() {
            self.port = security.default_port().to_string();
        }
        self.security = security;
    }

    /// Fills the user name from the email address when it is still empty.
    pub fn email_changed(&mut self) {
        if self.user.is_empty() && self.email.contains('@') {
            self.user = self.email.trim().to_owned();
        }
    }

    /// Checks the fields; the settings and, for the keyring, the password to store.
    pub fn settings(&self) -> Result<(AccountSettings, Option<Secret>), String> {
        let name = self.name.trim();
        let host = self.host.trim();
        let user = self.user.trim();
        if name.is_empty() {
            return Err("The account needs a name.".into());
        }
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '/') {
            return Err(format!("“{}” is not a server name.", self.host.trim()));
        }
        if user.is_empty() {
            return Err("The user name is missing.".into());
        }
        check_input(user, "user name").map_err(|err| err.to_string())?;
        let port: u16 = match self.port.trim().parse() {
            Ok(port) if port > 0 => port,
            _ => return Err("The port is a number from 1 to 65535.".into()),
        };
        let mut settings = AccountSettings::new(name, self.email.trim(), host, user);
        settings.security = self.security;
        settings.port = port;
        let password = match self.password_choice {
            PasswordChoice::Keyring => {
                if self.password.is_empty() {
                    return Err("The password is missing.".into());
                }
                check_input(&self.password, "password").map_err(|err| err.to_string())?;
                settings.password_source = PasswordSource::Keyring;
                Some(Secret::new(self.password.clone()))
            }
            PasswordChoice::Command => {
                let command = self.password_command.trim();
                if command.is_empty() {
                    return Err("The password command is missing.".into());
                }
                settings.password_source = PasswordSource::Command(command.to_owned());
                None
            }
        };
        Ok((settings, password))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> AccountForm {
        let mut form = AccountForm {
            name: "GMX".into(),
            email: "anna@gmx.de".into(),
            host: "pop.gmx.net".into(),
            password: "secret".into(),
            ..AccountForm::default()
        };
        form.email_changed();
        form
    }

    #[test]
    fn a_filled_form_gives_settings_and_a_password() {
        let (settings, password) = filled().settings().expect("valid");
        assert_eq!(settings.username, "anna@gmx.de");
        assert_eq!(settings.port, 995);
        assert_eq!(
            password.map(|p| p.expose().to_owned()),
            Some("secret".into())
        );
    }

    #[test]
    fn the_port_follows_security_until_edited() {
        let mut form = filled();
        form.set_security(Security::StartTls);
        assert_eq!(form.port, "110");
        form.port = "1110".into();
        form.set_security(Security::Tls);
        assert_eq!(form.port, "1110");
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let mut form = filled();
        form.host = "pop gmx".into();
        assert!(form.settings().is_err_and(|e| e.contains("server name")));
        let mut form = filled();
        form.password = "a\r\nDELE 1".into();
        assert!(form.settings().is_err());
        let mut form = filled();
        form.password_choice = PasswordChoice::Command;
        assert!(form.settings().is_err_and(|e| e.contains("command")));
    }
}
