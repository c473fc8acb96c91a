//! The wasm binding driven as JavaScript drives it: `createKfpClient`, `KfpClientManager`,
//! `KfpClient`, `kfpErrorClass` and `installHost`, with JS option objects and a fake `fetch`.
//!
//! Run with `wasm-pack test --node -- --test wasm`. The fake `fetch` is a JS function that
//! records every call and answers with canned `Response` objects (Node's globals), so these
//! tests need no server; `tests/js` covers real HTTP against the sandbox.
//!
//! Every test installs a Node host first (`node()`: `{ platform: "node" }`, as the package's
//! entry does, without TLS hooks), since without one the binding behaves as in a browser page;
//! `tests/browser.rs` drives that mode in a real browser. Tests run one at a time in one module
//! instance (wasm-bindgen-test's concurrency is 1); the tests that install another host put the
//! plain one back.

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect, JSON};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

use kfp_wasm::wasm::{
    create_kfp_client, install_host, kfp_error_class, KfpClient, KfpClientManager,
};

#[wasm_bindgen(inline_js = r#"
export function isInstance(value, ctor) { return value instanceof ctor; }
export function jsString(value) { return String(value); }
export function isPlainObject(value) {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}
export function hasOwn(value, key) { return Object.prototype.hasOwnProperty.call(value, key); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = isInstance)]
    fn is_instance(value: &JsValue, ctor: &JsValue) -> bool;
    #[wasm_bindgen(js_name = jsString)]
    fn js_string(value: &JsValue) -> String;
    #[wasm_bindgen(js_name = isPlainObject)]
    fn is_plain_object(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = hasOwn)]
    fn has_own(value: &JsValue, key: &str) -> bool;
}

const API: &str = "http://kf.test/pipeline";
const PASSWORD: &str = "s3cret-Pa55";
const CSRF_SECRET: &str = "csrfsecretvalue";
const SESSION_SECRET: &str = "sessionsecretvalue";

// ---------------------------------------------------------------------------------------------
// The fake fetch

/// Response builders every fake can use, and the record of each call.
const PRELUDE: &str = r#"
const headers = (pairs) => new Headers(pairs);
const json = (value, status = 200, extra = []) =>
  new Response(JSON.stringify(value), { status, headers: headers([["content-type", "application/json"], ...extra]) });
const html = (text, status = 200, extra = []) =>
  new Response(text, { status, headers: headers([["content-type", "text/html; charset=utf-8"], ...extra]) });
const redirect = (location, status = 302, cookies = []) =>
  new Response(null, { status, headers: headers([["location", location], ...cookies.map((c) => ["set-cookie", c])]) });
const PASSWORD_FORM = (error) => `<!DOCTYPE html><html><head><title>dex</title></head><body>
  <form method="post" action="/dex/auth/local/login?back=&amp;state=sssssssssssssssssssssssss">
    <input type="text" id="login" name="login" value="" autofocus>
    <input type="password" id="password" name="password">
    ${error ? '<div id="login-error" class="dex-error-box">Invalid Email Address and password.</div>' : ""}
    <button type="submit" id="submit-login">Login</button>
  </form></body></html>`;
"#;

/// A fake `fetch` and the log of the calls it received: `{ url, method, headers, body, redirect,
/// credentials, signal }`, the body decoded as text.
struct Fake {
    fetch: Function,
    log: Array,
}

impl Fake {
    /// `body` is the JS body of `async (url, init)`; `req` is the recorded call, `log` all of them.
    fn new(body: &str) -> Fake {
        let log = Array::new();
        let source = format!(
            "{PRELUDE}
            return async function fetch(url, init) {{
              const req = {{
                url, method: init.method, headers: init.headers, redirect: init.redirect,
                credentials: init.credentials, signal: init.signal,
                body: init.body === undefined ? undefined : new TextDecoder().decode(init.body),
              }};
              log.push(req);
              const path = new URL(url).pathname;
              {body}
            }};"
        );
        let factory = Function::new_with_args("log", &source);
        let fetch = factory
            .call1(&JsValue::UNDEFINED, &log)
            .expect("fake fetch source compiles")
            .unchecked_into();
        Fake { fetch, log }
    }

    /// A fake answering every request with `{"multi_user": false}`.
    fn healthy() -> Fake {
        Fake::new(r#"return json({ multi_user: false, commit_sha: "abc" });"#)
    }

    fn calls(&self) -> u32 {
        self.log.length()
    }

    /// Field `path` (dotted) of call `i`.
    fn get(&self, i: u32, path: &str) -> JsValue {
        get(&self.log.get(i), path)
    }

    fn str(&self, i: u32, path: &str) -> String {
        self.get(i, path)
            .as_string()
            .unwrap_or_else(|| panic!("call {i}: {path} is not a string"))
    }
}

// ---------------------------------------------------------------------------------------------
// JS values

/// Options from JSON text, with `fetch` set when given.
fn options(json: &str, fetch: Option<&Fake>) -> JsValue {
    let value = JSON::parse(json).expect("test options are JSON");
    if let Some(fake) = fetch {
        set(&value, "fetch", &fake.fetch);
    }
    value
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).expect("set a property");
}

