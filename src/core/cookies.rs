//! The per-client cookie jar (RFC 6265, with the RFC 6265bis rules browsers apply).
//!
//! Storage, domain and path matching, host-only cookies, expiry and deletion come from the
//! maintained `cookie_store` crate. On top of it this module adds what it leaves out and what
//! the login flow needs to explain failures:
//! - a `Secure` cookie (or a `__Secure-`/`__Host-` name) is only accepted from a secure origin:
//!   https, or loopback (`localhost`, `127.0.0.0/8`, `::1`), as browsers do
//!   (RFC 6265bis §5.7 steps 8, 16 and 17);
//! - every refusal is reported with its reason, so the login can say what to change
//!   (`research/dex-login-flows.md` §5: Secure cookies over http, Domain mismatches).
//!
//! `Debug` prints cookie names only, never values.

use std::collections::HashMap;
use std::fmt;

use cookie_store::{Cookie as StoredCookie, CookieError, CookieStore, RawCookie, StoreAction};
use url::{Host, Url};

use crate::core::error::CookieRejection;

/// A `Set-Cookie` the jar refused, with the reason. Holds no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub name: String,
    pub host: String,
    pub rejection: CookieRejection,
}

/// Browser limits (RFC 6265 §6.1 asks for at least 4096 bytes per cookie and 50 per domain;
/// Chromium keeps 180 per domain and 3300 in all). Past them the oldest cookies go, so a
/// hostile server cannot grow the jar, or our requests, without bound.
pub const MAX_COOKIE_BYTES: usize = 4096;
pub const MAX_COOKIES_PER_DOMAIN: usize = 180;
pub const MAX_COOKIES: usize = 3000;

type CookieKey = (String, String, String);

#[derive(Default, Clone)]
pub struct CookieJar {
    store: CookieStore,
    /// When each (domain, path, name) was first stored, for evicting the oldest.
    born: HashMap<CookieKey, u64>,
    clock: u64,
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

    /// Stores every `Set-Cookie` line received from `url`. Returns the ones refused.
    /// Expired cookies delete their stored namesakes, as RFC 6265 §5.3 step 11 says.
    pub fn store(&mut self, url: &Url, set_cookie_lines: &[String]) -> Vec<Rejected> {
        let mut rejected = Vec::new();
        for line in set_cookie_lines {
            if let Err((name, rejection)) = self.store_one(url, line) {
                rejected.push(Rejected {
                    name,
                    host: url.host_str().unwrap_or_default().to_owned(),
                    rejection,
                });
            }
        }
        self.enforce_limits();
        rejected
    }

    /// Evicts the oldest cookies past the per-domain and total limits.
    fn enforce_limits(&mut self) {
        let keys: Vec<CookieKey> = self.store.iter_unexpired().map(key_of).collect();
        if self.born.len() > 2 * keys.len() + 64 {
            let live: std::collections::HashSet<&CookieKey> = keys.iter().collect();
            self.born.retain(|k, _| live.contains(k));
        }
        if keys.len() <= MAX_COOKIES_PER_DOMAIN {
            return;
        }
        let mut by_age: Vec<(u64, &CookieKey)> = keys.iter().map(|k| (self.born.get(k).copied().unwrap_or(0), k)).collect();
        by_age.sort();
        let mut per_domain: HashMap<&str, usize> = HashMap::new();
        for (_, (domain, _, _)) in &by_age {
            *per_domain.entry(domain.as_str()).or_default() += 1;
        }
        let mut total = by_age.len();
        let mut evict = Vec::new();
        for (_, key) in &by_age {
            let count = per_domain.entry(key.0.as_str()).or_default();
            if *count > MAX_COOKIES_PER_DOMAIN || total > MAX_COOKIES {
                *count -= 1;
                total -= 1;
                evict.push((*key).clone());
            }
        }
        for (domain, path, name) in &evict {
            self.store.remove(domain, path, name);
        }
    }

