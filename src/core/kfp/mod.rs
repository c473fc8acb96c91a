//! The KFP REST API as pure values: request builders and response decoders.
//!
//! Every endpoint is a builder that returns an [`HttpRequest`](crate::core::http::HttpRequest)
//! and a decoder that takes the [`HttpResponse`](crate::core::http::HttpResponse); nothing here
//! performs I/O. The binding's async methods are one line each: build, send, decode.
//!
//! - [`ApiBase`] and [`ApiVersion`]: where the API lives (`https://host/pipeline`) and which
//!   surface (`/apis/v2beta1` or, on v1-line backends, `/apis/v1beta1`) it speaks.
//! - [`endpoint`]: every endpoint as data (paths per version, list key, scope, body).
//! - [`request`]: [`ApiCall`], which builds any endpoint's request for either version, [`raw`]
//!   and [`ListParams`].
//! - [`bodies`]: request bodies (experiments, runs, recurring runs) and run states.
//! - [`package`]: pipeline packages (multi-document YAML) for runs and uploads.
//! - [`yaml`]: the YAML reader of packages.
//! - [`v1`]: v1beta1 ⇄ v2beta1 conversion of bodies, filters and answers.
//! - [`filter`]: the `filter` query parameter (the `op`/`operation` rename and the double
//!   encoding the server expects).
//! - [`decode`]: status and content-type checks, the one place where a non-2xx answer becomes an
//!   [`Error`], and the version-detection heuristic [`is_not_found_route`].
//!
//! Bodies stay [`serde_json::Value`]s with the API's own snake_case field names: KFP omits zero
//! values, sends int64 as strings and adds fields between releases, so the library passes the
//! objects through as they are (`research`: `shared/kfp-api/REPORT.md` §1).

pub mod bodies;
pub mod decode;
pub mod endpoint;
pub mod filter;
pub mod package;
pub mod request;
pub mod v1;
pub mod yaml;

use url::Url;

use crate::core::error::Error;
use crate::core::http::redact_url;

pub use decode::{decode_empty, decode_error, decode_json, decode_list, is_not_found_route};
pub use endpoint::{Answer, Endpoint, Resource};
pub use request::{raw, ApiCall, CallBody, ListParams, Upload};

/// The API surface a KFP backend serves.
///
/// KFP 2.x serves both; v1-line backends (KFP 1.x, `2.0.0-alpha.7` as shipped by deployKF ≤ 0.1.4)
/// serve only `v1beta1`. Detected by [`crate::core::client::Call`] from the healthz answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    V2beta1,
    V1beta1,
}

impl ApiVersion {
    /// The path every endpoint of this version starts with, relative to the [`ApiBase`].
    pub fn path_prefix(self) -> &'static str {
        match self {
            ApiVersion::V2beta1 => "/apis/v2beta1",
            ApiVersion::V1beta1 => "/apis/v1beta1",
        }
    }

    /// `"v2beta1"` or `"v1beta1"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2beta1 => "v2beta1",
            ApiVersion::V1beta1 => "v1beta1",
        }
    }
}

/// The KFP base URL as the user gave it: `https://kf.example.com/pipeline` (through the Kubeflow
/// gateway), `http://ml-pipeline-ui.kubeflow` (the UI service), `http://localhost:8080/pipeline/`
/// (a port-forward). Endpoint paths such as `/apis/v2beta1/experiments` are appended to it.
///
/// Held without a trailing slash, query or fragment, and never with user info.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiBase {
    url: Url,
    /// The path without a trailing slash: `"/pipeline"`, or `""` at the root.
    path: String,
}

impl ApiBase {
    /// Parses `apiUrl`.
    ///
    /// # Errors
    /// [`Error::InvalidArgValue`] (`apiUrl`) unless it is an absolute `http:` or `https:` URL with
    /// a host, or when it contains a user name or password (credentials belong in `auth`).
    pub fn parse(api_url: &str) -> Result<ApiBase, Error> {
        let invalid = |reason: String| Error::InvalidArgValue {
            name: "apiUrl".into(),
            reason,
        };
        let text = api_url.trim();
        if text.is_empty() {
            return Err(invalid(
                "it is empty; pass the KFP URL, e.g. https://kubeflow.example.com/pipeline".into(),
            ));
        }
        let mut url = Url::parse(text).map_err(|e| {
            invalid(format!(
                "it is not an absolute URL ({e}); pass e.g. https://kubeflow.example.com/pipeline"
            ))
        })?;
        if url.scheme() != "http" && url.scheme() != "https" {
            return Err(invalid(format!(
                "the scheme is \"{}:\" but must be http: or https:, e.g. https://kubeflow.example.com/pipeline",
                url.scheme()
            )));
        }
        if url.host_str().map_or(true, str::is_empty) {
            return Err(invalid("it has no host".into()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "it contains a user name or password; remove them from the URL and pass credentials with the auth option instead"
                    .into(),
            ));
        }
        url.set_query(None);
        url.set_fragment(None);
        let path = url.path().trim_end_matches('/').to_owned();
        url.set_path(&path);
        Ok(ApiBase { url, path })
    }

