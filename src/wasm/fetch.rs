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

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use url::Url;

use crate::core::error::Error;
use crate::core::http::{redact_url, Headers, HttpRequest, HttpResponse, RESPONSE_HEADERS};
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
export function send(fetch, url, method, headerText, body, redirect, credentials, signal) {
  const headers = {};
  if (headerText) {
    const parts = headerText.split("\0");
    for (let i = 0; i + 1 < parts.length; i += 2) headers[parts[i]] = parts[i + 1];
  }
  const init = { method, headers, redirect };
  if (body !== undefined) init.body = body;
  if (credentials) init.credentials = "include";
  if (signal !== undefined) init.signal = signal;
  return fetch(url, init);
}
export function head(response, names) {
  const h = response.headers;
  const out = [typeof response.status === "number" ? response.status : 0, typeof response.url === "string" ? response.url : ""];
  for (const name of names) out.push(h?.get?.(name) ?? undefined);
  let cookies = [];
  try { cookies = h?.getSetCookie?.() ?? []; } catch {}
  out.push(cookies);
  return out;
}
// One exchange in one call across the boundary: send, read the head, read the body against its
// cap. A successful JSON answer (the rule of HttpResponse::is_json) may be up to `maxBytes` and
// fails past it (null); any other body is cut at `otherCap`. Rejects with { before: error } when
// fetch itself failed (no answer: another try may help) and { after: error } when reading did.
export async function exchange(fetch, url, method, headerText, body, redirect, credentials, signal, names, maxBytes, otherCap) {
  let response;
  try {
    response = await send(fetch, url, method, headerText, body, redirect, credentials, signal);
  } catch (error) {
    throw { before: error };
  }
  if (response === null || typeof response !== "object") throw { junk: true };
  const out = head(response, names);
  if (out[0] === 0) return out;
  const media = String(out[2] ?? "").split(";")[0].trim().toLowerCase();
  const keep = out[0] >= 200 && out[0] < 300 && (media === "application/json" || media.endsWith("+json"));
  try {
    out.push(await readBody(response, keep ? maxBytes : otherCap, !keep), keep);
  } catch (error) {
    throw { after: error };
  }
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
    #[wasm_bindgen(js_name = exchange)]
    fn exchange_js(
        fetch: &Function,
        url: &str,
        method: &str,
        header_text: &str,
        body: JsValue,
        redirect: &str,
        credentials: bool,
        signal: JsValue,
        names: &Array,
        max_bytes: u32,
        other_cap: u32,
    ) -> Promise;
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
        // Redacted only when an error needs it: successful calls never pay for it.
        let url = || redact_url(&req.url);
        if signal.is_some_and(is_aborted) {
            return Err(SendError::After(Error::Aborted { url: url() }.into()));
        }
        // Header values never hold NUL (names are tokens; values are checked for line breaks
        // and NUL where they come from the user), so one NUL-separated string crosses to JS.
        let mut header_text = String::with_capacity(256);
        for (name, value) in req.headers.iter() {
            if value.contains('\0') {
                return Err(SendError::After(
                    Error::InvalidArgValue {
                        name: format!("headers.{name}"),
                        reason: "a header value must not contain NUL".into(),
                    }
                    .into(),
                ));
            }
            header_text.push_str(name);
            header_text.push('\0');
            header_text.push_str(value);
            header_text.push('\0');
        }
        let body = req.body.as_ref().map_or(JsValue::UNDEFINED, |b| {
            Uint8Array::from(b.as_slice()).into()
        });
        let signal_js =
            combine(signal, self.timeout_ms.and_then(timeout_signal)).unwrap_or(JsValue::UNDEFINED);
        let pending = exchange_js(
            &self.fetch,
            req.url.as_str(),
            req.method.as_str(),
            &header_text,
            body,
            if follow { "follow" } else { "manual" },
            self.platform.keeps_cookies_itself(),
            signal_js,
            &response_header_names(),
            self.max_bytes,
            OTHER_BODY_CAP,
        );
        let head: Array = match JsFuture::from(pending).await {
            Ok(head) => head.unchecked_into(),
            Err(thrown) => {
                let before = Reflect::get(&thrown, &"before".into()).unwrap_or(JsValue::UNDEFINED);
                if !before.is_undefined() {
                    let fail = self.classify(&url(), before, signal);
                    let retryable = matches!(&fail, Fail::Core(Error::Network { .. }, _));
                    return Err(SendError::BeforeAnswer(fail, retryable));
                }
                if Reflect::get(&thrown, &"junk".into())
                    .ok()
                    .and_then(|j| j.as_bool())
                    == Some(true)
                {
                    return Err(SendError::After(
                        Error::UnexpectedResponse {
                            status: 0,
                            url: url(),
                            what: "fetch returned something that is not a Response".into(),
                        }
                        .into(),
                    ));
                }
                let after = Reflect::get(&thrown, &"after".into()).unwrap_or(thrown);
                return Err(SendError::After(self.classify(&url(), after, signal)));
            }
        };
        let status = head.get(0).as_f64().unwrap_or(0.0) as u16;
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
            head.get(1).as_string().and_then(|u| Url::parse(&u).ok())
        } else {
            None
        };
        let mut headers = Headers::new();
        for (i, name) in RESPONSE_HEADERS.iter().enumerate() {
            if let Some(value) = head.get(2 + i as u32).as_string() {
                headers.append(name, value);
            }
        }
        let after_headers = 2 + RESPONSE_HEADERS.len() as u32;
        let set_cookies = Array::from(&head.get(after_headers))
            .iter()
            .filter_map(|l| l.as_string())
            .collect();
        let read = head.get(after_headers + 1);
        let keep_in_js = head.get(after_headers + 2).as_bool().unwrap_or(false);
        let mut received = HttpResponse {
            url: landed.unwrap_or_else(|| req.url.clone()),
            status,
            headers,
            set_cookies,
            body: Vec::new(),
        };
        if read.is_null() {
            let limit = if keep_in_js {
                self.max_bytes
            } else {
                OTHER_BODY_CAP
            };
            return Err(SendError::After(
                Error::ResponseTooLarge {
                    url: url(),
                    limit: u64::from(limit),
                }
                .into(),
            ));
        }
        let body: Uint8Array = read.dyn_into().map_err(|_| {
            SendError::After(
                Error::UnexpectedResponse {
                    status,
                    url: url(),
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

thread_local! {
    static HEADER_NAMES: Array = RESPONSE_HEADERS.iter().map(|n| JsValue::from_str(n)).collect();
}

/// The response headers the core reads, as a JS array made once.
fn response_header_names() -> Array {
    HEADER_NAMES.with(Array::clone)
}
