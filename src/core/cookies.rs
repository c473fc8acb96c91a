//! The per-client cookie jar (RFC 6265, with the RFC 6265bis rules browsers apply).
//!
//! Storage, domain and path matching, host-only cookies, expiry and deletion come from the
//! maintained `cookie_store` crate. On top of it this module adds what it leaves out and what
//! the login flow needs to explain failures:
//! - a `Secure` cookie (or a `__Secure-`/`__Host-` name) is only accepted from a secure origin:
//!   https, or loopback (`localhost`, `127.0.0.0/8`, `::1`), as browsers do
//!   (RFC 6265bis §5.7 steps 8, 16 and 17);
//! - every refusal is reported with its reason, so the login can say what to change
//!   (`research/dex-login-flows.md` §5: Secure cookies over http, Domain mismatches);
//! - browser limits, so a hostile server cannot grow the jar or our requests without bound:
//!   [`MAX_COOKIE_BYTES`] per cookie, [`MAX_SET_COOKIE_LINES`] per response,
//!   [`MAX_COOKIES_PER_DOMAIN`] and [`MAX_COOKIES`] stored (oldest evicted first). Cookies the
//!   user gave ([`CookieJar::import_header`]) are pinned: never evicted, though the server may
//!   still replace them. Evictions are recorded ([`CookieJar::evicted`]) so that a login can
//!   say which cookie a flood pushed out;
//! - [`CookieJar::export`] and [`CookieJar::import`], to save a session and resume it.
//!
//! `Debug` prints cookie names only, never values.

use std::collections::{HashMap, HashSet};
use std::fmt;

use cookie_store::{
    Cookie as StoredCookie, CookieDomain, CookieError, CookieExpiration, CookieStore, RawCookie,
    StoreAction,
};
use url::{Host, Url};

use crate::core::error::{CookieRejection, Error, Result};
use crate::core::secret::Secret;

/// A `Set-Cookie` the jar refused, with the reason. Holds no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub name: String,
    pub host: String,
    pub rejection: CookieRejection,
}

/// A cookie the per-domain or total limit pushed out of the jar to make room for newer ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evicted {
    pub name: String,
    /// The cookie's domain: the host that set it, for a host-only cookie.
    pub domain: String,
}

/// Browser limits (RFC 6265 §6.1 asks for at least 4096 bytes per cookie and 50 per domain;
/// Chromium keeps 180 per domain and 3300 in all). Past them the oldest cookies go, so a
/// hostile server cannot grow the jar, or our requests, without bound.
pub const MAX_COOKIE_BYTES: usize = 4096;
pub const MAX_COOKIES_PER_DOMAIN: usize = 180;
pub const MAX_COOKIES: usize = 3000;
/// A `Set-Cookie` line longer than this (name, value and attributes; RFC 6265bis §5.7 caps
/// each attribute value at 1024 bytes) is refused as too large without being parsed.
pub const MAX_SET_COOKIE_LINE_BYTES: usize = 2 * MAX_COOKIE_BYTES;
/// Only the first this many `Set-Cookie` lines of a response are read; the rest are ignored
/// and counted ([`CookieJar::skipped_lines`]). Real gateways set a handful.
pub const MAX_SET_COOKIE_LINES: usize = 200;
/// [`CookieJar::evicted`] remembers the first this many evictions.
pub const MAX_EVICTED_RECORDED: usize = 64;

type CookieKey = (String, String, String);

/// A cookie as [`CookieJar::export`] gives it and [`CookieJar::import`] takes it back, for
/// saving a session. `Debug` does not print the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedCookie {
    pub name: String,
    pub value: Secret,
    /// The host, for a host-only cookie; else the `Domain` attribute, without a leading dot.
    pub domain: String,
    pub path: String,
    /// Milliseconds since the Unix epoch; `None` for a session cookie.
    pub expires: Option<i64>,
    pub secure: bool,
    pub http_only: bool,
    /// Sent to `domain` only, not to its subdomains (the `Set-Cookie` had no `Domain`).
    pub host_only: bool,
    /// Given by the user, never evicted (see [`CookieJar::import_header`]).
    pub pinned: bool,
}

#[derive(Default, Clone)]
pub struct CookieJar {
    store: CookieStore,
    /// When each (domain, path, name) was first stored, for evicting the oldest.
    born: HashMap<CookieKey, u64>,
    clock: u64,
    /// The cookies the user gave: exempt from eviction.
    pinned: HashSet<CookieKey>,
    evicted: Vec<Evicted>,
    skipped_lines: usize,
}

