//! `HttpResponse::location` (Location resolved against the request URL) and what consumes its
//! result: the redirect checks of the per-call policy and URL redaction for messages.
#![no_main]

use kfp_wasm::core::client::session_lost;
use kfp_wasm::core::http::{redact_url, Headers, HttpResponse};
use kfp_wasm::core::login::is_login_url;
use libfuzzer_sys::fuzz_target;

include!("common.rs");

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut headers = Headers::new();
    headers.set("location", String::from_utf8_lossy(rest).into_owned());
    headers.set("content-type", "text/html");
    let resp = HttpResponse {
        url: base_url(pick),
        status: [301, 302, 303, 307, 308, 200, 403][usize::from(pick >> 4) % 7],
        headers,
        set_cookies: vec![],
        body: vec![],
    };
    if let Some(target) = resp.location() {
        let shown = redact_url(&target);
        // no secret-bearing query value survives redaction
        if let Ok(reparsed) = url::Url::parse(&shown) {
            for (k, v) in reparsed.query_pairs() {
                if ["code", "state", "hmac", "req", "token", "nonce"].contains(&k.as_ref()) {
                    assert_eq!(v, "[redacted]", "{shown}");
                }
            }
        }
        let _ = is_login_url(&target);
    }
    let _ = resp.is_redirect();
    let _ = session_lost(&resp);
});
