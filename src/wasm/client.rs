//! `createKfpClient`, `KfpClientManager` and `KfpClient`: the async driver around the core.
//!
//! Every call goes through [`Inner::execute`], a short loop over the core's per-call policy
//! ([`crate::core::client::Call`]): it sends what the policy asks, sleeps, logs in again (one
//! login shared by all concurrent calls), or refreshes the token, until the policy gives the
//! answer or an error. [`Inner::call`] then decodes the answer by the endpoint's declaration
//! (one `JSON.parse`; v1beta1 objects reshaped into v2beta1 ones). The API methods themselves,
//! in `api.rs`, only read their arguments into an [`ApiCall`].
//!
//! The [`Platform`] decides the login: in Node, [`LoginFlow`] hop by hop with the client's own
//! cookie jar; in a browser, [`BrowserLogin`] with followed redirects and the browser's cookies,
//! one login at a time in the page and no API call while one runs ([`gate`]). A page without
//! a session gets `KFP_UNAUTHENTICATED` with `loginUrl`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::core::browser::{self, BrowserLogin, Gateway};
use crate::core::client::{AuthKind, Call, CallContext, Target, Verdict};
use crate::core::error::Error;
use crate::core::http::{json_text, redact_url, HttpRequest, Method};
use crate::core::kfp::endpoint::{Answer, Resource};
use crate::core::kfp::{self, v1, ApiCall, ApiVersion};
use crate::core::login::{LoginConfig, LoginFlow, Session, Step};
use crate::core::options::{Auth, ClientOptions};
use crate::core::platform::Platform;
use crate::core::secret::{Secret, SecretSet};
use crate::wasm::error::Fail;
use crate::wasm::fetch::{self, Received, SendError, Transport, DEFAULT_MAX_RESPONSE_BYTES};
use crate::wasm::gate;
use crate::wasm::host::{self, global_fetch};
use crate::wasm::json::{self, Js};
use crate::wasm::options::{self as js_options, Parsed, TokenSource};

/// A KFP client with its own session, cookie jar and TLS settings.
#[wasm_bindgen]
pub struct KfpClient {
    pub(crate) inner: Rc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) options: ClientOptions,
    platform: Platform,
    token: TokenSource,
    transport: Transport,
    auth_kind: AuthKind,
    pub(crate) ctx: RefCell<CallContext>,
    /// The login under way, shared by every call that needs it.
    login: RefCell<Option<Promise>>,
    pub(crate) logins: Cell<u32>,
    pub(crate) authenticated: Cell<bool>,
    /// The bearer token last sent (from a function or a file), so errors never quote it.
    last_token: RefCell<Option<Secret>>,
    /// `getUserNamespace()` / `setUserNamespace()`; starts as `options.namespace`.
    pub(crate) namespace: RefCell<Option<String>>,
}

pub(crate) type CallResult<T> = Result<T, Fail>;

/// The most turns of one call's loop; the policy ends every call well before (one login, one
/// token refresh, one version probe, the retries).
const MAX_TURNS: u32 = 32;

/// A value the core decoded as serde_json, as a plain JS value exactly as `JSON.parse` gives it.
/// Only small answers take this path (bodies the transport copied into the core).
pub(crate) fn to_js(value: &serde_json::Value) -> CallResult<JsValue> {
    let unconvertible = || {
        Fail::from(Error::UnexpectedResponse {
            status: 200,
            url: "the KFP answer".into(),
            what: "the answer could not be converted to a JS value".into(),
        })
    };
    let text = json_text(value);
    js_sys::JSON::parse(&text).map_err(|_| unconvertible())
}

/// A call's future, boxed: every promise goes through one `future_to_promise` instance (one
/// per future type stamped out its glue for each method: 11.5 kB of the module).
type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>>;

fn settle(future: Pending) -> Promise {
    future_to_promise(future)
}

fn promise<F>(future: F) -> Promise
where
    F: std::future::Future<Output = CallResult<JsValue>> + 'static,
{
    settle(Box::pin(async move { future.await.map_err(Fail::into_js) }))
}

/// A call's promise, with every error scrubbed of the client's secrets on its way out: servers
/// may echo a cookie or token back in an error body.
pub(crate) fn guarded<F>(inner: &Rc<Inner>, future: F) -> Promise
where
    F: std::future::Future<Output = CallResult<JsValue>> + 'static,
{
    let inner = Rc::clone(inner);
    settle(Box::pin(async move {
        future.await.map_err(|fail| inner.scrub(fail).into_js())
    }))
}

