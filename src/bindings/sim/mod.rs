//! JS bindings for [`crate::sim`], one file per core file they wrap:
//! [`scenario`] (`defaultScenario`, `presets`, and the scenario tables every
//! simulation export reads) and [`market`] (`simulate`, `sweep`,
//! `MarketModel`).

pub mod market;
pub mod scenario;

pub use market::{simulate, sweep, MarketModel};
pub use scenario::{default_scenario, presets};
