//! SCRAM-SHA-256 (RFC 5802, RFC 7677), the client side, pure: it is fed the server's messages
//! and answers with its own. The password never crosses the wire, and the server must prove
//! that it knows it too: a wrong or missing server signature ends the exchange as a failure.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The gs2 header: no channel binding, no authorization identity (RFC 5802 §7).
const GS2_HEADER: &str = "n,,";
/// The fewest iterations accepted: RFC 7677 §4 asks for at least 4096.
pub const MIN_ITERATIONS: u32 = 4096;
/// The most iterations accepted, so a hostile server cannot keep the client busy for minutes
/// (600,000 is OWASP's figure for PBKDF2-HMAC-SHA256 in 2023; a second or so here).
pub const MAX_ITERATIONS: u32 = 1_000_000;

/// Why a SCRAM exchange failed on the client's side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScramError {
    /// The password cannot be prepared with SASLprep (RFC 4013 prohibits a character in it).
    Password,
    /// The operating system gave no random bytes for the nonce.
    NoRandom,
    /// The server's first message is malformed, or its nonce does not extend ours.
    BadServerFirst(&'static str),
    /// The server asks for too few or too many iterations.
    Iterations(u32),
    /// The server's final message is malformed.
    BadServerFinal,
    /// The server sent an error (`e=…`) in its final message.
    ServerError(String),
    /// The server's signature is wrong: it does not know the password (or is not the server).
    ServerSignature,
    /// A message arrived when none was due.
    OutOfOrder,
}

impl std::fmt::Display for ScramError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Password => f.write_str("the password has a character SASLprep forbids"),
            Self::NoRandom => f.write_str("the operating system gave no random bytes for SCRAM"),
            Self::BadServerFirst(why) => {
                write!(f, "the server's SCRAM challenge is malformed: {why}")
            }
            Self::Iterations(n) => write!(
                f,
                "the server asks for {n} SCRAM iterations (accepted: {MIN_ITERATIONS} to {MAX_ITERATIONS})"
            ),
            Self::BadServerFinal => f.write_str("the server's final SCRAM message is malformed"),
            Self::ServerError(e) => write!(f, "the server ended SCRAM with the error {e:?}"),
            Self::ServerSignature => f.write_str(
                "the server could not prove that it knows the password (wrong SCRAM server \
                 signature): Poplar does not trust it",
            ),
            Self::OutOfOrder => f.write_str("the server sent a SCRAM message out of order"),
        }
    }
}

impl std::error::Error for ScramError {}

/// Where the exchange stands.
#[derive(Debug)]
enum Step {
    /// The client's first message went out; the server's first is due.
    SentFirst,
    /// The client's proof went out; the server's signature is due.
    SentProof {
        /// HMAC(SaltedPassword, "Server Key").
        server_key: [u8; 32],
        /// The messages so far, which the server signs.
        auth_message: String,
    },
    /// The server proved itself.
    Verified,
    /// Something failed; nothing more is answered.
    Failed,
}

/// One SCRAM-SHA-256 exchange.
pub struct Scram {
    password: String,
    client_first_bare: String,
    client_nonce: String,
    step: Step,
}

impl std::fmt::Debug for Scram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scram")
            .field("step", &self.step)
            .finish_non_exhaustive()
    }
}

impl Scram {
    /// Starts an exchange for `user` with a fresh random nonce.
    pub fn new(user: &str, password: &str) -> Result<Self, ScramError> {
        let mut bytes = [0u8; 24];
        // Without an operating-system random source there is no safe nonce: refuse.
        getrandom::fill(&mut bytes).map_err(|_| ScramError::NoRandom)?;
        Self::with_nonce(user, password, &BASE64.encode(bytes))
    }

    /// Starts an exchange with the given client nonce (printable ASCII without ','), for the
    /// RFC's test vectors.
    pub fn with_nonce(user: &str, password: &str, nonce: &str) -> Result<Self, ScramError> {
        let password = stringprep::saslprep(password)
            .map_err(|_| ScramError::Password)?
            .into_owned();
        Ok(Self {
            password,
            client_first_bare: format!("n={},r={nonce}", sasl_name(user)),
            client_nonce: nonce.to_owned(),
            step: Step::SentFirst,
        })
    }

    /// The client's first message (sent as AUTH's initial response).
    pub fn client_first(&self) -> String {
        format!("{GS2_HEADER}{}", self.client_first_bare)
    }

