//! One test per sequence of `research/dex-login-flows.md` §6, fed by hand-written responses.
//! Each hop checks the request the flow made (method, URL, cookies, body) before answering.

#[cfg(test)] // the whole file is test code (included by `#[cfg(test)] mod tests;`)
use super::*;
use crate::core::error::ErrorCode;
use crate::core::http::Headers;

const ID: &str = "k7ctyvhvbd3nhhsxpx3h3n5za";
const H43: &str = "Q2hlY2sgdGhhdCB0aGlzIGlzIDQzIGNoYXJhY3Rlcn";

struct Hop {
    method: Method,
    /// The full URL the flow must request.
    url: String,
    /// Cookie names the request must carry (and no others).
    cookies: Vec<&'static str>,
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    content_type: &'static str,
    body: String,
}

fn hop(method: Method, url: impl Into<String>, status: u16) -> Hop {
    Hop {
        method,
        url: url.into(),
        cookies: vec![],
        status,
        location: None,
        set_cookies: vec![],
        content_type: "text/html; charset=utf-8",
        body: String::new(),
    }
}

impl Hop {
    fn to(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }
    fn sets(mut self, cookie: impl Into<String>) -> Self {
        self.set_cookies.push(cookie.into());
        self
    }
    fn sends(mut self, names: &[&'static str]) -> Self {
        self.cookies = names.to_vec();
        self
    }
    fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }
    fn json(mut self, body: &str) -> Self {
        self.content_type = "application/json";
        self.body = body.to_owned();
        self
    }
}

fn config(start: &str, user: &str, password: &str, connector: &str) -> LoginConfig {
    LoginConfig {
        start_url: Url::parse(start).unwrap(),
        username: user.to_owned(),
        password: Secret::new(password),
        connector: connector.to_owned(),
    }
}

