//! The Dex login as a state machine with no I/O.
//!
//! [`LoginFlow::start`] gives the first request; each response goes to
//! [`LoginFlow::handle_response`], which answers with the next request to send or with the
//! finished [`Session`]. A short async driver in the binding loops over it with `fetch`
//! (`redirect: "manual"`); tests feed it responses by hand.
//!
//! The flow follows the "robust algorithm" of `research/dex-login-flows.md` §7 and handles every
//! sequence of §6:
//! - oauth2-proxy's 302 to Dex, its 403 sign-in page and its 401 `{}` (→ `/oauth2/start?rd=`);
//!   oidc-authservice's 302 with a state cookie;
//! - Dex ≥ 2.29 (`/auth/<id>/login?back=&state=`) and older (`/auth/<id>?req=`), one or several
//!   connectors (the connector is picked with `connector_id`, which every Dex version honours,
//!   so the selection page costs no request), the approval redirect and the Grant Access page;
//! - a wrong password answered with 401 (Dex ≥ 2.36) or 200 plus an error box (older);
//! - the callback's CSRF check, with one restart from `apiUrl` when no cookie was refused.
//!
//! The flow keeps its own [`CookieJar`]: every `Set-Cookie` of every hop is stored, and each
//! request carries exactly the cookies that match it. The login has worked only when a cookie
//! that applies to `apiUrl` was set *after* Dex accepted the password (the CSRF and state cookies
//! set before do not count). When the login cannot finish because of how the gateway is reached
//! (a refused cookie, another host name, a cookie flood that pushed the session out of the jar),
//! the error says which.
//!
//! The login's `GET`s are retried like API `GET`s ([`RetryPolicy`]: 429, 502, 503, 504 and
//! network errors, with backoff); a `POST` (the password, the approval) is never sent twice. The
//! driver asks [`LoginFlow::retry_verdict`] before [`LoginFlow::handle_response`], and
//! [`LoginFlow::network_error`] when `fetch` rejected; both answer with a wait in milliseconds,
//! after which it sends [`LoginFlow::retry`].

pub mod pages;

use url::Url;

use crate::core::client::RetryPolicy;
use crate::core::cookies::{
    CookieJar, Evicted, ExportedCookie, Rejected, MAX_COOKIES_PER_DOMAIN, MAX_SET_COOKIE_LINES,
};
use crate::core::error::{CookieRejection, Error, Result};
use crate::core::http::{redact_url, HttpRequest, HttpResponse, Method};
use crate::core::secret::{Secret, SecretSet, MIN_SECRET_BYTES};

/// At most this many HTTP exchanges in one login. The longest real flow (Kubeflow 1.9.0 with the
/// Grant Access page) takes 8; a CSRF restart doubles it.
pub const MAX_HOPS: u32 = 20;

/// At most this many retries in one login, whatever the retry policy allows per request.
pub const MAX_LOGIN_RETRIES: u32 = 10;

/// At most this many connector ids in a [`Error::UnknownConnector`] (real Dex offers a few).
pub const MAX_OFFERED_CONNECTORS: usize = 20;

/// At most this many evicted cookie names quoted in a message.
const EVICTED_QUOTED: usize = 5;

/// At most this many cookie values remembered for scrubbing errors.
const MAX_SEEN_VALUES: usize = 256;

/// At most this many refused cookies remembered for the diagnosis (a flood of refused cookies
/// costs no memory).
const MAX_REJECTED_KEPT: usize = 64;

const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";

/// What the login needs.
#[derive(Debug, Clone)]
pub struct LoginConfig {
    /// Where the flow starts: the `apiUrl` the user gave.
    pub start_url: Url,
    pub username: String,
    pub password: Secret,
    /// The Dex connector id: `local`, `ldap`, or whatever the deployment configured.
    pub connector: String,
}

/// The result of a finished login.
#[derive(Debug)]
pub struct Session {
    /// The cookies the gateway set; they carry the session.
    pub jar: CookieJar,
    /// False when the endpoint needed no login at all (§6 (d)).
    pub authenticated: bool,
    /// How many HTTP exchanges the login took.
    pub exchanges: u32,
}

/// What to do after a response.
#[derive(Debug)]
pub enum Step {
    Send(HttpRequest),
    Done(Session),
}

/// Where the flow is, for decisions and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Gateway,
    Dex,
    PasswordPosted,
    ApprovalPosted,
    Callback,
}

