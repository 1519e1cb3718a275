//! Predictions that are right, finite and bounded in time (issue 19): the
//! BG/NBD and MBG/NBD limits as a, b → ∞, checks against Monte Carlo and a
//! direct double integral, the fuzz run's cases, and property tests over
//! extreme but valid parameters (every parameter in [1e-13, 1e13]).
#![cfg(not(target_arch = "wasm32"))]

use shijing::repurchase::special::gl16;
use shijing::repurchase::{ClvOptions, MerchantOptions, Model, ModelKind};
use shijing::stats::random::{beta, gamma, rng, uniform, uniform_open, Normals};

#[path = "support/customers.rs"]
mod customers;
use customers::random_rows;

fn model(kind: ModelKind, p: &[f64]) -> Model {
    Model::from_params(kind, p).unwrap()
}

/// `(1 − (1 + p·w)^−n)/p`: expected purchases in a window w·(α+T) long of a
/// customer alive at T with purchase rate ~ Gamma(n, α+T) and a fixed dropout
/// probability p per purchase.
fn g(p: f64, w: f64, n: f64) -> f64 {
    -(-n * (p * w).ln_1p()).exp_m1() / p
}

/// BG/NBD or MBG/NBD with a fixed dropout probability `p` (the a, b → ∞
/// limit): E[purchases in (T, T+h] | x, t_x, T].
#[allow(clippy::too_many_arguments)]
fn fixed_p_expectation(
    modified: bool,
    r: f64,
    alpha: f64,
    p: f64,
    h: f64,
    x: f64,
    tx: f64,
    t: f64,
) -> f64 {
    let n = r + x;
    let dropout = modified || x > 0.0;
    // P(dropped | history) / P(alive | history) = p/(1−p)·((α+T)/(α+t_x))^n
    let odds = if dropout {
        p / (1.0 - p) * (n * ((t - tx) / (alpha + tx)).ln_1p()).exp()
    } else {
        0.0
    };
    g(p, h / (alpha + t), n) / (1.0 + odds)
}

#[test]
fn large_a_b_tend_to_the_fixed_dropout_limit() {
    // The fuzz run's BG/NBD customer (r 0.205, α 0.304, a/(a+b) = 0.1065),
    // and MBG/NBD's new customers, as a and b grow to the bound.
    let (r, alpha, share) = (0.205, 0.304, 1240.0 / 11640.0);
    let ts = [7.0, 30.0, 90.0, 120.0, 365.0];
    for modified in [false, true] {
        let kind = if modified {
            ModelKind::ModifiedBgNbd
        } else {
            ModelKind::BgNbd
        };
        let mut previous: Option<(f64, Vec<f64>)> = None;
        for a in [1e3, 1e4, 1e5, 1e6, 1e8, 1e10, 1e12, 1e13 * share] {
            let b = a * (1.0 - share) / share;
            let m = model(kind, &[r, alpha, a, b]);
            let got: Vec<f64> = ts
                .iter()
                .map(|&h| m.expected_purchases(h, &[3.0], &[1.544], &[2.638]).unwrap()[0])
                .collect();
            // The posterior mean of p after x = 3 survived purchases: a/(a+b+x+m).
            let shift = if modified { 1.0 } else { 0.0 };
            let p_post = a / (a + b + 3.0 + shift);
            for (k, &h) in ts.iter().enumerate() {
                // P(alive) uses the prior odds a/(b+x+m−1) → p/(1−p).
                let limit = fixed_p_expectation(modified, r, alpha, share, h, 3.0, 1.544, 2.638)
                    * g(p_post, h / (alpha + 2.638), r + 3.0)
                    / g(share, h / (alpha + 2.638), r + 3.0);
                let tol = 5.0 / a + 1e-12;
                assert!(
                    (got[k] - limit).abs() <= tol * limit,
                    "{kind:?} a {a}: t {h}: {} vs limit {limit}",
                    got[k]
                );
                if k > 0 {
                    assert!(
                        got[k] >= got[k - 1],
                        "{kind:?} a {a}: not increasing: {got:?}"
                    );
                }
            }
            // Each tenfold (or more) step towards the limit moves the values by O(1/a).
            if let Some((a_prev, prev)) = &previous {
                for k in 0..ts.len() {
                    assert!((got[k] - prev[k]).abs() <= (10.0 / a_prev + 1e-12) * prev[k]);
                }
            }
            previous = Some((a, got));
            // New customers: P(alive at 0) = b/(a+b) (MBG), times g at p̄ = a/(a+b+m).
            let new = m
                .new_customer_expected_purchases(&[5.0, 11.0, 17.0, 23.0, 29.0, 35.0, 1e5])
                .unwrap();
            for (k, &h) in [5.0, 11.0, 17.0, 23.0, 29.0, 35.0, 1e5].iter().enumerate() {
                let alive0 = if modified { b / (a + b) } else { 1.0 };
                let limit = alive0 * g(a / (a + b + shift), h / alpha, r);
                assert!(
                    (new[k] - limit).abs() <= (5.0 / a + 1e-12) * limit,
                    "{kind:?} a {a} new customer t {h}: {} vs {limit}",
                    new[k]
                );
                if k > 0 {
                    assert!(new[k] > new[k - 1], "{new:?}");
                }
            }
        }
    }
}