/// Runs the flow through `hops`; returns the final outcome and the password POST bodies seen.
fn run(cfg: LoginConfig, hops: Vec<Hop>) -> (Result<Step>, Vec<String>) {
    let mut flow = LoginFlow::new(cfg);
    let mut req = flow.start();
    let mut posts = Vec::new();
    let count = hops.len();
    for (i, h) in hops.into_iter().enumerate() {
        assert_eq!(req.method, h.method, "hop {}: method of {}", i + 1, req.url);
        assert_eq!(req.url.as_str(), h.url, "hop {}", i + 1);
        let mut sent: Vec<String> = req
            .headers
            .get("cookie")
            .map(|c| {
                c.split("; ")
                    .map(|p| p.split('=').next().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        sent.sort();
        let mut want: Vec<String> = h.cookies.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(sent, want, "hop {}: cookies sent to {}", i + 1, req.url);
        assert!(
            !req.headers.contains("authorization"),
            "never an Authorization header"
        );
        if req.method == Method::Post {
            posts.push(String::from_utf8(req.body.clone().unwrap()).unwrap());
        }
        let mut headers = Headers::new();
        headers.set("content-type", h.content_type);
        if let Some(loc) = &h.location {
            headers.set("location", loc.as_str());
        }
        let resp = HttpResponse {
            url: req.url.clone(),
            status: h.status,
            headers,
            set_cookies: h.set_cookies,
            body: h.body.into_bytes(),
        };
        let step = flow.handle_response(resp);
        if i + 1 == count {
            return (step, posts);
        }
        match step {
            Ok(Step::Send(next)) => req = next,
            other => panic!("hop {}: expected another request, got {other:?}", i + 1),
        }
    }
    panic!("no hops")
}

fn session(result: Result<Step>) -> Session {
    match result {
        Ok(Step::Done(s)) => s,
        other => panic!("expected a session, got {other:?}"),
    }
}

fn error(result: Result<Step>) -> Error {
    match result {
        Err(e) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

fn login_page(action: &str, prompt: &str, error: bool) -> String {
    let err = if error {
        format!(
            "<div id=\"login-error\" class=\"dex-error-box\">Invalid {prompt} and password.</div>"
        )
    } else {
        String::new()
    };
    format!(
        "<html><head><title>dex</title></head><body><div class=\"theme-panel\"><h2>Log in to Your Account</h2>\
         <form method=\"post\" action=\"{}\">{err}<label for=\"userid\">{prompt}</label>\
         <input required id=\"login\" name=\"login\" type=\"text\"/>\
         <input required id=\"password\" name=\"password\" type=\"password\"/>\
         <button type=\"submit\">Login</button></form></div></body></html>",
        action.replace('&', "&amp;")
    )
}

fn approval_page(req: &str) -> String {
    format!(
        "<h2>Grant Access</h2><form method=\"post\"><input type=\"hidden\" name=\"req\" value=\"{req}\"/>\
         <input type=\"hidden\" name=\"approval\" value=\"approve\"><button type=\"submit\">Grant Access</button></form>\
         <form method=\"post\"><input type=\"hidden\" name=\"req\" value=\"{req}\"/>\
         <input type=\"hidden\" name=\"approval\" value=\"rejected\"><button type=\"submit\">Cancel</button></form>"
    )
}

const SIGN_IN: &str = "<!DOCTYPE html><html><head><title>Sign In</title></head><body>\
    <form method=\"GET\" action=\"/oauth2/start\"><input type=\"hidden\" name=\"rd\" value=\"/pipeline\">\
    <button type=\"submit\">Sign in with Dex</button></form></body></html>";

fn deploykf_query(host: &str, prompt: &str) -> String {
    format!(
        "client_id=oauth2-proxy&code_challenge={H43}&code_challenge_method=S256&nonce={H43}&{prompt}\
         &redirect_uri=https%3A%2F%2F{host}%2Foauth2%2Fcallback&response_type=code\
         &scope=openid+email+groups+profile+offline_access&state={H43}%3A%2Fpipeline"
    )
}

/// §6 (a): deployKF 0.1.5 over https, one `local` connector, sign-in page off.
#[test]
fn deploykf_0_1_5() {
    let h = "deploykf.example.com:8443";
    let q = deploykf_query(h, "prompt=none");
    let csrf = "__Secure-_deploykf_token_csrf_Q2hlY2sg";
    let (result, posts) = run(
        config(&format!("https://{h}/pipeline"), "user1@example.com", "user1", "local"),
        vec![
            hop(Method::Get, format!("https://{h}/pipeline"), 302)
                .to(format!("https://{h}/dex/auth?{q}"))
                .sets(format!("{csrf}=eyJhIjoxfQ==|1700000000|c2ln; Path=/; Expires=Wed, 01 Jan 2100 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax")),
            hop(Method::Get, format!("https://{h}/dex/auth?{q}&connector_id=local"), 302)
                .sends(&[csrf])
                .to(format!("/dex/auth/local?{q}"))
                .body("<html>Log in to dex ... (Dex appends the selection page to its 302)</html>"),
            hop(Method::Get, format!("https://{h}/dex/auth/local?{q}"), 302)
                .sends(&[csrf])
                .to(format!("/dex/auth/local/login?back=&state={ID}")),
            hop(Method::Get, format!("https://{h}/dex/auth/local/login?back=&state={ID}"), 200)
                .sends(&[csrf])
                .body(login_page(&format!("/dex/auth/local/login?back=&state={ID}"), "Email Address", false)),
            hop(Method::Post, format!("https://{h}/dex/auth/local/login?back=&state={ID}"), 303)
                .sends(&[csrf])
                .to(format!("https://{h}/oauth2/callback?code={ID}&state={H43}%3A%2Fpipeline")),
            hop(Method::Get, format!("https://{h}/oauth2/callback?code={ID}&state={H43}%3A%2Fpipeline"), 302)
                .sends(&[csrf])
                .to("/pipeline")
                .sets(format!("{csrf}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"))
                .sets("__Secure-_deploykf_token=c2Vzc2lvbg==|1700000000|c2ln; Path=/; Expires=Wed, 01 Jan 2100 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"),
        ],
    );
    assert_eq!(
        posts,
        vec!["login=user1%40example.com&password=user1".to_owned()]
    );
    let s = session(result);
    assert!(s.authenticated);
    assert_eq!(s.exchanges, 6);
    let api = Url::parse(&format!("https://{h}/pipeline/apis/v2beta1/experiments")).unwrap();
    assert_eq!(
        s.jar.names_for(&api),
        vec!["__Secure-_deploykf_token".to_owned()]
    );
}

/// §6 (a), deployKF 0.1.0–0.1.4: no prompt, so Dex 2.37 redirects through `/dex/approval`
/// (skipped, 303) before the callback; split `_0`/`_1` session cookies.
#[test]
fn deploykf_0_1_4_approval_redirect_and_split_cookies() {
    let h = "127.0.0.1:8443";
    let q = deploykf_query(h, "approval_prompt=force");
    let csrf = "__Secure-_deploykf_token_csrf_Q2hlY2sg";
    let approval = format!("/dex/approval?req={ID}&hmac={H43}");
    let (result, _) = run(
        config(
            &format!("https://{h}/pipeline"),
            "user1@example.com",
            "user1",
            "local",
        ),
        vec![
            hop(Method::Get, format!("https://{h}/pipeline"), 302)
                .to(format!("https://{h}/dex/auth?{q}"))
                .sets(format!("{csrf}=v; Path=/; HttpOnly; Secure; SameSite=Lax")),
            hop(
                Method::Get,
                format!("https://{h}/dex/auth?{q}&connector_id=local"),
                302,
            )
            .sends(&[csrf])
            .to(format!("/dex/auth/local?{q}")),
            hop(Method::Get, format!("https://{h}/dex/auth/local?{q}"), 302)
                .sends(&[csrf])
                .to(format!("/dex/auth/local/login?back=&state={ID}")),
            hop(
                Method::Get,
                format!("https://{h}/dex/auth/local/login?back=&state={ID}"),
                200,
            )
            .sends(&[csrf])
            .body(login_page(
                &format!("/dex/auth/local/login?back=&state={ID}"),
                "Email Address",
                false,
            )),
            hop(
                Method::Post,
                format!("https://{h}/dex/auth/local/login?back=&state={ID}"),
                303,
            )
            .sends(&[csrf])
            .to(approval.clone()),
            hop(Method::Get, format!("https://{h}{approval}"), 303)
                .sends(&[csrf])
                .to(format!("https://{h}/oauth2/callback?code={ID}&state=s")),
            hop(
                Method::Get,
                format!("https://{h}/oauth2/callback?code={ID}&state=s"),
                302,
            )
            .sends(&[csrf])
            .to("/pipeline")
            .sets(format!(
                "{csrf}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax"
            ))
            .sets(format!(
                "__Secure-_deploykf_token_0={}; Path=/; HttpOnly; Secure",
                "a".repeat(4000)
            ))
            .sets("__Secure-_deploykf_token_1=bbbb; Path=/; HttpOnly; Secure"),
        ],
    );
    let s = session(result);
    let mut names = s
        .jar
        .names_for(&Url::parse(&format!("https://{h}/pipeline/apis")).unwrap());
    names.sort();
    assert_eq!(
        names,
        ["__Secure-_deploykf_token_0", "__Secure-_deploykf_token_1"]
    );
}

/// §6 (b): Kubeflow 1.9.1–1.11: the 403 sign-in page, `/oauth2/start`, relative URLs.
#[test]
fn kubeflow_1_9_1_sign_in_page() {
    let o = "http://localhost:8080";
    let q = format!("client_id=kubeflow-oidc-authservice&code_challenge={H43}&code_challenge_method=S256&prompt=none&redirect_uri=%2Foauth2%2Fcallback&response_type=code&scope=profile+email+groups+openid&state={H43}%3A%2Fpipeline");
    let (result, posts) = run(
        config(&format!("{o}/pipeline"), "user@example.com", "12341234", "local"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 403).body(SIGN_IN),
            hop(Method::Get, format!("{o}/oauth2/start?rd=%2Fpipeline"), 302)
                .to(format!("/dex/auth?{q}"))
                .sets("oauth2_proxy_kubeflow_csrf=abc|1|sig; Path=/; Expires=Wed, 01 Jan 2100 00:00:00 GMT; HttpOnly"),
            hop(Method::Get, format!("{o}/dex/auth?{q}&connector_id=local"), 302)
                .sends(&["oauth2_proxy_kubeflow_csrf"])
                .to(format!("/dex/auth/local?{q}")),
            hop(Method::Get, format!("{o}/dex/auth/local?{q}"), 302).sends(&["oauth2_proxy_kubeflow_csrf"]).to(format!("/dex/auth/local/login?back=&state={ID}")),
            hop(Method::Get, format!("{o}/dex/auth/local/login?back=&state={ID}"), 200)
                .sends(&["oauth2_proxy_kubeflow_csrf"])
                .body(login_page(&format!("/dex/auth/local/login?back=&state={ID}"), "Email Address", false)),
            hop(Method::Post, format!("{o}/dex/auth/local/login?back=&state={ID}"), 303)
                .sends(&["oauth2_proxy_kubeflow_csrf"])
                .to(format!("/oauth2/callback?code={ID}&state={H43}%3A%2Fpipeline")),
            hop(Method::Get, format!("{o}/oauth2/callback?code={ID}&state={H43}%3A%2Fpipeline"), 302)
                .sends(&["oauth2_proxy_kubeflow_csrf"])
                .to("/pipeline")
                .sets("oauth2_proxy_kubeflow_csrf=; Path=/; Max-Age=0; HttpOnly")
                .sets("oauth2_proxy_kubeflow=c2Vzcw==|1|sig; Path=/; Max-Age=86400; HttpOnly"),
        ],
    );
    assert_eq!(posts, ["login=user%40example.com&password=12341234"]);
    let s = session(result);
    assert_eq!(s.exchanges, 7);
    assert_eq!(
        s.jar
            .names_for(&Url::parse(&format!("{o}/pipeline/apis/v2beta1/healthz")).unwrap()),
        ["oauth2_proxy_kubeflow"]
    );
}

/// §6 (b) variant: an API-route apiUrl answered with oauth2-proxy's 401 `{}`.
#[test]
fn oauth2_proxy_401_starts_the_login() {
    let o = "http://localhost:8080";
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "u", "p", "local"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 401).json("{}"),
            hop(Method::Get, format!("{o}/oauth2/start?rd=%2Fpipeline"), 500)
                .body("<title>boom</title>"),
        ],
    );
    let e = error(result);
    assert_eq!(e.code(), ErrorCode::LoginFailed);
    assert!(e.to_string().contains("HTTP 500"), "{e}");
}

/// §6 (b) 1.9.0: no sign-in page, `approval_prompt=force`, and the Grant Access page.
#[test]
fn kubeflow_1_9_0_grant_access_page() {
    let o = "http://localhost:8080";
    let q = format!("approval_prompt=force&client_id=kubeflow-oidc-authservice&redirect_uri=%2Foauth2%2Fcallback&response_type=code&scope=profile+email+groups+openid&state={H43}%3A%2Fpipeline");
    let approval = format!("{o}/dex/approval?req={ID}&hmac={H43}");
    let csrf = "oauth2_proxy_kubeflow_csrf";
    let (result, posts) = run(
        config(
            &format!("{o}/pipeline"),
            "user@example.com",
            "12341234",
            "local",
        ),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302)
                .to(format!("/dex/auth?{q}"))
                .sets(format!("{csrf}=x; Path=/; HttpOnly")),
            hop(
                Method::Get,
                format!("{o}/dex/auth?{q}&connector_id=local"),
                302,
            )
            .sends(&[csrf])
            .to(format!("/dex/auth/local?{q}")),
            hop(Method::Get, format!("{o}/dex/auth/local?{q}"), 302)
                .sends(&[csrf])
                .to(format!("/dex/auth/local/login?back=&state={ID}")),
            hop(
                Method::Get,
                format!("{o}/dex/auth/local/login?back=&state={ID}"),
                200,
            )
            .sends(&[csrf])
            .body(login_page(
                &format!("/dex/auth/local/login?back=&state={ID}"),
                "Email Address",
                false,
            )),
            hop(
                Method::Post,
                format!("{o}/dex/auth/local/login?back=&state={ID}"),
                303,
            )
            .sends(&[csrf])
            .to(format!("/dex/approval?req={ID}&hmac={H43}")),
            hop(Method::Get, approval.clone(), 200)
                .sends(&[csrf])
                .body(approval_page(ID)),
            hop(Method::Post, approval.clone(), 303)
                .sends(&[csrf])
                .to(format!("/oauth2/callback?code={ID}&state=s")),
            hop(
                Method::Get,
                format!("{o}/oauth2/callback?code={ID}&state=s"),
                302,
            )
            .sends(&[csrf])
            .to("/pipeline")
            .sets(format!(
                "{csrf}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
            ))
            .sets("oauth2_proxy_kubeflow=s; Path=/; HttpOnly"),
        ],
    );
    assert_eq!(posts[1], format!("req={ID}&approval=approve"));
    assert!(session(result).authenticated);
}

