//! The server's capabilities, parsed from a CAPA response (RFC 2449 §5, §6).

/// A SASL mechanism Poplar can use (RFC 5034), or one it does not know.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SaslMechanism {
    /// `PLAIN` (RFC 4616).
    Plain,
    /// `LOGIN` (draft-murchison-sasl-login).
    Login,
    /// `CRAM-MD5` (RFC 2195).
    CramMd5,
    /// `XOAUTH2` (Google and Microsoft).
    XOAuth2,
    /// `OAUTHBEARER` (RFC 7628).
    OAuthBearer,
    /// `SCRAM-SHA-256` (RFC 7677).
    ScramSha256,
    /// Any other mechanism, upper-cased.
    Other(String),
}

impl SaslMechanism {
    /// Parses a mechanism name, case-insensitively.
    pub fn parse(name: &str) -> Self {
        match name.to_ascii_uppercase().as_str() {
            "PLAIN" => Self::Plain,
            "LOGIN" => Self::Login,
            "CRAM-MD5" => Self::CramMd5,
            "XOAUTH2" => Self::XOAuth2,
            "OAUTHBEARER" => Self::OAuthBearer,
            "SCRAM-SHA-256" => Self::ScramSha256,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The name as sent in `AUTH`.
    pub fn name(&self) -> &str {
        match self {
            Self::Plain => "PLAIN",
            Self::Login => "LOGIN",
            Self::CramMd5 => "CRAM-MD5",
            Self::XOAuth2 => "XOAUTH2",
            Self::OAuthBearer => "OAUTHBEARER",
            Self::ScramSha256 => "SCRAM-SHA-256",
            Self::Other(name) => name,
        }
    }
}

/// `EXPIRE`: how long the server keeps messages after they were retrieved (RFC 2449 §6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expire {
    /// `EXPIRE NEVER`: the server never deletes retrieved messages by itself.
    Never,
    /// `EXPIRE n`: retrieved messages may be deleted after this many days (0: at once).
    Days(u32),
}

/// The capabilities a server announced. `Default` is a plain RFC 1939 server without CAPA.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// True when the server answered CAPA at all.
    pub announced: bool,
    /// `TOP`.
    pub top: bool,
    /// `UIDL`.
    pub uidl: bool,
    /// `USER`.
    pub user: bool,
    /// `SASL` mechanisms, in the server's order.
    pub sasl: Vec<SaslMechanism>,
    /// `RESP-CODES`.
    pub resp_codes: bool,
    /// `AUTH-RESP-CODE` (RFC 3206).
    pub auth_resp_code: bool,
    /// `PIPELINING`.
    pub pipelining: bool,
    /// `LOGIN-DELAY n`, in seconds.
    pub login_delay: Option<u32>,
    /// `EXPIRE`.
    pub expire: Option<Expire>,
    /// `IMPLEMENTATION text`.
    pub implementation: Option<String>,
    /// `STLS`.
    pub stls: bool,
    /// `UTF8` (RFC 6856).
    pub utf8: bool,
    /// Every capability line as sent, for the server-info view.
    pub lines: Vec<String>,
}

impl Capabilities {
    /// Parses the body of a CAPA response: one capability per line.
    pub fn parse(body: &[u8]) -> Self {
        let mut caps = Self {
            announced: true,
            ..Self::default()
        };
        for raw in body.split(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(raw);
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            caps.lines.push(line.to_owned());
            let mut words = line.split_ascii_whitespace();
            let Some(keyword) = words.next() else {
                continue;
            };
            let args: Vec<&str> = words.collect();
            match keyword.to_ascii_uppercase().as_str() {
                "TOP" => caps.top = true,
                "UIDL" => caps.uidl = true,
                "USER" => caps.user = true,
                "SASL" => caps.sasl = args.iter().map(|m| SaslMechanism::parse(m)).collect(),
                "RESP-CODES" => caps.resp_codes = true,
                "AUTH-RESP-CODE" => caps.auth_resp_code = true,
                "PIPELINING" => caps.pipelining = true,
                "STLS" => caps.stls = true,
                "UTF8" => caps.utf8 = true,
                "LOGIN-DELAY" => caps.login_delay = args.first().and_then(|s| s.parse().ok()),
                "EXPIRE" => {
                    caps.expire = match args.first() {
                        Some(s) if s.eq_ignore_ascii_case("NEVER") => Some(Expire::Never),
                        Some(s) => s.parse().ok().map(Expire::Days),
                        None => None,
                    }
                }
                "IMPLEMENTATION" => caps.implementation = Some(args.join(" ")),
                _ => {}
            }
        }
        caps
    }

    /// True when the server offers the given SASL mechanism.
    pub fn offers(&self, mechanism: &SaslMechanism) -> bool {
        self.sasl.contains(mechanism)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dovecot_capabilities_parse_into_the_typed_set() {
        let body = b"CAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nSTLS\r\nUSER\r\nSASL PLAIN LOGIN CRAM-MD5\r\n";
        let caps = Capabilities::parse(body);
        assert!(caps.announced && caps.top && caps.uidl && caps.resp_codes && caps.pipelining);
        assert!(caps.auth_resp_code && caps.stls && caps.user && !caps.utf8);
        assert_eq!(
            caps.sasl,
            vec![
                SaslMechanism::Plain,
                SaslMechanism::Login,
                SaslMechanism::CramMd5
            ]
        );
        assert!(caps.offers(&SaslMechanism::CramMd5));
    }

    #[test]
    fn arguments_of_login_delay_expire_and_implementation_are_read() {
        let body = b"LOGIN-DELAY 900\r\nEXPIRE 30 USER\r\nIMPLEMENTATION Shlemazle-Plotz-v302\r\nutf8 USER\r\nsasl xoauth2 oauthbearer\r\n";
        let caps = Capabilities::parse(body);
        assert_eq!(caps.login_delay, Some(900));
        assert_eq!(caps.expire, Some(Expire::Days(30)));
        assert_eq!(caps.implementation.as_deref(), Some("Shlemazle-Plotz-v302"));
        assert!(caps.utf8);
        assert_eq!(
            caps.sasl,
            vec![SaslMechanism::XOAuth2, SaslMechanism::OAuthBearer]
        );
        assert_eq!(
            Capabilities::parse(b"EXPIRE NEVER\r\n").expire,
            Some(Expire::Never)
        );
    }

    #[test]
    fn a_server_without_capa_is_plain_rfc_1939() {
        let caps = Capabilities::default();
        assert!(!caps.announced && !caps.pipelining && caps.sasl.is_empty());
    }
}
