//! kfp-wasm: a Kubeflow Pipelines client for JavaScript, written in Rust and compiled to
//! WebAssembly.
//!
//! The crate has two halves:
//! - [`core`]: plain Rust with no JavaScript imports. The login state machine, the RFC 6265
//!   cookie jar, page parsing, KFP request builders and response decoding. Every part is a pure
//!   function or a state machine fed with [`core::http::HttpResponse`] values, so `cargo test`
//!   covers it on the host.
//! - `wasm` (only on `wasm32`): the binding. It moves values between JS and the core and performs
//!   `fetch`; it owns no protocol logic.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