/// §6 (c): Kubeflow 1.8, oidc-authservice with its state cookie (and the Max-Age bug), Dex 2.36.
#[test]
fn kubeflow_1_8_authservice() {
    let o = "http://127.0.0.1:8080";
    let state = "MTcxMjM0NTY3OHxEdi1CQkFFQ180SUFBUkFCRUFBQUJQLUNBQUE9fA==";
    let q = format!("client_id=kubeflow-oidc-authservice&redirect_uri=%2Fauthservice%2Foidc%2Fcallback&response_type=code&scope=openid+profile+email+groups&state={state}");
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "user@example.com", "12341234", "local"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302)
                .to(format!("/dex/auth?{q}"))
                .sets(format!("oidc_state_csrf={state}; Path=/; Expires=Wed, 01 Jan 2100 00:00:00 GMT; Max-Age=1200000000000")),
            hop(Method::Get, format!("{o}/dex/auth?{q}&connector_id=local"), 302).sends(&["oidc_state_csrf"]).to(format!("/dex/auth/local?{q}")),
            hop(Method::Get, format!("{o}/dex/auth/local?{q}"), 302).sends(&["oidc_state_csrf"]).to(format!("/dex/auth/local/login?back=&state={ID}")),
            hop(Method::Get, format!("{o}/dex/auth/local/login?back=&state={ID}"), 200)
                .sends(&["oidc_state_csrf"])
                .body(login_page(&format!("/dex/auth/local/login?back=&state={ID}"), "Email Address", false)),
            hop(Method::Post, format!("{o}/dex/auth/local/login?back=&state={ID}"), 303)
                .sends(&["oidc_state_csrf"])
                .to(format!("/authservice/oidc/callback?code={ID}&state=x")),
            hop(Method::Get, format!("{o}/authservice/oidc/callback?code={ID}&state=x"), 302)
                .sends(&["oidc_state_csrf"])
                .to("/pipeline")
                .sets("oidc_state_csrf=; Path=/; Max-Age=0")
                .sets("authservice_session=MTcx; Path=/; Expires=Wed, 01 Jan 2100 00:00:00 GMT; Max-Age=86400; SameSite=Lax"),
        ],
    );
    let s = session(result);
    assert_eq!(
        s.jar
            .names_for(&Url::parse(&format!("{o}/pipeline/apis")).unwrap()),
        ["authservice_session"]
    );
}

/// §6 (c), Kubeflow 1.3–1.5: Dex 2.22's `?req=` form, a wrong password answered with 200, and
/// the approval redirect without hmac to `/login/oidc`.
#[test]
fn kubeflow_1_5_old_dex() {
    let o = "http://localhost:8080";
    let q = "client_id=kubeflow-oidc-authservice&redirect_uri=%2Flogin%2Foidc&response_type=code&scope=openid+profile+email+groups&state=st";
    let form = format!("/dex/auth/local?req={ID}");
    let hops_until_form = || {
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(format!("/dex/auth?{q}")),
            hop(
                Method::Get,
                format!("{o}/dex/auth?{q}&connector_id=local"),
                302,
            )
            .to(form.clone()),
            hop(Method::Get, format!("{o}{form}"), 200).body(login_page(
                &form,
                "Email Address",
                false,
            )),
        ]
    };
    let mut wrong = hops_until_form();
    wrong.push(
        hop(Method::Post, format!("{o}{form}"), 200).body(login_page(&form, "Email Address", true)),
    );
    let e = error(
        run(
            config(
                &format!("{o}/pipeline"),
                "user@example.com",
                "nope",
                "local",
            ),
            wrong,
        )
        .0,
    );
    assert_eq!(e.code(), ErrorCode::InvalidCredentials);
    assert_eq!(e.status(), Some(200));

    let mut good = hops_until_form();
    good.push(hop(Method::Post, format!("{o}{form}"), 303).to(format!("/dex/approval?req={ID}")));
    good.push(
        hop(Method::Get, format!("{o}/dex/approval?req={ID}"), 303)
            .to("/login/oidc?code=c&state=st"),
    );
    good.push(
        hop(Method::Get, format!("{o}/login/oidc?code=c&state=st"), 302)
            .to("/pipeline")
            .sets("authservice_session=v; Path=/"),
    );
    let s = session(
        run(
            config(
                &format!("{o}/pipeline"),
                "user@example.com",
                "12341234",
                "local",
            ),
            good,
        )
        .0,
    );
    assert_eq!(s.exchanges, 6);
}

