//! The login and the session of a browser page, with no I/O.
//!
//! A page cannot walk a login hop by hop: `fetch` with `redirect: "manual"` answers a redirect
//! with an opaque response (status 0, no `Location`), `Set-Cookie` is hidden, and the browser
//! keeps the (HttpOnly) cookies itself (`research/dex-login-flows.md` §7, "Browser"). So in a
//! page:
//! - [`BrowserLogin`] logs in through Dex with `redirect: "follow"` and
//!   `credentials: "include"`, one request per *page* of the login: each answer is where the
//!   browser's redirect chain ended (`response.url`), and the flow tells the Dex password form,
//!   the Grant Access page, the connector selection and oauth2-proxy's sign-in page apart by
//!   their HTML ([`pages`]), success by landing back on `apiUrl`'s origin outside the login
//!   URLs ([`is_login_url`]), and a wrong password by Dex showing its form again (§1.4, §6 (e)).
//!   It has [`LoginFlow`](crate::core::login::LoginFlow)'s shape and returns its [`Step`].
//! - [`Gateway`] reads which login sits in front of KFP from an API answer (or from the
//!   `/oauth2/auth` probe when the answer was opaque), and [`login_url`] builds the URL that
//!   signs the user in and brings them back to the page: `<origin>/oauth2/start?rd=<page>`
//!   with oauth2-proxy (§2.1), `apiUrl` itself otherwise (oidc-authservice returns to the first
//!   URL it saw, §4).
//! - [`PageError`] is an [`Error`] with what only a page needs: a message naming the origin the
//!   page must be served from, and the `loginUrl`.

use std::fmt;

use url::Url;

use crate::core::error::{Error, ErrorCode, Result};
use crate::core::http::{redact_url, HttpRequest, HttpResponse};
use crate::core::login::{connector_of, host_port, server_says};
use crate::core::login::{is_login_url, pages, LoginConfig, Session, Step};
use crate::core::secret::SecretSet;

/// At most this many requests in one page login. The longest flow (Kubeflow 1.9.0's Grant Access
/// page behind the oauth2-proxy sign-in page) takes 4; a CSRF restart doubles it.
pub const MAX_STEPS: u32 = 12;

const ACCEPT_HTML: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8";

// ---------------------------------------------------------------------------------------------
// Errors of a page

/// An [`Error`] (which gives the code and status) with a message for a page's developer, and
/// where the user signs in when that is the way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError {
    pub error: Error,
    /// Boxed: errors travel in `Result`s, and most have no extra.
    extra: Option<Box<Extra>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Extra {
    /// Replaces the error's own message when set.
    message: Option<String>,
    login_url: Option<Url>,
}

impl PageError {
    pub fn new(error: Error) -> Self {
        PageError { error, extra: None }
    }

    fn extra(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Default::default)
    }

    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.extra().message = Some(message.into());
        self
    }

    #[must_use]
    pub fn with_login_url(mut self, url: Url) -> Self {
        self.extra().login_url = Some(url);
        self
    }

    /// `err.loginUrl`: sends the user through the gateway's login and back to the page.
    pub fn login_url(&self) -> Option<&Url> {
        self.extra.as_ref()?.login_url.as_ref()
    }

    pub fn code(&self) -> ErrorCode {
        self.error.code()
    }

    /// The HTTP status, when there was one (an opaque answer's 0 is none).
    pub fn status(&self) -> Option<u16> {
        self.error.status().filter(|s| *s != 0)
    }

    /// The same error with every secret of `set` removed from its message.
    #[must_use]
    pub fn scrubbed_with(self, set: &SecretSet) -> Self {
        PageError {
            error: self.error.scrubbed_with(set).shortened(),
            extra: self.extra.map(|mut e| {
                e.message = e.message.map(|m| set.scrub(&m));
                e
            }),
        }
    }
}

impl From<Error> for PageError {
    fn from(error: Error) -> Self {
        PageError::new(error)
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.extra.as_ref().and_then(|e| e.message.as_ref()) {
            Some(m) => f.write_str(m),
            None => self.error.fmt(f),
        }
    }
}

/// Where the page runs: `location.origin` and `location.pathname + location.search`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLocation {
    pub origin: String,
    pub path: String,
}

fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// `apiUrl` moved to `origin`, for messages.
fn moved(api: &Url, origin: &Url) -> String {
    let mut suggested = api.clone();
    let _ = suggested.set_scheme(origin.scheme());
    let _ = suggested.set_host(origin.host_str());
    let _ = suggested.set_port(origin.port());
    suggested.as_str().trim_end_matches('/').to_owned()
}

/// The login ended on another origin than `apiUrl`'s: the page cannot follow it there (the
/// browser scopes the session cookie to that origin and keeps the page from reading its
/// answers). deployKF builds absolute redirects from its configured host name (§5).
pub fn host_mismatch(api: &Url, landed: &Url) -> PageError {
    let target = origin_of(landed);
    PageError::new(Error::HostMismatch {
        api_host: host_port(api),
        login_host: host_port(landed),
    })
    .with_message(format!(
        "The login left {} for {target}, the origin the gateway is configured for, and a page can only follow a login on its own origin (the browser keeps the session cookie for {target}). Serve this page from {target} and set apiUrl to {}, or configure the gateway's host name as {}.",
        origin_of(api),
        moved(api, landed),
        origin_of(api),
    ))
}

