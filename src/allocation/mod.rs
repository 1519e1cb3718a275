//! Decentralized traffic allocation (notes/allocation.md §5): a Gini-capped
//! public pool, a reserved cold-start pool for new merchants, and tiered
//! traffic pools with exploration.
//!
//! * [`gini_cap`] — the exact creator-level Gini cap (`cap`, `floor`,
//!   `blend`), closed form after one sort, with a cached solver for sliders;
//! * [`pools`] — the public pool: per-item floor, score-proportional
//!   water-fill under tier quotas;
//! * [`cold_start`] — percentile-ranked merit, shrunk ROI, floor and ceiling;
//! * [`rounding`] — Hamilton rounding to an exact integer total;
//! * [`round`] — one stateless allocation round ([`round::allocate`]);
//! * [`platform`] — the stateful platform: posteriors, tiers, promotions,
//!   retirement, graduation ([`platform::Platform`]).
//!
//! Numbers without a source in the notes (default `giniMax`, cold-start
//! share, floors, ceilings, windows, capacities) are **modelling
//! assumptions**, labelled as such where they are defined.
//!
//! ```
//! use shijing::allocation::{cap_gini, CapSettings};
//! use shijing::stats::{gini, random::lognormal_sample};
//! // Creators' exposure before the cap: heavy-tailed.
//! let before = lognormal_sample(1_000, 2.0, 1);
//! let after = cap_gini("exposure", &before, &CapSettings { gini_max: 0.35, ..Default::default() })?;
//! assert!(gini(&before)? > 0.35);
//! assert!((gini(&after.exposure)? - 0.35).abs() < 1e-9);
//! # Ok::<(), shijing::Error>(())
//! ```

pub mod cold_start;
pub mod gini_cap;
pub mod platform;
pub mod pools;
pub mod round;
pub mod rounding;

pub use gini_cap::{
    cap_gini, AppliedMode, CapMode, CapOutcome, CapPlan, CapSettings, GiniCapSolver,
};
pub use platform::{Platform, PlatformConfig, PromotionRule};
pub use round::{allocate, Engagement, RoundInput, RoundResult, RoundSettings};
