//! The wasm binding in a browser page, as a dashboard uses it.
//!
//! Run with `wasm-pack test --headless --chrome --release -- --test browser` (Chromium and
//! chromedriver from the OS; `webdriver.json` holds Chrome's flags). No host is installed, as in
//! a real page, so the platform is a browser's. The `fetch` is a fake that answers as a browser
//! does: a followed request resolves to where the redirect chain ended (`response.url`,
//! `response.redirected`), a manual redirect to an opaque response (`type: "opaqueredirect"`,
//! status 0), a redirect the browser will not follow (to another origin) rejects with a
//! `TypeError`; it never sees or sets cookies.

#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect, JSON};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

use kfp_wasm::wasm::{create_kfp_client, kfp_error_class, KfpClient, KfpClientManager};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function isInstance(value, ctor) { return value instanceof ctor; }
export function jsString(value) { return String(value); }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = isInstance)]
    fn is_instance(value: &JsValue, ctor: &JsValue) -> bool;
    #[wasm_bindgen(js_name = jsString)]
    fn js_string(value: &JsValue) -> String;
}

const API: &str = "http://kf.test/pipeline";
const PASSWORD: &str = "s3cret-Pa55";
const STATE: &str = "sssssssssssssssssssssssss";

// ---------------------------------------------------------------------------------------------
// The fake fetch

/// Answers shaped as a browser's `fetch` gives them.
const PRELUDE: &str = r#"
const headers = (pairs) => new Headers(pairs);
const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: headers([["content-type", "application/json"]]) });
const html = (text, status = 200) =>
  new Response(text, { status, headers: headers([["content-type", "text/html; charset=utf-8"]]) });
// Where a followed chain ended: a browser's Response carries the final url.
const landed = (url, response) => {
  Object.defineProperty(response, "url", { value: url });
  Object.defineProperty(response, "redirected", { value: true });
  return response;
};
// What `redirect: "manual"` gives for any redirect in a browser.
const opaque = () => ({ type: "opaqueredirect", status: 0, ok: false, url: "", redirected: false,
                        headers: new Headers(), body: null, arrayBuffer: async () => new ArrayBuffer(0) });
