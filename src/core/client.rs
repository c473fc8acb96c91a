//! The per-call policy, as a state machine with no I/O (the shape of [`crate::core::login::LoginFlow`]).
//!
//! A [`Call`] is made for one API call. The binding's driver loops:
//! 1. [`Call::request`] gives the request to send, for the API version in use, with the extra
//!    headers and either the session cookies or the bearer token;
//! 2. the driver sends it and feeds the answer to [`Call::handle`] (or a `fetch` rejection to
//!    [`Call::network_error`]);
//! 3. the [`Verdict`] says what to do next: send again, wait and send again, log in again (one
//!    login shared by every call that needs it), fetch a fresh token, or stop with the answer or
//!    an error.
//!
//! The rules, each tested below:
//! - every `Set-Cookie` of an API answer is kept (oauth2-proxy refreshes sessions there);
//! - a lost session (401, a redirect to a login, a sign-in page, and in a browser the opaque
//!   answer `fetch` gives for any redirect) asks for one new login with `dex` auth, then the
//!   call is sent once more; with cookies it is `KFP_SESSION_EXPIRED`; with a token, a 401 asks
//!   for a fresh token once; otherwise it is `KFP_UNAUTHENTICATED`, with what the answer tells
//!   of the gateway so that a page can say where to sign in ([`Verdict::SignIn`]);
//! - the API version is decided from a clear signal: a KFP JSON answer on v2beta1 pins v2beta1;
//!   a v2beta1 "no such route" 404 is followed by `GET /apis/v1beta1/healthz`, and only a JSON
//!   answer there pins v1beta1 (REPORT §0, §7);
//! - a `GET` is retried on 502, 503, 504, 429 and network errors, with exponential backoff and
//!   jitter, honouring `Retry-After`; other methods never are.

use crate::core::browser::Gateway;
use crate::core::cookies::CookieJar;
use crate::core::error::Error;
use crate::core::http::{redact_url, HttpRequest, HttpResponse, Method};
use crate::core::kfp::endpoint::HEALTHZ;
use crate::core::kfp::{decode_error, is_not_found_route, ApiBase, ApiCall, ApiVersion};
use crate::core::login::{is_login_url, pages};
use crate::core::secret::Secret;

/// The per-client state the calls share.
#[derive(Debug, Default)]
pub struct CallContext {
    /// The session cookies (from the login, or imported for `cookies` auth).
    pub jar: CookieJar,
    /// Bumped by every successful login: a call that saw generation `g` fail knows whether a
    /// newer session exists already.
    pub generation: u64,
    /// The API version in use: fixed by the caller, or detected on the first call.
    pub version: Option<ApiVersion>,
    /// Extra static headers from the options (validated there).
    pub headers: Vec<(String, String)>,
    /// Cookie values the client held or saw and no longer holds (replaced, deleted, refused,
    /// an earlier session's), so that errors never quote them; at most [`MAX_SEEN`].
    pub seen: Vec<String>,
}

/// The most cookie values [`CallContext::seen`] remembers.
pub const MAX_SEEN: usize = 256;

impl CallContext {
    /// Adds the extra headers, the matching cookies, and the bearer token if any.
    ///
    /// A request carries either cookies or an `Authorization` header, never both: Kubeflow ≥ 1.9.1
    /// sends any request with an `Authorization` header past oauth2-proxy to Istio's JWT check,
    /// which answers "RBAC: access denied" (`research/dex-login-flows.md` §2.7).
    pub fn prepare(&self, mut req: HttpRequest, bearer: Option<&Secret>) -> HttpRequest {
        for (name, value) in &self.headers {
            req.headers.set(name, value.as_str());
        }
        match bearer {
            Some(token) => req
                .headers
                .set("authorization", format!("Bearer {}", token.expose())),
            None if self.jar.is_empty() => {}
            None => {
                if let Some(cookie) = self.jar.header_for(&req.url) {
                    req.headers.set("cookie", cookie);
                }
            }
        }
        req
    }