/// A followed request failed in `fetch` (a `TypeError`, which is how a browser reports a CORS
/// block) and is explained by origins: `page` is on another origin than `apiUrl`, or
/// `redirected` says the same request sent with `redirect: "manual"` got an opaque redirect, so
/// the server answered and the browser refused to follow the redirect (it leads to another
/// origin). `None` when neither holds: it is a network error.
pub fn blocked_by_origin(
    api: &Url,
    page: Option<&PageLocation>,
    redirected: bool,
) -> Option<PageError> {
    let api_origin = origin_of(api);
    let mismatch = |login_host: String, message: String| {
        PageError::new(Error::HostMismatch {
            api_host: host_port(api),
            login_host,
        })
        .with_message(message)
    };
    if let Some(page) = page.filter(|p| p.origin != api_origin && p.origin != "null") {
        let page_host = Url::parse(&page.origin)
            .map(|u| host_port(&u))
            .unwrap_or_default();
        return Some(mismatch(
            page_host,
            format!(
                "This page ({}) cannot log in at {api_origin}: browsers keep a page from reading another origin's answers, and the gateway and Dex send no CORS headers. Serve this page from {api_origin} (for example behind the same gateway), or run the client in Node.js.",
                page.origin
            ),
        ));
    }
    if redirected {
        return Some(mismatch(
            String::new(),
            format!(
                "The gateway at {api_origin} redirected the login to another origin, which the browser does not let this page follow (it hides the target). Serve this page from the origin of the gateway's configured host name (where its login redirects; deployKF's issuer host) and set apiUrl on that origin, or configure the gateway for {api_origin}."
            ),
        ));
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The gateway and its login URL

/// The login in front of KFP, as far as an answer tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gateway {
    /// oauth2-proxy: its start endpoint (`<origin>/oauth2/start`, or the sign-in form's action).
    OAuth2Proxy { start: Url },
    /// oidc-authservice (Kubeflow ≤ 1.8): it returns to the first URL it saw.
    AuthService,
    /// Nothing says (an opaque redirect): ask [`Gateway::probe`].
    Unknown,
}

impl Gateway {
    fn oauth2_proxy(url: &Url) -> Gateway {
        match url.join("/oauth2/start") {
            Ok(start) => Gateway::OAuth2Proxy { start },
            Err(_) => Gateway::Unknown,
        }
    }

    /// From an API call's answer that meant "not signed in"
    /// ([`crate::core::client::session_lost`]).
    pub fn from_answer(resp: &HttpResponse) -> Gateway {
        if resp.status == 401 {
            // oauth2-proxy's `{}` for API routes (§2.1), or Istio's "Jwt is expired" behind it
            // (Kubeflow ≥ 1.9.1); oidc-authservice redirects instead (§4).
            return Gateway::oauth2_proxy(&resp.url);
        }
        if resp.is_redirect() {
            return match resp.location() {
                Some(target) => Gateway::from_login_target(&resp.url, &target),
                None => Gateway::Unknown,
            };
        }
        if resp.is_html() {
            if let Some(form) = pages::sign_in_form(&resp.text()) {
                let path = form.action.split('?').next().unwrap_or_default();
                if let Ok(start) = resp.url.join(path) {
                    return Gateway::OAuth2Proxy { start };
                }
            }
        }
        Gateway::Unknown
    }

    /// From where a login redirect points: oauth2-proxy's own URLs, or Dex with the gateway's
    /// `redirect_uri` (`/oauth2/callback` or `/authservice/oidc/callback`, `/login/oidc`).
    fn from_login_target(from: &Url, target: &Url) -> Gateway {
        let callback = target
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .and_then(|(_, v)| from.join(&v).ok());
        let paths = [Some(target), callback.as_ref()];
        for path in paths.iter().flatten().map(|u| u.path()) {
            if path.starts_with("/oauth2/") {
                return Gateway::oauth2_proxy(from);
            }
            if path.starts_with("/authservice/") || path.starts_with("/login/oidc") {
                return Gateway::AuthService;
            }
        }
        Gateway::Unknown
    }

    /// The probe for an opaque answer: oauth2-proxy's `GET /oauth2/auth` answers 401 or 202 and
    /// never redirects (§2.1); behind oidc-authservice the same path is redirected to Dex. It
    /// mints no CSRF cookie on oauth2-proxy.
    pub fn probe(api: &Url) -> Option<HttpRequest> {
        let url = api.join("/oauth2/auth").ok()?;
        Some(HttpRequest::get(url).with_header("accept", "application/json"))
    }

    /// Reads the probe's answer.
    pub fn from_probe(resp: &HttpResponse) -> Gateway {
        match resp.status {
            401 | 200..=299 => Gateway::oauth2_proxy(&resp.url),
            _ if resp.is_redirect() => resp.location().map_or(Gateway::Unknown, |t| {
                Gateway::from_login_target(&resp.url, &t)
            }),
            _ => Gateway::Unknown,
        }
    }
}

/// Where the user signs in and comes back to the page: `<start>?rd=<page path>` with
/// oauth2-proxy (the page's path and query when it is on the gateway's origin, its whole URL
/// otherwise, which oauth2-proxy follows only to whitelisted domains; `apiUrl`'s path when there
/// is no page), else `apiUrl` (any gateway logs in a browser that opens it, and
/// oidc-authservice returns there).
pub fn login_url(api: &Url, gateway: &Gateway, page: Option<&PageLocation>) -> Url {
    let Gateway::OAuth2Proxy { start } = gateway else {
        return api.clone();
    };
    let rd = match page {
        Some(p) if p.origin == origin_of(start) => p.path.clone(),
        Some(p) if p.origin != "null" => format!("{}{}", p.origin, p.path),
        _ => api.path().to_owned(),
    };
    let mut url = start.clone();
    url.set_fragment(None);
    url.query_pairs_mut().clear().append_pair("rd", &rd);
    url
}

/// `KFP_UNAUTHENTICATED` for a page without a session, with `loginUrl`.
pub fn not_signed_in(
    error: Error,
    api: &Url,
    gateway: &Gateway,
    page: Option<&PageLocation>,
) -> PageError {
    let url = login_url(api, gateway, page);
    let message = match &error {
        Error::NotSignedIn { url: answered, .. } => format!(
            "Not signed in: the gateway answered {answered} with its login instead of KFP, and this page has no session there. Send the user to err.loginUrl ({}) to sign in; it comes back to this page afterwards. Or use auth: {{ type: \"dex\", username, password }}.",
            redact_url(&url)
        ),
        other => format!("{other} Sign in at err.loginUrl ({}).", redact_url(&url)),
    };
    PageError::new(error)
        .with_message(message)
        .with_login_url(url)
}

// ---------------------------------------------------------------------------------------------
// The login

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    SignIn,
    Connector,
    PasswordPosted,
    ApprovalPosted,
}

impl Stage {
    fn describe(self) -> &'static str {
        match self {
            Stage::Start => "the first request to apiUrl",
            Stage::SignIn => "the gateway's sign-in step",
            Stage::Connector => "the Dex connector selection",
            Stage::PasswordPosted => "the password submission",
            Stage::ApprovalPosted => "the Dex Grant Access step",
        }
    }
}

