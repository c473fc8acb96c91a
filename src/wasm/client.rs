//! `createKfpClient`, `KfpClientManager` and `KfpClient`: the async driver around the core.
//!
//! Every API method is one line: build the request with [`crate::core::kfp`], [`Inner::send_api`]
//! it, decode it. `send_api` owns what every call shares: cookies or bearer token, keeping
//! `Set-Cookie` from API answers, one new login (shared by all concurrent calls) and one retry
//! when the session is gone, and v2beta1 → v1beta1 fallback on servers without v2beta1.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::core::client::{lacks_v2beta1, session_lost, CallContext};
use crate::core::error::Error;
use crate::core::http::{redact_url, HttpRequest, HttpResponse, Method};
use crate::core::kfp::{self, ApiVersion, ListParams};
use crate::core::login::{LoginConfig, LoginFlow, Step};
use crate::core::options::{Auth, ClientOptions};
use crate::core::secret::Secret;
use crate::wasm::error::Fail;
use crate::wasm::fetch::Transport;
use crate::wasm::host::{self, global_fetch};
use crate::wasm::options::{self as js_options, Bag, Parsed, TokenSource};

/// A KFP client with its own session, cookie jar and TLS settings.
#[wasm_bindgen]
pub struct KfpClient {
    inner: Rc<Inner>,
}

struct Inner {
    options: ClientOptions,
    token: TokenSource,
    transport: Transport,
    ctx: RefCell<CallContext>,
    /// The login under way, shared by every call that needs it.
    login: RefCell<Option<Promise>>,
    logins: Cell<u32>,
    authenticated: Cell<bool>,
    /// The bearer token last sent (from a function or a file), so errors never quote it.
    last_token: RefCell<Option<Secret>>,
}

type CallResult<T> = Result<T, Fail>;

/// A decoded answer as a plain JS value, exactly as `JSON.parse` would give it (plain objects
/// and arrays; integers beyond 2^53 rounded rather than refused).
fn to_js(value: &serde_json::Value) -> Result<JsValue, Fail> {
    let unconvertible = || Fail::from(Error::UnexpectedResponse { status: 200, url: "the KFP answer".into(), what: "the answer could not be converted to a JS value".into() });
    let text = serde_json::to_string(value).map_err(|_| unconvertible())?;
    js_sys::JSON::parse(&text).map_err(|_| unconvertible())
}

fn promise<F>(future: F) -> Promise
where
    F: std::future::Future<Output = CallResult<JsValue>> + 'static,
{
    future_to_promise(async move { future.await.map_err(Fail::into_js) })
}

/// A call's promise, with every error scrubbed of the client's secrets on its way out: servers
/// may echo a cookie or token back in an error body.
fn guarded<F>(inner: &Rc<Inner>, future: F) -> Promise
where
    F: std::future::Future<Output = CallResult<JsValue>> + 'static,
{
    let inner = Rc::clone(inner);
    future_to_promise(async move { future.await.map_err(|fail| inner.scrub(fail).into_js()) })
}

/// Validates the options, builds the client and logs in when the auth type needs it.
#[wasm_bindgen(js_name = createKfpClient)]
pub fn create_kfp_client(options: JsValue) -> Promise {
    let built = build(&options);
    promise(async move {
        let (inner, signal) = built?;
        let scrubber = Rc::clone(&inner);
        connect(inner, signal).await.map_err(|fail| scrubber.scrub(fail))
    })
}

fn build(options: &JsValue) -> CallResult<(Rc<Inner>, Option<JsValue>)> {
    let host = host::current();
    let Parsed { options, token, fetch, signal } = js_options::parse(options, host.as_ref())?;
    let fetch = match &host {
        Some(h) if h.is_node() => h.make_fetch(fetch.as_ref(), options.skip_tls_verify, options.ca_cert.as_deref())?,
        _ => global_fetch(fetch.as_ref())?,
    };
    let browser = !host.as_ref().is_some_and(host::Host::is_node);
    let mut ctx = CallContext { version: options.api_version, headers: options.headers.clone(), ..CallContext::default() };
    if let Auth::Cookies { cookies } = &options.auth {
        let _ = ctx.jar.import_header(options.api.url(), cookies.expose());
    }
    // Credentials other than a Dex login are in use from the start.
    let authenticated = !matches!(options.auth, Auth::None | Auth::Dex { .. });
    let inner = Rc::new(Inner {
        transport: Transport { fetch, timeout_ms: options.timeout_ms, browser },
        options,
        token,
        ctx: RefCell::new(ctx),
        login: RefCell::new(None),
        logins: Cell::new(0),
        authenticated: Cell::new(authenticated),
        last_token: RefCell::new(None),
    });
    Ok((inner, signal))
}

