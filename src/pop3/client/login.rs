//! Logging in: the method chosen from what the server offers, USER/PASS, APOP and the SASL
//! exchange (RFC 5034).

use super::super::capability::SaslMechanism;
use super::super::command::{Command, Secret, check_input};
use super::super::error::{Error, ErrorKind};
use super::super::response::{Response, ResponseCode};
use super::super::sasl::{SaslClient, SaslInput, apop_digest};
use super::super::transport::Security;
use super::Client;

/// How to authenticate (the account's "authentication" setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMethod {
    /// The strongest the server offers of SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN, then
    /// USER/PASS, falling back to the next when one is refused for a reason other than the
    /// password.
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
    /// SASL SCRAM-SHA-256 (RFC 7677): the password never crosses the wire, and the server
    /// proves that it knows it.
    ScramSha256,
    /// An OAuth access token by whichever of OAUTHBEARER (the standard) and XOAUTH2 the
    /// server offers, in that order; XOAUTH2 when its CAPA names neither.
    OAuth2,
}

impl AuthMethod {
    /// Whether the secret this method sends is an OAuth access token, not a password.
    pub fn takes_token(self) -> bool {
        matches!(self, Self::XOAuth2 | Self::OAuthBearer | Self::OAuth2)
    }
}

/// The methods Automatic tries, strongest first.
const AUTOMATIC_ORDER: [AuthMethod; 5] = [
    AuthMethod::ScramSha256,
    AuthMethod::CramMd5,
    AuthMethod::Plain,
    AuthMethod::Login,
    AuthMethod::UserPass,
];

/// A failed login attempt with one method, and whether the next may be tried.
struct Refused {
    error: Error,
    /// True when the server refused the mechanism itself, not the credentials: before it saw
    /// any (a `-ERR` to `AUTH` alone), with a response code that is not `[AUTH]` on a server
    /// that announces AUTH-RESP-CODE, or with a challenge the mechanism cannot answer.
    may_try_next: bool,
}

