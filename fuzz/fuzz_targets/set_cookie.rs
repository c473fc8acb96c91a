//! `CookieJar::store` over arbitrary Set-Cookie lines from arbitrary origins, then every reader
//! of the jar, and the export → import round trip a saved session makes.
#![no_main]

use kfp_wasm::core::cookies::{CookieJar, MAX_COOKIES, MAX_COOKIES_PER_DOMAIN, MAX_COOKIE_BYTES};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

fuzz_target!(|data: &[u8]| {
    let mut jar = CookieJar::new();
    // Chunks separated by 0xff are the answers of successive hops; the first byte of each picks
    // the origin, lines are split on '\n'.
    for chunk in data.split(|&b| b == 0xff) {
        let Some((&pick, rest)) = chunk.split_first() else {
            continue;
        };
        let url = base_url(pick);
        let text = String::from_utf8_lossy(rest);
        let lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
        let _ = jar.store(&url, &lines);
        let _ = jar.import_header(&url, &text);
    }
    for pick in 0..8 {
        let url = base_url(pick);
        let names = jar.names_for(&url);
        assert!(names.len() <= MAX_COOKIES);
        if let Some(header) = jar.header_for(&url) {
            assert!(header.len() <= MAX_COOKIES * (MAX_COOKIE_BYTES + 3));
        }
    }
    let all = jar.names();
    assert!(all.len() <= MAX_COOKIES);
    let mut per_domain = std::collections::HashMap::<&str, usize>::new();
    for (domain, _) in &all {
        *per_domain.entry(domain.as_str()).or_default() += 1;
    }
    // user-given (pinned) cookies may exceed the per-domain limit only by what one import adds
    assert!(per_domain
        .values()
        .all(|&n| n <= 2 * MAX_COOKIES_PER_DOMAIN));
    let _ = format!("{jar:?}");
    let _ = jar.evicted();
    let _ = jar.skipped_lines();
    // A saved session restores: whatever the jar holds, its export is importable.
    // KFP_FUZZ_SKIP_CTL=1 leaves out jars with a control character (ASCII or C1) in a name or
    // value, the known store/import mismatch found by this target (docs/faults.md), so that a
    // run can look for other failures until cookies.rs is fixed.
    let saved = jar.export();
    let has_control = |s: &str| s.chars().any(char::is_control);
    if std::env::var_os("KFP_FUZZ_SKIP_CTL").is_some()
        && saved
            .iter()
            .any(|c| has_control(&c.name) || has_control(c.value.expose()))
    {
        return;
    }
    let mut resumed = CookieJar::new();
    match resumed.import(&saved, 0) {
        Ok(n) => assert!(n <= saved.len()),
        Err(e) => panic!("an exported jar did not import: {e}"),
    }
});