    fn store_one(&mut self, url: &Url, line: &str) -> Result<(), (String, CookieRejection)> {
        let cookie = RawCookie::parse(line.to_owned())
            .map_err(|_| (cookie_name(line), CookieRejection::Malformed))?;
        let name = cookie.name().to_owned();
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
            CookieError::DomainMismatch => CookieRejection::DomainMismatch { domain: domain.clone().unwrap_or_default() },
            _ => CookieRejection::Malformed,
        };
        let stored = StoredCookie::try_from_raw_cookie(&cookie, url).map_err(|e| (name.clone(), refused(e)))?.into_owned();
        let key = key_of(&stored);
        match self.store.insert(stored, url) {
            Ok(StoreAction::Inserted) => {
                self.clock += 1;
                self.born.insert(key, self.clock);
                Ok(())
            }
            Ok(_) | Err(CookieError::Expired) => Ok(()),
            Err(e) => Err((name, refused(e))),
        }
    }

    /// Adds cookies given as a `Cookie` header string (`"a=1; b=2"`) for `url`'s host, path `/`.
    /// Used by the `cookies` auth type. Returns the names that could not be parsed.
    pub fn import_header(&mut self, url: &Url, header: &str) -> Vec<String> {
        let mut bad = Vec::new();
        for pair in header.split(';') {
            let pair = pair.trim();
            if pair.is_empty() {
                continue;
            }
            let ok = match pair.split_once('=') {
                Some((name, _)) if !name.trim().is_empty() => {
                    let line = format!("{pair}; Path=/");
                    self.store_one(url, &line).is_ok()
                }
                _ => false,
            };
            if !ok {
                bad.push(cookie_name(pair));
            }
        }
        bad
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
        self.store.matches(url).iter().map(|c| c.name().to_owned()).collect()
    }

    /// The values of all unexpired cookies: what error messages must never quote.
    pub fn values(&self) -> Vec<String> {
        self.store.iter_unexpired().map(|c| c.value().to_owned()).filter(|v| !v.is_empty()).collect()
    }

    /// Names of all unexpired cookies, with their domain.
    pub fn names(&self) -> Vec<(String, String)> {
        self.store
            .iter_unexpired()
            .map(|c| (c.domain().unwrap_or_default().to_owned(), c.name().to_owned()))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.store.iter_unexpired().next().is_none()
    }

    pub fn clear(&mut self) {
        self.store.clear();
        self.born.clear();
    }
}

/// Where the store keeps a cookie: (domain, path, name).
fn key_of(c: &StoredCookie<'_>) -> CookieKey {
    (c.domain.as_cow().map(|d| d.into_owned()).unwrap_or_default(), String::from(&c.path), c.name().to_owned())
}

/// The name part of a cookie line, for messages (never the value).
fn cookie_name(line: &str) -> String {
    let first = line.split(';').next().unwrap_or_default();
    first.split('=').next().unwrap_or_default().trim().chars().take(64).collect()
}

