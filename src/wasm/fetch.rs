//! The transport: one [`HttpRequest`] through JS `fetch`, one [`HttpResponse`] back.
//!
//! API calls never follow redirects (`redirect: "manual"`), and neither do Node logins: the core
//! decides every hop, and the cookie jar sees every `Set-Cookie` (read with
//! `Headers.getSetCookie()`, which web-sys does not bind). In a browser a manual redirect is an
//! opaque answer (`type: "opaqueredirect"`, status 0), handed to the core as status 0; a page's
//! login is sent with `redirect: "follow"` ([`Transport::follow`]), and its answer's `url` is
//! where the chain ended (`response.url`). Browsers send their own cookies
//! (`credentials: "include"`).
//!
//! Bodies are read as a stream against a byte cap: a successful JSON answer stays a JS
//! `Uint8Array` (parsed once by `JSON.parse`, never copied into wasm memory) and fails with
//! `KFP_RESPONSE_TOO_LARGE` past `maxResponseBytes`; any other body (an error, a login page) is
//! copied into the core, cut at [`OTHER_BODY_CAP`]. Fetch failures are classified here into
//! timeouts, aborts, TLS and network errors.

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use url::Url;

use crate::core::error::Error;
use crate::core::http::{redact_url, Headers, HttpRequest, HttpResponse};
use crate::core::platform::Platform;
use crate::wasm::error::{js_code, js_field, Fail};

/// The most bytes of a body that is not a successful JSON answer (an error, an HTML page) read;
/// the rest is dropped. Login pages are parsed up to 256 KiB.
pub const OTHER_BODY_CAP: u32 = 1024 * 1024;
/// The default `maxResponseBytes`.
pub const DEFAULT_MAX_RESPONSE_BYTES: u32 = 64 * 1024 * 1024;

#[wasm_bindgen(inline_js = r#"
export async function readBody(response, cap, cut) {
  const declared = Number(response.headers?.get?.("content-length") ?? NaN);
  const body = response.body;
  if (declared > cap && !cut) {
    try { await body?.cancel(); } catch {}
    return null;
  }
  // A declared length within the cap is enforced by fetch itself: read it in one go.
  if (!body || typeof body.getReader !== "function" || (Number.isFinite(declared) && declared <= cap)) {
    const all = new Uint8Array(await response.arrayBuffer());
    return all.length > cap ? (cut ? all.subarray(0, cap) : null) : all;
  }
  const reader = body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.length > cap) {
      if (cut) chunks.push(value.subarray(0, cap - total));
      total = cap;
      try { await reader.cancel(); } catch {}
      if (!cut) return null;
      break;
    }
    chunks.push(value);
    total += value.length;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("aborted", "AbortError"));
    const onAbort = () => { clearTimeout(timer); reject(new DOMException("aborted", "AbortError")); };
    const timer = setTimeout(() => { signal?.removeEventListener?.("abort", onAbort); resolve(); }, ms);
    signal?.addEventListener?.("abort", onAbort, { once: true });
  });
}
export function raceSignal(promise, signal) {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException("aborted", "AbortError"));
    const onAbort = () => reject(new DOMException("aborted", "AbortError"));
    signal.addEventListener?.("abort", onAbort, { once: true });
    promise.then((v) => { signal.removeEventListener?.("abort", onAbort); resolve(v); },
                 (e) => { signal.removeEventListener?.("abort", onAbort); reject(e); });
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = readBody)]
    fn read_body_js(response: &JsValue, cap: u32, cut: bool) -> Promise;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_js(ms: u32, signal: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = raceSignal)]
    fn race_signal_js(promise: &Promise, signal: &JsValue) -> Promise;
}

/// Waits `ms`, or fails with `KFP_ABORTED` when `signal` aborts first.
pub async fn sleep(ms: u32, signal: Option<&JsValue>, url: &str) -> Result<(), Fail> {
    let signal = signal.cloned().unwrap_or(JsValue::UNDEFINED);
    JsFuture::from(sleep_js(ms, &signal))
        .await
        .map(|_| ())
        .map_err(|_| {
            Error::Aborted {
                url: url.to_owned(),
            }
            .into()
        })
}

/// `promise`, or `KFP_ABORTED` when `signal` aborts first.
pub async fn until_aborted(
    promise: &Promise,
    signal: Option<&JsValue>,
    url: &str,
) -> Result<JsValue, Fail> {
    let Some(signal) = signal else {
        return JsFuture::from(promise.clone()).await.map_err(Fail::Js);
    };
    let aborted = || is_aborted(signal);
    JsFuture::from(race_signal_js(promise, signal))
        .await
        .map_err(|e| {
            if aborted() {
                Error::Aborted {
                    url: url.to_owned(),
                }
                .into()
            } else {
                Fail::Js(e)
            }
        })
}

/// How requests leave: the fetch function and the per-call limits.
#[derive(Clone)]
pub struct Transport {
    pub fetch: Function,
    pub timeout_ms: Option<u32>,
    /// Where it runs: browsers keep the cookies (`credentials: "include"`).
    pub platform: Platform,
    /// `maxResponseBytes`.
    pub max_bytes: u32,
}