/// The Dex login of a page, fed with followed answers (`response.url` is where the chain ended).
#[derive(Debug)]
pub struct BrowserLogin {
    cfg: LoginConfig,
    stage: Stage,
    current: HttpRequest,
    steps: u32,
    /// Dex took the password (the chain after the POST left the form).
    credentials_accepted: bool,
    restarts: u32,
}

impl BrowserLogin {
    pub fn new(cfg: LoginConfig) -> Self {
        let current = HttpRequest::get(cfg.start_url.clone());
        BrowserLogin {
            cfg,
            stage: Stage::Start,
            current,
            steps: 0,
            credentials_accepted: false,
            restarts: 0,
        }
    }

    /// `GET apiUrl` asking for HTML, so that the gateway starts its login (§6 (a) row 1).
    pub fn start(&mut self) -> HttpRequest {
        self.stage = Stage::Start;
        self.send(HttpRequest::get(self.cfg.start_url.clone()))
    }

    /// The request sent last (to send again with manual redirects when `fetch` failed on it).
    pub fn current(&self) -> &HttpRequest {
        &self.current
    }

    fn send(&mut self, req: HttpRequest) -> HttpRequest {
        let req = req.with_header("accept", ACCEPT_HTML);
        self.current = req.clone();
        req
    }

    /// Feeds where the last request's redirect chain ended.
    ///
    /// # Errors
    /// `InvalidCredentials`, `UnknownConnector`, `HostMismatch` (with a message for the page),
    /// `InsecureTransport` or `LoginFailed`; never quoting the password.
    pub fn handle_response(&mut self, resp: HttpResponse) -> Result<Step, PageError> {
        let mut set = SecretSet::new();
        set.add(self.cfg.password.expose());
        set.keep(&self.cfg.username);
        self.step(resp).map_err(|e| e.scrubbed_with(&set))
    }

    fn step(&mut self, resp: HttpResponse) -> Result<Step, PageError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self
                .fail(
                    &resp,
                    format!(
                        "more than {MAX_STEPS} steps without finishing; the gateway may be looping"
                    ),
                )
                .into());
        }
        if resp.url.origin() != self.cfg.start_url.origin() {
            return Err(host_mismatch(&self.cfg.start_url, &resp.url));
        }
        let html = if resp.is_html() || resp.media_type().is_empty() {
            resp.text().into_owned()
        } else {
            String::new()
        };
        if let Some(form) = pages::password_form(&html) {
            return self.on_password_form(&resp, form);
        }
        if let Some(form) = pages::approval_form(&html) {
            return Ok(self.on_approval(&resp, form)?);
        }
        let on_login_page = is_login_url(&resp.url);
        if on_login_page && !self.past_password() {
            let links = pages::connector_links(&html);
            if !links.is_empty() {
                return Ok(self.pick_connector(&resp, links)?);
            }
        }
        if let Some(form) = pages::sign_in_form(&html) {
            return Ok(self.follow_sign_in(&resp, form)?);
        }
        if self.stage == Stage::PasswordPosted && matches!(resp.status, 200 | 401) && on_login_page
        {
            // Dex answered the POST without leaving its page: a wrong password (§1.4).
            return Err(self.invalid_credentials(&resp).into());
        }
        if resp.status == 401 && self.stage == Stage::Start && is_empty_json(&resp) {
            // oauth2-proxy's 401 `{}` for API routes (§2.1 rule 1): start its login as the
            // sign-in page would.
            return Ok(self.oauth2_start(&resp)?);
        }
        if matches!(resp.status, 400 | 403) && on_login_page && resp.text().contains("CSRF") {
            return Ok(self.on_csrf_failure(&resp)?);
        }
        if !on_login_page {
            return Ok(self.landed(&resp)?);
        }
        let reason = if resp.status >= 400 {
            server_says(&resp)
        } else {
            format!("an unexpected page{}", page_title(&resp))
        };
        Err(self.fail(&resp, reason).into())
    }

    fn on_password_form(
        &mut self,
        resp: &HttpResponse,
        form: pages::PasswordForm,
    ) -> Result<Step, PageError> {
        if self.stage == Stage::PasswordPosted {
            // Dex re-renders the form: 401 on Dex ≥ 2.36, 200 with an error box before (§1.4).
            return Err(self.invalid_credentials(resp).into());
        }
        if self.credentials_accepted {
            return Err(self
                .fail(resp, "Dex asked for the password again after accepting it")
                .into());
        }
        if let Some(shown) = connector_of(&resp.url) {
            if shown != self.cfg.connector {
                return Err(Error::UnknownConnector {
                    requested: self.cfg.connector.clone(),
                    offered: vec![shown],
                }
                .into());
            }
        }
        let target = self.form_target(resp, form.action.as_deref())?;
        if self.cfg.start_url.scheme() == "https" && target.scheme() != "https" {
            return Err(Error::InsecureTransport {
                url: redact_url(&target),
            }
            .into());
        }
        self.stage = Stage::PasswordPosted;
        let username = self.cfg.username.clone();
        let password = self.cfg.password.clone();
        let req = HttpRequest::post_form(
            target,
            &[
                (&form.login_field, &username),
                (&form.password_field, password.expose()),
            ],
        );
        Ok(Step::Send(self.send(req)))
    }

    /// Dex ≥ 2.39 with `approval_prompt=force` (Kubeflow 1.9.0): the forms have no action, so
    /// they post to the page's URL with its `?req=&hmac=` (§1.5).
    fn on_approval(&mut self, resp: &HttpResponse, form: pages::ApprovalForm) -> Result<Step> {
        if self.stage == Stage::ApprovalPosted {
            return Err(self.fail(
                resp,
                "Dex showed the Grant Access page again after approval",
            ));
        }
        let target = self.form_target(resp, form.action.as_deref())?;
        let req = if form.req.is_empty() {
            resp.url
                .query_pairs()
                .find(|(k, _)| k == "req")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        } else {
            form.req
        };
        self.credentials_accepted = true;
        self.stage = Stage::ApprovalPosted;
        let post = HttpRequest::post_form(target, &[("req", &req), ("approval", "approve")]);
        Ok(Step::Send(self.send(post)))
    }

    /// Several connectors (§6 (f)): the browser followed Dex to its selection page, so the
    /// link of the configured connector is the next step.
    fn pick_connector(
        &mut self,
        resp: &HttpResponse,
        links: Vec<pages::ConnectorLink>,
    ) -> Result<Step> {
        let Some(link) = links.iter().find(|l| l.id == self.cfg.connector) else {
            return Err(Error::UnknownConnector {
                requested: self.cfg.connector.clone(),
                offered: links.into_iter().map(|l| l.id).collect(),
            });
        };
        if self.stage == Stage::Connector {
            return Err(self.fail(resp, "Dex showed the connector selection again"));
        }
        let target = resp
            .url
            .join(&link.href)
            .map_err(|_| self.fail(resp, "a connector link that is not a URL"))?;
        self.stage = Stage::Connector;
        Ok(Step::Send(self.send(HttpRequest::get(target))))
    }

    /// oauth2-proxy's sign-in page (Kubeflow ≥ 1.9.1, deployKF with `enableSignInPage`): its
    /// form is a GET to `/oauth2/start` with the hidden `rd`.
    fn follow_sign_in(&mut self, resp: &HttpResponse, form: pages::SignInForm) -> Result<Step> {
        if self.past_password() {
            return Err(self.fail(
                resp,
                "the gateway asked to sign in again right after the login: the browser did not keep its session cookie (a Secure cookie over http, or cookies blocked for this site)",
            ));
        }
        let target = resp
            .url
            .join(&form.action)
            .map_err(|_| self.fail(resp, "a sign-in form action that is not a URL"))?;
        self.stage = Stage::SignIn;
        let rd = form
            .rd
            .unwrap_or_else(|| self.cfg.start_url.path().to_owned());
        let mut target = target;
        target.query_pairs_mut().clear().append_pair("rd", &rd);
        Ok(Step::Send(self.send(HttpRequest::get(target))))
    }

    fn oauth2_start(&mut self, resp: &HttpResponse) -> Result<Step> {
        let mut target = resp
            .url
            .join("/oauth2/start")
            .map_err(|_| self.fail(resp, "cannot build /oauth2/start"))?;
        target
            .query_pairs_mut()
            .append_pair("rd", self.cfg.start_url.path());
        self.stage = Stage::SignIn;
        Ok(Step::Send(self.send(HttpRequest::get(target))))
    }

    /// The callback did not find its CSRF cookie (oauth2-proxy 403, oidc-authservice 400). In a
    /// page the usual cause is another login in the same browser (another tab) replacing it, so
    /// the login starts over once, as Kubeflow's own test client does (§4, §5).
    fn on_csrf_failure(&mut self, resp: &HttpResponse) -> Result<Step> {
        if self.restarts > 0 {
            return Err(self.fail(
                resp,
                "the gateway's callback rejected the login's CSRF cookie twice: another login ran in this browser at the same time (another tab), or the browser refused the cookie (a Secure cookie over http, or cookies blocked for this site)",
            ));
        }
        self.restarts += 1;
        self.credentials_accepted = false;
        Ok(Step::Send(self.start()))
    }

    /// The chain ended outside the login, on `apiUrl`'s origin.
    fn landed(&mut self, resp: &HttpResponse) -> Result<Step> {
        if self.past_password() {
            // Back at the application after the password (and approval): the browser holds
            // the session cookie the callback set (§6 (a) row 6, (b) row 7, (c) row 6).
            if resp.status >= 500 {
                return Err(self.fail(resp, server_says(resp)));
            }
            self.credentials_accepted = true;
            return Ok(self.done(true));
        }
        match resp.status {
            // No login on the way: nothing guards apiUrl, or the page's session is valid
            // already (§6 (d)); the bare API server has nothing at `/` (404).
            200..=299 | 404 if self.stage == Stage::Start => Ok(self.done(false)),
            _ => Err(self.fail(resp, server_says(resp))),
        }
    }

    /// Dex took the password, or the chain after posting it is under way.
    fn past_password(&self) -> bool {
        self.credentials_accepted || self.stage == Stage::PasswordPosted
    }

    fn done(&mut self, authenticated: bool) -> Step {
        Step::Done(Session {
            jar: Default::default(),
            authenticated,
            exchanges: self.steps,
        })
    }

    /// A form's target: its action resolved against the page, or the page itself, on the
    /// page's origin only.
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
                format!(
                    "the login form posts to another origin ({}); refusing to send credentials there",
                    redact_url(&target)
                ),
            ));
        }
        Ok(target)
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
}