/// Validates the options, builds the client and logs in when the auth type needs it.
#[wasm_bindgen(js_name = createKfpClient)]
pub fn create_kfp_client(options: JsValue) -> Promise {
    let built = build(&options);
    promise(async move {
        let (inner, signal) = built?;
        let scrubber = Rc::clone(&inner);
        connect(inner, signal)
            .await
            .map_err(|fail| scrubber.scrub(fail))
    })
}

fn build(options: &JsValue) -> CallResult<(Rc<Inner>, Option<JsValue>)> {
    let host = host::current();
    let platform = host::platform(host.as_ref());
    let Parsed {
        options,
        token,
        fetch,
        signal,
        session,
    } = js_options::parse(options, host.as_ref(), &platform)?;
    let fetch = match &host {
        Some(h) if h.is_node() => h.make_fetch(
            fetch.as_ref(),
            options.skip_tls_verify,
            options.ca_cert.as_deref(),
        )?,
        _ => global_fetch(fetch.as_ref())?,
    };
    let mut ctx = CallContext {
        version: options.api_version,
        headers: options.headers.clone(),
        ..CallContext::default()
    };
    if let Auth::Cookies { cookies } = &options.auth {
        let _ = ctx.jar.import_header(options.api.url(), cookies.expose());
    }
    let resumed = session.is_some();
    if let Some(session) = session {
        ctx.jar = session;
        ctx.generation = 1;
    }
    let auth_kind = match &options.auth {
        Auth::Dex { .. } => AuthKind::Dex,
        Auth::Cookies { .. } => AuthKind::Cookies,
        Auth::None if resumed => AuthKind::Cookies,
        Auth::None => AuthKind::None,
        Auth::Bearer | Auth::ServiceAccountToken { .. } => AuthKind::Bearer,
        Auth::Browser => AuthKind::Page,
    };
    // Credentials other than a fresh Dex login are in use from the start.
    let authenticated = resumed || !matches!(options.auth, Auth::None | Auth::Dex { .. });
    let inner = Rc::new(Inner {
        transport: Transport {
            fetch,
            timeout_ms: options.timeout_ms,
            platform,
            max_bytes: options
                .max_response_bytes
                .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        },
        namespace: RefCell::new(options.namespace.clone()),
        options,
        platform,
        token,
        auth_kind,
        ctx: RefCell::new(ctx),
        login: RefCell::new(None),
        logins: Cell::new(0),
        authenticated: Cell::new(authenticated),
        last_token: RefCell::new(None),
    });
    Ok((inner, signal.filter(|_| !resumed)))
}

async fn connect(inner: Rc<Inner>, signal: Option<JsValue>) -> CallResult<JsValue> {
    let fresh_dex =
        matches!(inner.options.auth, Auth::Dex { .. }) && inner.ctx.borrow().generation == 0;
    if fresh_dex {
        let turn = inner.turn();
        if let Some(turn) = &turn {
            turn.wait(signal.as_ref(), &redact_url(inner.options.api.url()))
                .await?;
        }
        inner.login(signal.as_ref()).await?;
    }
    Ok(KfpClient { inner }.into())
}

/// The Python recipe's `KFPClientManager`, for people porting it: holds the options and makes
/// logged-in clients.
#[wasm_bindgen]
pub struct KfpClientManager {
    options: JsValue,
}

#[wasm_bindgen]
impl KfpClientManager {
    /// Checks the options now, so that mistakes show up where the manager is made.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<KfpClientManager, JsValue> {
        let host = host::current();
        js_options::parse(&options, host.as_ref(), &host::platform(host.as_ref()))
            .map_err(|e| Fail::from(e).into_js())?;
        Ok(KfpClientManager { options })
    }

    /// Logs in and returns a new client.
    #[wasm_bindgen(js_name = createKfpClient)]
    pub fn create_kfp_client(&self) -> Promise {
        create_kfp_client(self.options.clone())
    }
}

impl Inner {
    /// A place in the page's login queue, where the browser's cookies are shared ([`gate`]).
    fn turn(&self) -> Option<gate::Ticket> {
        self.platform.keeps_cookies_itself().then(gate::enter)
    }