/// A response: the core's view (with the body copied only when the core needs it) and the
/// body bytes as JS saw them.
pub struct Received {
    pub response: HttpResponse,
    pub body: Uint8Array,
}

/// Why a send failed: before any answer (`fetch` rejected: may be retried) or after.
pub enum SendError {
    BeforeAnswer(Fail, bool),
    After(Fail),
}

impl From<SendError> for Fail {
    fn from(e: SendError) -> Fail {
        match e {
            SendError::BeforeAnswer(f, _) | SendError::After(f) => f,
        }
    }
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Reflect::set on a plain object we created cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// `AbortSignal.timeout(ms)`, when the platform has it (Node ≥ 17.3, current browsers).
fn timeout_signal(ms: u32) -> Option<JsValue> {
    let ctor = Reflect::get(&js_sys::global(), &"AbortSignal".into()).ok()?;
    let timeout = Reflect::get(&ctor, &"timeout".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    timeout.call1(&ctor, &JsValue::from(ms)).ok()
}

impl Transport {
    /// Sends `req` without following a redirect, and reads the answer.
    ///
    /// # Errors
    /// `SendError::BeforeAnswer` when `fetch` rejected (with whether another try may help),
    /// `SendError::After` when reading the answer failed or it was too large.
    pub async fn send(
        &self,
        req: &HttpRequest,
        signal: Option<&JsValue>,
    ) -> Result<Received, SendError> {
        self.exchange(req, signal, false).await
    }

    /// Sends `req` letting `fetch` follow redirects (a page's login): the answer's `url` is
    /// where the chain ended.
    ///
    /// # Errors
    /// As [`Transport::send`]; a redirect the browser refuses to follow (to another origin) is a
    /// `fetch` rejection.
    pub async fn follow(
        &self,
        req: &HttpRequest,
        signal: Option<&JsValue>,
    ) -> Result<Received, SendError> {
        self.exchange(req, signal, true).await
    }

    async fn exchange(
        &self,
        req: &HttpRequest,
        signal: Option<&JsValue>,
        follow: bool,
    ) -> Result<Received, SendError> {
        let url = redact_url(&req.url);
        if signal.is_some_and(is_aborted) {
            return Err(SendError::After(Error::Aborted { url }.into()));
        }
        let init = Object::new();
        set(&init, "method", &req.method.as_str().into());
        let headers = Object::new();
        for (name, value) in req.headers.iter() {
            set(&headers, name, &value.into());
        }
        set(&init, "headers", &headers);
        if let Some(body) = &req.body {
            set(&init, "body", &Uint8Array::from(body.as_slice()));
        }
        set(
            &init,
            "redirect",
            &if follow { "follow" } else { "manual" }.into(),
        );
        if self.platform.keeps_cookies_itself() {
            set(&init, "credentials", &"include".into());
        }
        if let Some(signal) = combine(signal, self.timeout_ms.and_then(timeout_signal)) {
            set(&init, "signal", &signal);
        }
        let before = |e: JsValue| {
            let fail = self.classify(&url, e, signal);
            let retryable = matches!(&fail, Fail::Core(Error::Network { .. }, _));
            SendError::BeforeAnswer(fail, retryable)
        };
        let pending = self
            .fetch
            .call2(
                &JsValue::UNDEFINED,
                &JsValue::from_str(req.url.as_str()),
                &init,
            )
            .map_err(before)?;
        let response = JsFuture::from(Promise::resolve(&pending))
            .await
            .map_err(before)?;
        if !response.is_object() {
            return Err(SendError::After(
                Error::UnexpectedResponse {
                    status: 0,
                    url,
                    what: "fetch returned something that is not a Response".into(),
                }
                .into(),
            ));
        }
        let status = Reflect::get(&response, &"status".into())
            .ok()
            .and_then(|s| s.as_f64())
            .unwrap_or(0.0) as u16;
        if status == 0 {
            // A browser hides a manual redirect behind an opaque answer (`opaqueredirect`):
            // no headers, no body. The policy reads status 0 as "sent to the login".
            return Ok(Received {
                response: HttpResponse {
                    url: req.url.clone(),
                    status: 0,
                    headers: Headers::new(),
                    set_cookies: Vec::new(),
                    body: Vec::new(),
                },
                body: Uint8Array::new_with_length(0),
            });
        }
        // Where a followed chain ended; a manual answer is the requested URL's.
        let landed = if follow {
            Reflect::get(&response, &"url".into())
                .ok()
                .and_then(|u| u.as_string())
                .and_then(|u| Url::parse(&u).ok())
        } else {
            None
        };
        let js_headers = Reflect::get(&response, &"headers".into()).unwrap_or(JsValue::UNDEFINED);
        let (headers, set_cookies) = read_headers(&js_headers);
        let mut received = HttpResponse {
            url: landed.unwrap_or_else(|| req.url.clone()),
            status,
            headers,
            set_cookies,
            body: Vec::new(),
        };
        let keep_in_js = (200..300).contains(&status) && received.is_json();
        let cap = if keep_in_js {
            self.max_bytes
        } else {
            OTHER_BODY_CAP
        };
        let read = JsFuture::from(read_body_js(&response, cap, !keep_in_js))
            .await
            .map_err(|e| SendError::After(self.classify(&url, e, signal)))?;
        if read.is_null() {
            return Err(SendError::After(
                Error::ResponseTooLarge {
                    url,
                    limit: u64::from(cap),
                }
                .into(),
            ));
        }
        let body: Uint8Array = read.dyn_into().map_err(|_| {
            SendError::After(
                Error::UnexpectedResponse {
                    status,
                    url: url.clone(),
                    what: "the body could not be read".into(),
                }
                .into(),
            )
        })?;
        if !keep_in_js {
            received.body = body.to_vec();
        }
        Ok(Received {
            response: received,
            body,
        })
    }

    fn classify(&self, url: &str, err: JsValue, signal: Option<&JsValue>) -> Fail {
        let name = js_field(&err, "name").as_string().unwrap_or_default();
        let cause = js_field(&err, "cause");
        let cause_code = js_code(&cause)
            .or_else(|| js_code(&err))
            .unwrap_or_default();
        // A fetch may reject with anything, not only an Error.
        let message = js_field(&err, "message")
            .as_string()
            .or_else(|| err.as_string())
            .unwrap_or_else(|| "fetch rejected".into());
        let url = url.to_owned();
        let core = if signal.is_some_and(is_aborted) {
            Error::Aborted { url }
        } else if name == "TimeoutError" {
            Error::Timeout {
                url,
                ms: self.timeout_ms.unwrap_or(0),
            }
        } else if name == "AbortError" {
            Error::Aborted { url }
        } else if is_tls_code(&cause_code) {
            Error::Tls {
                url,
                message: cause_code,
            }
        } else if cause_code == "UND_ERR_HEADERS_OVERFLOW" {
            Error::UnexpectedResponse { status: 0, url, what: "the server sent more response headers than Node accepts (often a flood of Set-Cookie headers)".into() }
        } else if cause_code == "MODULE_NOT_FOUND" || cause_code == "ERR_MODULE_NOT_FOUND" {
            Error::MissingDependency {
                package: "undici".into(),
                needed_for: "skipTlsVerify and caCert".into(),
            }
        } else {
            let detail = if cause_code.is_empty() {
                message
            } else {
                format!("{message} ({cause_code})")
            };
            Error::Network {
                url,
                message: detail.chars().take(200).collect(),
            }
        };
        Fail::with_cause(core, err)
    }
}

/// `signal.aborted`.
pub fn is_aborted(signal: &JsValue) -> bool {
    Reflect::get(signal, &"aborted".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// The caller's signal and the timeout as one: `AbortSignal.any` where the platform has it
/// (Node ≥ 20.3), else the caller's signal alone.
fn combine(user: Option<&JsValue>, timeout: Option<JsValue>) -> Option<JsValue> {
    match (user, timeout) {
        (None, t) => t,
        (Some(u), None) => Some(u.clone()),
        (Some(u), Some(t)) => {
            let any = Reflect::get(&js_sys::global(), &"AbortSignal".into())
                .ok()
                .and_then(|ctor| {
                    Reflect::get(&ctor, &"any".into())
                        .ok()
                        .and_then(|f| f.dyn_into::<Function>().ok())
                        .map(|f| (ctor, f))
                });
            let both: Array = [u.clone(), t].into_iter().collect();
            any.and_then(|(ctor, f)| f.call1(&ctor, &both).ok())
                .or_else(|| Some(u.clone()))
        }
    }
}

/// Node's and OpenSSL's certificate failure codes.
fn is_tls_code(code: &str) -> bool {
    code.contains("CERT")
        || code.contains("SELF_SIGNED")
        || code.starts_with("ERR_TLS")
        || code.starts_with("ERR_SSL")
        || code.contains("UNABLE_TO_VERIFY")
        || code == "EPROTO"
}

fn read_headers(js_headers: &JsValue) -> (Headers, Vec<String>) {
    let mut headers = Headers::new();
    let mut set_cookies = Vec::new();
    if !js_headers.is_object() {
        return (headers, set_cookies);
    }
    if let Ok(Some(iter)) = js_sys::try_iter(js_headers) {
        for entry in iter.flatten() {
            let pair = Array::from(&entry);
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                if !name.eq_ignore_ascii_case("set-cookie") {
                    headers.append(&name, value);
                }
            }
        }
    }
    // `getSetCookie()` keeps each Set-Cookie line apart (Node ≥ 19.7, undici ≥ 5.19).
    let get_set_cookie = Reflect::get(js_headers, &"getSetCookie".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(f) = get_set_cookie {
        if let Ok(lines) = f.call0(js_headers) {
            set_cookies = Array::from(&lines)
                .iter()
                .filter_map(|l| l.as_string())
                .collect();
        }
    }
    (headers, set_cookies)
}
