//! The golden simulation both test targets run: the same seed must give the
//! same run bit for bit natively and in Wasm (Node and Chromium).

use shijing::sim::{presets, Scenario};

/// Women's-wear preset, 400 merchants, 30 days, seed 2021.
pub fn scenario() -> Scenario {
    let mut s = presets()
        .into_iter()
        .find(|p| p.id == "womens-wear")
        .map(|p| p.scenario)
        .unwrap_or_default();
    s.population.merchants = 400;
    s.days = 30;
    s.seed = Some(2021);
    s
}

/// `SimulationResult::fingerprint` of [`scenario`], recorded from a native run.
pub const FINGERPRINT: u64 = 0xec43_a844_ce9d_d705;
