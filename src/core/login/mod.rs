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
//! request carries exactly the cookies that match it. When the login cannot finish because of how
//! the gateway is reached (a refused cookie, another host name), the error says which.

pub mod pages;

use url::Url;

use crate::core::cookies::{CookieJar, Rejected};
use crate::core::error::{CookieRejection, Error, Result};
use crate::core::http::{redact_url, HttpRequest, HttpResponse, Method};
use crate::core::secret::Secret;

/// At most this many HTTP exchanges in one login. The longest real flow (Kubeflow 1.9.0 with the
/// Grant Access page) takes 8; a CSRF restart doubles it.
pub const MAX_HOPS: u32 = 20;

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

#[derive(Debug)]
pub struct LoginFlow {
    cfg: LoginConfig,
    jar: CookieJar,
    stage: Stage,
    /// The last request sent.
    current: HttpRequest,
    exchanges: u32,
    /// The password was accepted (Dex redirected after the POST).
    credentials_accepted: bool,
    /// We added `connector_id` to Dex's `/auth` URL (at most once per attempt).
    connector_param: bool,
    /// Restarts from `apiUrl` after a CSRF failure at the callback.
    restarts: u32,
    rejected: Vec<Rejected>,
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
            connector_param: false,
            restarts: 0,
            rejected: Vec::new(),
            issuer_prefix: None,
        }
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
        // Servers may echo the form back in an error page: never quote the password.
        let password = self.cfg.password.clone();
        let username = self.cfg.username.clone();
        self.step(resp)
            .map_err(|e| e.scrubbed(&[password.expose()], &[&username]))
    }

    fn step(&mut self, resp: HttpResponse) -> Result<Step> {
        self.exchanges += 1;
        let rejected = self.jar.store(&resp.url, &resp.set_cookies);
        self.rejected.extend(rejected);
        if self.exchanges > MAX_HOPS {
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
            self.credentials_accepted = true;
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
            self.credentials_accepted = true;
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
                    offered: links.into_iter().map(|l| l.id).collect(),
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
    /// A refused cookie or another host name explains it; otherwise the CSRF cookie may have
    /// expired (15 minutes): restart once from `apiUrl`, as Kubeflow's own test client does
    /// (§4, §5).
    fn on_csrf_failure(&mut self, resp: &HttpResponse) -> Result<Step> {
        let other_host = !resp
            .url
            .host_str()
            .unwrap_or_default()
            .eq_ignore_ascii_case(self.cfg.start_url.host_str().unwrap_or_default());
        if !self.rejected.is_empty() || other_host || self.restarts > 0 {
            return Err(self.diagnose(resp, "the callback rejected the login's CSRF state cookie"));
        }
        self.restarts += 1;
        self.credentials_accepted = false;
        self.connector_param = false;
        Ok(Step::Send(self.start()))
    }

    /// The callback redirected back to the application. The login worked if the jar now holds
    /// cookies that will be sent to `apiUrl`.
    fn finish(&mut self, resp: &HttpResponse) -> Result<Step> {
        if self.jar.header_for(&self.cfg.start_url).is_some() {
            return Ok(self.done(true));
        }
        Err(self.diagnose(
            resp,
            "the gateway set no session cookie that applies to apiUrl",
        ))
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
fn connector_of(url: &Url) -> Option<String> {
    let segments: Vec<&str> = url.path_segments()?.collect();
    let pos = segments.iter().rposition(|s| *s == "auth")?;
    segments
        .get(pos + 1)
        .filter(|s| !s.is_empty())
        .map(|s| (*s).to_owned())
}

fn host_port(url: &Url) -> String {
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
fn server_says(resp: &HttpResponse) -> String {
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
