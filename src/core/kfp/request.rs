//! Request builders: an [`ApiCall`] of a declared [`Endpoint`] becomes an [`HttpRequest`] for
//! either API version; [`raw`] builds the escape hatch `request()`.
//!
//! Paths and query parameters follow the 2.3.0 swagger specs (`shared/kfp-api/v2beta1/*.swagger.json`,
//! `shared/kfp-api/v1beta1/*.swagger.json`). Query strings are built here rather than by the
//! `url` crate's form serializer, so that every value is encoded exactly like JS
//! `encodeURIComponent` (spaces as `%20`, never `+`, which the server would read as a space).
//! Arguments are validated before anything is built; errors name the argument as the JS caller
//! wrote it (`id`, `name`, `pageSize`).

use serde_json::Value;
use url::Url;

use super::endpoint::{self, Answer, Body, Endpoint, Scope};
use super::{filter, v1, ApiBase, ApiVersion};
use crate::core::error::Error;
use crate::core::http::json_text;
use crate::core::http::{HttpRequest, Method};

/// The common parameters of the list endpoints (`page_size`, `page_token`, `sort_by`, `filter`,
/// and the namespace). `None` and empty strings are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListParams {
    /// The user namespace (multi-user mode). v2beta1 sends `namespace=`, v1beta1
    /// `resource_reference_key.type=NAMESPACE&resource_reference_key.id=`.
    pub namespace: Option<String>,
    /// Runs and recurring runs of one experiment (instead of the namespace, as `kfp.Client`).
    pub experiment_id: Option<String>,
    /// 0 means the server default (20); the server clamps values above 200.
    pub page_size: Option<i32>,
    /// `next_page_token` of the previous page. Send the same `sort_by` and `filter` with it, or
    /// none: the server rejects a mismatch with 400.
    pub page_token: Option<String>,
    /// `"created_at desc"` and the like; passed through as given.
    pub sort_by: Option<String>,
    /// A Filter object or its JSON string; see [`filter`].
    pub filter: Option<Value>,
}

/// Percent-encodes like JS `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`
/// is encoded as UTF-8 bytes `%XX` (upper-case hex).
pub fn encode_uri_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