    /// Logs in with the platform's flow and installs the new session. In a browser the caller
    /// holds a [`gate::Ticket`].
    async fn login(self: &Rc<Self>, signal: Option<&JsValue>) -> CallResult<()> {
        let Auth::Dex {
            username,
            password,
            connector,
        } = &self.options.auth
        else {
            return Err(Error::SessionExpired {
                status: None,
                url: redact_url(self.options.api.url()),
                relogin_possible: false,
            }
            .into());
        };
        let cfg = LoginConfig {
            start_url: self.options.api.url().clone(),
            username: username.clone(),
            password: password.clone(),
            connector: connector.clone(),
        };
        let session = if self.platform.follows_redirects_itself {
            self.page_login(cfg, signal).await?
        } else {
            self.jar_login(cfg, signal).await?
        };
        self.authenticated.set(session.authenticated);
        self.logins.set(self.logins.get() + 1);
        self.ctx.borrow_mut().install_session(session.jar);
        Ok(())
    }

    /// Node: [`LoginFlow`] hop by hop (`redirect: "manual"`), its `GET`s retried as the `retry`
    /// option says.
    async fn jar_login(&self, cfg: LoginConfig, signal: Option<&JsValue>) -> CallResult<Session> {
        let mut flow = LoginFlow::new(cfg).with_retry(self.options.retry);
        let mut request = flow.start();
        loop {
            let url = redact_url(&request.url);
            let wait = match self.transport.send(&request, signal).await {
                Ok(received) => {
                    match flow.retry_verdict(&received.response, js_sys::Math::random()) {
                        Some(ms) => ms,
                        None => match flow.handle_response(received.response)? {
                            Step::Send(next) => {
                                request = next;
                                continue;
                            }
                            Step::Done(session) => return Ok(session),
                        },
                    }
                }
                Err(SendError::BeforeAnswer(Fail::Core(err, cause), retryable)) => {
                    match flow.network_error(err, retryable, js_sys::Math::random()) {
                        Ok(ms) => ms,
                        Err(err) => return Err(Fail::Core(err, cause)),
                    }
                }
                Err(e) => return Err(e.into()),
            };
            fetch::sleep(wait, signal, &url).await?;
            request = flow.retry();
        }
    }

    /// A browser: [`BrowserLogin`] with `redirect: "follow"`, one request per page of the login.
    async fn page_login(&self, cfg: LoginConfig, signal: Option<&JsValue>) -> CallResult<Session> {
        let mut flow = BrowserLogin::new(cfg);
        let mut request = flow.start();
        loop {
            let received = match self.transport.follow(&request, signal).await {
                Ok(received) => received,
                Err(SendError::BeforeAnswer(fail, _)) => {
                    return Err(self.blocked(flow.current(), fail, signal).await)
                }
                Err(e) => return Err(e.into()),
            };
            match flow.handle_response(received.response)? {
                Step::Send(next) => request = next,
                Step::Done(session) => return Ok(session),
            }
        }
    }

    /// A followed request of a page's login failed in `fetch`. A browser reports a redirect it
    /// will not follow (to another origin, without CORS) as a plain `TypeError`, like a network
    /// failure; the origins tell them apart: the page's own, or the same `GET` sent again with
    /// `redirect: "manual"`, which an answering server turns into an opaque redirect.
    async fn blocked(&self, req: &HttpRequest, fail: Fail, signal: Option<&JsValue>) -> Fail {
        let Fail::Core(Error::Network { .. }, cause) = &fail else {
            return fail;
        };
        let api = self.options.api.url();
        let page = host::page_location();
        let explained = match browser::blocked_by_origin(api, page.as_ref(), false) {
            Some(e) => Some(e),
            None if req.method == Method::Get => {
                let redirected = matches!(
                    self.transport.send(req, signal).await,
                    Ok(r) if r.response.status == 0
                );
                browser::blocked_by_origin(api, None, redirected)
            }
            None => None,
        };
        match explained {
            Some(e) => Fail::Page(e, cause.clone()),
            None => fail,
        }
    }

