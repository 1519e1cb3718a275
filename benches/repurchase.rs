//! Native criterion benchmarks of the repurchase fits and predictions.
//! Run: `cargo bench --bench repurchase` (short: `-- --measurement-time 2`;
//! one group: `-- pareto`).
//!
//! Fits: CDNOW, lifetimes' example data, and the slowest Pareto/NBD sets of
//! the grid in tests/native_pareto.rs (the same simulator and seeds), heavy
//! buyers, and a heavy-buyer set whose rounded purchase times push the fit
//! to a boundary (the slowest case seen). Predictions: 10,000 customers, the
//! worst parameters found (a, b at the fitter's bound; a Pareto/NBD with
//! α/β = 1e-13), CLV over the longest allowed horizon (120 months).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use shijing::repurchase::{self, ClvOptions, FitOptions, MerchantOptions, Model, ModelKind};

#[path = "../tests/support/customers.rs"]
mod customers;
use customers::{pareto_customers, pareto_grid_set, random_rows};

fn load() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    let dir = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!(
        "{dir}/tests/data/cdnow_customers_summary_with_transactions.csv"
    ))
    .expect("tests/data/cdnow_customers_summary_with_transactions.csv");
    let (mut x, mut tx, mut t, mut m) = (vec![], vec![], vec![], vec![]);
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap_or(0.0)).collect();
        x.push(f[1]);
        tx.push(f[2]);
        t.push(f[3]);
        m.push(f[4]);
    }
    (x, tx, t, m)
}

fn fits(c: &mut Criterion) {
    let (x, tx, t, m) = load();
    let o = FitOptions::default();
    c.bench_function("fitBgNbd/cdnow", |b| {
        b.iter(|| repurchase::fit_bg_nbd(black_box(&x), &tx, &t, &o).unwrap())
    });
    c.bench_function("fitModifiedBgNbd/cdnow", |b| {
        b.iter(|| repurchase::fit_modified_bg_nbd(black_box(&x), &tx, &t, &o).unwrap())
    });
    c.bench_function("fitParetoNbd/cdnow", |b| {
        b.iter(|| repurchase::fit_pareto_nbd(black_box(&x), &tx, &t, &o).unwrap())
    });
    c.bench_function("fitGammaGamma/cdnow", |b| {
        b.iter(|| repurchase::fit_gamma_gamma(black_box(&x), &m, &o).unwrap())
    });
}

/// Heavy buyers (as in tests/native_pareto.rs), t_x rounded to days or not.
fn heavy_buyers(round_tx: bool) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let p = [2.0, 0.05, 0.5, 20.0];
    pareto_customers(p, 5000, 77, (20.0, 52.0), f64::INFINITY, round_tx)
}

fn pareto(c: &mut Criterion) {
    let o = FitOptions::default();
    let mut group = c.benchmark_group("pareto");
    group.sample_size(10);
    // The slowest interior fits of the grid (r 0.1, α 1, s 0.3, β 100; r 2,
    // α 1, s 0.3, β 100) and its slowest boundary fits (sets 73, 77).
    for k in [2usize, 56, 73, 77] {
        let (x, tx, t) = pareto_grid_set(k);
        group.bench_function(format!("fitParetoNbd/grid{k}"), |b| {
            b.iter(|| repurchase::fit_pareto_nbd(black_box(&x), &tx, &t, &o).unwrap())
        });
    }
    let (x, tx, t) = heavy_buyers(false);
    group.bench_function("fitParetoNbd/heavy-buyers", |b| {
        b.iter(|| repurchase::fit_pareto_nbd(black_box(&x), &tx, &t, &o).unwrap())
    });
    let (x, tx, t) = heavy_buyers(true);
    group.bench_function("fitParetoNbd/heavy-buyers-boundary", |b| {
        b.iter(|| repurchase::fit_pareto_nbd(black_box(&x), &tx, &t, &o).unwrap())
    });
    group.finish();
}

fn predictions(c: &mut Criterion) {
    let (x, tx, t, m) = random_rows(10_000, 5);
    let gg = Model::from_params(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]).unwrap();
    let models = [
        (
            "bgnbd-cdnow",
            Model::from_params(ModelKind::BgNbd, &[0.243, 4.414, 0.793, 2.426]),
        ),
        (
            "bgnbd-ab-bound",
            Model::from_params(ModelKind::BgNbd, &[0.205, 0.304, 1.2e12, 8.8e12]),
        ),
        (
            "mbgnbd-issue19",
            Model::from_params(
                ModelKind::ModifiedBgNbd,
                &[0.24328, 0.19226, 1615195.25, 13282535.4],
            ),
        ),
        (
            "paretonbd-cdnow",
            Model::from_params(ModelKind::ParetoNbd, &[0.553, 10.58, 0.606, 11.67]),
        ),
        (
            "paretonbd-extreme",
            Model::from_params(ModelKind::ParetoNbd, &[0.55, 1e-3, 0.61, 1e10]),
        ),
    ];
    let mut group = c.benchmark_group("predict-10000");
    group.sample_size(10);
    for (name, md) in &models {
        let md = md.as_ref().unwrap();
        group.bench_function(format!("expectedPurchases-1e7/{name}"), |b| {
            b.iter(|| md.expected_purchases(1e7, black_box(&x), &tx, &t).unwrap())
        });
        group.bench_function(format!("merchantSummary/{name}"), |b| {
            let o = MerchantOptions {
                unit_days: Some(7.0),
                alive_threshold: None,
            };
            b.iter(|| md.merchant_summary(black_box(&x), &tx, &t, &o).unwrap())
        });
        group.bench_function(format!("customerLifetimeValue-120m/{name}"), |b| {
            let o = ClvOptions {
                months: Some(120.0),
                monthly_discount_rate: None,
                units_per_month: Some(4.345),
            };
            b.iter(|| {
                gg.customer_lifetime_value(md, black_box(&x), &tx, &t, &m, &o)
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, fits, pareto, predictions);
criterion_main!(benches);