    /// Answers the server's first message with the client's final one (with the proof).
    pub fn client_final(&mut self, server_first: &[u8]) -> Result<String, ScramError> {
        if !matches!(self.step, Step::SentFirst) {
            self.step = Step::Failed;
            return Err(ScramError::OutOfOrder);
        }
        let result = self.prove(server_first);
        match result {
            Ok((message, server_key, auth_message)) => {
                self.step = Step::SentProof {
                    server_key,
                    auth_message,
                };
                Ok(message)
            }
            Err(err) => {
                self.step = Step::Failed;
                Err(err)
            }
        }
    }

    fn prove(&self, server_first: &[u8]) -> Result<(String, [u8; 32], String), ScramError> {
        let server_first = std::str::from_utf8(server_first)
            .map_err(|_| ScramError::BadServerFirst("not UTF-8"))?;
        let mut nonce = None;
        let mut salt = None;
        let mut iterations = None;
        for (index, attribute) in server_first.split(',').enumerate() {
            match (index, attribute.split_once('=')) {
                // RFC 5802 §5.1: a mandatory extension we do not know must fail the exchange.
                (0, Some(("m", _))) => {
                    return Err(ScramError::BadServerFirst("an unknown mandatory extension"));
                }
                (0, Some(("r", value))) => nonce = Some(value),
                (1, Some(("s", value))) => {
                    salt = Some(
                        BASE64
                            .decode(value)
                            .map_err(|_| ScramError::BadServerFirst("the salt is not base64"))?,
                    );
                }
                (2, Some(("i", value))) => {
                    iterations = Some(
                        value
                            .parse::<u32>()
                            .map_err(|_| ScramError::BadServerFirst("the iteration count"))?,
                    );
                }
                // Later extensions are allowed and ignored.
                (index, _) if index >= 3 => {}
                _ => return Err(ScramError::BadServerFirst("an attribute out of place")),
            }
        }
        let (Some(nonce), Some(salt), Some(iterations)) = (nonce, salt, iterations) else {
            return Err(ScramError::BadServerFirst("an attribute is missing"));
        };
        if !nonce.starts_with(&self.client_nonce) || nonce.len() == self.client_nonce.len() {
            return Err(ScramError::BadServerFirst(
                "the server's nonce does not extend the client's",
            ));
        }
        if salt.is_empty() {
            return Err(ScramError::BadServerFirst("the salt is empty"));
        }
        if !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&iterations) {
            return Err(ScramError::Iterations(iterations));
        }
        let mut salted = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(self.password.as_bytes(), &salt, iterations, &mut salted);
        let client_key = hmac(&salted, b"Client Key");
        let stored_key: [u8; 32] = Sha256::digest(client_key).into();
        let without_proof = format!("c={},r={nonce}", BASE64.encode(GS2_HEADER));
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let client_signature = hmac(&stored_key, auth_message.as_bytes());
        let mut proof = client_key;
        for (p, s) in proof.iter_mut().zip(client_signature) {
            *p ^= s;
        }
        let server_key = hmac(&salted, b"Server Key");
        Ok((
            format!("{without_proof},p={}", BASE64.encode(proof)),
            server_key,
            auth_message,
        ))
    }

    /// Checks the server's final message: its signature must be the one only a server that
    /// knows the password can compute.
    pub fn verify(&mut self, server_final: &[u8]) -> Result<(), ScramError> {
        let Step::SentProof {
            server_key,
            auth_message,
        } = std::mem::replace(&mut self.step, Step::Failed)
        else {
            return Err(ScramError::OutOfOrder);
        };
        let text = std::str::from_utf8(server_final).map_err(|_| ScramError::BadServerFinal)?;
        let first = text.split(',').next().unwrap_or_default();
        if let Some(error) = first.strip_prefix("e=") {
            return Err(ScramError::ServerError(error.to_owned()));
        }
        let signature = first
            .strip_prefix("v=")
            .and_then(|v| BASE64.decode(v).ok())
            .ok_or(ScramError::BadServerFinal)?;
        // HMAC's own check compares in constant time.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&server_key)
            .map_err(|_| ScramError::ServerSignature)?;
        mac.update(auth_message.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| ScramError::ServerSignature)?;
        self.step = Step::Verified;
        Ok(())
    }

    /// True once the client's proof was computed (and is about to be, or was, sent).
    pub fn proof_sent(&self) -> bool {
        matches!(self.step, Step::SentProof { .. } | Step::Verified)
    }

    /// True once the server proved that it knows the password. A server that says `+OK`
    /// before that is refused.
    pub fn verified(&self) -> bool {
        matches!(self.step, Step::Verified)
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        // HMAC takes keys of any length; this branch cannot be reached.
        Err(_) => [0; 32],
    }
}

