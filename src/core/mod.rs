//! The pure core: plain Rust with no JavaScript bindings, tested on the host with `cargo test`.

pub mod browser;
pub mod client;
pub mod cookies;
pub mod error;
pub mod http;
pub mod kfp;
pub mod login;
pub mod options;
pub mod platform;
pub mod secret;
pub mod time;

pub use error::{Error, ErrorCode};
