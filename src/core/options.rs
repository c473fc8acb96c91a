//! The client options after validation, and the value checks behind them.
//!
//! The binding reads the JS object and checks JS types; everything about values is decided
//! here, so it is the same for every caller and tested on the host. Invalid values give
//! `ERR_INVALID_ARG_VALUE` naming the option as the user wrote it (`auth.connector`).

use crate::core::client::RetryPolicy;
use crate::core::error::{Error, Result};
use crate::core::kfp::{ApiBase, ApiVersion};
use crate::core::platform::Platform;
use crate::core::secret::Secret;

/// Where KFP's Python client and the in-cluster pipelines look for the service-account token.
pub const DEFAULT_SA_TOKEN_PATH: &str = "/var/run/secrets/kubeflow/pipelines/token";
/// The environment variable that overrides it.
pub const SA_TOKEN_PATH_ENV: &str = "KF_PIPELINES_SA_TOKEN_PATH";

/// The auth types of `options.auth.type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    None,
    Dex {
        username: String,
        password: Secret,
        connector: String,
    },
    ServiceAccountToken {
        path: String,
    },
    /// The token itself (a string or a function) stays in the binding.
    Bearer,
    Cookies {
        cookies: Secret,
    },
    /// The session the browser already holds for the page (browsers only).
    Browser,
}

impl Auth {
    pub fn type_name(&self) -> &'static str {
        match self {
            Auth::None => "none",
            Auth::Dex { .. } => "dex",
            Auth::ServiceAccountToken { .. } => "serviceAccountToken",
            Auth::Bearer => "bearer",
            Auth::Cookies { .. } => "cookies",
            Auth::Browser => "browser",
        }
    }

    /// Auth types that send a token in `Authorization`.
    pub fn uses_bearer(&self) -> bool {
        matches!(self, Auth::Bearer | Auth::ServiceAccountToken { .. })
    }
}

pub const AUTH_TYPES: [&str; 6] = [
    "dex",
    "serviceAccountToken",
    "bearer",
    "cookies",
    "browser",
    "none",
];

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub api: ApiBase,
    pub auth: Auth,
    pub namespace: Option<String>,
    pub skip_tls_verify: bool,
    pub ca_cert: Option<String>,
    pub timeout_ms: Option<u32>,
    pub headers: Vec<(String, String)>,
    /// `None`: detect (v2beta1, falling back to v1beta1 on servers without it).
    pub api_version: Option<ApiVersion>,
    pub retry: RetryPolicy,
    /// `maxResponseBytes`: the largest successful answer read.
    pub max_response_bytes: Option<u32>,
}

/// `retry: { retries, minDelayMs, maxDelayMs }`: retries 0 to 10, delays 0 to 60 000 ms, the
/// minimum not above the maximum.
///
/// # Errors
/// `InvalidArgValue` naming `retry.retries`, `retry.minDelayMs` or `retry.maxDelayMs`.
pub fn check_retry(
    retries: Option<f64>,
    min_delay_ms: Option<f64>,
    max_delay_ms: Option<f64>,
) -> Result<RetryPolicy> {
    let defaults = RetryPolicy::default();
    let whole = |name: &str, v: Option<f64>, max: f64, default: u32| -> Result<u32> {
        match v {
            None => Ok(default),
            Some(n) if n.is_finite() && n >= 0.0 && n <= max && n.fract() == 0.0 => Ok(n as u32),
            Some(_) => Err(invalid(
                name,
                format!("it must be a whole number from 0 to {}", max as u64),
            )),
        }
    };
    let policy = RetryPolicy {
        retries: whole("retry.retries", retries, 10.0, defaults.retries)?,
        min_delay_ms: whole(
            "retry.minDelayMs",
            min_delay_ms,
            60_000.0,
            defaults.min_delay_ms,
        )?,
        max_delay_ms: whole(
            "retry.maxDelayMs",
            max_delay_ms,
            60_000.0,
            defaults
                .max_delay_ms
                .max(min_delay_ms.unwrap_or(0.0) as u32),
        )?,
    };
    if policy.min_delay_ms > policy.max_delay_ms {
        return Err(invalid(
            "retry.minDelayMs",
            "it must not be above retry.maxDelayMs",
        ));
    }
    Ok(policy)
}

/// `maxResponseBytes`: 1 KiB to 2 GiB.
///
/// # Errors
/// `InvalidArgValue` for `maxResponseBytes`.
pub fn check_max_bytes(n: f64) -> Result<u32> {
    if !(n.is_finite() && n.fract() == 0.0 && (1024.0..=f64::from(i32::MAX)).contains(&n)) {
        return Err(invalid(
            "maxResponseBytes",
            "it must be a whole number of bytes from 1024 to 2147483647",
        ));
    }
    Ok(n as u32)
}