    /// Keeps every `Set-Cookie` of an API response: oauth2-proxy refreshes sessions there
    /// (deployKF's `cookie_refresh`, §2.6), and a client that drops them loses the session.
    pub fn absorb(&mut self, resp: &HttpResponse) {
        if resp.set_cookies.is_empty() {
            return;
        }
        let held = self.jar.values();
        self.remember(held);
        let sent = resp
            .set_cookies
            .iter()
            .filter_map(|line| {
                line.split(';')
                    .next()?
                    .split_once('=')
                    .map(|(_, v)| v.trim().to_owned())
            })
            .collect();
        self.remember(sent);
        let _refused = self.jar.store(&resp.url, &resp.set_cookies);
    }

    /// Replaces the session after a (re-)login.
    pub fn install_session(&mut self, jar: CookieJar) {
        let old = std::mem::replace(&mut self.jar, jar).values();
        self.remember(old);
        self.generation += 1;
    }

    fn remember(&mut self, values: Vec<String>) {
        for value in values {
            if self.seen.len() >= MAX_SEEN {
                return;
            }
            if value.len() >= 4 && !self.seen.contains(&value) {
                self.seen.push(value);
            }
        }
    }
}

/// True when an API answer means the session is missing or expired (§5, §7 step 10): a 401
/// (oauth2-proxy's `{}`, Istio's "Jwt is expired", KFP's empty identity), a redirect towards a
/// login, or a login page where JSON was expected.
///
/// In a browser API calls go with `redirect: "manual"` (following would end on Dex's page with
/// a 200 on Kubeflow 1.8, 1.9.0 and deployKF ≤ 0.1.3), and `fetch` answers every redirect with
/// an opaque response: status 0, no `Location`. KFP's API never redirects, so that answer is
/// the gateway sending the page to its login.
pub fn session_lost(resp: &HttpResponse) -> bool {
    if resp.status == 401 || resp.status == 0 {
        return true;
    }
    if resp.is_redirect() {
        return resp.location().is_some_and(|target| is_login_url(&target));
    }
    if (resp.status == 403 || (200..300).contains(&resp.status)) && resp.is_html() {
        let html = resp.text();
        return pages::sign_in_form(&html).is_some() || pages::password_form(&html).is_some();
    }
    false
}

/// How a client authenticates, as far as the policy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    None,
    /// A Dex login the client can repeat.
    Dex,
    /// Session cookies given by the user (or resumed), which cannot be renewed.
    Cookies,
    /// A bearer token (static, a function or the service-account file).
    Bearer,
    /// The session a browser holds for the page (auth type "browser"): it cannot be renewed by
    /// the client, only by the user signing in.
    Page,
}

/// The retry settings (`options.retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first try; 0 turns retrying off.
    pub retries: u32,
    pub min_delay_ms: u32,
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 2,
            min_delay_ms: 200,
            max_delay_ms: 5_000,
        }
    }
}

impl RetryPolicy {
    pub const OFF: RetryPolicy = RetryPolicy {
        retries: 0,
        min_delay_ms: 0,
        max_delay_ms: 0,
    };

    /// The wait before retry number `retry` (1-based): `min · 2^(retry-1)`, capped at `max`, then
    /// "equal jitter" (half fixed, half random; `jitter` in [0, 1)). A `Retry-After` in seconds
    /// replaces it, capped at `max`.
    pub fn delay_ms(&self, retry: u32, retry_after: Option<&str>, jitter: f64) -> u32 {
        if let Some(seconds) = retry_after.and_then(|v| v.trim().parse::<u32>().ok()) {
            return seconds.saturating_mul(1000).min(self.max_delay_ms);
        }
        let base =
            u64::from(self.min_delay_ms).saturating_mul(1u64 << retry.saturating_sub(1).min(20));
        let capped = base.min(u64::from(self.max_delay_ms)) as f64;
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.5
        };
        (capped / 2.0 + capped / 2.0 * jitter) as u32
    }

    /// Whether a status is worth another try.
    pub fn retryable_status(status: u16) -> bool {
        matches!(status, 429 | 502 | 503 | 504)
    }
}

/// What to send.
#[derive(Debug, Clone)]
pub enum Target {
    /// A declared endpoint, built for whichever API version is in use.
    Api(ApiCall),
    /// A request whose path the caller chose (`request()`): never rebuilt for another version.
    Raw(HttpRequest),
}

