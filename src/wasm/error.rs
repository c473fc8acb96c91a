//! The one place where errors become JS values.
//!
//! Core errors become a `KfpError` (a subclass of `Error`, defined below in JS) with `code`,
//! `status` (when HTTP gave one), `grpcCode` (when KFP gave one) and `cause`; argument errors
//! become a `TypeError` with Node's `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` codes.
//! A page's errors ([`PageError`]) add `loginUrl` when signing in is the way out.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::core::browser::PageError;
use crate::core::error::Error;

#[wasm_bindgen(inline_js = r#"
export class KfpError extends Error {
  constructor(message, code, status, grpcCode, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "KfpError";
    this.code = code;
    if (status !== undefined) this.status = status;
    if (grpcCode !== undefined) this.grpcCode = grpcCode;
  }
}
export function kfpErrorClass() { return KfpError; }
export function makeKfpError(message, code, status, grpcCode, cause) {
  return new KfpError(message, code, status, grpcCode, cause);
}
export function makeTypeError(message, code) {
  const e = new TypeError(message);
  e.code = code;
  return e;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = kfpErrorClass)]
    fn kfp_error_class_js() -> JsValue;
    #[wasm_bindgen(js_name = makeKfpError)]
    fn make_kfp_error(
        message: &str,
        code: &str,
        status: JsValue,
        grpc_code: JsValue,
        cause: JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = makeTypeError)]
    fn make_type_error(message: &str, code: &str) -> JsValue;
}

/// The `KfpError` class, so that the package can export it for `instanceof`.
#[wasm_bindgen(js_name = kfpErrorClass)]
pub fn kfp_error_class() -> JsValue {
    kfp_error_class_js()
}

/// A failure on its way to JS: a core error with an optional JS cause, a page's error (with
/// its own message and `loginUrl`), or a value that is already a JS error (a rejection shared
/// by several calls, e.g. one login).
#[derive(Debug)]
pub enum Fail {
    Core(Error, Option<JsValue>),
    Page(PageError, Option<JsValue>),
    Js(JsValue),
}

impl From<PageError> for Fail {
    fn from(e: PageError) -> Self {
        Fail::Page(e, None)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Core(e, None)
    }
}

impl Fail {
    pub fn with_cause(e: Error, cause: JsValue) -> Self {
        Fail::Core(e, Some(cause))
    }

    /// The JS value to throw.
    pub fn into_js(self) -> JsValue {
        match self {
            Fail::Js(v) => v,
            Fail::Core(e, cause) => to_js(&e, &e.to_string(), e.status(), cause),
            Fail::Page(e, cause) => {
                let err = to_js(&e.error, &e.to_string(), e.status(), cause);
                if let Some(url) = e.login_url() {
                    let _ = Reflect::set(&err, &"loginUrl".into(), &url.as_str().into());
                }
                err
            }
        }
    }
}

fn to_js(e: &Error, message: &str, status: Option<u16>, cause: Option<JsValue>) -> JsValue {
    let code = e.code();
    if code.is_type_error() {
        return make_type_error(message, code.as_str());
    }
    let status = status.map_or(JsValue::UNDEFINED, JsValue::from);
    let grpc = e
        .grpc_code()
        .map_or(JsValue::UNDEFINED, |c| JsValue::from(c as f64));
    let err = make_kfp_error(
        message,
        code.as_str(),
        status,
        grpc,
        cause.unwrap_or(JsValue::UNDEFINED),
    );
    if let Error::UnknownConnector { offered, .. } = e {
        let list: js_sys::Array = offered.iter().map(|s| JsValue::from_str(s)).collect();
        let _ = Reflect::set(&err, &"offeredConnectors".into(), &list);
    }
    err
}

/// A clean copy of a JS error for `cause`: its name, code and scrubbed message, never the
/// original (whose own `cause` may hold the raw response, cookies or a token).
pub fn clean_cause(err: &JsValue, scrub: &dyn Fn(&str) -> String) -> JsValue {
    let message = js_field(err, "message")
        .as_string()
        .or_else(|| err.as_string())
        .unwrap_or_default();
    let copy = js_sys::Error::new(&scrub(&message));
    if let Some(name) = js_field(err, "name").as_string() {
        copy.set_name(&name);
    }
    let code = js_code(err).or_else(|| js_code(&js_field(err, "cause")));
    if let Some(code) = code {
        let _ = Reflect::set(&copy, &"code".into(), &JsValue::from_str(&scrub(&code)));
    }
    copy.into()
}

/// Reads `error.code` of a JS error, if it is a string.
pub fn js_code(err: &JsValue) -> Option<String> {
    if !err.is_object() {
        return None;
    }
    Reflect::get(err, &"code".into())
        .ok()
        .and_then(|v| v.as_string())
}

/// `error.name`, `error.message` and `error.cause` of a JS error, leniently.
pub fn js_field(err: &JsValue, field: &str) -> JsValue {
    if !err.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(err, &field.into()).unwrap_or(JsValue::UNDEFINED)
}