/// §6 (e): Dex ≥ 2.36 answers a wrong password with 401 and the form again.
#[test]
fn wrong_password_401() {
    let o = "http://localhost:8080";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let (result, _) = run(
        config(
            &format!("{o}/pipeline"),
            "user@example.com",
            "wrong",
            "local",
        ),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302)
                .to(format!("/dex/auth/local/login?back=&state={ID}")),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Email Address", false)),
            hop(Method::Post, login.clone(), 401).body(login_page(&login, "Email Address", true)),
        ],
    );
    let e = error(result);
    assert_eq!(e.code(), ErrorCode::InvalidCredentials);
    assert_eq!(e.status(), Some(401));
    assert!(!e.to_string().contains("wrong"));
    assert!(!format!("{e:?}").contains("wrong"));
}

fn multi_connector_query() -> String {
    "client_id=oauth2-proxy&redirect_uri=%2Foauth2%2Fcallback&response_type=code&scope=openid&state=st".to_owned()
}

fn selection_page(q: &str) -> String {
    let q = q.replace('&', "&amp;");
    format!(
        "<title>Log in to dex</title><ul><li><a href=\"/dex/auth/local?{q}\" target=\"_self\"><button>Log in with Email</button></a></li>\
         <li><a href=\"/dex/auth/ldap?{q}\" target=\"_self\"><button>Log in with LDAP</button></a></li>\
         <li><a href=\"/dex/auth/github?{q}\" target=\"_self\"><button>Log in with GitHub</button></a></li></ul>"
    )
}

/// §6 (f): LDAP among several connectors: `connector_id` skips the selection page.
#[test]
fn ldap_connector_with_connector_id() {
    let o = "http://localhost:8080";
    let q = multi_connector_query();
    let back = format!("%2Fdex%2Fauth%3F{}", "client_id%3Doauth2-proxy");
    let login = format!("{o}/dex/auth/ldap/login?back={back}&state={ID}");
    let (result, posts) = run(
        config(&format!("{o}/pipeline"), "alice", "alice-pw", "ldap"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(format!("/dex/auth?{q}")),
            hop(
                Method::Get,
                format!("{o}/dex/auth?{q}&connector_id=ldap"),
                302,
            )
            .to(format!("/dex/auth/ldap?{q}")),
            hop(Method::Get, format!("{o}/dex/auth/ldap?{q}"), 302).to(login.clone()),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Username", false)),
            hop(Method::Post, login.clone(), 303).to("/oauth2/callback?code=c&state=st"),
            hop(
                Method::Get,
                format!("{o}/oauth2/callback?code=c&state=st"),
                302,
            )
            .to("/pipeline")
            .sets("oauth2_proxy_kubeflow=s; Path=/"),
        ],
    );
    assert_eq!(posts, ["login=alice&password=alice-pw"]);
    assert!(session(result).authenticated);
}

/// A connector Dex does not offer: its 400 leads to one more request to list the offered ones.
#[test]
fn unknown_connector_lists_the_offered_ones() {
    let o = "http://localhost:8080";
    let q = multi_connector_query();
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "u", "p", "okta"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(format!("/dex/auth?{q}")),
            hop(
                Method::Get,
                format!("{o}/dex/auth?{q}&connector_id=okta"),
                400,
            )
            .body("<p>Connector ID does not match a valid Connector</p>"),
            hop(Method::Get, format!("{o}/dex/auth?{q}"), 200).body(selection_page(&q)),
        ],
    );
    match error(result) {
        Error::UnknownConnector { requested, offered } => {
            assert_eq!(requested, "okta");
            assert_eq!(offered, ["local", "ldap", "github"]);
        }
        other => panic!("{other:?}"),
    }
}

/// With one connector Dex redirects straight to it; asking for another one names the one there is.
#[test]
fn unknown_connector_with_a_single_connector() {
    let o = "http://localhost:8080";
    let q = multi_connector_query();
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "u", "p", "ldap"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(format!("/dex/auth?{q}")),
            hop(
                Method::Get,
                format!("{o}/dex/auth?{q}&connector_id=ldap"),
                400,
            )
            .body("Connector ID does not match a valid Connector"),
            hop(Method::Get, format!("{o}/dex/auth?{q}"), 302).to(format!("/dex/auth/local?{q}")),
            hop(Method::Get, format!("{o}/dex/auth/local?{q}"), 302).to(login.clone()),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Email Address", false)),
        ],
    );
    assert_eq!(
        error(result),
        Error::UnknownConnector {
            requested: "ldap".into(),
            offered: vec!["local".into()]
        }
    );
}

/// The selection page reached without connector_id (a proxy that strips unknown parameters).
#[test]
fn selection_page_link_is_followed() {
    let o = "http://localhost:8080";
    let q = multi_connector_query();
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "ldap"));
    let _ = flow.start();
    flow.issuer_prefix = Some(format!("{o}/dex"));
    flow.stage = Stage::Dex;
    let resp = HttpResponse {
        url: Url::parse(&format!("{o}/dex/auth?{q}")).unwrap(),
        status: 200,
        headers: Headers::new(),
        set_cookies: vec![],
        body: selection_page(&q).into_bytes(),
    };
    match flow.handle_response(resp).unwrap() {
        Step::Send(req) => assert_eq!(req.url.as_str(), format!("{o}/dex/auth/ldap?{q}")),
        other => panic!("{other:?}"),
    }
}

/// §6 (d): an endpoint with no auth at all answers 200 straight away.
#[test]
fn no_auth_endpoint() {
    let (result, _) = run(
        config("http://ml-pipeline-ui.kubeflow", "u", "p", "local"),
        vec![hop(Method::Get, "http://ml-pipeline-ui.kubeflow/", 200)
            .body("<html><title>Kubeflow Pipelines</title></html>")],
    );
    let s = session(result);
    assert!(!s.authenticated);
    assert_eq!(s.exchanges, 1);
}

