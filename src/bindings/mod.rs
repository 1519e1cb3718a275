//! The JavaScript surface. `#[wasm_bindgen]` lives only here. Each export
//! reads its arguments ([`read`]; option objects through one table per
//! option struct, [`options`]), calls one core function and throws the
//! core's error as the JS class that fits ([`js::Thrown`]).
//!
//! Binding files are named after the core files they wrap, so a JS name
//! leads to its Rust body in two hops: `capGini` → `bindings/allocation/
//! gini_cap.rs` → `allocation/gini_cap.rs`.
//!
//! Public only so the wasm test suites can call it from Rust. The Cargo
//! features `traffic`, `repurchase`, `orders` and `xlsx` (all on by
//! default) choose which areas are exported, so each half of the npm
//! package (and `shijing/orders`, `readOrders` alone, and `shijing/xlsx`,
//! `sheetText` alone) is its own smaller Wasm; the core is compiled whole
//! either way.

#[cfg(feature = "traffic")]
pub mod allocation;
pub mod js;
pub mod options;
#[cfg(any(feature = "orders", feature = "xlsx"))]
pub mod orders;
pub mod read;
#[cfg(feature = "repurchase")]
pub mod repurchase;
#[cfg(feature = "traffic")]
pub mod sim;
#[cfg(feature = "traffic")]
pub mod stats;
pub mod write;

use wasm_bindgen::prelude::*;

/// The package version (from Cargo.toml).
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
