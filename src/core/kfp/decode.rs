//! Response decoding: status and content type first, JSON second.
//!
//! The answer to a KFP call may come from the API server, the KFP UI proxy, Istio, or the login
//! gateway (oauth2-proxy, authservice), so it may be JSON in one of three error shapes, a
//! redirect, an HTML page or plain text (`shared/kfp-api/REPORT.md` §1). [`decode_error`] is the
//! one place where a non-2xx answer becomes an [`Error`]; the decoders call it. Successful bodies
//! stay [`Value`]s as the server sent them (omitted zero values, int64 as strings, unknown
//! fields), except that [`decode_list`] adds the list KFP leaves out when it is empty.
//!
//! Messages quote at most a short, cleaned excerpt of the body, never an HTML page or invalid
//! JSON, and URLs go through [`redact_url`].

use serde_json::{Map, Value};

use crate::core::error::Error;
use crate::core::http::{redact_url, HttpResponse};

/// The longest message put into [`Error::Api`], in characters: a bound on memory only. The
/// message is cut to [`crate::core::error::SHOWN_MESSAGE`] at the border, after the client's
/// secrets were scrubbed from the whole text (a cut first would leave a secret's prefix).
const MAX_MESSAGE: usize = 4096;
/// The longest excerpt of a plain-text body, in characters.
const MAX_TEXT: usize = 200;
/// The longest HTML `<title>` quoted, in characters.
const MAX_TITLE: usize = 100;
/// How much of an HTML page is searched for its title.
const TITLE_SCAN: usize = 64 * 1024;

/// What a 2xx answer that is not JSON probably means.
const WRONG_PLACE_HINT: &str = "apiUrl may point at the wrong path (through the Kubeflow gateway it usually ends in /pipeline), or the gateway wants a login";

fn is_success(resp: &HttpResponse) -> bool {
    (200..300).contains(&resp.status)
}