/// A `Secure` CSRF cookie over plain http to a non-loopback host cannot be kept: the callback
/// fails and the error names the cookie and says to use https.
#[test]
fn secure_cookie_over_http_is_explained() {
    let o = "http://deploykf.example.com";
    let q = deploykf_query("deploykf.example.com", "prompt=none").replace("https%3A", "http%3A");
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let (result, _) = run(
        config(
            &format!("{o}/pipeline"),
            "user1@example.com",
            "user1",
            "local",
        ),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302)
                .to(format!("{o}/dex/auth?{q}"))
                .sets("_deploykf_token_csrf_Q2hlY2sg=v; Path=/; HttpOnly; Secure; SameSite=Lax"),
            hop(
                Method::Get,
                format!("{o}/dex/auth?{q}&connector_id=local"),
                302,
            )
            .to(login.clone()),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Email Address", false)),
            hop(Method::Post, login.clone(), 303).to(format!("{o}/oauth2/callback?code=c&state=s")),
            hop(
                Method::Get,
                format!("{o}/oauth2/callback?code=c&state=s"),
                403,
            )
            .body("<h1>Login Failed: Unable to find a valid CSRF token. Please try again.</h1>"),
        ],
    );
    let e = error(result);
    assert_eq!(e.code(), ErrorCode::CookieRejected, "{e}");
    assert!(
        e.to_string().contains("_deploykf_token_csrf_Q2hlY2sg") && e.to_string().contains("https"),
        "{e}"
    );
}

/// deployKF ≤ 0.1.3 scopes its cookies to the configured host name; reached by IP, the jar
/// must refuse them, and the error says which host name to use.
#[test]
fn cookie_domain_mismatch_is_explained() {
    let o = "https://127.0.0.1:8443";
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "user1@example.com", "user1", "local"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302)
                .to(format!("{o}/dex/auth/local/login?back=&state={ID}"))
                .sets("_deploykf_token_csrf_Q2hlY2sg=v; Path=/; Domain=deploykf.example.com; HttpOnly; Secure"),
            hop(Method::Get, format!("{o}/dex/auth/local/login?back=&state={ID}"), 200)
                .body(login_page(&format!("/dex/auth/local/login?back=&state={ID}"), "Email Address", false)),
            hop(Method::Post, format!("{o}/dex/auth/local/login?back=&state={ID}"), 303).to("/oauth2/callback?code=c&state=s"),
            hop(Method::Get, format!("{o}/oauth2/callback?code=c&state=s"), 403).body("Login Failed: Unable to find a valid CSRF token"),
        ],
    );
    let e = error(result);
    assert_eq!(e.code(), ErrorCode::CookieRejected);
    assert!(
        e.to_string()
            .contains("apiUrl https://deploykf.example.com:8443/pipeline "),
        "{e}"
    );
}

/// The gateway redirects to its configured host name (deployKF's absolute issuer); the session
/// lands on that host, not on the one in apiUrl.
#[test]
fn login_on_another_host_is_explained() {
    let api = "http://127.0.0.1:8080";
    let other = "http://localhost:8080";
    let login = format!("{other}/dex/auth/local/login?back=&state={ID}");
    let (result, _) = run(
        config(
            &format!("{api}/pipeline"),
            "user1@example.com",
            "user1",
            "local",
        ),
        vec![
            hop(Method::Get, format!("{api}/pipeline"), 302)
                .to(login.clone())
                .sets("_deploykf_token_csrf_x=v; Path=/; HttpOnly"),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Email Address", false)),
            hop(Method::Post, login.clone(), 303)
                .to(format!("{other}/oauth2/callback?code=c&state=s")),
            hop(
                Method::Get,
                format!("{other}/oauth2/callback?code=c&state=s"),
                403,
            )
            .body("Unable to find a valid CSRF token"),
        ],
    );
    match error(result) {
        Error::HostMismatch {
            api_host,
            login_host,
        } => {
            assert_eq!(api_host, "127.0.0.1:8080");
            assert_eq!(login_host, "localhost:8080");
        }
        other => panic!("{other:?}"),
    }
}

/// A CSRF failure with nothing refused (an expired CSRF cookie): restart once from apiUrl.
#[test]
fn csrf_failure_restarts_once() {
    let o = "http://localhost:8080";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let first = || {
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(login.clone()),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Email Address", false)),
            hop(Method::Post, login.clone(), 303).to("/oauth2/callback?code=c&state=s"),
            hop(
                Method::Get,
                format!("{o}/oauth2/callback?code=c&state=s"),
                403,
            )
            .body("Unable to find a valid CSRF token"),
        ]
    };
    let mut hops = first();
    hops.extend(first());
    let e = error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
    assert_eq!(e.code(), ErrorCode::LoginFailed);
    assert!(e.to_string().contains("CSRF"), "{e}");
}

/// The chain started on https: never post the password over plain http.
#[test]
fn never_downgrades_the_password_post() {
    let (result, posts) = run(
        config("https://kf.example.com/pipeline", "u", "p", "local"),
        vec![
            hop(Method::Get, "https://kf.example.com/pipeline", 302).to(format!(
                "http://kf.example.com/dex/auth/local/login?state={ID}"
            )),
            hop(
                Method::Get,
                format!("http://kf.example.com/dex/auth/local/login?state={ID}"),
                200,
            )
            .body(login_page("", "Email Address", false)),
        ],
    );
    assert!(posts.is_empty());
    assert_eq!(error(result).code(), ErrorCode::InsecureTransport);
}

/// A form that posts to another origin gets no credentials.
#[test]
fn never_posts_credentials_to_another_origin() {
    let (result, posts) = run(
        config("https://kf.example.com/pipeline", "u", "p", "local"),
        vec![
            hop(Method::Get, "https://kf.example.com/pipeline", 302)
                .to(format!("/dex/auth/local/login?state={ID}")),
            hop(
                Method::Get,
                format!("https://kf.example.com/dex/auth/local/login?state={ID}"),
                200,
            )
            .body(login_page(
                "https://evil.example.com/steal",
                "Email Address",
                false,
            )),
        ],
    );
    assert!(posts.is_empty());
    assert_eq!(error(result).code(), ErrorCode::LoginFailed);
}

/// A gateway that loops is cut off after MAX_HOPS exchanges.
#[test]
fn redirect_loops_end() {
    let o = "http://localhost:8080";
    let mut hops = vec![hop(Method::Get, format!("{o}/pipeline"), 302).to("/a")];
    for _ in 0..MAX_HOPS {
        hops.push(hop(Method::Get, format!("{o}/a"), 302).to("/a"));
    }
    let e = error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
    assert_eq!(e.code(), ErrorCode::LoginFailed);
}

/// Dex's 500 on a connector error is a login failure that quotes Dex, not a panic.
#[test]
fn dex_connector_error() {
    let o = "http://localhost:8080";
    let login = format!("{o}/dex/auth/ldap/login?back=&state={ID}");
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "alice", "pw", "ldap"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(login.clone()),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Username", false)),
            hop(Method::Post, login.clone(), 500)
                .body("<div class=\"dex-error-box\">Login error: ldap: connection refused</div>"),
        ],
    );
    let e = error(result);
    assert_eq!(e.code(), ErrorCode::LoginFailed);
    assert!(e.to_string().contains("Login error: ldap"), "{e}");
}