fn is_empty_json(resp: &HttpResponse) -> bool {
    let text = resp.text();
    let t = text.trim();
    t.is_empty() || t == "{}"
}

fn page_title(resp: &HttpResponse) -> String {
    pages::title(&resp.text())
        .map(|t| format!(" (title: {t})"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    //! One test per flow shape of `research/dex-login-flows.md` §6 as a page sees it: each
    //! answer is where the browser's redirect chain ended (`response.url`), with no `Location`
    //! and no `Set-Cookie`.

    use super::*;
    use crate::core::http::{Headers, Method};
    use crate::core::secret::Secret;

    const ID: &str = "k7ctyvhvbd3nhhsxpx3h3n5za";
    const PASSWORD: &str = "s3cret-Pa55";

    /// What the flow must request next (method and URL) and where its chain ends.
    struct Page {
        method: Method,
        url: String,
        landed: String,
        status: u16,
        content_type: &'static str,
        body: String,
    }

    fn page(
        method: Method,
        url: impl Into<String>,
        landed: impl Into<String>,
        status: u16,
    ) -> Page {
        Page {
            method,
            url: url.into(),
            landed: landed.into(),
            status,
            content_type: "text/html; charset=utf-8",
            body: String::new(),
        }
    }

    impl Page {
        fn body(mut self, body: impl Into<String>) -> Self {
            self.body = body.into();
            self
        }
        fn json(mut self, body: &str) -> Self {
            self.content_type = "application/json";
            self.body = body.to_owned();
            self
        }
    }

    fn config(start: &str, connector: &str) -> LoginConfig {
        LoginConfig {
            start_url: Url::parse(start).unwrap(),
            username: "user@example.com".to_owned(),
            password: Secret::new(PASSWORD),
            connector: connector.to_owned(),
        }
    }

    /// Drives the flow through `pages`, checking each request; returns the outcome and the
    /// bodies of the POSTs.
    fn run(cfg: LoginConfig, pages: Vec<Page>) -> (Result<Step, PageError>, Vec<String>) {
        let mut flow = BrowserLogin::new(cfg);
        let mut req = flow.start();
        let mut posts = Vec::new();
        let count = pages.len();
        for (i, p) in pages.into_iter().enumerate() {
            assert_eq!(
                req.method,
                p.method,
                "step {}: method of {}",
                i + 1,
                req.url
            );
            assert_eq!(req.url.as_str(), p.url, "step {}", i + 1);
            assert!(!req.headers.contains("cookie"), "a page never sets Cookie");
            assert!(req
                .headers
                .get("accept")
                .is_some_and(|a| a.starts_with("text/html")));
            if let Some(body) = &req.body {
                posts.push(String::from_utf8(body.clone()).unwrap());
            }
            let mut headers = Headers::new();
            headers.set("content-type", p.content_type);
            let resp = HttpResponse {
                url: Url::parse(&p.landed).unwrap(),
                status: p.status,
                headers,
                set_cookies: vec![],
                body: p.body.into_bytes(),
            };
            match flow.handle_response(resp) {
                Ok(Step::Send(next)) if i + 1 < count => req = next,
                other => {
                    assert_eq!(
                        i + 1,
                        count,
                        "the flow stopped at step {}: {other:?}",
                        i + 1
                    );
                    return (other, posts);
                }
            }
        }
        panic!("the flow wants more than {count} steps: {req:?}");
    }

    fn session(result: Result<Step, PageError>) -> Session {
        match result {
            Ok(Step::Done(s)) => s,
            other => panic!("expected a session, got {other:?}"),
        }
    }

    fn error(result: Result<Step, PageError>) -> PageError {
        match result {
            Err(e) => e,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    fn login_page(action: &str, error: bool) -> String {
        let err = if error {
            "<div id=\"login-error\" class=\"dex-error-box\">Invalid Email Address and password.</div>"
        } else {
            ""
        };
        format!(
            "<html><head><title>dex</title></head><body><form method=\"post\" action=\"{}\">{err}\
             <input required id=\"login\" name=\"login\" type=\"text\"/>\
             <input required id=\"password\" name=\"password\" type=\"password\"/>\
             <button type=\"submit\">Login</button></form></body></html>",
            action.replace('&', "&amp;")
        )
    }

    fn approval_page(req: &str) -> String {
        format!(
            "<h2>Grant Access</h2><form method=\"post\"><input type=\"hidden\" name=\"req\" value=\"{req}\"/>\
             <input type=\"hidden\" name=\"approval\" value=\"approve\"><button type=\"submit\">Grant Access</button></form>\
             <form method=\"post\"><input type=\"hidden\" name=\"req\" value=\"{req}\"/>\
             <input type=\"hidden\" name=\"approval\" value=\"rejected\"><button type=\"submit\">Cancel</button></form>"
        )
    }

    const SIGN_IN: &str = "<!DOCTYPE html><html><head><title>Sign In</title></head><body>\
        <form method=\"GET\" action=\"/oauth2/start\"><input type=\"hidden\" name=\"rd\" value=\"/pipeline\">\
        <button type=\"submit\">Sign in with Dex</button></form></body></html>";

    const KFP_UI: &str =
        "<!doctype html><html><head><title>Kubeflow Pipelines</title></head><body></body></html>";

    fn password_post() -> String {
        format!("login=user%40example.com&password={PASSWORD}")
    }

    /// §6 (a): deployKF 0.1.5 over https, sign-in page off: the GET of apiUrl ends on the
    /// password form, the POST back at the application.
    #[test]
    fn deploykf_0_1_5() {
        let h = "https://deploykf.example.com:8443";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let (result, posts) = run(
            config(&format!("{h}/pipeline"), "local"),
            vec![
                page(Method::Get, format!("{h}/pipeline"), &login, 200)
                    .body(login_page(&login, false)),
                page(Method::Post, &login, format!("{h}/pipeline"), 200).body(KFP_UI),
            ],
        );
        let s = session(result);
        assert!(s.authenticated);
        assert_eq!(s.exchanges, 2);
        assert!(s.jar.is_empty(), "the browser holds the cookies");
        assert_eq!(posts, vec![password_post()]);
    }

    /// §6 (a) row 1': deployKF with `enableSignInPage`, and §6 (b): Kubeflow 1.9.1 / 1.10: the
    /// 403 sign-in page, then `/oauth2/start?rd=`.
    #[test]
    fn sign_in_page_deploykf_and_kubeflow_1_9_1() {
        for h in [
            "https://deploykf.example.com:8443",
            "http://kubeflow.local:8080",
        ] {
            let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
            let (result, posts) = run(
                config(&format!("{h}/pipeline"), "local"),
                vec![
                    page(
                        Method::Get,
                        format!("{h}/pipeline"),
                        format!("{h}/pipeline"),
                        403,
                    )
                    .body(SIGN_IN),
                    page(
                        Method::Get,
                        format!("{h}/oauth2/start?rd=%2Fpipeline"),
                        &login,
                        200,
                    )
                    .body(login_page(&login, false)),
                    page(Method::Post, &login, format!("{h}/pipeline/"), 200).body(KFP_UI),
                ],
            );
            assert!(session(result).authenticated, "{h}");
            assert_eq!(posts.len(), 1);
        }
    }

    /// oauth2-proxy's 401 `{}` (an `api_routes` apiUrl): the flow starts the login itself.
    #[test]
    fn oauth2_proxy_401_starts_the_login() {
        let h = "http://kubeflow.local:8080";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let (result, _) = run(
            config(&format!("{h}/pipeline/apis/v2beta1"), "local"),
            vec![
                page(
                    Method::Get,
                    format!("{h}/pipeline/apis/v2beta1"),
                    format!("{h}/pipeline/apis/v2beta1"),
                    401,
                )
                .json("{}"),
                page(
                    Method::Get,
                    format!("{h}/oauth2/start?rd=%2Fpipeline%2Fapis%2Fv2beta1"),
                    &login,
                    200,
                )
                .body(login_page(&login, false)),
                page(
                    Method::Post,
                    &login,
                    format!("{h}/pipeline/apis/v2beta1"),
                    404,
                )
                .body("404 page not found"),
            ],
        );
        assert!(session(result).authenticated);
    }

    /// §6 (b) 1.9.0: after the password Dex shows Grant Access (no form action: it posts to the
    /// page's own URL with `?req=&hmac=`).
    #[test]
    fn kubeflow_1_9_0_grant_access() {
        let h = "http://kubeflow.local:8080";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let approval = format!("{h}/dex/approval?req={ID}&hmac=abcdefgh");
        let (result, posts) = run(
            config(&format!("{h}/pipeline"), "local"),
            vec![
                page(Method::Get, format!("{h}/pipeline"), &login, 200)
                    .body(login_page(&login, false)),
                page(Method::Post, &login, &approval, 200).body(approval_page(ID)),
                page(Method::Post, &approval, format!("{h}/pipeline/"), 200).body(KFP_UI),
            ],
        );
        assert!(session(result).authenticated);
        assert_eq!(
            posts,
            vec![password_post(), format!("req={ID}&approval=approve")]
        );
    }

    /// Grant Access twice means the approval did not take.
    #[test]
    fn grant_access_again_fails() {
        let h = "http://kubeflow.local:8080";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let approval = format!("{h}/dex/approval?req={ID}&hmac=abcdefgh");
        let (result, _) = run(
            config(&format!("{h}/pipeline"), "local"),
            vec![
                page(Method::Get, format!("{h}/pipeline"), &login, 200)
                    .body(login_page(&login, false)),
                page(Method::Post, &login, &approval, 200).body(approval_page(ID)),
                page(Method::Post, &approval, &approval, 200).body(approval_page(ID)),
            ],
        );
        let e = error(result);
        assert_eq!(e.code(), ErrorCode::LoginFailed);
        assert!(e.to_string().contains("Grant Access"), "{e}");
    }

    /// §6 (f): LDAP among several connectors. Following Dex's redirects lands on the selection
    /// page; the flow follows the configured connector's link.
    #[test]
    fn ldap_with_several_connectors() {
        let h = "http://kubeflow.local:8080";
        let q = "client_id=kubeflow-oidc-authservice&redirect_uri=%2Foauth2%2Fcallback&response_type=code&scope=openid&state=st";
        let selection = format!(
            "<title>Log in to dex</title><ul><li><a href=\"/dex/auth/local?{0}\"><button>Log in with Email</button></a></li>\
             <li><a href=\"/dex/auth/ldap?{0}\"><button>Log in with LDAP</button></a></li></ul>",
            q.replace('&', "&amp;")
        );
        let login = format!("{h}/dex/auth/ldap/login?back=%2Fdex%2Fauth%3F{ID}&state={ID}");
        let (result, posts) = run(
            config(&format!("{h}/pipeline"), "ldap"),
            vec![
                page(
                    Method::Get,
                    format!("{h}/pipeline"),
                    format!("{h}/dex/auth?{q}"),
                    200,
                )
                .body(selection.clone()),
                page(Method::Get, format!("{h}/dex/auth/ldap?{q}"), &login, 200)
                    .body(login_page(&login, false)),
                page(Method::Post, &login, format!("{h}/pipeline/"), 200).body(KFP_UI),
            ],
        );
        assert!(session(result).authenticated);
        assert_eq!(posts.len(), 1);

        // A connector Dex does not offer: the error lists the offered ones.
        let (result, _) = run(
            config(&format!("{h}/pipeline"), "github"),
            vec![page(
                Method::Get,
                format!("{h}/pipeline"),
                format!("{h}/dex/auth?{q}"),
                200,
            )
            .body(selection)],
        );
        let e = error(result);
        assert_eq!(e.code(), ErrorCode::UnknownConnector);
        assert!(e.to_string().contains("local, ldap"), "{e}");

        // One connector that is not the configured one: Dex went straight to its form.
        let local = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let (result, _) = run(
            config(&format!("{h}/pipeline"), "ldap"),
            vec![page(Method::Get, format!("{h}/pipeline"), &local, 200)
                .body(login_page(&local, false))],
        );
        assert_eq!(error(result).code(), ErrorCode::UnknownConnector);
    }

    /// §6 (c): Kubeflow 1.8 (oidc-authservice + Dex 2.36), and Kubeflow 1.3–1.5's old Dex
    /// whose form is at `/dex/auth/local?req=`.
    #[test]
    fn kubeflow_1_8_authservice_and_old_dex() {
        let h = "http://kubeflow.local:8080";
        for login in [
            format!("{h}/dex/auth/local/login?back=&state={ID}"),
            format!("{h}/dex/auth/local?req={ID}"),
        ] {
            let (result, posts) = run(
                config(&format!("{h}/pipeline"), "local"),
                vec![
                    page(Method::Get, format!("{h}/pipeline"), &login, 200)
                        .body(login_page(&login, false)),
                    page(Method::Post, &login, format!("{h}/pipeline"), 200).body(KFP_UI),
                ],
            );
            assert!(session(result).authenticated, "{login}");
            assert_eq!(posts, vec![password_post()]);
        }
    }

    /// §6 (e): a wrong password, answered 401 (Dex ≥ 2.36) or 200 with the error box (older).
    #[test]
    fn wrong_password_at_401_and_200() {
        let h = "http://kubeflow.local:8080";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        for status in [401, 200] {
            let (result, _) = run(
                config(&format!("{h}/pipeline"), "local"),
                vec![
                    page(Method::Get, format!("{h}/pipeline"), &login, 200)
                        .body(login_page(&login, false)),
                    // Some themes echo what was typed: it never reaches the message.
                    page(Method::Post, &login, &login, status)
                        .body(format!("{}<!-- {PASSWORD} -->", login_page(&login, true))),
                ],
            );
            let e = error(result);
            assert_eq!(e.code(), ErrorCode::InvalidCredentials);
            assert_eq!(e.status(), Some(status));
            assert!(e.to_string().contains("\"local\""), "{e}");
            assert!(!e.to_string().contains(PASSWORD));
        }
    }

    /// §6 (d): apiUrl answers without a login (no gateway, or the page's session is valid).
    #[test]
    fn no_login_needed() {
        let h = "http://localhost:8080";
        let (result, posts) = run(
            config(&format!("{h}/pipeline"), "local"),
            vec![page(
                Method::Get,
                format!("{h}/pipeline"),
                format!("{h}/pipeline/"),
                200,
            )
            .body(KFP_UI)],
        );
        let s = session(result);
        assert!(!s.authenticated);
        assert!(posts.is_empty());
        let (result, _) = run(
            config(h, "local"),
            vec![
                page(Method::Get, format!("{h}/"), format!("{h}/"), 404).body("404 page not found")
            ],
        );
        assert!(!session(result).authenticated);
    }

    /// deployKF's absolute redirects to its configured host: the chain ends on another origin.
    #[test]
    fn another_origin_is_a_host_mismatch_naming_it() {
        let login = format!("https://deploykf.example.com/dex/auth/local/login?back=&state={ID}");
        let (result, _) = run(
            config("https://10.0.0.5:8443/pipeline", "local"),
            vec![
                page(Method::Get, "https://10.0.0.5:8443/pipeline", &login, 200)
                    .body(login_page(&login, false)),
            ],
        );
        let e = error(result);
        assert_eq!(e.code(), ErrorCode::HostMismatch);
        let m = e.to_string();
        assert!(
            m.contains("Serve this page from https://deploykf.example.com")
                && m.contains("apiUrl to https://deploykf.example.com/pipeline"),
            "{m}"
        );
    }

    /// The callback's CSRF check failed (another tab logged in meanwhile): one restart.
    #[test]
    fn csrf_failure_restarts_once() {
        let h = "http://kubeflow.local:8080";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let csrf = "<html><head><title>Error</title></head><body><h1>Login Failed: Unable to find a valid CSRF token. Please try again.</h1></body></html>";
        let callback = format!("{h}/oauth2/callback?code={ID}&state=st");
        let first = || {
            vec![
                page(Method::Get, format!("{h}/pipeline"), &login, 200)
                    .body(login_page(&login, false)),
                page(Method::Post, &login, &callback, 403).body(csrf),
            ]
        };
        let mut pages = first();
        pages.push(
            page(Method::Get, format!("{h}/pipeline"), &login, 200).body(login_page(&login, false)),
        );
        pages.push(page(Method::Post, &login, format!("{h}/pipeline"), 200).body(KFP_UI));
        let (result, posts) = run(config(&format!("{h}/pipeline"), "local"), pages);
        assert!(session(result).authenticated);
        assert_eq!(posts.len(), 2);

        let mut pages = first();
        pages.extend(first());
        let (result, _) = run(config(&format!("{h}/pipeline"), "local"), pages);
        let e = error(result);
        assert_eq!(e.code(), ErrorCode::LoginFailed);
        assert!(e.to_string().contains("another tab"), "{e}");
    }

    /// Back at the sign-in page right after the password: the browser dropped the cookie.
    #[test]
    fn signed_out_right_after_the_login() {
        let h = "http://kubeflow.local:8080";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let (result, _) = run(
            config(&format!("{h}/pipeline"), "local"),
            vec![
                page(
                    Method::Get,
                    format!("{h}/pipeline"),
                    format!("{h}/pipeline"),
                    403,
                )
                .body(SIGN_IN),
                page(
                    Method::Get,
                    format!("{h}/oauth2/start?rd=%2Fpipeline"),
                    &login,
                    200,
                )
                .body(login_page(&login, false)),
                page(Method::Post, &login, format!("{h}/pipeline"), 403).body(SIGN_IN),
            ],
        );
        let e = error(result);
        assert_eq!(e.code(), ErrorCode::LoginFailed);
        assert!(e.to_string().contains("session cookie"), "{e}");
    }

    #[test]
    fn refuses_to_downgrade_or_leave_the_origin_with_the_password() {
        let h = "https://kf.example.com";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let (result, posts) = run(
            config(&format!("{h}/pipeline"), "local"),
            vec![page(Method::Get, format!("{h}/pipeline"), &login, 200)
                .body(login_page("https://evil.example.com/steal", false))],
        );
        assert_eq!(error(result).code(), ErrorCode::LoginFailed);
        assert!(posts.is_empty());
    }

    #[test]
    fn loops_end() {
        let h = "http://kubeflow.local:8080";
        let pages = (0..=MAX_STEPS)
            .map(|i| {
                let url = if i == 0 {
                    format!("{h}/pipeline")
                } else {
                    format!("{h}/oauth2/start?rd=%2Fpipeline")
                };
                page(Method::Get, url, format!("{h}/pipeline"), 403).body(SIGN_IN)
            })
            .collect();
        let (result, _) = run(config(&format!("{h}/pipeline"), "local"), pages);
        let e = error(result);
        assert!(e.to_string().contains("more than"), "{e}");
    }

    #[test]
    fn a_server_error_on_the_way_is_login_failed() {
        let h = "http://kubeflow.local:8080";
        let login = format!("{h}/dex/auth/local/login?back=&state={ID}");
        let (result, _) = run(
            config(&format!("{h}/pipeline"), "local"),
            vec![
                page(Method::Get, format!("{h}/pipeline"), &login, 200)
                    .body(login_page(&login, false)),
                page(Method::Post, &login, &login, 500)
                    .body("<title>Login error</title><p>LDAP unreachable</p>"),
            ],
        );
        let e = error(result);
        assert_eq!(e.code(), ErrorCode::LoginFailed);
        assert!(e.to_string().contains("HTTP 500"), "{e}");
    }

    // -----------------------------------------------------------------------------------------
    // Gateways and login URLs

    fn answer(
        url: &str,
        status: u16,
        content_type: &str,
        location: Option<&str>,
        body: &str,
    ) -> HttpResponse {
        crate::core::http::test_response(url, status, content_type, location, body)
    }

    const API_CALL: &str = "https://kf.example.com/pipeline/apis/v2beta1/healthz";

    fn start(url: &str) -> Gateway {
        Gateway::OAuth2Proxy {
            start: Url::parse(url).unwrap(),
        }
    }

    #[test]
    fn gateways_from_api_answers() {
        let start_here = start("https://kf.example.com/oauth2/start");
        assert_eq!(
            Gateway::from_answer(&answer(API_CALL, 401, "application/json", None, "{}")),
            start_here
        );
        assert_eq!(
            Gateway::from_answer(&answer(API_CALL, 401, "text/plain", None, "Jwt is expired")),
            start_here
        );
        let custom = SIGN_IN.replace("/oauth2/start", "/auth/oauth2/start");
        assert_eq!(
            Gateway::from_answer(&answer(API_CALL, 403, "text/html", None, &custom)),
            start("https://kf.example.com/auth/oauth2/start")
        );
        // An opaque redirect says nothing.
        assert_eq!(
            Gateway::from_answer(&answer(API_CALL, 0, "", None, "")),
            Gateway::Unknown
        );
        // Visible redirects (Node, or a test): by oauth2-proxy's URLs or Dex's redirect_uri.
        let dex = |callback: &str| {
            format!("/dex/auth?client_id=c&redirect_uri={callback}&response_type=code&state=s")
        };
        assert_eq!(
            Gateway::from_answer(&answer(
                API_CALL,
                302,
                "",
                Some(&dex("%2Fauthservice%2Foidc%2Fcallback")),
                ""
            )),
            Gateway::AuthService
        );
        assert_eq!(
            Gateway::from_answer(&answer(
                API_CALL,
                302,
                "",
                Some(&dex("%2Flogin%2Foidc")),
                ""
            )),
            Gateway::AuthService
        );
        assert_eq!(
            Gateway::from_answer(&answer(
                API_CALL,
                302,
                "",
                Some(&dex("https%3A%2F%2Fkf.example.com%2Foauth2%2Fcallback")),
                ""
            )),
            start_here
        );
        assert_eq!(
            Gateway::from_answer(&answer(API_CALL, 302, "", Some("/oauth2/start?rd=%2F"), "")),
            start_here
        );
        assert_eq!(
            Gateway::from_answer(&answer(API_CALL, 302, "", Some("/elsewhere"), "")),
            Gateway::Unknown
        );
    }

    #[test]
    fn the_probe_tells_oauth2_proxy_from_the_rest() {
        let probe =
            Gateway::probe(&Url::parse("https://kf.example.com/pipeline").unwrap()).unwrap();
        assert_eq!(probe.url.as_str(), "https://kf.example.com/oauth2/auth");
        assert_eq!(probe.method, Method::Get);
        let at = "https://kf.example.com/oauth2/auth";
        assert_eq!(
            Gateway::from_probe(&answer(at, 401, "text/plain", None, "Unauthorized")),
            start("https://kf.example.com/oauth2/start")
        );
        assert_eq!(
            Gateway::from_probe(&answer(at, 202, "text/plain", None, "")),
            start("https://kf.example.com/oauth2/start")
        );
        // oidc-authservice redirects the probe to Dex: opaque in a page.
        assert_eq!(
            Gateway::from_probe(&answer(at, 0, "", None, "")),
            Gateway::Unknown
        );
        assert_eq!(
            Gateway::from_probe(&answer(at, 404, "text/plain", None, "")),
            Gateway::Unknown
        );
    }

    #[test]
    fn login_urls_come_back_to_the_page() {
        let api = Url::parse("https://kf.example.com/pipeline").unwrap();
        let oauth2 = start("https://kf.example.com/oauth2/start");
        let here = PageLocation {
            origin: "https://kf.example.com".into(),
            path: "/dash/runs?exp=e 1".into(),
        };
        assert_eq!(
            login_url(&api, &oauth2, Some(&here)).as_str(),
            "https://kf.example.com/oauth2/start?rd=%2Fdash%2Fruns%3Fexp%3De+1"
        );
        // Without a page (a worker without location, Node): back to apiUrl.
        assert_eq!(
            login_url(&api, &oauth2, None).as_str(),
            "https://kf.example.com/oauth2/start?rd=%2Fpipeline"
        );
        // A page on another origin: its whole URL (oauth2-proxy follows whitelisted domains).
        let elsewhere = PageLocation {
            origin: "https://dash.example.com".into(),
            path: "/".into(),
        };
        assert_eq!(
            login_url(&api, &oauth2, Some(&elsewhere)).as_str(),
            "https://kf.example.com/oauth2/start?rd=https%3A%2F%2Fdash.example.com%2F"
        );
        // oidc-authservice, or nothing known: apiUrl itself.
        assert_eq!(login_url(&api, &Gateway::AuthService, Some(&here)), api);
        assert_eq!(login_url(&api, &Gateway::Unknown, Some(&here)), api);
    }

    #[test]
    fn not_signed_in_carries_the_login_url() {
        let api = Url::parse("https://kf.example.com/pipeline").unwrap();
        let err = Error::NotSignedIn {
            status: 0,
            url: API_CALL.into(),
            with_token: false,
        };
        let e = not_signed_in(
            err,
            &api,
            &start("https://kf.example.com/oauth2/start"),
            None,
        );
        assert_eq!(e.code(), ErrorCode::Unauthenticated);
        assert_eq!(e.status(), None, "an opaque answer has no status");
        let url = e.login_url().cloned().unwrap();
        assert_eq!(
            url.as_str(),
            "https://kf.example.com/oauth2/start?rd=%2Fpipeline"
        );
        assert!(
            e.to_string()
                .contains("err.loginUrl (https://kf.example.com/oauth2/start?rd=%2Fpipeline)"),
            "{e}"
        );
        let e401 = not_signed_in(
            Error::NotSignedIn {
                status: 401,
                url: API_CALL.into(),
                with_token: false,
            },
            &api,
            &Gateway::Unknown,
            None,
        );
        assert_eq!(e401.status(), Some(401));
        assert_eq!(e401.login_url(), Some(&api));
    }

    #[test]
    fn blocked_follows_are_explained_by_origin() {
        let api = Url::parse("https://kf.example.com/pipeline").unwrap();
        let same = PageLocation {
            origin: "https://kf.example.com".into(),
            path: "/".into(),
        };
        let other = PageLocation {
            origin: "http://localhost:5173".into(),
            path: "/".into(),
        };
        let e = blocked_by_origin(&api, Some(&other), false).unwrap();
        assert_eq!(e.code(), ErrorCode::HostMismatch);
        assert!(
            e.to_string()
                .contains("Serve this page from https://kf.example.com"),
            "{e}"
        );
        let e = blocked_by_origin(&api, Some(&same), true).unwrap();
        assert_eq!(e.code(), ErrorCode::HostMismatch);
        assert!(e.to_string().contains("configured host name"), "{e}");
        assert!(blocked_by_origin(&api, Some(&same), false).is_none());
        assert!(blocked_by_origin(&api, None, false).is_none());
    }

    #[test]
    fn page_errors_are_scrubbed() {
        let e = PageError::new(Error::Unsupported {
            feature: "x".into(),
            reason: "y".into(),
        })
        .with_message("token tok-123 leaked");
        let mut set = SecretSet::new();
        set.add("tok-123");
        assert!(!e.scrubbed_with(&set).to_string().contains("tok-123"));
    }
}