/// What the driver does next.
#[derive(Debug)]
pub enum Verdict {
    /// The answer to decode.
    Done(HttpResponse),
    /// Send [`Call::request`] again.
    Send,
    /// Wait this many milliseconds, then send again.
    Wait(u32),
    /// Log in again (shared by all calls that saw this session generation fail), then send again.
    Relogin(u64),
    /// Get the bearer token anew and give it to [`Call::fresh_token`].
    RefreshToken,
    /// Not signed in and no way to sign in by itself: fail with `error` (`KFP_UNAUTHENTICATED`);
    /// `gateway` is what the answer told of the login in front, for a page's `loginUrl`.
    SignIn {
        error: Error,
        gateway: Gateway,
    },
    Fail(Error),
}

#[derive(Debug)]
enum Phase {
    Main,
    /// v2beta1 said "no such route": asking `GET /apis/v1beta1/healthz`.
    ProbeV1 {
        v2_answer: HttpResponse,
    },
}

/// One API call's policy.
#[derive(Debug)]
pub struct Call {
    base: ApiBase,
    target: Target,
    auth: AuthKind,
    retry: RetryPolicy,
    phase: Phase,
    /// Sends of the current request (retries included).
    tries: u32,
    relogged: bool,
    token_refreshed: bool,
    last_token: Option<Secret>,
    /// The 401 kept while a fresh token is fetched.
    refused: Option<HttpResponse>,
    generation: u64,
}

impl Call {
    pub fn new(base: ApiBase, target: Target, auth: AuthKind, retry: RetryPolicy) -> Call {
        Call {
            base,
            target,
            auth,
            retry,
            phase: Phase::Main,
            tries: 0,
            relogged: false,
            token_refreshed: false,
            last_token: None,
            refused: None,
            generation: 0,
        }
    }

    fn method(&self) -> Method {
        match (&self.phase, &self.target) {
            (Phase::ProbeV1 { .. }, _) => Method::Get,
            (_, Target::Api(call)) => call.endpoint.method,
            (_, Target::Raw(req)) => req.method,
        }
    }

    fn is_healthz(&self) -> bool {
        matches!(&self.target, Target::Api(call) if call.endpoint.name == HEALTHZ.name)
    }

    /// The request to send now.
    ///
    /// # Errors
    /// What building the endpoint's request gives ([`ApiCall::build`]).
    pub fn request(
        &mut self,
        ctx: &CallContext,
        token: Option<Secret>,
    ) -> Result<HttpRequest, Error> {
        self.generation = ctx.generation;
        self.tries += 1;
        let request = match (&self.phase, &self.target) {
            (Phase::ProbeV1 { .. }, _) => {
                ApiCall::new(&HEALTHZ).build(&self.base, ApiVersion::V1beta1)?
            }
            (Phase::Main, Target::Api(call)) => {
                call.build(&self.base, ctx.version.unwrap_or(ApiVersion::V2beta1))?
            }
            (Phase::Main, Target::Raw(req)) => req.clone(),
        };
        let request = ctx.prepare(request, token.as_ref());
        self.last_token = token;
        Ok(request)
    }

    /// After a retry wait the same request goes again; other verdicts start a new request.
    fn next(&mut self) -> Verdict {
        self.tries = 0;
        Verdict::Send
    }

    fn with_tries(&self, err: Error) -> Error {
        if self.tries > 1 {
            Error::Attempts {
                attempts: self.tries,
                last: Box::new(err),
            }
        } else {
            err
        }
    }

    /// Decides what an answer means.
    pub fn handle(&mut self, ctx: &mut CallContext, resp: HttpResponse, jitter: f64) -> Verdict {
        ctx.absorb(&resp);
        if session_lost(&resp) {
            return self.on_session_lost(resp);
        }
        if self.method() == Method::Get && RetryPolicy::retryable_status(resp.status) {
            if self.tries <= self.retry.retries {
                return Verdict::Wait(self.retry.delay_ms(
                    self.tries,
                    resp.headers.get("retry-after"),
                    jitter,
                ));
            }
            return Verdict::Fail(self.with_tries(decode_error(&resp)));
        }
        if let Phase::ProbeV1 { v2_answer } = &self.phase {
            if (200..300).contains(&resp.status) && resp.is_json() {
                ctx.version = Some(ApiVersion::V1beta1);
                if self.is_healthz() {
                    return Verdict::Done(resp);
                }
                self.phase = Phase::Main;
                return self.next();
            }
            // Neither version answers: the v2beta1 answer says what is wrong (a wrong apiUrl).
            return Verdict::Fail(decode_error(v2_answer));
        }
        if ctx.version.is_none() && matches!(self.target, Target::Api(_)) {
            if is_not_found_route(&resp) {
                self.phase = Phase::ProbeV1 { v2_answer: resp };
                return self.next();
            }
            if resp.is_json() {
                ctx.version = Some(ApiVersion::V2beta1);
            }
        }
        Verdict::Done(resp)
    }

