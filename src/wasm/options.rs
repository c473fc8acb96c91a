//! Reading the JS options object: JS types are checked here, values by
//! [`crate::core::options`], and what the platform can do by [`Platform`] (each option as it is
//! read, so that what a page cannot do fails with `KFP_UNSUPPORTED` before its value is looked
//! at).

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::cookies::{CookieJar, ExportedCookie};
use crate::core::error::Error;
use crate::core::options::{
    self as check, Auth, ClientOptions, AUTH_TYPES, DEFAULT_SA_TOKEN_PATH, SA_TOKEN_PATH_ENV,
};
use crate::core::platform::Platform;
use crate::core::secret::Secret;
use crate::wasm::host::Host;

/// Where the bearer token of each request comes from.
#[derive(Clone)]
pub enum TokenSource {
    None,
    Static(Secret),
    /// `auth.token` as a function: called per request, may return a promise.
    Function(Function),
    /// The service-account token file, read through the host (Node).
    File(String),
}

/// Everything `createKfpClient` needs, validated.
pub struct Parsed {
    pub options: ClientOptions,
    pub token: TokenSource,
    pub fetch: Option<Function>,
    /// Aborts the first login.
    pub signal: Option<JsValue>,
    /// The cookies of `options.session` (from `exportSession()`), when given.
    pub session: Option<CookieJar>,
}

/// `options.session`: `{ version: 1, apiUrl, authType, cookies: [{ name, value, domain, path,
/// expires?, secure, httpOnly, hostOnly }] }` as `exportSession()` made it.
fn parse_session(value: &JsValue, api: &crate::core::kfp::ApiBase) -> Result<CookieJar, Error> {
    let bag = Bag::new(value, "session")?;
    if bag.number("version")? != Some(1.0) {
        return Err(Error::InvalidArgValue {
            name: "session.version".into(),
            reason: "it must be 1 (pass the object exportSession() returned)".into(),
        });
    }
    if let Some(url) = bag.string("apiUrl")? {
        if check::check_api_url(&url)
            .map(|b| b.url().clone())
            .ok()
            .as_ref()
            != Some(api.url())
        {
            return Err(Error::InvalidArgValue {
                name: "session.apiUrl".into(),
                reason:
                    "it differs from apiUrl; a session belongs to the deployment it was made for"
                        .into(),
            });
        }
    }
    let list = bag.raw("cookies")?;
    if !is_array(&list) {
        return Err(type_error(
            "session.cookies",
            "an instance of Array",
            &list,
            false,
        ));
    }
    let list = js_sys::Array::from(&list);
    if list.length() > 3000 {
        return Err(Error::InvalidArgValue {
            name: "session.cookies".into(),
            reason: "it holds more than 3000 cookies".into(),
        });
    }
    let mut cookies = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let name = format!("session.cookies[{i}]");
        let c = Bag::new(&item, &name)?;
        let field = |key: &str| -> Result<String, Error> {
            c.string(key)?.ok_or_else(|| {
                type_error(
                    &format!("{name}.{key}"),
                    "of type string",
                    &JsValue::UNDEFINED,
                    false,
                )
            })
        };
        let expires = c
            .number("expires")?
            .filter(|n| n.is_finite())
            .map(|n| n as i64);
        cookies.push(ExportedCookie {
            name: field("name")?,
            value: Secret::new(c.string("value")?.unwrap_or_default()),
            domain: field("domain")?,
            path: c.string("path")?.unwrap_or_else(|| "/".into()),
            expires,
            secure: c.bool("secure")?.unwrap_or(false),
            http_only: c.bool("httpOnly")?.unwrap_or(false),
            host_only: c.bool("hostOnly")?.unwrap_or(true),
            pinned: false,
        });
    }
    let mut jar = CookieJar::new();
    jar.import(&cookies, crate::core::time::now_ms())
        .map_err(|e| match e {
            Error::InvalidArgValue { name, reason } => Error::InvalidArgValue {
                name: format!("session.{name}"),
                reason,
            },
            other => other,
        })?;
    Ok(jar)
}

