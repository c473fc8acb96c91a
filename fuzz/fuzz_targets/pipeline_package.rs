//! `PipelinePackage::parse` over arbitrary bytes (YAML, JSON, archives' magic bytes), then what
//! a run does with a parsed package. The YAML bounds (depth, nodes, documents, bytes) must hold:
//! no stack overflow, no alias bomb, no panic.
#![no_main]

use kfp_wasm::core::kfp::package::{PackageFormat, PipelinePackage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = PackageFormat::of(data).filename();
    match PipelinePackage::parse(data) {
        Ok(mut package) => {
            let _ = package.name();
            package.set_caching(true);
            let _ = serde_json::to_string(&package.embedded());
        }
        Err(e) => {
            let _ = (e.code(), e.to_string());
        }
    }
});
