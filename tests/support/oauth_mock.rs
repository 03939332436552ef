//! A mock OAuth 2.0 authorization server on 127.0.0.1 for the sign-in tests, and a scripted
//! browser that uses it as a person would.
//!
//! [`MockAuthServer`] (std threads, one per connection, `Connection: close`) serves:
//! - `GET /authorize`: checks the client id, that the redirect URI is loopback,
//!   `response_type=code` and `code_challenge_method=S256`, then redirects (302) to the
//!   redirect URI with a code and the state, or with `error=access_denied` when the browser
//!   clicked Deny. A request it refuses gets a 400 and a line in [`MockState::problems`].
//! - `POST /token`: `authorization_code` (the code once, the same redirect URI and client,
//!   and SHA-256 of `code_verifier` equal to the challenge) and `refresh_token`, which
//!   issues a new access token and rotates the refresh token as Microsoft does: the old
//!   one then answers `invalid_grant`, as does a revoked grant. Scripted answers
//!   ([`TokenFailure`]) come first.
//! - `POST /revoke` (RFC 7009): revokes the grant a token belongs to.
//! - `/introspect` (RFC 7662, for Dovecot's `oauth2` passdb): `token=…` in a POST body (or
//!   a `token`/`access_token` query parameter, or `Authorization: Bearer`) gives
//!   `{"active":true,"username":…,"scope":…,"exp":…}` for a live token, else
//!   `{"active":false}`. Dovecot 2.3.19 with `introspection_mode = post` sends
//!   `token=<token>&client_id=&client_secret=` (form-encoded, keep-alive, one request per
//!   connection once we answer `Connection: close`).
//!
//! The scripted browser is in `oauth_browser.rs` (include both).
//!
//! Every token carries an expiry the test controls ([`MockAuthServer::set_token_lifetime`],
//! [`MockAuthServer::issue_access_token`]).
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use poplar::oauth::OAuthProvider;
use poplar::oauth::form;
use sha2::{Digest, Sha256};

/// The client id the mock knows.
pub const CLIENT_ID: &str = "poplar-test-client";
/// The user a sign-in without a login hint signs in as.
pub const DEFAULT_USER: &str = "user1";
/// The scopes the mock provider asks for.
pub const SCOPES: [&str; 2] = ["pop", "offline_access"];
/// The query parameter the scripted browser adds to click Deny (a person's click).
pub const DECISION_PARAM: &str = "mock_decision";

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A scripted answer of the token endpoint, used before any real one.
#[derive(Clone, Debug)]
pub enum TokenFailure {
    /// `500 Internal Server Error` with an HTML body.
    Status500,
    /// `200 OK` whose body is not JSON.
    MalformedJson,
    /// Any status with a JSON body.
    Json(u16, String),
}

/// One issued authorization code.
#[derive(Clone, Debug)]
struct Code {
    challenge: String,
    redirect_uri: String,
    client_id: String,
    user: String,
    scope: String,
}

/// A grant: one sign-in, with its current refresh token.
#[derive(Clone, Debug)]
struct GrantRecord {
    user: String,
    scope: String,
    revoked: bool,
}

/// An issued access token.
#[derive(Clone, Debug)]
pub struct AccessRecord {
    /// Whose it is.
    pub user: String,
    /// What it may do.
    pub scope: String,
    /// Expiry, Unix seconds.
    pub exp: i64,
    grant: u64,
}

/// What the mock knows and saw.
#[derive(Debug, Default)]
pub struct MockState {
    /// Lifetime of new access tokens, in seconds.
    pub token_lifetime: i64,
    /// When set, every token request must carry this `client_secret`.
    pub client_secret: Option<String>,
    /// Scripted token endpoint answers, used first.
    pub token_failures: VecDeque<TokenFailure>,
    /// Requests the mock refused, and why.
    pub problems: Vec<String>,
    /// Code exchanges whose `code_verifier` matched the challenge.
    pub pkce_verified: usize,
    /// Every request line seen (method and path, no query).
    pub requests: Vec<String>,
    /// The forms of token requests (secrets and all: for assertions).
    pub token_forms: Vec<Vec<(String, String)>>,
    /// Introspection requests: the head and body as received (for debugging Dovecot).
    pub introspections: Vec<String>,
    codes: HashMap<String, Code>,
    grants: HashMap<u64, GrantRecord>,
    /// Current refresh tokens and their grant; rotated ones are removed.
    refresh: HashMap<String, u64>,
    access: HashMap<String, AccessRecord>,
}

