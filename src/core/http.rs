//! HTTP request and response values.
//!
//! The core never performs I/O: it builds [`HttpRequest`] values and decodes [`HttpResponse`]
//! values. The binding sends them with `fetch` (`redirect: "manual"`), and tests feed responses
//! by hand.

use std::fmt;

use url::Url;

/// The HTTP methods the KFP API and the login flow use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name as a user may write it (`"get"`, `"POST"`).
    pub fn parse(name: &str) -> Option<Method> {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
}

/// Header names whose values are secrets: never printed.
const SENSITIVE_HEADERS: [&str; 4] = [
    "cookie",
    "authorization",
    "set-cookie",
    "proxy-authorization",
];

fn is_sensitive(name: &str) -> bool {
    SENSITIVE_HEADERS
        .iter()
        .any(|s| name.eq_ignore_ascii_case(s))
}

/// An ordered list of headers with case-insensitive lookup. Names are stored lowercased.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// Sets `name`, replacing any earlier value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let name = name.to_ascii_lowercase();
        self.0.retain(|(n, _)| *n != name);
        self.0.push((name, value.into()));
    }

    /// Appends a value, keeping earlier ones.
    pub fn append(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_ascii_lowercase(), value.into()));
    }

    pub fn remove(&mut self, name: &str) {
        let name = name.to_ascii_lowercase();
        self.0.retain(|(n, _)| *n != name);
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.0 {
            if is_sensitive(name) {
                map.entry(name, &"[redacted]");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for Headers {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Self {
        let mut headers = Headers::new();
        for (name, value) in iter {
            headers.append(name, value);
        }
        headers
    }
}

/// A request to send. The body is bytes; its type is in the `content-type` header.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: Url,
    pub headers: Headers,
    pub body: Option<Vec<u8>>,
}

/// Compact JSON text, the one serializer the module compiles (`Value`'s `Display` would be a
/// second copy). A `Value` always serializes: its keys are strings.
pub fn json_text(value: &serde_json::Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl HttpRequest {
    pub fn get(url: Url) -> Self {
        HttpRequest {
            method: Method::Get,
            url,
            headers: Headers::new(),
            body: None,
        }
    }

    /// A `POST` with an `application/x-www-form-urlencoded` body built from `fields`.
    pub fn post_form(url: Url, fields: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut headers = Headers::new();
        headers.set("content-type", "application/x-www-form-urlencoded");
        HttpRequest {
            method: Method::Post,
            url,
            headers,
            body: Some(body.into_bytes()),
        }
    }

    /// A request with a JSON body (or none) and `Accept: application/json`.
    pub fn json(method: Method, url: Url, body: Option<&serde_json::Value>) -> Self {
        let mut headers = Headers::new();
        headers.set("accept", "application/json");
        let body = body.map(|value| {
            headers.set("content-type", "application/json");
            json_text(value).into_bytes()
        });
        HttpRequest {
            method,
            url,
            headers,
            body,
        }
    }

    /// A `POST` with a `multipart/form-data` body holding one file part (the KFP upload
    /// endpoints' `uploadfile`, REPORT §2.2), and `Accept: application/json`. The boundary is
    /// derived from the content and checked not to occur in it.
    pub fn multipart(url: Url, field: &str, filename: &str, content: &[u8]) -> Self {
        let mut seed = content.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
        });
        let boundary = loop {
            let candidate = format!("kfp-wasm-{seed:016x}");
            if !contains(content, candidate.as_bytes()) {
                break candidate;
            }
            seed = seed.wrapping_mul(0x100_0000_01b3).wrapping_add(1);
        };
        let quote = |s: &str| s.replace(['"', '\r', '\n'], "_");
        let mut body = Vec::with_capacity(content.len() + 256);
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                quote(field),
                quote(filename)
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut headers = Headers::new();
        headers.set("accept", "application/json");
        headers.set(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        );
        HttpRequest {
            method: Method::Post,
            url,
            headers,
            body: Some(body),
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.set(name, value);
        self
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &self.headers)
            .field(
                "body",
                &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())),
            )
            .finish()
    }
}

/// The response headers the core reads (besides `Set-Cookie`): the transport copies only these
/// out of JS, since every header crossing the boundary costs time on every call.
pub const RESPONSE_HEADERS: [&str; 4] =
    ["content-type", "location", "retry-after", "content-length"];

/// A response as the binding received it, without following redirects.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The URL that was requested (redirects are never followed by the transport).
    pub url: Url,
    pub status: u16,
    /// Headers other than `Set-Cookie`.
    pub headers: Headers,
    /// Every `Set-Cookie` header line, in order (`Headers.getSetCookie()` in Node).
    pub set_cookies: Vec<String>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as text; invalid UTF-8 is replaced, never a panic.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }

    /// The `Location` header resolved against the request URL, as browsers do.
    pub fn location(&self) -> Option<Url> {
        let raw = self.headers.get("location")?;
        self.url.join(raw.trim()).ok()
    }

    /// The media type of `content-type`, lowercased, without parameters.
    pub fn media_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default()
    }

    pub fn is_json(&self) -> bool {
        let media = self.media_type();
        media == "application/json" || media.ends_with("+json")
    }

    pub fn is_html(&self) -> bool {
        let media = self.media_type();
        media == "text/html" || (media.is_empty() && looks_like_html(&self.body))
    }
}

