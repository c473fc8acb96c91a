//! KFP answer decoding: `kfp::decode::*` over arbitrary status, content type and body, then
//! the v1beta1 → v2beta1 reshaping (`v1::normalize`, `normalize_page`) and the request-side
//! conversions over whatever JSON came out.
#![no_main]

use kfp_wasm::core::http::{Headers, HttpResponse};
use kfp_wasm::core::kfp::{decode, v1, ApiVersion, Resource};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

const RESOURCES: [Resource; 6] = [
    Resource::Healthz,
    Resource::Experiment,
    Resource::Pipeline,
    Resource::PipelineVersion,
    Resource::Run,
    Resource::RecurringRun,
];

fuzz_target!(|data: &[u8]| {
    let [pick, status, kind, rest @ ..] = data else {
        return;
    };
    let mut headers = Headers::new();
    let types = [
        "application/json",
        "application/json; charset=utf-8",
        "text/html",
        "text/plain",
        "",
        "application/problem+json",
    ];
    let media = types[usize::from(*kind) % types.len()];
    if !media.is_empty() {
        headers.set("content-type", media);
    }
    let status = [
        200u16, 201, 204, 302, 400, 401, 403, 404, 409, 418, 429, 500, 502, 503,
    ][usize::from(*status) % 14];
    if status == 302 {
        headers.set("location", "/dex/auth?client_id=x&redirect_uri=y");
    }
    let resp = HttpResponse {
        url: base_url(*pick),
        status,
        headers,
        set_cookies: vec![],
        body: rest.to_vec(),
    };
    let err = decode::decode_error(&resp);
    let _ = (err.code(), err.status(), err.grpc_code(), err.to_string());
    let _ = decode::decode_empty(&resp);
    let _ = decode::is_not_found_route(&resp);
    let resource = RESOURCES[usize::from(*kind >> 3) % RESOURCES.len()];
    for version in [ApiVersion::V2beta1, ApiVersion::V1beta1] {
        let _ = decode::decode_list(&resp, resource.list_key(version));
    }
    if let Ok(value) = decode::decode_json(&resp) {
        let mut one = value.clone();
        v1::normalize(resource, &mut one);
        let mut page = value.clone();
        v1::normalize_page(
            resource,
            &mut page,
            resource.list_key(ApiVersion::V1beta1),
            resource.list_key(ApiVersion::V2beta1),
        );
        let _ = v1::request_body(resource, &value);
        let mut filter = value;
        v1::filter(resource, &mut filter);
    }
});