/// E[purchases in (T, T+h] | alive at T] by a direct double integral over
/// λ ~ Gamma(n, α+T) and p ~ Beta(a, b'), of `(1 − e^(−pλh))/p`:
/// Gauss–Legendre panels in ln λ and in logit p.
fn direct_double_integral(n: f64, big_a: f64, a: f64, bp: f64, h: f64) -> f64 {
    let ln_gamma = |x: f64| libm::lgamma(x);
    // densities in the log/logit coordinates
    let lam = |y: f64| (n * y - (y.exp()) - ln_gamma(n)).exp(); // y = ln(λ·A)
    let pdens = |u: f64| {
        // ln B(a, b')⁻¹ with Γ(a+b')/Γ(b') as a difference (b' up to 1e9)
        let norm = shijing::repurchase::special::ln_gamma_diff(bp, a) - ln_gamma(a);
        (a * u - (a + bp) * u.exp().ln_1p() + norm).exp()
    };
    let (ymid, umid) = (n.ln(), (a / bp).ln());
    // wide enough that the slow tails (rate n on the left in ln λ, rate a or
    // b' in logit p) fall below e^−40
    let (yw, uw) = (12.0 + 40.0 / n.min(1.0), 12.0 + 40.0 / a.min(bp).min(1.0));
    let panels = 300;
    let mut total = 0.0;
    for i in 0..panels {
        let y0 = ymid - yw + 2.0 * yw * i as f64 / panels as f64;
        for (y, wy) in gl16(y0, y0 + 2.0 * yw / panels as f64) {
            let l = y.exp() / big_a;
            let dy = lam(y);
            if dy < 1e-300 {
                continue;
            }
            let mut inner = 0.0;
            for j in 0..panels {
                let u0 = umid - uw + 2.0 * uw * j as f64 / panels as f64;
                for (u, wu) in gl16(u0, u0 + 2.0 * uw / panels as f64) {
                    let p = 1.0 / (1.0 + (-u).exp());
                    inner += wu * pdens(u) * -(-p * l * h).exp_m1() / p;
                }
            }
            total += wy * dy * inner;
        }
    }
    total
}

