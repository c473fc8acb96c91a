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

/// Runs once, when the module is instantiated: gives the core its clock (`Date.now`), which
/// the cookie jar reads for expiry; `std::time::SystemTime::now` panics on wasm.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    crate::core::time::set_clock(|| js_sys::Date::now() as i64);
}
