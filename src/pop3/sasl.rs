//! SASL mechanisms (RFC 5034) and the APOP digest, as pure functions of their inputs.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};

use super::capability::SaslMechanism;
use super::scram::{Scram, ScramError};

/// What a mechanism needs from the account: a password or, for OAuth, an access token.
#[derive(Debug, Clone, Copy)]
pub struct SaslInput<'a> {
    /// The user name (authentication identity).
    pub user: &'a str,
    /// The password, or the OAuth access token for XOAUTH2 and OAUTHBEARER.
    pub secret: &'a str,
    /// The server's host name (OAUTHBEARER sends it).
    pub host: &'a str,
    /// The server's port (OAUTHBEARER sends it).
    pub port: u16,
}

/// Why a SASL exchange could not go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaslError {
    /// The server's challenge was not valid base64.
    BadChallenge,
    /// The server sent more challenges than the mechanism has steps.
    UnexpectedChallenge,
    /// The mechanism is not one Poplar implements.
    Unsupported(String),
    /// SCRAM failed on the client's side (a malformed challenge, or a server that cannot
    /// prove it knows the password).
    Scram(ScramError),
    /// The server said `+OK` before the mechanism was done: for SCRAM, before it proved that
    /// it knows the password.
    EarlySuccess,
}

impl std::fmt::Display for SaslError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadChallenge => f.write_str("the server's SASL challenge is not valid base64"),
            Self::UnexpectedChallenge => {
                f.write_str("the server sent an unexpected SASL challenge")
            }
            Self::Unsupported(name) => write!(f, "the SASL mechanism {name} is not supported"),
            Self::Scram(err) => err.fmt(f),
            Self::EarlySuccess => f.write_str(
                "the server accepted the login without proving that it knows the password",
            ),
        }
    }
}

impl std::error::Error for SaslError {}

/// The client side of one SASL exchange: the initial response, then one answer per challenge.
#[derive(Debug)]
pub struct SaslClient {
    mechanism: SaslMechanism,
    step: usize,
    user: String,
    secret: String,
    host: String,
    port: u16,
    /// True once an OAuth mechanism received an error challenge (a JSON status).
    pub failed_with_status: Option<String>,
    /// The SCRAM exchange, for SCRAM-SHA-256.
    scram: Option<Scram>,
}

impl SaslClient {
    /// Starts an exchange for a supported mechanism.
    pub fn new(mechanism: SaslMechanism, input: SaslInput<'_>) -> Result<Self, SaslError> {
        if let SaslMechanism::Other(name) = mechanism {
            return Err(SaslError::Unsupported(name));
        }
        let scram = match mechanism {
            SaslMechanism::ScramSha256 => {
                Some(Scram::new(input.user, input.secret).map_err(SaslError::Scram)?)
            }
            _ => None,
        };
        Ok(Self {
            scram,
            mechanism,
            step: 0,
            user: input.user.to_owned(),
            secret: input.secret.to_owned(),
            host: input.host.to_owned(),
            port: input.port,
            failed_with_status: None,
        })
    }

    /// The mechanism in use.
    pub fn mechanism(&self) -> &SaslMechanism {
        &self.mechanism
    }

    /// The base64 initial response, for mechanisms that have one (PLAIN and the OAuth ones).
    pub fn initial_response(&self) -> Option<String> {
        let raw = match self.mechanism {
            SaslMechanism::Plain => format!("\0{}\0{}", self.user, self.secret),
            SaslMechanism::XOAuth2 => {
                format!("user={}\x01auth=Bearer {}\x01\x01", self.user, self.secret)
            }
            SaslMechanism::OAuthBearer => format!(
                "n,a={},\x01host={}\x01port={}\x01auth=Bearer {}\x01\x01",
                gs2_escape(&self.user),
                self.host,
                self.port,
                self.secret
            ),
            SaslMechanism::ScramSha256 => self.scram.as_ref()?.client_first(),
            _ => return None,
        };
        Some(BASE64.encode(raw))
    }