/// Node's way of describing a received value in `ERR_INVALID_ARG_TYPE` messages, without
/// printing values of secret options.
fn describe(v: &JsValue, secret: bool) -> String {
    if v.is_undefined() {
        return "undefined".into();
    }
    if v.is_null() {
        return "null".into();
    }
    let kind = v.js_typeof().as_string().unwrap_or_default();
    if secret {
        return format!("type {kind}");
    }
    match kind.as_str() {
        "string" => {
            let s = v.as_string().unwrap_or_default();
            let short: String = s.chars().take(28).collect();
            format!(
                "type string ('{short}{}')",
                if s.chars().count() > 28 { "..." } else { "" }
            )
        }
        "number" | "boolean" => format!("type {kind} ({})", js_string(v)),
        "function" => "function".into(),
        _ if is_array(v) => "an instance of Array".into(),
        _ => "an instance of Object".into(),
    }
}

/// `String(v)`: JS's own text of a number or boolean (`1e+21`, `NaN`), with no float
/// formatting compiled into the module.
pub fn js_string(v: &JsValue) -> String {
    match v.as_bool() {
        Some(b) => if b { "true" } else { "false" }.into(),
        None => v
            .unchecked_ref::<js_sys::Number>()
            .to_string_with_radix(10)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default(),
    }
}

fn type_error(name: &str, expected: &str, v: &JsValue, secret: bool) -> Error {
    Error::InvalidArgType {
        name: name.into(),
        expected: expected.into(),
        actual: describe(v, secret),
    }
}

fn is_secret_key(name: &str) -> bool {
    matches!(name, "auth.password" | "auth.token" | "auth.cookies")
}

/// A view of a JS object with typed, optional getters.
pub struct Bag<'a> {
    obj: &'a JsValue,
    prefix: &'a str,
}

impl<'a> Bag<'a> {
    /// `undefined`/`null` read as an empty bag; anything but an object is a type error.
    pub fn new(obj: &'a JsValue, name: &'a str) -> Result<Bag<'a>, Error> {
        if !(obj.is_undefined() || obj.is_null()) && (!obj.is_object() || is_array(obj)) {
            return Err(type_error(name, "of type object", obj, false));
        }
        Ok(Bag { obj, prefix: name })
    }

    fn name(&self, key: &str) -> String {
        if self.prefix.is_empty() || self.prefix == "options" || self.prefix == "params" {
            key.to_owned()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// The field as it is. A getter or Proxy that throws is a `TypeError` naming the option.
    pub fn raw(&self, key: &str) -> Result<JsValue, Error> {
        if !self.obj.is_object() {
            return Ok(JsValue::UNDEFINED);
        }
        Reflect::get(self.obj, &key.into()).map_err(|_| Error::InvalidArgValue {
            name: self.name(key),
            reason: "reading it threw an exception".into(),
        })
    }

    fn absent(v: &JsValue) -> bool {
        v.is_undefined() || v.is_null()
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        let v = self.raw(key)?;
        if Self::absent(&v) {
            return Ok(None);
        }
        let name = self.name(key);
        v.as_string()
            .map(Some)
            .ok_or_else(|| type_error(&name, "of type string", &v, is_secret_key(&name)))
    }

    pub fn required_string(&self, key: &str) -> Result<String, Error> {
        let name = self.name(key);
        self.string(key)?
            .ok_or_else(|| type_error(&name, "of type string", &JsValue::UNDEFINED, false))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        let v = self.raw(key)?;
        if Self::absent(&v) {
            return Ok(None);
        }
        v.as_bool()
            .map(Some)
            .ok_or_else(|| type_error(&self.name(key), "of type boolean", &v, false))
    }

    pub fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        let v = self.raw(key)?;
        if Self::absent(&v) {
            return Ok(None);
        }
        v.as_f64()
            .map(Some)
            .ok_or_else(|| type_error(&self.name(key), "of type number", &v, false))
    }

    pub fn function(&self, key: &str) -> Result<Option<Function>, Error> {
        let v = self.raw(key)?;
        if Self::absent(&v) {
            return Ok(None);
        }
        v.clone()
            .dyn_into::<Function>()
            .map(Some)
            .map_err(|_| type_error(&self.name(key), "of type function", &v, false))
    }

    /// An integer in i32 range (page sizes).
    pub fn int(&self, key: &str) -> Result<Option<i32>, Error> {
        match self.number(key)? {
            None => Ok(None),
            Some(n)
                if n.is_finite()
                    && n.fract() == 0.0
                    && n >= f64::from(i32::MIN)
                    && n <= f64::from(i32::MAX) =>
            {
                Ok(Some(n as i32))
            }
            Some(_) => Err(Error::InvalidArgValue {
                name: self.name(key),
                reason: "it must be a whole number".into(),
            }),
        }
    }

    /// An `AbortSignal` (anything with a boolean `aborted`, so polyfills work too).
    pub fn signal(&self, key: &str) -> Result<Option<JsValue>, Error> {
        let v = self.raw(key)?;
        if Self::absent(&v) {
            return Ok(None);
        }
        let aborted = if v.is_object() {
            Reflect::get(&v, &"aborted".into()).ok()
        } else {
            None
        };
        if aborted.is_some_and(|a| a.as_bool().is_some()) {
            Ok(Some(v))
        } else {
            Err(type_error(
                &self.name(key),
                "an instance of AbortSignal",
                &v,
                false,
            ))
        }
    }

    /// Any JSON-like value, as serde_json.
    pub fn json(&self, key: &str) -> Result<Option<serde_json::Value>, Error> {
        let v = self.raw(key)?;
        if Self::absent(&v) {
            return Ok(None);
        }
        to_json(&v, &self.name(key)).map(Some)
    }

    /// A nested object.
    pub fn object(&self, key: &str) -> Result<Option<JsValue>, Error> {
        let v = self.raw(key)?;
        if Self::absent(&v) {
            return Ok(None);
        }
        if !v.is_object() || is_array(&v) || v.is_function() {
            return Err(type_error(&self.name(key), "of type object", &v, false));
        }
        Ok(Some(v))
    }
}