async fn connect(inner: Rc<Inner>, signal: Option<JsValue>) -> CallResult<JsValue> {
    if matches!(inner.options.auth, Auth::Dex { .. }) {
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
        js_options::parse(&options, host::current().as_ref()).map_err(|e| Fail::from(e).into_js())?;
        Ok(KfpClientManager { options })
    }

    /// Logs in and returns a new client.
    #[wasm_bindgen(js_name = createKfpClient)]
    pub fn create_kfp_client(&self) -> Promise {
        create_kfp_client(self.options.clone())
    }
}

impl Inner {
    /// Runs the login state machine over the transport and installs the new session.
    async fn login(self: &Rc<Self>, signal: Option<&JsValue>) -> CallResult<()> {
        let Auth::Dex { username, password, connector } = &self.options.auth else {
            return Ok(());
        };
        let mut flow = LoginFlow::new(LoginConfig {
            start_url: self.options.api.url().clone(),
            username: username.clone(),
            password: password.clone(),
            connector: connector.clone(),
        });
        let mut request = flow.start();
        loop {
            let response = self.transport.send(&request, signal).await?;
            match flow.handle_response(response)? {
                Step::Send(next) => request = next,
                Step::Done(session) => {
                    self.authenticated.set(session.authenticated);
                    self.logins.set(self.logins.get() + 1);
                    self.ctx.borrow_mut().install_session(session.jar);
                    return Ok(());
                }
            }
        }
    }

    /// A new login after a call saw the session of `seen` fail. Concurrent callers share one
    /// login; a caller whose session was already replaced just retries.
    async fn relogin(self: &Rc<Self>, seen: u64) -> CallResult<()> {
        if self.ctx.borrow().generation != seen {
            return Ok(());
        }
        let shared = {
            let mut slot = self.login.borrow_mut();
            match &*slot {
                Some(p) => p.clone(),
                None => {
                    let me = Rc::clone(self);
                    let p = future_to_promise(async move {
                        // A login shared by many calls is not cancelled by one caller's signal.
                        let result = me.login(None).await;
                        *me.login.borrow_mut() = None;
                        // Scrubbed here: the callers receive it as a JS value already.
                        result.map(|()| JsValue::UNDEFINED).map_err(|fail| me.scrub(fail).into_js())
                    });
                    *slot = Some(p.clone());
                    p
                }
            }
        };
        JsFuture::from(shared).await.map(|_| ()).map_err(Fail::Js)
    }

    async fn bearer(&self) -> CallResult<Option<Secret>> {
        match &self.token {
            TokenSource::None => Ok(None),
            TokenSource::Static(s) => Ok(Some(s.clone())),
            TokenSource::File(path) => {
                let host = host::current().ok_or_else(|| Fail::from(Error::Unsupported { feature: "auth type \"serviceAccountToken\"".into(), reason: "it needs Node.js".into() }))?;
                host.read_token(path).await.map(Some)
            }
            TokenSource::Function(f) => call_token_function(f).await.map(Some),
        }
    }

