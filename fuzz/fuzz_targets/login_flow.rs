//! The whole login state machine fed with arbitrary answers, through the driver protocol
//! (`retry_verdict`, `handle_response`, `network_error`, `retry`). It must end (a session or an
//! error) within a bounded number of exchanges, never panic, never send the password anywhere
//! but in a POST body to the origin that served the form, and never quote it in an error.
#![no_main]

use kfp_wasm::core::http::{Headers, HttpResponse, Method};
use kfp_wasm::core::login::{LoginConfig, LoginFlow, Step, MAX_HOPS, MAX_LOGIN_RETRIES};
use kfp_wasm::core::secret::Secret;
use kfp_wasm::core::Error;
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const PASSWORD: &str = "Pa55-w0rd-zq";

#[derive(Arbitrary, Debug)]
struct Answer {
    /// 0: a network error; otherwise an HTTP status (folded into 100..=599).
    status: u16,
    location: Option<String>,
    content_type: u8,
    set_cookies: Vec<String>,
    body: String,
    /// Dex's password form, a Grant Access page or the sign-in page prepended to the body.
    page: u8,
}

fn body_for(a: &Answer) -> String {
    let page = match a.page % 5 {
        0 => "<form method=\"post\" action=\"/dex/auth/local/login?back=&state=s\"><input name=\"login\"/><input name=\"password\" type=\"password\"/></form>",
        1 => "<form method=\"post\"><input type=\"hidden\" name=\"req\" value=\"r\"/><input type=\"hidden\" name=\"approval\" value=\"approve\"></form>",
        2 => "<form method=\"GET\" action=\"/oauth2/start\"><input type=\"hidden\" name=\"rd\" value=\"/pipeline\"></form>",
        3 => "<a href=\"/dex/auth/local?req=x\">local</a><a href=\"/dex/auth/ldap?req=x\">ldap</a>",
        _ => "",
    };
    format!("{page}{}", a.body)
}

fuzz_target!(|answers: Vec<Answer>| {
    let Ok(start_url) = url::Url::parse("http://127.0.0.1:8080/pipeline") else {
        return;
    };
    let mut flow = LoginFlow::new(LoginConfig {
        start_url,
        username: "user@example.com".into(),
        password: Secret::new(PASSWORD),
        connector: "local".into(),
    });
    let mut req = flow.start();
    let mut exchanges = 0u32;
    let check_error = |e: &Error| {
        let text = format!("{e} {e:?}");
        assert!(!text.contains(PASSWORD), "{text}");
    };
    for a in &answers {
        exchanges += 1;
        assert!(
            exchanges <= 2 * (MAX_HOPS + MAX_LOGIN_RETRIES) + 2,
            "the login did not end"
        );
        // the password only ever goes in a POST body, never in a URL or a header
        let url_text = req.url.as_str();
        assert!(!url_text.contains(PASSWORD));
        for (_, v) in req.headers.iter() {
            assert!(!v.contains(PASSWORD));
        }
        if let Some(body) = &req.body {
            if String::from_utf8_lossy(body).contains(PASSWORD) {
                assert_eq!(req.method, Method::Post);
            }
        }
        if a.status == 0 {
            match flow.network_error(
                Error::Network {
                    url: "u".into(),
                    message: "ECONNRESET".into(),
                },
                true,
                0.5,
            ) {
                Ok(_) => {
                    req = flow.retry();
                    continue;
                }
                Err(e) => return check_error(&e),
            }
        }
        let mut headers = Headers::new();
        headers.set(
            "content-type",
            ["text/html", "application/json", "text/plain", ""][usize::from(a.content_type) % 4],
        );
        if let Some(l) = &a.location {
            headers.set("location", l.clone());
        }
        let resp = HttpResponse {
            url: req.url.clone(),
            status: 100 + a.status % 500,
            headers,
            set_cookies: a.set_cookies.clone(),
            body: body_for(a).into_bytes(),
        };
        if flow.retry_verdict(&resp, 0.5).is_some() {
            req = flow.retry();
            continue;
        }
        match flow.handle_response(resp) {
            Ok(Step::Send(next)) => req = next,
            Ok(Step::Done(session)) => {
                let _ = format!("{session:?}");
                return;
            }
            Err(e) => return check_error(&e),
        }
    }
});
