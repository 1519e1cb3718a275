//! The public/private traffic loop: a day-by-day simulation of a merchant
//! population on the platform, with the focus merchant the user controls.
//!
//! * [`scenario`] — scenarios, defaults (modelling assumptions, listed) and
//!   the seed presets;
//! * `population` — the heavy-tailed population of merchants;
//! * [`market`] — a simulated market ([`Market`], [`simulate`]): the full
//!   run, kept for replays;
//! * `day_loop` — the full run's day loop;
//! * `merchant` — one merchant's funnel day, shared by the run and the replay;
//! * `tiers` — items, the tiered pools, promotion and retirement;
//! * [`replay`] — the frozen-market replay of the focus merchant
//!   ([`Market::run_merchant`]) and quality × follow-rate sweeps
//!   ([`Market::sweep`]);
//! * [`results`] — what a run returns;
//! * [`calibration`] — the seed figures each preset reproduces, measured on a run;
//! * [`fitted`] — the focus merchant's own fitted repurchase process and
//!   customers ("my shop"), and how its levers move it;
//! * [`backend`] — the focus merchant's settings from the numbers its shop
//!   backend shows (the funnel inverted; exposure read against a market).

#[cfg(feature = "myshop")]
pub mod backend;
pub mod calibration;
mod day_loop;
pub mod fitted;
pub mod market;
mod merchant;
mod population;
pub mod replay;
pub mod results;
pub mod scenario;
mod tiers;

#[cfg(feature = "myshop")]
pub use backend::{BackendFit, BackendNumbers, KnobSet, Unmatched};
pub use day_loop::WARMUP_DAYS;
pub use fitted::{Customers, MerchantRepurchase, OrderValue};
pub use market::{simulate, Market};
pub use replay::{SweepGrid, MAX_SWEEP_CELLS};
pub use results::{MerchantTrajectory, PopulationMetrics, SimulationResult};
pub use scenario::{
    presets, Events, MerchantSettings, PlatformSettings, PopulationSettings, Preset, Scenario,
};
pub use tiers::SIM_TIER_QUOTAS;