    /// Sends an API request built by `build` for the API version in use, with everything every
    /// call shares (see the module docs). `versioned` is false for `request()`, whose path is
    /// the caller's.
    async fn send_api(
        self: &Rc<Self>,
        versioned: bool,
        signal: Option<&JsValue>,
        build: &dyn Fn(ApiVersion) -> Result<HttpRequest, Error>,
    ) -> CallResult<HttpResponse> {
        let mut retried_session = false;
        let mut retried_version = false;
        // A token fetched to decide on a retry is the one the retry sends.
        let mut next_token: Option<Option<Secret>> = None;
        loop {
            let (generation, version) = {
                let ctx = self.ctx.borrow();
                (ctx.generation, ctx.version.unwrap_or(ApiVersion::V2beta1))
            };
            let token = match next_token.take() {
                Some(token) => token,
                None => self.bearer().await?,
            };
            if token.is_some() {
                self.last_token.replace(token.clone());
            }
            let request = self.ctx.borrow().prepare(build(version)?, token.as_ref());
            let response = self.transport.send(&request, signal).await?;
            self.ctx.borrow_mut().absorb(&response);

            if session_lost(&response) {
                if retried_session {
                    return Err(match self.options.auth {
                        // A refused token is KFP's (or the gateway's) answer, not a lost session.
                        Auth::Bearer | Auth::ServiceAccountToken { .. } => kfp::decode_error(&response).into(),
                        _ => self.session_error(&response),
                    });
                }
                retried_session = true;
                match &self.options.auth {
                    Auth::Dex { .. } => {
                        self.relogin(generation).await?;
                        continue;
                    }
                    Auth::Bearer | Auth::ServiceAccountToken { .. } if response.status == 401 => {
                        // A rotated or refreshed token may help once; the same token will not.
                        let fresh = self.bearer().await?;
                        if fresh.is_some() && fresh != token {
                            next_token = Some(fresh);
                            continue;
                        }
                        return Err(kfp::decode_error(&response).into());
                    }
                    Auth::Cookies { .. } => return Err(self.session_error(&response)),
                    _ => return Err(kfp::decode_error(&response).into()),
                }
            }
            if versioned && !retried_version && self.ctx.borrow().version.is_none() {
                if lacks_v2beta1(&response) {
                    // KFP 1.x and deployKF ≤ 0.1.4 (2.0.0-alpha.7) serve only v1beta1.
                    self.ctx.borrow_mut().version = Some(ApiVersion::V1beta1);
                    retried_version = true;
                    continue;
                }
                if response.is_json() && response.status != 401 {
                    self.ctx.borrow_mut().version = Some(ApiVersion::V2beta1);
                }
            }
            return Ok(response);
        }
    }

    /// Every secret this client holds: what no error may quote.
    fn secrets(&self) -> Vec<String> {
        let mut secrets = self.ctx.borrow().jar.values();
        match &self.options.auth {
            Auth::Dex { password, .. } => secrets.push(password.expose().to_owned()),
            Auth::Cookies { cookies } => secrets.extend(cookies.expose().split(';').filter_map(|p| p.split_once('=')).map(|(_, v)| v.trim().to_owned())),
            _ => {}
        }
        if let TokenSource::Static(token) = &self.token {
            secrets.push(token.expose().to_owned());
        }
        if let Some(token) = &*self.last_token.borrow() {
            secrets.push(token.expose().to_owned());
        }
        secrets
    }

    fn scrub(&self, fail: Fail) -> Fail {
        match fail {
            Fail::Core(e, cause) => {
                let secrets = self.secrets();
                let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
                let keep: Vec<&str> = match &self.options.auth {
                    Auth::Dex { username, .. } => vec![username.as_str()],
                    _ => vec![],
                };
                Fail::Core(e.scrubbed(&refs, &keep), cause)
            }
            js => js,
        }
    }

    fn session_error(&self, response: &HttpResponse) -> Fail {
        let relogin_possible = matches!(self.options.auth, Auth::Dex { .. });
        Error::SessionExpired { status: Some(response.status), url: redact_url(&response.url), relogin_possible }.into()
    }

    fn namespace(&self, given: Option<String>) -> Option<String> {
        given.or_else(|| self.options.namespace.clone())
    }
}

async fn call_token_function(f: &Function) -> CallResult<Secret> {
    let unavailable = |e: JsValue| Fail::with_cause(Error::TokenUnavailable { reason: "auth.token() threw or rejected".into() }, e);
    let value = f.call0(&JsValue::UNDEFINED).map_err(unavailable)?;
    let value = JsFuture::from(Promise::resolve(&value)).await.map_err(unavailable)?;
    match value.as_string() {
        Some(t) if !t.trim().is_empty() => Ok(Secret::new(t.trim())),
        _ => Err(Error::TokenUnavailable { reason: "auth.token() must return a non-empty string (or a promise of one)".into() }.into()),
    }
}