impl Stage {
    fn describe(self) -> &'static str {
        match self {
            Stage::Start => "the first request to apiUrl",
            Stage::Gateway => "the gateway's login redirect",
            Stage::Dex => "the Dex login pages",
            Stage::PasswordPosted => "the password submission",
            Stage::ApprovalPosted => "the Dex Grant Access step",
            Stage::Callback => "the gateway's login callback",
        }
    }
}

/// What the jar held when Dex accepted the password, and what happened to it since: the login
/// counts only cookies set after that moment ([`LoginFlow::finish`]).
#[derive(Debug, Default)]
struct Accepted {
    /// Every cookie of the jar at that moment (`Debug` prints no value).
    before: Vec<ExportedCookie>,
    /// Cookies the per-host or total limit pushed out since (the first few).
    evicted: Vec<Evicted>,
    /// `Set-Cookie` lines ignored since (past 200 in one answer).
    skipped: usize,
    /// The jar reached the per-host limit for `apiUrl` since.
    saturated: bool,
    /// The hosts (`host:port`) that answered since, in order.
    hosts: Vec<String>,
}

#[derive(Debug)]
pub struct LoginFlow {
    cfg: LoginConfig,
    jar: CookieJar,
    stage: Stage,
    /// The last request sent.
    current: HttpRequest,
    exchanges: u32,
    /// The password was accepted (Dex redirected after the POST, or showed the Grant Access page).
    credentials_accepted: bool,
    /// The jar at that moment; `Some` exactly when `credentials_accepted`.
    accepted: Option<Accepted>,
    retry: RetryPolicy,
    /// Sends of the current request (retries included).
    tries: u32,
    /// Retries in this login (not counted as hops).
    retried: u32,
    /// We added `connector_id` to Dex's `/auth` URL (at most once per attempt).
    connector_param: bool,
    /// Restarts from `apiUrl` after a CSRF failure at the callback.
    restarts: u32,
    rejected: Vec<Rejected>,
    /// Every cookie value the gateway set in this login (the first [`MAX_SEEN_VALUES`]), kept
    /// or not: what no error may quote.
    seen_values: Vec<Secret>,
    /// The origin and path of the IdP (Dex issuer) once seen, e.g. `http://h:8080/dex`.
    issuer_prefix: Option<String>,
}

impl LoginFlow {
    pub fn new(cfg: LoginConfig) -> Self {
        let current = HttpRequest::get(cfg.start_url.clone());
        LoginFlow {
            cfg,
            jar: CookieJar::new(),
            stage: Stage::Start,
            current,
            exchanges: 0,
            credentials_accepted: false,
            accepted: None,
            retry: RetryPolicy::default(),
            tries: 0,
            retried: 0,
            connector_param: false,
            restarts: 0,
            rejected: Vec::new(),
            seen_values: Vec::new(),
            issuer_prefix: None,
        }
    }

    /// The retry policy for the login's `GET`s (the client's `retry` option); the default is
    /// [`RetryPolicy::default`].
    #[must_use]
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The first request: `GET apiUrl`, asking for HTML so that oauth2-proxy starts the login
    /// (an `Accept: application/json` request gets a 401 from deployKF ≥ 0.1.4).
    pub fn start(&mut self) -> HttpRequest {
        self.stage = Stage::Start;
        let req = HttpRequest::get(self.cfg.start_url.clone()).with_header("accept", ACCEPT_HTML);
        self.send(req)
    }

    /// Feeds the response to the last request.
    ///
    /// # Errors
    /// `InvalidCredentials`, `UnknownConnector`, `CookieRejected`, `HostMismatch`,
    /// `InsecureTransport` or `LoginFailed`, each saying what to change.
    pub fn handle_response(&mut self, resp: HttpResponse) -> Result<Step> {
        let retryable =
            self.current.method == Method::Get && RetryPolicy::retryable_status(resp.status);
        let tries = self.tries;
        self.step(resp).map_err(|e| {
            let e = if retryable && tries > 1 {
                Error::Attempts {
                    attempts: tries,
                    last: Box::new(e),
                }
            } else {
                e
            };
            self.scrub(e)
        })
    }

    /// Servers may echo the form, or the cookies they set, back in an error page: an error never
    /// quotes the password or a cookie value the login was given (held, replaced, deleted or
    /// refused; the username stays readable).
    fn scrub(&self, err: Error) -> Error {
        let mut set: SecretSet = self.jar.values().into_iter().collect();
        set.extend(self.seen_values.iter().map(Secret::expose));
        set.add(self.cfg.password.expose());
        set.keep(&self.cfg.username);
        err.scrubbed_with(&set)
    }