fn unexpected(resp: &HttpResponse, what: String) -> Error {
    Error::UnexpectedResponse {
        status: resp.status,
        url: redact_url(&resp.url),
        what,
    }
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The JSON body of a 2xx answer; an empty body is `{}`. Other statuses go to [`decode_error`].
///
/// # Errors
/// - [`Error::Api`] or [`Error::UnexpectedResponse`] from [`decode_error`] for a non-2xx status.
/// - [`Error::UnexpectedResponse`] for a 2xx answer that is HTML, another non-JSON type, or
///   invalid JSON.
pub fn decode_json(resp: &HttpResponse) -> Result<Value, Error> {
    if !is_success(resp) {
        return Err(decode_error(resp));
    }
    if is_blank(&resp.body) {
        return Ok(Value::Object(Map::new()));
    }
    if resp.is_json() {
        return serde_json::from_slice(&resp.body).map_err(|e| {
            unexpected(
                resp,
                format!(
                    "invalid JSON ({e}, {} bytes) instead of a KFP answer",
                    resp.body.len()
                ),
            )
        });
    }
    if resp.media_type().is_empty() && !resp.is_html() {
        // No content type at all: accept JSON, describe anything else.
        if let Ok(value) = serde_json::from_slice::<Value>(&resp.body) {
            return Ok(value);
        }
    }
    Err(unexpected(
        resp,
        format!(
            "{} instead of a KFP answer: {WRONG_PLACE_HINT}",
            describe_body(resp)
        ),
    ))
}

/// Like [`decode_json`], then makes sure `key` holds an array: KFP omits empty lists, so an empty
/// page arrives as `{}` and leaves here as `{"<key>": []}`. Other fields (`total_size`,
/// `next_page_token`) are kept as sent.
///
/// # Errors
/// As [`decode_json`], and [`Error::UnexpectedResponse`] when the body is not an object or `key`
/// holds something other than an array or `null`.
pub fn decode_list(resp: &HttpResponse, key: &str) -> Result<Value, Error> {
    let mut value = decode_json(resp)?;
    let Value::Object(map) = &mut value else {
        return Err(unexpected(
            resp,
            "a JSON body that is not an object where a list answer was expected".into(),
        ));
    };
    match map.get(key) {
        Some(Value::Array(_)) => {}
        None | Some(Value::Null) => {
            map.insert(key.to_owned(), Value::Array(Vec::new()));
        }
        Some(_) => {
            return Err(unexpected(
                resp,
                format!("the field \"{key}\" of a list answer is not an array"),
            ));
        }
    }
    Ok(value)
}

/// The error for an answer that must be a JSON object (a single resource, a page) but is an
/// array, a string, a number or `null`.
pub fn not_an_object(resp: &HttpResponse) -> Error {
    unexpected(
        resp,
        "a JSON value that is not an object where a KFP object was expected".into(),
    )
}

/// The error for a page whose list field is not an array.
pub fn list_not_array(resp: &HttpResponse, key: &str) -> Error {
    unexpected(
        resp,
        format!("the field \"{key}\" of a list answer is not an array"),
    )
}

/// The error for a JSON answer that does not parse.
pub fn invalid_json(resp: &HttpResponse, bytes: u32) -> Error {
    unexpected(
        resp,
        format!("invalid JSON ({bytes} bytes) instead of a KFP answer"),
    )
}

/// For calls whose answer carries nothing (`DELETE`, `:archive`): a 2xx with `{}` or no body.
/// A JSON body with fields is accepted too (a newer server may add some).
///
/// # Errors
/// As [`decode_json`].
pub fn decode_empty(resp: &HttpResponse) -> Result<(), Error> {
    decode_json(resp).map(|_| ())
}

/// Turns an answer outside 2xx into an [`Error`].
///
/// - 3xx: [`Error::UnexpectedResponse`] naming the (redacted) redirect target.
/// - Otherwise [`Error::Api`] with the status, the redacted URL, the gRPC code if the body has
///   one, and a message from the body:
///   - grpc-gateway v1 `{"error", "code", "message", "details"}` and v2 `{"code", "message", "details"}`;
///   - KFP's HTTP handlers `{"error_message", "error_details"}`;
///   - oauth2-proxy's empty 401 → "the gateway requires a login";
///   - plain text such as Istio's `RBAC: access denied` or `Jwt is expired`, trimmed;
///   - HTML: only its title is quoted.
pub fn decode_error(resp: &HttpResponse) -> Error {
    if (300..400).contains(&resp.status) {
        let what = match resp.location() {
            Some(location) => format!(
                "a redirect to {} instead of a KFP answer; the gateway probably wants a login, or apiUrl points at the wrong place",
                redact_url(&location)
            ),
            None => "a redirect without a Location header instead of a KFP answer".to_owned(),
        };
        return unexpected(resp, what);
    }
    let (grpc_code, mut message) = error_details(resp);
    if message.is_empty() && resp.status == 401 {
        message = "the gateway requires a login".to_owned();
    }
    Error::Api {
        status: resp.status,
        url: redact_url(&resp.url),
        grpc_code,
        message: truncate(&message, MAX_MESSAGE),
    }
}

/// The gRPC code and the message of an error body.
fn error_details(resp: &HttpResponse) -> (Option<i64>, String) {
    if is_blank(&resp.body) {
        return (None, String::new());
    }
    if resp.is_html() {
        return (
            None,
            format!("{} instead of a KFP answer", html_description(&resp.body)),
        );
    }
    if let Some(map) = json_object(resp) {
        let code = map.get("code").and_then(|code| match code {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });
        let message = error_message(&map).map(clean_text).unwrap_or_default();
        return (code, message);
    }
    if resp.is_json() {
        return (
            None,
            format!(
                "an error body that is not a JSON object ({} bytes)",
                resp.body.len()
            ),
        );
    }
    match text_excerpt(&resp.body) {
        Some(text) => (None, text),
        None => (
            None,
            format!("{} instead of a KFP answer", describe_body(resp)),
        ),
    }
}

/// The body as a JSON object, when it is one (whatever the content type says, except HTML).
fn json_object(resp: &HttpResponse) -> Option<Map<String, Value>> {
    let start = resp.body.iter().position(|b| !b.is_ascii_whitespace())?;
    if resp.body.get(start) != Some(&b'{') {
        return None;
    }
    match serde_json::from_slice(&resp.body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// The first non-empty message field of the known error shapes.
fn error_message(map: &Map<String, Value>) -> Option<&str> {
    ["message", "error", "error_message", "error_details"]
        .iter()
        .filter_map(|key| map.get(*key).and_then(Value::as_str))
        .map(str::trim)
        .find(|m| !m.is_empty())
}

/// True when a 404 means "this API path does not exist on this server" rather than "this
/// resource does not exist"; used to tell a v1-line backend (no `/apis/v2beta1`) from a missing
/// experiment or run.
///
/// The heuristic: KFP reports a missing resource as a gRPC error whose message names it
/// (`{"code": 5, "message": "... ResourceNotFoundError: Experiment 123 not found."}`). Anything
/// else is an unknown route: grpc-gateway's `{"error": "Not Found", "code": 5, "message": "Not Found"}`
/// (v1) or `{"code": 5, "message": "Not Found"}` (v2), Go's plain-text `404 page not found`, an
/// empty body, an HTML page, or a JSON body without a message.
pub fn is_not_found_route(resp: &HttpResponse) -> bool {
    if resp.status != 404 {
        return false;
    }
    if resp.is_html() {
        return true;
    }
    let Some(map) = json_object(resp) else {
        return true;
    };
    match error_message(&map) {
        None => true,
        Some(message) => {
            let message = message.trim_end_matches(['.', '\n']).to_ascii_lowercase();
            matches!(
                message.as_str(),
                "not found" | "404 page not found" | "page not found" | "404 not found"
            )
        }
    }
}

/// A short description of a body for messages: never the body itself unless it is short text.
fn describe_body(resp: &HttpResponse) -> String {
    let media = resp.media_type();
    if is_blank(&resp.body) {
        return "an empty body".to_owned();
    }
    if resp.is_html() {
        return html_description(&resp.body);
    }
    let kind = if media.is_empty() {
        "a body without a content type".to_owned()
    } else {
        format!("a {media} body")
    };
    match text_excerpt(&resp.body) {
        Some(text) if media.starts_with("text/") || media.is_empty() => {
            format!("{kind} (\"{text}\")")
        }
        _ => format!("{kind} of {} bytes", resp.body.len()),
    }
}

/// `an HTML page (title: "…")`, or without the title when there is none.
fn html_description(body: &[u8]) -> String {
    match html_title(body) {
        Some(title) => format!("an HTML page (title: \"{title}\")"),
        None => "an HTML page".to_owned(),
    }
}

/// The text of the first `<title>` in the first [`TITLE_SCAN`] bytes, cleaned and shortened.
fn html_title(body: &[u8]) -> Option<String> {
    let head = body.get(..body.len().min(TITLE_SCAN)).unwrap_or(body);
    let text = String::from_utf8_lossy(head);
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` are valid in `text`.
    let lower = text.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let content_start = open + lower.get(open..)?.find('>')? + 1;
    let content_end = content_start + lower.get(content_start..)?.find("</title")?;
    let raw = text.get(content_start..content_end)?;
    let decoded = raw
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let title = truncate(&clean_text(&decoded), MAX_TITLE);
    (!title.is_empty()).then_some(title)
}

/// A cleaned excerpt of a text body, or `None` when the body looks binary.
fn text_excerpt(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(
        body.get(..body.len().min(4 * MAX_TEXT + 64))
            .unwrap_or(body),
    );
    let suspicious = text
        .chars()
        .filter(|c| *c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()))
        .count();
    // A cut UTF-8 sequence at the end yields at most one replacement character.
    if suspicious > 1 || body.contains(&0) {
        return None;
    }
    let cleaned = clean_text(&text);
    if cleaned.is_empty() {
        return None;
    }
    Some(truncate(&cleaned, MAX_TEXT))
}

/// Whitespace and control characters collapsed to single spaces, trimmed.
fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4 * MAX_MESSAGE));
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// At most `max` characters, the last one `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Headers;
    use serde_json::json;
    use url::Url;

    fn resp(status: u16, content_type: Option<&str>, body: &[u8]) -> HttpResponse {
        let mut headers = Headers::new();
        if let Some(ct) = content_type {
            headers.set("content-type", ct);
        }
        HttpResponse {
            url: Url::parse("https://kf.example.com/pipeline/apis/v2beta1/experiments?page_token=SECRET&namespace=ns")
                .unwrap(),
            status,
            headers,
            set_cookies: Vec::new(),
            body: body.to_vec(),
        }
    }

    fn json_resp(status: u16, body: &str) -> HttpResponse {
        resp(status, Some("application/json"), body.as_bytes())
    }

    fn api(err: Error) -> (u16, String, Option<i64>, String) {
        match err {
            Error::Api {
                status,
                url,
                grpc_code,
                message,
            } => (status, url, grpc_code, message),
            other => panic!("not Api: {other:?}"),
        }
    }

    fn what(err: Error) -> String {
        match err {
            Error::UnexpectedResponse { what, url, .. } => {
                assert!(!url.contains("SECRET"), "{url}");
                what
            }
            other => panic!("not UnexpectedResponse: {other:?}"),
        }
    }

    #[test]
    fn json_ok_is_kept_as_sent() {
        let body = r#"{"experiment_id":"e1","created_at":"2024-01-01T00:00:00Z","new_field":{"x":"9007199254740993"}}"#;
        let value = decode_json(&resp(
            200,
            Some("application/json; charset=utf-8"),
            body.as_bytes(),
        ))
        .unwrap();
        assert_eq!(value, serde_json::from_str::<Value>(body).unwrap());
    }

    #[test]
    fn empty_body_is_empty_object() {
        assert_eq!(decode_json(&resp(200, None, b"")).unwrap(), json!({}));
        assert_eq!(
            decode_json(&resp(204, Some("text/plain"), b" \n")).unwrap(),
            json!({})
        );
        decode_empty(&json_resp(200, "{}")).unwrap();
        decode_empty(&resp(200, None, b"")).unwrap();
        decode_empty(&json_resp(200, r#"{"extra":1}"#)).unwrap();
    }

    #[test]
    fn json_without_content_type_is_accepted() {
        assert_eq!(
            decode_json(&resp(200, None, b"{\"a\":1}")).unwrap(),
            json!({"a": 1})
        );
    }

    #[test]
    fn empty_list_gets_its_array() {
        assert_eq!(
            decode_list(&json_resp(200, "{}"), "experiments").unwrap(),
            json!({"experiments": []})
        );
        assert_eq!(
            decode_list(
                &json_resp(200, r#"{"experiments":null,"total_size":0}"#),
                "experiments"
            )
            .unwrap(),
            json!({"experiments": [], "total_size": 0})
        );
        let full =
            r#"{"experiments":[{"experiment_id":"e"}],"total_size":1,"next_page_token":"t"}"#;
        assert_eq!(
            decode_list(&json_resp(200, full), "experiments").unwrap(),
            serde_json::from_str::<Value>(full).unwrap()
        );
    }

    #[test]
    fn list_of_wrong_shape() {
        assert!(what(
            decode_list(&json_resp(200, r#"{"experiments":{}}"#), "experiments").unwrap_err()
        )
        .contains("\"experiments\""));
        what(decode_list(&json_resp(200, "[1]"), "experiments").unwrap_err());
    }

    #[test]
    fn html_200_names_the_title_not_the_page() {
        let page = b"<!DOCTYPE html><html><head><TITLE>\n  Sign in &amp; continue </title></head><body>secret-ish markup</body></html>";
        let w = what(decode_json(&resp(200, Some("text/html; charset=utf-8"), page)).unwrap_err());
        assert!(
            w.contains("an HTML page (title: \"Sign in & continue\")"),
            "{w}"
        );
        assert!(w.contains("apiUrl"), "{w}");
        assert!(!w.contains("markup"), "{w}");
        // Without a content type, sniffed.
        let w = what(decode_json(&resp(200, None, b"<html><body>x</body></html>")).unwrap_err());
        assert!(w.starts_with("an HTML page instead"), "{w}");
    }

    #[test]
    fn other_non_json_200() {
        let w = what(decode_json(&resp(200, Some("text/plain"), b"hello")).unwrap_err());
        assert!(w.contains("text/plain") && w.contains("hello"), "{w}");
        let w = what(
            decode_json(&resp(200, Some("application/octet-stream"), &[1, 2, 3])).unwrap_err(),
        );
        assert!(
            w.contains("application/octet-stream body of 3 bytes"),
            "{w}"
        );
        let w = what(decode_json(&resp(200, None, b"not json")).unwrap_err());
        assert!(w.contains("without a content type"), "{w}");
    }

    #[test]
    fn invalid_json_does_not_quote_the_body() {
        let w = what(decode_json(&json_resp(200, "{\"token\": \"abc123\"")).unwrap_err());
        assert!(w.starts_with("invalid JSON"), "{w}");
        assert!(!w.contains("abc123"), "{w}");
    }

    #[test]
    fn redirect() {
        let mut r = resp(302, Some("text/html"), b"<a href=...>Found</a>");
        r.headers
            .set("location", "/oauth2/start?rd=%2Fpipeline&state=XYZ");
        let err = decode_json(&r).unwrap_err();
        assert_eq!(err.status(), Some(302));
        let w = what(err);
        assert!(
            w.starts_with("a redirect to https://kf.example.com/oauth2/start?"),
            "{w}"
        );
        assert!(w.contains("instead of a KFP answer"), "{w}");
        assert!(!w.contains("XYZ"), "{w}");
        let w = what(decode_error(&resp(307, None, b"")));
        assert!(w.contains("without a Location"), "{w}");
    }

    #[test]
    fn grpc_gateway_v1_error() {
        let body = r#"{"error":"Failed to get experiment: ResourceNotFoundError: Experiment e1 not found.","code":5,"message":"Failed to get experiment: ResourceNotFoundError: Experiment e1 not found.","details":[{"@type":"type.googleapis.com/google.rpc.Status"}]}"#;
        let (status, url, code, message) = api(decode_json(&json_resp(404, body)).unwrap_err());
        assert_eq!(status, 404);
        assert_eq!(code, Some(5));
        assert_eq!(
            message,
            "Failed to get experiment: ResourceNotFoundError: Experiment e1 not found."
        );
        assert!(!url.contains("SECRET") && url.contains("redacted"), "{url}");
    }

    #[test]
    fn grpc_gateway_v2_error() {
        let body = r#"{"code":3,"message":"Invalid input error: page size must be non-negative","details":[]}"#;
        let (status, _, code, message) = api(decode_error(&json_resp(400, body)));
        assert_eq!((status, code), (400, Some(3)));
        assert_eq!(
            message,
            "Invalid input error: page size must be non-negative"
        );
        // A code sent as a string.
        let (_, _, code, _) = api(decode_error(&json_resp(
            409,
            r#"{"code":"6","message":"exists"}"#,
        )));
        assert_eq!(code, Some(6));
    }

    #[test]
    fn http_handler_error() {
        let body = r#"{"error_message":"Failed to upload pipeline: already exists","error_details":"Failed to upload pipeline: already exists: internal detail"}"#;
        let (status, _, code, message) = api(decode_error(&json_resp(409, body)));
        assert_eq!((status, code), (409, None));
        assert_eq!(message, "Failed to upload pipeline: already exists");
        let (_, _, _, message) = api(decode_error(&json_resp(
            500,
            r#"{"error_details":"only details"}"#,
        )));
        assert_eq!(message, "only details");
    }

    #[test]
    fn oauth2_proxy_empty_401() {
        for r in [json_resp(401, "{}"), resp(401, None, b"")] {
            let err = decode_error(&r);
            assert!(
                err.to_string().contains("the gateway requires a login"),
                "{err}"
            );
            assert_eq!(api(err).3, "the gateway requires a login");
        }
        // Another status with an empty body keeps an empty message.
        assert_eq!(api(decode_error(&json_resp(500, "{}"))).3, "");
    }

    #[test]
    fn istio_plain_text() {
        let (status, _, code, message) = api(decode_error(&resp(
            403,
            Some("text/plain"),
            b"RBAC: access denied\n",
        )));
        assert_eq!(
            (status, code, message.as_str()),
            (403, None, "RBAC: access denied")
        );
        let (_, _, _, message) = api(decode_error(&resp(
            401,
            Some("text/plain"),
            b"  Jwt is expired ",
        )));
        assert_eq!(message, "Jwt is expired");
        let long = "x".repeat(1000);
        let (_, _, _, message) = api(decode_error(&resp(
            503,
            Some("text/plain"),
            long.as_bytes(),
        )));
        assert_eq!(message.chars().count(), MAX_TEXT);
        assert!(message.ends_with('…'));
    }

    #[test]
    fn html_error_page() {
        let page = b"<html><head><title>502 Bad Gateway</title></head><body><center>nginx internals</center></body></html>";
        let (status, _, _, message) = api(decode_error(&resp(502, Some("text/html"), page)));
        assert_eq!(status, 502);
        assert_eq!(
            message,
            "an HTML page (title: \"502 Bad Gateway\") instead of a KFP answer"
        );
        let (_, _, _, message) = api(decode_error(&resp(
            403,
            Some("text/html"),
            b"<html><body>no</body></html>",
        )));
        assert_eq!(message, "an HTML page instead of a KFP answer");
    }

    #[test]
    fn long_json_message_is_capped() {
        let body = json!({"code": 13, "message": "e".repeat(5000)}).to_string();
        let (_, _, code, message) = api(decode_error(&json_resp(500, &body)));
        assert_eq!(code, Some(13));
        assert_eq!(message.chars().count(), MAX_MESSAGE);
    }

    #[test]
    fn odd_json_error_bodies() {
        let (_, _, _, message) = api(decode_error(&json_resp(500, "[1,2]")));
        assert!(message.contains("not a JSON object"), "{message}");
        let (_, _, code, message) = api(decode_error(&json_resp(
            400,
            r#"{"code":{"x":1},"message":7}"#,
        )));
        assert_eq!((code, message.as_str()), (None, ""));
        let (_, _, _, message) = api(decode_error(&json_resp(500, "{broken")));
        assert!(message.contains("not a JSON object"), "{message}");
    }

    #[test]
    fn not_found_route_heuristic() {
        // Unknown routes.
        assert!(is_not_found_route(&json_resp(
            404,
            r#"{"error":"Not Found","code":5,"message":"Not Found"}"#
        )));
        assert!(is_not_found_route(&json_resp(
            404,
            r#"{"code":5,"message":"Not Found","details":[]}"#
        )));
        assert!(is_not_found_route(&resp(
            404,
            Some("text/plain; charset=utf-8"),
            b"404 page not found\n"
        )));
        assert!(is_not_found_route(&resp(
            404,
            Some("text/plain"),
            b"Not Found"
        )));
        assert!(is_not_found_route(&resp(404, None, b"")));
        assert!(is_not_found_route(&json_resp(404, "{}")));
        assert!(is_not_found_route(&resp(
            404,
            Some("text/html"),
            b"<html><title>404</title></html>"
        )));
        // A missing resource.
        assert!(!is_not_found_route(&json_resp(
            404,
            r#"{"error":"Failed to get experiment: ResourceNotFoundError: Experiment e1 not found.","code":5,"message":"Failed to get experiment: ResourceNotFoundError: Experiment e1 not found."}"#
        )));
        assert!(!is_not_found_route(&json_resp(
            404,
            r#"{"code":5,"message":"Run r1 not found"}"#
        )));
        // Not a 404 at all.
        assert!(!is_not_found_route(&json_resp(
            400,
            r#"{"code":5,"message":"Not Found"}"#
        )));
        assert!(!is_not_found_route(&resp(200, None, b"")));
    }

    #[test]
    fn random_and_big_bodies_never_panic() {
        // A small xorshift generator: deterministic, no extra crate.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let statuses = [200, 204, 301, 302, 400, 401, 403, 404, 500, 502];
        let types = [
            None,
            Some("application/json"),
            Some("text/html"),
            Some("text/plain"),
            Some("image/png"),
        ];
        for round in 0..200 {
            let len = usize::try_from(next() % 3000).unwrap();
            let mut body: Vec<u8> = (0..len).map(|_| next().to_le_bytes()[0]).collect();
            if round % 5 == 0 {
                body.splice(0..0, b"<html><title>".iter().copied());
            }
            if round % 7 == 0 {
                body.splice(0..0, b"{\"message\":\"".iter().copied());
            }
            let status = statuses[round % statuses.len()];
            let r = resp(status, types[round % types.len()], &body);
            let _ = decode_json(&r);
            let _ = decode_list(&r, "runs");
            let _ = decode_empty(&r);
            let err = decode_error(&r);
            assert!(err.to_string().chars().count() < 1000, "{err}");
            let _ = is_not_found_route(&r);
        }
        // Large and deeply nested bodies.
        let big = format!("{{\"message\":\"{}\"}}", "é".repeat(2_000_000));
        let (_, _, _, message) = api(decode_error(&json_resp(500, &big)));
        assert_eq!(message.chars().count(), MAX_MESSAGE);
        let deep = "[".repeat(100_000);
        what(decode_json(&json_resp(200, &deep)).unwrap_err());
        let _ = decode_error(&json_resp(500, &format!("{{\"a\":{deep}")));
        let _ = html_title(format!("<title>{}", "€".repeat(40_000)).as_bytes());
        assert_eq!(
            html_title("<title>é</title>".as_bytes()).as_deref(),
            Some("é")
        );
    }
}
