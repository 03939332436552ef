//! Logging in: the method chosen from what the server offers, USER/PASS, APOP and the SASL
//! exchange (RFC 5034).

use super::super::capability::SaslMechanism;
use super::super::command::{Command, Secret, check_input};
use super::super::error::{Error, ErrorKind};
use super::super::response::Response;
use super::super::sasl::{SaslClient, SaslInput, apop_digest};
use super::super::transport::Security;
use super::Client;

/// How to authenticate (the account's "authentication" setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMethod {
    /// The strongest the server offers of CRAM-MD5, PLAIN, LOGIN, then USER/PASS.
    #[default]
    Automatic,
    /// `USER` and `PASS`.
    UserPass,
    /// SASL PLAIN.
    Plain,
    /// SASL LOGIN.
    Login,
    /// SASL CRAM-MD5.
    CramMd5,
    /// APOP: only when the account asks for it (MD5 is weak; RFC 1939 §7).
    Apop,
    /// SASL XOAUTH2 with an OAuth access token as the secret.
    XOAuth2,
    /// SASL OAUTHBEARER (RFC 7628) with an OAuth access token as the secret.
    OAuthBearer,
}

/// Who logs in, and how.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The user name.
    pub user: String,
    /// The password, or the OAuth access token for the OAuth methods.
    pub secret: Secret,
    /// The authentication method.
    pub method: AuthMethod,
}

impl Client {
    /// Logs in. A password never travels in cleartext unless the account's security is
    /// explicitly "none"; user names and secrets with CR, LF or NUL are refused before anything
    /// is sent.
    pub async fn login(&mut self, credentials: &Credentials) -> Result<(), Error> {
        const ACTION: &str = "log in to";
        let input_error = |err: crate::pop3::command::CommandError| {
            Error::new(
                ErrorKind::Input,
                ACTION,
                &self.endpoint.host,
                err.to_string(),
            )
        };
        check_input(&credentials.user, "user name").map_err(input_error)?;
        check_input(credentials.secret.expose(), "password").map_err(input_error)?;
        if credentials.user.is_empty() {
            return Err(Error::new(
                ErrorKind::Input,
                ACTION,
                &self.endpoint.host,
                "the user name is empty",
            ));
        }
        if !self.stream.is_tls() && self.endpoint.security != Security::None {
            // Unreachable by construction (STARTTLS failures stop in connect), kept as a guard.
            return Err(Error::new(
                ErrorKind::Tls,
                ACTION,
                &self.endpoint.host,
                "the connection is not encrypted",
            ));
        }
        if self.caps.utf8 {
            // RFC 6856 §2: before login, so headers arrive as UTF-8 and UTF-8 names work.
            self.utf8 = self.command(Command::Utf8, ACTION).await?.is_ok();
        }
        let method = self.choose_method(credentials.method)?;
        let result = match method {
            AuthMethod::UserPass => self.login_user_pass(credentials).await,
            AuthMethod::Apop => self.login_apop(credentials).await,
            AuthMethod::Plain => self.login_sasl(SaslMechanism::Plain, credentials).await,
            AuthMethod::Login => self.login_sasl(SaslMechanism::Login, credentials).await,
            AuthMethod::CramMd5 => self.login_sasl(SaslMechanism::CramMd5, credentials).await,
            AuthMethod::XOAuth2 => self.login_sasl(SaslMechanism::XOAuth2, credentials).await,
            AuthMethod::OAuthBearer => {
                self.login_sasl(SaslMechanism::OAuthBearer, credentials)
                    .await
            }
            AuthMethod::Automatic => unreachable_automatic(&self.endpoint.host),
        };
        let result = result.map_err(|err| match err.kind() {
            // Some servers hang up right after a failed login (POP3-NOTES): that is a refusal.
            ErrorKind::Closed => Error::new(
                ErrorKind::Auth,
                ACTION,
                &self.endpoint.host,
                "the server closed the connection after the login attempt",
            ),
            _ => err,
        });
        result?;
        self.auth_used = Some(method_name(method).to_owned());
        if self.caps.announced {
            // Some servers announce TOP, UIDL or PIPELINING only after login (RFC 2449 §5).
            self.refresh_capabilities().await?;
        }
        Ok(())
    }

    fn choose_method(&self, wanted: AuthMethod) -> Result<AuthMethod, Error> {
        let caps = &self.caps;
        match wanted {
            AuthMethod::Automatic => Ok(if caps.offers(&SaslMechanism::CramMd5) {
                AuthMethod::CramMd5
            } else if caps.offers(&SaslMechanism::Plain) {
                AuthMethod::Plain
            } else if caps.offers(&SaslMechanism::Login) {
                AuthMethod::Login
            } else {
                // RFC 1939 servers without CAPA, or with CAPA but no SASL, take USER/PASS.
                AuthMethod::UserPass
            }),
            AuthMethod::Apop if self.session.apop_timestamp().is_none() => Err(Error::new(
                ErrorKind::Input,
                "log in to",
                &self.endpoint.host,
                "the account asks for APOP, but the server's greeting offers no APOP timestamp",
            )),
            other => Ok(other),
        }
    }

