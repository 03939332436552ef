//! PKCE (RFC 7636) with the S256 method only, the `state` parameter, and comparing them
//! in constant time.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::OAuthError;
use crate::pop3::Secret;

/// Random octets in a code verifier: 32, which base64url turns into 43 characters, the
/// shortest RFC 7636 §4.1 allows and the length it recommends (256 bits of entropy).
const VERIFIER_OCTETS: usize = 32;

/// Random octets in a `state`: 128 bits, which no one guesses.
const STATE_OCTETS: usize = 16;

/// One sign-in's code verifier and its challenge.
#[derive(Debug, Clone)]
pub struct Pkce {
    verifier: Secret,
    challenge: String,
}

impl Pkce {
    /// A new verifier from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, OAuthError> {
        Ok(Self::from_verifier(random_url_safe(VERIFIER_OCTETS)?))
    }

    /// The pair for a known verifier (43 to 128 unreserved characters; tests use RFC 7636's).
    pub fn from_verifier(verifier: impl Into<String>) -> Self {
        let verifier = verifier.into();
        let challenge = s256_challenge(&verifier);
        Self {
            verifier: Secret::new(verifier),
            challenge,
        }
    }

    /// The verifier, sent only to the token endpoint with the code.
    pub fn verifier(&self) -> &Secret {
        &self.verifier
    }

    /// The S256 challenge, sent in the authorization URL.
    pub fn challenge(&self) -> &str {
        &self.challenge
    }

    /// Always `"S256"`: the plain method is never used.
    pub fn method(&self) -> &'static str {
        "S256"
    }
}

/// `BASE64URL(SHA256(ASCII(verifier)))` without padding (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Whether `verifier` has the form RFC 7636 §4.1 requires: 43 to 128 characters from
/// `A-Z a-z 0-9 - . _ ~`.
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// A new `state`: random, base64url (22 characters).
pub fn new_state() -> Result<String, OAuthError> {
    random_url_safe(STATE_OCTETS)
}

/// `octets` random bytes from the operating system, base64url without padding.
pub fn random_url_safe(octets: usize) -> Result<String, OAuthError> {
    let mut bytes = vec![0u8; octets];
    getrandom::fill(&mut bytes)
        .map_err(|err| OAuthError::System(format!("no random numbers: {err}")))?;
    Ok(URL_SAFE_NO_PAD.encode(&bytes))
}

/// Compares two byte strings in time that depends only on their lengths (the length of a
/// `state` is no secret), so a wrong guess tells nothing about how close it was.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B: the octets, the verifier they encode to, and its S256 challenge.
    #[test]
    fn the_s256_challenge_matches_rfc_7636_appendix_b() {
        let octets: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = URL_SAFE_NO_PAD.encode(octets);
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let pkce = Pkce::from_verifier(verifier);
        assert_eq!(
            pkce.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(pkce.method(), "S256");
    }

    #[test]
    fn a_generated_verifier_is_valid_and_new_each_time() {
        let first = Pkce::generate().expect("random");
        let second = Pkce::generate().expect("random");
        assert!(is_valid_verifier(first.verifier().expose()));
        assert_eq!(first.verifier().expose().len(), 43);
        assert_ne!(first.verifier(), second.verifier());
        assert_eq!(first.challenge(), s256_challenge(first.verifier().expose()));
        assert!(!format!("{first:?}").contains(first.verifier().expose()));
    }

    #[test]
    fn verifiers_outside_rfc_7636s_alphabet_or_length_are_invalid() {
        assert!(!is_valid_verifier(&"a".repeat(42)));
        assert!(is_valid_verifier(&"a".repeat(128)));
        assert!(!is_valid_verifier(&"a".repeat(129)));
        assert!(!is_valid_verifier(&format!("{}+", "a".repeat(43))));
    }

    #[test]
    fn states_are_random_and_compared_exactly() {
        let state = new_state().expect("random");
        assert_eq!(state.len(), 22);
        assert_ne!(state, new_state().expect("random"));
        assert!(constant_time_eq(state.as_bytes(), state.clone().as_bytes()));
        assert!(!constant_time_eq(b"abcd", b"abce"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(constant_time_eq(b"", b""));
    }
}