/// True for origins browsers treat as secure for cookies: https, or a loopback host.
pub fn is_secure_origin(url: &Url) -> bool {
    if url.scheme() == "https" {
        return true;
    }
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl CookieJar {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores the `Set-Cookie` lines received from `url` (the first [`MAX_SET_COOKIE_LINES`]
    /// of them). Returns the ones refused. Expired cookies delete their stored namesakes, as
    /// RFC 6265 §5.3 step 11 says.
    pub fn store(&mut self, url: &Url, set_cookie_lines: &[String]) -> Vec<Rejected> {
        let mut rejected = Vec::new();
        for line in set_cookie_lines.iter().take(MAX_SET_COOKIE_LINES) {
            if let Err((name, rejection)) = self.store_one(url, line) {
                rejected.push(Rejected {
                    name,
                    host: url.host_str().unwrap_or_default().to_owned(),
                    rejection,
                });
            }
        }
        self.skipped_lines = self
            .skipped_lines
            .saturating_add(set_cookie_lines.len().saturating_sub(MAX_SET_COOKIE_LINES));
        self.enforce_limits();
        rejected
    }

    /// Evicts the oldest unpinned cookies past the per-domain and total limits.
    fn enforce_limits(&mut self) {
        let keys: Vec<CookieKey> = self.store.iter_unexpired().map(key_of).collect();
        if self.born.len() > 2 * keys.len() + 64 || self.pinned.len() > keys.len() + 64 {
            let live: HashSet<&CookieKey> = keys.iter().collect();
            self.born.retain(|k, _| live.contains(k));
            self.pinned.retain(|k| live.contains(k));
        }
        if keys.len() <= MAX_COOKIES_PER_DOMAIN {
            return;
        }
        let mut by_age: Vec<(u64, &CookieKey)> = keys
            .iter()
            .map(|k| (self.born.get(k).copied().unwrap_or(0), k))
            .collect();
        by_age.sort();
        let mut per_domain: HashMap<&str, usize> = HashMap::new();
        for (_, (domain, _, _)) in &by_age {
            *per_domain.entry(domain.as_str()).or_default() += 1;
        }
        let mut total = by_age.len();
        let mut evict = Vec::new();
        for (_, key) in &by_age {
            if self.pinned.contains(*key) {
                continue;
            }
            let count = per_domain.entry(key.0.as_str()).or_default();
            if *count > MAX_COOKIES_PER_DOMAIN || total > MAX_COOKIES {
                *count -= 1;
                total -= 1;
                evict.push((*key).clone());
            }
        }
        for (domain, path, name) in evict {
            self.store.remove(&domain, &path, &name);
            self.born.remove(&(domain.clone(), path, name.clone()));
            let evicted = Evicted { name, domain };
            if self.evicted.len() < MAX_EVICTED_RECORDED && !self.evicted.contains(&evicted) {
                self.evicted.push(evicted);
            }
        }
    }

    /// Stores one `Set-Cookie` line; gives the key it was stored under, or `None` when it only
    /// deleted (or was already expired).
    fn store_one(
        &mut self,
        url: &Url,
        line: &str,
    ) -> Result<Option<CookieKey>, (String, CookieRejection)> {
        if line.len() > MAX_SET_COOKIE_LINE_BYTES {
            return Err((cookie_name(line), CookieRejection::TooLarge));
        }
        let cookie = RawCookie::parse(line.to_owned())
            .map_err(|_| (cookie_name(line), CookieRejection::Malformed))?;
        let name = cookie.name().to_owned();
        // RFC 6265bis §5.6 step 4: a name or value with a control character (other than tab) is
        // ignored; sent back, it would make every later request fail in fetch.
        if has_forbidden_control(&name) || has_forbidden_control(cookie.value()) {
            return Err((
                name.escape_default().to_string().chars().take(64).collect(),
                CookieRejection::Malformed,
            ));
        }
        if name.len() + cookie.value().len() > MAX_COOKIE_BYTES {
            return Err((name.chars().take(64).collect(), CookieRejection::TooLarge));
        }
        let secure_origin = is_secure_origin(url);
        let secure_flag = cookie.secure().unwrap_or(false);
        if secure_flag && !secure_origin {
            return Err((name, CookieRejection::SecureOverHttp));
        }
        if name.starts_with("__Secure-") && !(secure_flag && secure_origin) {
            return Err((name, CookieRejection::SecureOverHttp));
        }
        if name.starts_with("__Host-") {
            if !(secure_flag && secure_origin) {
                return Err((name, CookieRejection::SecureOverHttp));
            }
            if cookie.domain().is_some() || cookie.path() != Some("/") {
                return Err((name, CookieRejection::InvalidHostPrefix));
            }
        }
        let domain = cookie.domain().map(str::to_owned);
        let refused = |e: CookieError| match e {
            CookieError::DomainMismatch => CookieRejection::DomainMismatch {
                domain: domain.clone().unwrap_or_default(),
            },
            _ => CookieRejection::Malformed,
        };
        let stored = StoredCookie::try_from_raw_cookie(&cookie, url)
            .map_err(|e| (name.clone(), refused(e)))?
            .into_owned();
        let key = key_of(&stored);
        match self.store.insert(stored, url) {
            Ok(StoreAction::Inserted) => {
                self.clock += 1;
                self.born.insert(key.clone(), self.clock);
                Ok(Some(key))
            }
            Ok(StoreAction::UpdatedExisting) => Ok(Some(key)),
            Ok(StoreAction::ExpiredExisting) | Err(CookieError::Expired) => Ok(None),
            Err(e) => Err((name, refused(e))),
        }
    }

    /// Adds cookies given as a `Cookie` header string (`"a=1; b=2"`) for `url`'s host, path `/`.
    /// Used by the `cookies` auth type. They are pinned: never evicted by the limits when a
    /// server floods the jar, though a `Set-Cookie` of the same name, domain and path replaces
    /// them (the gateway refreshing the session), and the replacement stays pinned.
    ///
    /// At most [`MAX_COOKIES_PER_DOMAIN`] pairs are read. Returns the names that were not
    /// stored: unparsable or refused pairs, and the first pair past that limit (the rest are
    /// ignored).
    pub fn import_header(&mut self, url: &Url, header: &str) -> Vec<String> {
        let mut bad = Vec::new();
        let pairs = header.split(';').map(str::trim).filter(|p| !p.is_empty());
        for (read, pair) in pairs.enumerate() {
            if read == MAX_COOKIES_PER_DOMAIN {
                bad.push(cookie_name(pair));
                break;
            }
            let stored = match pair.split_once('=') {
                Some((name, _)) if !name.trim().is_empty() => {
                    self.store_one(url, &format!("{pair}; Path=/"))
                }
                _ => Err((String::new(), CookieRejection::Malformed)),
            };
            match stored {
                Ok(Some(key)) => {
                    self.pinned.insert(key);
                }
                Ok(None) | Err(_) => bad.push(cookie_name(pair)),
            }
        }
        self.enforce_limits();
        bad
    }

    /// The first [`MAX_EVICTED_RECORDED`] cookies (name and domain, each once) that the
    /// per-domain limit ([`MAX_COOKIES_PER_DOMAIN`]) or the total limit ([`MAX_COOKIES`])
    /// pushed out, oldest first. A login that finds no session cookie can tell from it that
    /// the gateway set more than the limit for a host and the session cookie was lost.
    pub fn evicted(&self) -> &[Evicted] {
        &self.evicted
    }

    /// How many `Set-Cookie` lines were ignored because a response had more than
    /// [`MAX_SET_COOKIE_LINES`].
    pub fn skipped_lines(&self) -> usize {
        self.skipped_lines
    }

    /// Every unexpired cookie, oldest first, for saving the session. The values are
    /// [`Secret`]s: keep what this returns out of logs.
    pub fn export(&self) -> Vec<ExportedCookie> {
        let mut cookies: Vec<(u64, ExportedCookie)> = self
            .store
            .iter_unexpired()
            .map(|c| {
                let key = key_of(c);
                let exported = ExportedCookie {
                    name: c.name().to_owned(),
                    value: Secret::new(c.value()),
                    domain: key.0.clone(),
                    path: key.1.clone(),
                    expires: match &c.expires {
                        CookieExpiration::AtUtc(at) => Some(
                            i64::try_from(at.unix_timestamp_nanos() / 1_000_000)
                                .unwrap_or(i64::MAX),
                        ),
                        CookieExpiration::SessionEnd => None,
                    },
                    secure: c.secure().unwrap_or(false),
                    http_only: c.http_only().unwrap_or(false),
                    host_only: matches!(c.domain, CookieDomain::HostOnly(_)),
                    pinned: self.pinned.contains(&key),
                };
                (self.born.get(&key).copied().unwrap_or(0), exported)
            })
            .collect();
        cookies.sort_by_key(|(born, _)| *born);
        cookies.into_iter().map(|(_, c)| c).collect()
    }

    /// Restores cookies saved with [`CookieJar::export`], in order, next to those already in
    /// the jar (a restored cookie replaces a stored one of the same name, domain and path).
    /// Cookies that expire at or before `now` (milliseconds since the Unix epoch) are dropped;
    /// expiry times are kept to the second. Returns how many were restored.
    ///
    /// # Errors
    /// `InvalidArgValue` when a cookie cannot be a cookie (empty or malformed name, a `;` or a
    /// control character in a value, a bad domain or path, too large); the jar is then left
    /// as it was.
    pub fn import(&mut self, cookies: &[ExportedCookie], now: i64) -> Result<usize> {
        let mut next = self.clone();
        let mut restored = 0;
        for (i, cookie) in cookies.iter().enumerate() {
            if cookie.expires.is_some_and(|at| at <= now) {
                continue;
            }
            let invalid = |reason: String| Error::InvalidArgValue {
                name: format!("cookies[{i}]"),
                reason,
            };
            let (url, line) = restore_line(cookie).map_err(|reason| invalid(reason.to_owned()))?;
            match next.store_one(&url, &line) {
                Ok(Some(key)) => {
                    if cookie.pinned {
                        next.pinned.insert(key);
                    }
                    restored += 1;
                }
                // Already expired by the clock of the store.
                Ok(None) => {}
                Err((_, rejection)) => {
                    return Err(invalid(format!(
                        "cookie {:?} was refused: {rejection}",
                        cookie.name
                    )))
                }
            }
        }
        next.enforce_limits();
        *self = next;
        Ok(restored)
    }

    /// The `Cookie` header value for a request to `url`, or `None` when no cookie matches.
    pub fn header_for(&self, url: &Url) -> Option<String> {
        let pairs: Vec<String> = self
            .store
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        if pairs.is_empty() {
            None
        } else {
            Some(pairs.join("; "))
        }
    }

    /// Names of the unexpired cookies that would be sent to `url`.
    pub fn names_for(&self, url: &Url) -> Vec<String> {
        self.store
            .matches(url)
            .iter()
            .map(|c| c.name().to_owned())
            .collect()
    }

    /// The values of all unexpired cookies: what error messages must never quote.
    pub fn values(&self) -> Vec<String> {
        self.store
            .iter_unexpired()
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Names of all unexpired cookies, with their domain.
    pub fn names(&self) -> Vec<(String, String)> {
        self.store
            .iter_unexpired()
            .map(|c| {
                (
                    c.domain().unwrap_or_default().to_owned(),
                    c.name().to_owned(),
                )
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.store.iter_unexpired().next().is_none()
    }

    pub fn clear(&mut self) {
        self.store.clear();
        self.born.clear();
        self.pinned.clear();
        self.evicted.clear();
        self.skipped_lines = 0;
    }
}

/// The request URL and `Set-Cookie` line that recreate an exported cookie: an https URL of its
/// host (so `Secure` and the `__Host-` rules hold as when it was first stored) and its
/// attributes written out.
fn restore_line(c: &ExportedCookie) -> std::result::Result<(Url, String), &'static str> {
    let forbidden = |s: &str| s.contains(';') || has_forbidden_control(s);
    if c.name.trim().is_empty() || c.name.contains('=') || forbidden(&c.name) {
        return Err("the cookie name is empty or holds `=`, `;` or a control character");
    }
    if forbidden(c.value.expose()) {
        return Err("the cookie value holds `;` or a control character");
    }
    if !c.path.starts_with('/') || forbidden(&c.path) {
        return Err("the cookie path must start with `/` and hold no `;` or control character");
    }
    let host = c.domain.trim_start_matches('.');
    if host.is_empty() || forbidden(host) || host.contains(['/', '?', '#', '@', ' ']) {
        return Err("the cookie domain is not a host name");
    }
    let url = Url::parse(&format!("https://{host}/"))
        .map_err(|_| "the cookie domain is not a host name")?;
    let mut line = format!("{}={}; Path={}", c.name, c.value.expose(), c.path);
    if !c.host_only {
        line.push_str("; Domain=");
        line.push_str(host);
    }
    if let Some(at) = c.expires {
        line.push_str("; Expires=");
        line.push_str(&http_date(at));
    }
    if c.secure {
        line.push_str("; Secure");
    }
    if c.http_only {
        line.push_str("; HttpOnly");
    }
    Ok((url, line))
}

/// `at` (milliseconds since the Unix epoch, clamped to years 1970–9999) as an IMF-fixdate,
/// the `Expires` format (RFC 9110 §5.6.7), to the second.
fn http_date(at: i64) -> String {
    const MAX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let secs = at.div_euclid(1000).clamp(0, MAX);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = crate::core::time::civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekday = WEEKDAYS
        .get(usize::try_from(days % 7).unwrap_or(0))
        .copied()
        .unwrap_or("Thu");
    let month_name = MONTHS
        .get(usize::try_from(month - 1).unwrap_or(0))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{weekday}, {day:02} {month_name} {year:04} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `%x00-08 / %x0A-1F / %x7F`: the control characters a cookie name or value must not hold
/// (RFC 6265bis §5.6); tab is allowed.
fn has_forbidden_control(s: &str) -> bool {
    s.bytes()
        .any(|b| matches!(b, 0x00..=0x08 | 0x0A..=0x1F | 0x7F))
}

/// Where the store keeps a cookie: (domain, path, name).
fn key_of(c: &StoredCookie<'_>) -> CookieKey {
    (
        c.domain
            .as_cow()
            .map(|d| d.into_owned())
            .unwrap_or_default(),
        String::from(&c.path),
        c.name().to_owned(),
    )
}

/// The name part of a cookie line, for messages (never the value).
fn cookie_name(line: &str) -> String {
    let first = line.split(';').next().unwrap_or_default();
    first
        .split('=')
        .next()
        .unwrap_or_default()
        .trim()
        .chars()
        .take(64)
        .collect()
}

impl fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.names().iter().map(|(d, n)| format!("{n} ({d})")))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn lines(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn host_only_and_path_matching() {
        let mut jar = CookieJar::new();
        let r = jar.store(
            &url("http://gw.example/oauth2/callback"),
            &lines(&["s=1; Path=/", "p=2; Path=/pipeline", "d=3"]),
        );
        assert!(r.is_empty());
        let names = jar.names_for(&url("http://gw.example/pipeline/apis"));
        assert!(names.contains(&"s".to_string()) && names.contains(&"p".to_string()));
        // `d` has the default path /oauth2
        assert!(!names.contains(&"d".to_string()));
        assert_eq!(
            jar.names_for(&url("http://gw.example/other")),
            vec!["s".to_string()]
        );
        // host-only: not sent to a subdomain or another host
        assert!(jar
            .header_for(&url("http://sub.gw.example/pipeline"))
            .is_none());
        assert!(jar.header_for(&url("http://other.example/")).is_none());
    }

    #[test]
    fn values_keep_equals_and_pipes() {
        let mut jar = CookieJar::new();
        jar.store(
            &url("http://h/"),
            &lines(&["_oauth2_proxy=YWJj==|1700000000|c2ln=; Path=/; HttpOnly"]),
        );
        assert_eq!(
            jar.header_for(&url("http://h/x")).unwrap(),
            "_oauth2_proxy=YWJj==|1700000000|c2ln="
        );
    }

    #[test]
    fn deletion_by_max_age_zero_and_past_expires() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        jar.store(&u, &lines(&["a=1; Path=/", "b=2; Path=/"]));
        jar.store(
            &u,
            &lines(&[
                "a=; Path=/; Max-Age=0",
                "b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            ]),
        );
        assert!(jar.header_for(&u).is_none());
        assert!(jar.is_empty());
    }

    #[test]
    fn secure_cookies_need_a_secure_origin_but_loopback_counts() {
        let mut jar = CookieJar::new();
        let r = jar.store(
            &url("http://deploykf.example.com/"),
            &lines(&["s=1; Path=/; Secure"]),
        );
        assert_eq!(r[0].rejection, CookieRejection::SecureOverHttp);
        let r = jar.store(
            &url("http://deploykf.example.com/"),
            &lines(&["__Secure-s=1; Path=/; Secure"]),
        );
        assert_eq!(r.len(), 1);
        for origin in [
            "http://127.0.0.1:8080/",
            "http://localhost:8080/",
            "http://[::1]:80/",
            "https://h/",
        ] {
            let mut jar = CookieJar::new();
            let r = jar.store(&url(origin), &lines(&["__Secure-s=1; Path=/; Secure"]));
            assert!(r.is_empty(), "{origin}: {r:?}");
            assert!(jar.header_for(&url(origin)).is_some());
        }
        // a __Secure- name without the Secure attribute is refused everywhere
        let r = CookieJar::new().store(&url("https://h/"), &lines(&["__Secure-s=1; Path=/"]));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn host_prefix_rules() {
        let mut jar = CookieJar::new();
        let r = jar.store(
            &url("https://h/"),
            &lines(&["__Host-a=1; Path=/; Secure; Domain=h"]),
        );
        assert_eq!(r[0].rejection, CookieRejection::InvalidHostPrefix);
        let r = jar.store(&url("https://h/"), &lines(&["__Host-a=1; Path=/x; Secure"]));
        assert_eq!(r[0].rejection, CookieRejection::InvalidHostPrefix);
        assert!(jar
            .store(&url("https://h/"), &lines(&["__Host-a=1; Path=/; Secure"]))
            .is_empty());
    }

    #[test]
    fn domain_attribute_must_match() {
        let mut jar = CookieJar::new();
        let r = jar.store(
            &url("https://127.0.0.1:8443/"),
            &lines(&["_deploykf_token=v; Path=/; Domain=deploykf.example.com"]),
        );
        assert_eq!(
            r[0].rejection,
            CookieRejection::DomainMismatch {
                domain: "deploykf.example.com".into()
            }
        );
        let r = jar.store(
            &url("https://kf.example.com/"),
            &lines(&["t=v; Path=/; Domain=example.com"]),
        );
        assert!(r.is_empty());
        assert!(jar.header_for(&url("https://other.example.com/")).is_some());
    }

    #[test]
    fn huge_and_negative_max_age_do_not_panic() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        // oidc-authservice's `int(20*time.Minute)` bug
        assert!(jar
            .store(
                &u,
                &lines(&["oidc_state_csrf=MTcx; Path=/; Max-Age=1200000000000"])
            )
            .is_empty());
        assert!(jar.header_for(&u).is_some());
        jar.store(&u, &lines(&["oidc_state_csrf=; Path=/; Max-Age=-1"]));
        assert!(jar.header_for(&u).is_none());
        for junk in [
            "",
            "=",
            ";;;",
            "a",
            "=v",
            "a=b; Expires=not a date",
            "a=b; Max-Age=x",
            "\u{0}=\u{1}",
            "a=b; Domain=..",
            "a=b; Path=",
        ] {
            let _ = jar.store(&u, &lines(&[junk]));
        }
    }

    #[test]
    fn import_header_scopes_to_host() {
        let mut jar = CookieJar::new();
        let u = url("https://kf.example.com/pipeline");
        let bad = jar.import_header(&u, "authservice_session=abc; other=x=y; ;broken");
        assert_eq!(bad, vec!["broken".to_string()]);
        assert_eq!(
            jar.header_for(&url("https://kf.example.com/pipeline/apis/v2beta1/x"))
                .unwrap()
                .len(),
            "authservice_session=abc; other=x=y".len()
        );
        assert!(jar.header_for(&url("https://evil.example.com/")).is_none());
    }

    #[test]
    fn limits_evict_the_oldest_and_refuse_giants() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        jar.store(&u, &lines(&["session=keep; Path=/"]));
        let flood: Vec<String> = (0..500).map(|i| format!("junk{i}=x; Path=/")).collect();
        for chunk in flood.chunks(100) {
            jar.store(&u, chunk);
        }
        let names = jar.names_for(&u);
        assert_eq!(names.len(), MAX_COOKIES_PER_DOMAIN);
        assert!(
            !names.contains(&"session".to_owned()),
            "the oldest went first"
        );
        assert!(names.contains(&"junk499".to_owned()));
        let giant = format!("big={}; Path=/", "v".repeat(MAX_COOKIE_BYTES));
        let r = jar.store(&u, &[giant]);
        assert_eq!(r[0].rejection, CookieRejection::TooLarge);
        // another domain has its own budget
        jar.store(&url("http://other/"), &lines(&["mine=1; Path=/"]));
        assert_eq!(jar.names_for(&url("http://other/")), ["mine"]);
    }

    #[test]
    fn debug_prints_names_only() {
        let mut jar = CookieJar::new();
        jar.store(
            &url("http://h/"),
            &lines(&["session=topsecretvalue; Path=/"]),
        );
        let printed = format!("{jar:?}");
        assert!(printed.contains("session"));
        assert!(!printed.contains("topsecretvalue"));
    }
    fn now_ms() -> i64 {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        i64::try_from(since.as_millis()).unwrap()
    }

    fn flood(jar: &mut CookieJar, u: &Url, tag: &str, count: usize) {
        let lines: Vec<String> = (0..count).map(|i| format!("{tag}{i}=x; Path=/")).collect();
        for chunk in lines.chunks(MAX_SET_COOKIE_LINES) {
            jar.store(u, chunk);
        }
    }

    #[test]
    fn user_cookies_are_pinned_but_the_server_may_refresh_them() {
        let mut jar = CookieJar::new();
        let u = url("http://h/pipeline");
        assert!(jar
            .import_header(&u, "session=fromuser; theme=dark")
            .is_empty());
        flood(&mut jar, &u, "junk", 1000);
        let names = jar.names_for(&u);
        assert_eq!(names.len(), MAX_COOKIES_PER_DOMAIN);
        assert!(
            names.contains(&"session".to_owned()) && names.contains(&"theme".to_owned()),
            "{names:?}"
        );
        assert!(jar.evicted().iter().all(|e| e.name.starts_with("junk")));
        // the gateway refreshes the session: same name, domain and path
        assert!(jar
            .store(&u, &lines(&["session=refreshed; Path=/; HttpOnly"]))
            .is_empty());
        flood(&mut jar, &u, "more", 1000);
        let header = jar.header_for(&u).unwrap();
        assert!(
            header.contains("session=refreshed") && !header.contains("fromuser"),
            "{header}"
        );
        // a cookie of the same name on another path is another cookie, and not pinned
        jar.store(&u, &lines(&["session=other; Path=/pipeline"]));
        flood(&mut jar, &u, "last", 1000);
        assert_eq!(
            jar.names_for(&u).iter().filter(|n| *n == "session").count(),
            1
        );
        // the server may still delete it
        jar.store(&u, &lines(&["session=; Path=/; Max-Age=0"]));
        assert!(!jar.names_for(&u).contains(&"session".to_owned()));
    }

    #[test]
    fn evictions_are_recorded() {
        let mut jar = CookieJar::new();
        let u = url("http://gw.example/");
        jar.store(&u, &lines(&["oauth2_proxy=s; Path=/"]));
        assert!(jar.evicted().is_empty());
        flood(&mut jar, &u, "junk", 600);
        let evicted = jar.evicted();
        assert_eq!(
            evicted[0],
            Evicted {
                name: "oauth2_proxy".into(),
                domain: "gw.example".into()
            }
        );
        assert_eq!(evicted.len(), MAX_EVICTED_RECORDED);
        jar.clear();
        assert!(jar.evicted().is_empty());
    }

    #[test]
    fn parsing_is_bounded() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        // only the first MAX_SET_COOKIE_LINES lines of a response are read
        let many: Vec<String> = (0..10_000).map(|i| format!("c{i}=x; Path=/")).collect();
        let started = std::time::Instant::now();
        jar.store(&u, &many);
        assert_eq!(jar.skipped_lines(), 10_000 - MAX_SET_COOKIE_LINES);
        let names = jar.names_for(&u);
        assert!(names.contains(&"c199".to_owned()) && !names.contains(&"c200".to_owned()));
        // a giant line is refused unread
        let giant = format!("big=v; Path=/{}", "; Comment=x".repeat(200_000));
        let r = jar.store(&u, &[giant]);
        assert_eq!(r[0].rejection, CookieRejection::TooLarge);
        assert_eq!(r[0].name, "big");
        // lines full of separators and attributes, and a header of 100k pairs
        let junk: Vec<String> = (0..MAX_SET_COOKIE_LINES)
            .map(|_| ";=".repeat(4000))
            .collect();
        jar.store(&u, &junk);
        let header: String = (0..100_000).map(|i| format!("p{i}=v; ")).collect();
        let bad = jar.import_header(&u, &header);
        assert_eq!(bad, ["p180"]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn export_and_import_restore_a_session() {
        let mut jar = CookieJar::new();
        let https = url("https://kf.example.com/pipeline");
        jar.import_header(&https, "user_given=u1");
        let r = jar.store(
            &url("https://kf.example.com/oauth2/callback"),
            &lines(&[
                "_oauth2_proxy=YWJj==|17|c2ln=; Path=/; Secure; HttpOnly; Max-Age=3600",
                "__Host-csrf=t; Path=/; Secure",
                "wide=w; Domain=example.com; Path=/",
                "scoped=s",
                "gone=g; Path=/; Max-Age=0",
            ]),
        );
        assert!(r.is_empty(), "{r:?}");
        let saved = jar.export();
        assert_eq!(
            saved.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            [
                "user_given",
                "_oauth2_proxy",
                "__Host-csrf",
                "wide",
                "scoped"
            ]
        );
        let proxy = &saved[1];
        assert_eq!(
            (proxy.domain.as_str(), proxy.path.as_str()),
            ("kf.example.com", "/")
        );
        assert!(proxy.secure && proxy.http_only && proxy.host_only && !proxy.pinned);
        let expires = proxy.expires.unwrap();
        assert!((expires - now_ms() - 3_600_000).abs() < 5_000, "{expires}");
        assert!(saved[0].pinned && saved[0].expires.is_none());
        assert!(!saved[3].host_only && saved[3].domain == "example.com");
        assert_eq!(saved[4].path, "/oauth2");

        let mut resumed = CookieJar::new();
        assert_eq!(resumed.import(&saved, now_ms()).unwrap(), 5);
        for target in [
            "https://kf.example.com/pipeline/apis",
            "https://kf.example.com/oauth2/x",
            "https://other.example.com/",
            "http://kf.example.com/",
        ] {
            let sorted = |jar: &CookieJar| {
                let mut names = jar.names_for(&url(target));
                names.sort();
                names
            };
            assert_eq!(sorted(&resumed), sorted(&jar), "{target}");
        }
        let again = resumed.export();
        for (a, b) in saved.iter().zip(&again) {
            assert_eq!(
                (
                    &a.name,
                    &a.value,
                    &a.domain,
                    &a.path,
                    a.secure,
                    a.http_only,
                    a.host_only,
                    a.pinned
                ),
                (
                    &b.name,
                    &b.value,
                    &b.domain,
                    &b.path,
                    b.secure,
                    b.http_only,
                    b.host_only,
                    b.pinned
                )
            );
            // kept to the second
            assert_eq!(
                a.expires.map(|t| t / 1000),
                b.expires.map(|t| t / 1000),
                "{}",
                a.name
            );
        }
        // restored user cookies are still pinned
        flood(&mut resumed, &https, "junk", 400);
        assert!(resumed.names_for(&https).contains(&"user_given".to_owned()));
    }

    #[test]
    fn import_drops_expired_cookies_and_refuses_broken_ones() {
        let cookie = |name: &str, value: &str, expires: Option<i64>| ExportedCookie {
            name: name.into(),
            value: Secret::new(value),
            domain: "h".into(),
            path: "/".into(),
            expires,
            secure: false,
            http_only: false,
            host_only: true,
            pinned: false,
        };
        let now = now_ms();
        let mut jar = CookieJar::new();
        let restored = jar
            .import(
                &[
                    cookie("old", "1", Some(now - 1)),
                    cookie("live", "2", Some(now + 60_000)),
                    cookie("session", "3", None),
                ],
                now,
            )
            .unwrap();
        assert_eq!(restored, 2);
        let mut names = jar.names_for(&url("http://h/"));
        names.sort();
        assert_eq!(names, ["live", "session"]);
        for broken in [
            cookie("", "v", None),
            cookie("a;b", "v", None),
            cookie("n", "v; Domain=evil", None),
            cookie("n", "v\r\nX: y", None),
            ExportedCookie {
                path: "nope".into(),
                ..cookie("n", "v", None)
            },
            ExportedCookie {
                domain: "h/x".into(),
                ..cookie("n", "v", None)
            },
            cookie("n", &"v".repeat(MAX_COOKIE_BYTES), None),
        ] {
            let e = jar
                .import(&[cookie("fine", "f", None), broken], now)
                .unwrap_err();
            assert!(
                matches!(&e, Error::InvalidArgValue { name, .. } if name == "cookies[1]"),
                "{e:?}"
            );
            // nothing was restored
            assert!(!jar
                .names_for(&url("http://h/"))
                .contains(&"fine".to_owned()));
        }
        // the far future survives the round trip
        jar.store(
            &url("http://h/"),
            &lines(&["forever=1; Path=/; Max-Age=1200000000000"]),
        );
        let saved = jar.export();
        let mut other = CookieJar::new();
        assert_eq!(other.import(&saved, now).unwrap(), 3);
    }

    #[test]
    fn exported_cookies_do_not_print_their_value() {
        let mut jar = CookieJar::new();
        jar.store(
            &url("http://h/"),
            &lines(&["session=topsecretvalue; Path=/"]),
        );
        let printed = format!("{:?}", jar.export());
        assert!(
            printed.contains("session") && printed.contains("[redacted]"),
            "{printed}"
        );
        assert!(!printed.contains("topsecretvalue"));
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(784_111_777_000), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(951_782_400_999), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(http_date(i64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
    }

    #[test]
    fn control_characters_are_refused_and_exports_import_back() {
        let url = Url::parse("http://ml-pipeline-ui.kubeflow/").unwrap();
        let mut jar = CookieJar::new();
        let refused = jar.store(
            &url,
            &[
                "\u{14}!=".to_owned(),
                "a=\u{1}b".to_owned(),
                "\u{7f}x=1".to_owned(),
            ],
        );
        assert_eq!(refused.len(), 3, "{refused:?}");
        assert!(jar.is_empty());
        jar.store(
            &url,
            &["\u{82}=".to_owned(), "t=a\tb".to_owned(), "ok=1".to_owned()],
        );
        assert!(CookieJar::new().import(&jar.export(), 0).is_ok());
        assert_eq!(
            jar.header_for(&url).as_deref().map(|h| h.contains("ok=1")),
            Some(true)
        );
    }
}
