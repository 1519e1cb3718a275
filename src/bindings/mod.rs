//! The JavaScript surface. `#[wasm_bindgen]` lives only here, one file per
//! area; each export validates and converts its arguments ([`convert`]), calls
//! one core function and maps the core's `Error` to a JS `Error` whose message
//! names the argument. Public only so the wasm test suites can call it from Rust.
//!
//! The Cargo features `traffic` and `repurchase` (both on by default) choose
//! which areas are exported, so each half of the npm package is its own
//! smaller Wasm; the core is compiled whole either way.

#[cfg(feature = "traffic")]
pub mod allocation;
pub mod convert;
#[cfg(feature = "repurchase")]
pub mod repurchase;
#[cfg(feature = "traffic")]
pub mod sim;
#[cfg(feature = "traffic")]
pub mod stats;

use wasm_bindgen::prelude::*;

/// The package version (from Cargo.toml).
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