/// RFC 5802 §5.1: "=" and "," in the user name are written "=3D" and "=2C".
fn sasl_name(user: &str) -> String {
    user.replace('=', "=3D").replace(',', "=2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7677 §3: user "user", password "pencil".
    const NONCE: &str = "rOprNGfwEbeRWgbNEkqO";
    const SERVER_FIRST: &str =
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    const CLIENT_FINAL: &str = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,\
                                p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    const SERVER_FINAL: &str = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    #[test]
    fn the_exchange_matches_rfc_7677s_example() {
        let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("start");
        assert_eq!(scram.client_first(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        assert_eq!(
            scram.client_final(SERVER_FIRST.as_bytes()).expect("proof"),
            CLIENT_FINAL
        );
        assert!(!scram.verified());
        scram
            .verify(SERVER_FINAL.as_bytes())
            .expect("the server knows the password");
        assert!(scram.verified());
    }

    #[test]
    fn a_wrong_server_signature_is_refused() {
        let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("start");
        scram.client_final(SERVER_FIRST.as_bytes()).expect("proof");
        let forged = format!("v={}", BASE64.encode([7u8; 32]));
        assert_eq!(
            scram.verify(forged.as_bytes()),
            Err(ScramError::ServerSignature)
        );
        assert!(!scram.verified());
        // Nor does a truncated signature pass, or one sent twice.
        let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("start");
        scram.client_final(SERVER_FIRST.as_bytes()).expect("proof");
        assert_eq!(
            scram.verify(b"v=6rriTRBi"),
            Err(ScramError::ServerSignature)
        );
        assert_eq!(
            scram.verify(SERVER_FINAL.as_bytes()),
            Err(ScramError::OutOfOrder)
        );
    }

    #[test]
    fn a_server_error_and_malformed_messages_are_errors_not_panics() {
        let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("start");
        scram.client_final(SERVER_FIRST.as_bytes()).expect("proof");
        assert_eq!(
            scram.verify(b"e=invalid-proof"),
            Err(ScramError::ServerError("invalid-proof".into()))
        );
        let cases: [&[u8]; 8] = [
            b"",
            b"\xff\xfe",
            b"r=someone-elses-nonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            b"r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            b"m=ext,r=rOprNGfwEbeRWgbNEkqOxx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            b"r=rOprNGfwEbeRWgbNEkqOxx,s=***,i=4096",
            b"r=rOprNGfwEbeRWgbNEkqOxx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=lots",
            b"s=W22ZaJ0SNY7soEsUEjb6gQ==,r=rOprNGfwEbeRWgbNEkqOxx,i=4096",
        ];
        for case in cases {
            let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("start");
            assert!(
                matches!(scram.client_final(case), Err(ScramError::BadServerFirst(_))),
                "{}",
                String::from_utf8_lossy(case)
            );
        }
    }

    #[test]
    fn too_few_or_too_many_iterations_are_refused() {
        for count in [1u32, 4095, MAX_ITERATIONS + 1] {
            let mut scram = Scram::with_nonce("user", "pencil", NONCE).expect("start");
            let first = format!("r={NONCE}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i={count}");
            assert_eq!(
                scram.client_final(first.as_bytes()),
                Err(ScramError::Iterations(count))
            );
        }
    }

    #[test]
    fn the_password_is_saslprepped_and_the_user_name_escaped() {
        // RFC 4013 §3: a non-ASCII space becomes a space, a soft hyphen disappears, and
        // "Ⅸ" (U+2168) is NFKC-normalised to "IX": the same proof as the plain spelling.
        let mut plain = Scram::with_nonce("user", "pen cil IX", NONCE).expect("start");
        let mut fancy =
            Scram::with_nonce("user", "pen\u{00A0}ci\u{00AD}l \u{2168}", NONCE).expect("start");
        assert_eq!(
            plain.client_final(SERVER_FIRST.as_bytes()),
            fancy.client_final(SERVER_FIRST.as_bytes())
        );
        // A control character is prohibited.
        assert_eq!(
            Scram::with_nonce("user", "pass\u{0007}", NONCE).err(),
            Some(ScramError::Password)
        );
        let scram = Scram::with_nonce("a=b,c", "pencil", NONCE).expect("start");
        assert_eq!(
            scram.client_first(),
            "n,,n=a=3Db=2Cc,r=rOprNGfwEbeRWgbNEkqO"
        );
    }

    #[test]
    fn fresh_nonces_differ() {
        let a = Scram::new("user", "pencil").expect("start");
        let b = Scram::new("user", "pencil").expect("start");
        assert_ne!(a.client_first(), b.client_first());
        assert!(a.client_first().len() > "n,,n=user,r=".len() + 24);
    }
}