    /// Asked before [`LoginFlow::handle_response`]: `Some(ms)` when the answer to the last
    /// request is worth another try (a `GET` answered 429, 502, 503 or 504 while the retry policy
    /// allows more): wait that long, then send [`LoginFlow::retry`]. The answer's cookies are
    /// kept. `None`: hand the answer to [`LoginFlow::handle_response`]. `jitter` is a random
    /// number in [0, 1).
    pub fn retry_verdict(&mut self, resp: &HttpResponse, jitter: f64) -> Option<u32> {
        if !RetryPolicy::retryable_status(resp.status) || !self.may_retry() {
            return None;
        }
        self.exchanges += 1;
        self.absorb(resp);
        self.retried += 1;
        Some(
            self.retry
                .delay_ms(self.tries, resp.headers.get("retry-after"), jitter),
        )
    }

    /// `fetch` rejected the last request before any answer. `Ok(ms)`: wait that long, then send
    /// [`LoginFlow::retry`]. `retryable` is false for TLS failures, timeouts and aborts, which
    /// another try would not mend.
    ///
    /// # Errors
    /// `err` itself, saying how many tries were made when there were several: the login stops.
    pub fn network_error(&mut self, err: Error, retryable: bool, jitter: f64) -> Result<u32> {
        if retryable && self.may_retry() {
            self.retried += 1;
            return Ok(self.retry.delay_ms(self.tries, None, jitter));
        }
        let err = if self.tries > 1 {
            Error::Attempts {
                attempts: self.tries,
                last: Box::new(err),
            }
        } else {
            err
        };
        Err(self.scrub(err))
    }

    /// The last request again, with the cookies the jar holds now, after a wait that
    /// [`LoginFlow::retry_verdict`] or [`LoginFlow::network_error`] asked for.
    pub fn retry(&mut self) -> HttpRequest {
        let mut req = self.current.clone();
        req.headers.remove("cookie");
        if let Some(cookie) = self.jar.header_for(&req.url) {
            req.headers.set("cookie", cookie);
        }
        self.tries += 1;
        self.current = req.clone();
        req
    }

    /// Only `GET`s are retried, `retry.retries` times per request and [`MAX_LOGIN_RETRIES`] in
    /// all: the password `POST` is never sent twice.
    fn may_retry(&self) -> bool {
        self.current.method == Method::Get
            && self.tries <= self.retry.retries
            && self.retried < MAX_LOGIN_RETRIES
    }

    /// Stores an answer's cookies, and after the password was accepted, notes what the answer
    /// pushed out of the jar.
    fn absorb(&mut self, resp: &HttpResponse) {
        for line in resp.set_cookies.iter().take(MAX_SET_COOKIE_LINES) {
            let Some((_, value)) = line.split(';').next().and_then(|c| c.split_once('=')) else {
                continue;
            };
            let value = Secret::new(value.trim());
            if value.expose().len() >= MIN_SECRET_BYTES
                && self.seen_values.len() < MAX_SEEN_VALUES
                && !self.seen_values.contains(&value)
            {
                self.seen_values.push(value);
            }
        }
        let evicted_before = self.jar.evicted().len();
        let skipped_before = self.jar.skipped_lines();
        let rejected = self.jar.store(&resp.url, &resp.set_cookies);
        let room = MAX_REJECTED_KEPT.saturating_sub(self.rejected.len());
        self.rejected.extend(rejected.into_iter().take(room));
        if let Some(accepted) = &mut self.accepted {
            let evicted = self.jar.evicted();
            for e in evicted.get(evicted_before..).unwrap_or_default() {
                if accepted.evicted.len() < EVICTED_QUOTED * 4 {
                    accepted.evicted.push(e.clone());
                }
            }
            accepted.skipped = accepted
                .skipped
                .saturating_add(self.jar.skipped_lines().saturating_sub(skipped_before));
            if self.jar.names_for(&self.cfg.start_url).len() >= MAX_COOKIES_PER_DOMAIN {
                accepted.saturated = true;
            }
            let host = host_port(&resp.url);
            if !accepted.hosts.contains(&host) {
                accepted.hosts.push(host);
            }
        }
    }

    /// Dex accepted the password: from now on, only cookies set by later answers can be the
    /// session.
    fn accept_credentials(&mut self) {
        if self.credentials_accepted {
            return;
        }
        self.credentials_accepted = true;
        self.accepted = Some(Accepted {
            before: self.jar.export(),
            ..Accepted::default()
        });
    }

