//! The per-client cookie jar (RFC 6265, with the RFC 6265bis rules browsers apply).
//!
//! Self-contained, for size (no `cookie`, `cookie_store` or `time` crate):
//! - `Set-Cookie` parsing (RFC 6265 §5.2): `name=value` (a line without `=`, or with an empty
//!   name, is refused as malformed), then `Expires` (dates by the §5.1.1 algorithm), `Max-Age`
//!   (wins over `Expires`; zero or less deletes), `Domain` (leading dot dropped, lowercased),
//!   `Path`, `Secure` and `HttpOnly`; other attributes are ignored. Names and values are
//!   trimmed of whitespace and kept as sent, quotes included;
//! - domain matching (§5.1.3; an IP address only matches itself), default paths and path
//!   matching (§5.1.4);
//! - the storage model (§5.3): a cookie replaces the one of the same name, domain and path and
//!   keeps its creation time; an expired one deletes its namesake. `HttpOnly` is recorded but
//!   changes nothing, as every request here is an HTTP one;
//! - the `Cookie` header (§5.4): longer paths first, then older cookies first.
//!
//! No public suffix list is consulted (as before, with `cookie_store` built without it): a
//! gateway may set `Domain=com`. The jar belongs to one client, so such a cookie only reaches
//! the hosts that client calls.
//!
//! On top of RFC 6265 the jar adds what the login flow needs to explain failures:
//! - a `Secure` cookie (or a `__Secure-`/`__Host-` name) is only accepted from a secure origin:
//!   https, or loopback (`localhost`, `127.0.0.0/8`, `::1`), as browsers do
//!   (RFC 6265bis §5.7 steps 8, 16 and 17), and only sent to one;
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
//! Expiry is judged by [`crate::core::time::now_ms`]. `Debug` prints cookie names only, never
//! values.

use std::fmt;

use url::{Host, Url};

use crate::core::error::{CookieRejection, Error, Result};
use crate::core::secret::Secret;
use crate::core::time::{civil_from_days, days_from_civil, now_ms};

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

/// 9999-12-31T23:59:59Z in milliseconds: the latest expiry kept (a later one is clamped).
const MAX_EXPIRY_MS: i64 = 253_402_300_799_000;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

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

impl ExportedCookie {
    fn live(&self, now: i64) -> bool {
        self.expires.map_or(true, |at| at > now)
    }
}