    /// Answers one `+ <base64>` challenge with the base64 line to send.
    pub fn respond(&mut self, challenge_b64: &str) -> Result<String, SaslError> {
        let challenge = BASE64
            .decode(challenge_b64.trim())
            .map_err(|_| SaslError::BadChallenge)?;
        self.step += 1;
        match (&self.mechanism, self.step) {
            // RFC 5034 §4: a server that wants the initial response after an empty challenge.
            (SaslMechanism::Plain, 1) if challenge.is_empty() => {
                Ok(self.initial_response().unwrap_or_default())
            }
            (SaslMechanism::Login, 1) => Ok(BASE64.encode(&self.user)),
            (SaslMechanism::Login, 2) => Ok(BASE64.encode(&self.secret)),
            (SaslMechanism::CramMd5, 1) => {
                Ok(BASE64.encode(cram_md5_response(&self.user, &self.secret, &challenge)))
            }
            // An OAuth challenge is an error status in JSON; RFC 7628 §3.2.3 says answer ^A,
            // XOAUTH2 expects an empty line. The server then sends -ERR.
            (SaslMechanism::OAuthBearer, 1) => {
                self.failed_with_status = Some(String::from_utf8_lossy(&challenge).into_owned());
                Ok(BASE64.encode([1u8]))
            }
            (SaslMechanism::XOAuth2, 1) => {
                self.failed_with_status = Some(String::from_utf8_lossy(&challenge).into_owned());
                Ok(String::new())
            }
            // RFC 5034 §4: a server that wants the initial response after an empty challenge.
            (SaslMechanism::ScramSha256, 1) if challenge.is_empty() => {
                self.step = 0;
                Ok(self.initial_response().unwrap_or_default())
            }
            (SaslMechanism::ScramSha256, step) => {
                let Some(scram) = self.scram.as_mut() else {
                    return Err(SaslError::UnexpectedChallenge);
                };
                match step {
                    1 => scram
                        .client_final(&challenge)
                        .map(|m| BASE64.encode(m))
                        .map_err(SaslError::Scram),
                    // The server's signature comes as a last challenge; once it checks out,
                    // the answer is empty and the server says +OK.
                    2 => scram
                        .verify(&challenge)
                        .map(|()| String::new())
                        .map_err(SaslError::Scram),
                    _ => Err(SaslError::UnexpectedChallenge),
                }
            }
            _ => Err(SaslError::UnexpectedChallenge),
        }
    }
}

impl SaslClient {
    /// Whether a `+OK` now ends the exchange as a success: SCRAM-SHA-256 only once the server
    /// proved it knows the password; the other mechanisms have nothing to check.
    pub fn accept_success(&self) -> Result<(), SaslError> {
        match &self.scram {
            Some(scram) if !scram.verified() => Err(SaslError::EarlySuccess),
            _ => Ok(()),
        }
    }

    /// True once SCRAM's proof went out (the server can now judge the password).
    pub fn scram_proof_sent(&self) -> bool {
        self.scram.as_ref().is_some_and(Scram::proof_sent)
    }

    /// True when the failure is one of SCRAM's own: the server could not prove it knows the
    /// password, or ended the exchange with an error.
    pub fn is_server_proof_failure(err: &SaslError) -> bool {
        matches!(
            err,
            SaslError::EarlySuccess | SaslError::Scram(ScramError::ServerSignature)
        )
    }
}

/// RFC 5801 §4: "," and "=" in the authorization identity are escaped.
fn gs2_escape(user: &str) -> String {
    user.replace('=', "=3D").replace(',', "=2C")
}

/// RFC 2195: the user name, a space, and the lower-case hex HMAC-MD5 of the challenge.
pub fn cram_md5_response(user: &str, secret: &str, challenge: &[u8]) -> String {
    let digest = match <Hmac<Md5> as Mac>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(challenge);
            hex(&mac.finalize().into_bytes())
        }
        // HMAC accepts keys of any length; this branch cannot be reached.
        Err(_) => String::new(),
    };
    format!("{user} {digest}")
}

