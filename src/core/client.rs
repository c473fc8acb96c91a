//! What happens around every API call, without I/O: which headers and cookies go out, which
//! `Set-Cookie` headers are kept, and whether an answer means "the session is gone".
//!
//! The binding's async client is a short loop over these functions: build the request
//! ([`crate::core::kfp`]), [`CallContext::prepare`] it, send it, [`CallContext::absorb`] the
//! response, ask [`session_lost`], and decode.

use crate::core::cookies::CookieJar;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::kfp::{is_not_found_route, ApiVersion};
use crate::core::login::{is_login_url, pages};
use crate::core::secret::Secret;

/// The per-client state the calls share.
#[derive(Debug, Default)]
pub struct CallContext {
    /// The session cookies (from the login, or imported for `cookies` auth).
    pub jar: CookieJar,
    /// Bumped by every successful login: a call that saw generation `g` fail knows whether a
    /// newer session exists already.
    pub generation: u64,
    /// The API version in use: fixed by the caller, or detected on the first call.
    pub version: Option<ApiVersion>,
    /// Extra static headers from the options (validated there).
    pub headers: Vec<(String, String)>,
}

impl CallContext {
    /// Adds the extra headers, the matching cookies, and the bearer token if any.
    ///
    /// A request carries either cookies or an `Authorization` header, never both: Kubeflow ≥ 1.9.1
    /// sends any request with an `Authorization` header past oauth2-proxy to Istio's JWT check,
    /// which answers "RBAC: access denied" (`research/dex-login-flows.md` §2.7).
    pub fn prepare(&self, mut req: HttpRequest, bearer: Option<&Secret>) -> HttpRequest {
        for (name, value) in &self.headers {
            req.headers.set(name, value.as_str());
        }
        match bearer {
            Some(token) => req.headers.set("authorization", format!("Bearer {}", token.expose())),
            None => {
                if let Some(cookie) = self.jar.header_for(&req.url) {
                    req.headers.set("cookie", cookie);
                }
            }
        }
        req
    }

    /// Keeps every `Set-Cookie` of an API response: oauth2-proxy refreshes sessions there
    /// (deployKF's `cookie_refresh`, §2.6), and a client that drops them loses the session.
    pub fn absorb(&mut self, resp: &HttpResponse) {
        let _refused = self.jar.store(&resp.url, &resp.set_cookies);
    }

    /// Replaces the session after a (re-)login.
    pub fn install_session(&mut self, jar: CookieJar) {
        self.jar = jar;
        self.generation += 1;
    }
}

/// True when an API answer means the session is missing or expired (§5, §7 step 10): a 401
/// (oauth2-proxy's `{}`, Istio's "Jwt is expired", KFP's empty identity), a redirect towards a
/// login, or a login page where JSON was expected.
pub fn session_lost(resp: &HttpResponse) -> bool {
    if resp.status == 401 {
        return true;
    }
    if resp.is_redirect() {
        return resp.location().is_some_and(|target| is_login_url(&target));
    }
    if (resp.status == 403 || (200..300).contains(&resp.status)) && resp.is_html() {
        let html = resp.text();
        return pages::sign_in_form(&html).is_some() || pages::password_form(&html).is_some();
    }
    false
}

/// In `apiVersion: "auto"` mode, whether a v2beta1 answer shows that the server has no v2beta1
/// API (a KFP 1.x backend, or deployKF ≤ 0.1.4's `2.0.0-alpha.7`): the route is unknown (404),
/// or the UI's single-page fallback served HTML.
pub fn lacks_v2beta1(resp: &HttpResponse) -> bool {
    if resp.status == 404 {
        return is_not_found_route(resp);
    }
    (200..300).contains(&resp.status) && resp.is_html()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Headers;
    use url::Url;

    fn resp(status: u16, content_type: &str, location: Option<&str>, body: &str) -> HttpResponse {
        let mut headers = Headers::new();
        headers.set("content-type", content_type);
        if let Some(l) = location {
            headers.set("location", l);
        }
        HttpResponse {
            url: Url::parse("https://gw.example/pipeline/apis/v2beta1/experiments?namespace=a").unwrap(),
            status,
            headers,
            set_cookies: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn recognises_lost_sessions() {
        assert!(session_lost(&resp(401, "application/json", None, "{}")));
        assert!(session_lost(&resp(401, "text/plain", None, "Jwt is expired")));
        assert!(session_lost(&resp(302, "text/html", Some("/dex/auth?client_id=x&state=y"), "")));
        assert!(session_lost(&resp(302, "text/html", Some("https://gw.example/oauth2/start?rd=%2F"), "")));
        assert!(session_lost(&resp(302, "text/html", Some("/dex/auth/local/login?back=&state=x"), "")));
        assert!(session_lost(&resp(403, "text/html", None, "<form method=\"GET\" action=\"/oauth2/start\"><input type=hidden name=rd value=/></form>")));
    }

    #[test]
    fn keeps_real_api_errors() {
        assert!(!session_lost(&resp(403, "application/json", None, r#"{"error":"User 'u' is not authorized","code":7}"#)));
        assert!(!session_lost(&resp(403, "text/plain", None, "RBAC: access denied")));
        assert!(!session_lost(&resp(404, "application/json", None, r#"{"code":5,"message":"not found"}"#)));
        assert!(!session_lost(&resp(301, "text/html", Some("https://gw.example/pipeline/apis/v2beta1/experiments"), "")));
        assert!(!session_lost(&resp(200, "application/json", None, "{}")));
    }

    #[test]
    fn never_sends_cookies_with_a_bearer_token() {
        let mut ctx = CallContext::default();
        let url = Url::parse("https://gw.example/pipeline/apis/v2beta1/healthz").unwrap();
        ctx.jar.store(&url, &["s=1; Path=/".to_owned()]);
        ctx.headers.push(("x-extra".into(), "1".into()));
        let with_cookie = ctx.prepare(HttpRequest::get(url.clone()), None);
        assert_eq!(with_cookie.headers.get("cookie"), Some("s=1"));
        assert!(!with_cookie.headers.contains("authorization"));
        let with_token = ctx.prepare(HttpRequest::get(url), Some(&Secret::new("tok")));
        assert_eq!(with_token.headers.get("authorization"), Some("Bearer tok"));
        assert!(!with_token.headers.contains("cookie"));
        assert_eq!(with_token.headers.get("x-extra"), Some("1"));
    }

    #[test]
    fn api_responses_refresh_cookies_and_logins_bump_the_generation() {
        let mut ctx = CallContext::default();
        let mut r = resp(200, "application/json", None, "{}");
        r.set_cookies.push("_deploykf_token=new; Path=/; HttpOnly".into());
        ctx.absorb(&r);
        assert_eq!(ctx.jar.header_for(&r.url).as_deref(), Some("_deploykf_token=new"));
        ctx.install_session(CookieJar::new());
        assert_eq!(ctx.generation, 1);
        assert!(ctx.jar.is_empty());
    }

    #[test]
    fn detects_a_server_without_v2beta1() {
        assert!(lacks_v2beta1(&resp(404, "text/plain", None, "404 page not found")));
        assert!(lacks_v2beta1(&resp(200, "text/html", None, "<!doctype html><html>KFP</html>")));
        assert!(!lacks_v2beta1(&resp(404, "application/json", None, r#"{"error":"Failed to get experiment: ResourceNotFoundError: Experiment abc not found.","code":5,"message":"Failed to get experiment: ResourceNotFoundError: Experiment abc not found."}"#)));
        assert!(!lacks_v2beta1(&resp(200, "application/json", None, "{}")));
    }
}