    /// The base URL (its path is `/` at the root, otherwise without a trailing slash).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The base URL with `path` appended. `path` starts with `/`; its segments are used as given
    /// (already percent-encoded where needed; characters a URL path cannot hold are encoded).
    ///
    /// # Errors
    /// [`Error::InvalidArgValue`] (`path`) when `path` does not start with `/`.
    pub fn join(&self, path: &str) -> Result<Url, Error> {
        if !path.starts_with('/') {
            return Err(Error::InvalidArgValue {
                name: "path".into(),
                reason: "it must start with \"/\"".into(),
            });
        }
        let mut url = self.url.clone();
        url.set_path(&format!("{}{}", self.path, path));
        Ok(url)
    }
}

impl std::fmt::Display for ApiBase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact_url(&self.url))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_prefixes() {
        assert_eq!(ApiVersion::V2beta1.path_prefix(), "/apis/v2beta1");
        assert_eq!(ApiVersion::V1beta1.path_prefix(), "/apis/v1beta1");
    }

    #[test]
    fn parse_keeps_path_and_strips_trailing_slash() {
        let b = ApiBase::parse("https://h/pipeline").unwrap();
        assert_eq!(b.url().as_str(), "https://h/pipeline");
        let b = ApiBase::parse("http://localhost:8080/pipeline/").unwrap();
        assert_eq!(b.url().as_str(), "http://localhost:8080/pipeline");
        assert_eq!(
            b.join("/apis/v2beta1/healthz").unwrap().as_str(),
            "http://localhost:8080/pipeline/apis/v2beta1/healthz"
        );
        let b = ApiBase::parse("  http://ml-pipeline-ui.kubeflow  ").unwrap();
        assert_eq!(b.url().as_str(), "http://ml-pipeline-ui.kubeflow/");
        assert_eq!(
            b.join("/apis/v1beta1/healthz").unwrap().as_str(),
            "http://ml-pipeline-ui.kubeflow/apis/v1beta1/healthz"
        );
        let b = ApiBase::parse("https://h/a/b//").unwrap();
        assert_eq!(b.join("/x").unwrap().as_str(), "https://h/a/b/x");
    }

    #[test]
    fn parse_drops_query_and_fragment() {
        let b = ApiBase::parse("https://h/pipeline/?ns=a#/runs").unwrap();
        assert_eq!(b.url().as_str(), "https://h/pipeline");
        assert_eq!(b.join("/apis").unwrap().as_str(), "https://h/pipeline/apis");
    }

    fn invalid_reason(input: &str) -> String {
        match ApiBase::parse(input) {
            Err(Error::InvalidArgValue { name, reason }) => {
                assert_eq!(name, "apiUrl");
                reason
            }
            other => panic!("{input}: {other:?}"),
        }
    }

    #[test]
    fn parse_rejects_bad_urls() {
        for bad in [
            "",
            "   ",
            "kubeflow.example.com/pipeline",
            "/pipeline",
            "ftp://h/x",
            "file:///etc",
        ] {
            invalid_reason(bad);
        }
        assert!(invalid_reason("ftp://h/x").contains("ftp:"));
    }

    #[test]
    fn parse_rejects_user_info_without_echoing_it() {
        let reason = invalid_reason("https://alice:s3cret@h/pipeline");
        assert!(reason.contains("auth"));
        assert!(!reason.contains("s3cret"));
        invalid_reason("https://alice@h/pipeline");
    }

    #[test]
    fn join_requires_leading_slash() {
        let b = ApiBase::parse("https://h/pipeline").unwrap();
        assert!(matches!(b.join("apis"), Err(Error::InvalidArgValue { .. })));
    }
}
