//! The JavaScript surface. `#[wasm_bindgen]` lives only here, one file per
//! area; each export validates and converts its arguments ([`convert`]), calls
//! one core function and maps the core's `Error` to a JS `Error` whose message
//! names the argument. Public only so the wasm test suites can call it from Rust.

pub mod allocation;
pub mod convert;
pub mod repurchase;
pub mod sim;
pub mod stats;

use wasm_bindgen::prelude::*;

/// The package version (from Cargo.toml).
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