    fn on_session_lost(&mut self, resp: HttpResponse) -> Verdict {
        match self.auth {
            AuthKind::Dex if !self.relogged => {
                self.relogged = true;
                self.tries = 0;
                Verdict::Relogin(self.generation)
            }
            AuthKind::Dex | AuthKind::Cookies => Verdict::Fail(Error::SessionExpired {
                status: Some(resp.status).filter(|s| *s != 0),
                url: redact_url(&resp.url),
                relogin_possible: self.auth == AuthKind::Dex,
            }),
            AuthKind::Bearer if resp.status == 401 && !self.token_refreshed => {
                self.token_refreshed = true;
                self.refused = Some(resp);
                Verdict::RefreshToken
            }
            AuthKind::Bearer | AuthKind::None if resp.status == 401 => {
                Verdict::Fail(decode_error(&resp))
            }
            AuthKind::Bearer => Verdict::Fail(Error::NotSignedIn {
                status: resp.status,
                url: redact_url(&resp.url),
                with_token: true,
            }),
            AuthKind::None | AuthKind::Page => Verdict::SignIn {
                error: Error::NotSignedIn {
                    status: resp.status,
                    url: redact_url(&resp.url),
                    with_token: false,
                },
                gateway: Gateway::from_answer(&resp),
            },
        }
    }

    /// After [`Verdict::RefreshToken`]: a changed token is worth one more try, the same one is not.
    pub fn fresh_token(&mut self, fresh: Option<&Secret>) -> Verdict {
        let refused = self.refused.take();
        if fresh.is_some() && fresh != self.last_token.as_ref() {
            return self.next();
        }
        match refused {
            Some(resp) => Verdict::Fail(decode_error(&resp)),
            None => Verdict::Fail(Error::TokenUnavailable {
                reason: "the token was refused and no new one is available".into(),
            }),
        }
    }

    /// After a login the call goes again.
    pub fn logged_in(&mut self) -> Verdict {
        self.next()
    }