/// True when `needle` occurs in `haystack` (a boundary check; linear in practice).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = &body[..body.len().min(512)];
    let text = String::from_utf8_lossy(start).to_ascii_lowercase();
    let text = text.trim_start();
    text.starts_with("<!doctype html") || text.starts_with("<html")
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("url", &redact_url(&self.url))
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field(
                "set_cookies",
                &format!("<{} redacted>", self.set_cookies.len()),
            )
            .field("body", &format!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// Query parameters that carry one-time secrets in the login flow (auth codes, PKCE, state).
const SECRET_QUERY_KEYS: [&str; 7] = [
    "code",
    "state",
    "code_challenge",
    "nonce",
    "hmac",
    "req",
    "token",
];

/// A URL for messages and logs: user info removed and secret-bearing query values replaced.
pub fn redact_url(url: &Url) -> String {
    let mut clean = url.clone();
    let _ = clean.set_username("");
    let _ = clean.set_password(None);
    if clean.query().is_some() {
        let pairs: Vec<(String, String)> = clean
            .query_pairs()
            .map(|(k, v)| {
                let hide = SECRET_QUERY_KEYS.iter().any(|s| k.eq_ignore_ascii_case(s))
                    || k.to_ascii_lowercase().contains("token")
                    || k.to_ascii_lowercase().contains("password");
                (
                    k.into_owned(),
                    if hide {
                        "[redacted]".to_owned()
                    } else {
                        v.into_owned()
                    },
                )
            })
            .collect();
        clean.query_pairs_mut().clear().extend_pairs(pairs);
    }
    clean.to_string()
}

/// A response built by hand, for the core's tests.
#[cfg(test)]
pub fn test_response(
    url: &str,
    status: u16,
    content_type: &str,
    location: Option<&str>,
    body: &str,
) -> HttpResponse {
    let mut headers = Headers::new();
    headers.set("content-type", content_type);
    if let Some(l) = location {
        headers.set("location", l);
    }
    HttpResponse {
        url: Url::parse(url).expect("a test URL"),
        status,
        headers,
        set_cookies: vec![],
        body: body.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn debug_hides_secrets() {
        let req = HttpRequest::post_form(
            url("https://h/dex/auth/local/login?back=&state=abc"),
            &[("login", "u@example.com"), ("password", "hunter2")],
        )
        .with_header("Cookie", "session=topsecret")
        .with_header("Authorization", "Bearer tok123");
        let printed = format!("{req:?}");
        for secret in ["hunter2", "topsecret", "tok123", "state=abc"] {
            assert!(!printed.contains(secret), "{secret} leaked: {printed}");
        }
        assert!(printed.contains("content-type"));
    }

    #[test]
    fn multipart_body() {
        let req = HttpRequest::multipart(
            url("https://h/apis/v2beta1/pipelines/upload?name=p"),
            "uploadfile",
            "pipeline.yaml",
            b"a: 1\n",
        );
        let ct = req.headers.get("content-type").unwrap().to_owned();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let body = String::from_utf8(req.body.unwrap()).unwrap();
        assert_eq!(
            body,
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"uploadfile\"; filename=\"pipeline.yaml\"\r\nContent-Type: application/octet-stream\r\n\r\na: 1\n\r\n--{boundary}--\r\n")
        );
        // The boundary never occurs in the file, even a file made of boundaries.
        let content = format!("{boundary}\r\n--{boundary}--");
        let again = HttpRequest::multipart(url("https://h/u"), "f", "n", content.as_bytes());
        let b2 = again
            .headers
            .get("content-type")
            .unwrap()
            .rsplit('=')
            .next()
            .unwrap()
            .to_owned();
        assert!(!content.contains(&b2));
    }

    #[test]
    fn location_resolves_relative_and_absolute() {
        let mut resp = HttpResponse {
            url: url("http://h:8080/dex/auth?x=1"),
            status: 302,
            headers: Headers::new(),
            set_cookies: vec![],
            body: vec![],
        };
        resp.headers.set("Location", "/dex/auth/local?x=1");
        assert_eq!(
            resp.location().unwrap().as_str(),
            "http://h:8080/dex/auth/local?x=1"
        );
        resp.headers.set("location", "https://other/cb");
        assert_eq!(resp.location().unwrap().as_str(), "https://other/cb");
    }

    #[test]
    fn media_type_and_html_sniffing() {
        let mut resp = HttpResponse {
            url: url("http://h/"),
            status: 200,
            headers: Headers::new(),
            set_cookies: vec![],
            body: b"  <!DOCTYPE html><html></html>".to_vec(),
        };
        assert!(resp.is_html());
        resp.headers
            .set("Content-Type", "application/json; charset=utf-8");
        assert!(resp.is_json());
        assert!(!resp.is_html());
    }
}
