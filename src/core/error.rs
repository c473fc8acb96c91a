//! The one error type of the library.
//!
//! Every variant carries its context (a URL without secrets, the HTTP status, a short excerpt of
//! the server's answer) and maps to a stable `KFP_*` code (documented in the README, never
//! renamed). The binding turns it into a JS `KfpError` in exactly one place.
//!
//! Messages never contain passwords, cookie values or tokens: the variants do not hold them.

use std::fmt;

use crate::core::secret::SecretSet;

macro_rules! error_codes {
    ($($variant:ident = $code:literal,)*) => {
        /// The stable codes. `as_str()` is what JS sees as `error.code`; declared once here, and
        /// the README table and the `.d.ts` union are tested against [`ErrorCode::ALL`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
    /// True for the codes that JS raises as `TypeError` rather than `KfpError`.
    pub fn is_type_error(self) -> bool {
        matches!(self, ErrorCode::InvalidArgType | ErrorCode::InvalidArgValue)
    }
        }
    };
}

error_codes! {
    InvalidArgType = "ERR_INVALID_ARG_TYPE",
    InvalidArgValue = "ERR_INVALID_ARG_VALUE",
    InvalidCredentials = "KFP_INVALID_CREDENTIALS",
    UnknownConnector = "KFP_UNKNOWN_CONNECTOR",
    LoginFailed = "KFP_LOGIN_FAILED",
    CookieRejected = "KFP_COOKIE_REJECTED",
    HostMismatch = "KFP_HOST_MISMATCH",
    InsecureTransport = "KFP_INSECURE_TRANSPORT",
    SessionExpired = "KFP_SESSION_EXPIRED",
    Unauthenticated = "KFP_UNAUTHENTICATED",
    PermissionDenied = "KFP_PERMISSION_DENIED",
    NotFound = "KFP_NOT_FOUND",
    BadRequest = "KFP_BAD_REQUEST",
    Conflict = "KFP_CONFLICT",
    ServerError = "KFP_SERVER_ERROR",
    HttpError = "KFP_HTTP_ERROR",
    UnexpectedResponse = "KFP_UNEXPECTED_RESPONSE",
    ResponseTooLarge = "KFP_RESPONSE_TOO_LARGE",
    NetworkError = "KFP_NETWORK_ERROR",
    TlsError = "KFP_TLS_ERROR",
    Timeout = "KFP_TIMEOUT",
    Aborted = "KFP_ABORTED",
    TokenUnavailable = "KFP_TOKEN_UNAVAILABLE",
    Unsupported = "KFP_UNSUPPORTED",
    UnsupportedApiVersion = "KFP_UNSUPPORTED_API_VERSION",
    InvalidPipeline = "KFP_INVALID_PIPELINE",
    MissingDependency = "KFP_MISSING_DEPENDENCY",
}

/// Why the cookie jar refused a `Set-Cookie` the gateway sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieRejection {
    /// `Secure` (or a `__Secure-`/`__Host-` name) received over plain http from a host that is
    /// not loopback.
    SecureOverHttp,
    /// The `Domain` attribute does not domain-match the host that sent it.
    DomainMismatch { domain: String },
    /// A `__Host-` cookie with a `Domain` attribute or a path other than `/`.
    InvalidHostPrefix,
    /// The header could not be parsed.
    Malformed,
    /// Name and value exceed 4096 bytes.
    TooLarge,
}

impl fmt::Display for CookieRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CookieRejection::SecureOverHttp => f.write_str(
                "it is marked Secure (or has a __Secure-/__Host- name) but arrived over plain http",
            ),
            CookieRejection::DomainMismatch { domain } => {
                write!(
                    f,
                    "its Domain={domain} does not match the host that sent it"
                )
            }
            CookieRejection::InvalidHostPrefix => {
                f.write_str("its __Host- name requires Path=/ and no Domain attribute")
            }
            CookieRejection::Malformed => f.write_str("the Set-Cookie header is malformed"),
            CookieRejection::TooLarge => f.write_str("it is larger than 4096 bytes"),
        }
    }
}