#[test]
fn expectations_match_a_direct_double_integral_and_monte_carlo() {
    // (r, α, a, b, x, t_x, T, h): CDNOW-like, a < 1 with a long horizon,
    // a + b' < 1 (lifetimes #442), a large a, a huge b (no dropout).
    let cases = [
        (0.243, 4.414, 0.793, 2.426, 2.0, 30.43, 38.86, 39.0),
        (0.243, 4.414, 0.793, 2.426, 0.0, 0.0, 38.86, 2000.0),
        (1.5, 0.3, 0.4, 0.3, 1.0, 0.5, 2.0, 10.0),
        (0.5, 3.0, 80.0, 300.0, 4.0, 10.0, 20.0, 50.0),
        (0.5, 3.0, 0.6, 1e9, 4.0, 10.0, 20.0, 5000.0),
    ];
    for (i, &(r, alpha, a, b, x, tx, t, h)) in cases.iter().enumerate() {
        let m = model(ModelKind::BgNbd, &[r, alpha, a, b]);
        let alive = m.probability_alive(&[x], &[tx], &[t]).unwrap()[0];
        let e = m.expected_purchases(h, &[x], &[tx], &[t]).unwrap()[0] / alive;
        let direct = direct_double_integral(r + x, alpha + t, a, b + x, h);
        eprintln!("case {i}: {e} direct {direct}");
        assert!(
            (e - direct).abs() < 1e-8 * direct,
            "case {i}: {e} vs {direct}"
        );
    }
    // Monte Carlo: customers alive at T with x purchases — λ ~ Gamma(r+x, α+T),
    // p ~ Beta(a, b+x) — bought in (T, T+h] until they dropped out.
    let (r, alpha, a, b, x, t, h) = (0.7, 5.0, 3.0, 7.0, 2.0, 20.0, 30.0);
    let m = model(ModelKind::BgNbd, &[r, alpha, a, b]);
    let e = m.expected_purchases(h, &[x], &[t], &[t]).unwrap()[0]
        / m.probability_alive(&[x], &[t], &[t]).unwrap()[0];
    let mut gr = rng(3);
    let mut normals = Normals::new();
    let draws = 400_000;
    let (mut sum, mut sum2) = (0.0, 0.0);
    for _ in 0..draws {
        let lambda = gamma(&mut gr, &mut normals, r + x) / (alpha + t);
        let p = beta(&mut gr, &mut normals, a, b + x);
        let (mut now, mut k) = (0.0, 0.0);
        loop {
            now += -uniform_open(&mut gr).ln() / lambda;
            if now > h {
                break;
            }
            k += 1.0;
            if uniform(&mut gr) < p {
                break;
            }
        }
        sum += k;
        sum2 += k * k;
    }
    let mean = sum / draws as f64;
    let se = ((sum2 / draws as f64 - mean * mean) / draws as f64).sqrt();
    eprintln!("Monte Carlo {mean} ± {se}, model {e}");
    assert!((mean - e).abs() < 4.0 * se);
}

/// 59 summary rows for the fuzzer's cases.
fn customers() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
    random_rows(59, 11)
}

