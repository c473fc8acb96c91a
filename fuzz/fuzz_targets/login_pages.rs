//! Every reader of `kfp_wasm::core::login::pages` over arbitrary text. Each must finish in
//! linear time (libFuzzer's -timeout catches slow inputs) and never panic.
#![no_main]

use kfp_wasm::core::login::pages;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let _ = pages::password_form(&html);
    let _ = pages::approval_form(&html);
    let _ = pages::sign_in_form(&html);
    let links = pages::connector_links(&html);
    assert!(links.len() <= html.len());
    let _ = pages::title(&html);
    let _ = pages::error_text(&html);
    let stripped = pages::strip_tags(&html);
    assert!(stripped.len() <= html.len() + 16);
    let _ = pages::unescape(&html);
});
