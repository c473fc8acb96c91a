//! The wasm binding: moves values between JS and [`crate::core`] and performs `fetch`.
//! No protocol logic lives here.

mod api;
mod client;
mod error;
mod fetch;
mod gate;
mod host;
mod json;
mod options;

pub use client::{create_kfp_client, KfpClient, KfpClientManager};
pub use error::kfp_error_class;
pub use host::install_host;