/// Every failure the library reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An option or argument has the wrong type (`TypeError`, `ERR_INVALID_ARG_TYPE`).
    InvalidArgType {
        name: String,
        expected: String,
        actual: String,
    },
    /// An option or argument has the right type but an unusable value.
    InvalidArgValue {
        name: String,
        reason: String,
    },
    /// Dex rejected the username or password (401 on Dex ≥ 2.36, 200 with an error box before).
    InvalidCredentials {
        connector: String,
        status: u16,
        url: String,
    },
    /// The Dex connector the caller asked for is not offered by this Dex.
    UnknownConnector {
        requested: String,
        offered: Vec<String>,
    },
    /// The login flow met something it cannot get past.
    LoginFailed {
        step: String,
        url: String,
        status: Option<u16>,
        reason: String,
    },
    /// The gateway set a cookie the login needs, and a correct cookie jar must refuse it.
    CookieRejected {
        cookie: String,
        host: String,
        rejection: CookieRejection,
        hint: String,
    },
    /// The login finished on another host name than the one in `apiUrl`.
    HostMismatch {
        api_host: String,
        login_host: String,
    },
    /// The redirect chain started on https and would send credentials over plain http.
    InsecureTransport {
        url: String,
    },
    /// The session expired and a new login did not help, or cannot be made (`cookies` auth).
    SessionExpired {
        status: Option<u16>,
        url: String,
        relogin_possible: bool,
    },
    /// Any answer from KFP or the gateway outside 2xx.
    Api {
        status: u16,
        url: String,
        grpc_code: Option<i64>,
        message: String,
    },
    /// An answer of the wrong shape: HTML or a redirect where JSON was expected, bad JSON.
    UnexpectedResponse {
        status: u16,
        url: String,
        what: String,
    },
    /// `fetch` rejected: DNS, connection refused, reset.
    Network {
        url: String,
        message: String,
    },
    /// The TLS handshake failed: self-signed or unknown CA, wrong host name, expired.
    Tls {
        url: String,
        message: String,
    },
    Timeout {
        url: String,
        ms: u32,
    },
    Aborted {
        url: String,
    },
    /// The bearer token or service-account token could not be obtained.
    TokenUnavailable {
        reason: String,
    },
    /// The option or auth type cannot work on this platform.
    Unsupported {
        feature: String,
        reason: String,
    },
    /// An optional npm package the chosen options need is not installed.
    MissingDependency {
        package: String,
        needed_for: String,
    },
    /// The method has no equivalent in the API version the server speaks.
    UnsupportedApiVersion {
        method: String,
        version: String,
    },
    /// The pipeline package could not be read.
    InvalidPipeline {
        reason: String,
    },
    /// An answer was larger than the configured limit.
    ResponseTooLarge {
        url: String,
        limit: u64,
    },
    /// The gateway answered with its login (a sign-in page, a redirect to Dex) and the client
    /// cannot log in by itself.
    NotSignedIn {
        status: u16,
        url: String,
        with_token: bool,
    },
    /// `waitForRunCompletion` / `waitForRunStatus` gave up.
    WaitTimeout {
        run_id: String,
        ms: u64,
        state: Option<String>,
    },
    /// The last error of a request that was tried `attempts` times.
    Attempts {
        attempts: u32,
        last: Box<Error>,
    },
}

/// The longest server message an error shows, in characters (see [`Error::shortened`]).
pub const SHOWN_MESSAGE: usize = 300;

fn shorten(text: &mut String) {
    if text.chars().count() > SHOWN_MESSAGE {
        *text = text
            .chars()
            .take(SHOWN_MESSAGE - 1)
            .chain(std::iter::once('…'))
            .collect();
    }
}