    /// `KFP_UNAUTHENTICATED` for a page without a session: where to sign in, from what the
    /// answer told of the gateway, or the `/oauth2/auth` probe when it told nothing.
    async fn sign_in(&self, error: Error, gateway: Gateway, signal: Option<&JsValue>) -> Fail {
        if !self.platform.keeps_cookies_itself() {
            return error.into();
        }
        let api = self.options.api.url();
        let mut gateway = gateway;
        if gateway == Gateway::Unknown {
            if let Some(probe) = Gateway::probe(api) {
                let turn = self.turn();
                let url = redact_url(&probe.url);
                let waited = match &turn {
                    Some(t) => t.wait(signal, &url).await,
                    None => Ok(()),
                };
                if waited.is_ok() {
                    if let Ok(r) = self.transport.send(&probe, signal).await {
                        gateway = Gateway::from_probe(&r.response);
                    }
                }
            }
        }
        browser::not_signed_in(error, api, &gateway, host::page_location().as_ref()).into()
    }

    /// A new login after a call saw the session of `seen` fail. Concurrent callers share one
    /// login; a caller whose session was already replaced just retries. The caller's signal
    /// stops its own wait, not the shared login.
    pub(crate) async fn relogin(
        self: &Rc<Self>,
        seen: u64,
        signal: Option<&JsValue>,
    ) -> CallResult<()> {
        if self.ctx.borrow().generation != seen {
            return Ok(());
        }
        let shared = {
            let mut slot = self.login.borrow_mut();
            match &*slot {
                Some(p) => p.clone(),
                None => {
                    let me = Rc::clone(self);
                    // Taken now, so that no call of the page slips out before the login starts.
                    let turn = self.turn();
                    let p = settle(Box::pin(async move {
                        let result = match &turn {
                            Some(t) => t.wait(None, &redact_url(me.options.api.url())).await,
                            None => Ok(()),
                        };
                        let result = match result {
                            Ok(()) => me.login(None).await,
                            Err(e) => Err(e),
                        };
                        drop(turn);
                        *me.login.borrow_mut() = None;
                        // Scrubbed here: the callers receive it as a JS value already.
                        result
                            .map(|()| JsValue::UNDEFINED)
                            .map_err(|fail| me.scrub(fail).into_js())
                    }));
                    *slot = Some(p.clone());
                    p
                }
            }
        };
        fetch::until_aborted(&shared, signal, &redact_url(self.options.api.url()))
            .await
            .map(|_| ())
    }

    async fn bearer(&self) -> CallResult<Option<Secret>> {
        let token = match &self.token {
            TokenSource::None => None,
            TokenSource::Static(s) => Some(s.clone()),
            TokenSource::File(path) => {
                let host = host::current().ok_or_else(|| {
                    Fail::from(Error::Unsupported {
                        feature: "auth type \"serviceAccountToken\"".into(),
                        reason: "it needs Node.js".into(),
                    })
                })?;
                Some(host.read_token(path).await?)
            }
            TokenSource::Function(f) => Some(call_token_function(f).await?),
        };
        if token.is_some() {
            self.last_token.replace(token.clone());
        }
        Ok(token)
    }

    /// Runs one call's policy to its end: the answer, or an error.
    pub(crate) async fn execute(
        self: &Rc<Self>,
        target: Target,
        signal: Option<&JsValue>,
    ) -> CallResult<Received> {
        let mut call = Call::new(
            self.options.api.clone(),
            target,
            self.auth_kind,
            self.options.retry,
        );
        let mut fresh: Option<Option<Secret>> = None;
        for _ in 0..MAX_TURNS {
            let token = match fresh.take() {
                Some(token) => token,
                None => self.bearer().await?,
            };
            let request = call.request(&self.ctx.borrow(), token)?;
            let url = || redact_url(&request.url);
            if self.platform.keeps_cookies_itself() {
                // No call goes out while a login of the page runs (see `gate`).
                gate::idle(signal, &url()).await?;
            }
            let verdict = match self.transport.send(&request, signal).await {
                Ok(Received { response, body }) => {
                    match call.handle(&mut self.ctx.borrow_mut(), response, js_sys::Math::random())
                    {
                        Verdict::Done(response) => return Ok(Received { response, body }),
                        other => other,
                    }
                }
                Err(SendError::BeforeAnswer(Fail::Core(err, cause), retryable)) => {
                    match call.network_error(err, retryable, js_sys::Math::random()) {
                        Verdict::Fail(err) => return Err(Fail::Core(err, cause)),
                        other => other,
                    }
                }
                Err(e) => return Err(e.into()),
            };
            match verdict {
                Verdict::Done(_) | Verdict::Send => {}
                Verdict::Wait(ms) => fetch::sleep(ms, signal, &url()).await?,
                Verdict::Relogin(seen) => {
                    self.relogin(seen, signal).await?;
                    call.logged_in();
                }
                Verdict::RefreshToken => {
                    let token = self.bearer().await?;
                    if let Verdict::Fail(err) = call.fresh_token(token.as_ref()) {
                        return Err(err.into());
                    }
                    fresh = Some(token);
                }
                Verdict::SignIn { error, gateway } => {
                    return Err(self.sign_in(error, gateway, signal).await)
                }
                Verdict::Fail(err) => return Err(err.into()),
            }
        }
        Err(Error::UnexpectedResponse {
            status: 0,
            url: redact_url(self.options.api.url()),
            what: "the call did not settle after many exchanges".into(),
        }
        .into())
    }