/// The mock server; stopped on drop.
pub struct MockAuthServer {
    addr: SocketAddr,
    state: Arc<Mutex<MockState>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).expect("random");
    format!(
        "{prefix}-{}-{}",
        COUNTER.fetch_add(1, Ordering::Relaxed),
        URL_SAFE_NO_PAD.encode(bytes)
    )
}

impl MockAuthServer {
    /// Starts the mock on a free port of 127.0.0.1; access tokens live an hour.
    pub fn start() -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind mock");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(MockState {
            token_lifetime: 3600,
            ..MockState::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let state = Arc::clone(&state);
                            thread::spawn(move || serve(stream, &state));
                        }
                        Err(_) => thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            addr,
            state,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The introspection endpoint, for Dovecot.
    pub fn introspection_url(&self) -> String {
        self.url("/introspect")
    }

    /// A provider for this mock, with its client id and revocation endpoint.
    pub fn provider(&self) -> OAuthProvider {
        OAuthProvider::custom("mock", self.url("/authorize"), self.url("/token"), SCOPES)
            .with_client_id(CLIENT_ID)
            .with_revocation_url(self.url("/revoke"))
    }

    /// What the mock knows and saw.
    pub fn state(&self) -> MutexGuard<'_, MockState> {
        lock(&self.state)
    }

    /// Sets the lifetime of access tokens issued from now on (may be negative: expired).
    pub fn set_token_lifetime(&self, seconds: i64) {
        self.state().token_lifetime = seconds;
    }

    /// The token endpoint's next answer is `failure`.
    pub fn fail_next_token(&self, failure: TokenFailure) {
        self.state().token_failures.push_back(failure);
    }

    /// Makes a grant for `user` directly (as if signed in) and returns its refresh token.
    pub fn issue_refresh_token(&self, user: &str) -> String {
        let mut state = self.state();
        let grant = COUNTER.fetch_add(1, Ordering::Relaxed);
        state.grants.insert(
            grant,
            GrantRecord {
                user: user.into(),
                scope: SCOPES.join(" "),
                revoked: false,
            },
        );
        let token = random_token("rt");
        state.refresh.insert(token.clone(), grant);
        token
    }

    /// Issues an access token for `user` with `scope`, expiring `lifetime` seconds from now.
    pub fn issue_access_token(&self, user: &str, scope: &str, lifetime: i64) -> String {
        let mut state = self.state();
        let grant = COUNTER.fetch_add(1, Ordering::Relaxed);
        state.grants.insert(
            grant,
            GrantRecord {
                user: user.into(),
                scope: scope.into(),
                revoked: false,
            },
        );
        let token = random_token("at");
        state.access.insert(
            token.clone(),
            AccessRecord {
                user: user.into(),
                scope: scope.into(),
                exp: now() + lifetime,
                grant,
            },
        );
        token
    }

    /// Revokes every grant (as a user who signs out everywhere).
    pub fn revoke_all(&self) {
        for grant in self.state().grants.values_mut() {
            grant.revoked = true;
        }
    }

    /// The access token's record, if the mock issued it.
    pub fn access_record(&self, token: &str) -> Option<AccessRecord> {
        self.state().access.get(token).cloned()
    }
}

impl Drop for MockAuthServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// the server side

struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    raw_head: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn form(&self) -> Vec<(String, String)> {
        form::parse(&String::from_utf8_lossy(&self.body)).unwrap_or_default()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let raw_head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = raw_head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    Some(Request {
        method,
        path: path.to_owned(),
        query: form::parse(query).unwrap_or_default(),
        headers,
        body,
        raw_head,
    })
}

struct Reply {
    status: &'static str,
    headers: Vec<(String, String)>,
    content_type: &'static str,
    body: String,
}