/// A server that echoes the form in its error page never gets the password into the message.
#[test]
fn echoed_passwords_are_scrubbed() {
    let o = "http://localhost:8080";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let (result, _) = run(
        config(
            &format!("{o}/pipeline"),
            "user@example.com",
            "S3cret Pa55/word",
            "local",
        ),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(login.clone()),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Email Address", false)),
            hop(Method::Post, login.clone(), 500)
                .json("{\"echo\":\"login=user%40example.com&password=S3cret+Pa55%2Fword\"}"),
        ],
    );
    let e = error(result);
    let text = format!("{e} {e:?}");
    assert!(!text.contains("S3cret") && !text.contains("Pa55"), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
}

/// Redirects to other schemes are refused before anything is sent.
#[test]
fn non_http_redirects_are_refused() {
    let (result, _) = run(
        config("http://localhost:8080/pipeline", "u", "p", "local"),
        vec![hop(Method::Get, "http://localhost:8080/pipeline", 302).to("data:text/html,hello")],
    );
    assert_eq!(error(result).code(), ErrorCode::LoginFailed);
}

/// The hops of a Kubeflow 1.9-like login on `o` up to the password POST's 303 to the callback:
/// the CSRF cookie is set on the first hop.
fn hops_until_callback(o: &str, csrf: &'static str) -> Vec<Hop> {
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    vec![
        hop(Method::Get, format!("{o}/pipeline"), 302)
            .to(login.clone())
            .sets(format!("{csrf}=csrfvalue; Path=/; HttpOnly")),
        hop(Method::Get, login.clone(), 200)
            .sends(&[csrf])
            .body(login_page(&login, "Email Address", false)),
        hop(Method::Post, login.clone(), 303)
            .sends(&[csrf])
            .to(format!("{o}/oauth2/callback?code=c&state=s")),
    ]
}

/// The callback redirects to another host and sets nothing: the CSRF cookie still in the jar
/// is no session. The error names the host the login went to.
#[test]
fn a_callback_that_redirects_to_another_host_is_a_host_mismatch() {
    let o = "http://127.0.0.1:8080";
    let csrf = "oauth2_proxy_kubeflow_csrf";
    let mut hops = hops_until_callback(o, csrf);
    hops.push(
        hop(
            Method::Get,
            format!("{o}/oauth2/callback?code=c&state=s"),
            302,
        )
        .sends(&["oauth2_proxy_kubeflow_csrf"])
        .to("http://localhost:8080/pipeline"),
    );
    match error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0) {
        Error::HostMismatch {
            api_host,
            login_host,
        } => {
            assert_eq!(api_host, "127.0.0.1:8080");
            assert_eq!(login_host, "localhost:8080");
        }
        other => panic!("{other:?}"),
    }
}

/// The session cookie lands on the other host the gateway sent us to (deployKF's configured
/// host name): not a session for apiUrl's host.
#[test]
fn a_session_cookie_on_another_host_is_a_host_mismatch() {
    let o = "http://127.0.0.1:8080";
    let other = "http://localhost:8080";
    let csrf = "oauth2_proxy_kubeflow_csrf";
    let mut hops = hops_until_callback(o, csrf);
    hops[2].location = Some(format!("{other}/oauth2/callback?code=c&state=s"));
    hops.push(
        hop(
            Method::Get,
            format!("{other}/oauth2/callback?code=c&state=s"),
            302,
        )
        .to("/pipeline")
        .sets("oauth2_proxy_kubeflow=session; Path=/; HttpOnly"),
    );
    let e = error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
    assert_eq!(e.code(), ErrorCode::HostMismatch, "{e}");
    assert!(e.to_string().contains("localhost:8080"), "{e}");
}