/// Decodes any successful answer of `request()`: JSON as an object, other text as a string.
fn decode_any(response: &HttpResponse) -> CallResult<JsValue> {
    if (200..300).contains(&response.status) && !response.is_json() && !response.is_html() && !response.body.is_empty() {
        let looks_json = matches!(response.body.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['));
        if !looks_json {
            return Ok(JsValue::from_str(&response.text()));
        }
    }
    to_js(&kfp::decode_json(response)?)
}

fn list_params(params: &JsValue) -> Result<ListParams, Error> {
    let bag = Bag::new(params, "params")?;
    Ok(ListParams {
        namespace: bag.string("namespace")?,
        page_size: bag.int("pageSize")?,
        page_token: bag.string("pageToken")?,
        sort_by: bag.string("sortBy")?,
        filter: bag.json("filter")?,
    })
}

/// The `signal` of a per-call options object.
fn call_signal(options: &JsValue) -> Result<Option<JsValue>, Error> {
    Bag::new(options, "options")?.signal("signal")
}

fn required_id(id: &JsValue, name: &str) -> Result<String, Error> {
    id.as_string().ok_or_else(|| Error::InvalidArgType { name: name.into(), expected: "of type string".into(), actual: if id.is_undefined() { "undefined".into() } else { format!("type {}", id.js_typeof().as_string().unwrap_or_default()) } })
}

#[wasm_bindgen]
impl KfpClient {
    /// `GET /apis/v2beta1/healthz` (v1beta1 on older servers): `multi_user` and versions.
    pub fn healthz(&self, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let signal = call_signal(&options);
        guarded(&self.inner, async move {
            let signal = signal?;
            let base = inner.options.api.clone();
            let response = inner.send_api(true, signal.as_ref(), &|v| kfp::healthz(&base, v)).await?;
            to_js(&kfp::decode_json(&response)?)
        })
    }

    /// Lists experiments: `{ experiments: [...], total_size?, next_page_token? }`.
    #[wasm_bindgen(js_name = listExperiments)]
    pub fn list_experiments(&self, params: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let parsed = list_params(&params).and_then(|p| Ok((p, Bag::new(&params, "params")?.signal("signal")?)));
        guarded(&self.inner, async move {
            let (mut p, signal) = parsed?;
            p.namespace = inner.namespace(p.namespace);
            let base = inner.options.api.clone();
            let response = inner.send_api(true, signal.as_ref(), &|v| kfp::list_experiments(&base, v, &p)).await?;
            to_js(&kfp::decode_list(&response, "experiments")?)
        })
    }

    /// Gets one experiment by id.
    #[wasm_bindgen(js_name = getExperiment)]
    pub fn get_experiment(&self, id: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = required_id(&id, "id").and_then(|id| Ok((id, call_signal(&options)?)));
        guarded(&self.inner, async move {
            let (id, signal) = args?;
            let base = inner.options.api.clone();
            let response = inner.send_api(true, signal.as_ref(), &|v| kfp::get_experiment(&base, v, &id)).await?;
            to_js(&kfp::decode_json(&response)?)
        })
    }

    /// Creates an experiment in `options.namespace` (or the client's namespace).
    #[wasm_bindgen(js_name = createExperiment)]
    pub fn create_experiment(&self, name: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let name = required_id(&name, "name")?;
            let bag = Bag::new(&options, "options")?;
            Ok::<_, Error>((name, bag.string("description")?, bag.string("namespace")?, bag.signal("signal")?))
        })();
        guarded(&self.inner, async move {
            let (name, description, namespace, signal) = args?;
            let namespace = inner.namespace(namespace);
            let base = inner.options.api.clone();
            let response = inner
                .send_api(true, signal.as_ref(), &|v| kfp::create_experiment(&base, v, &name, description.as_deref(), namespace.as_deref()))
                .await?;
            to_js(&kfp::decode_json(&response)?)
        })
    }

    /// Deletes an experiment by id.
    #[wasm_bindgen(js_name = deleteExperiment)]
    pub fn delete_experiment(&self, id: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = required_id(&id, "id").and_then(|id| Ok((id, call_signal(&options)?)));
        guarded(&self.inner, async move {
            let (id, signal) = args?;
            let base = inner.options.api.clone();
            let response = inner.send_api(true, signal.as_ref(), &|v| kfp::delete_experiment(&base, v, &id)).await?;
            kfp::decode_empty(&response)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Any KFP endpoint: `request("GET", "/apis/v2beta1/runs", { query, body })`.
    pub fn request(&self, method: JsValue, path: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let method_name = required_id(&method, "method")?;
            let method = Method::parse(&method_name).ok_or_else(|| Error::InvalidArgValue {
                name: "method".into(),
                reason: "it must be GET, POST, PUT, PATCH or DELETE".into(),
            })?;
            let path = required_id(&path, "path")?;
            let bag = Bag::new(&options, "options")?;
            let query = query_pairs(bag.object("query")?)?;
            Ok::<_, Error>((method, path, query, bag.json("body")?, bag.signal("signal")?))
        })();
        guarded(&self.inner, async move {
            let (method, path, query, body, signal) = args?;
            let base = inner.options.api.clone();
            let response = inner.send_api(false, signal.as_ref(), &|_| kfp::raw(&base, method, &path, &query, body.as_ref())).await?;
            decode_any(&response)
        })
    }

    /// The `Cookie` header value this client sends to `apiUrl` (Node), for tools that take a
    /// session cookie, like the Python recipe's `kfp.Client(cookies=...)`. `undefined` without a
    /// session.
    #[wasm_bindgen(js_name = getSessionCookies)]
    pub fn get_session_cookies(&self) -> Option<String> {
        self.inner.ctx.borrow().jar.header_for(self.inner.options.api.url())
    }

    /// The default namespace from the options.
    #[wasm_bindgen(getter)]
    pub fn namespace(&self) -> Option<String> {
        self.inner.options.namespace.clone()
    }

    /// The base URL as normalised (no trailing slash).
    #[wasm_bindgen(getter, js_name = apiUrl)]
    pub fn api_url(&self) -> String {
        self.inner.options.api.url().as_str().trim_end_matches('/').to_owned()
    }

    /// The auth type.
    #[wasm_bindgen(getter, js_name = authType)]
    pub fn auth_type(&self) -> String {
        self.inner.options.auth.type_name().to_owned()
    }

    /// `"v2beta1"` or `"v1beta1"` once known; `undefined` before the first call in auto mode.
    #[wasm_bindgen(getter, js_name = apiVersion)]
    pub fn api_version(&self) -> Option<String> {
        self.inner.ctx.borrow().version.map(|v| v.as_str().to_owned())
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
            let generation = inner.ctx.borrow().generation;
            inner.relogin(generation).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// `{ key: value | value[] }` → query pairs; values may be strings, numbers or booleans.
fn query_pairs(query: Option<JsValue>) -> Result<Vec<(String, String)>, Error> {
    let Some(query) = query else { return Ok(Vec::new()) };
    let entries = js_sys::Object::entries(query.unchecked_ref());
    let mut pairs = Vec::new();
    for entry in entries.iter() {
        let pair = js_sys::Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let values: Vec<JsValue> = if js_sys::Array::is_array(&value) { js_sys::Array::from(&value).iter().collect() } else { vec![value] };
        for v in values {
            if v.is_undefined() || v.is_null() {
                continue;
            }
            let text = if let Some(s) = v.as_string() {
                s
            } else if let Some(n) = v.as_f64() {
                n.to_string()
            } else if let Some(b) = v.as_bool() {
                b.to_string()
            } else {
                return Err(Error::InvalidArgType { name: format!("options.query.{key}"), expected: "a string, number, boolean or an array of them".into(), actual: "an object".into() });
            };
            pairs.push((key.clone(), text));
        }
    }
    Ok(pairs)
}