fn json(status: &'static str, body: serde_json::Value) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        content_type: "application/json",
        body: body.to_string(),
    }
}

fn oauth_error(status: &'static str, error: &str, description: &str) -> Reply {
    json(
        status,
        serde_json::json!({"error": error, "error_description": description}),
    )
}

fn text(status: &'static str, body: &str) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        content_type: "text/plain",
        body: body.to_owned(),
    }
}

fn serve(mut stream: TcpStream, state: &Mutex<MockState>) {
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    lock(state)
        .requests
        .push(format!("{} {}", request.method, request.path));
    let reply = match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/authorize") => authorize(&request, state),
        ("POST", "/token") => token(&request, state),
        ("POST", "/revoke") => revoke(&request, state),
        (_, "/introspect") => introspect(&request, state),
        _ => text("404 Not Found", "no such endpoint"),
    };
    let mut out = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&reply.body);
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}

fn refuse(state: &Mutex<MockState>, why: String) -> Reply {
    lock(state).problems.push(why.clone());
    text("400 Bad Request", &why)
}

fn authorize(request: &Request, state: &Mutex<MockState>) -> Reply {
    let q = |name| form::get(&request.query, name);
    if q("client_id") != Some(CLIENT_ID) {
        return refuse(state, format!("authorize: client_id {:?}", q("client_id")));
    }
    let Some(redirect_uri) = q("redirect_uri") else {
        return refuse(state, "authorize: no redirect_uri".into());
    };
    let loopback = redirect_uri
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(port, path)| port.parse::<u16>().is_ok() && path.is_empty());
    if !loopback {
        return refuse(state, format!("authorize: redirect_uri {redirect_uri:?}"));
    }
    if q("response_type") != Some("code") {
        return refuse(state, "authorize: response_type".into());
    }
    if q("code_challenge_method") != Some("S256") {
        return refuse(state, "authorize: code_challenge_method".into());
    }
    let Some(challenge) = q("code_challenge").filter(|c| c.len() == 43) else {
        return refuse(state, "authorize: code_challenge".into());
    };
    let Some(request_state) = q("state").filter(|s| !s.is_empty()) else {
        return refuse(state, "authorize: no state".into());
    };
    let location = if q(DECISION_PARAM) == Some("deny") {
        format!(
            "{redirect_uri}?error=access_denied&error_description=The+user+declined&state={}",
            form::encode(request_state)
        )
    } else {
        let code = random_token("code");
        lock(state).codes.insert(
            code.clone(),
            Code {
                challenge: challenge.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                client_id: CLIENT_ID.to_owned(),
                user: q("login_hint").unwrap_or(DEFAULT_USER).to_owned(),
                scope: q("scope").unwrap_or("").to_owned(),
            },
        );
        format!(
            "{redirect_uri}?code={}&state={}",
            form::encode(&code),
            form::encode(request_state)
        )
    };
    Reply {
        status: "302 Found",
        headers: vec![("Location".into(), location)],
        content_type: "text/plain",
        body: String::new(),
    }
}

