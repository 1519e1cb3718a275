//! The public/private traffic loop: a day-by-day simulation of a merchant
//! population on the platform, with the focus merchant the user controls.
//!
//! * [`scenario`] — scenarios, defaults (modelling assumptions, listed) and
//!   the seed presets;
//! * [`population`] — the heavy-tailed population of merchants;
//! * [`market`] — the day loop ([`simulate`]), the frozen-market replay of
//!   the focus merchant ([`Market::run_merchant`]) and quality × follow-rate
//!   sweeps ([`Market::sweep`]).

pub mod market;
pub mod population;
pub mod scenario;

pub use market::{
    simulate, Market, MerchantTrajectory, PopulationMetrics, SimulationResult, SweepGrid,
};
pub use scenario::{
    presets, Events, MerchantSettings, PlatformSettings, PopulationSettings, Preset, Scenario,
};
