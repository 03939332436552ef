//! [`Grant`], and the token endpoint's answer (RFC 6749 §5) read into one or into an error.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::OAuthError;
use super::http::HttpResponse;
use crate::pop3::Secret;

/// How long before its expiry a token counts as due for a refresh: 5 minutes, so that a
/// token is never sent in its last minutes (clocks differ, a download takes time).
pub const REFRESH_BEFORE_EXPIRY: i64 = 5 * 60;

/// The lifetime assumed when a token endpoint does not say (`expires_in` is only
/// recommended): one hour, what Microsoft and Google give.
const DEFAULT_LIFETIME: i64 = 3600;

/// What a sign-in or a refresh gave: the tokens and when the access token expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The access token, the secret for XOAUTH2 and OAUTHBEARER.
    pub access_token: Secret,
    /// The refresh token. After a refresh this is the new one when the provider rotated it
    /// (Microsoft does), else the one that was used (Google keeps it).
    pub refresh_token: Option<Secret>,
    /// When the access token expires, in Unix seconds: the time the request was sent plus
    /// `expires_in`, so the round trip is the margin.
    pub expires_at: i64,
    /// The scopes granted, as the provider wrote them (`None` if it did not say, which means
    /// those asked for).
    pub scope: Option<String>,
}

impl Grant {
    /// Whether this grant's access token is due for a refresh at `now` (see
    /// [`needs_refresh`]).
    pub fn needs_refresh(&self, now: i64) -> bool {
        needs_refresh(self, now)
    }
}

/// Whether `grant`'s access token should be refreshed at `now` (Unix seconds): from
/// [`REFRESH_BEFORE_EXPIRY`] before it expires.
pub fn needs_refresh(grant: &Grant, now: i64) -> bool {
    now >= grant.expires_at.saturating_sub(REFRESH_BEFORE_EXPIRY)
}

/// The time now in Unix seconds (0 for a clock before 1970).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A number of seconds, written as a JSON number or (old Microsoft endpoints) a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Seconds {
    Number(i64),
    Text(String),
}

impl Seconds {
    fn value(&self) -> Option<i64> {
        match self {
            Self::Number(n) => Some(*n),
            Self::Text(text) => text.trim().parse().ok(),
        }
    }
}

