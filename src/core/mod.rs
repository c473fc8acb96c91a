//! The pure core: no `wasm_bindgen`, `js_sys` or `web_sys` here.

pub mod client;
pub mod cookies;
pub mod error;
pub mod http;
pub mod kfp;
pub mod login;
pub mod options;
pub mod secret;

pub use error::{Error, ErrorCode};