const blocked = () => { throw new TypeError("Failed to fetch"); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LOGIN = "/dex/auth/local/login?back=&state=sssssssssssssssssssssssss";
const PASSWORD_FORM = (error) => `<!DOCTYPE html><html><head><title>dex</title></head><body>
  <form method="post" action="${LOGIN.replace(/&/g, "&amp;")}">
    <input type="text" id="login" name="login" value="" autofocus>
    <input type="password" id="password" name="password">
    ${error ? '<div id="login-error" class="dex-error-box">Invalid Email Address and password.</div>' : ""}
    <button type="submit" id="submit-login">Login</button>
  </form></body></html>`;
const APPROVAL = `<h2>Grant Access</h2><form method="post"><input type="hidden" name="req" value="rrr"/>
  <input type="hidden" name="approval" value="approve"><button type="submit">Grant Access</button></form>`;
const SIGN_IN = `<!DOCTYPE html><html><head><title>Sign In</title></head><body>
  <form method="GET" action="/oauth2/start"><input type="hidden" name="rd" value="/pipeline">
  <button type="submit">Sign in with Dex</button></form></body></html>`;
const KFP_UI = "<!doctype html><html><head><title>Kubeflow Pipelines</title></head></html>";
"#;

/// A fake `fetch` and the log of its calls: `{ url, method, headers, body, redirect,
/// credentials }`, the body decoded as text.
struct Fake {
    fetch: Function,
    log: Array,
}

impl Fake {
    /// `body` is the JS body of `async (url, init)`, with `req` (this call), `log` (all calls),
    /// `u` (the URL object), `path`, `origin`, and `follow` (whether the redirect mode is follow).
    fn new(body: &str) -> Fake {
        let log = Array::new();
        let source = format!(
            "{PRELUDE}
            return async function fetch(url, init) {{
              const req = {{
                url, method: init.method, headers: init.headers, redirect: init.redirect,
                credentials: init.credentials,
                body: init.body === undefined ? undefined : new TextDecoder().decode(init.body),
              }};
              log.push(req);
              const u = new URL(url);
              const path = u.pathname;
              const origin = u.origin;
              const follow = init.redirect === \"follow\";
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

    fn calls(&self) -> u32 {
        self.log.length()
    }

    fn get(&self, i: u32, path: &str) -> JsValue {
        get(&self.log.get(i), path)
    }

    fn str(&self, i: u32, path: &str) -> String {
        self.get(i, path)
            .as_string()
            .unwrap_or_else(|| panic!("call {i}: {path} is not a string"))
    }

    /// The URLs of the calls, in order.
    fn urls(&self) -> Vec<String> {
        (0..self.calls()).map(|i| self.str(i, "url")).collect()
    }
}

/// A Dex gateway as a page sees it (oauth2-proxy, Dex ≥ 2.29, one connector): a followed
/// `GET` of apiUrl ends on the password form; the POST ends back on apiUrl (`post` answers it).
/// API calls answer with `api`. Every answer waits `delay` ms.
fn dex_gateway(post: &str, api: &str, delay: u32) -> Fake {
    Fake::new(&format!(
        r#"
        await sleep({delay});
        if (path === "/pipeline" && req.method === "GET") return landed(origin + LOGIN, html(PASSWORD_FORM(false)));
        if (path === "/dex/auth/local/login" && req.method === "POST") {{ {post} }}
        if (path.startsWith("/pipeline/apis/")) {{ {api} }}
        return html("<title>404</title>", 404);
        "#
    ))
}

// ---------------------------------------------------------------------------------------------
// JS values

fn options(json: &str, fetch: Option<&Fake>) -> JsValue {
    let value = JSON::parse(json).expect("test options are JSON");
    if let Some(fake) = fetch {
        set(&value, "fetch", &fake.fetch);
    }
    value
}

fn dex_options(api: &str, fake: &Fake) -> JsValue {
    options(
        &format!(
            r#"{{"apiUrl": "{api}", "auth": {{"type": "dex", "username": "user@example.com", "password": "{PASSWORD}"}}}}"#
        ),
        Some(fake),
    )
}

fn browser_options(fake: &Fake) -> JsValue {
    options(
        &format!(r#"{{"apiUrl": "{API}", "auth": {{"type": "browser"}}}}"#),
        Some(fake),
    )
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).expect("set a property");
}

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

/// `location.<key>` of the test page.
fn location(key: &str) -> String {
    string(&js_sys::global(), &format!("location.{key}"))
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
    KfpClient::try_from_js_value(value).expect("createKfpClient resolves to a KfpClient")
}

/// A `KfpError` with `code`, and `status` as given (absent when `None`).
fn assert_kfp_error(err: &JsValue, code: &str, status: Option<u16>) {
    let message = get(err, "message").as_string().unwrap_or_default();
    assert!(
        is_instance(err, &kfp_error_class()),
        "not a KfpError: {}",
        js_string(err)
    );
    assert_eq!(
        get(err, "code").as_string().as_deref(),
        Some(code),
        "{message}"
    );
    assert_eq!(
        get(err, "status").as_f64(),
        status.map(f64::from),
        "status of {code}: {message}"
    );
}

fn message(err: &JsValue) -> String {
    string(err, "message")
}

// ---------------------------------------------------------------------------------------------
// 1. What a page cannot do

#[wasm_bindgen_test]
async fn what_a_page_cannot_do_is_unsupported_at_once() {
    let fake = Fake::new(r#"return json({});"#);
    let cases = [
        (r#"{"skipTlsVerify": true}"#, "skipTlsVerify"),
        (
            r#"{"caCert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}"#,
            "caCert",
        ),
        // Checked before the value: a broken PEM is still "not here".
        (r#"{"caCert": "not a pem"}"#, "caCert"),
        (
            r#"{"auth": {"type": "serviceAccountToken"}}"#,
            "serviceAccountToken",
        ),
        (
            r#"{"auth": {"type": "cookies", "cookies": "oauth2_proxy_kubeflow=abc"}}"#,
            "\"cookies\"",
        ),
        (
            r#"{"headers": {"Cookie": "oauth2_proxy_kubeflow=abc"}}"#,
            "Cookie header",
        ),
        (
            r#"{"auth": {"type": "dex", "username": "u", "password": "p"}, "headers": {"cookie": "a=b"}}"#,
            "Cookie header",
        ),
        (
            r#"{"session": {"version": 1, "cookies": []}}"#,
            "options.session",
        ),
    ];
    for (extra, feature) in cases {
        let mut json: serde_json::Value = serde_json::from_str(extra).unwrap();
        json["apiUrl"] = API.into();
        let json = json.to_string();
        let err = rejects(create_kfp_client(options(&json, Some(&fake)))).await;
        assert_kfp_error(&err, "KFP_UNSUPPORTED", None);
        assert!(message(&err).contains(feature), "{}", message(&err));
        let thrown = KfpClientManager::new(options(&json, Some(&fake)))
            .err()
            .expect("the manager refuses it");
        assert_kfp_error(&thrown, "KFP_UNSUPPORTED", None);
    }
    assert_eq!(fake.calls(), 0, "nothing was sent");
    // skipTlsVerify: false and plain headers ask for nothing impossible.
    let c = client(options(
        &format!(r#"{{"apiUrl": "{API}", "skipTlsVerify": false, "headers": {{"X-Team": "ml"}}}}"#),
        Some(&fake),
    ))
    .await;
    resolves(c.healthz(JsValue::UNDEFINED)).await;
    assert_eq!(fake.str(0, "headers.x-team"), "ml");
}

// ---------------------------------------------------------------------------------------------
// 2. Dex in a page

#[wasm_bindgen_test]
async fn a_dex_login_follows_redirects_and_succeeds_by_where_it_ended() {
    let fake = dex_gateway(
        r#"return landed(origin + "/pipeline/", html(KFP_UI));"#,
        r#"return json({ experiments: [{ experiment_id: "e1" }] });"#,
        0,
    );
    let c = client(dex_options(API, &fake)).await;
    assert_eq!(
        fake.calls(),
        2,
        "GET apiUrl (ends on the form), POST the form"
    );
    assert!(c.authenticated());
    assert_eq!(c.login_count(), 1);
    for i in 0..2 {
        assert_eq!(fake.str(i, "redirect"), "follow");
        assert_eq!(fake.str(i, "credentials"), "include");
        assert!(
            fake.get(i, "headers.cookie").is_undefined(),
            "a page sets no Cookie"
        );
        assert!(fake.str(i, "headers.accept").starts_with("text/html"));
    }
    assert_eq!(fake.str(0, "url"), API);
    assert_eq!(fake.str(1, "method"), "POST");
    assert_eq!(
        fake.str(1, "url"),
        format!("http://kf.test/dex/auth/local/login?back=&state={STATE}")
    );
    assert_eq!(
        fake.str(1, "body"),
        format!("login=user%40example.com&password={PASSWORD}")
    );

    // API calls never follow a redirect, and send the browser's cookies.
    let page = resolves(c.list_experiments(options(r#"{"namespace": "ns"}"#, None))).await;
    assert_eq!(fake.calls(), 3);
    assert_eq!(fake.str(2, "redirect"), "manual");
    assert_eq!(fake.str(2, "credentials"), "include");
    assert!(fake.get(2, "headers.cookie").is_undefined());
    assert_eq!(Array::from(&get(&page, "experiments")).length(), 1);
    assert!(
        c.get_session_cookies().is_none(),
        "a page cannot read the cookies"
    );
}

#[wasm_bindgen_test]
async fn sign_in_page_and_grant_access_in_a_page() {
    // Kubeflow 1.9.1's 403 sign-in page, then Kubeflow 1.9.0's Grant Access after the password.
    let fake = Fake::new(
        r#"
        if (path === "/pipeline") return html(SIGN_IN, 403);
        if (path === "/oauth2/start") return landed(origin + LOGIN, html(PASSWORD_FORM(false)));
        if (path === "/dex/auth/local/login") return landed(origin + "/dex/approval?req=rrr&hmac=hh", html(APPROVAL));
        if (path === "/dex/approval" && req.method === "POST") return landed(origin + "/pipeline/", html(KFP_UI));
        return html("<title>404</title>", 404);
        "#,
    );
    let c = client(dex_options(API, &fake)).await;
    assert!(c.authenticated());
    assert_eq!(
        fake.urls(),
        vec![
            API.to_owned(),
            "http://kf.test/oauth2/start?rd=%2Fpipeline".to_owned(),
            format!("http://kf.test/dex/auth/local/login?back=&state={STATE}"),
            "http://kf.test/dex/approval?req=rrr&hmac=hh".to_owned(),
        ]
    );
    assert_eq!(fake.str(3, "method"), "POST");
    assert_eq!(fake.str(3, "body"), "req=rrr&approval=approve");
}

#[wasm_bindgen_test]
async fn a_wrong_password_is_invalid_credentials_at_401_and_200() {
    for status in [401, 200] {
        let fake = dex_gateway(
            &format!("return html(PASSWORD_FORM(true) + '<!-- {PASSWORD} -->', {status});"),
            r#"return json({});"#,
            0,
        );
        let err = rejects(create_kfp_client(dex_options(API, &fake))).await;
        assert_kfp_error(&err, "KFP_INVALID_CREDENTIALS", Some(status));
        assert!(!message(&err).contains(PASSWORD), "{}", message(&err));
        assert_eq!(fake.calls(), 2);
    }
}

#[wasm_bindgen_test]
async fn an_opaque_redirect_on_an_api_call_logs_a_dex_page_in_again_once() {
    let fake = dex_gateway(
        r#"return landed(origin + "/pipeline/", html(KFP_UI));"#,
        r#"if (log.filter((r) => r.url.includes("/apis/")).length === 1) return opaque();
           return json({ runs: [] });"#,
        0,
    );
    let c = client(dex_options(API, &fake)).await;
    let page = resolves(c.list_runs(JsValue::UNDEFINED)).await;
    assert!(Array::is_array(&get(&page, "runs")));
    assert_eq!(c.login_count(), 2);
    // login (2), the API call (opaque), login again (2), the retry.
    assert_eq!(fake.calls(), 6);
    assert_eq!(fake.str(2, "redirect"), "manual");
    assert_eq!(fake.str(3, "redirect"), "follow");
    assert_eq!(fake.str(5, "redirect"), "manual");

    // A session that cannot be renewed: the retry is opaque too.
    let fake = dex_gateway(
        r#"return landed(origin + "/pipeline/", html(KFP_UI));"#,
        r#"return opaque();"#,
        0,
    );
    let c = client(dex_options(API, &fake)).await;
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_SESSION_EXPIRED", None);
    assert_eq!(c.login_count(), 2);
}

// ---------------------------------------------------------------------------------------------
// 3. The page's own session

#[wasm_bindgen_test]
async fn auth_browser_without_a_session_is_unauthenticated_with_a_login_url() {
    // The dashboard is served by the gateway (apiUrl on the page's origin); oauth2-proxy answers
    // API routes with 401 `{}`, so no probe is needed.
    let origin = location("origin");
    let fake = Fake::new(r#"return json({}, 401);"#);
    let c = client(options(
        &format!(r#"{{"apiUrl": "{origin}/pipeline", "auth": {{"type": "browser"}}}}"#),
        Some(&fake),
    ))
    .await;
    assert_eq!(fake.calls(), 0, "auth browser sends nothing until a call");
    assert_eq!(c.auth_type(), "browser");
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_UNAUTHENTICATED", Some(401));
    let back = format!("{}{}", location("pathname"), location("search"));
    let rd = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    assert_eq!(
        string(&err, "loginUrl"),
        format!("{origin}/oauth2/start?rd={}", rd(&back))
    );
    assert!(message(&err).contains("err.loginUrl"), "{}", message(&err));
    assert_eq!(fake.calls(), 1);
    assert_eq!(fake.str(0, "credentials"), "include");
    assert_eq!(fake.str(0, "redirect"), "manual");

    // A page on another origin than the gateway comes back by its whole URL.
    let c = client(browser_options(&fake)).await;
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_eq!(
        string(&err, "loginUrl"),
        format!(
            "http://kf.test/oauth2/start?rd={}",
            rd(&format!("{origin}{back}"))
        )
    );
}

#[wasm_bindgen_test]
async fn an_opaque_redirect_on_an_api_call_means_not_signed_in() {
    // Kubeflow 1.9.0: the API call is redirected (opaque); oauth2-proxy's /oauth2/auth answers
    // the probe with 401.
    let fake = Fake::new(
        r#"if (path === "/oauth2/auth") return new Response("Unauthorized", { status: 401 });
           return opaque();"#,
    );
    let c = client(browser_options(&fake)).await;
    let err = rejects(c.list_experiments(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_UNAUTHENTICATED", None);
    assert!(string(&err, "loginUrl").starts_with("http://kf.test/oauth2/start?rd="));
    assert_eq!(fake.calls(), 2);
    assert_eq!(fake.str(1, "url"), "http://kf.test/oauth2/auth");
    assert_eq!(fake.str(1, "redirect"), "manual");

    // Kubeflow 1.8's oidc-authservice redirects the probe too: sign in at apiUrl.
    let fake = Fake::new(r#"return opaque();"#);
    let c = client(browser_options(&fake)).await;
    let err = rejects(c.healthz(JsValue::UNDEFINED)).await;
    assert_kfp_error(&err, "KFP_UNAUTHENTICATED", None);
    assert_eq!(string(&err, "loginUrl"), API);

    // With a session, the same client just works.
    let fake = Fake::new(r#"return json({ multi_user: true });"#);
    let c = client(browser_options(&fake)).await;
    let health = resolves(c.healthz(JsValue::UNDEFINED)).await;
    assert_eq!(get(&health, "multi_user").as_bool(), Some(true));
}

// ---------------------------------------------------------------------------------------------
// 4. One login at a time

#[wasm_bindgen_test]
async fn no_call_goes_out_while_a_login_of_the_page_runs() {
    let fake = dex_gateway(
        r#"return landed(origin + "/pipeline/", html(KFP_UI));"#,
        r#"return json({});"#,
        30,
    );
    let a = client(dex_options(API, &fake)).await;
    let b = client(options(
        &format!(r#"{{"apiUrl": "{API}", "auth": {{"type": "browser"}}}}"#),
        Some(&fake),
    ))
    .await;
    let before = fake.calls();
    // A logs in again while B calls the API: B's call waits for the login.
    let login = a.login();
    let call = b.healthz(JsValue::UNDEFINED);
    resolves(login).await;
    resolves(call).await;
    let urls: Vec<String> = fake.urls().split_off(before as usize);
    assert_eq!(
        urls,
        vec![
            API.to_owned(),
            format!("http://kf.test/dex/auth/local/login?back=&state={STATE}"),
            "http://kf.test/pipeline/apis/v2beta1/healthz".to_owned(),
        ]
    );

    // Two clients logging in at once: one after the other, never interleaved.
    let before = fake.calls();
    let first = create_kfp_client(dex_options(API, &fake));
    let second = create_kfp_client(dex_options(API, &fake));
    resolves(first).await;
    resolves(second).await;
    let methods: Vec<String> = (before..fake.calls())
        .map(|i| fake.str(i, "method"))
        .collect();
    assert_eq!(methods, vec!["GET", "POST", "GET", "POST"]);
}

// ---------------------------------------------------------------------------------------------
// 5. Origins

#[wasm_bindgen_test]
async fn a_login_that_ends_on_another_origin_is_a_host_mismatch() {
    // deployKF's absolute redirect to its configured host.
    let fake = Fake::new(
        r#"return landed("https://deploykf.example.com" + LOGIN, html(PASSWORD_FORM(false)));"#,
    );
    let err = rejects(create_kfp_client(dex_options(
        "https://10.0.0.5:8443/pipeline",
        &fake,
    )))
    .await;
    assert_kfp_error(&err, "KFP_HOST_MISMATCH", None);
    assert!(
        message(&err).contains("Serve this page from https://deploykf.example.com"),
        "{}",
        message(&err)
    );
    assert_eq!(fake.calls(), 1, "no password goes to the other origin");
}

#[wasm_bindgen_test]
async fn a_redirect_the_browser_will_not_follow_is_a_host_mismatch() {
    // The page and apiUrl share an origin; the gateway redirects elsewhere, which a browser
    // reports as a TypeError (CORS). Sent again with manual redirects, it is an opaque redirect.
    let api = format!("{}/pipeline", location("origin"));
    let fake = Fake::new(r#"if (follow) blocked(); return opaque();"#);
    let err = rejects(create_kfp_client(dex_options(&api, &fake))).await;
    assert_kfp_error(&err, "KFP_HOST_MISMATCH", None);
    assert!(
        message(&err).contains("configured host name"),
        "{}",
        message(&err)
    );
    assert_eq!(string(&err, "cause.name"), "TypeError");
    assert_eq!(fake.calls(), 2);
    assert_eq!(fake.str(1, "redirect"), "manual");

    // apiUrl on another origin than the page: said without another request.
    let fake = Fake::new(r#"blocked();"#);
    let err = rejects(create_kfp_client(dex_options(API, &fake))).await;
    assert_kfp_error(&err, "KFP_HOST_MISMATCH", None);
    let m = message(&err);
    assert!(
        m.contains(&location("origin")) && m.contains("Serve this page from http://kf.test"),
        "{m}"
    );
    assert_eq!(fake.calls(), 1);

    // A server that does not answer at all is a network error.
    let fake = Fake::new(r#"blocked();"#);
    let err = rejects(create_kfp_client(dex_options(&api, &fake))).await;
    assert_kfp_error(&err, "KFP_NETWORK_ERROR", None);
}