/// `url` with its query set to `pairs`, each key and value encoded once. No pairs, no `?`.
///
/// The `url` crate keeps `%XX` sequences in a query as they are; of the characters
/// `encodeURIComponent` leaves alone it encodes only `'` (as `%27`, as browsers do for http(s)).
fn with_query(mut url: Url, pairs: &[(&str, &str)]) -> Url {
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        let query = pairs
            .iter()
            .map(|(key, value)| {
                format!(
                    "{}={}",
                    encode_uri_component(key),
                    encode_uri_component(value)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        url.set_query(Some(&query));
    }
    url
}

/// `id` as one path segment: not empty, not a dot segment, and encoded so that `/`, `?`, `#`
/// or `:` inside it cannot change the path.
fn id_segment(name: &str, id: &str) -> Result<String, Error> {
    if id.trim().is_empty() {
        return Err(Error::InvalidArgValue {
            name: name.into(),
            reason: "it is empty".into(),
        });
    }
    if id == "." || id == ".." {
        return Err(Error::InvalidArgValue {
            name: name.into(),
            reason: format!("\"{id}\" is not a resource id"),
        });
    }
    Ok(encode_uri_component(id))
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// A file for the upload endpoints: its bytes and the file name the server sees (the extension
/// decides how it is read: `.yaml`/`.yml`, `.json`, or zip/tar.gz by magic bytes; REPORT §2.2).
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    pub bytes: Vec<u8>,
    pub filename: String,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Upload({:?}, {} bytes)", self.filename, self.bytes.len())
    }
}

/// The body of an [`ApiCall`], in v2beta1 terms.
#[derive(Debug, Clone, PartialEq)]
pub enum CallBody {
    None,
    Json(Value),
    Upload(Upload),
}

/// One call of a declared [`Endpoint`]: its ids, list parameters, extra query parameters (with
/// their v2beta1 names) and body. [`ApiCall::build`] turns it into the request for either API
/// version, so a call made before the version is known can be rebuilt after.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiCall {
    pub endpoint: &'static Endpoint,
    /// `(argument name, id)` for each `{}` of the v2beta1 path, in order.
    pub ids: Vec<(&'static str, String)>,
    pub list: ListParams,
    pub query: Vec<(&'static str, String)>,
    pub body: CallBody,
}

impl ApiCall {
    pub fn new(endpoint: &'static Endpoint) -> Self {
        ApiCall {
            endpoint,
            ids: Vec::new(),
            list: ListParams::default(),
            query: Vec::new(),
            body: CallBody::None,
        }
    }

    /// Adds the next path id; `name` is the JS argument it came from, for messages.
    #[must_use]
    pub fn id(mut self, name: &'static str, id: impl Into<String>) -> Self {
        self.ids.push((name, id.into()));
        self
    }

    #[must_use]
    pub fn list(mut self, params: ListParams) -> Self {
        self.list = params;
        self
    }

    /// Adds a query parameter when `value` is set and not empty.
    #[must_use]
    pub fn query(mut self, key: &'static str, value: Option<impl Into<String>>) -> Self {
        if let Some(value) = value.map(Into::into).filter(|v: &String| !v.is_empty()) {
            self.query.push((key, value));
        }
        self
    }

    #[must_use]
    pub fn json(mut self, body: Value) -> Self {
        self.body = CallBody::Json(body);
        self
    }

    #[must_use]
    pub fn upload(mut self, upload: Upload) -> Self {
        self.body = CallBody::Upload(upload);
        self
    }

    /// The request for API version `v`.
    ///
    /// # Errors
    /// - [`Error::UnsupportedApiVersion`] when the endpoint has no path in `v`.
    /// - [`Error::InvalidArgValue`] for an empty or dot-segment id, a negative `pageSize`, a bad
    ///   filter, or a wrong number of ids; [`Error::InvalidArgType`] for a filter of the wrong type.
    pub fn build(&self, base: &ApiBase, v: ApiVersion) -> Result<HttpRequest, Error> {
        let e = self.endpoint;
        let template = e.template(v).ok_or(Error::UnsupportedApiVersion {
            method: e.name.into(),
            version: v.as_str().into(),
        })?;
        if self.ids.len() != e.arity() {
            return Err(Error::InvalidArgValue {
                name: "id".into(),
                reason: format!("{} takes {} id(s)", e.name, e.arity()),
            });
        }
        let ids: Vec<String> = self.ids.iter().map(|(_, id)| id.clone()).collect();
        let path_ids = match v {
            ApiVersion::V2beta1 => &ids[..],
            ApiVersion::V1beta1 => endpoint::v1_ids(e, &ids),
        };
        let skipped = ids.len() - path_ids.len();
        let mut path = String::with_capacity(template.len() + 40);
        let mut pieces = template.split("{}");
        path.push_str(pieces.next().unwrap_or_default());
        for (index, piece) in pieces.enumerate() {
            let (name, id) = &self.ids[skipped + index];
            path.push_str(&id_segment(name, id)?);
            path.push_str(piece);
        }
        // Ids that v1 takes in the query rather than the path are still checked.
        for (name, id) in &self.ids[..skipped] {
            id_segment(name, id)?;
        }
        let url = base.join(&path)?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        if e.answer == Answer::List {
            self.list_query(v, &mut pairs)?;
        }
        for (key, value) in &self.query {
            match (v, *key) {
                // Not in v1beta1 (2.14+ only): the name stands in for it.
                (ApiVersion::V1beta1, "display_name") => {
                    if !self.query.iter().any(|(k, _)| *k == "name") {
                        pairs.push(("name".into(), value.clone()));
                    }
                }
                // v1beta1 has no cascade flag: its DeletePipeline removes the versions too.
                (ApiVersion::V1beta1, "cascade") => {}
                _ => pairs.push(((*key).to_owned(), value.clone())),
            }
        }
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let url = with_query(url, &refs);
        Ok(match (&self.body, e.body) {
            (CallBody::Upload(file), _) => {
                HttpRequest::multipart(url, "uploadfile", &file.filename, &file.bytes)
            }
            (CallBody::Json(value), _) => {
                let value = match v {
                    ApiVersion::V2beta1 => value.clone(),
                    ApiVersion::V1beta1 => v1::request_body(e.resource, value),
                };
                HttpRequest::json(e.method, url, Some(&value))
            }
            (CallBody::None, Body::EmptyJson) => {
                HttpRequest::json(e.method, url, Some(&Value::Object(serde_json::Map::new())))
            }
            (CallBody::None, _) => HttpRequest::json(e.method, url, None),
        })
    }

    /// The list query of [`ListParams`]: scope, then `page_size`, `page_token`, `sort_by`,
    /// `filter` (REPORT §3.5, §4), with v1beta1's names and keys.
    fn list_query(&self, v: ApiVersion, pairs: &mut Vec<(String, String)>) -> Result<(), Error> {
        let p = &self.list;
        let resource = self.endpoint.resource;
        if let Some(size) = p.page_size {
            if size < 0 {
                return Err(Error::InvalidArgValue {
                    name: "pageSize".into(),
                    reason: format!(
                        "it must be 0 or more (0 means the server default), got {size}"
                    ),
                });
            }
        }
        let namespace = non_empty(p.namespace.as_deref());
        let experiment = non_empty(p.experiment_id.as_deref());
        let mut push = |k: &str, v: &str| pairs.push((k.to_owned(), v.to_owned()));
        match (self.endpoint.scope, v) {
            (Scope::Namespace | Scope::NamespaceOrExperiment, ApiVersion::V2beta1) => {
                // Like kfp.Client: an experiment scopes the list by itself.
                if let Some(exp) =
                    experiment.filter(|_| self.endpoint.scope == Scope::NamespaceOrExperiment)
                {
                    push("experiment_id", exp);
                } else if let Some(ns) = namespace {
                    push("namespace", ns);
                }
            }
            (Scope::Namespace | Scope::NamespaceOrExperiment, ApiVersion::V1beta1) => {
                if let Some(exp) =
                    experiment.filter(|_| self.endpoint.scope == Scope::NamespaceOrExperiment)
                {
                    push("resource_reference_key.type", "EXPERIMENT");
                    push("resource_reference_key.id", exp);
                } else if let Some(ns) = namespace {
                    push("resource_reference_key.type", "NAMESPACE");
                    push("resource_reference_key.id", ns);
                }
            }
            (Scope::Pipeline, ApiVersion::V1beta1) => {
                if let Some((_, pipeline)) = self.ids.first() {
                    push("resource_key.type", "PIPELINE");
                    push("resource_key.id", pipeline);
                }
            }
            _ => {}
        }
        if let Some(size) = p.page_size {
            push("page_size", &size.to_string());
        }
        if let Some(token) = non_empty(p.page_token.as_deref()) {
            push("page_token", token);
        }
        if let Some(sort_by) = non_empty(p.sort_by.as_deref()) {
            match v {
                ApiVersion::V2beta1 => push("sort_by", sort_by),
                ApiVersion::V1beta1 => push("sort_by", &v1::sort_by(resource, sort_by)),
            }
        }
        if let Some(value) = &p.filter {
            if let Some(mut object) = filter::normalize(value, v)? {
                if v == ApiVersion::V1beta1 {
                    v1::filter(resource, &mut object);
                }
                // Encoded once here and again by `with_query` (REPORT §4).
                push("filter", &encode_uri_component(&json_text(&object)));
            }
        }
        Ok(())
    }
}

/// The escape hatch `request(method, path, {query, body})` for endpoints without a builder.
///
/// `path` is relative to the base and starts with `/` (`/apis/v2beta1/runs`); its segments are
/// used as given, so encode ids yourself. Query pairs are appended in order, keys and values
/// encoded once. A JSON body is sent with `Content-Type: application/json`.
///
/// # Errors
/// - [`Error::InvalidArgValue`] (`path`) for a path that does not start with one `/`, is an
///   absolute URL, contains `//`, a `.`/`..` segment, `\`, `?` or `#` (pass the query in `query`).
/// - [`Error::InvalidArgValue`] (`query`) for an empty key.
/// - [`Error::InvalidArgValue`] (`body`) for a body on a `GET`, which `fetch` cannot send.
pub fn raw(
    base: &ApiBase,
    method: Method,
    path: &str,
    query: &[(String, String)],
    body: Option<&Value>,
) -> Result<HttpRequest, Error> {
    check_raw_path(path)?;
    if query.iter().any(|(key, _)| key.is_empty()) {
        return Err(Error::InvalidArgValue {
            name: "query".into(),
            reason: "a query parameter has an empty name".into(),
        });
    }
    if method == Method::Get && body.is_some() {
        return Err(Error::InvalidArgValue {
            name: "body".into(),
            reason: "a GET request cannot have a body".into(),
        });
    }
    let pairs: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let url = with_query(base.join(path)?, &pairs);
    Ok(HttpRequest::json(method, url, body))
}

fn check_raw_path(path: &str) -> Result<(), Error> {
    let invalid = |reason: &str| Error::InvalidArgValue {
        name: "path".into(),
        reason: reason.into(),
    };
    if !path.starts_with('/') {
        return Err(invalid(
            "it must be a path relative to apiUrl that starts with \"/\", e.g. \"/apis/v2beta1/runs\"",
        ));
    }
    if path.contains("//") {
        return Err(invalid("it must not contain \"//\""));
    }
    if path.contains('\\') {
        return Err(invalid("it must not contain \"\\\""));
    }
    if path.contains('?') || path.contains('#') {
        return Err(invalid(
            "it must not contain \"?\" or \"#\"; pass query parameters in the query option",
        ));
    }
    let is_dot_segment = |segment: &str| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    };
    if path.split('/').any(is_dot_segment) {
        return Err(invalid("it must not contain \".\" or \"..\" segments"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::kfp::bodies;
    use crate::core::kfp::endpoint::*;
    use serde_json::json;

    fn healthz(b: &ApiBase, v: ApiVersion) -> Result<HttpRequest, Error> {
        ApiCall::new(&HEALTHZ).build(b, v)
    }
    fn list_experiments(b: &ApiBase, v: ApiVersion, p: &ListParams) -> Result<HttpRequest, Error> {
        ApiCall::new(&LIST_EXPERIMENTS).list(p.clone()).build(b, v)
    }
    fn get_experiment(b: &ApiBase, v: ApiVersion, id: &str) -> Result<HttpRequest, Error> {
        ApiCall::new(&GET_EXPERIMENT).id("id", id).build(b, v)
    }
    fn delete_experiment(b: &ApiBase, v: ApiVersion, id: &str) -> Result<HttpRequest, Error> {
        ApiCall::new(&DELETE_EXPERIMENT).id("id", id).build(b, v)
    }
    fn create_experiment(
        b: &ApiBase,
        v: ApiVersion,
        name: &str,
        d: Option<&str>,
        ns: Option<&str>,
    ) -> Result<HttpRequest, Error> {
        ApiCall::new(&CREATE_EXPERIMENT)
            .json(bodies::experiment(name, d, ns)?)
            .build(b, v)
    }

    fn base() -> ApiBase {
        ApiBase::parse("https://kf.example.com/pipeline/").unwrap()
    }

    fn body_json(req: &HttpRequest) -> Value {
        serde_json::from_slice(req.body.as_deref().unwrap()).unwrap()
    }

    fn assert_json_get(req: &HttpRequest, url: &str) {
        assert_eq!(req.method, Method::Get);
        assert_eq!(req.url.as_str(), url);
        assert_eq!(req.headers.get("accept"), Some("application/json"));
        assert_eq!(req.headers.get("content-type"), None);
        assert_eq!(req.body, None);
    }

    fn invalid_name(err: Error) -> String {
        match err {
            Error::InvalidArgValue { name, .. } => name,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn encode_uri_component_matches_js() {
        assert_eq!(encode_uri_component("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(
            encode_uri_component("a b+c%/?#&=:"),
            "a%20b%2Bc%25%2F%3F%23%26%3D%3A"
        );
        assert_eq!(encode_uri_component("é€"), "%C3%A9%E2%82%AC");
        assert_eq!(encode_uri_component(""), "");
    }

    #[test]
    fn healthz_both_versions() {
        assert_json_get(
            &healthz(&base(), ApiVersion::V2beta1).unwrap(),
            "https://kf.example.com/pipeline/apis/v2beta1/healthz",
        );
        assert_json_get(
            &healthz(&base(), ApiVersion::V1beta1).unwrap(),
            "https://kf.example.com/pipeline/apis/v1beta1/healthz",
        );
    }

    #[test]
    fn list_experiments_without_params() {
        for (v, url) in [
            (
                ApiVersion::V2beta1,
                "https://kf.example.com/pipeline/apis/v2beta1/experiments",
            ),
            (
                ApiVersion::V1beta1,
                "https://kf.example.com/pipeline/apis/v1beta1/experiments",
            ),
        ] {
            assert_json_get(
                &list_experiments(&base(), v, &ListParams::default()).unwrap(),
                url,
            );
        }
    }

    fn all_params() -> ListParams {
        ListParams {
            namespace: Some("kubeflow-user example".into()),
            page_size: Some(10),
            page_token: Some("eyJTb3J0QnlGaWVsZE5hbWUiOiJDcmVhdGVkQXRJblNlYyJ9+/=".into()),
            sort_by: Some("created_at desc".into()),
            filter: Some(
                json!({"predicates": [{"key": "display_name", "op": "EQUALS", "string_value": "a+b"}]}),
            ),
            ..ListParams::default()
        }
    }

    #[test]
    fn list_experiments_v2_all_params_in_order() {
        let req = list_experiments(&base(), ApiVersion::V2beta1, &all_params()).unwrap();
        assert_json_get(
            &req,
            "https://kf.example.com/pipeline/apis/v2beta1/experiments\
             ?namespace=kubeflow-user%20example\
             &page_size=10\
             &page_token=eyJTb3J0QnlGaWVsZE5hbWUiOiJDcmVhdGVkQXRJblNlYyJ9%2B%2F%3D\
             &sort_by=created_at%20desc\
             &filter=%257B%2522predicates%2522%253A%255B%257B%2522key%2522%253A%2522display_name%2522%252C%2522operation%2522%253A%2522EQUALS%2522%252C%2522string_value%2522%253A%2522a%252Bb%2522%257D%255D%257D",
        );
        // What the server sees after its two decodings.
        let (_, filter) = req.url.query_pairs().find(|(k, _)| k == "filter").unwrap();
        let twice: String = url::form_urlencoded::parse(format!("f={filter}").as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        assert_eq!(
            serde_json::from_str::<Value>(&twice).unwrap(),
            json!({"predicates": [{"key": "display_name", "operation": "EQUALS", "string_value": "a+b"}]})
        );
    }

    #[test]
    fn list_experiments_v1_uses_resource_reference_key_and_op() {
        let req = list_experiments(&base(), ApiVersion::V1beta1, &all_params()).unwrap();
        assert_json_get(
            &req,
            "https://kf.example.com/pipeline/apis/v1beta1/experiments\
             ?resource_reference_key.type=NAMESPACE\
             &resource_reference_key.id=kubeflow-user%20example\
             &page_size=10\
             &page_token=eyJTb3J0QnlGaWVsZE5hbWUiOiJDcmVhdGVkQXRJblNlYyJ9%2B%2F%3D\
             &sort_by=created_at%20desc\
             &filter=%257B%2522predicates%2522%253A%255B%257B%2522key%2522%253A%2522name%2522%252C%2522op%2522%253A%2522EQUALS%2522%252C%2522string_value%2522%253A%2522a%252Bb%2522%257D%255D%257D",
        );
    }

    #[test]
    fn filter_double_encoding_matches_report_example() {
        // REPORT §4: the "on wire" line, sent as a JSON string.
        let p = ListParams {
            filter: Some(json!(
                r#"{"predicates":[{"key":"display_name","operation":"EQUALS","string_value":"my pipeline"}]}"#
            )),
            ..ListParams::default()
        };
        let req = list_experiments(&base(), ApiVersion::V2beta1, &p).unwrap();
        assert_eq!(
            req.url.query(),
            Some("filter=%257B%2522predicates%2522%253A%255B%257B%2522key%2522%253A%2522display_name%2522%252C%2522operation%2522%253A%2522EQUALS%2522%252C%2522string_value%2522%253A%2522my%2520pipeline%2522%257D%255D%257D")
        );
    }

    #[test]
    fn list_skips_empty_strings_and_allows_page_size_zero() {
        let p = ListParams {
            namespace: Some(String::new()),
            experiment_id: None,
            page_size: Some(0),
            page_token: Some(String::new()),
            sort_by: Some(String::new()),
            filter: Some(Value::Null),
        };
        let req = list_experiments(&base(), ApiVersion::V2beta1, &p).unwrap();
        assert_eq!(req.url.query(), Some("page_size=0"));
    }

    #[test]
    fn list_rejects_bad_params() {
        let p = ListParams {
            page_size: Some(-1),
            ..ListParams::default()
        };
        assert_eq!(
            invalid_name(list_experiments(&base(), ApiVersion::V2beta1, &p).unwrap_err()),
            "pageSize"
        );
        let p = ListParams {
            filter: Some(json!("{oops")),
            ..ListParams::default()
        };
        assert_eq!(
            invalid_name(list_experiments(&base(), ApiVersion::V1beta1, &p).unwrap_err()),
            "filter"
        );
        let p = ListParams {
            filter: Some(json!(42)),
            ..ListParams::default()
        };
        assert!(matches!(
            list_experiments(&base(), ApiVersion::V2beta1, &p),
            Err(Error::InvalidArgType { ref name, .. }) if name == "filter"
        ));
    }

    #[test]
    fn get_and_delete_experiment() {
        for (v, prefix) in [
            (ApiVersion::V2beta1, "v2beta1"),
            (ApiVersion::V1beta1, "v1beta1"),
        ] {
            let url = format!("https://kf.example.com/pipeline/apis/{prefix}/experiments/0a1b-2c");
            assert_json_get(&get_experiment(&base(), v, "0a1b-2c").unwrap(), &url);
            let req = delete_experiment(&base(), v, "0a1b-2c").unwrap();
            assert_eq!(req.method, Method::Delete);
            assert_eq!(req.url.as_str(), url);
            assert_eq!(req.headers.get("accept"), Some("application/json"));
            assert_eq!(req.body, None);
        }
    }

    #[test]
    fn id_is_one_path_segment() {
        let req = get_experiment(&base(), ApiVersion::V2beta1, "a/../b?c=d#e:archive").unwrap();
        assert_eq!(
            req.url.as_str(),
            "https://kf.example.com/pipeline/apis/v2beta1/experiments/a%2F..%2Fb%3Fc%3Dd%23e%3Aarchive"
        );
        assert_eq!(req.url.query(), None);
        assert_eq!(req.url.path_segments().unwrap().count(), 5);
        let req = get_experiment(&base(), ApiVersion::V2beta1, "%2e%2e").unwrap();
        assert!(req.url.as_str().ends_with("/experiments/%252e%252e"));
    }

    #[test]
    fn bad_ids() {
        for id in ["", "  ", ".", ".."] {
            assert_eq!(
                invalid_name(get_experiment(&base(), ApiVersion::V2beta1, id).unwrap_err()),
                "id"
            );
            assert_eq!(
                invalid_name(delete_experiment(&base(), ApiVersion::V1beta1, id).unwrap_err()),
                "id"
            );
        }
    }

    #[test]
    fn create_experiment_v2() {
        let req = create_experiment(
            &base(),
            ApiVersion::V2beta1,
            "exp 1",
            Some("d"),
            Some("team-a"),
        )
        .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url.as_str(),
            "https://kf.example.com/pipeline/apis/v2beta1/experiments"
        );
        assert_eq!(req.headers.get("accept"), Some("application/json"));
        assert_eq!(req.headers.get("content-type"), Some("application/json"));
        assert_eq!(
            body_json(&req),
            json!({"display_name": "exp 1", "description": "d", "namespace": "team-a"})
        );

        let req = create_experiment(&base(), ApiVersion::V2beta1, "exp", None, Some("")).unwrap();
        assert_eq!(body_json(&req), json!({"display_name": "exp"}));
    }

    #[test]
    fn create_experiment_v1() {
        let req = create_experiment(
            &base(),
            ApiVersion::V1beta1,
            "exp",
            Some("d"),
            Some("team-a"),
        )
        .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url.as_str(),
            "https://kf.example.com/pipeline/apis/v1beta1/experiments"
        );
        assert_eq!(req.headers.get("content-type"), Some("application/json"));
        assert_eq!(
            body_json(&req),
            json!({
                "name": "exp",
                "description": "d",
                "resource_references": [{"key": {"type": "NAMESPACE", "id": "team-a"}, "relationship": "OWNER"}]
            })
        );
        let req = create_experiment(&base(), ApiVersion::V1beta1, "exp", None, None).unwrap();
        assert_eq!(body_json(&req), json!({"name": "exp"}));
    }

    #[test]
    fn create_experiment_needs_a_name() {
        for v in [ApiVersion::V2beta1, ApiVersion::V1beta1] {
            assert_eq!(
                invalid_name(create_experiment(&base(), v, " ", None, None).unwrap_err()),
                "name"
            );
        }
    }

    #[test]
    fn raw_builds_path_query_and_body() {
        let query = vec![
            ("experiment_id".to_owned(), "e 1".to_owned()),
            ("filter".to_owned(), "a+b&c".to_owned()),
        ];
        let req = raw(&base(), Method::Get, "/apis/v2beta1/runs", &query, None).unwrap();
        assert_json_get(
            &req,
            "https://kf.example.com/pipeline/apis/v2beta1/runs?experiment_id=e%201&filter=a%2Bb%26c",
        );
        let body = json!({});
        let req = raw(
            &base(),
            Method::Post,
            "/apis/v2beta1/runs/r1:terminate",
            &[],
            Some(&body),
        )
        .unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url.as_str(),
            "https://kf.example.com/pipeline/apis/v2beta1/runs/r1:terminate"
        );
        assert_eq!(req.headers.get("content-type"), Some("application/json"));
        assert_eq!(body_json(&req), json!({}));
        // `'` is left alone by encodeURIComponent; the url crate writes it as %27 in a query, as
        // browsers do. Both decode to the same value.
        let quote = vec![("name".to_owned(), "it's (x)".to_owned())];
        let req = raw(&base(), Method::Get, "/x", &quote, None).unwrap();
        assert_eq!(req.url.query(), Some("name=it%27s%20(x)"));
        // Segments as given: an encoded slash stays encoded.
        let req = raw(
            &base(),
            Method::Delete,
            "/apis/v2beta1/runs/a%2Fb",
            &[],
            None,
        )
        .unwrap();
        assert_eq!(req.url.path(), "/pipeline/apis/v2beta1/runs/a%2Fb");
    }

    #[test]
    fn raw_rejects_escaping_paths() {
        for path in [
            "",
            "apis/v2beta1/runs",
            "https://evil.example.com/x",
            "//evil.example.com/x",
            "/apis//runs",
            "/apis/../../x",
            "/apis/%2E%2e/x",
            "/apis/./x",
            "/..",
            "/apis\\x",
            "/apis/v2beta1/runs?page_size=1",
            "/apis#x",
        ] {
            assert_eq!(
                invalid_name(raw(&base(), Method::Get, path, &[], None).unwrap_err()),
                "path",
                "{path}"
            );
        }
        let empty_key = vec![(String::new(), "v".to_owned())];
        assert_eq!(
            invalid_name(raw(&base(), Method::Get, "/x", &empty_key, None).unwrap_err()),
            "query"
        );
        assert_eq!(
            invalid_name(raw(&base(), Method::Get, "/x", &[], Some(&json!({}))).unwrap_err()),
            "body"
        );
    }

    #[test]
    fn version_specific_query_parameters() {
        let delete = ApiCall::new(&DELETE_PIPELINE)
            .id("id", "p1")
            .query("cascade", Some("true"));
        assert_eq!(
            delete
                .build(&base(), ApiVersion::V2beta1)
                .unwrap()
                .url
                .query(),
            Some("cascade=true")
        );
        assert_eq!(
            delete
                .build(&base(), ApiVersion::V1beta1)
                .unwrap()
                .url
                .query(),
            None
        );
        let upload = ApiCall::new(&UPLOAD_PIPELINE)
            .query("display_name", Some("Nice name"))
            .upload(Upload {
                bytes: b"a: 1".to_vec(),
                filename: "pipeline.yaml".into(),
            });
        assert_eq!(
            upload
                .build(&base(), ApiVersion::V2beta1)
                .unwrap()
                .url
                .query(),
            Some("display_name=Nice%20name")
        );
        assert_eq!(
            upload
                .build(&base(), ApiVersion::V1beta1)
                .unwrap()
                .url
                .query(),
            Some("name=Nice%20name")
        );
        let versions = ApiCall::new(&LIST_PIPELINE_VERSIONS).id("pipelineId", "p1");
        assert_eq!(versions.build(&base(), ApiVersion::V1beta1).unwrap().url.as_str(), "https://kf.example.com/pipeline/apis/v1beta1/pipeline_versions?resource_key.type=PIPELINE&resource_key.id=p1");
        assert_eq!(
            versions
                .build(&base(), ApiVersion::V2beta1)
                .unwrap()
                .url
                .as_str(),
            "https://kf.example.com/pipeline/apis/v2beta1/pipelines/p1/versions"
        );
        let runs = ApiCall::new(&LIST_RUNS).list(ListParams {
            namespace: Some("ns".into()),
            experiment_id: Some("e1".into()),
            ..ListParams::default()
        });
        assert_eq!(
            runs.build(&base(), ApiVersion::V2beta1)
                .unwrap()
                .url
                .query(),
            Some("experiment_id=e1")
        );
        assert_eq!(
            runs.build(&base(), ApiVersion::V1beta1)
                .unwrap()
                .url
                .query(),
            Some("resource_reference_key.type=EXPERIMENT&resource_reference_key.id=e1")
        );
    }

    #[test]
    fn root_base() {
        let b = ApiBase::parse("http://ml-pipeline-ui.kubeflow").unwrap();
        let req = list_experiments(
            &b,
            ApiVersion::V2beta1,
            &ListParams {
                page_size: Some(5),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            req.url.as_str(),
            "http://ml-pipeline-ui.kubeflow/apis/v2beta1/experiments?page_size=5"
        );
    }
}