    /// `fetch` rejected before any answer arrived. `retryable` is false for TLS failures,
    /// timeouts and aborts, which another try would not mend.
    pub fn network_error(&mut self, err: Error, retryable: bool, jitter: f64) -> Verdict {
        if retryable && self.method() == Method::Get && self.tries <= self.retry.retries {
            return Verdict::Wait(self.retry.delay_ms(self.tries, None, jitter));
        }
        Verdict::Fail(self.with_tries(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;
    use crate::core::kfp::endpoint::{CREATE_EXPERIMENT, GET_RUN, LIST_EXPERIMENTS};
    use url::Url;

    fn resp_at(
        url: &str,
        status: u16,
        content_type: &str,
        location: Option<&str>,
        body: &str,
    ) -> HttpResponse {
        crate::core::http::test_response(url, status, content_type, location, body)
    }

    fn resp(status: u16, content_type: &str, location: Option<&str>, body: &str) -> HttpResponse {
        resp_at(
            "https://gw.example/pipeline/apis/v2beta1/experiments?namespace=a",
            status,
            content_type,
            location,
            body,
        )
    }

    fn base() -> ApiBase {
        ApiBase::parse("https://gw.example/pipeline").unwrap()
    }

    fn call(auth: AuthKind) -> Call {
        Call::new(
            base(),
            Target::Api(ApiCall::new(&GET_RUN).id("id", "r1")),
            auth,
            RetryPolicy::default(),
        )
    }

    const RUN: &str = r#"{"run_id":"r1","state":"RUNNING"}"#;
    const NO_ROUTE: &str = "404 page not found";

    #[test]
    fn recognises_lost_sessions() {
        assert!(session_lost(&resp(401, "application/json", None, "{}")));
        assert!(session_lost(&resp(
            401,
            "text/plain",
            None,
            "Jwt is expired"
        )));
        assert!(session_lost(&resp(
            302,
            "text/html",
            Some("/dex/auth?client_id=x&state=y"),
            ""
        )));
        assert!(session_lost(&resp(
            302,
            "text/html",
            Some("https://gw.example/oauth2/start?rd=%2F"),
            ""
        )));
        assert!(session_lost(&resp(
            302,
            "text/html",
            Some("/dex/auth/local/login?back=&state=x"),
            ""
        )));
        assert!(session_lost(&resp(403, "text/html", None, "<form method=\"GET\" action=\"/oauth2/start\"><input type=hidden name=rd value=/></form>")));
        // A browser's opaque redirect (`type: "opaqueredirect"`, status 0).
        assert!(session_lost(&resp(0, "", None, "")));
    }

    #[test]
    fn keeps_real_api_errors() {
        assert!(!session_lost(&resp(
            403,
            "application/json",
            None,
            r#"{"error":"User 'u' is not authorized","code":7}"#
        )));
        assert!(!session_lost(&resp(
            403,
            "text/plain",
            None,
            "RBAC: access denied"
        )));
        assert!(!session_lost(&resp(
            404,
            "application/json",
            None,
            r#"{"code":5,"message":"not found"}"#
        )));
        assert!(!session_lost(&resp(
            301,
            "text/html",
            Some("https://gw.example/pipeline/apis/v2beta1/experiments"),
            ""
        )));
        assert!(!session_lost(&resp(200, "application/json", None, "{}")));
    }

    #[test]
    fn never_sends_cookies_with_a_bearer_token() {
        let mut ctx = CallContext::default();
        let url = Url::parse("https://gw.example/pipeline/apis/v2beta1/healthz").unwrap();
        ctx.jar.store(&url, &["s=1; Path=/".to_owned()]);
        ctx.headers.push(("x-extra".into(), "1".into()));
        let with_cookie = ctx.prepare(HttpRequest::get(url.clone()), None);
        assert_eq!(with_cookie.headers.get("cookie"), Some("s=1"));
        assert!(!with_cookie.headers.contains("authorization"));
        let with_token = ctx.prepare(HttpRequest::get(url), Some(&Secret::new("tok")));
        assert_eq!(with_token.headers.get("authorization"), Some("Bearer tok"));
        assert!(!with_token.headers.contains("cookie"));
        assert_eq!(with_token.headers.get("x-extra"), Some("1"));
    }

    #[test]
    fn api_answers_refresh_cookies() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            ..CallContext::default()
        };
        let mut c = call(AuthKind::Dex);
        c.request(&ctx, None).unwrap();
        let mut r = resp(200, "application/json", None, RUN);
        r.set_cookies
            .push("_deploykf_token=new; Path=/; HttpOnly".into());
        let url = r.url.clone();
        assert!(matches!(c.handle(&mut ctx, r, 0.5), Verdict::Done(_)));
        assert_eq!(
            ctx.jar.header_for(&url).as_deref(),
            Some("_deploykf_token=new")
        );
        let mut again = resp(200, "application/json", None, RUN);
        again.set_cookies = vec!["_deploykf_token=newer; Path=/".into()];
        ctx.absorb(&again);
        assert!(
            !ctx.seen.contains(&"new".to_owned()),
            "values under 4 bytes are not secrets"
        );
        ctx.install_session(CookieJar::new());
        assert!(
            ctx.seen.contains(&"newer".to_owned()),
            "the old session's values stay secret: {:?}",
            ctx.seen.len()
        );
        assert_eq!(ctx.generation, 1);
    }

    #[test]
    fn a_lost_dex_session_logs_in_once_then_fails() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            generation: 4,
            ..CallContext::default()
        };
        let mut c = call(AuthKind::Dex);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(401, "application/json", None, "{}"), 0.5),
            Verdict::Relogin(4)
        ));
        ctx.generation = 5;
        assert!(matches!(c.logged_in(), Verdict::Send));
        c.request(&ctx, None).unwrap();
        match c.handle(
            &mut ctx,
            resp(302, "text/html", Some("/oauth2/start?rd=%2F"), ""),
            0.5,
        ) {
            Verdict::Fail(e) => assert_eq!(e.code(), ErrorCode::SessionExpired),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lost_sessions_by_auth_type() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            ..CallContext::default()
        };
        let sign_in = || {
            resp(200, "text/html", None, "<form method=\"GET\" action=\"/oauth2/start\"><input type=hidden name=rd value=/></form>")
        };
        for (auth, code) in [
            (AuthKind::Cookies, ErrorCode::SessionExpired),
            (AuthKind::None, ErrorCode::Unauthenticated),
            (AuthKind::Bearer, ErrorCode::Unauthenticated),
            (AuthKind::Page, ErrorCode::Unauthenticated),
        ] {
            let mut c = call(auth);
            c.request(&ctx, None).unwrap();
            match c.handle(&mut ctx, sign_in(), 0.5) {
                Verdict::Fail(e) | Verdict::SignIn { error: e, .. } => {
                    assert_eq!(e.code(), code, "{auth:?}");
                    assert_eq!(e.status(), Some(200));
                }
                other => panic!("{other:?}"),
            }
        }
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        assert!(
            matches!(c.handle(&mut ctx, resp(401, "application/json", None, r#"{"code":16,"message":"no identity"}"#), 0.5), Verdict::Fail(e) if e.grpc_code() == Some(16))
        );
    }

    #[test]
    fn a_page_without_a_session_is_told_where_to_sign_in() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            ..CallContext::default()
        };
        // oauth2-proxy's 401 `{}` (deployKF ≥ 0.1.4, Kubeflow ≥ 1.9.1 API routes).
        let mut c = call(AuthKind::Page);
        c.request(&ctx, None).unwrap();
        match c.handle(&mut ctx, resp(401, "application/json", None, "{}"), 0.5) {
            Verdict::SignIn { error, gateway } => {
                assert_eq!(error.code(), ErrorCode::Unauthenticated);
                assert!(
                    matches!(gateway, Gateway::OAuth2Proxy { start } if start.as_str() == "https://gw.example/oauth2/start")
                );
            }
            other => panic!("{other:?}"),
        }
        // An opaque redirect: the gateway is not known from it.
        let mut c = call(AuthKind::Page);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(0, "", None, ""), 0.5),
            Verdict::SignIn {
                gateway: Gateway::Unknown,
                ..
            }
        ));
        // Without auth, the same; a KFP 401 stays KFP's error.
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(0, "", None, ""), 0.5),
            Verdict::SignIn { .. }
        ));
    }

    #[test]
    fn an_opaque_redirect_logs_a_dex_page_in_again_once() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            ..CallContext::default()
        };
        let mut c = call(AuthKind::Dex);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(0, "", None, ""), 0.5),
            Verdict::Relogin(0)
        ));
        assert!(matches!(c.logged_in(), Verdict::Send));
        c.request(&ctx, None).unwrap();
        match c.handle(&mut ctx, resp(0, "", None, ""), 0.5) {
            Verdict::Fail(e) => {
                assert_eq!(e.code(), ErrorCode::SessionExpired);
                assert_eq!(e.status(), None, "an opaque answer has no status");
            }
            other => panic!("{other:?}"),
        }
        // Never retried as a server error, even for a GET.
        let mut c = call(AuthKind::Cookies);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(0, "", None, ""), 0.5),
            Verdict::Fail(_)
        ));
    }

    #[test]
    fn a_refused_token_is_refreshed_once() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            ..CallContext::default()
        };
        let mut c = call(AuthKind::Bearer);
        let req = c.request(&ctx, Some(Secret::new("old"))).unwrap();
        assert_eq!(req.headers.get("authorization"), Some("Bearer old"));
        let refused = || {
            resp(
                401,
                "application/json",
                None,
                r#"{"code":16,"message":"token expired"}"#,
            )
        };
        assert!(matches!(
            c.handle(&mut ctx, refused(), 0.5),
            Verdict::RefreshToken
        ));
        assert!(matches!(
            c.fresh_token(Some(&Secret::new("new"))),
            Verdict::Send
        ));
        c.request(&ctx, Some(Secret::new("new"))).unwrap();
        assert!(
            matches!(c.handle(&mut ctx, refused(), 0.5), Verdict::Fail(e) if e.code() == ErrorCode::Unauthenticated)
        );
        // The same token again is not worth a try.
        let mut c = call(AuthKind::Bearer);
        c.request(&ctx, Some(Secret::new("same"))).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, refused(), 0.5),
            Verdict::RefreshToken
        ));
        assert!(
            matches!(c.fresh_token(Some(&Secret::new("same"))), Verdict::Fail(e) if e.status() == Some(401))
        );
    }

    #[test]
    fn detects_v2_from_a_kfp_answer_and_v1_from_its_healthz() {
        // A v2 server: the first JSON answer pins v2beta1, even a KFP 404 for a missing run.
        let mut ctx = CallContext::default();
        let mut c = call(AuthKind::None);
        assert!(c
            .request(&ctx, None)
            .unwrap()
            .url
            .path()
            .ends_with("/apis/v2beta1/runs/r1"));
        let missing = resp(
            404,
            "application/json",
            None,
            r#"{"error":"Failed to get run: ResourceNotFoundError: Run r1 not found.","code":5}"#,
        );
        assert!(matches!(c.handle(&mut ctx, missing, 0.5), Verdict::Done(_)));
        assert_eq!(ctx.version, Some(ApiVersion::V2beta1));

        // A v1 server: no route on v2beta1, then v1beta1 healthz answers, then the call on v1.
        let mut ctx = CallContext::default();
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(404, "text/plain", None, NO_ROUTE), 0.5),
            Verdict::Send
        ));
        assert_eq!(
            c.request(&ctx, None).unwrap().url.path(),
            "/pipeline/apis/v1beta1/healthz"
        );
        assert!(matches!(
            c.handle(
                &mut ctx,
                resp(
                    200,
                    "application/json",
                    None,
                    r#"{"tag_name":"2.0.0-alpha.7"}"#
                ),
                0.5
            ),
            Verdict::Send
        ));
        assert_eq!(ctx.version, Some(ApiVersion::V1beta1));
        assert_eq!(
            c.request(&ctx, None).unwrap().url.path(),
            "/pipeline/apis/v1beta1/runs/r1"
        );
    }

    #[test]
    fn no_version_from_an_html_page_or_a_bare_404_alone() {
        // An HTML 200 (a UI fallback, a proxy page) pins nothing.
        let mut ctx = CallContext::default();
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(
                &mut ctx,
                resp(200, "text/html", None, "<!doctype html><html>KFP</html>"),
                0.5
            ),
            Verdict::Done(_)
        ));
        assert_eq!(ctx.version, None);
        // A bare 404 whose v1 healthz does not answer either: the v2 answer is the error.
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(404, "text/plain", None, NO_ROUTE), 0.5),
            Verdict::Send
        ));
        c.request(&ctx, None).unwrap();
        match c.handle(&mut ctx, resp(404, "text/plain", None, NO_ROUTE), 0.5) {
            Verdict::Fail(e) => assert_eq!(e.code(), ErrorCode::NotFound),
            other => panic!("{other:?}"),
        }
        assert_eq!(ctx.version, None);
    }

    #[test]
    fn healthz_on_a_v1_server_is_answered_by_the_probe() {
        let mut ctx = CallContext::default();
        let mut c = Call::new(
            base(),
            Target::Api(ApiCall::new(&HEALTHZ)),
            AuthKind::None,
            RetryPolicy::default(),
        );
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(404, "text/plain", None, NO_ROUTE), 0.5),
            Verdict::Send
        ));
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(200, "application/json", None, "{}"), 0.5),
            Verdict::Done(_)
        ));
        assert_eq!(ctx.version, Some(ApiVersion::V1beta1));
    }

    #[test]
    fn gets_are_retried_with_backoff_and_then_say_how_many_tries() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            ..CallContext::default()
        };
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        let unavailable = || resp(503, "text/plain", None, "upstream connect error");
        assert!(matches!(
            c.handle(&mut ctx, unavailable(), 0.0),
            Verdict::Wait(100)
        ));
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, unavailable(), 1.0),
            Verdict::Wait(400)
        ));
        c.request(&ctx, None).unwrap();
        match c.handle(&mut ctx, unavailable(), 0.5) {
            Verdict::Fail(e) => {
                assert_eq!(e.code(), ErrorCode::ServerError);
                assert_eq!(e.status(), Some(503));
                assert!(e.to_string().contains("3 attempts"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        // Retry-After in seconds wins, capped at the maximum.
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        let mut limited = resp(429, "application/json", None, "{}");
        limited.headers.set("retry-after", "2");
        assert!(matches!(
            c.handle(&mut ctx, limited, 0.9),
            Verdict::Wait(2000)
        ));
        // Network errors too; a 502 answer after them ends the call when tries run out.
        let mut c = call(AuthKind::None);
        c.request(&ctx, None).unwrap();
        let reset = || Error::Network {
            url: "u".into(),
            message: "ECONNRESET".into(),
        };
        assert!(matches!(
            c.network_error(reset(), true, 0.5),
            Verdict::Wait(_)
        ));
        c.request(&ctx, None).unwrap();
        assert!(
            matches!(c.network_error(Error::Tls { url: "u".into(), message: "CERT".into() }, false, 0.5), Verdict::Fail(e) if e.code() == ErrorCode::TlsError)
        );
    }

    #[test]
    fn other_methods_are_never_retried() {
        let mut ctx = CallContext {
            version: Some(ApiVersion::V2beta1),
            ..CallContext::default()
        };
        let create =
            ApiCall::new(&CREATE_EXPERIMENT).json(serde_json::json!({"display_name": "x"}));
        let mut c = Call::new(
            base(),
            Target::Api(create),
            AuthKind::None,
            RetryPolicy::default(),
        );
        c.request(&ctx, None).unwrap();
        assert!(
            matches!(c.handle(&mut ctx, resp(503, "text/plain", None, "busy"), 0.5), Verdict::Done(r) if r.status == 503)
        );
        let create =
            ApiCall::new(&CREATE_EXPERIMENT).json(serde_json::json!({"display_name": "x"}));
        let mut c = Call::new(
            base(),
            Target::Api(create),
            AuthKind::None,
            RetryPolicy::default(),
        );
        c.request(&ctx, None).unwrap();
        let reset = Error::Network {
            url: "u".into(),
            message: "ECONNRESET".into(),
        };
        assert!(
            matches!(c.network_error(reset, true, 0.5), Verdict::Fail(e) if !e.to_string().contains("attempts"))
        );
        // Retries can be turned off.
        let list = Target::Api(ApiCall::new(&LIST_EXPERIMENTS));
        let mut c = Call::new(base(), list, AuthKind::None, RetryPolicy::OFF);
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(503, "text/plain", None, "busy"), 0.5),
            Verdict::Fail(_)
        ));
    }

    #[test]
    fn raw_requests_keep_their_path() {
        let mut ctx = CallContext::default();
        let req =
            crate::core::kfp::raw(&base(), Method::Get, "/apis/v2beta1/runs", &[], None).unwrap();
        let mut c = Call::new(
            base(),
            Target::Raw(req),
            AuthKind::None,
            RetryPolicy::default(),
        );
        c.request(&ctx, None).unwrap();
        assert!(matches!(
            c.handle(&mut ctx, resp(404, "text/plain", None, NO_ROUTE), 0.5),
            Verdict::Done(_)
        ));
        assert_eq!(ctx.version, None);
    }

    #[test]
    fn delays() {
        let p = RetryPolicy {
            retries: 5,
            min_delay_ms: 100,
            max_delay_ms: 1000,
        };
        assert_eq!(p.delay_ms(1, None, 0.0), 50);
        assert_eq!(p.delay_ms(3, None, 1.0), 400);
        assert_eq!(p.delay_ms(10, None, 1.0), 1000);
        assert_eq!(p.delay_ms(40, None, f64::NAN), 750);
        assert_eq!(p.delay_ms(1, Some("30"), 0.0), 1000);
        assert_eq!(
            p.delay_ms(1, Some("Wed, 21 Oct 2015 07:28:00 GMT"), 0.0),
            50
        );
    }
}