/// `value.a.b.c`, `undefined` where a link is missing.
fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        if v.is_object() || v.is_function() {
            Reflect::get(&v, &key.into()).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    })
}

fn string(value: &JsValue, path: &str) -> String {
    get(value, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string in {}", js_string(value)))
}

async fn resolves(promise: Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(v) => v,
        Err(e) => panic!(
            "expected success, got {} (code {:?})",
            js_string(&e),
            get(&e, "code").as_string()
        ),
    }
}

async fn rejects(promise: Promise) -> JsValue {
    match JsFuture::from(promise).await {
        Ok(v) => panic!("expected a rejection, got {}", js_string(&v)),
        Err(e) => e,
    }
}

async fn client(options: JsValue) -> KfpClient {
    let value = resolves(create_kfp_client(options)).await;
    // The binding returns a wasm-bindgen object; take it back as the Rust type.
    KfpClient::try_from_js_value(value).expect("createKfpClient resolves to a KfpClient")
}

// ---------------------------------------------------------------------------------------------
// Assertions

/// A `TypeError` with Node's code whose message names every one of `names`.
fn assert_type_error(err: &JsValue, code: &str, names: &[&str]) {
    let message = string(err, "message");
    assert!(
        err.is_instance_of::<js_sys::TypeError>(),
        "not a TypeError: {message}"
    );
    assert_eq!(string(err, "code"), code, "{message}");
    assert!(
        !is_instance(err, &kfp_error_class()),
        "argument errors are TypeErrors, not KfpErrors: {message}"
    );
    for name in names {
        assert!(message.contains(name), "{message:?} does not name {name:?}");
    }
}

/// A `KfpError` with `code`, and `status` as given (absent when `None`).
fn assert_kfp_error(err: &JsValue, code: &str, status: Option<u16>) {
    let message = get(err, "message").as_string().unwrap_or_default();
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {}",
        js_string(err)
    );
    assert!(
        is_instance(err, &kfp_error_class()),
        "not a KfpError: {message}"
    );
    assert_eq!(get(err, "name").as_string().as_deref(), Some("KfpError"));
    assert_eq!(
        get(err, "code").as_string().as_deref(),
        Some(code),
        "{message}"
    );
    match status {
        Some(s) => assert_eq!(get(err, "status").as_f64(), Some(f64::from(s)), "{message}"),
        None => assert!(
            !has_own(err, "status"),
            "unexpected status on {code}: {message}"
        ),
    }
    assert!(
        js_string(err).starts_with("KfpError: "),
        "{}",
        js_string(err)
    );
}

/// None of `secrets` shows in the error's message, `String(err)` or `JSON.stringify(err)`.
fn assert_no_secrets(err: &JsValue, secrets: &[&str]) {
    let views = [
        get(err, "message").as_string().unwrap_or_default(),
        js_string(err),
        JSON::stringify(err)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default(),
    ];
    for view in &views {
        for secret in secrets {
            assert!(!view.contains(secret), "{secret:?} leaked into {view:?}");
        }
    }
}

