//! Native criterion benchmarks of the repurchase fits on the CDNOW sample.
//! Run: `cargo bench --bench repurchase` (short: `-- --measurement-time 2`).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use shijing::repurchase::{self, FitOptions};

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
    let bg = repurchase::fit_bg_nbd(&x, &tx, &t, &o).unwrap().model;
    c.bench_function(
        "bgnbd/probabilityOfRepurchase+expectedPurchases/cdnow",
        |b| {
            b.iter(|| {
                let p = bg
                    .probability_of_repurchase(30.0 / 7.0, black_box(&x), &tx, &t)
                    .unwrap();
                let e = bg.expected_purchases(30.0 / 7.0, &x, &tx, &t).unwrap();
                (p, e)
            })
        },
    );
}

criterion_group!(benches, fits);
criterion_main!(benches);