#[test]
fn fuzz_run_cases() {
    let (x, tx, t, m) = customers();
    let fitted = [
        model(ModelKind::BgNbd, &[0.205, 0.304, 1240.0, 10400.0]),
        model(
            ModelKind::ModifiedBgNbd,
            &[0.24328, 0.19226, 1615195.25, 13282535.4],
        ),
        model(ModelKind::BgNbd, &[0.243, 4.414, 1e-13, 1e13]),
        model(ModelKind::ParetoNbd, &[0.55, 10.58, 1e-13, 11.67]),
        model(ModelKind::ParetoNbd, &[1e13, 1e13, 5e12, 1e13]),
    ];
    let gg = model(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]);
    for md in &fitted {
        // expectedPurchases(1e7, …) on 59 customers: finite and no more than
        // the no-dropout bound n·h/(α+T).
        let e = md.expected_purchases(1e7, &x, &tx, &t).unwrap();
        assert!(e.iter().all(|v| v.is_finite() && *v >= 0.0), "{md:?} {e:?}");
        // CLV over the longest allowed horizon: finite; 121 months: an error.
        let clv = |months: f64| {
            gg.customer_lifetime_value(
                md,
                &x,
                &tx,
                &t,
                &m,
                &ClvOptions {
                    months: Some(months),
                    monthly_discount_rate: None,
                    units_per_month: Some(30.0),
                },
            )
        };
        assert!(clv(120.0)
            .unwrap()
            .iter()
            .all(|v| v.is_finite() && *v >= 0.0));
        assert_eq!(
            clv(1200.0).unwrap_err().to_string(),
            "options.months must be an integer in [1, 120], got 1200"
        );
        let s = md
            .merchant_summary(
                &x,
                &tx,
                &t,
                &MerchantOptions {
                    unit_days: Some(1e-5),
                    alive_threshold: None,
                },
            )
            .unwrap();
        assert!(
            s.expected_purchases90.is_finite() && s.expected_purchases90 >= s.expected_purchases30,
            "{md:?} {s:?}"
        );
        assert_eq!(
            md.merchant_summary(
                &x,
                &tx,
                &t,
                &MerchantOptions {
                    unit_days: Some(1e-6),
                    alive_threshold: None,
                }
            )
            .unwrap_err()
            .to_string(),
            "options.unitDays must be at least 0.000009 (90 days must be at most 10000000 time units), got 0.000001"
        );
        let new = md
            .new_customer_expected_purchases(&[5.0, 11.0, 20.0, 1e5, 1e7])
            .unwrap();
        assert!(
            new.windows(2).all(|w| w[1] >= w[0] && w[1].is_finite()),
            "{new:?}"
        );
    }
    // Parameters outside the supported range are refused, with the range.
    let e =
        Model::from_params(ModelKind::ModifiedBgNbd, &[1e-9, 1e-300, 5e-324, 5e-324]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "params.alpha must be in [1e-13, 10000000000000] (the numerically supported range), got 1e-300"
    );
    let low = model(ModelKind::ModifiedBgNbd, &[1e-9, 1e-13, 1e-13, 1e-13]);
    assert!(low.log_likelihood(&x, &tx, &t, None).unwrap().is_finite());
    // A Gamma-Gamma model with q ≤ 1 has no population mean spend.
    let q_low = model(ModelKind::GammaGamma, &[2.0, 0.8, 10.0]);
    assert_eq!(
        q_low.expected_spend(&[0.0, 2.0], &[0.0, 5.0]).unwrap_err().to_string(),
        "customer 0 has no repeat purchase, and the population mean spend p·v/(q−1) it would get does not exist for q ≤ 1 (q = 0.8)"
    );
    assert!(q_low
        .expected_spend(&[1.0, 2.0], &[7.0, 5.0])
        .unwrap()
        .iter()
        .all(|v| v.is_finite()));
    let huge = gg.expected_spend(&[1.0], &[1e308]).unwrap_err();
    assert!(huge
        .to_string()
        .starts_with("the expected spend of customer 0 overflows"));
}

mod extremes {
    use super::*;
    use proptest::prelude::*;