/// The module still works after an error: a new client can call the API.
async fn assert_alive() {
    let fake = Fake::healthy();
    let c = client(options(
        &format!(r#"{{"apiUrl": "{API}", "auth": {{"type": "none"}}}}"#),
        Some(&fake),
    ))
    .await;
    let health = resolves(c.healthz(JsValue::UNDEFINED)).await;
    assert_eq!(get(&health, "multi_user").as_bool(), Some(false));
    assert_eq!(fake.calls(), 1);
}

/// Node mode: the platform hooks of the package's entry, minus TLS and files.
fn node() {
    install_host(JSON::parse(r#"{"platform": "node"}"#).expect("JSON"));
}

// ---------------------------------------------------------------------------------------------
// 1. Options

#[wasm_bindgen_test]
async fn wrong_option_types_are_type_errors_naming_the_option() {
    node();
    let cases: &[(&str, &[&str])] = &[
        (r#"{}"#, &["apiUrl", "undefined"]),
        (r#"{"apiUrl": 8080}"#, &["apiUrl", "type number (8080)"]),
        (
            r#"{"apiUrl": "http://kf.test", "auth": "dex"}"#,
            &["auth", "type string"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": ["dex"]}"#,
            &["auth", "Array"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "timeoutMs": "5000"}"#,
            &["timeoutMs", "type string"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "skipTlsVerify": "yes"}"#,
            &["skipTlsVerify", "boolean"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "fetch": "fetch"}"#,
            &["fetch", "function"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "headers": {"X-Team": 1}}"#,
            &["headers.X-Team"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "dex", "password": "p"}}"#,
            &["auth.username"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "bearer", "token": 42}}"#,
            &["auth.token"],
        ),
    ];
    for (json, names) in cases {
        let err = rejects(create_kfp_client(options(json, None))).await;
        assert_type_error(&err, "ERR_INVALID_ARG_TYPE", names);
    }
    for missing in [JsValue::UNDEFINED, JsValue::NULL] {
        let err = rejects(create_kfp_client(missing)).await;
        assert_type_error(&err, "ERR_INVALID_ARG_TYPE", &["options"]);
    }
    // A secret of the wrong type is described by its type only.
    let err = rejects(create_kfp_client(options(
        r#"{"apiUrl": "http://kf.test", "auth": {"type": "dex", "username": "u", "password": 73915}}"#,
        None,
    )))
    .await;
    assert_type_error(
        &err,
        "ERR_INVALID_ARG_TYPE",
        &["auth.password", "type number"],
    );
    assert_no_secrets(&err, &["73915"]);
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn unusable_option_values_are_type_errors_naming_the_option() {
    node();
    let cases: &[(&str, &[&str])] = &[
        (r#"{"apiUrl": "ftp://x"}"#, &["apiUrl", "ftp:"]),
        (r#"{"apiUrl": "not a url"}"#, &["apiUrl"]),
        (r#"{"apiUrl": "http://u:p@kf.test"}"#, &["apiUrl"]),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "oauth"}}"#,
            &["auth.type", "oauth", "\"dex\""],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "dex", "username": "u", "password": "p", "connector": "a/b"}}"#,
            &["auth.connector"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "dex", "username": " ", "password": "p"}}"#,
            &["auth.username"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "bearer", "token": "  "}}"#,
            &["auth.token"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "cookies", "cookies": "oops"}}"#,
            &["auth.cookies", "pair 1 of 1"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "timeoutMs": 0}"#,
            &["timeoutMs"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "timeoutMs": 1.5}"#,
            &["timeoutMs"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "headers": {"Cookie": "a=b"}}"#,
            &["headers", "cookies"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "headers": {"bad name": "v"}}"#,
            &["headers", "bad name"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "auth": {"type": "bearer", "token": "t"}, "headers": {"Authorization": "x"}}"#,
            &["headers", "bearer"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "apiVersion": "v2"}"#,
            &["apiVersion"],
        ),
        (
            r#"{"apiUrl": "http://kf.test", "namespace": ""}"#,
            &["namespace"],
        ),
    ];
    for (json, names) in cases {
        let err = rejects(create_kfp_client(options(json, None))).await;
        assert_type_error(&err, "ERR_INVALID_ARG_VALUE", names);
    }
    // The value of a cookie string is never echoed.
    let err = rejects(create_kfp_client(options(
        r#"{"apiUrl": "http://kf.test", "auth": {"type": "cookies", "cookies": "=cookiesecret"}}"#,
        None,
    )))
    .await;
    assert_type_error(&err, "ERR_INVALID_ARG_VALUE", &["auth.cookies"]);
    assert_no_secrets(&err, &["cookiesecret"]);
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn the_browser_auth_type_is_unsupported_in_node() {
    node();
    let json = r#"{"apiUrl": "https://kf.test", "auth": {"type": "browser"}}"#;
    let err = rejects(create_kfp_client(options(json, None))).await;
    assert_kfp_error(&err, "KFP_UNSUPPORTED", None);
    let message = string(&err, "message");
    assert!(
        message.contains("\"browser\"") && message.contains("Node.js"),
        "{message}"
    );
    let thrown = KfpClientManager::new(options(json, None))
        .err()
        .expect("the manager refuses it");
    assert_kfp_error(&thrown, "KFP_UNSUPPORTED", None);
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn the_manager_checks_options_synchronously() {
    node();
    let thrown = KfpClientManager::new(options(r#"{"apiUrl": "ftp://x"}"#, None))
        .err()
        .expect("throws");
    assert_type_error(&thrown, "ERR_INVALID_ARG_VALUE", &["apiUrl"]);
    let thrown = KfpClientManager::new(options(
        r#"{"apiUrl": "http://kf.test", "timeoutMs": "1"}"#,
        None,
    ))
    .err()
    .expect("throws");
    assert_type_error(&thrown, "ERR_INVALID_ARG_TYPE", &["timeoutMs"]);
    let thrown = KfpClientManager::new(JsValue::UNDEFINED)
        .err()
        .expect("throws");
    assert_type_error(&thrown, "ERR_INVALID_ARG_TYPE", &["options"]);

    // Good options: no request until createKfpClient, then a client per call.
    let fake = Fake::healthy();
    let manager = KfpClientManager::new(options(&format!(r#"{{"apiUrl": "{API}"}}"#), Some(&fake)))
        .expect("valid options");
    assert_eq!(fake.calls(), 0);
    let value = resolves(manager.create_kfp_client()).await;
    let c = KfpClient::try_from_js_value(value).expect("a KfpClient");
    assert_eq!(c.api_url(), API);
    assert_eq!(c.auth_type(), "none");
    resolves(c.healthz(JsValue::UNDEFINED)).await;
    assert_eq!(fake.calls(), 1);
    assert_alive().await;
}

// ---------------------------------------------------------------------------------------------
// 2. KfpError

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error_with_a_clean_copy_of_the_fetch_error_as_cause() {
    node();
    let fake =
        Fake::new(r#"throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });"#);
    let opts = options(
        &format!(
            r#"{{"apiUrl": "{API}", "auth": {{"type": "dex", "username": "u", "password": "{PASSWORD}"}}}}"#
        ),
        Some(&fake),
    );
    let err = rejects(create_kfp_client(opts)).await;
    assert_kfp_error(&err, "KFP_NETWORK_ERROR", None);
    let message = string(&err, "message");
    assert!(
        message.contains("kf.test") && message.contains("ECONNREFUSED"),
        "{message}"
    );
    let cause = get(&err, "cause");
    // A clean copy (name, code, scrubbed message), never the raw error: its own `cause` may hold
    // the raw response bytes.
    assert!(
        cause.is_instance_of::<js_sys::Error>(),
        "cause is an Error: {}",
        js_string(&cause)
    );
    assert_eq!(string(&cause, "name"), "TypeError");
    assert_eq!(string(&cause, "message"), "fetch failed");
    assert_eq!(string(&cause, "code"), "ECONNREFUSED");
    assert!(get(&cause, "cause").is_undefined(), "no nested raw cause");
    assert_no_secrets(&err, &[PASSWORD]);
    // The login's GET was tried three times (the default retry), and the message says so.
    assert_eq!(fake.calls(), 3);
    assert!(message.contains("3 attempts"), "{message}");

    // With retry: false, once.
    let fake =
        Fake::new(r#"throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });"#);
    let opts = options(
        &format!(
            r#"{{"apiUrl": "{API}", "retry": false, "auth": {{"type": "dex", "username": "u", "password": "{PASSWORD}"}}}}"#
        ),
        Some(&fake),
    );
    let err = rejects(create_kfp_client(opts)).await;
    assert_kfp_error(&err, "KFP_NETWORK_ERROR", None);
    assert_eq!(fake.calls(), 1);
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn a_fetch_that_throws_synchronously_is_a_network_error_too() {
    node();
    let source = format!("{PRELUDE} return function fetch() {{ throw new Error(\"boom\"); }};");
    let fetch: Function = Function::new_no_args(&source)
        .call0(&JsValue::UNDEFINED)
        .unwrap()
        .unchecked_into();
    let opts = options(&format!(r#"{{"apiUrl": "{API}"}}"#), None);
    set(&opts, "fetch", &fetch);
    let c = client(opts).await;
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_NETWORK_ERROR", None);
    assert_eq!(string(&err, "cause.message"), "boom");
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn a_certificate_failure_is_a_tls_error() {
    node();
    let fake = Fake::new(
        r#"throw new TypeError("fetch failed", { cause: { code: "DEPTH_ZERO_SELF_SIGNED_CERT" } });"#,
    );
    let c = client(options(
        r#"{"apiUrl": "https://kf.test/pipeline"}"#,
        Some(&fake),
    ))
    .await;
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_TLS_ERROR", None);
    let message = string(&err, "message");
    assert!(
        message.contains("DEPTH_ZERO_SELF_SIGNED_CERT") && message.contains("caCert"),
        "{message}"
    );
    assert_eq!(string(&err, "cause.code"), "DEPTH_ZERO_SELF_SIGNED_CERT");
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn a_timeout_is_kfp_timeout_and_an_abort_is_kfp_aborted() {
    node();
    let fake = Fake::new(
        r#"if (log.length === 1) throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
           throw new DOMException("This operation was aborted", "AbortError");"#,
    );
    let c = client(options(
        &format!(r#"{{"apiUrl": "{API}", "timeoutMs": 1500}}"#),
        Some(&fake),
    ))
    .await;
    let err = rejects(c.list_experiments(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_TIMEOUT", None);
    assert!(
        string(&err, "message").contains("1500 ms"),
        "{}",
        string(&err, "message")
    );
    assert_eq!(string(&err, "cause.name"), "TimeoutError");
    // timeoutMs becomes a signal on every request.
    assert!(
        fake.get(0, "signal")
            .is_instance_of::<web_sys::AbortSignal>(),
        "no AbortSignal passed to fetch"
    );

    let err = rejects(c.list_experiments(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_ABORTED", None);

    // A plain object that only looks like a DOMException is classified the same way.
    let fake = Fake::new(r#"throw { name: "TimeoutError", message: "timed out" };"#);
    let c = client(options(&format!(r#"{{"apiUrl": "{API}"}}"#), Some(&fake))).await;
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_TIMEOUT", None);
    assert_alive().await;
}

#[wasm_bindgen_test]
fn the_error_class_is_an_error_subclass() {
    let class = kfp_error_class();
    assert!(class.is_function());
    assert_eq!(string(&class, "name"), "KfpError");
    let prototype = get(&class, "prototype");
    assert!(prototype.is_instance_of::<js_sys::Error>());
}

// ---------------------------------------------------------------------------------------------
// 3–4. Dex login

/// oauth2-proxy in front of Dex ≥ 2.29, the shortest flow: apiUrl → 302 to the password form →
/// POST → 303 to the callback → 302 back with the session cookie. `post` answers the POST.
fn dex_gateway(post: &str, api: &str) -> Fake {
    Fake::new(&format!(
        r#"
        if (path === "/pipeline" && req.method === "GET")
          return redirect("/dex/auth/local/login?back=&state=" + "s".repeat(25), 302,
                          ["oauth2_proxy_kubeflow_csrf={CSRF_SECRET}; Path=/; HttpOnly"]);
        if (path === "/dex/auth/local/login" && req.method === "GET") return html(PASSWORD_FORM(false));
        if (path === "/dex/auth/local/login" && req.method === "POST") {{ {post} }}
        if (path === "/oauth2/callback")
          return redirect("/pipeline", 302, ["oauth2_proxy_kubeflow_csrf=; Path=/; Max-Age=0",
                                             "oauth2_proxy_kubeflow={SESSION_SECRET}; Path=/; HttpOnly"]);
        if (path.startsWith("/pipeline/apis/")) {{ {api} }}
        return html("<title>404</title>", 404);
        "#
    ))
}

fn dex_options(fake: &Fake) -> JsValue {
    options(
        &format!(
            r#"{{"apiUrl": "{API}", "auth": {{"type": "dex", "username": "user@example.com", "password": "{PASSWORD}"}}}}"#
        ),
        Some(fake),
    )
}

#[wasm_bindgen_test]
async fn a_dex_login_then_list_experiments_returns_plain_objects() {
    node();
    let fake = dex_gateway(
        r#"return redirect("/oauth2/callback?code=x&state=y", 303);"#,
        r#"if (req.headers.cookie !== "oauth2_proxy_kubeflow=sessionsecretvalue") return json({}, 401);
           return json({});"#,
    );
    let c = client(dex_options(&fake)).await;
    assert_eq!(fake.calls(), 4, "GET apiUrl, GET form, POST, GET callback");
    assert!(c.authenticated());
    assert_eq!(c.login_count(), 1);
    assert_eq!(c.auth_type(), "dex");

    // Every hop: manual redirects, HTML accepted; the client's own jar, no browser credentials.
    for i in 0..4 {
        assert_eq!(fake.str(i, "redirect"), "manual");
        assert!(fake.get(i, "credentials").is_undefined());
        assert!(fake.str(i, "headers.accept").starts_with("text/html"));
    }
    assert_eq!(fake.str(0, "url"), API);
    assert_eq!(
        fake.str(1, "url"),
        format!(
            "http://kf.test/dex/auth/local/login?back=&state={}",
            "s".repeat(25)
        )
    );
    assert_eq!(
        fake.str(1, "headers.cookie"),
        format!("oauth2_proxy_kubeflow_csrf={CSRF_SECRET}")
    );
    assert_eq!(fake.str(2, "method"), "POST");
    assert_eq!(
        fake.str(2, "url"),
        fake.str(1, "url"),
        "the form's action, unescaped"
    );
    assert_eq!(
        fake.str(2, "headers.content-type"),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        fake.str(2, "body"),
        format!("login=user%40example.com&password={PASSWORD}")
    );
    assert_eq!(
        fake.str(3, "url"),
        "http://kf.test/oauth2/callback?code=x&state=y"
    );
    assert_eq!(
        fake.str(3, "method"),
        "GET",
        "303 turns the POST into a GET"
    );

    let params = options(r#"{"namespace": "ns"}"#, None);
    let result = resolves(c.list_experiments(params)).await;
    assert_eq!(fake.calls(), 5);
    assert_eq!(
        fake.str(4, "url"),
        "http://kf.test/pipeline/apis/v2beta1/experiments?namespace=ns"
    );
    assert_eq!(fake.str(4, "method"), "GET");
    assert_eq!(fake.str(4, "redirect"), "manual");
    assert_eq!(
        fake.str(4, "headers.cookie"),
        format!("oauth2_proxy_kubeflow={SESSION_SECRET}")
    );
    assert_eq!(fake.str(4, "headers.accept"), "application/json");
    assert!(
        fake.get(4, "headers.authorization").is_undefined(),
        "cookies and a token never go together"
    );

    assert!(
        is_plain_object(&result),
        "not a plain object: {}",
        js_string(&result)
    );
    let experiments = get(&result, "experiments");
    assert!(Array::is_array(&experiments), "experiments is not an Array");
    assert_eq!(Array::from(&experiments).length(), 0);
    assert_eq!(c.api_version().as_deref(), Some("v2beta1"));
    assert_eq!(
        c.get_session_cookies().as_deref(),
        Some(format!("oauth2_proxy_kubeflow={SESSION_SECRET}").as_str())
    );
}

#[wasm_bindgen_test]
async fn nested_answers_are_plain_objects_and_arrays_too() {
    node();
    let fake = Fake::new(
        r#"return json({ experiments: [{ experiment_id: "e1", display_name: "x", storage_state: "AVAILABLE",
                                         created_at: "2024-01-01T00:00:00Z", extra: { a: [1, { b: null }] } }],
                         total_size: 1, next_page_token: "" });"#,
    );
    let c = client(options(&format!(r#"{{"apiUrl": "{API}"}}"#), Some(&fake))).await;
    let result = resolves(c.list_experiments(JsValue::UNDEFINED)).await;
    assert!(is_plain_object(&result));
    let first = Array::from(&get(&result, "experiments")).get(0);
    assert!(
        is_plain_object(&first),
        "an experiment is a Map or class instance: {}",
        js_string(&first)
    );
    assert_eq!(string(&first, "experiment_id"), "e1");
    assert!(is_plain_object(&get(&first, "extra")));
    assert!(Array::is_array(&get(&first, "extra.a")));
    assert!(get(&Array::from(&get(&first, "extra.a")).get(1), "b").is_null());
}

#[wasm_bindgen_test]
async fn answers_are_converted_like_json_parse_even_with_large_integers() {
    node();
    // KFP sends int64 as strings, but request() returns any endpoint's JSON, and pipeline specs
    // are user data: JSON.parse accepts these numbers (rounding them), so the client must too.
    let fake = Fake::new(
        r#"return new Response('{"big": 9007199254740993, "huge": 12345678901234567890, "neg": -9007199254740993, "s": "9007199254740993"}',
                               { status: 200, headers: { "content-type": "application/json" } });"#,
    );
    let c = client(options(&format!(r#"{{"apiUrl": "{API}"}}"#), Some(&fake))).await;
    let result = resolves(c.request(
        "GET".into(),
        "/apis/v2beta1/runs/r1".into(),
        JsValue::UNDEFINED,
    ))
    .await;
    assert!(is_plain_object(&result));
    assert_eq!(get(&result, "big").as_f64(), Some(9_007_199_254_740_992.0));
    assert_eq!(
        get(&result, "huge").as_f64(),
        Some(12_345_678_901_234_567_890.0)
    );
    assert_eq!(get(&result, "neg").as_f64(), Some(-9_007_199_254_740_992.0));
    assert_eq!(string(&result, "s"), "9007199254740993");
}

#[wasm_bindgen_test]
async fn a_wrong_password_is_invalid_credentials_without_secrets() {
    node();
    let fake = dex_gateway(
        r#"return html(PASSWORD_FORM(true), 401);"#,
        r#"return json({});"#,
    );
    let err = rejects(create_kfp_client(dex_options(&fake))).await;
    assert_kfp_error(&err, "KFP_INVALID_CREDENTIALS", Some(401));
    let message = string(&err, "message");
    assert!(
        message.contains("\"local\"") && message.contains("auth.password"),
        "{message}"
    );
    // The password did go out, and the CSRF cookie was sent with it; neither comes back.
    assert_eq!(fake.calls(), 3);
    assert!(fake.str(2, "body").contains(PASSWORD));
    assert!(fake.str(2, "headers.cookie").contains(CSRF_SECRET));
    assert_no_secrets(&err, &[PASSWORD, CSRF_SECRET, "user%40example.com"]);
    assert!(get(&err, "cause").is_undefined());

    // Dex < 2.36 answers 200 with the form and an error box.
    let fake = dex_gateway(
        r#"return html(PASSWORD_FORM(true), 200);"#,
        r#"return json({});"#,
    );
    let err = rejects(create_kfp_client(dex_options(&fake))).await;
    assert_kfp_error(&err, "KFP_INVALID_CREDENTIALS", Some(200));
    assert_no_secrets(&err, &[PASSWORD, CSRF_SECRET]);
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn a_lost_session_logs_in_again_once() {
    node();
    // The first API call finds the session gone (oauth2-proxy's 401 `{}`); the retry after a
    // second login succeeds.
    let fake = dex_gateway(
        r#"return redirect("/oauth2/callback?code=x&state=y", 303);"#,
        r#"if (log.filter((r) => r.url.includes("/apis/")).length === 1) return json({}, 401);
           return json({ experiments: [{ experiment_id: "e1" }] });"#,
    );
    let c = client(dex_options(&fake)).await;
    let result = resolves(c.list_experiments(JsValue::UNDEFINED)).await;
    assert_eq!(c.login_count(), 2);
    assert_eq!(fake.calls(), 4 + 1 + 4 + 1);
    assert_eq!(Array::from(&get(&result, "experiments")).length(), 1);
}

// ---------------------------------------------------------------------------------------------
// 6. request()

#[wasm_bindgen_test]
async fn request_builds_the_url_from_path_and_query() {
    node();
    let fake = Fake::new(r#"return json({ runs: [] });"#);
    let c = client(options(
        &format!(r#"{{"apiUrl": "{API}/", "headers": {{"X-Team": "ml"}}}}"#),
        Some(&fake),
    ))
    .await;

    let query = options(r#"{"query": {"page_size": 5, "filter": ["a"]}}"#, None);
    let result = resolves(c.request("GET".into(), "/apis/v2beta1/runs".into(), query)).await;
    assert!(is_plain_object(&result));
    assert_eq!(
        fake.str(0, "url"),
        "http://kf.test/pipeline/apis/v2beta1/runs?page_size=5&filter=a"
    );
    assert_eq!(fake.str(0, "method"), "GET");
    assert_eq!(fake.str(0, "headers.x-team"), "ml");
    assert!(fake.get(0, "body").is_undefined());

    // Repeated keys, encoding, skipped nulls, booleans; a JSON body with its content type.
    let query = options(
        r#"{"query": {"q": "a b&c=d/é", "filter": ["x", null, "y"], "flag": true, "none": null}, "body": {"display_name": "n"}}"#,
        None,
    );
    resolves(c.request("post".into(), "/apis/v2beta1/experiments".into(), query)).await;
    assert_eq!(
        fake.str(1, "url"),
        "http://kf.test/pipeline/apis/v2beta1/experiments?q=a%20b%26c%3Dd%2F%C3%A9&filter=x&filter=y&flag=true"
    );
    assert_eq!(fake.str(1, "method"), "POST");
    assert_eq!(fake.str(1, "headers.content-type"), "application/json");
    assert_eq!(fake.str(1, "body"), r#"{"display_name":"n"}"#);

    // A text answer comes back as a string.
    let fake = Fake::new(
        r#"return new Response("ok", { status: 200, headers: { "content-type": "text/plain" } });"#,
    );
    let c = client(options(&format!(r#"{{"apiUrl": "{API}"}}"#), Some(&fake))).await;
    let text = resolves(c.request(
        "GET".into(),
        "/apis/v1beta1/healthz".into(),
        JsValue::UNDEFINED,
    ))
    .await;
    assert_eq!(text.as_string().as_deref(), Some("ok"));
}

#[wasm_bindgen_test]
async fn request_refuses_paths_that_leave_api_url() {
    node();
    let fake = Fake::healthy();
    let c = client(options(&format!(r#"{{"apiUrl": "{API}"}}"#), Some(&fake))).await;
    for path in [
        "../x",
        "/apis/../../x",
        "/apis/%2e%2e/x",
        "//evil.test/x",
        "/apis?x=1",
        "http://evil.test/x",
    ] {
        let err = rejects(c.request("GET".into(), path.into(), JsValue::UNDEFINED)).await;
        assert_type_error(&err, "ERR_INVALID_ARG_VALUE", &["path"]);
    }
    let err = rejects(c.request("TRACE".into(), "/x".into(), JsValue::UNDEFINED)).await;
    assert_type_error(&err, "ERR_INVALID_ARG_VALUE", &["method"]);
    let err = rejects(c.request("GET".into(), 5.into(), JsValue::UNDEFINED)).await;
    assert_type_error(&err, "ERR_INVALID_ARG_TYPE", &["path"]);
    let err = rejects(c.request("GET".into(), "/x".into(), options(r#"{"body": {}}"#, None))).await;
    assert_type_error(&err, "ERR_INVALID_ARG_VALUE", &["body"]);
    let err = rejects(c.request(
        "GET".into(),
        "/x".into(),
        options(r#"{"query": {"a": {"b": 1}}}"#, None),
    ))
    .await;
    assert_type_error(&err, "ERR_INVALID_ARG_TYPE", &["query.a"]);
    assert_eq!(fake.calls(), 0, "nothing was sent");
    // Argument errors of the list methods too.
    let err = rejects(c.list_experiments(options(r#"{"pageSize": 2.5}"#, None))).await;
    assert_type_error(&err, "ERR_INVALID_ARG_VALUE", &["pageSize"]);
    let err = rejects(c.get_experiment(JsValue::UNDEFINED, JsValue::UNDEFINED)).await;
    assert_type_error(&err, "ERR_INVALID_ARG_TYPE", &["id"]);
    assert_eq!(fake.calls(), 0, "nothing was sent");
    assert_alive().await;
}

// ---------------------------------------------------------------------------------------------
// 7. Bearer tokens

#[wasm_bindgen_test]
async fn a_token_function_is_called_per_request() {
    node();
    let fake = Fake::healthy();
    let opts = options(
        &format!(r#"{{"apiUrl": "{API}", "auth": {{"type": "bearer"}}}}"#),
        Some(&fake),
    );
    let counter = Function::new_no_args(
        "let n = 0; return () => (++n % 2) ? `tok-${n}` : Promise.resolve(` tok-${n} `);",
    )
    .call0(&JsValue::UNDEFINED)
    .unwrap();
    set(&get(&opts, "auth"), "token", &counter);
    let c = client(opts).await;
    assert_eq!(fake.calls(), 0, "bearer auth logs in lazily");
    for i in 0..3 {
        resolves(c.healthz(JsValue::UNDEFINED)).await;
        assert_eq!(
            fake.str(i, "headers.authorization"),
            format!("Bearer tok-{}", i + 1)
        );
        assert!(fake.get(i, "headers.cookie").is_undefined());
    }
}

#[wasm_bindgen_test]
async fn a_static_token_goes_in_authorization() {
    node();
    let fake = Fake::healthy();
    let c = client(options(
        &format!(r#"{{"apiUrl": "{API}", "auth": {{"type": "bearer", "token": "static-tok"}}}}"#),
        Some(&fake),
    ))
    .await;
    resolves(c.healthz(JsValue::UNDEFINED)).await;
    assert_eq!(fake.str(0, "headers.authorization"), "Bearer static-tok");
}

#[wasm_bindgen_test]
async fn a_failing_token_function_is_token_unavailable_with_its_error_as_cause() {
    node();
    let fake = Fake::healthy();
    let cases = [
        ("throw new Error(\"vault sealed\")", true),
        ("return Promise.reject(new Error(\"vault sealed\"))", true),
        ("return \"\"", false),
        ("return 42", false),
    ];
    for (body, has_cause) in cases {
        let opts = options(
            &format!(r#"{{"apiUrl": "{API}", "auth": {{"type": "bearer"}}}}"#),
            Some(&fake),
        );
        set(&get(&opts, "auth"), "token", &Function::new_no_args(body));
        let c = client(opts).await;
        let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
        assert_kfp_error(&err, "KFP_TOKEN_UNAVAILABLE", None);
        assert!(
            string(&err, "message").contains("auth.token()"),
            "{}",
            string(&err, "message")
        );
        if has_cause {
            let cause = get(&err, "cause");
            assert!(cause.is_instance_of::<js_sys::Error>());
            assert_eq!(string(&cause, "message"), "vault sealed");
        } else {
            assert!(get(&err, "cause").is_undefined(), "{body}");
        }
    }
    assert_eq!(fake.calls(), 0, "no request goes out without a token");
    assert_alive().await;
}

#[wasm_bindgen_test]
async fn a_refused_token_is_unauthenticated_after_one_fresh_try() {
    node();
    let fake = Fake::new(
        r#"return json({ error: "Jwt is expired", code: 16, message: "Jwt is expired" }, 401);"#,
    );
    let opts = options(
        &format!(r#"{{"apiUrl": "{API}", "auth": {{"type": "bearer"}}}}"#),
        Some(&fake),
    );
    let tokens = Function::new_no_args("let n = 0; return () => `tok-${++n}`;")
        .call0(&JsValue::UNDEFINED)
        .unwrap();
    set(&get(&opts, "auth"), "token", &tokens);
    let c = client(opts).await;
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_eq!(fake.calls(), 2, "a new token is tried once");
    assert_eq!(
        fake.str(1, "headers.authorization"),
        "Bearer tok-2",
        "the fresh token is the one retried"
    );
    assert_kfp_error(&err, "KFP_UNAUTHENTICATED", Some(401));
    assert_eq!(get(&err, "grpcCode").as_f64(), Some(16.0));
    assert_no_secrets(&err, &["tok-1", "tok-2", "tok-3"]);
    assert_alive().await;
}

// ---------------------------------------------------------------------------------------------
// The Node host

#[wasm_bindgen_test]
async fn a_node_host_gets_the_tls_settings_and_reads_the_token_file() {
    let seen = Array::new();
    let host = Function::new_with_args(
        "seen",
        r#"return {
          platform: "node",
          env: (name) => (name === "KF_PIPELINES_SA_TOKEN_PATH" ? "/var/run/secrets/kf/token" : undefined),
          makeFetch: (tls, userFetch) => { seen.push(["makeFetch", tls]); return (url, init) => userFetch(url, init); },
          readToken: async (path) => { seen.push(["readToken", path]); return "sa-token\n"; },
        };"#,
    )
    .call1(&JsValue::UNDEFINED, &seen)
    .unwrap();
    install_host(host);

    let fake = Fake::healthy();
    let opts = options(
        r#"{"apiUrl": "https://kf.test/pipeline", "skipTlsVerify": true, "auth": {"type": "serviceAccountToken"}}"#,
        Some(&fake),
    );
    let created = JsFuture::from(create_kfp_client(opts)).await;
    let c = created.map(|v| KfpClient::try_from_js_value(v).expect("a KfpClient"));
    let health = match c {
        Ok(c) => JsFuture::from(c.healthz(JsValue::UNDEFINED)).await,
        Err(e) => Err(e),
    };
    // Back to the plain host before asserting, so that a failure here cannot leak into other
    // tests.
    node();
    let health = health.unwrap_or_else(|e| panic!("{}", js_string(&e)));

    assert_eq!(get(&health, "multi_user").as_bool(), Some(false));
    assert_eq!(fake.str(0, "headers.authorization"), "Bearer sa-token");
    assert!(
        fake.get(0, "credentials").is_undefined(),
        "Node does not send browser credentials"
    );
    let make_fetch = Array::from(&seen.get(0));
    assert_eq!(make_fetch.get(0).as_string().as_deref(), Some("makeFetch"));
    assert_eq!(
        get(&make_fetch.get(1), "skipTlsVerify").as_bool(),
        Some(true)
    );
    let read = Array::from(&seen.get(1));
    assert_eq!(read.get(0).as_string().as_deref(), Some("readToken"));
    assert_eq!(
        read.get(1).as_string().as_deref(),
        Some("/var/run/secrets/kf/token")
    );

    // And without a host (a browser page), the same options are unsupported.
    install_host(JsValue::UNDEFINED);
    let opts = options(
        r#"{"apiUrl": "https://kf.test", "skipTlsVerify": true}"#,
        None,
    );
    let refused = JsFuture::from(create_kfp_client(opts)).await;
    node();
    assert_kfp_error(
        &refused.expect_err("refused without a Node host"),
        "KFP_UNSUPPORTED",
        None,
    );
    assert_alive().await;
}