fn invalid(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidArgValue {
        name: name.to_owned(),
        reason: reason.into(),
    }
}

/// A Dex connector id: non-empty, and usable as one URL path segment.
///
/// # Errors
/// `InvalidArgValue` for `auth.connector`.
pub fn check_connector(id: &str) -> Result<String> {
    let id = id.trim();
    if id.is_empty() {
        return Err(invalid(
            "auth.connector",
            "it must not be empty (\"local\" for Dex's static users, \"ldap\" for LDAP)",
        ));
    }
    if id
        .chars()
        .any(|c| matches!(c, '/' | '?' | '#' | '%') || c.is_whitespace() || c.is_control())
    {
        return Err(invalid(
            "auth.connector",
            "a connector id has no '/', '?', '#', '%' or spaces",
        ));
    }
    Ok(id.to_owned())
}

/// The username: non-empty.
///
/// # Errors
/// `InvalidArgValue` for `auth.username`.
pub fn check_username(name: &str) -> Result<String> {
    if name.trim().is_empty() {
        return Err(invalid("auth.username", "it must not be empty"));
    }
    Ok(name.to_owned())
}

/// `timeoutMs`: a whole number of milliseconds, 1 to 2^31 - 1.
///
/// # Errors
/// `InvalidArgValue` for `timeoutMs`.
pub fn check_timeout(ms: f64) -> Result<u32> {
    if !ms.is_finite() || ms < 1.0 || ms > f64::from(i32::MAX) || ms.fract() != 0.0 {
        return Err(invalid(
            "timeoutMs",
            format!(
                "it must be a whole number of milliseconds from 1 to {}",
                i32::MAX
            ),
        ));
    }
    // In range and whole, checked above.
    Ok(ms as u32)
}

/// A namespace (Kubernetes namespace name rules are the server's business; only emptiness is
/// checked, since an empty namespace silently means "none" to KFP).
///
/// # Errors
/// `InvalidArgValue` for `name`.
pub fn check_namespace(name: &str, ns: &str) -> Result<String> {
    if ns.trim().is_empty() {
        return Err(invalid(name, "it must not be empty; leave it out instead"));
    }
    Ok(ns.to_owned())
}

/// `caCert`: one or more PEM certificates.
///
/// # Errors
/// `InvalidArgValue` for `caCert`.
pub fn check_ca_cert(pem: &str) -> Result<String> {
    if !pem.contains("-----BEGIN CERTIFICATE-----") {
        return Err(invalid("caCert", "it must be PEM text containing -----BEGIN CERTIFICATE----- (read the file first, e.g. fs.readFileSync(path, \"utf8\"))"));
    }
    Ok(pem.to_owned())
}

/// `apiVersion`: `"auto"`, `"v2beta1"` or `"v1beta1"`.
///
/// # Errors
/// `InvalidArgValue` for `apiVersion`.
pub fn check_api_version(v: &str) -> Result<Option<ApiVersion>> {
    match v {
        "auto" => Ok(None),
        "v2beta1" => Ok(Some(ApiVersion::V2beta1)),
        "v1beta1" => Ok(Some(ApiVersion::V1beta1)),
        _ => Err(invalid(
            "apiVersion",
            "it must be \"auto\", \"v2beta1\" or \"v1beta1\"",
        )),
    }
}

/// One entry of `options.headers`. Names are HTTP tokens; values have no line breaks. `Cookie`
/// is refused (the jar owns it; use auth type "cookies"; a page cannot set it at all), and
/// `Authorization` is refused with cookie-based auth (Istio would reject the request, §2.7 of
/// the research notes) and with token auth (the token owns it).
///
/// # Errors
/// `InvalidArgValue` for `headers`; `Unsupported` for what the platform cannot send.
pub fn check_header(
    platform: &Platform,
    auth: &Auth,
    name: &str,
    value: &str,
) -> Result<(String, String)> {
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid_name {
        return Err(invalid(
            "headers",
            format!(
                "\"{}\" is not a valid header name",
                name.chars().take(40).collect::<String>()
            ),
        ));
    }
    if value.contains(['\r', '\n', '\0']) {
        return Err(invalid(
            "headers",
            format!("the value of \"{name}\" contains a line break"),
        ));
    }
    platform.check_header(name)?;
    let lower = name.to_ascii_lowercase();
    if lower == "cookie" {
        return Err(invalid("headers", "set cookies with auth: { type: \"cookies\", cookies } so that they are scoped to the gateway"));
    }
    if lower == "authorization" && !matches!(auth, Auth::None) {
        return Err(invalid(
            "headers",
            format!("an Authorization header cannot be combined with auth type \"{}\" (use auth: {{ type: \"bearer\", token }} for tokens)", auth.type_name()),
        ));
    }
    Ok((lower, value.to_owned()))
}