#[derive(Default, Clone)]
pub struct CookieJar {
    /// Oldest first. A replaced cookie keeps its place, as it keeps its creation time
    /// (RFC 6265 §5.3 step 11.3), so this is the order of creation: of eviction, of equal
    /// paths in the `Cookie` header, and of [`CookieJar::export`].
    cookies: Vec<ExportedCookie>,
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
        self.store_at(url, set_cookie_lines, now_ms())
    }

    /// [`CookieJar::store`] at `now` (milliseconds since the Unix epoch).
    fn store_at(&mut self, url: &Url, set_cookie_lines: &[String], now: i64) -> Vec<Rejected> {
        self.drop_expired(now);
        let mut rejected = Vec::new();
        for line in set_cookie_lines.iter().take(MAX_SET_COOKIE_LINES) {
            if let Err((name, rejection)) = self.store_one(url, line, now, false) {
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

    fn drop_expired(&mut self, now: i64) {
        self.cookies.retain(|c| c.live(now));
    }

    /// Evicts the oldest unpinned cookies past the per-domain and total limits.
    fn enforce_limits(&mut self) {
        if self.cookies.len() <= MAX_COOKIES_PER_DOMAIN {
            return;
        }
        // (domain, cookies) sorted by domain, for binary search.
        let mut per_domain: Vec<(&str, usize)> = Vec::new();
        for c in &self.cookies {
            match per_domain.binary_search_by(|(d, _)| (*d).cmp(c.domain.as_str())) {
                Ok(i) => {
                    if let Some((_, n)) = per_domain.get_mut(i) {
                        *n += 1;
                    }
                }
                Err(i) => per_domain.insert(i, (&c.domain, 1)),
            }
        }
        let mut total = self.cookies.len();
        let keep: Vec<bool> = self
            .cookies
            .iter()
            .map(|c| {
                let slot = per_domain
                    .binary_search_by(|(d, _)| (*d).cmp(c.domain.as_str()))
                    .ok()
                    .and_then(|i| per_domain.get_mut(i));
                // Every cookie's domain was counted above.
                let Some((_, count)) = slot else {
                    return true;
                };
                let evict = !c.pinned && (*count > MAX_COOKIES_PER_DOMAIN || total > MAX_COOKIES);
                if evict {
                    *count = count.saturating_sub(1);
                    total = total.saturating_sub(1);
                }
                !evict
            })
            .collect();
        let mut keep = keep.into_iter();
        let recorded = &mut self.evicted;
        self.cookies.retain(|c| {
            let kept = keep.next().unwrap_or(true);
            if !kept && recorded.len() < MAX_EVICTED_RECORDED {
                let evicted = Evicted {
                    name: c.name.clone(),
                    domain: c.domain.clone(),
                };
                if !recorded.contains(&evicted) {
                    recorded.push(evicted);
                }
            }
            kept
        });
    }

    /// Stores one `Set-Cookie` line received from `url` at `now` (RFC 6265 §5.3), pinned when
    /// `pin` (a replaced pinned cookie stays pinned). Gives false when it only deleted (or was
    /// already expired).
    fn store_one(
        &mut self,
        url: &Url,
        line: &str,
        now: i64,
        pin: bool,
    ) -> Result<bool, (String, CookieRejection)> {
        if line.len() > MAX_SET_COOKIE_LINE_BYTES {
            return Err((cookie_name(line), CookieRejection::TooLarge));
        }
        let c = parse_set_cookie(line, now)
            .ok_or_else(|| (cookie_name(line), CookieRejection::Malformed))?;
        let name = c.name;
        // RFC 6265bis §5.6 step 4: a name or value with a control character (other than tab) is
        // ignored; sent back, it would make every later request fail in fetch.
        if has_forbidden_control(name) || has_forbidden_control(c.value) {
            return Err((
                name.escape_default().take(64).collect(),
                CookieRejection::Malformed,
            ));
        }
        if name.len() + c.value.len() > MAX_COOKIE_BYTES {
            return Err((name.chars().take(64).collect(), CookieRejection::TooLarge));
        }
        let refuse = |rejection| Err((name.to_owned(), rejection));
        let secure_origin = is_secure_origin(url);
        if c.secure && !secure_origin {
            return refuse(CookieRejection::SecureOverHttp);
        }
        if name.starts_with("__Secure-") && !(c.secure && secure_origin) {
            return refuse(CookieRejection::SecureOverHttp);
        }
        if name.starts_with("__Host-") {
            if !(c.secure && secure_origin) {
                return refuse(CookieRejection::SecureOverHttp);
            }
            if c.domain.is_some() || c.path != Some("/") {
                return refuse(CookieRejection::InvalidHostPrefix);
            }
        }
        let Some(host) = url.host_str() else {
            return refuse(CookieRejection::Malformed);
        };
        // §5.3 steps 4-6: a Domain must domain-match the host; without one the cookie is
        // host-only.
        let (domain, host_only) = match c.domain.filter(|d| !d.is_empty()) {
            Some(d) => {
                let d = d.to_ascii_lowercase();
                if !domain_matches(url, &d) {
                    return refuse(CookieRejection::DomainMismatch { domain: d });
                }
                (d, false)
            }
            None => (host.to_owned(), true),
        };
        let path = c.path.unwrap_or_else(|| default_path(url));
        let old = self
            .cookies
            .iter()
            .position(|o| o.name == name && o.domain == domain && o.path == path);
        if c.expires.is_some_and(|at| at <= now) {
            if let Some(i) = old {
                self.cookies.remove(i);
            }
            return Ok(false);
        }
        let mut cookie = ExportedCookie {
            name: name.to_owned(),
            value: Secret::new(c.value),
            domain,
            path: path.to_owned(),
            expires: c.expires,
            secure: c.secure,
            http_only: c.http_only,
            host_only,
            pinned: pin,
        };
        match old.and_then(|i| self.cookies.get_mut(i)) {
            Some(slot) => {
                cookie.pinned |= slot.pinned;
                *slot = cookie;
            }
            None => self.cookies.push(cookie),
        }
        Ok(true)
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
        let now = now_ms();
        self.drop_expired(now);
        let mut bad = Vec::new();
        let pairs = header.split(';').map(str::trim).filter(|p| !p.is_empty());
        for (read, pair) in pairs.enumerate() {
            if read == MAX_COOKIES_PER_DOMAIN {
                bad.push(cookie_name(pair));
                break;
            }
            let stored = match pair.split_once('=') {
                Some((name, _)) if !name.trim().is_empty() => {
                    self.store_one(url, &format!("{pair}; Path=/"), now, true)
                }
                _ => Ok(false),
            };
            if stored != Ok(true) {
                bad.push(cookie_name(pair));
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

    /// The unexpired cookies, oldest first.
    fn live(&self) -> impl Iterator<Item = &ExportedCookie> {
        let now = now_ms();
        self.cookies.iter().filter(move |c| c.live(now))
    }

    /// Every unexpired cookie, oldest first, for saving the session. The values are
    /// [`Secret`]s: keep what this returns out of logs.
    pub fn export(&self) -> Vec<ExportedCookie> {
        self.live().cloned().collect()
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
        next.drop_expired(now);
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
            match next.store_one(&url, &line, now, cookie.pinned) {
                Ok(true) => restored += 1,
                // Expired within the second its expiry time was rounded down to.
                Ok(false) => {}
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
        self.header_at(url, now_ms())
    }

    /// [`CookieJar::header_for`] at `now` (RFC 6265 §5.4): `name=value` pairs joined by `"; "`.
    fn header_at(&self, url: &Url, now: i64) -> Option<String> {
        let mut header = String::new();
        for c in self.matching(url, now) {
            if !header.is_empty() {
                header.push_str("; ");
            }
            header.push_str(&c.name);
            header.push('=');
            header.push_str(c.value.expose());
        }
        (!header.is_empty()).then_some(header)
    }

    /// The cookies to send to `url` at `now`, in `Cookie` header order (RFC 6265 §5.4 step 2):
    /// longer paths first, then older cookies first.
    fn matching(&self, url: &Url, now: i64) -> Vec<&ExportedCookie> {
        let secure = is_secure_origin(url);
        let found: Vec<&ExportedCookie> = self
            .cookies
            .iter()
            .filter(|c| {
                c.live(now)
                    && (secure || !c.secure)
                    && path_matches(url.path(), &c.path)
                    && if c.host_only {
                        url.host_str() == Some(c.domain.as_str())
                    } else {
                        domain_matches(url, &c.domain)
                    }
            })
            .collect();
        // A stable sort by path length, longest first, in one pass per length: the paths all
        // path-match the request's, so there are few lengths.
        let mut sorted = Vec::with_capacity(found.len());
        let mut below = usize::MAX;
        while let Some(len) = found
            .iter()
            .map(|c| c.path.len())
            .filter(|&l| l < below)
            .max()
        {
            sorted.extend(found.iter().filter(|c| c.path.len() == len));
            below = len;
        }
        sorted
    }

    /// Names of the unexpired cookies that would be sent to `url`.
    pub fn names_for(&self, url: &Url) -> Vec<String> {
        self.matching(url, now_ms())
            .into_iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// The values of all unexpired cookies: what error messages must never quote.
    pub fn values(&self) -> Vec<String> {
        self.live()
            .map(|c| c.value.expose().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Names of all unexpired cookies, with their domain.
    pub fn names(&self) -> Vec<(String, String)> {
        self.live()
            .map(|c| (c.domain.clone(), c.name.clone()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.live().next().is_none()
    }

    pub fn clear(&mut self) {
        self.cookies.clear();
        self.evicted.clear();
        self.skipped_lines = 0;
    }
}

/// A parsed `Set-Cookie` line (RFC 6265 §5.2), its attributes resolved: the last valid one of
/// each kind counts.
struct SetCookie<'a> {
    name: &'a str,
    value: &'a str,
    /// From `Max-Age` if any, else `Expires`: milliseconds since the Unix epoch.
    expires: Option<i64>,
    /// Without its leading dot; not yet lowercased, maybe empty (`Domain=.`).
    domain: Option<&'a str>,
    /// `None` when absent or not starting with `/`: the default path applies (§5.2.4).
    path: Option<&'a str>,
    secure: bool,
    http_only: bool,
}

/// Parses a `Set-Cookie` line received at `now` (RFC 6265 §5.2). `None` without a `=` in the
/// name-value pair or with an empty name.
fn parse_set_cookie(line: &str, now: i64) -> Option<SetCookie<'_>> {
    let mut parts = line.split(';');
    let (name, value) = parts.next()?.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut c = SetCookie {
        name,
        value: value.trim(),
        expires: None,
        domain: None,
        path: None,
        secure: false,
        http_only: false,
    };
    let mut max_age = None;
    for attr in parts {
        let (key, value) = attr.split_once('=').unwrap_or((attr, ""));
        let (key, value) = (key.trim(), value.trim());
        if key.eq_ignore_ascii_case("expires") {
            if let Some(at) = parse_cookie_date(value) {
                c.expires = Some(at);
            }
        } else if key.eq_ignore_ascii_case("max-age") {
            if let Some(at) = max_age_expiry(value, now) {
                max_age = Some(at);
            }
        } else if key.eq_ignore_ascii_case("domain") {
            // §5.2.3: an empty value is ignored
            if !value.is_empty() {
                c.domain = Some(value.strip_prefix('.').unwrap_or(value));
            }
        } else if key.eq_ignore_ascii_case("path") {
            c.path = value.starts_with('/').then_some(value);
        } else if key.eq_ignore_ascii_case("secure") {
            c.secure = true;
        } else if key.eq_ignore_ascii_case("httponly") {
            c.http_only = true;
        }
    }
    // §5.3 step 3: Max-Age wins over Expires
    c.expires = max_age.or(c.expires);
    Some(c)
}

/// The expiry time a `Max-Age` value sets at `now` (RFC 6265 §5.2.2): `None` unless it is
/// digits with an optional leading `-`; the earliest time for zero or less; clamped to
/// 9999-12-31 however large.
fn max_age_expiry(value: &str, now: i64) -> Option<i64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds = digits.bytes().fold(0i64, |n, b| {
        n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    });
    if seconds == 0 || digits.len() < value.len() {
        return Some(i64::MIN);
    }
    Some(
        now.saturating_add(seconds.saturating_mul(1000))
            .min(MAX_EXPIRY_MS),
    )
}

/// A cookie date (RFC 6265 §5.1.1), as `Expires` takes it, in milliseconds since the Unix
/// epoch. Lenient as browsers are: the first tokens that look like a time, a day of the month,
/// a month and a year are taken, in any order, and anything else is skipped; two-digit years
/// are 1970-2069. `None` when one is missing or out of range, or the date does not exist.
fn parse_cookie_date(s: &str) -> Option<i64> {
    let delimiter = |c: char| matches!(c, '\t' | ' '..='/' | ';'..='@' | '['..='`' | '{'..='~');
    let (mut time, mut day, mut month, mut year) = (None, None, None, None);
    for token in s.split(delimiter).filter(|t| !t.is_empty()) {
        if time.is_none() {
            if let Some(t) = hms(token) {
                time = Some(t);
                continue;
            }
        }
        if day.is_none() {
            if let Some((d, _)) = leading_number(token, 1, 2) {
                day = Some(d);
                continue;
            }
        }
        if month.is_none() {
            let prefix = token.get(..3).unwrap_or_default();
            if let Some(m) = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(prefix)) {
                month = Some(m as i64 + 1);
                continue;
            }
        }
        if year.is_none() {
            if let Some((y, _)) = leading_number(token, 2, 4) {
                year = Some(y);
            }
        }
    }
    let ((hour, minute, second), day, month, year) = (time?, day?, month?, year?);
    let year = match year {
        0..=69 => year + 2000,
        70..=99 => year + 1900,
        _ => year,
    };
    if year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    Some((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000)
}

/// `hh:mm:ss` at the start of a date token, each field one or two digits (RFC 6265 §5.1.1
/// `hms-time`).
fn hms(token: &str) -> Option<(i64, i64, i64)> {
    let (hour, rest) = leading_number(token, 1, 2)?;
    let (minute, rest) = leading_number(rest.strip_prefix(':')?, 1, 2)?;
    let (second, _) = leading_number(rest.strip_prefix(':')?, 1, 2)?;
    Some((hour, minute, second))
}

/// The `min..=max` ASCII digits `s` starts with (not followed by another digit), as a number,
/// and what follows them.
fn leading_number(s: &str, min: usize, max: usize) -> Option<(i64, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    let (digits, rest) = s.split_at_checked(n)?;
    let value = digits.bytes().fold(0, |v, b| v * 10 + i64::from(b - b'0'));
    Some((value, rest))
}

/// RFC 6265 §5.1.3: `domain` (lowercase) is the URL's host, or a parent domain of a host
/// name (on a label boundary: `example.com` matches `a.example.com`, not `badexample.com`).
/// An IP address only matches itself.
fn domain_matches(url: &Url, domain: &str) -> bool {
    match url.host() {
        Some(Host::Domain(host)) => {
            host == domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|sub| sub.ends_with('.'))
        }
        Some(_) => url.host_str() == Some(domain),
        None => false,
    }
}

/// RFC 6265 §5.1.4: the default path of a cookie set by `url`, the directory of its path
/// (`/` for `/` or `/name`).
fn default_path(url: &Url) -> &str {
    let path = url.path();
    match path.rfind('/') {
        Some(i) if i > 0 && path.starts_with('/') => path.get(..i).unwrap_or("/"),
        _ => "/",
    }
}

/// RFC 6265 §5.1.4: `request` path-matches `cookie`: equal, or `cookie` is a directory of it
/// (`/foo` matches `/foo/bar`, not `/foobar`).
fn path_matches(request: &str, cookie: &str) -> bool {
    request
        .strip_prefix(cookie)
        .is_some_and(|rest| rest.is_empty() || cookie.ends_with('/') || rest.starts_with('/'))
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
    let secs = at.div_euclid(1000).clamp(0, MAX_EXPIRY_MS / 1000);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
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

    /// A fixed clock for the tests below: 2023-11-14T22:13:20Z.
    const NOW: i64 = 1_700_000_000_000;

    #[test]
    fn cookie_dates() {
        const RFC_1123: i64 = 784_111_777_000;
        for (date, ms) in [
            ("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_480_000),
            ("Sun, 06 Nov 1994 08:49:37 GMT", RFC_1123),
            ("Sunday, 06-Nov-94 08:49:37 GMT", RFC_1123),
            ("Sun Nov  6 08:49:37 1994", RFC_1123),
            ("Sun, 06-Nov-1994 08:49:37 GMT", RFC_1123),
            ("6 november 1994 8:49:37", RFC_1123),
            ("08:49:37 1994 Nov 06", RFC_1123),
            ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
            ("01 Jan 70 00:00:00", 0),
            ("01 Jan 99 00:00:00", 915_148_800_000),
            ("01 Jan 00 00:00:00", 946_684_800_000),
            ("01 Jan 69 00:00:00", 3_124_224_000_000),
            ("Tue, 29 Feb 2000 00:00:00 GMT", 951_782_400_000),
            ("01 Jan 1601 00:00:00", -11_644_473_600_000),
            ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_EXPIRY_MS),
        ] {
            assert_eq!(parse_cookie_date(date), Some(ms), "{date}");
        }
        for invalid in [
            "",
            "not a date",
            "Wed, 21 Oct 2015",
            "21 Oct 07:28:00",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "Wed, 32 Oct 2015 07:28:00 GMT",
            "Wed, 00 Oct 2015 07:28:00 GMT",
            "Mon, 30 Feb 2015 07:28:00 GMT",
            "Thu, 29 Feb 1900 00:00:00 GMT",
            "01 Jan 1600 00:00:00",
            "01 Jan 2015 24:00:00",
            "01 Jan 2015 00:60:00",
            "01 Jan 2015 00:00:60",
            "01 Jan 2015 000:00:00",
            "01 Jan 20155 00:00:00",
            "001 Jan 2015 00:00:00",
        ] {
            assert_eq!(parse_cookie_date(invalid), None, "{invalid}");
        }
        // every date written for an export reads back
        for at in [0, NOW, RFC_1123, MAX_EXPIRY_MS] {
            assert_eq!(parse_cookie_date(&http_date(at)), Some(at));
        }
    }

    #[test]
    fn max_age_wins_over_expires() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        let r = jar.store_at(
            &u,
            &lines(&[
                "a=1; Path=/; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                "b=2; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60",
                "c=3; Path=/; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
                "d=4; Path=/; Max-Age=-5",
                "e=5; Path=/; Max-Age=soon; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
                "f=6; Path=/; Expires=soon; Max-Age=1",
                "g=7; Path=/; Max-Age=99999999999999999999999",
            ]),
            NOW,
        );
        assert!(r.is_empty(), "{r:?}");
        let expires: Vec<(String, Option<i64>)> = jar
            .cookies
            .iter()
            .map(|c| (c.name.clone(), c.expires))
            .collect();
        assert_eq!(
            expires,
            [
                ("a".into(), Some(NOW + 60_000)),
                ("b".into(), Some(NOW + 60_000)),
                ("e".into(), Some(4_102_444_800_000)),
                ("f".into(), Some(NOW + 1000)),
                ("g".into(), Some(MAX_EXPIRY_MS)),
            ]
        );
        assert_eq!(
            jar.header_at(&u, NOW + 999).as_deref(),
            Some("a=1; b=2; e=5; f=6; g=7")
        );
        assert_eq!(jar.header_at(&u, NOW + 60_000).as_deref(), Some("e=5; g=7"));
        // a later store drops what has expired by then
        jar.store_at(&u, &[], NOW + 60_000);
        assert_eq!(jar.cookies.len(), 2);
    }

    #[test]
    fn domains_match_on_label_boundaries() {
        let mut jar = CookieJar::new();
        let r = jar.store_at(
            &url("http://a.example.com/"),
            &lines(&["wide=1; Path=/; Domain=.EXAMPLE.com", "host=2; Path=/"]),
            NOW,
        );
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(
            (jar.cookies[0].domain.as_str(), jar.cookies[0].host_only),
            ("example.com", false)
        );
        let names = |u: &str| jar.matching(&url(u), NOW).len();
        assert_eq!(names("http://example.com/"), 1);
        assert_eq!(names("http://b.a.example.com/"), 1);
        assert_eq!(names("http://a.example.com/"), 2);
        assert_eq!(names("http://badexample.com/"), 0);
        assert_eq!(names("http://example.com.evil/"), 0);
        assert!(domain_matches(&url("http://example.com/"), "example.com"));
        assert!(!domain_matches(
            &url("http://badexample.com/"),
            "example.com"
        ));
        assert!(!domain_matches(
            &url("http://example.com/"),
            "a.example.com"
        ));
        // a Domain is checked against the host that sent it
        let r = jar.store_at(
            &url("http://badexample.com/"),
            &lines(&["x=1; Domain=example.com"]),
            NOW,
        );
        assert_eq!(
            r[0].rejection,
            CookieRejection::DomainMismatch {
                domain: "example.com".into()
            }
        );
        // an IP address only accepts itself as Domain, and `Domain=.` means host-only
        let ip = url("http://10.0.0.1/");
        let r = jar.store_at(
            &ip,
            &lines(&["i=1; Domain=10.0.0.1", "j=2; Domain=0.0.1", "k=3; Domain=."]),
            NOW,
        );
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].name, "j");
        assert_eq!(jar.header_at(&ip, NOW).as_deref(), Some("i=1; k=3"));
        assert!(jar.cookies.iter().any(|c| c.name == "k" && c.host_only));
    }

    #[test]
    fn default_paths_and_path_matching() {
        for (request, path) in [
            ("http://h", "/"),
            ("http://h/", "/"),
            ("http://h/foo", "/"),
            ("http://h/foo/", "/foo"),
            ("http://h/foo/bar?x=/y", "/foo"),
            ("http://h/foo/bar/baz", "/foo/bar"),
            ("http://h//foo", "/"),
            ("http://h/foo//", "/foo/"),
        ] {
            assert_eq!(default_path(&url(request)), path, "{request}");
        }
        assert!(path_matches("/foo", "/foo"));
        assert!(path_matches("/foo/bar", "/foo"));
        assert!(path_matches("/foo/bar", "/foo/"));
        assert!(path_matches("/foo/bar", "/"));
        assert!(!path_matches("/foobar", "/foo"));
        assert!(!path_matches("/fo", "/foo"));
        assert!(!path_matches("/", "/foo"));
        // a Path that does not start with `/` is the default path
        let mut jar = CookieJar::new();
        jar.store_at(
            &url("http://h/a/b"),
            &lines(&["p=1; Path=x", "q=2; Path=", "r=3; Path=/a; Path=y"]),
            NOW,
        );
        assert!(jar.cookies.iter().all(|c| c.path == "/a"));
    }

    #[test]
    fn header_order_is_longer_paths_then_older_cookies() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        jar.store_at(
            &u,
            &lines(&[
                "a=1; Path=/",
                "b=2; Path=/x/y",
                "c=3; Path=/x",
                "d=4; Path=/",
                "e=5; Path=/x/",
                "f=6; Path=/z",
            ]),
            NOW,
        );
        assert_eq!(
            jar.header_at(&url("http://h/x/y/z"), NOW).as_deref(),
            Some("b=2; e=5; c=3; a=1; d=4")
        );
        assert_eq!(
            jar.header_at(&url("http://h/x"), NOW).as_deref(),
            Some("c=3; a=1; d=4")
        );
        assert_eq!(jar.header_at(&url("http://other/"), NOW), None);
    }

    #[test]
    fn replacing_keeps_the_creation_time() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        jar.store_at(&u, &lines(&["a=1; Path=/", "b=2; Path=/"]), NOW);
        jar.store_at(&url("https://h/"), &lines(&["a=3; Path=/; Secure"]), NOW);
        assert_eq!(jar.header_at(&u, NOW).as_deref(), Some("b=2"));
        assert_eq!(
            jar.header_at(&url("https://h/"), NOW).as_deref(),
            Some("a=3; b=2")
        );
        jar.store_at(&u, &lines(&["a=3; Path=/; HttpOnly"]), NOW);
        assert_eq!(jar.header_at(&u, NOW).as_deref(), Some("a=3; b=2"));
        assert!(jar.cookies[0].http_only);
        // a cookie deleted and set again is a new one
        jar.store_at(&u, &lines(&["a=; Path=/; Max-Age=0", "a=4; Path=/"]), NOW);
        assert_eq!(jar.header_at(&u, NOW).as_deref(), Some("b=2; a=4"));
        // the same name on another path, or for another domain, is another cookie
        jar.store_at(&u, &lines(&["a=5; Path=/x", "a=6; Domain=h; Path=/"]), NOW);
        assert_eq!(
            jar.header_at(&url("http://h/x"), NOW).as_deref(),
            Some("a=5; b=2; a=6")
        );
    }

    #[test]
    fn attributes_are_case_insensitive_and_unknown_ones_ignored() {
        let mut jar = CookieJar::new();
        let r = jar.store_at(
            &url("https://h/a/b"),
            &lines(&[
                " s = \"quoted v\" ; PATH=/ ; secure ; HTTPONLY ; SameSite=Lax; Partitioned; x",
                "=v",
                "novalue",
            ]),
            NOW,
        );
        assert_eq!(
            r.iter().map(|r| &r.rejection).collect::<Vec<_>>(),
            [&CookieRejection::Malformed, &CookieRejection::Malformed]
        );
        let c = &jar.cookies[0];
        assert_eq!(
            (c.name.as_str(), c.value.expose(), c.path.as_str()),
            ("s", "\"quoted v\"", "/")
        );
        assert!(c.secure && c.http_only && c.host_only && c.expires.is_none());
        // Secure cookies go to secure origins only
        assert!(jar.header_at(&url("http://h/"), NOW).is_none());
        assert!(jar.header_at(&url("https://h/"), NOW).is_some());
    }
}