/// The callback sets no cookie and sends us back to the application on the same host: the CSRF
/// cookie set before the password does not count as a session.
#[test]
fn cookies_set_before_the_password_are_no_session() {
    let o = "http://localhost:8080";
    let csrf = "oauth2_proxy_kubeflow_csrf";
    for resets_csrf in [false, true] {
        let mut hops = hops_until_callback(o, csrf);
        let mut callback = hop(
            Method::Get,
            format!("{o}/oauth2/callback?code=c&state=s"),
            302,
        )
        .sends(&["oauth2_proxy_kubeflow_csrf"])
        .to("/pipeline");
        if resets_csrf {
            // the same cookie again with the same value is not a new cookie
            callback = callback.sets(format!("{csrf}=csrfvalue; Path=/; HttpOnly"));
        }
        hops.push(callback);
        let e = error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
        assert_eq!(e.code(), ErrorCode::LoginFailed, "{e}");
        assert!(
            e.to_string().contains("no session cookie")
                && e.to_string().contains("after the password was accepted"),
            "{e}"
        );
    }
    // a refreshed value set by the callback is a session (what oauth2-proxy does with its
    // session cookie when one existed before)
    let mut hops = hops_until_callback(o, csrf);
    hops.push(
        hop(
            Method::Get,
            format!("{o}/oauth2/callback?code=c&state=s"),
            302,
        )
        .sends(&["oauth2_proxy_kubeflow_csrf"])
        .to("/pipeline")
        .sets(format!("{csrf}=; Path=/; Max-Age=0"))
        .sets("oauth2_proxy_kubeflow=s3ss; Path=/; HttpOnly"),
    );
    let s = session(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
    assert!(s.authenticated);
}

fn junk(count: usize, tag: &str) -> Vec<String> {
    (0..count).map(|i| format!("{tag}{i}=x; Path=/")).collect()
}

/// A Set-Cookie flood on the callback pushes the session cookie out of the jar (the per-host
/// limit keeps the newest 180): the login fails and says so, though junk cookies for apiUrl
/// remain in the jar.
#[test]
fn a_cookie_flood_on_the_callback_is_explained() {
    let o = "http://localhost:8080";
    let csrf = "oauth2_proxy_kubeflow_csrf";
    // the session first, then 250 junk cookies: the session is evicted, 51 lines are ignored
    let mut hops = hops_until_callback(o, csrf);
    let mut callback = hop(
        Method::Get,
        format!("{o}/oauth2/callback?code=c&state=s"),
        302,
    )
    .sends(&["oauth2_proxy_kubeflow_csrf"])
    .to("/pipeline")
    .sets("oauth2_proxy_kubeflow=s3ss10n-value; Path=/; HttpOnly");
    callback.set_cookies.extend(junk(250, "junk"));
    hops.push(callback);
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local"));
    let started = std::time::Instant::now();
    let e = error(drive(&mut flow, hops));
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(e.code(), ErrorCode::LoginFailed, "{e}");
    let text = e.to_string();
    assert!(text.contains("oauth2_proxy_kubeflow (localhost)"), "{text}");
    assert!(text.contains("per-host limit of 180"), "{text}");
    assert!(text.contains("51 Set-Cookie lines"), "{text}");
    assert!(
        text.contains("session cookie was probably among them"),
        "{text}"
    );
    assert!(!text.contains("s3ss10n-value"), "{text}");

    // junk first and the session last: the session line is past the 200 read
    let mut hops = hops_until_callback(o, csrf);
    let mut callback = hop(
        Method::Get,
        format!("{o}/oauth2/callback?code=c&state=s"),
        302,
    )
    .sends(&["oauth2_proxy_kubeflow_csrf"])
    .to("/pipeline");
    callback.set_cookies.extend(junk(250, "junk"));
    callback
        .set_cookies
        .push("oauth2_proxy_kubeflow=s3ss10n-value; Path=/; HttpOnly".into());
    hops.push(callback);
    let e = error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
    assert_eq!(e.code(), ErrorCode::LoginFailed, "{e}");
    assert!(e.to_string().contains("Set-Cookie lines past 200"), "{e}");

    // exactly 180 cookies for the host, nothing evicted: still not a session to trust
    let mut hops = hops_until_callback(o, csrf);
    let mut callback = hop(
        Method::Get,
        format!("{o}/oauth2/callback?code=c&state=s"),
        302,
    )
    .sends(&["oauth2_proxy_kubeflow_csrf"])
    .to("/pipeline");
    callback.set_cookies.extend(junk(179, "junk"));
    hops.push(callback);
    let e = error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
    assert!(e.to_string().contains("per-host limit"), "{e}");
}

/// A flood before the password pushes the CSRF cookie out: the callback's CSRF failure says so.
#[test]
fn a_flood_that_evicts_the_csrf_cookie_is_explained() {
    let o = "http://localhost:8080";
    let csrf = "oauth2_proxy_kubeflow_csrf";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let mut page = hop(Method::Get, login.clone(), 200)
        .sends(&[csrf])
        .body(login_page(&login, "Email Address", false));
    page.set_cookies = junk(200, "junk");
    let junk_names: Vec<&'static str> = (20..200)
        .map(|i| &*Box::leak(format!("junk{i}").into_boxed_str()))
        .collect();
    let hops = vec![
        hop(Method::Get, format!("{o}/pipeline"), 302)
            .to(login.clone())
            .sets(format!("{csrf}=csrfvalue; Path=/; HttpOnly")),
        page,
        hop(Method::Post, login.clone(), 303)
            .sends(&junk_names)
            .to(format!("{o}/oauth2/callback?code=c&state=s")),
        hop(
            Method::Get,
            format!("{o}/oauth2/callback?code=c&state=s"),
            403,
        )
        .sends(&junk_names)
        .body("Unable to find a valid CSRF token"),
    ];
    let e = error(run(config(&format!("{o}/pipeline"), "u", "p", "local"), hops).0);
    assert_eq!(e.code(), ErrorCode::LoginFailed, "{e}");
    let text = e.to_string();
    assert!(
        text.contains("CSRF") && text.contains("oauth2_proxy_kubeflow_csrf (localhost)"),
        "{text}"
    );
}

/// Drives `flow` through `hops` with the driver's retry protocol: asks `retry_verdict` first,
/// sends `retry()` when it says so. Returns the last outcome.
fn drive(flow: &mut LoginFlow, hops: Vec<Hop>) -> Result<Step> {
    let mut req = flow.start();
    let count = hops.len();
    for (i, h) in hops.into_iter().enumerate() {
        assert_eq!(req.method, h.method, "hop {}: method of {}", i + 1, req.url);
        assert_eq!(req.url.as_str(), h.url, "hop {}", i + 1);
        let mut sent: Vec<&str> = req
            .headers
            .get("cookie")
            .map(|c| c.split("; ").filter_map(|p| p.split('=').next()).collect())
            .unwrap_or_default();
        sent.sort_unstable();
        let mut want = h.cookies.clone();
        want.sort_unstable();
        assert_eq!(sent, want, "hop {}: cookies sent to {}", i + 1, req.url);
        let mut headers = Headers::new();
        headers.set("content-type", h.content_type);
        if let Some(loc) = &h.location {
            headers.set("location", loc.as_str());
        }
        let resp = HttpResponse {
            url: req.url.clone(),
            status: h.status,
            headers,
            set_cookies: h.set_cookies,
            body: h.body.into_bytes(),
        };
        if let Some(ms) = flow.retry_verdict(&resp, 0.5) {
            assert!(ms <= flow.retry.max_delay_ms, "hop {}: {ms} ms", i + 1);
            assert!(i + 1 < count, "hop {}: a retry after the last hop", i + 1);
            req = flow.retry();
            continue;
        }
        let step = flow.handle_response(resp);
        if i + 1 == count {
            return step;
        }
        match step {
            Ok(Step::Send(next)) => req = next,
            other => panic!("hop {}: expected another request, got {other:?}", i + 1),
        }
    }
    panic!("no hops")
}

/// The login's GETs are retried on 502/503/504/429 like API GETs, keeping the cookies of the
/// refused answer; a retry is not a hop.
#[test]
fn login_gets_are_retried() {
    let o = "http://localhost:8080";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let callback = format!("{o}/oauth2/callback?code=c&state=s");
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local"));
    let hops = vec![
        hop(Method::Get, format!("{o}/pipeline"), 503).body("<h1>upstream connect error</h1>"),
        hop(Method::Get, format!("{o}/pipeline"), 302)
            .to(login.clone())
            .sets("csrf=c; Path=/"),
        hop(Method::Get, login.clone(), 502)
            .sends(&["csrf"])
            .sets("lb=1; Path=/"),
        hop(Method::Get, login.clone(), 504).sends(&["csrf", "lb"]),
        hop(Method::Get, login.clone(), 200)
            .sends(&["csrf", "lb"])
            .body(login_page(&login, "Email Address", false)),
        hop(Method::Post, login.clone(), 303)
            .sends(&["csrf", "lb"])
            .to(callback.clone()),
        hop(Method::Get, callback.clone(), 429)
            .sends(&["csrf", "lb"])
            .json("{}"),
        hop(Method::Get, callback.clone(), 302)
            .sends(&["csrf", "lb"])
            .to("/pipeline")
            .sets("oauth2_proxy_kubeflow=s; Path=/"),
    ];
    let s = session(drive(&mut flow, hops));
    assert!(s.authenticated);
    assert_eq!(s.exchanges, 8);
    // the cookie the 502 set went with the retries
    assert!(s
        .jar
        .names_for(&Url::parse(&login).unwrap())
        .contains(&"lb".to_owned()));
}

/// A GET answered 503 three times: the error after the last try says how many were made. The
/// password POST is never sent twice, and neither is a network error on it retried.
#[test]
fn login_retries_end_and_posts_are_never_retried() {
    let o = "http://localhost:8080";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local"));
    let unavailable = || {
        hop(Method::Get, format!("{o}/pipeline"), 503)
            .json(r#"{"code":14,"message":"no healthy upstream"}"#)
    };
    let e = error(drive(
        &mut flow,
        vec![unavailable(), unavailable(), unavailable()],
    ));
    assert_eq!(e.code(), ErrorCode::LoginFailed, "{e}");
    assert!(e.to_string().contains("3 attempts"), "{e}");
    assert_eq!(e.status(), Some(503));

    // retries off
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local"))
        .with_retry(RetryPolicy::OFF);
    let e = error(drive(&mut flow, vec![unavailable()]));
    assert!(!e.to_string().contains("attempts"), "{e}");

    // the password POST answered 503: no retry
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "S3cret-pw", "local"));
    let e = error(drive(
        &mut flow,
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(login.clone()),
            hop(Method::Get, login.clone(), 200).body(login_page(&login, "Email Address", false)),
            hop(Method::Post, login.clone(), 503).body("<p>got password=S3cret-pw</p>"),
        ],
    ));
    assert_eq!(e.code(), ErrorCode::LoginFailed);
    assert!(!e.to_string().contains("S3cret-pw"), "{e}");

    // network errors: a GET is retried twice, then the error says how many tries; a POST never
    let reset = || Error::Network {
        url: "u".into(),
        message: "ECONNRESET".into(),
    };
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local"));
    let first = flow.start();
    assert!(flow.network_error(reset(), true, 0.0).unwrap() <= 200);
    assert_eq!(flow.retry().url, first.url);
    assert!(flow.network_error(reset(), true, 0.0).is_ok());
    flow.retry();
    let e = flow.network_error(reset(), true, 0.0).unwrap_err();
    assert!(e.to_string().contains("3 attempts"), "{e}");
    // a timeout (not retryable) ends at once
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local"));
    flow.start();
    let timeout = Error::Timeout {
        url: "u".into(),
        ms: 100,
    };
    assert_eq!(
        flow.network_error(timeout.clone(), false, 0.5).unwrap_err(),
        timeout
    );
    // the password POST reset: not retried
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local"));
    let req = flow.start();
    let answer =
        |flow: &mut LoginFlow, url: &Url, status: u16, location: Option<&str>, body: String| {
            let mut headers = Headers::new();
            headers.set("content-type", "text/html");
            if let Some(l) = location {
                headers.set("location", l);
            }
            flow.handle_response(HttpResponse {
                url: url.clone(),
                status,
                headers,
                set_cookies: vec![],
                body: body.into_bytes(),
            })
        };
    let Ok(Step::Send(page)) = answer(&mut flow, &req.url, 302, Some(&login), String::new()) else {
        panic!("a redirect to the login page")
    };
    let Ok(Step::Send(post)) = answer(
        &mut flow,
        &page.url,
        200,
        None,
        login_page(&login, "Email Address", false),
    ) else {
        panic!("the password POST")
    };
    assert_eq!(post.method, Method::Post);
    assert!(flow.network_error(reset(), true, 0.5).is_err());
}

