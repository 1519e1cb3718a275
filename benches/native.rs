//! Native criterion benchmarks of the core. Run: `cargo bench --bench native`.
//! Results and the machine they ran on go to BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use shijing::stats::{self, random};

fn inequality(c: &mut Criterion) {
    let values = random::lognormal_sample(1_000_000, 1.5, 1);
    c.bench_function("gini/1e6", |b| {
        b.iter(|| stats::gini(black_box(&values)).unwrap())
    });
}

criterion_group!(benches, inequality);
criterion_main!(benches);