    /// Sends a declared endpoint's call and decodes its answer.
    pub(crate) async fn call(
        self: &Rc<Self>,
        api: ApiCall,
        signal: Option<&JsValue>,
    ) -> CallResult<JsValue> {
        let endpoint = api.endpoint;
        let received = self.execute(Target::Api(api), signal).await?;
        let version = self.ctx.borrow().version.unwrap_or(ApiVersion::V2beta1);
        if endpoint.answer == Answer::Empty {
            kfp::decode_empty(&received.response)?;
            return Ok(JsValue::UNDEFINED);
        }
        let value = self.json(&received)?;
        let resp = &received.response;
        if !json::is_plain_object(&value) {
            return Err(kfp::decode::not_an_object(resp).into());
        }
        let mut node = Js(value);
        match (endpoint.answer, version, endpoint.resource) {
            (_, _, Resource::Healthz) | (Answer::Empty, _, _) => {}
            (Answer::One, ApiVersion::V2beta1, _) => {}
            (Answer::One, ApiVersion::V1beta1, resource) => v1::normalize(resource, &mut node),
            (Answer::List, v, resource) => {
                let key = resource.list_key(ApiVersion::V2beta1);
                if v == ApiVersion::V1beta1 {
                    v1::normalize_page(resource, &mut node, resource.list_key(v), key);
                } else {
                    match v1::JsonNode::get(&node, key) {
                        None => v1::JsonNode::set(
                            &mut node,
                            key,
                            <Js as v1::JsonNode>::array(Vec::new()),
                        ),
                        Some(list) if js_sys::Array::is_array(&list.0) => {}
                        Some(_) => return Err(kfp::decode::list_not_array(resp, key).into()),
                    }
                }
            }
        }
        Ok(node.0)
    }

    /// The answer's JSON: parsed once from the JS bytes for a successful JSON answer, or
    /// decoded by the core for bodies it holds (errors become `KfpError`s there).
    pub(crate) fn json(&self, received: &Received) -> CallResult<JsValue> {
        let resp = &received.response;
        if (200..300).contains(&resp.status) && resp.is_json() {
            return json::parse(&received.body)
                .map_err(|_| Fail::from(kfp::decode::invalid_json(resp, received.body.length())));
        }
        to_js(&kfp::decode_json(resp)?)
    }

    /// Every secret this client holds: what no error may quote.
    fn secrets(&self) -> Vec<String> {
        let mut secrets = {
            let ctx = self.ctx.borrow();
            let mut all = ctx.jar.values();
            all.extend(ctx.seen.iter().cloned());
            all
        };
        match &self.options.auth {
            Auth::Dex { password, .. } => secrets.push(password.expose().to_owned()),
            Auth::Cookies { cookies } => secrets.extend(
                cookies
                    .expose()
                    .split(';')
                    .filter_map(|p| p.split_once('='))
                    .map(|(_, v)| v.trim().to_owned()),
            ),
            _ => {}
        }
        if let TokenSource::Static(token) = &self.token {
            secrets.push(token.expose().to_owned());
        }
        if let Some(token) = &*self.last_token.borrow() {
            secrets.push(token.expose().to_owned());
        }
        secrets.extend(self.options.headers.iter().map(|(_, v)| v.clone()));
        secrets
    }

