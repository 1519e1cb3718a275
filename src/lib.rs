//! # shijing (市井)
//!
//! A model of how a live-commerce platform in the style of Kuaishou hands out
//! traffic and how that traffic turns into repeat business:
//!
//! * [`stats`] — exposure inequality (Gini, Lorenz, top/bottom shares) and the
//!   seeded random numbers every simulation uses;
//! * [`allocation`] — decentralized traffic allocation: Gini-capped public pool,
//!   cold-start pool, tiered traffic pools with exploration;
//! * [`funnel`] — exposure → click → order (T0) → follow → follow-page exposure;
//! * [`repurchase`] — order log → RFM summary → BG/NBD, MBG/NBD, Pareto/NBD,
//!   Gamma-Gamma, with T30/T90 predictions;
//! * [`orders`] — merchants' order exports (CSV/TSV in UTF-8, GBK or UTF-16;
//!   .xlsx) → purchases (customer, day, amount) with a report;
//! * [`sim`] — the day loop that joins the three;
//! * [`error`] — the one error type, [`Error`]; [`text`] — numbers and
//!   strings in its messages, written as JavaScript writes them;
//!   [`validate`] — the array-length limit every argument shares
//!   ([`validate::MAX_ELEMENTS`]; the checks themselves are crate-internal).
//!
//! Everything above is plain Rust (no wasm-bindgen types). The JavaScript
//! surface lives in the `bindings` module, one file per area (public only
//! so the headless Wasm tests can call it; it is not a Rust API); each
//! exported JS function is a thin wrapper that validates its input, calls one
//! function here and maps [`Error`] to the JS error class that fits it.
//!
//! ```
//! # use shijing::{stats, Error};
//! // One merchant of four gets all the exposure: Gini (n−1)/n.
//! assert!((stats::gini(&[0.0, 0.0, 0.0, 120.0])? - 0.75).abs() < 1e-15);
//! // Bad input is an error naming the argument, never a panic.
//! assert!(matches!(stats::gini(&[]), Err(Error::InvalidInput(_))));
//! # Ok::<(), Error>(())
//! ```

pub mod allocation;
pub mod error;
pub mod funnel;
pub mod orders;
pub mod repurchase;
pub mod sim;
pub mod stats;
pub mod text;
pub mod validate;

pub mod bindings;

pub use error::{Error, Result};