impl Error {
    /// The error with the server's message cut to [`SHOWN_MESSAGE`] characters; applied after
    /// [`Error::scrubbed_with`].
    #[must_use]
    pub fn shortened(mut self) -> Self {
        match &mut self {
            Error::Api { message, .. } => shorten(message),
            Error::Attempts { last, .. } => **last = (**last).clone().shortened(),
            _ => {}
        }
        self
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidArgType { .. } => ErrorCode::InvalidArgType,
            Error::InvalidArgValue { .. } => ErrorCode::InvalidArgValue,
            Error::InvalidCredentials { .. } => ErrorCode::InvalidCredentials,
            Error::UnknownConnector { .. } => ErrorCode::UnknownConnector,
            Error::LoginFailed { .. } => ErrorCode::LoginFailed,
            Error::CookieRejected { .. } => ErrorCode::CookieRejected,
            Error::HostMismatch { .. } => ErrorCode::HostMismatch,
            Error::InsecureTransport { .. } => ErrorCode::InsecureTransport,
            Error::SessionExpired { .. } => ErrorCode::SessionExpired,
            Error::Api { status, .. } => match status {
                400 => ErrorCode::BadRequest,
                401 => ErrorCode::Unauthenticated,
                403 => ErrorCode::PermissionDenied,
                404 => ErrorCode::NotFound,
                409 => ErrorCode::Conflict,
                500..=599 => ErrorCode::ServerError,
                _ => ErrorCode::HttpError,
            },
            Error::UnexpectedResponse { .. } => ErrorCode::UnexpectedResponse,
            Error::Network { .. } => ErrorCode::NetworkError,
            Error::Tls { .. } => ErrorCode::TlsError,
            Error::Timeout { .. } => ErrorCode::Timeout,
            Error::Aborted { .. } => ErrorCode::Aborted,
            Error::TokenUnavailable { .. } => ErrorCode::TokenUnavailable,
            Error::Unsupported { .. } => ErrorCode::Unsupported,
            Error::MissingDependency { .. } => ErrorCode::MissingDependency,
            Error::UnsupportedApiVersion { .. } => ErrorCode::UnsupportedApiVersion,
            Error::InvalidPipeline { .. } => ErrorCode::InvalidPipeline,
            Error::ResponseTooLarge { .. } => ErrorCode::ResponseTooLarge,
            Error::Attempts { last, .. } => last.code(),
            Error::NotSignedIn { .. } => ErrorCode::Unauthenticated,
            Error::WaitTimeout { .. } => ErrorCode::Timeout,
        }
    }

    /// The HTTP status, when the error came from an HTTP answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::InvalidCredentials { status, .. }
            | Error::Api { status, .. }
            | Error::UnexpectedResponse { status, .. } => Some(*status),
            Error::LoginFailed { status, .. } | Error::SessionExpired { status, .. } => *status,
            Error::Attempts { last, .. } => last.status(),
            Error::NotSignedIn { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The gRPC status code from a KFP error body, when there was one.
    pub fn grpc_code(&self) -> Option<i64> {
        match self {
            Error::Api { grpc_code, .. } => *grpc_code,
            Error::Attempts { last, .. } => last.grpc_code(),
            _ => None,
        }
    }

    /// The same error with every secret in `secrets` removed from the text it quotes from
    /// servers (see [`crate::core::secret::scrub`]). The binding applies it to every error it
    /// hands to JS, with the client's password, token and cookie values.
    #[must_use]
    pub fn scrubbed(self, secrets: &[&str], keep: &[&str]) -> Self {
        let mut set = SecretSet::new();
        secrets.iter().for_each(|s| set.add(s));
        keep.iter().for_each(|k| set.keep(k));
        self.scrubbed_with(&set)
    }

    /// The same error with every secret of `set` removed from the full text of every field, in
    /// every encoding the set knows, before any message is cut to length.
    #[must_use]
    pub fn scrubbed_with(mut self, set: &SecretSet) -> Self {
        if set.is_empty() {
            return self;
        }
        let clean = |s: &mut String| *s = set.scrub(s);
        match &mut self {
            Error::InvalidArgValue { reason, .. } | Error::TokenUnavailable { reason } => {
                clean(reason)
            }
            Error::LoginFailed { reason, url, .. } => {
                clean(reason);
                clean(url);
            }
            Error::Api { message, url, .. } => {
                clean(message);
                clean(url);
            }
            Error::UnexpectedResponse { what, url, .. } => {
                clean(what);
                clean(url);
            }
            Error::Network { message, url } | Error::Tls { message, url } => {
                clean(message);
                clean(url);
            }
            Error::InvalidCredentials { url, .. }
            | Error::InsecureTransport { url }
            | Error::SessionExpired { url, .. } => clean(url),
            Error::InvalidPipeline { reason } => clean(reason),
            Error::NotSignedIn { url, .. } => clean(url),
            Error::ResponseTooLarge { url, .. }
            | Error::Timeout { url, .. }
            | Error::Aborted { url } => clean(url),
            Error::Attempts { last, .. } => **last = (**last).clone().scrubbed_with(set),
            _ => {}
        }
        self
    }

    pub fn login_failed(
        step: &str,
        url: &str,
        status: Option<u16>,
        reason: impl Into<String>,
    ) -> Self {
        Error::LoginFailed {
            step: step.to_owned(),
            url: url.to_owned(),
            status,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgType { name, expected, actual } => {
                write!(f, "The \"{name}\" argument must be {expected}. Received {actual}.")
            }
            Error::InvalidArgValue { name, reason } => {
                write!(f, "The \"{name}\" argument is invalid: {reason}.")
            }
            Error::InvalidCredentials { connector, status, url } => write!(
                f,
                "Dex rejected the username or password for connector \"{connector}\" \
                 (HTTP {status} from {url}). Check auth.username and auth.password; for LDAP \
                 use the LDAP login name, not the email, unless Dex is configured for email."
            ),
            Error::UnknownConnector { requested, offered } => {
                if offered.is_empty() {
                    write!(f, "Dex does not offer the connector \"{requested}\" and the login page lists none. Check auth.connector.")
                } else {
                    write!(
                        f,
                        "Dex does not offer the connector \"{requested}\". It offers: {}. Set auth.connector to one of them.",
                        offered.join(", ")
                    )
                }
            }
            Error::LoginFailed { step, url, status, reason } => {
                write!(f, "Login failed at {step} ({url}")?;
                if let Some(status) = status {
                    write!(f, ", HTTP {status}")?;
                }
                write!(f, "): {reason}")
            }
            Error::CookieRejected { cookie, host, rejection, hint } => write!(
                f,
                "The gateway at {host} set the cookie \"{cookie}\", which must be refused because {rejection}, so the login cannot finish. {hint}"
            ),
            Error::HostMismatch { api_host, login_host } => write!(
                f,
                "The login redirected to host \"{login_host}\" and the session belongs to that host, \
                 but apiUrl uses host \"{api_host}\". Use the gateway's configured host name in apiUrl \
                 (for example https://{login_host}/pipeline), mapping it to the right address if needed."
            ),
            Error::InsecureTransport { url } => write!(
                f,
                "Refusing to send the password to {url}: the login started on https but this step is plain http. \
                 Fix the gateway's redirect (issuer or redirect URLs) or use an http apiUrl on purpose."
            ),
            Error::SessionExpired { status, url, relogin_possible } => {
                write!(f, "The session is no longer accepted (")?;
                if let Some(status) = status {
                    write!(f, "HTTP {status} ")?;
                }
                write!(f, "from {url}). ")?;
                if *relogin_possible {
                    f.write_str("A fresh login did not help: the account may lack access or the gateway rejects the session.")
                } else {
                    f.write_str("Log in again and pass the new cookies, or use auth type \"dex\" so the client can log in by itself.")
                }
            }
            Error::Api { status, url, grpc_code, message } => {
                write!(f, "KFP answered HTTP {status} for {url}")?;
                if let Some(code) = grpc_code {
                    write!(f, " (gRPC code {code})")?;
                }
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                match status {
                    401 => f.write_str(". Check the auth option."),
                    403 => f.write_str(". Check that the user may access this namespace or resource."),
                    _ => Ok(()),
                }
            }
            Error::UnexpectedResponse { status, url, what } => {
                write!(f, "Unexpected answer from {url} (HTTP {status}): {what}")
            }
            Error::Network { url, message } => write!(
                f,
                "Could not reach {url}: {message}. Check apiUrl and that the gateway is reachable from here."
            ),
            Error::Tls { url, message } => write!(
                f,
                "TLS failed for {url}: {message}. Pass the gateway's CA as caCert, or skipTlsVerify: true for a test deployment."
            ),
            Error::Timeout { url, ms: 0 } => write!(f, "The request to {url} timed out. Check the gateway, or set timeoutMs."),
            Error::Timeout { url, ms } => {
                write!(f, "No answer from {url} within {ms} ms. Raise timeoutMs or check the gateway.")
            }
            Error::Aborted { url } => write!(f, "The request to {url} was aborted."),
            Error::TokenUnavailable { reason } => write!(f, "No token to send: {reason}."),
            Error::Unsupported { feature, reason } => write!(f, "{feature} is not supported here: {reason}."),
            Error::MissingDependency { package, needed_for } => write!(
                f,
                "The npm package \"{package}\" is needed for {needed_for} but is not installed. Run: npm install {package}@7"
            ),
            Error::UnsupportedApiVersion { method, version } => write!(
                f,
                "{method} has no equivalent in the {version} API this server speaks (KFP 1.x or 2.0.0-alpha.7, as in deployKF 0.1.4 and older); use request() with a {version} path, or upgrade KFP."
            ),
            Error::InvalidPipeline { reason } => write!(
                f,
                "The pipeline package cannot be used: {reason}. Pass the YAML compiled by the KFP SDK (kfp.compiler.Compiler().compile), as text, bytes or a Blob."
            ),
            Error::ResponseTooLarge { url, limit } => write!(
                f,
                "The answer from {url} is larger than {limit} bytes. Ask for smaller pages (pageSize), or raise maxResponseBytes."
            ),
            Error::NotSignedIn { status, url, with_token } => {
                write!(f, "Not signed in: the gateway answered {url} with its login (HTTP {status}) instead of KFP. ")?;
                if *with_token {
                    f.write_str("It does not accept this token here; use auth: { type: \"dex\", ... } or send the token to the KFP API server directly.")
                } else {
                    f.write_str("Pass credentials: auth: { type: \"dex\", username, password }, a token, or session cookies.")
                }
            }
            Error::WaitTimeout { run_id, ms, state } => write!(
                f,
                "Run {run_id} did not reach the awaited state within {ms} ms (last state: {}). Raise timeoutMs, or look at the run in the KFP UI; err.run holds the last run seen.",
                state.as_deref().unwrap_or("none yet")
            ),
            Error::Attempts { attempts, last } => write!(f, "{last} ({attempts} attempts were made.)"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert!(code.as_str().starts_with("KFP_") || code.is_type_error());
        }
    }

    #[test]
    fn api_status_maps_to_code() {
        let err = |status| Error::Api {
            status,
            url: "u".into(),
            grpc_code: None,
            message: String::new(),
        };
        assert_eq!(err(403).code(), ErrorCode::PermissionDenied);
        assert_eq!(err(409).code(), ErrorCode::Conflict);
        assert_eq!(err(503).code(), ErrorCode::ServerError);
        assert_eq!(err(418).code(), ErrorCode::HttpError);
        assert_eq!(err(404).status(), Some(404));
    }

    #[test]
    fn scrubbed_removes_echoed_secrets() {
        let e = Error::Api {
            status: 400,
            url: "u".into(),
            grpc_code: Some(3),
            message: "bad cookie _oauth2=c2VjcmV0|1|sig".into(),
        };
        assert_eq!(
            e.scrubbed(&["c2VjcmV0|1|sig"], &[]).to_string(),
            "KFP answered HTTP 400 for u (gRPC code 3): bad cookie _oauth2=[redacted]"
        );
    }

    #[test]
    fn secrets_are_scrubbed_before_messages_are_cut() {
        let token = "tok_0123456789abcdefghijklmnopqrstuvwxyz";
        let message = format!("{}{token} and more", "x".repeat(290));
        let e = Error::Api {
            status: 400,
            url: "u".into(),
            grpc_code: None,
            message,
        };
        let mut set = SecretSet::new();
        set.add(token);
        let shown = e.scrubbed_with(&set).shortened().to_string();
        assert!(!shown.contains("tok_0123"), "{shown}");
        assert!(
            shown.contains("[redacted]") || shown.ends_with('…'),
            "{shown}"
        );
    }

    #[test]
    fn unknown_connector_lists_offered() {
        let e = Error::UnknownConnector {
            requested: "ldap".into(),
            offered: vec!["local".into(), "github".into()],
        };
        assert!(e.to_string().contains("local, github"));
    }
}
