//! Native criterion benchmarks of the core. Run: `cargo bench --bench native`.
//! Results and the machine they ran on go to BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

use shijing::allocation::cold_start::MeritSignals;
use shijing::allocation::{self, CapMode, CapSettings, Engagement, RoundInput, RoundSettings};
use shijing::stats::{self, random};

fn inequality(c: &mut Criterion) {
    let values = random::lognormal_sample(1_000_000, 1.5, 1);
    c.bench_function("gini/1e6", |b| {
        b.iter(|| stats::gini(black_box(&values)).unwrap())
    });
}

fn cap_gini(c: &mut Criterion) {
    let values = random::lognormal_sample(1_000_000, 2.0, 1);
    let settings = CapSettings {
        gini_max: 0.35,
        mode: CapMode::Cap,
        blend: 0.5,
    };
    c.bench_function("capGini/1e6", |b| {
        b.iter(|| allocation::cap_gini("exposure", black_box(&values), &settings).unwrap())
    });
    let solver = allocation::GiniCapSolver::new("exposure", &values).unwrap();
    c.bench_function("capGini/1e6 cached re-solve", |b| {
        b.iter(|| {
            let plan = solver.solve(black_box(&settings)).unwrap();
            solver.apply(&plan, &values)
        })
    });
}

/// A synthetic round: `n` items over `n/10` creators, posteriors from
/// 0–3 days of data, tiers 0–2, 20% new merchants.
struct Workload {
    creators: usize,
    owner: Vec<u32>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    tier: Vec<u32>,
    used: Vec<f64>,
    new_merchant: Vec<bool>,
    diligence: Vec<f64>,
}

fn workload(n: usize) -> Workload {
    let m = n / 10;
    let mut r = random::rng(7);
    let mut owner = Vec::with_capacity(n);
    let (mut alpha, mut beta, mut tier, mut used) = (vec![], vec![], vec![], vec![]);
    for i in 0..n {
        // Zipf-ish ownership: a few creators own many items.
        let u = random::uniform(&mut r);
        owner.push(((u * u) * m as f64) as u32 % m as u32);
        let shown = [0.0, 300.0, 500.0, 3000.0][i % 4];
        let rate = 0.03 * random::lognormal(&mut r, 0.0, 0.5);
        let e = (shown * rate).floor();
        alpha.push(0.9 + e);
        beta.push(29.1 + shown - e);
        tier.push(if i % 50 == 0 {
            2
        } else {
            u32::from(i % 7 == 0)
        });
        used.push(0.0);
    }
    Workload {
        creators: m,
        owner,
        alpha,
        beta,
        tier,
        used,
        new_merchant: (0..m).map(|c| c % 5 == 0).collect(),
        diligence: (0..m).map(|c| (c % 13) as f64).collect(),
    }
}

fn allocate(c: &mut Criterion) {
    let mut group = c.benchmark_group("allocate");
    group.sample_size(10);
    for &(n, label) in &[(100_000usize, "1e5"), (1_000_000, "1e6")] {
        let w = workload(n);
        let settings = RoundSettings {
            budget: 100.0 * n as f64,
            seed: Some(1),
            ..RoundSettings::default()
        };
        group.bench_function(label, |b| {
            b.iter(|| {
                let input = RoundInput {
                    creators: w.creators,
                    item_creator: &w.owner,
                    engagement: Engagement::Posterior {
                        alpha: &w.alpha,
                        beta: &w.beta,
                    },
                    value: None,
                    tier: Some(&w.tier),
                    used: Some(&w.used),
                    new_merchant: Some(&w.new_merchant),
                    merit: MeritSignals {
                        diligence: Some(&w.diligence),
                        ..Default::default()
                    },
                };
                allocation::allocate(&input, black_box(&settings), "request.").unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, inequality, cap_gini, allocate);
criterion_main!(benches);