    fn step(&mut self, resp: HttpResponse) -> Result<Step> {
        self.exchanges += 1;
        self.absorb(&resp);
        if self.exchanges.saturating_sub(self.retried) > MAX_HOPS {
            return Err(self.fail(
                &resp,
                format!("more than {MAX_HOPS} steps without finishing; the gateway may be looping"),
            ));
        }
        if resp.is_redirect() {
            return self.on_redirect(&resp);
        }
        match resp.status {
            200..=299 => self.on_page(&resp),
            401 => self.on_unauthorized(&resp),
            403 => self.on_forbidden(&resp),
            400 => self.on_bad_request(&resp),
            // The bare KFP API server has nothing at `/`: no gateway, no login.
            404 if self.stage == Stage::Start => Ok(self.done(false)),
            _ => Err(self.fail(&resp, server_says(&resp))),
        }
    }

    fn send(&mut self, mut req: HttpRequest) -> HttpRequest {
        if let Some(cookie) = self.jar.header_for(&req.url) {
            req.headers.set("cookie", cookie);
        }
        self.tries = 1;
        self.current = req.clone();
        req
    }

    fn get(&mut self, url: Url) -> Result<Step> {
        let req = HttpRequest::get(url).with_header("accept", ACCEPT_HTML);
        Ok(Step::Send(self.send(req)))
    }

    fn post(&mut self, url: Url, fields: &[(&str, &str)]) -> Result<Step> {
        let req = HttpRequest::post_form(url, fields).with_header("accept", ACCEPT_HTML);
        Ok(Step::Send(self.send(req)))
    }

    fn done(&mut self, authenticated: bool) -> Step {
        Step::Done(Session {
            jar: std::mem::take(&mut self.jar),
            authenticated,
            exchanges: self.exchanges,
        })
    }

    fn on_redirect(&mut self, resp: &HttpResponse) -> Result<Step> {
        let Some(mut target) = resp.location() else {
            return Err(self.fail(resp, "a redirect without a usable Location header"));
        };
        if !matches!(target.scheme(), "http" | "https") {
            return Err(self.fail(
                resp,
                format!(
                    "a redirect to a {}: URL, which a login never uses",
                    target.scheme()
                ),
            ));
        }
        if matches!(self.stage, Stage::PasswordPosted | Stage::ApprovalPosted) {
            // Dex answered the POST with 303: the password is good (§1.4). Next comes the
            // approval step or the gateway's callback.
            self.accept_credentials();
        }
        if self.credentials_accepted && !self.is_login_path(&target) {
            // The callback sent us back to the application: the session cookie is set (§6 (a)
            // row 6, (b) row 7, (c) row 6). Fetching the application page would be one request
            // more for nothing.
            return self.finish(resp);
        }
        if is_dex_authorize(&target) {
            self.note_issuer(&target);
            if !self.connector_param
                && !self.credentials_accepted
                && !has_query_key(&target, "connector_id")
            {
                // Every Dex version honours connector_id (§1.2); it skips the selection page.
                target
                    .query_pairs_mut()
                    .append_pair("connector_id", &self.cfg.connector);
                self.connector_param = true;
            }
        }
        self.stage = if self.credentials_accepted {
            if target.path().ends_with("/approval") {
                Stage::ApprovalPosted
            } else {
                Stage::Callback
            }
        } else if self.is_dex_path(&target) {
            Stage::Dex
        } else {
            Stage::Gateway
        };
        self.get(target)
    }