    async fn login_user_pass(&mut self, credentials: &Credentials) -> Result<(), Error> {
        let user = Command::User(credentials.user.clone());
        let pass = Command::Pass(credentials.secret.clone());
        if self.pipelining() {
            self.send(user)?;
            self.send(pass)?;
            self.flush().await?;
            let user_reply = self.next_reply("log in to").await?;
            let pass_reply = self.next_reply("log in to").await?;
            for reply in [user_reply, pass_reply] {
                self.expect_ok_login(&reply.response)?;
            }
            return Ok(());
        }
        let reply = self.command(user, "log in to").await?;
        self.expect_ok_login(&reply)?;
        let reply = self.command(pass, "log in to").await?;
        self.expect_ok_login(&reply)
    }

    async fn login_apop(&mut self, credentials: &Credentials) -> Result<(), Error> {
        let timestamp = self.session.apop_timestamp().unwrap_or_default().to_owned();
        let digest = apop_digest(&timestamp, credentials.secret.expose());
        let reply = self
            .command(
                Command::Apop {
                    user: credentials.user.clone(),
                    digest,
                },
                "log in to",
            )
            .await?;
        self.expect_ok_login(&reply)
    }

    async fn login_sasl(
        &mut self,
        mechanism: SaslMechanism,
        credentials: &Credentials,
    ) -> Result<(), Error> {
        const ACTION: &str = "log in to";
        let input = SaslInput {
            user: &credentials.user,
            secret: credentials.secret.expose(),
            host: &self.endpoint.host,
            port: self.endpoint.port,
        };
        let mut sasl = SaslClient::new(mechanism.clone(), input).map_err(|err| {
            Error::new(
                ErrorKind::Input,
                ACTION,
                &self.endpoint.host,
                err.to_string(),
            )
        })?;
        let name = mechanism.name().to_owned();
        // RFC 5034 §4: the initial response goes with AUTH only if the line stays within 255
        // octets; otherwise it is sent after an empty challenge (long OAuth tokens).
        let mut pending_initial = None;
        let initial = match sasl.initial_response() {
            Some(initial)
                if initial.len() + name.len() + 8 <= crate::pop3::command::MAX_COMMAND_LINE =>
            {
                Some(Secret::new(if initial.is_empty() {
                    "=".to_owned()
                } else {
                    initial
                }))
            }
            Some(initial) => {
                pending_initial = Some(initial);
                None
            }
            None => None,
        };
        let mut response = self
            .command(
                Command::Auth {
                    mechanism: name,
                    initial,
                },
                ACTION,
            )
            .await?;
        loop {
            match response {
                Response::Continue(challenge) => {
                    let answer = match pending_initial.take() {
                        Some(initial) => initial,
                        None => match sasl.respond(&challenge) {
                            Ok(answer) => answer,
                            Err(err) => {
                                // Cancel the exchange (RFC 5034 §4) and report why.
                                let _ = self
                                    .command(Command::SaslResponse(Secret::new("*")), ACTION)
                                    .await;
                                return Err(Error::new(
                                    ErrorKind::Protocol,
                                    ACTION,
                                    &self.endpoint.host,
                                    err.to_string(),
                                ));
                            }
                        },
                    };
                    response = self
                        .command(Command::SaslResponse(Secret::new(answer)), ACTION)
                        .await?;
                }
                Response::Status(status) | Response::MultiLine { status, .. } => {
                    if status.ok {
                        return Ok(());
                    }
                    let mut err =
                        Error::from_reply(&status, ErrorKind::Auth, ACTION, &self.endpoint.host);
                    if let Some(oauth_status) = &sasl.failed_with_status {
                        err = Error::new(
                            err.kind(),
                            ACTION,
                            &self.endpoint.host,
                            format!("{} (OAuth status {oauth_status})", status.render()),
                        );
                    }
                    return Err(err);
                }
            }
        }
    }

    fn expect_ok_login(&self, response: &Response) -> Result<(), Error> {
        match response.status() {
            Some(status) if status.ok => Ok(()),
            Some(status) => Err(Error::from_reply(
                status,
                ErrorKind::Auth,
                "log in to",
                &self.endpoint.host,
            )),
            None => Err(Error::new(
                ErrorKind::Protocol,
                "log in to",
                &self.endpoint.host,
                "the server sent a SASL challenge to USER/PASS",
            )),
        }
    }
}

fn method_name(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::Automatic => "automatic",
        AuthMethod::UserPass => "USER/PASS",
        AuthMethod::Plain => "PLAIN",
        AuthMethod::Login => "LOGIN",
        AuthMethod::CramMd5 => "CRAM-MD5",
        AuthMethod::Apop => "APOP",
        AuthMethod::XOAuth2 => "XOAUTH2",
        AuthMethod::OAuthBearer => "OAUTHBEARER",
    }
}

fn unreachable_automatic(host: &str) -> Result<(), Error> {
    Err(Error::new(
        ErrorKind::Input,
        "log in to",
        host,
        "no authentication method was chosen",
    ))
}