impl From<Error> for Refused {
    fn from(error: Error) -> Self {
        Self {
            error,
            may_try_next: false,
        }
    }
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
        self.login_preferring(credentials, None).await
    }

    /// Logs in as [`Client::login`] does; with Automatic, `learned` (the method that worked for
    /// this account last time) is tried first while the server still offers it. When a
    /// method is refused for a reason other than the credentials, the next one is tried; a
    /// refused password never is (servers lock accounts after a few failures).
    pub async fn login_preferring(
        &mut self,
        credentials: &Credentials,
        learned: Option<AuthMethod>,
    ) -> Result<(), Error> {
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
        let methods = self.candidates(credentials.method, learned)?;
        let mut tried: Vec<String> = Vec::new();
        for (index, &method) in methods.iter().enumerate() {
            let refused = match self.attempt(method, credentials).await {
                Ok(()) => {
                    self.auth_used = Some(method);
                    if self.caps.announced {
                        // Some servers announce TOP, UIDL or PIPELINING only after login
                        // (RFC 2449 §5).
                        self.refresh_capabilities().await?;
                    }
                    return Ok(());
                }
                Err(refused) => refused,
            };
            let last = index + 1 == methods.len();
            if !refused.may_try_next || last || self.state() != super::State::Authorization {
                let error = match refused.error.kind() {
                    // Some servers hang up right after a failed login (POP3-NOTES): that is a
                    // refusal.
                    ErrorKind::Closed => Error::new(
                        ErrorKind::Auth,
                        ACTION,
                        &self.endpoint.host,
                        "the server closed the connection after the login attempt",
                    ),
                    _ => refused.error,
                };
                if tried.is_empty() {
                    return Err(error);
                }
                return Err(Error::new(
                    error.kind(),
                    ACTION,
                    &self.endpoint.host,
                    format!("{} (after {} refused)", error.detail(), tried.join(", ")),
                )
                .with_code(error.code().cloned()));
            }
            tracing::debug!(
                target: "poplar::pop3",
                "{} refused ({}); trying the next method",
                method_name(method),
                refused.error.detail()
            );
            tried.push(method_name(method).to_owned());
        }
        Err(unreachable_automatic(&self.endpoint.host))
    }

    /// The methods to try, in order: one for an explicit choice, the offered ones strongest
    /// first for Automatic (what worked last time leading).
    fn candidates(
        &self,
        wanted: AuthMethod,
        learned: Option<AuthMethod>,
    ) -> Result<Vec<AuthMethod>, Error> {
        let caps = &self.caps;
        match wanted {
            AuthMethod::Automatic => {
                let offered = |method: AuthMethod| match sasl_mechanism(method) {
                    Some(mechanism) => caps.offers(&mechanism),
                    // RFC 1939 servers without CAPA, or with CAPA but no SASL, take USER/PASS;
                    // one that lists SASL but not USER may still take it as the last resort.
                    None => method == AuthMethod::UserPass,
                };
                let mut methods: Vec<AuthMethod> = AUTOMATIC_ORDER
                    .into_iter()
                    .filter(|&m| offered(m))
                    .collect();
                if let Some(learned) = learned
                    && let Some(at) = methods.iter().position(|&m| m == learned)
                {
                    let method = methods.remove(at);
                    methods.insert(0, method);
                }
                Ok(methods)
            }
            AuthMethod::OAuth2 => {
                let methods: Vec<AuthMethod> = [AuthMethod::OAuthBearer, AuthMethod::XOAuth2]
                    .into_iter()
                    .filter(|&m| sasl_mechanism(m).is_some_and(|mech| caps.offers(&mech)))
                    .collect();
                match methods.is_empty() {
                    true => Ok(vec![AuthMethod::XOAuth2]),
                    false => Ok(methods),
                }
            }
            AuthMethod::Apop if self.session.apop_timestamp().is_none() => Err(Error::new(
                ErrorKind::Input,
                "log in to",
                &self.endpoint.host,
                "the account asks for APOP, but the server's greeting offers no APOP timestamp",
            )),
            other => Ok(vec![other]),
        }
    }

    /// One login attempt with one method.
    async fn attempt(
        &mut self,
        method: AuthMethod,
        credentials: &Credentials,
    ) -> Result<(), Refused> {
        match method {
            AuthMethod::UserPass => Ok(self.login_user_pass(credentials).await?),
            AuthMethod::Apop => Ok(self.login_apop(credentials).await?),
            AuthMethod::Automatic | AuthMethod::OAuth2 => {
                Err(unreachable_automatic(&self.endpoint.host).into())
            }
            sasl => match sasl_mechanism(sasl) {
                Some(mechanism) => self.login_sasl(mechanism, credentials).await,
                None => Err(unreachable_automatic(&self.endpoint.host).into()),
            },
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
    ) -> Result<(), Refused> {
        const ACTION: &str = "log in to";
        let host = self.endpoint.host.clone();
        let input = SaslInput {
            user: &credentials.user,
            secret: credentials.secret.expose(),
            host: &host,
            port: self.endpoint.port,
        };
        let mut sasl = SaslClient::new(mechanism.clone(), input)
            .map_err(|err| Error::new(ErrorKind::Input, ACTION, &host, err.to_string()))?;
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
        // Whether the server has seen anything from which it could judge the credentials.
        // SCRAM's first message names the user but proves nothing.
        let mut credentials_sent = initial.is_some() && mechanism != SaslMechanism::ScramSha256;
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
                                let proof_failed = SaslClient::is_server_proof_failure(&err);
                                return Err(Refused {
                                    error: Error::new(
                                        if proof_failed {
                                            ErrorKind::Auth
                                        } else {
                                            ErrorKind::Protocol
                                        },
                                        ACTION,
                                        &host,
                                        err.to_string(),
                                    ),
                                    // A server that fails to prove itself gets nothing more.
                                    may_try_next: !proof_failed,
                                });
                            }
                        },
                    };
                    // Past SCRAM's first message, or any other mechanism's first step, the
                    // server can judge the credentials.
                    credentials_sent = credentials_sent
                        || mechanism != SaslMechanism::ScramSha256
                        || sasl.scram_proof_sent();
                    response = self
                        .command(Command::SaslResponse(Secret::new(answer)), ACTION)
                        .await?;
                }
                Response::Status(status) | Response::MultiLine { status, .. } => {
                    if status.ok {
                        if let Err(err) = sasl.accept_success() {
                            return Err(Refused {
                                error: Error::new(ErrorKind::Auth, ACTION, &host, err.to_string()),
                                may_try_next: false,
                            });
                        }
                        return Ok(());
                    }
                    let mut error = Error::from_reply(&status, ErrorKind::Auth, ACTION, &host);
                    if let Some(oauth_status) = &sasl.failed_with_status {
                        error = Error::new(
                            error.kind(),
                            ACTION,
                            &host,
                            format!("{} (OAuth status {oauth_status})", status.render()),
                        )
                        .with_code(error.code().cloned());
                    }
                    let may_try_next = match status.code {
                        Some(
                            ResponseCode::Auth
                            | ResponseCode::InUse
                            | ResponseCode::LoginDelay
                            | ResponseCode::SysTemp
                            | ResponseCode::SysPerm,
                        ) => false,
                        _ => !credentials_sent || self.caps.auth_resp_code,
                    } && error.kind() == ErrorKind::Auth;
                    return Err(Refused {
                        error,
                        may_try_next,
                    });
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

pub(super) fn method_name(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::Automatic => "automatic",
        AuthMethod::UserPass => "USER/PASS",
        AuthMethod::Plain => "PLAIN",
        AuthMethod::Login => "LOGIN",
        AuthMethod::CramMd5 => "CRAM-MD5",
        AuthMethod::Apop => "APOP",
        AuthMethod::XOAuth2 => "XOAUTH2",
        AuthMethod::OAuthBearer => "OAUTHBEARER",
        AuthMethod::ScramSha256 => "SCRAM-SHA-256",
        AuthMethod::OAuth2 => "OAuth 2.0",
    }
}

fn unreachable_automatic(host: &str) -> Error {
    Error::new(
        ErrorKind::Input,
        "log in to",
        host,
        "the server offers no login method Poplar can use",
    )
}

/// The SASL mechanism of a method, for those that are SASL.
fn sasl_mechanism(method: AuthMethod) -> Option<SaslMechanism> {
    match method {
        AuthMethod::Plain => Some(SaslMechanism::Plain),
        AuthMethod::Login => Some(SaslMechanism::Login),
        AuthMethod::CramMd5 => Some(SaslMechanism::CramMd5),
        AuthMethod::XOAuth2 => Some(SaslMechanism::XOAuth2),
        AuthMethod::OAuthBearer => Some(SaslMechanism::OAuthBearer),
        AuthMethod::ScramSha256 => Some(SaslMechanism::ScramSha256),
        AuthMethod::Automatic | AuthMethod::UserPass | AuthMethod::Apop | AuthMethod::OAuth2 => {
            None
        }
    }
}