    fn on_page(&mut self, resp: &HttpResponse) -> Result<Step> {
        let html = resp.text();
        if let Some(form) = pages::password_form(&html) {
            return self.on_password_form(resp, form);
        }
        if let Some(approval) = pages::approval_form(&html) {
            if self.current.method == Method::Post && self.stage == Stage::ApprovalPosted {
                return Err(self.fail(
                    resp,
                    "Dex showed the Grant Access page again after approval",
                ));
            }
            // Dex ≥ 2.39 with approval_prompt=force (Kubeflow 1.9.0, deployKF ≤ 0.1.4): the
            // form has no action, so it posts to the page's own URL with ?req=&hmac= (§1.5).
            let url = self.form_target(resp, approval.action.as_deref())?;
            let req = if approval.req.is_empty() {
                query_value(&resp.url, "req").unwrap_or_default()
            } else {
                approval.req
            };
            self.accept_credentials();
            self.stage = Stage::ApprovalPosted;
            return self.post(url, &[("req", &req), ("approval", "approve")]);
        }
        let links = pages::connector_links(&html);
        if !links.is_empty() && self.is_dex_path(&resp.url) && !self.credentials_accepted {
            return match links.iter().find(|l| l.id == self.cfg.connector) {
                Some(link) => {
                    let target = resp
                        .url
                        .join(&link.href)
                        .map_err(|_| self.fail(resp, "a connector link that is not a URL"))?;
                    self.stage = Stage::Dex;
                    self.get(target)
                }
                None => Err(Error::UnknownConnector {
                    requested: self.cfg.connector.clone(),
                    offered: offered_connectors(links),
                }),
            };
        }
        if let Some(sign_in) = pages::sign_in_form(&html) {
            return self.follow_sign_in(resp, sign_in);
        }
        match self.stage {
            // A page of the application itself, with no IdP on the way: nothing guards this
            // endpoint (§6 (d)).
            Stage::Start | Stage::Gateway
                if self.issuer_prefix.is_none()
                    && resp.url.origin() == self.cfg.start_url.origin()
                    && !self.is_login_path(&resp.url) =>
            {
                Ok(self.done(false))
            }
            _ if self.credentials_accepted => self.finish(resp),
            Stage::PasswordPosted => Err(self.invalid_credentials(resp)),
            _ => Err(self.fail(resp, format!("an unexpected page{}", page_title(resp)))),
        }
    }

    fn on_password_form(&mut self, resp: &HttpResponse, form: pages::PasswordForm) -> Result<Step> {
        if self.stage == Stage::PasswordPosted {
            // Dex < 2.36 re-renders the form with 200 on a wrong password (§1.4, §6 (e)).
            return Err(self.invalid_credentials(resp));
        }
        if let Some(shown) = connector_of(&resp.url) {
            if shown != self.cfg.connector {
                return Err(Error::UnknownConnector {
                    requested: self.cfg.connector.clone(),
                    offered: vec![shown],
                });
            }
        }
        let target = self.form_target(resp, form.action.as_deref())?;
        if self.cfg.start_url.scheme() == "https" && target.scheme() != "https" {
            return Err(Error::InsecureTransport {
                url: redact_url(&target),
            });
        }
        self.note_issuer(&resp.url);
        self.stage = Stage::PasswordPosted;
        let username = self.cfg.username.clone();
        let password = self.cfg.password.clone();
        self.post(
            target,
            &[
                (&form.login_field, &username),
                (&form.password_field, password.expose()),
            ],
        )
    }

    /// A form's target: its action resolved against the page, or the page itself. Credentials
    /// and approvals only go back to the origin that served the form.
    fn form_target(&self, resp: &HttpResponse, action: Option<&str>) -> Result<Url> {
        let target = match action {
            Some(a) => resp
                .url
                .join(a)
                .map_err(|_| self.fail(resp, "a form action that is not a URL"))?,
            None => resp.url.clone(),
        };
        if target.origin() != resp.url.origin() {
            return Err(self.fail(
                resp,
                format!("the login form posts to another origin ({}); refusing to send credentials there", redact_url(&target)),
            ));
        }
        Ok(target)
    }

    fn follow_sign_in(&mut self, resp: &HttpResponse, form: pages::SignInForm) -> Result<Step> {
        if self.credentials_accepted {
            return Err(self.diagnose(
                resp,
                "the gateway asked to sign in again right after the login",
            ));
        }
        let mut target = resp
            .url
            .join(&form.action)
            .map_err(|_| self.fail(resp, "a sign-in form action that is not a URL"))?;
        let rd = form
            .rd
            .unwrap_or_else(|| self.cfg.start_url.path().to_owned());
        target.query_pairs_mut().clear().append_pair("rd", &rd);
        self.stage = Stage::Gateway;
        self.get(target)
    }

    fn on_unauthorized(&mut self, resp: &HttpResponse) -> Result<Step> {
        match self.stage {
            // Dex ≥ 2.36 answers a wrong password with 401 and the form (§1.4).
            Stage::PasswordPosted => Err(self.invalid_credentials(resp)),
            // oauth2-proxy's 401 `{}` for API routes or JSON clients (§2.1 rule 1): start the
            // login ourselves, as the sign-in page would.
            Stage::Start if is_empty_json(resp) => {
                let mut target = resp
                    .url
                    .join("/oauth2/start")
                    .map_err(|_| self.fail(resp, "cannot build /oauth2/start"))?;
                target
                    .query_pairs_mut()
                    .append_pair("rd", self.cfg.start_url.path());
                self.stage = Stage::Gateway;
                self.get(target)
            }
            _ => Err(self.fail(resp, server_says(resp))),
        }
    }