/// RFC 1939 §7: APOP's digest is the lower-case hex MD5 of the timestamp and the secret.
pub fn apop_digest(timestamp: &str, secret: &str) -> String {
    let mut md5 = Md5::new();
    md5.update(timestamp.as_bytes());
    md5.update(secret.as_bytes());
    hex(&md5.finalize())
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(user: &'a str, secret: &'a str) -> SaslInput<'a> {
        SaslInput {
            user,
            secret,
            host: "pop.example.com",
            port: 995,
        }
    }

    #[test]
    fn apop_digest_matches_rfc_1939_example() {
        // RFC 1939 §7, the example exchange.
        assert_eq!(
            apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"),
            "c4c9334bac560ecc979e58001b3e22fb"
        );
    }

    #[test]
    fn cram_md5_matches_rfc_2195_example() {
        let challenge = BASE64
            .decode("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+")
            .expect("b64");
        assert_eq!(
            cram_md5_response("tim", "tanstaaftanstaaf", &challenge),
            "tim b913a602c7eda7a495b4e6e7334d3890"
        );
    }

    #[test]
    fn plain_sends_user_and_password_in_the_initial_response() {
        let sasl = SaslClient::new(SaslMechanism::Plain, input("tim", "tanstaaf")).expect("known");
        let initial = sasl.initial_response().expect("PLAIN has one");
        assert_eq!(BASE64.decode(initial).expect("b64"), b"\0tim\0tanstaaf");
    }

    #[test]
    fn login_answers_user_then_password() {
        let mut sasl = SaslClient::new(SaslMechanism::Login, input("tim", "pw")).expect("known");
        assert!(sasl.initial_response().is_none());
        assert_eq!(sasl.respond("VXNlcm5hbWU6"), Ok(BASE64.encode("tim")));
        assert_eq!(sasl.respond("UGFzc3dvcmQ6"), Ok(BASE64.encode("pw")));
        assert_eq!(sasl.respond("eA=="), Err(SaslError::UnexpectedChallenge));
    }

    #[test]
    fn oauthbearer_follows_rfc_7628_and_answers_an_error_challenge_with_ctrl_a() {
        let mut sasl =
            SaslClient::new(SaslMechanism::OAuthBearer, input("user@example.com", "tok"))
                .expect("known");
        let initial = BASE64
            .decode(sasl.initial_response().expect("has one"))
            .expect("b64");
        assert_eq!(
            initial,
            b"n,a=user@example.com,\x01host=pop.example.com\x01port=995\x01auth=Bearer tok\x01\x01"
        );
        let status = BASE64.encode(r#"{"status":"invalid_token"}"#);
        assert_eq!(sasl.respond(&status), Ok("AQ==".into()));
        assert_eq!(
            sasl.failed_with_status.as_deref(),
            Some(r#"{"status":"invalid_token"}"#)
        );
    }

    #[test]
    fn xoauth2_initial_response_and_empty_answer_to_an_error() {
        let mut sasl = SaslClient::new(SaslMechanism::XOAuth2, input("u@x", "t")).expect("known");
        let initial = BASE64
            .decode(sasl.initial_response().expect("has one"))
            .expect("b64");
        assert_eq!(initial, b"user=u@x\x01auth=Bearer t\x01\x01");
        assert_eq!(sasl.respond(&BASE64.encode("{}")), Ok(String::new()));
    }

    #[test]
    fn a_bad_challenge_is_an_error_not_a_panic() {
        let mut sasl = SaslClient::new(SaslMechanism::CramMd5, input("u", "p")).expect("known");
        assert_eq!(sasl.respond("***"), Err(SaslError::BadChallenge));
        assert!(SaslClient::new(SaslMechanism::Other("GSSAPI".into()), input("u", "p")).is_err());
    }
}