#[wasm_bindgen(
    inline_js = "export function safeEntries(o) { try { return Object.entries(o); } catch { return null; } }\nexport function safeIsArray(v) { try { return Array.isArray(v); } catch { return true; } }"
)]
extern "C" {
    /// `Array.isArray`, which throws on a revoked Proxy: that counts as "not a plain object".
    #[wasm_bindgen(js_name = safeIsArray)]
    pub fn is_array(v: &JsValue) -> bool;
    #[wasm_bindgen(js_name = safeEntries)]
    fn safe_entries(o: &JsValue) -> JsValue;
}

/// `Object.entries(obj)`; a Proxy or getter that throws is a `TypeError` naming the option.
///
/// # Errors
/// `InvalidArgValue` for `name`.
pub fn entries(obj: &JsValue, name: &str) -> Result<js_sys::Array, Error> {
    let list = safe_entries(obj);
    if list.is_null() {
        return Err(Error::InvalidArgValue {
            name: name.into(),
            reason: "listing its keys threw an exception".into(),
        });
    }
    Ok(js_sys::Array::from(&list))
}

/// A JS value as JSON (plain objects, arrays, strings, numbers, booleans, null), through
/// `JSON.stringify` and the one JSON parser the module has (`serde-wasm-bindgen`, for this one
/// conversion, cost 3.4 kB gzipped).
pub fn to_json(v: &JsValue, name: &str) -> Result<serde_json::Value, Error> {
    let text = crate::wasm::json::json_text(v);
    let value = text.and_then(|t| serde_json::from_slice(t.as_bytes()).ok());
    value.ok_or_else(|| Error::InvalidArgValue {
        name: name.into(),
        reason: "it must be plain JSON data (objects, arrays, strings, numbers, booleans, null)"
            .into(),
    })
}