    fn on_forbidden(&mut self, resp: &HttpResponse) -> Result<Step> {
        let html = resp.text();
        if let Some(sign_in) = pages::sign_in_form(&html) {
            // oauth2-proxy's sign-in page (Kubeflow ≥ 1.9.1, deployKF with enableSignInPage).
            return self.follow_sign_in(resp, sign_in);
        }
        if self.stage == Stage::Callback && html.contains("CSRF") {
            return self.on_csrf_failure(resp);
        }
        if self.stage == Stage::PasswordPosted {
            return Err(self.invalid_credentials(resp));
        }
        Err(self.diagnose(resp, server_says(resp)))
    }

    fn on_bad_request(&mut self, resp: &HttpResponse) -> Result<Step> {
        let text = resp.text();
        if self.connector_param
            && self.stage == Stage::Dex
            && text.contains("Connector ID does not match")
        {
            // Dex refused our connector_id: load the same /auth URL without it to learn which
            // connectors it offers (one request, only on this error path). connector_param stays
            // set, so it is not added again.
            let mut target = self.current.url.clone();
            let pairs: Vec<(String, String)> = target
                .query_pairs()
                .filter(|(k, _)| k != "connector_id")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            target.query_pairs_mut().clear().extend_pairs(pairs);
            return self.get(target);
        }
        if self.stage == Stage::Callback && text.contains("CSRF") {
            return self.on_csrf_failure(resp);
        }
        Err(self.fail(resp, server_says(resp)))
    }

    /// The callback could not find its CSRF cookie (oauth2-proxy 403, oidc-authservice 400).
    /// A refused cookie, another host name or a cookie flood explains it; otherwise the CSRF
    /// cookie may have expired (15 minutes): restart once from `apiUrl`, as Kubeflow's own test
    /// client does (§4, §5).
    fn on_csrf_failure(&mut self, resp: &HttpResponse) -> Result<Step> {
        let other_host = !resp
            .url
            .host_str()
            .unwrap_or_default()
            .eq_ignore_ascii_case(self.cfg.start_url.host_str().unwrap_or_default());
        // A cookie flood that pushed the CSRF cookie out of the jar would do it again.
        let flooded = !self.jar.evicted().is_empty() || self.jar.skipped_lines() > 0;
        if !self.rejected.is_empty() || other_host || flooded || self.restarts > 0 {
            return Err(self.diagnose(resp, "the callback rejected the login's CSRF state cookie"));
        }
        self.restarts += 1;
        self.credentials_accepted = false;
        self.accepted = None;
        self.connector_param = false;
        Ok(Step::Send(self.start()))
    }

    /// The callback redirected back to the application. The login worked if a cookie set after
    /// Dex accepted the password (not the CSRF or state cookie set before) will be sent to
    /// `apiUrl`, and no cookie flood since may have pushed the session cookie out of the jar.
    fn finish(&mut self, resp: &HttpResponse) -> Result<Step> {
        let accepted = self.accepted.take().unwrap_or_default();
        if accepted.saturated || accepted.skipped > 0 || !accepted.evicted.is_empty() {
            let reason = flood_reason(
                &accepted.evicted,
                accepted.skipped,
                "after the password was accepted",
            );
            return Err(self.fail(
                resp,
                format!("{reason}; the session cookie was probably among them"),
            ));
        }
        if self.fresh_cookie_for_api_url(&accepted.before) {
            return Ok(self.done(true));
        }
        let api_host = self.cfg.start_url.host_str().unwrap_or_default();
        let other_host = accepted
            .hosts
            .iter()
            .find(|h| !same_host(h, api_host))
            .cloned()
            .or_else(|| {
                resp.location()
                    .filter(|t| {
                        !t.host_str()
                            .unwrap_or_default()
                            .eq_ignore_ascii_case(api_host)
                    })
                    .map(|t| host_port(&t))
            })
            .filter(|h| !h.is_empty());
        if self.rejected.iter().all(|r| r.name.is_empty()) {
            if let Some(login_host) = other_host {
                return Err(Error::HostMismatch {
                    api_host: host_port(&self.cfg.start_url),
                    login_host,
                });
            }
        }
        Err(self.diagnose(
            resp,
            "the gateway set no session cookie that applies to apiUrl after the password was accepted",
        ))
    }