fn token(request: &Request, state: &Mutex<MockState>) -> Reply {
    let fields = request.form();
    let mut guard = lock(state);
    guard.token_forms.push(fields.clone());
    if let Some(failure) = guard.token_failures.pop_front() {
        return match failure {
            TokenFailure::Status500 => Reply {
                status: "500 Internal Server Error",
                headers: Vec::new(),
                content_type: "text/html",
                body: "<html><body>upstream broke</body></html>".into(),
            },
            TokenFailure::MalformedJson => Reply {
                status: "200 OK",
                headers: Vec::new(),
                content_type: "application/json",
                body: "{\"access_token\": \"half".into(),
            },
            TokenFailure::Json(status, body) => Reply {
                status: match status {
                    400 => "400 Bad Request",
                    401 => "401 Unauthorized",
                    503 => "503 Service Unavailable",
                    _ => "200 OK",
                },
                headers: Vec::new(),
                content_type: "application/json",
                body,
            },
        };
    }
    let f = |name| form::get(&fields, name);
    if f("client_id") != Some(CLIENT_ID) {
        return oauth_error("401 Unauthorized", "invalid_client", "unknown client");
    }
    if let Some(secret) = &guard.client_secret
        && f("client_secret") != Some(secret.as_str())
    {
        return oauth_error("401 Unauthorized", "invalid_client", "wrong client secret");
    }
    let lifetime = guard.token_lifetime;
    match f("grant_type") {
        Some("authorization_code") => {
            let Some(code) = f("code").and_then(|c| guard.codes.remove(c)) else {
                return oauth_error("400 Bad Request", "invalid_grant", "unknown or used code");
            };
            if f("redirect_uri") != Some(code.redirect_uri.as_str()) || code.client_id != CLIENT_ID
            {
                return oauth_error("400 Bad Request", "invalid_grant", "redirect_uri differs");
            }
            let verifier = f("code_verifier").unwrap_or("");
            let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            if computed != code.challenge {
                guard
                    .problems
                    .push("token: code_verifier does not match".into());
                return oauth_error("400 Bad Request", "invalid_grant", "PKCE check failed");
            }
            guard.pkce_verified += 1;
            let grant = COUNTER.fetch_add(1, Ordering::Relaxed);
            guard.grants.insert(
                grant,
                GrantRecord {
                    user: code.user.clone(),
                    scope: code.scope.clone(),
                    revoked: false,
                },
            );
            issue(&mut guard, grant, lifetime)
        }
        Some("refresh_token") => {
            let presented = f("refresh_token").unwrap_or("");
            let Some(grant) = guard.refresh.remove(presented) else {
                return oauth_error(
                    "400 Bad Request",
                    "invalid_grant",
                    "the refresh token is unknown, rotated or revoked",
                );
            };
            if guard.grants.get(&grant).is_none_or(|g| g.revoked) {
                return oauth_error("400 Bad Request", "invalid_grant", "the grant was revoked");
            }
            issue(&mut guard, grant, lifetime)
        }
        other => oauth_error(
            "400 Bad Request",
            "unsupported_grant_type",
            &format!("{other:?}"),
        ),
    }
}

/// A new access token and a new (rotated) refresh token for `grant`.
fn issue(state: &mut MockState, grant: u64, lifetime: i64) -> Reply {
    let record = state.grants[&grant].clone();
    let access = random_token("at");
    let refresh = random_token("rt");
    state.access.insert(
        access.clone(),
        AccessRecord {
            user: record.user,
            scope: record.scope.clone(),
            exp: now() + lifetime,
            grant,
        },
    );
    state.refresh.insert(refresh.clone(), grant);
    json(
        "200 OK",
        serde_json::json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "refresh_token": refresh,
            "scope": record.scope,
        }),
    )
}

fn revoke(request: &Request, state: &Mutex<MockState>) -> Reply {
    let fields = request.form();
    let token = form::get(&fields, "token").unwrap_or("");
    let mut guard = lock(state);
    let grant = guard
        .refresh
        .get(token)
        .copied()
        .or_else(|| guard.access.get(token).map(|a| a.grant));
    if let Some(grant) = grant
        && let Some(record) = guard.grants.get_mut(&grant)
    {
        record.revoked = true;
    }
    text("200 OK", "")
}

fn introspect(request: &Request, state: &Mutex<MockState>) -> Reply {
    let fields = request.form();
    let bearer = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let token = form::get(&fields, "token")
        .or_else(|| form::get(&request.query, "token"))
        .or_else(|| form::get(&request.query, "access_token"))
        .map(str::to_owned)
        .or(bearer)
        .unwrap_or_default();
    let mut guard = lock(state);
    guard.introspections.push(format!(
        "{}\r\n\r\n{}",
        request.raw_head,
        String::from_utf8_lossy(&request.body)
    ));
    let live = guard.access.get(&token).filter(|record| {
        record.exp > now() && guard.grants.get(&record.grant).is_some_and(|g| !g.revoked)
    });
    match live {
        Some(record) => json(
            "200 OK",
            serde_json::json!({
                "active": true,
                "username": record.user,
                "scope": record.scope,
                "exp": record.exp,
                "client_id": CLIENT_ID,
                "token_type": "Bearer",
            }),
        ),
        None => json("200 OK", serde_json::json!({"active": false})),
    }
}