impl fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.names().iter().map(|(d, n)| format!("{n} ({d})"))).finish()
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
        assert_eq!(jar.names_for(&url("http://gw.example/other")), vec!["s".to_string()]);
        // host-only: not sent to a subdomain or another host
        assert!(jar.header_for(&url("http://sub.gw.example/pipeline")).is_none());
        assert!(jar.header_for(&url("http://other.example/")).is_none());
    }

    #[test]
    fn values_keep_equals_and_pipes() {
        let mut jar = CookieJar::new();
        jar.store(&url("http://h/"), &lines(&["_oauth2_proxy=YWJj==|1700000000|c2ln=; Path=/; HttpOnly"]));
        assert_eq!(jar.header_for(&url("http://h/x")).unwrap(), "_oauth2_proxy=YWJj==|1700000000|c2ln=");
    }

    #[test]
    fn deletion_by_max_age_zero_and_past_expires() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        jar.store(&u, &lines(&["a=1; Path=/", "b=2; Path=/"]));
        jar.store(&u, &lines(&["a=; Path=/; Max-Age=0", "b=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]));
        assert!(jar.header_for(&u).is_none());
        assert!(jar.is_empty());
    }

    #[test]
    fn secure_cookies_need_a_secure_origin_but_loopback_counts() {
        let mut jar = CookieJar::new();
        let r = jar.store(&url("http://deploykf.example.com/"), &lines(&["s=1; Path=/; Secure"]));
        assert_eq!(r[0].rejection, CookieRejection::SecureOverHttp);
        let r = jar.store(&url("http://deploykf.example.com/"), &lines(&["__Secure-s=1; Path=/; Secure"]));
        assert_eq!(r.len(), 1);
        for origin in ["http://127.0.0.1:8080/", "http://localhost:8080/", "http://[::1]:80/", "https://h/"] {
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
        let r = jar.store(&url("https://h/"), &lines(&["__Host-a=1; Path=/; Secure; Domain=h"]));
        assert_eq!(r[0].rejection, CookieRejection::InvalidHostPrefix);
        let r = jar.store(&url("https://h/"), &lines(&["__Host-a=1; Path=/x; Secure"]));
        assert_eq!(r[0].rejection, CookieRejection::InvalidHostPrefix);
        assert!(jar.store(&url("https://h/"), &lines(&["__Host-a=1; Path=/; Secure"])).is_empty());
    }

    #[test]
    fn domain_attribute_must_match() {
        let mut jar = CookieJar::new();
        let r = jar.store(&url("https://127.0.0.1:8443/"), &lines(&["_deploykf_token=v; Path=/; Domain=deploykf.example.com"]));
        assert_eq!(
            r[0].rejection,
            CookieRejection::DomainMismatch { domain: "deploykf.example.com".into() }
        );
        let r = jar.store(&url("https://kf.example.com/"), &lines(&["t=v; Path=/; Domain=example.com"]));
        assert!(r.is_empty());
        assert!(jar.header_for(&url("https://other.example.com/")).is_some());
    }

    #[test]
    fn huge_and_negative_max_age_do_not_panic() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        // oidc-authservice's `int(20*time.Minute)` bug
        assert!(jar.store(&u, &lines(&["oidc_state_csrf=MTcx; Path=/; Max-Age=1200000000000"])).is_empty());
        assert!(jar.header_for(&u).is_some());
        jar.store(&u, &lines(&["oidc_state_csrf=; Path=/; Max-Age=-1"]));
        assert!(jar.header_for(&u).is_none());
        for junk in ["", "=", ";;;", "a", "=v", "a=b; Expires=not a date", "a=b; Max-Age=x", "\u{0}=\u{1}", "a=b; Domain=..", "a=b; Path="] {
            let _ = jar.store(&u, &lines(&[junk]));
        }
    }

    #[test]
    fn import_header_scopes_to_host() {
        let mut jar = CookieJar::new();
        let u = url("https://kf.example.com/pipeline");
        let bad = jar.import_header(&u, "authservice_session=abc; other=x=y; ;broken");
        assert_eq!(bad, vec!["broken".to_string()]);
        assert_eq!(jar.header_for(&url("https://kf.example.com/pipeline/apis/v2beta1/x")).unwrap().len(), "authservice_session=abc; other=x=y".len());
        assert!(jar.header_for(&url("https://evil.example.com/")).is_none());
    }

    #[test]
    fn limits_evict_the_oldest_and_refuse_giants() {
        let mut jar = CookieJar::new();
        let u = url("http://h/");
        jar.store(&u, &lines(&["session=keep; Path=/"]));
        let flood: Vec<String> = (0..500).map(|i| format!("junk{i}=x; Path=/")).collect();
        jar.store(&u, &flood);
        let names = jar.names_for(&u);
        assert_eq!(names.len(), MAX_COOKIES_PER_DOMAIN);
        assert!(!names.contains(&"session".to_owned()), "the oldest went first");
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
        jar.store(&url("http://h/"), &lines(&["session=topsecretvalue; Path=/"]));
        let printed = format!("{jar:?}");
        assert!(printed.contains("session"));
        assert!(!printed.contains("topsecretvalue"));
    }
}
