//! The platform hooks the package's JS entry installs (`installHost`): on Node, a fetch with
//! per-client TLS settings (node:https; undici only for a custom fetch), the service-account token
//! reader and the environment.
//! Browsers install none: without a Node host the platform is [`Platform::BROWSER`], and the
//! page's `location` says where it runs.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::browser::PageLocation;
use crate::core::error::Error;
use crate::core::platform::Platform;
use crate::core::secret::Secret;
use crate::wasm::error::{js_code, Fail};

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

#[derive(Clone)]
pub struct Host(JsValue);

/// Installs the platform hooks. Called once by the package entry point.
#[wasm_bindgen(js_name = installHost)]
pub fn install_host(host: JsValue) {
    HOST.with(|h| *h.borrow_mut() = host.is_object().then(|| Host(host)));
}

pub fn current() -> Option<Host> {
    HOST.with(|h| h.borrow().clone())
}

/// What the platform can do: Node's with the Node host installed, a browser page's otherwise.
pub fn platform(host: Option<&Host>) -> Platform {
    if host.is_some_and(Host::is_node) {
        Platform::NODE
    } else {
        Platform::BROWSER
    }
}

/// `location.origin` and `location.pathname + location.search` of the page (or worker), read
/// now: a single-page app changes them as it routes.
pub fn page_location() -> Option<PageLocation> {
    let location = Reflect::get(&js_sys::global(), &"location".into()).ok()?;
    if !location.is_object() {
        return None;
    }
    let field = |key: &str| {
        Reflect::get(&location, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let origin = field("origin")?;
    let path = field("pathname").unwrap_or_else(|| "/".into());
    Some(PageLocation {
        origin,
        path: format!("{path}{}", field("search").unwrap_or_default()),
    })
}

impl Host {
    fn get(&self, key: &str) -> JsValue {
        Reflect::get(&self.0, &key.into()).unwrap_or(JsValue::UNDEFINED)
    }

    fn function(&self, key: &str) -> Option<Function> {
        self.get(key).dyn_into::<Function>().ok()
    }

    pub fn is_node(&self) -> bool {
        self.get("platform").as_string().as_deref() == Some("node")
    }

    pub fn env(&self, name: &str) -> Option<String> {
        self.function("env")?
            .call1(&self.0, &name.into())
            .ok()?
            .as_string()
    }

    /// The fetch to use: the user's, or the platform's, wrapped with per-client TLS settings.
    ///
    /// # Errors
    /// `MissingDependency` when the TLS options need the `undici` package and it is missing.
    pub fn make_fetch(
        &self,
        user_fetch: Option<&Function>,
        skip_tls_verify: bool,
        ca_cert: Option<&str>,
    ) -> Result<Function, Fail> {
        let Some(make) = self.function("makeFetch") else {
            return global_fetch(user_fetch);
        };
        let tls = Object::new();
        let _ = Reflect::set(&tls, &"skipTlsVerify".into(), &skip_tls_verify.into());
        if let Some(pem) = ca_cert {
            let _ = Reflect::set(&tls, &"caCert".into(), &pem.into());
        }
        let user = user_fetch.map_or(JsValue::UNDEFINED, |f| f.clone().into());
        match make.call2(&self.0, &tls, &user) {
            Ok(f) => f.dyn_into::<Function>().map_err(|_| {
                Fail::from(Error::Unsupported {
                    feature: "fetch".into(),
                    reason: "the platform gave no fetch function".into(),
                })
            }),
            Err(e)
                if matches!(
                    js_code(&e).as_deref(),
                    Some("MODULE_NOT_FOUND" | "ERR_MODULE_NOT_FOUND")
                ) =>
            {
                Err(Fail::with_cause(
                    Error::MissingDependency {
                        package: "undici".into(),
                        needed_for: "skipTlsVerify or caCert together with a custom fetch (an undici dispatcher is passed to it; without options.fetch nothing extra is needed)"
                            .into(),
                    },
                    e,
                ))
            }
            Err(e) => Err(Fail::with_cause(
                Error::Unsupported {
                    feature: "skipTlsVerify/caCert".into(),
                    reason: "the TLS settings could not be applied".into(),
                },
                e,
            )),
        }
    }

    /// Reads the service-account token file (re-read when it changes: the kubelet rotates it).
    ///
    /// # Errors
    /// `TokenUnavailable` naming the path, with the file error as `cause`.
    pub async fn read_token(&self, path: &str) -> Result<Secret, Fail> {
        let unavailable = |e: JsValue| {
            let why = js_code(&e).map(|c| format!(" ({c})")).unwrap_or_default();
            Fail::with_cause(
                Error::TokenUnavailable { reason: format!("the service-account token file {path} could not be read{why}; set auth.path or KF_PIPELINES_SA_TOKEN_PATH, or mount the projected token") },
                e,
            )
        };
        let read = self.function("readToken").ok_or_else(|| {
            Fail::from(Error::Unsupported {
                feature: "auth type \"serviceAccountToken\"".into(),
                reason: "it needs Node.js".into(),
            })
        })?;
        let pending = read.call1(&self.0, &path.into()).map_err(unavailable)?;
        let value = JsFuture::from(Promise::resolve(&pending))
            .await
            .map_err(unavailable)?;
        match value.as_string().map(|s| s.trim().to_owned()) {
            Some(token) if !token.is_empty() => Ok(Secret::new(token)),
            _ => Err(Error::TokenUnavailable {
                reason: format!("the service-account token file {path} is empty"),
            }
            .into()),
        }
    }
}

/// The user's fetch, or `globalThis.fetch`.
pub fn global_fetch(user_fetch: Option<&Function>) -> Result<Function, Fail> {
    if let Some(f) = user_fetch {
        return Ok(f.clone());
    }
    Reflect::get(&js_sys::global(), &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| {
            Error::Unsupported {
                feature: "HTTP".into(),
                reason: "this platform has no global fetch; pass options.fetch".into(),
            }
            .into()
        })
}