    fn log_uniform() -> impl Strategy<Value = f64> {
        // the ends themselves, and 10^e strictly inside (10^±13 may round outside)
        prop_oneof![
            Just(1e-13),
            Just(1e13),
            (-12.999f64..=12.999).prop_map(|e| 10f64.powf(e))
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn predictions_are_finite_and_bounded_at_any_supported_parameters(
            kind in 0usize..3,
            p in [log_uniform(), log_uniform(), log_uniform(), log_uniform()],
            x in prop_oneof![Just(0u32), 0u32..30, 0u32..=10_000],
            big_t in prop_oneof![Just(0.0f64), 0.0f64..100.0, 0.0f64..=1e4],
            frac in 0.0f64..=1.0,
            h in prop_oneof![0.0f64..100.0, 0.0f64..=1e7],
        ) {
            let kind = [ModelKind::BgNbd, ModelKind::ModifiedBgNbd, ModelKind::ParetoNbd][kind];
            let m = model(kind, &p);
            let x = x as f64;
            let tx = if x == 0.0 { 0.0 } else { frac * big_t };
            let (xs, txs, ts) = (&[x][..], &[tx][..], &[big_t][..]);
            let ll = m.log_likelihood(xs, txs, ts, None).unwrap();
            prop_assert!(ll.is_finite(), "{kind:?} {p:?} LL {ll}");
            let alive = m.probability_alive(xs, txs, ts).unwrap()[0];
            prop_assert!((0.0..=1.0).contains(&alive), "{kind:?} {p:?} alive {alive}");
            let e = m.expected_purchases(h, xs, txs, ts).unwrap()[0];
            prop_assert!(e.is_finite() && e >= 0.0, "{kind:?} {p:?} E {e}");
            let e2 = m.expected_purchases((2.0 * h).min(1e7), xs, txs, ts).unwrap()[0];
            prop_assert!(e2 >= e * (1.0 - 1e-9), "{kind:?} {p:?} E not monotone {e} {e2}");
            let pr = m.probability_of_repurchase(h, xs, txs, ts).unwrap()[0];
            prop_assert!((0.0..=1.0).contains(&pr) && pr <= alive * (1.0 + 1e-9) + 1e-300,
                "{kind:?} {p:?} P {pr} alive {alive}");
            let new = m.new_customer_expected_purchases(&[h]).unwrap()[0];
            prop_assert!(new.is_finite() && new >= 0.0, "{kind:?} {p:?} new {new}");
            let rep = m.new_customer_repurchase(&[h]).unwrap()[0];
            prop_assert!((0.0..=1.0).contains(&rep));
        }

        #[test]
        fn spend_is_finite_or_an_error(
            p in [log_uniform(), log_uniform(), log_uniform()],
            x in 0u32..1000,
            z in 0.0f64..1e6,
        ) {
            let gg = model(ModelKind::GammaGamma, &p);
            let x = x as f64;
            let z = if x == 0.0 { 0.0 } else { z.max(1e-3) };
            match gg.expected_spend(&[x], &[z]) {
                Ok(v) => prop_assert!(v[0].is_finite() && v[0] > 0.0),
                Err(e) => prop_assert!(x == 0.0 && p[1] <= 1.0 || e.to_string().contains("overflows"), "{e}"),
            }
        }
    }
}

/// A lifetime value over many customers of one x tabulates that x's
/// expectation curve once (where only the direct Beta rule holds: a large r
/// with a < 50) and must give each customer what the customer alone — too
/// few horizons for a table, every month by the direct rule — gets.
#[test]
fn lifetime_values_from_a_tabulated_curve_match_the_direct_rule() {
    let gg = model(ModelKind::GammaGamma, &[6.25, 3.74, 15.44]);
    let mut g = rng(5);
    let (mut x, mut tx, mut t, mut m) = (vec![], vec![], vec![], vec![]);
    for i in 0..240 {
        let tt = 1.0 + 52.0 * uniform(&mut g);
        let xx = (i % 4) as f64 * 3.0; // 60 customers for each of 4 x
        x.push(xx);
        tx.push(if xx > 0.0 { tt * uniform(&mut g) } else { 0.0 });
        t.push(tt);
        m.push(if xx > 0.0 { 20.0 } else { 0.0 });
    }
    let options = ClvOptions {
        months: Some(120.0),
        units_per_month: Some(4.345),
        ..Default::default()
    };
    for kind in [ModelKind::BgNbd, ModelKind::ModifiedBgNbd] {
        for params in [
            [1e3, 1e3, 0.3, 0.3],
            [1e13, 1e13, 0.01, 2.0],
            [80.0, 40.0, 3.0, 1e-4],
        ] {
            let md = model(kind, &params);
            let all = gg
                .customer_lifetime_value(&md, &x, &tx, &t, &m, &options)
                .unwrap();
            for i in (0..240).step_by(7) {
                let one = gg
                    .customer_lifetime_value(
                        &md,
                        &x[i..=i],
                        &tx[i..=i],
                        &t[i..=i],
                        &m[i..=i],
                        &options,
                    )
                    .unwrap()[0];
                assert!(
                    (all[i] - one).abs() <= 1e-10 * one,
                    "{kind:?} {params:?} customer {i}: {} vs {one}",
                    all[i]
                );
            }
        }
    }
}