/// Reads and checks `createKfpClient` options.
///
/// # Errors
/// `InvalidArgType` / `InvalidArgValue` naming the option; `Unsupported` when the option cannot
/// work on `platform`.
pub fn parse(options: &JsValue, host: Option<&Host>, platform: &Platform) -> Result<Parsed, Error> {
    if options.is_undefined() || options.is_null() {
        return Err(type_error("options", "of type object", options, false));
    }
    let bag = Bag::new(options, "options")?;
    let api = check::check_api_url(&bag.required_string("apiUrl")?)?;

    let auth_value = bag.object("auth")?.unwrap_or(JsValue::UNDEFINED);
    let auth_bag = Bag::new(&auth_value, "auth")?;
    let auth_type = auth_bag.string("type")?.unwrap_or_else(|| "none".into());
    platform.check_auth_type(&auth_type)?;
    let mut token = TokenSource::None;
    let auth = match auth_type.as_str() {
        "none" => Auth::None,
        "dex" => Auth::Dex {
            username: check::check_username(&auth_bag.required_string("username")?)?,
            password: Secret::new(auth_bag.required_string("password")?),
            connector: check::check_connector(
                &auth_bag
                    .string("connector")?
                    .unwrap_or_else(|| "local".into()),
            )?,
        },
        "serviceAccountToken" => {
            let path = match auth_bag.string("path")? {
                Some(p) if !p.trim().is_empty() => p,
                Some(_) => {
                    return Err(Error::InvalidArgValue {
                        name: "auth.path".into(),
                        reason: "it must not be empty".into(),
                    })
                }
                None => host
                    .and_then(|h| h.env(SA_TOKEN_PATH_ENV))
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| DEFAULT_SA_TOKEN_PATH.into()),
            };
            token = TokenSource::File(path.clone());
            Auth::ServiceAccountToken { path }
        }
        "bearer" => {
            let v = auth_bag.raw("token")?;
            token = if let Some(s) = v.as_string() {
                if s.trim().is_empty() {
                    return Err(Error::InvalidArgValue {
                        name: "auth.token".into(),
                        reason: "it must not be empty".into(),
                    });
                }
                TokenSource::Static(Secret::new(s))
            } else if let Some(f) = v.dyn_ref::<Function>() {
                TokenSource::Function(f.clone())
            } else {
                return Err(type_error(
                    "auth.token",
                    "of type string or function",
                    &v,
                    true,
                ));
            };
            Auth::Bearer
        }
        "cookies" => Auth::Cookies {
            cookies: check::check_cookie_string(&auth_bag.required_string("cookies")?)?,
        },
        "browser" => Auth::Browser,
        other => {
            return Err(Error::InvalidArgValue {
                name: "auth.type".into(),
                reason: format!(
                    "\"{}\" is not one of {}",
                    other.chars().take(40).collect::<String>(),
                    AUTH_TYPES.map(|t| format!("\"{t}\"")).join(", ")
                ),
            })
        }
    };

    let namespace = bag
        .string("namespace")?
        .map(|ns| check::check_namespace("namespace", &ns))
        .transpose()?;
    let skip_tls_verify = bag.bool("skipTlsVerify")?.unwrap_or(false);
    let ca_cert = bag.string("caCert")?;
    platform.check_tls(skip_tls_verify, ca_cert.is_some())?;
    let ca_cert = ca_cert.map(|pem| check::check_ca_cert(&pem)).transpose()?;
    let timeout_ms = bag
        .number("timeoutMs")?
        .map(check::check_timeout)
        .transpose()?;
    let api_version = bag
        .string("apiVersion")?
        .map(|v| check::check_api_version(&v))
        .transpose()?
        .flatten();
    let fetch = bag.function("fetch")?;
    let signal = bag.signal("signal")?;
    let retry = match bag.raw("retry")? {
        v if v.as_bool() == Some(false) => crate::core::client::RetryPolicy::OFF,
        v if v.is_undefined() || v.is_null() || v.as_bool() == Some(true) => {
            crate::core::client::RetryPolicy::default()
        }
        _ => {
            let retry = bag.object("retry")?.unwrap_or(JsValue::UNDEFINED);
            let r = Bag::new(&retry, "retry")?;
            check::check_retry(
                r.number("retries")?,
                r.number("minDelayMs")?,
                r.number("maxDelayMs")?,
            )?
        }
    };
    let max_response_bytes = bag
        .number("maxResponseBytes")?
        .map(check::check_max_bytes)
        .transpose()?;
    let session = match bag.raw("session")? {
        v if v.is_undefined() || v.is_null() => None,
        v => {
            platform.check_session()?;
            Some(parse_session(&v, &api)?)
        }
    };

    let mut headers = Vec::new();
    if let Some(h) = bag.object("headers")? {
        for entry in entries(&h, "headers")?.iter() {
            let pair = js_sys::Array::from(&entry);
            let name = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            let Some(value) = value.as_string() else {
                return Err(type_error(
                    &format!("headers.{name}"),
                    "of type string",
                    &value,
                    false,
                ));
            };
            headers.push(check::check_header(platform, &auth, &name, &value)?);
        }
    }

    Ok(Parsed {
        options: ClientOptions {
            api,
            auth,
            namespace,
            skip_tls_verify,
            ca_cert,
            timeout_ms,
            headers,
            api_version,
            retry,
            max_response_bytes,
        },
        token,
        fetch,
        signal,
        session,
    })
}