    /// True when a cookie that is sent to `apiUrl` was not in the jar (with that value) when the
    /// password was accepted.
    fn fresh_cookie_for_api_url(&self, before: &[ExportedCookie]) -> bool {
        let old: Vec<(&str, &str)> = before
            .iter()
            .map(|c| (c.name.as_str(), c.value.expose()))
            .collect();
        let Some(header) = self.jar.header_for(&self.cfg.start_url) else {
            return false;
        };
        header.split("; ").any(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            !value.is_empty() && !old.contains(&(name, value))
        })
    }

    /// Explains a failure by how the gateway is reached, when that is the cause.
    fn diagnose(&self, resp: &HttpResponse, fallback: impl Into<String>) -> Error {
        if let Some(r) = self.rejected.iter().find(|r| !r.name.is_empty()) {
            let hint = match &r.rejection {
                CookieRejection::SecureOverHttp => "Use an https apiUrl (the gateway marks its cookies Secure), or configure the gateway for plain http (oauth2-proxy cookie_secure=false; deployKF clientsUseHttps=false).".to_owned(),
                CookieRejection::DomainMismatch { domain } => {
                    let domain = domain.trim_start_matches('.');
                    let mut suggested = self.cfg.start_url.clone();
                    let suggestion = match suggested.set_host(Some(domain)) {
                        Ok(()) => suggested.as_str().trim_end_matches('/').to_owned(),
                        Err(_) => format!("{}://{domain}/pipeline", self.cfg.start_url.scheme()),
                    };
                    format!(
                        "Reach the gateway by the host name the cookie is scoped to: use apiUrl {suggestion} (map {domain} to the gateway's address if needed), or drop the cookie domain on the gateway (deployKF ≥ 0.1.4 sets none)."
                    )
                }
                CookieRejection::InvalidHostPrefix | CookieRejection::Malformed | CookieRejection::TooLarge => {
                    "The gateway's cookie settings are broken; report it to the deployment's operator.".to_owned()
                }
            };
            return Error::CookieRejected {
                cookie: r.name.clone(),
                host: r.host.clone(),
                rejection: r.rejection.clone(),
                hint,
            };
        }
        if !self.jar.evicted().is_empty() || self.jar.skipped_lines() > 0 {
            let reason = flood_reason(
                self.jar.evicted(),
                self.jar.skipped_lines(),
                "during the login",
            );
            return self.fail(resp, format!("{}; {reason}", fallback.into()));
        }
        let api_host = self.cfg.start_url.host_str().unwrap_or_default();
        let login_host = resp.url.host_str().unwrap_or_default();
        if !login_host.is_empty() && !api_host.eq_ignore_ascii_case(login_host) {
            return Error::HostMismatch {
                api_host: host_port(&self.cfg.start_url),
                login_host: host_port(&resp.url),
            };
        }
        self.fail(resp, fallback)
    }

    fn invalid_credentials(&self, resp: &HttpResponse) -> Error {
        Error::InvalidCredentials {
            connector: connector_of(&resp.url).unwrap_or_else(|| self.cfg.connector.clone()),
            status: resp.status,
            url: redact_url(&resp.url),
        }
    }

    fn fail(&self, resp: &HttpResponse, reason: impl Into<String>) -> Error {
        Error::login_failed(
            self.stage.describe(),
            &redact_url(&resp.url),
            Some(resp.status),
            reason,
        )
    }

    fn note_issuer(&mut self, url: &Url) {
        if self.issuer_prefix.is_some() {
            return;
        }
        let path = url.path();
        if let Some(pos) = path.rfind("/auth") {
            self.issuer_prefix = Some(format!(
                "{}{}",
                url.origin().ascii_serialization(),
                &path[..pos]
            ));
        }
    }

    fn is_dex_path(&self, url: &Url) -> bool {
        if let Some(prefix) = &self.issuer_prefix {
            let key = format!("{}{}", url.origin().ascii_serialization(), url.path());
            if key.starts_with(prefix.as_str()) {
                return true;
            }
        }
        is_dex_authorize(url) || url.path().contains("/dex/")
    }

    /// [`is_login_url`], plus the Dex issuer this flow has seen (wherever it is mounted).
    fn is_login_path(&self, url: &Url) -> bool {
        self.is_dex_path(url) || is_login_url(url)
    }
}

