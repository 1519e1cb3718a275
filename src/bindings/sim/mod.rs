//! JS bindings for [`crate::sim`], one file per core file they wrap:
//! [`scenario`] (`defaultScenario`, `presets`, and the scenario tables every
//! simulation export reads), [`fitted`] (the focus merchant's own fitted
//! repurchase model, customers and order value in those tables),
//! [`market`] (`simulate`, `sweep`, `MarketModel`) and [`backend`]
//! (`merchantFromBackend`, `MarketModel.merchantFromBackend`,
//! `MarketModel.backendNumbers`).

#[cfg(feature = "myshop")]
pub mod backend;
pub mod fitted;
pub mod market;
pub mod scenario;

#[cfg(feature = "myshop")]
pub use backend::merchant_from_backend;
pub use market::{simulate, sweep, MarketModel};
pub use scenario::{default_scenario, presets};