    pub(crate) fn scrub(&self, fail: Fail) -> Fail {
        let set = || {
            let mut set: SecretSet = self.secrets().iter().map(String::as_str).collect();
            if let Auth::Dex { username, .. } = &self.options.auth {
                set.keep(username);
            }
            set
        };
        let clean = |set: &SecretSet, cause: Option<JsValue>| {
            cause.map(|c| crate::wasm::error::clean_cause(&c, &|text| set.scrub(text)))
        };
        match fail {
            Fail::Core(e, cause) => {
                let set = set();
                let cause = clean(&set, cause);
                Fail::Core(e.scrubbed_with(&set).shortened(), cause)
            }
            Fail::Page(e, cause) => {
                let set = set();
                let cause = clean(&set, cause);
                Fail::Page(e.scrubbed_with(&set), cause)
            }
            js => js,
        }
    }

    /// The namespace of a call: the one given, else the client's.
    pub(crate) fn namespace(&self, given: Option<String>) -> Option<String> {
        given.or_else(|| self.namespace.borrow().clone())
    }
}

#[wasm_bindgen]
impl KfpClient {
    /// The `Cookie` header value this client sends to `apiUrl` (Node), for tools that take a
    /// session cookie, like the Python recipe's `kfp.Client(cookies=...)`. `undefined` without a
    /// session.
    #[wasm_bindgen(js_name = getSessionCookies)]
    pub fn get_session_cookies(&self) -> Option<String> {
        self.inner
            .ctx
            .borrow()
            .jar
            .header_for(self.inner.options.api.url())
    }

    /// The client's namespace (`options.namespace`, or what `setUserNamespace` set).
    #[wasm_bindgen(getter)]
    pub fn namespace(&self) -> Option<String> {
        self.inner.namespace.borrow().clone()
    }

    /// The base URL as normalised (no trailing slash).
    #[wasm_bindgen(getter, js_name = apiUrl)]
    pub fn api_url(&self) -> String {
        self.inner
            .options
            .api
            .url()
            .as_str()
            .trim_end_matches('/')
            .to_owned()
    }

    /// The auth type.
    #[wasm_bindgen(getter, js_name = authType)]
    pub fn auth_type(&self) -> String {
        self.inner.options.auth.type_name().to_owned()
    }

    /// `"v2beta1"` or `"v1beta1"` once known; `undefined` before the first call in auto mode.
    #[wasm_bindgen(getter, js_name = apiVersion)]
    pub fn api_version(&self) -> Option<String> {
        self.inner
            .ctx
            .borrow()
            .version
            .map(|v| v.as_str().to_owned())
    }

    /// How many Dex logins this client has made (the first one included).
    #[wasm_bindgen(getter, js_name = loginCount)]
    pub fn login_count(&self) -> u32 {
        self.inner.logins.get()
    }

    /// True when the client sends credentials: a Dex session (false when the endpoint needed no
    /// login at all), a token or session cookies.
    #[wasm_bindgen(getter)]
    pub fn authenticated(&self) -> bool {
        self.inner.authenticated.get()
    }

    /// Logs in again now (dex auth), replacing the session; other auth types do nothing.
    pub fn login(&self) -> Promise {
        let inner = Rc::clone(&self.inner);
        guarded(&self.inner, async move {
            if matches!(inner.options.auth, Auth::Dex { .. }) {
                let generation = inner.ctx.borrow().generation;
                inner.relogin(generation, None).await?;
            }
            Ok(JsValue::UNDEFINED)
        })
    }
}

async fn call_token_function(f: &Function) -> CallResult<Secret> {
    let unavailable = |e: JsValue| {
        Fail::with_cause(
            Error::TokenUnavailable {
                reason: "auth.token() threw or rejected".into(),
            },
            e,
        )
    };
    let value = f.call0(&JsValue::UNDEFINED).map_err(unavailable)?;
    let value = JsFuture::from(Promise::resolve(&value))
        .await
        .map_err(unavailable)?;
    match value.as_string() {
        Some(t) if !t.trim().is_empty() => Ok(Secret::new(t.trim())),
        _ => Err(Error::TokenUnavailable {
            reason: "auth.token() must return a non-empty string (or a promise of one)".into(),
        }
        .into()),
    }
}