/// URLs of the login machinery rather than of the application: Dex (under `/dex/`, or its
/// authorization endpoint anywhere), oauth2-proxy's `/oauth2/*`, oidc-authservice's
/// `/authservice/*` and `/login/oidc`, and callback and approval endpoints. The login flow
/// uses it to know when it is back at the application; API calls, to recognise a redirect
/// towards a login (research notes §5, §7 step 10).
pub fn is_login_url(url: &Url) -> bool {
    let path = url.path();
    is_dex_authorize(url)
        || path.contains("/dex/")
        || path.starts_with("/oauth2/")
        || path.starts_with("/authservice/")
        || path.starts_with("/login")
        || path.ends_with("/callback")
        || path.ends_with("/approval")
}

/// Dex's authorization endpoint: `…/auth?client_id=…&redirect_uri=…`.
fn is_dex_authorize(url: &Url) -> bool {
    url.path().ends_with("/auth")
        && has_query_key(url, "client_id")
        && has_query_key(url, "redirect_uri")
}

/// oauth2-proxy's 401 body: `{}` (or nothing).
fn is_empty_json(resp: &HttpResponse) -> bool {
    let text = resp.text();
    let t = text.trim();
    t.is_empty() || t == "{}"
}

fn has_query_key(url: &Url, key: &str) -> bool {
    url.query_pairs().any(|(k, _)| k == key)
}

fn query_value(url: &Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The connector id in a Dex URL: `…/auth/<id>/login` or `…/auth/<id>`.
pub(crate) fn connector_of(url: &Url) -> Option<String> {
    let segments: Vec<&str> = url.path_segments()?.collect();
    let pos = segments.iter().rposition(|s| *s == "auth")?;
    segments
        .get(pos + 1)
        .filter(|s| !s.is_empty())
        .map(|s| (*s).to_owned())
}

/// The connector ids a selection page offers, each once, at most [`MAX_OFFERED_CONNECTORS`]
/// (a hostile page may list thousands; the error lists them all in its message).
fn offered_connectors(links: Vec<pages::ConnectorLink>) -> Vec<String> {
    let mut offered: Vec<String> = Vec::new();
    for link in links {
        if offered.len() == MAX_OFFERED_CONNECTORS {
            break;
        }
        let id: String = link.id.chars().take(64).collect();
        if !offered.contains(&id) {
            offered.push(id);
        }
    }
    offered
}

/// `host:port` (or `host`) names the host `host`.
fn same_host(host_port: &str, host: &str) -> bool {
    let name = match host_port.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host_port,
    };
    name.eq_ignore_ascii_case(host)
}

/// What a cookie flood did, for messages: the cookies pushed out (names only, a few) and the
/// `Set-Cookie` lines ignored.
fn flood_reason(evicted: &[Evicted], skipped: usize, when: &str) -> String {
    let mut parts = Vec::new();
    if !evicted.is_empty() {
        let mut names: Vec<String> = evicted
            .iter()
            .take(EVICTED_QUOTED)
            .map(|e| {
                let name: String = e.name.chars().take(64).collect();
                let domain: String = e.domain.chars().take(100).collect();
                format!("{name} ({domain})")
            })
            .collect();
        if evicted.len() > EVICTED_QUOTED {
            names.push(format!("{} more", evicted.len() - EVICTED_QUOTED));
        }
        parts.push(format!(
            "the per-host limit of {MAX_COOKIES_PER_DOMAIN} cookies pushed out {}",
            names.join(", ")
        ));
    }
    if skipped > 0 {
        parts.push(format!(
            "{skipped} Set-Cookie lines past {} in one answer were ignored",
            MAX_SET_COOKIE_LINES
        ));
    }
    if parts.is_empty() {
        parts.push(format!(
            "the jar holds {MAX_COOKIES_PER_DOMAIN} cookies for apiUrl's host, the per-host limit"
        ));
    }
    format!(
        "the gateway set more cookies than a browser keeps {when} ({})",
        parts.join("; ")
    )
}

pub(crate) fn host_port(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    }
}

fn page_title(resp: &HttpResponse) -> String {
    pages::title(&resp.text())
        .map(|t| format!(" (title: {t})"))
        .unwrap_or_default()
}

/// A short, safe description of what the server said.
pub(crate) fn server_says(resp: &HttpResponse) -> String {
    let text = resp.text();
    let said = if resp.is_html() {
        pages::error_text(&text)
            .or_else(|| pages::title(&text))
            .unwrap_or_else(|| pages::strip_tags(&text))
    } else {
        text.chars().take(200).collect::<String>().trim().to_owned()
    };
    if said.is_empty() {
        format!("the server answered HTTP {}", resp.status)
    } else {
        format!("the server answered HTTP {}: {said}", resp.status)
    }
}

#[cfg(test)]
mod tests;
