//! [`OAuthError`]: what went wrong, as a kind with its facts.

/// Why a sign-in, a refresh or a revocation did not work.
///
/// Each kind carries facts, not sentences: the window and the command line choose the words
/// (translated) from the kind. `Display` is plain English for logs and tests. No variant ever
/// holds a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthError {
    /// The provider has no client id: this build was made without one (for example
    /// `POPLAR_MICROSOFT_CLIENT_ID`) and the user has not given one. No browser was opened.
    NoClientId,
    /// The browser could not be started; the launcher's own words.
    Browser(String),
    /// The caller cancelled the sign-in (its cancel flag was set).
    Cancelled,
    /// The browser never came back to Poplar within the time allowed.
    TimedOut,
    /// The user refused access on the provider's page (`error=access_denied`).
    Denied {
        /// The provider's `error_description`, if it sent one.
        description: Option<String>,
    },
    /// A redirect came back with a `state` that is not this sign-in's: it was refused.
    StateMismatch,
    /// The token endpoint answered `invalid_grant`: the refresh token (or the code) was
    /// revoked, has expired or was already used. The user must sign in again.
    Revoked {
        /// The provider's `error_description`, if it sent one.
        description: Option<String>,
    },
    /// The provider refused in some other way: an HTTP status, an OAuth error code, or an
    /// error on the redirect (then `status` is `None`).
    Server {
        /// The HTTP status of the token endpoint's answer, if the error came from there.
        status: Option<u16>,
        /// The OAuth `error` code (`invalid_client`, `invalid_scope`, …), if any.
        error: Option<String>,
        /// The provider's `error_description`, if any.
        description: Option<String>,
    },
    /// The provider could not be reached or the connection failed (name, refused, TLS,
    /// timeout); the failure in plain words, naming the host.
    Network(String),
    /// An endpoint uses plain `http://` on a host that is not this computer: refused, since
    /// codes and tokens would cross the network unencrypted.
    Insecure {
        /// The refused URL (an endpoint's, which holds no secret).
        url: String,
    },
    /// An answer that does not follow the protocol (not JSON, no access token, a broken HTTP
    /// response), or an endpoint URL that cannot be used; what was wrong.
    Malformed(String),
    /// This computer could not give what a sign-in needs: random numbers, or a port on
    /// 127.0.0.1 to listen on.
    System(String),
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let with = |f: &mut std::fmt::Formatter<'_>, text: &str, more: &Option<String>| match more {
            Some(more) => write!(f, "{text}: {more}"),
            None => f.write_str(text),
        };
        match self {
            Self::NoClientId => f.write_str("no OAuth client id is set for this provider"),
            Self::Browser(why) => write!(f, "the browser could not be opened: {why}"),
            Self::Cancelled => f.write_str("the sign-in was cancelled"),
            Self::TimedOut => f.write_str("the browser did not come back in time"),
            Self::Denied { description } => with(f, "access was denied", description),
            Self::StateMismatch => {
                f.write_str("the browser came back with the state of another sign-in")
            }
            Self::Revoked { description } => with(
                f,
                "the sign-in was revoked or has expired; sign in again",
                description,
            ),
            Self::Server {
                status,
                error,
                description,
            } => {
                f.write_str("the provider refused")?;
                if let Some(status) = status {
                    write!(f, " (HTTP {status})")?;
                }
                if let Some(error) = error {
                    write!(f, ": {error}")?;
                }
                if let Some(description) = description {
                    write!(f, ": {description}")?;
                }
                Ok(())
            }
            Self::Network(why) => write!(f, "cannot reach the provider: {why}"),
            Self::Insecure { url } => write!(
                f,
                "{url} uses plain http to another computer; only https is allowed there"
            ),
            Self::Malformed(why) => write!(f, "the provider's answer is unusable: {why}"),
            Self::System(why) => write!(f, "the sign-in cannot start: {why}"),
        }
    }
}

impl std::error::Error for OAuthError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_facts_of_a_server_refusal() {
        let error = OAuthError::Server {
            status: Some(400),
            error: Some("invalid_client".into()),
            description: Some("unknown client".into()),
        };
        assert_eq!(
            error.to_string(),
            "the provider refused (HTTP 400): invalid_client: unknown client"
        );
        assert_eq!(
            OAuthError::Revoked { description: None }.to_string(),
            "the sign-in was revoked or has expired; sign in again"
        );
    }
}