#[derive(Deserialize)]
struct Success {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<Seconds>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct Failure {
    error: Option<String>,
    error_description: Option<String>,
}

/// Reads the token endpoint's `response` to a request sent at `requested_at` (Unix
/// seconds). `previous_refresh` is the refresh token that was used, kept when the answer
/// brings no new one.
///
/// A 2xx with an access token of type Bearer is a [`Grant`]; `invalid_grant` is
/// [`OAuthError::Revoked`]; other error answers are [`OAuthError::Server`], with the OAuth
/// error code when the body has one; a 2xx that is not such JSON is
/// [`OAuthError::Malformed`]. No error quotes the body (it may hold a token).
pub fn read_token_response(
    response: &HttpResponse,
    requested_at: i64,
    previous_refresh: Option<&Secret>,
) -> Result<Grant, OAuthError> {
    if !(200..300).contains(&response.status) {
        let failure = serde_json::from_slice::<Failure>(&response.body).ok();
        let (error, description) = failure
            .map(|f| (f.error, f.error_description))
            .unwrap_or_default();
        if error.as_deref() == Some("invalid_grant") {
            return Err(OAuthError::Revoked { description });
        }
        return Err(OAuthError::Server {
            status: Some(response.status),
            error,
            description,
        });
    }
    let success: Success = serde_json::from_slice(&response.body).map_err(|err| {
        OAuthError::Malformed(format!("the token answer is not the JSON expected: {err}"))
    })?;
    let access_token = success
        .access_token
        .filter(|token| !token.is_empty())
        .ok_or_else(|| OAuthError::Malformed("the token answer has no access token".into()))?;
    if let Some(kind) = &success.token_type
        && !kind.eq_ignore_ascii_case("bearer")
    {
        return Err(OAuthError::Malformed(format!(
            "the token type is {kind:?}, not Bearer"
        )));
    }
    let lifetime = match &success.expires_in {
        Some(seconds) => seconds
            .value()
            .ok_or_else(|| OAuthError::Malformed("expires_in is not a number".into()))?,
        None => DEFAULT_LIFETIME,
    };
    let refresh_token = success
        .refresh_token
        .filter(|token| !token.is_empty())
        .map(Secret::new)
        .or_else(|| previous_refresh.cloned());
    Ok(Grant {
        access_token: Secret::new(access_token),
        refresh_token,
        expires_at: requested_at.saturating_add(lifetime.max(0)),
        scope: success.scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            content_type: Some("application/json".into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_token_answer_becomes_a_grant_expiring_after_its_lifetime() {
        let grant = read_token_response(
            &answer(
                200,
                r#"{"access_token":"at1","token_type":"Bearer","expires_in":3599,"refresh_token":"rt1","scope":"a b","id_token":"x"}"#,
            ),
            1_000,
            None,
        )
        .expect("grant");
        assert_eq!(grant.access_token.expose(), "at1");
        assert_eq!(
            grant.refresh_token.as_ref().map(Secret::expose),
            Some("rt1")
        );
        assert_eq!(grant.expires_at, 4_599);
        assert_eq!(grant.scope.as_deref(), Some("a b"));
        let shown = format!("{grant:?}");
        assert!(!shown.contains("at1") && !shown.contains("rt1"), "{shown}");
    }

    #[test]
    fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
        let old = Secret::new("rt-old");
        let grant = read_token_response(
            &answer(
                200,
                r#"{"access_token":"at2","token_type":"bearer","expires_in":"60"}"#,
            ),
            10,
            Some(&old),
        )
        .expect("grant");
        assert_eq!(grant.refresh_token, Some(old));
        assert_eq!(grant.expires_at, 70);
        let rotated = read_token_response(
            &answer(200, r#"{"access_token":"at3","refresh_token":"rt-new"}"#),
            10,
            Some(&Secret::new("rt-old")),
        )
        .expect("grant");
        assert_eq!(
            rotated.refresh_token.as_ref().map(Secret::expose),
            Some("rt-new")
        );
        assert_eq!(rotated.expires_at, 10 + DEFAULT_LIFETIME);
    }

    #[test]
    fn invalid_grant_means_revoked_and_other_errors_keep_their_facts() {
        assert_eq!(
            read_token_response(
                &answer(
                    400,
                    r#"{"error":"invalid_grant","error_description":"AADSTS70008: expired"}"#
                ),
                0,
                None
            ),
            Err(OAuthError::Revoked {
                description: Some("AADSTS70008: expired".into())
            })
        );
        assert_eq!(
            read_token_response(&answer(401, r#"{"error":"invalid_client"}"#), 0, None),
            Err(OAuthError::Server {
                status: Some(401),
                error: Some("invalid_client".into()),
                description: None
            })
        );
        assert_eq!(
            read_token_response(&answer(500, "<html>down</html>"), 0, None),
            Err(OAuthError::Server {
                status: Some(500),
                error: None,
                description: None
            })
        );
    }

    #[test]
    fn a_success_that_is_not_a_bearer_token_is_malformed_without_quoting_it() {
        for body in [
            "{not json access_token_secret",
            r#"{"token_type":"Bearer"}"#,
            r#"{"access_token":"","token_type":"Bearer"}"#,
            r#"{"access_token":"sekrit","token_type":"mac"}"#,
            r#"{"access_token":"sekrit","expires_in":"soon"}"#,
        ] {
            match read_token_response(&answer(200, body), 0, None) {
                Err(OAuthError::Malformed(why)) => {
                    assert!(!why.contains("sekrit") && !why.contains("secret"), "{why}")
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_token_is_due_for_refresh_five_minutes_before_it_expires() {
        let grant = Grant {
            access_token: Secret::new("a"),
            refresh_token: None,
            expires_at: 10_000,
            scope: None,
        };
        assert!(!needs_refresh(&grant, 10_000 - REFRESH_BEFORE_EXPIRY - 1));
        assert!(needs_refresh(&grant, 10_000 - REFRESH_BEFORE_EXPIRY));
        assert!(grant.needs_refresh(20_000));
        assert!(unix_now() > 1_700_000_000);
    }
}
