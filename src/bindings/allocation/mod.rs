//! JS bindings for [`crate::allocation`], one file per core file they wrap:
//! [`gini_cap`] (`capGini`, `capGiniDetailed`, `GiniCapper`), [`round`]
//! (`allocate`) and [`platform`] (`TrafficPlatform`).

pub mod gini_cap;
pub mod platform;
pub mod round;

pub use gini_cap::{cap_gini, cap_gini_detailed, GiniCapper};
pub use platform::TrafficPlatform;
pub use round::allocate;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Integers in: a Uint32Array (fastest) or any array of non-negative integers. */
export type Integers = Uint32Array | ArrayLike<number>;
/** Flags in: a Uint8Array (non-zero = true) or an array of booleans / 0-1. */
export type Flags = Uint8Array | ArrayLike<boolean | number>;

/** How the Gini cap is enforced. */
export type CapMode = "cap" | "floor" | "blend";
"#;