/// The cookie string of auth type "cookies": `name=value` pairs separated by `;`.
///
/// # Errors
/// `InvalidArgValue` for `auth.cookies`.
pub fn check_cookie_string(cookies: &str) -> Result<Secret> {
    let pairs: Vec<&str> = cookies
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if pairs.is_empty() {
        return Err(invalid(
            "auth.cookies",
            "it must hold at least one name=value pair",
        ));
    }
    if let Some(position) = pairs
        .iter()
        .position(|p| !p.contains('=') || p.starts_with('='))
    {
        // Name the position, never the text: a value pasted without its name is a secret.
        return Err(invalid(
            "auth.cookies",
            format!(
                "pair {} of {} is not name=value (expected \"name=value; name2=value2\")",
                position + 1,
                pairs.len()
            ),
        ));
    }
    Ok(Secret::new(cookies))
}

/// Parses `apiUrl`.
///
/// # Errors
/// `InvalidArgValue` for `apiUrl`.
pub fn check_api_url(url: &str) -> Result<ApiBase> {
    ApiBase::parse(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;

    #[test]
    fn connectors() {
        assert_eq!(check_connector(" ldap ").unwrap(), "ldap");
        for bad in ["", " ", "a/b", "a?b", "a b"] {
            assert_eq!(
                check_connector(bad).unwrap_err().code(),
                ErrorCode::InvalidArgValue,
                "{bad}"
            );
        }
    }

    #[test]
    fn timeouts() {
        assert_eq!(check_timeout(1500.0).unwrap(), 1500);
        for bad in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 1e12] {
            assert!(check_timeout(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers() {
        let dex = Auth::Dex {
            username: "u".into(),
            password: Secret::new("p"),
            connector: "local".into(),
        };
        let node = &Platform::NODE;
        assert_eq!(
            check_header(node, &Auth::None, "X-Team", "a").unwrap(),
            ("x-team".into(), "a".into())
        );
        assert!(check_header(node, &Auth::None, "Authorization", "Bearer x").is_ok());
        assert!(check_header(node, &dex, "Authorization", "Bearer x").is_err());
        assert!(check_header(node, &Auth::Browser, "Authorization", "Bearer x").is_err());
        assert!(check_header(node, &Auth::Bearer, "authorization", "x").is_err());
        assert!(check_header(node, &Auth::None, "bad name", "v").is_err());
        assert!(check_header(node, &Auth::None, "x", "a\r\nInjected: 1").is_err());
        // Cookie: a value error in Node (use auth "cookies"), impossible in a page.
        assert_eq!(
            check_header(node, &Auth::None, "Cookie", "a=b")
                .unwrap_err()
                .code(),
            ErrorCode::InvalidArgValue
        );
        let page = &Platform::BROWSER;
        assert_eq!(
            check_header(page, &Auth::None, "Cookie", "a=b")
                .unwrap_err()
                .code(),
            ErrorCode::Unsupported
        );
        assert!(check_header(page, &Auth::None, "X-Team", "a").is_ok());
    }

    #[test]
    fn cookie_strings() {
        assert!(check_cookie_string("authservice_session=abc; other=1").is_ok());
        let err = check_cookie_string("oops; a=b").unwrap_err();
        assert!(err.to_string().contains("pair 1 of 2"));
        assert!(
            !err.to_string().contains("oops"),
            "a bare value is never echoed"
        );
        assert!(check_cookie_string(" ; ").is_err());
        // the value is never echoed
        let err = check_cookie_string("=secretvalue").unwrap_err();
        assert!(!err.to_string().contains("secretvalue"));
    }

    #[test]
    fn retry_and_limits() {
        assert_eq!(
            check_retry(None, None, None).unwrap(),
            RetryPolicy::default()
        );
        assert_eq!(check_retry(Some(0.0), None, None).unwrap().retries, 0);
        let p = check_retry(Some(3.0), Some(10_000.0), None).unwrap();
        assert_eq!(
            (p.retries, p.min_delay_ms, p.max_delay_ms),
            (3, 10_000, 10_000)
        );
        assert!(check_retry(Some(-1.0), None, None).is_err());
        assert!(check_retry(Some(1.5), None, None).is_err());
        assert!(check_retry(None, Some(500.0), Some(100.0)).is_err());
        assert_eq!(check_max_bytes(1e6).unwrap(), 1_000_000);
        assert!(check_max_bytes(10.0).is_err());
    }

    #[test]
    fn misc() {
        assert_eq!(check_api_version("auto").unwrap(), None);
        assert_eq!(
            check_api_version("v1beta1").unwrap(),
            Some(ApiVersion::V1beta1)
        );
        assert!(check_api_version("v2").is_err());
        assert!(check_ca_cert("nope").is_err());
        assert!(check_namespace("namespace", " ").is_err());
        assert!(check_username("").is_err());
        assert!(check_api_url("ftp://x").is_err());
    }
}