/// A server answering 503 to every GET forever: the login ends after a bounded number of tries.
#[test]
fn endless_503s_end() {
    let o = "http://localhost:8080";
    let mut flow = LoginFlow::new(config(&format!("{o}/pipeline"), "u", "p", "local")).with_retry(
        RetryPolicy {
            retries: 10,
            min_delay_ms: 1,
            max_delay_ms: 1,
        },
    );
    let mut req = flow.start();
    let mut sent = 1;
    loop {
        let mut headers = Headers::new();
        headers.set("content-type", "text/plain");
        let resp = HttpResponse {
            url: req.url.clone(),
            status: 503,
            headers,
            set_cookies: vec![],
            body: b"busy".to_vec(),
        };
        if flow.retry_verdict(&resp, 0.5).is_some() {
            req = flow.retry();
            sent += 1;
            assert!(sent <= 1 + MAX_LOGIN_RETRIES);
            continue;
        }
        let e = error(flow.handle_response(resp));
        assert_eq!(e.code(), ErrorCode::LoginFailed);
        break;
    }
    assert_eq!(sent, 11);
}

/// An error page that quotes the cookies the login holds (the CSRF cookie, raw and encoded)
/// or a cookie its own answer set: no value reaches the message.
#[test]
fn echoed_cookie_values_are_scrubbed() {
    let o = "http://localhost:8080";
    let csrf_value = "Q3NyZi12YWx1ZS0xMjM0NQ==|1700000000|c2ln";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let encoded = csrf_value.replace('=', "%3D").replace('|', "%7C");
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "u@example.com", "pw", "local"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302)
                .to(login.clone())
                .sets(format!("csrf={csrf_value}; Path=/")),
            hop(Method::Get, login.clone(), 500)
                .sends(&["csrf"])
                .sets("fresh=Fr3sh-c00kie-value; Path=/; Secure; Domain=evil.example")
                .body(format!(
                    "<html><p>got csrf={csrf_value} ({encoded}); set Fr3sh-c00kie-value</p></html>"
                )),
        ],
    );
    let e = error(result);
    let text = format!("{e} {e:?}");
    for leaked in [
        "Q3NyZi12YWx1ZS0xMjM0NQ",
        "c2ln",
        "Fr3sh-c00kie-value",
        "MTIzNDU",
    ] {
        assert!(!text.contains(leaked), "{leaked} in {text}");
    }
    assert!(text.contains("[redacted]"), "{text}");
}

/// A selection page listing thousands of connectors: the error lists a bounded few, each once.
#[test]
fn a_connector_flood_is_bounded() {
    let o = "http://localhost:8080";
    let q = multi_connector_query();
    let links: String = (0..5_000)
        .map(|i| format!("<a href=\"/dex/auth/c{}?{q}\">x</a>", i % 2_500))
        .collect();
    let started = std::time::Instant::now();
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "u", "p", "okta"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302).to(format!("/dex/auth?{q}")),
            hop(
                Method::Get,
                format!("{o}/dex/auth?{q}&connector_id=okta"),
                400,
            )
            .body("Connector ID does not match a valid Connector"),
            hop(Method::Get, format!("{o}/dex/auth?{q}"), 200).body(links),
        ],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    match error(result) {
        Error::UnknownConnector { offered, .. } => {
            assert_eq!(offered.len(), MAX_OFFERED_CONNECTORS);
            assert_eq!(offered[0], "c0");
        }
        other => panic!("{other:?}"),
    }
}

/// A cookie value the login held and then lost (deleted by the gateway) is still scrubbed when a
/// later error page quotes it.
#[test]
fn replaced_cookie_values_are_scrubbed_too() {
    let o = "http://localhost:8080";
    let login = format!("{o}/dex/auth/local/login?back=&state={ID}");
    let (result, _) = run(
        config(&format!("{o}/pipeline"), "u@example.com", "pw", "local"),
        vec![
            hop(Method::Get, format!("{o}/pipeline"), 302)
                .to(login.clone())
                .sets("csrf=0ld-csrf-v4lue; Path=/"),
            hop(Method::Get, login.clone(), 302)
                .sends(&["csrf"])
                .to(login.clone())
                .sets("csrf=; Path=/; Max-Age=0"),
            hop(Method::Get, login.clone(), 500).body("<p>you sent csrf=0ld-csrf-v4lue</p>"),
        ],
    );
    let e = error(result);
    assert!(!format!("{e} {e:?}").contains("0ld-csrf-v4lue"), "{e}");
}
