//! Golden and property tests of the repurchase core on the CDNOW sample
//! (reference numbers: notes/repurchase.md, measured with lifetimes 0.11.3,
//! BTYD, CLVTools and PyMC-Marketing).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::needless_range_loop)]

use shijing::repurchase::{self, FitOptions, Model, ModelKind};

#[path = "support/customers.rs"]
mod customers;
use customers::{day, lifetime_end, purchases};
#[path = "support/boundary.rs"]
mod boundary;
use boundary::check_boundary_report;

struct Cdnow {
    id: Vec<u32>,
    x: Vec<f64>,
    tx: Vec<f64>,
    t: Vec<f64>,
}

fn data_path(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn cdnow() -> Cdnow {
    let text = std::fs::read_to_string(data_path("cdnow_customers_summary.csv")).unwrap();
    let mut d = Cdnow {
        id: vec![],
        x: vec![],
        tx: vec![],
        t: vec![],
    };
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        d.id.push(f[0].parse().unwrap());
        d.x.push(f[1].parse().unwrap());
        d.tx.push(f[2].parse().unwrap());
        d.t.push(f[3].parse().unwrap());
    }
    d
}

/// (x, zbar) from cdnow_customers_summary_with_transactions.csv (no trailing newline).
fn cdnow_spend() -> (Vec<f64>, Vec<f64>) {
    let text = std::fs::read_to_string(data_path("cdnow_customers_summary_with_transactions.csv"))
        .unwrap();
    let mut x = vec![];
    let mut m = vec![];
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[1].parse().unwrap());
        m.push(f[4].parse().unwrap());
    }
    (x, m)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

fn assert_params(got: &[f64], want: &[f64], tol: f64, what: &str) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(rel(*g, *w) < tol, "{what} param {i}: got {g}, want {w}");
    }
}

#[test]
fn bg_nbd_cdnow() {
    let d = cdnow();
    let fit = repurchase::fit_bg_nbd(&d.x, &d.tx, &d.t, &FitOptions::default()).unwrap();
    eprintln!(
        "BG/NBD {:?} LL {} it {} se {:?} {}",
        fit.model.params(),
        fit.log_likelihood,
        fit.iterations,
        fit.standard_errors,
        fit.message
    );
    assert!(fit.converged && !fit.boundary, "{}", fit.message);
    assert_params(
        &fit.model.params(),
        &[0.2425929, 4.4135323, 0.7928860, 2.4257524],
        1e-5,
        "BG/NBD",
    );
    assert!((fit.log_likelihood - -9582.4256).abs() < 0.01);
}

#[test]
fn modified_bg_nbd_cdnow() {
    let d = cdnow();
    let fit = repurchase::fit_modified_bg_nbd(&d.x, &d.tx, &d.t, &FitOptions::default()).unwrap();
    eprintln!(
        "MBG/NBD {:?} LL {} it {} se {:?} {}",
        fit.model.params(),
        fit.log_likelihood,
        fit.iterations,
        fit.standard_errors,
        fit.message
    );
    assert!(fit.converged && !fit.boundary, "{}", fit.message);
    assert_params(
        &fit.model.params(),
        &[0.5248377, 6.1829885, 0.8913563, 1.6140000],
        1e-5,
        "MBG/NBD",
    );
    assert!((fit.log_likelihood - -9582.1327).abs() < 0.01);
}

#[test]
fn pareto_nbd_cdnow() {
    let d = cdnow();
    let fit = repurchase::fit_pareto_nbd(&d.x, &d.tx, &d.t, &FitOptions::default()).unwrap();
    eprintln!(
        "Pareto {:?} LL {} it {} se {:?} {}",
        fit.model.params(),
        fit.log_likelihood,
        fit.iterations,
        fit.standard_errors,
        fit.message
    );
    assert!(fit.converged && !fit.boundary, "{}", fit.message);
    assert_params(
        &fit.model.params(),
        &[0.5532755, 10.577612, 0.6062135, 11.667908],
        1e-5,
        "Pareto/NBD",
    );
    assert!((fit.log_likelihood - -9594.9739).abs() < 0.01);
}

#[test]
fn gamma_gamma_cdnow() {
    let (x, m) = cdnow_spend();
    let fit = repurchase::fit_gamma_gamma(&x, &m, &FitOptions::default()).unwrap();
    eprintln!(
        "GG {:?} LL {} it {} se {:?} {}",
        fit.model.params(),
        fit.log_likelihood,
        fit.iterations,
        fit.standard_errors,
        fit.message
    );
    assert!(fit.converged && !fit.boundary, "{}", fit.message);
    assert_params(
        &fit.model.params(),
        &[6.2488025, 3.7445885, 15.447748],
        1e-5,
        "GG",
    );
    assert!((fit.log_likelihood - -4055.9232).abs() < 0.01);
    assert_eq!(fit.customers, 946.0);
}

// ---------------------------------------------------------------------------
// Per-customer predictions (notes §5.1): IDs 1, 3, 1516, 1901, 2354; t in weeks.

const CUSTOMERS: [(f64, f64, f64); 5] = [
    (2.0, 30.43, 38.86),
    (0.0, 0.0, 38.86),
    (26.0, 30.86, 31.0),
    (21.0, 4.71, 29.29),
    (5.0, 24.29, 27.0),
];

/// Columns: P(alive), E[Y(30 wk)], E[Y(90 wk)], E[Y(39 wk)], E[Y(30 d)], E[Y(90 d)], P(≥1 in 30 d), P(≥1 in 90 d).
const BG_REF: [[f64; 8]; 5] = [
    [
        0.72660914, 0.97747999, 2.3978479, 1.2259104, 0.1575953, 0.45244861, 0.13867829, 0.32115907,
    ],
    [
        1.0,
        0.15338897,
        0.40230119,
        0.19478086,
        0.023672672,
        0.069074702,
        0.022648849,
        0.061158333,
    ],
    [
        0.96891972, 16.87431, 37.683818, 20.75057, 2.9481264, 8.1963139, 0.92057895, 0.96863377,
    ],
    [
        2.489e-11, 3.663e-10, 8.139e-10, 4.499e-10, 6.433e-11, 1.785e-10, 2.294e-11, 2.487e-11,
    ],
    [
        0.83471379, 3.332772, 7.5661544, 4.1126832, 0.57395471, 1.604933, 0.40778835, 0.69654991,
    ],
];
const MBG_REF: [[f64; 8]; 5] = [
    [
        0.70612626, 1.0108469, 2.4249666, 1.2626708, 0.16521098, 0.47196456, 0.14479308, 0.33154774,
    ],
    [
        0.38971644,
        0.12183225,
        0.31088587,
        0.15395364,
        0.019113783,
        0.055441218,
        0.018153774,
        0.048119526,
    ],
    [
        0.96555287, 15.886996, 34.613888, 19.448037, 2.8194014, 7.7935835, 0.91208029, 0.96518664,
    ],
    [
        2.331e-10, 3.240e-09, 7.022e-09, 3.961e-09, 5.780e-10, 1.594e-09, 2.130e-10, 2.328e-10,
    ],
    [
        0.8225181, 3.2176472, 7.1321411, 3.953261, 0.56254866, 1.5643654, 0.40208896, 0.68780892,
    ],
];
const PARETO_REF: [[f64; 8]; 5] = [
    [
        0.86911737, 1.1603053, 2.8567499, 1.4551108, 0.18763949, 0.53781844, 0.16232862, 0.36446184,
    ],
    [
        0.29509269,
        0.085368191,
        0.21018225,
        0.10705819,
        0.01380537,
        0.039569402,
        0.01294646,
        0.033151547,
    ],
    [
        0.99791792, 16.108725, 38.889146, 20.11587, 2.6523934, 7.5468696, 0.90810771, 0.97553112,
    ],
    [
        2.384e-08, 3.238e-07, 7.780e-07, 4.040e-07, 5.357e-08, 1.521e-07, 2.078e-08, 2.315e-08,
    ],
    [
        0.94704439, 3.4873034, 8.3210093, 4.343545, 0.58077658, 1.6447088, 0.41516512, 0.7156483,
    ],
];

fn check_customers(model: &Model, reference: &[[f64; 8]; 5], what: &str) {
    for (c, row) in CUSTOMERS.iter().zip(reference) {
        let (x, tx, t) = (&[c.0][..], &[c.1][..], &[c.2][..]);
        let got = [
            model.probability_alive(x, tx, t).unwrap()[0],
            model.expected_purchases(30.0, x, tx, t).unwrap()[0],
            model.expected_purchases(90.0, x, tx, t).unwrap()[0],
            model.expected_purchases(39.0, x, tx, t).unwrap()[0],
            model.expected_purchases(30.0 / 7.0, x, tx, t).unwrap()[0],
            model.expected_purchases(90.0 / 7.0, x, tx, t).unwrap()[0],
            model
                .probability_of_repurchase(30.0 / 7.0, x, tx, t)
                .unwrap()[0],
            model
                .probability_of_repurchase(90.0 / 7.0, x, tx, t)
                .unwrap()[0],
        ];
        for (k, (g, w)) in got.iter().zip(row).enumerate() {
            // The reference prints 4 significant digits for tiny values, 8 otherwise.
            let tol = if *w < 1e-6 { 2e-3 } else { 1e-6 };
            assert!(
                rel(*g, *w) < tol,
                "{what} customer {c:?} column {k}: got {g}, want {w}"
            );
        }
    }
}

/// lifetimes 0.11.3's own CDNOW estimates (the reference tables were computed with these).
fn lifetimes_models() -> (Model, Model, Model) {
    (
        Model::from_params(
            ModelKind::BgNbd,
            &[
                0.24259292827982182,
                4.413532265271819,
                0.7928859664406882,
                2.42575238262586,
            ],
        )
        .unwrap(),
        Model::from_params(
            ModelKind::ModifiedBgNbd,
            &[
                0.524837725567698,
                6.182988479134173,
                0.8913562809310741,
                1.6140000256718765,
            ],
        )
        .unwrap(),
        Model::from_params(
            ModelKind::ParetoNbd,
            &[
                0.5532755373009155,
                10.577515754452179,
                0.6062191567299211,
                11.667844516371874,
            ],
        )
        .unwrap(),
    )
}

#[test]
fn per_customer_predictions_match_lifetimes() {
    let (bg, mbg, pareto) = lifetimes_models();
    check_customers(&bg, &BG_REF, "BG/NBD");
    check_customers(&mbg, &MBG_REF, "MBG/NBD");
    check_customers(&pareto, &PARETO_REF, "Pareto/NBD");
}

#[test]
fn published_anchors() {
    let (bg, _, _) = lifetimes_models();
    // Hardie's BG/NBD spreadsheet: customer 1, E[Y(39)] = 1.226.
    let e = bg
        .expected_purchases(39.0, &[2.0], &[30.43], &[38.86])
        .unwrap()[0];
    assert!((e - 1.2259104).abs() < 1e-6, "{e}");
    // Unconditional E[X(t)] (= expected purchases of a new customer).
    let ts = [0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0];
    let want = [
        0.0078161, 0.0531847, 0.1506319, 1.0404942, 1.0437372, 1.8579717,
    ];
    let got = bg.new_customer_expected_purchases(&ts).unwrap();
    for (g, w) in got.iter().zip(want) {
        assert!(rel(*g, w) < 1e-5, "E[X(t)] {g} vs {w}");
    }
    // BTYD walkthrough: Pareto/NBD (0.5534, 10.5802, 0.6061, 11.6562), customer 1516.
    let p = Model::from_params(ModelKind::ParetoNbd, &[0.5534, 10.5802, 0.6061, 11.6562]).unwrap();
    let alive = p.probability_alive(&[26.0], &[30.86], &[31.0]).unwrap()[0];
    let e52 = p
        .expected_purchases(52.0, &[26.0], &[30.86], &[31.0])
        .unwrap()[0];
    assert!((alive - 0.9979).abs() < 1e-4, "{alive}");
    assert!((e52 - 25.46).abs() < 0.01, "{e52}");
    // The same customer under lifetimes' own CDNOW estimates: 0.9979179, 25.45655.
    let (_, _, lp) = lifetimes_models();
    let alive = lp.probability_alive(&[26.0], &[30.86], &[31.0]).unwrap()[0];
    let e52 = lp
        .expected_purchases(52.0, &[26.0], &[30.86], &[31.0])
        .unwrap()[0];
    assert!((alive - 0.9979179).abs() < 1e-7, "{alive}");
    assert!((e52 - 25.45655).abs() < 1e-4, "{e52}");
    // PyMC-Marketing 0.19.2 gets this wrong (1.15 %): one-time buyer, 30 days.
    let p3 = bg
        .probability_of_repurchase(30.0 / 7.0, &[0.0], &[0.0], &[38.86])
        .unwrap()[0];
    assert!((p3 - 0.022648849).abs() < 1e-8, "{p3}");
}

#[test]
fn heavy_buyers_match_lifetimes() {
    // notes §6, lifetimes' CDNOW params; columns: BG P(alive), BG E[30 d],
    // Pareto P(alive), Pareto E[30 d], Pareto P(0 in 30 d).
    let (bg, _, pareto) = lifetimes_models();
    let cases: [((f64, f64, f64), [f64; 5]); 4] = [
        (
            (300.0, 38.0, 38.86),
            [0.47842, 13.7015, 0.72123, 18.3292, 0.28019],
        ),
        (
            (1000.0, 38.8, 38.86),
            [0.99684, 95.0930, 0.99860, 84.4846, 0.0019955],
        ),
        (
            (5000.0, 38.85, 38.86),
            [0.99950, 476.613, 0.99979, 422.742, 0.00032612],
        ),
        (
            (300.0, 1.0, 38.86),
            [3.46e-269, 9.90e-268, 7.77e-188, 1.97e-186, 1.0],
        ),
    ];
    let h = 30.0 / 7.0;
    for ((x, tx, t), want) in cases {
        let (x, tx, t) = (&[x][..], &[tx][..], &[t][..]);
        let got = [
            bg.probability_alive(x, tx, t).unwrap()[0],
            bg.expected_purchases(h, x, tx, t).unwrap()[0],
            pareto.probability_alive(x, tx, t).unwrap()[0],
            pareto.expected_purchases(h, x, tx, t).unwrap()[0],
            1.0 - pareto.probability_of_repurchase(h, x, tx, t).unwrap()[0],
        ];
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            let tol = if w < 1e-100 { 2e-3 } else { 2e-4 };
            assert!(
                rel(*g, w) < tol,
                "x={x:?} column {k}: got {g:e}, want {w:e}"
            );
        }
    }
}

#[test]
fn gamma_gamma_spend_and_clv_match_lifetimes() {
    let gg = Model::from_params(
        ModelKind::GammaGamma,
        &[6.248802496075312, 3.744588460923114, 15.44774806492914],
    )
    .unwrap();
    let (bg, _, _) = lifetimes_models();
    let x: Vec<f64> = CUSTOMERS.iter().map(|c| c.0).collect();
    let tx: Vec<f64> = CUSTOMERS.iter().map(|c| c.1).collect();
    let t: Vec<f64> = CUSTOMERS.iter().map(|c| c.2).collect();
    let m = [22.35, 0.0, 39.97, 299.63, 44.93];
    let spend = gg.expected_spend(&x, &m).unwrap();
    let want = [24.658616, 35.171002, 39.890277, 294.21211, 44.141958];
    for (g, w) in spend.iter().zip(want) {
        assert!(rel(*g, w) < 1e-7, "spend {g} vs {w}");
    }
    let clv = gg
        .customer_lifetime_value(
            &bg,
            &x,
            &tx,
            &t,
            &m,
            &repurchase::ClvOptions {
                months: Some(12.0),
                monthly_discount_rate: Some(0.01),
                units_per_month: Some(4.345),
            },
        )
        .unwrap();
    let want = [36.278496, 8.344093, 972.12556, 1.55e-7, 214.01852];
    for (g, w) in clv.iter().zip(want) {
        let tol = if w < 1e-3 { 5e-3 } else { 1e-6 };
        assert!(rel(*g, w) < tol, "CLV {g} vs {w}");
    }
}

// ---------------------------------------------------------------------------
// Order log → summary, holdout, merchant summary.

/// Days since 1970-01-01 of a yyyymmdd date (proleptic Gregorian).
fn day_number(yyyymmdd: u32) -> f64 {
    let (y, m, d) = (yyyymmdd / 10000, (yyyymmdd / 100) % 100, yyyymmdd % 100);
    let (y, m) = if m <= 2 {
        (y as i64 - 1, m + 9)
    } else {
        (y as i64, m - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m as i64 + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146097 + doe - 719468) as f64
}

struct Orders {
    keys: Vec<u32>,
    days: Vec<f64>,
    amounts: Vec<f64>,
}

fn cdnow_orders() -> Orders {
    let text = std::fs::read_to_string(data_path("CDNOW_sample.txt")).unwrap();
    let mut o = Orders {
        keys: vec![],
        days: vec![],
        amounts: vec![],
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split_whitespace().collect();
        o.keys.push(f[1].parse().unwrap());
        o.days.push(day_number(f[2].parse().unwrap()));
        o.amounts.push(f[4].parse().unwrap());
    }
    o
}

fn cdnow_split() -> repurchase::Summary {
    let o = cdnow_orders();
    repurchase::summarize(
        &o.keys,
        &o.days,
        Some(&o.amounts),
        &repurchase::SummaryOptions {
            calibration_end: day_number(19970930),
            observation_end: Some(day_number(19980630)),
            period_days: Some(1.0),
            unit_days: Some(7.0),
        },
    )
    .unwrap()
}

#[test]
fn summary_reproduces_the_cdnow_csv() {
    assert_eq!(day_number(19700101), 0.0);
    assert_eq!(day_number(19970930) - day_number(19970101), 272.0);
    let s = cdnow_split();
    let d = cdnow();
    assert_eq!(s.customers.len(), 2357);
    assert_eq!(s.customers, d.id, "first-seen order is the file's ID order");
    let round2 = |v: f64| (v * 100.0).round() / 100.0;
    for i in 0..d.id.len() {
        assert_eq!(s.frequency[i], d.x[i], "frequency of ID {}", d.id[i]);
        assert!(
            (round2(s.recency[i]) - d.tx[i]).abs() < 1e-9,
            "recency of ID {}",
            d.id[i]
        );
        assert!(
            (round2(s.t[i]) - d.t[i]).abs() < 1e-9,
            "T of ID {}",
            d.id[i]
        );
    }
    // Monetary = mean repeat-period value: matches zbar to the cent (zbar is
    // rounded half-up by its author; ties like ID 401's 18.135 may round either way).
    let (_, zbar) = cdnow_spend();
    for i in 0..d.id.len() {
        assert!(
            (s.monetary[i] - zbar[i]).abs() <= 0.005 + 1e-9,
            "monetary of ID {}",
            d.id[i]
        );
    }
    assert_eq!(s.holdout_duration, Some(39.0));
    let total: f64 = s.holdout_frequency.as_ref().unwrap().iter().sum();
    assert_eq!(total, 1882.0);
}

#[test]
fn holdout_and_merchant_summary() {
    let s = cdnow_split();
    let o = FitOptions::default();
    let hf = s.holdout_frequency.clone().unwrap();
    let want = [
        (1653.4, 0.0722, 0.1527),
        (1576.7, 0.0702, 0.1460),
        (1665.5, 0.0714, 0.1447),
    ];
    for (k, w) in want.iter().enumerate() {
        let fit = match k {
            0 => repurchase::fit_bg_nbd(&s.frequency, &s.recency, &s.t, &o),
            1 => repurchase::fit_modified_bg_nbd(&s.frequency, &s.recency, &s.t, &o),
            _ => repurchase::fit_pareto_nbd(&s.frequency, &s.recency, &s.t, &o),
        }
        .unwrap();
        let h = fit
            .model
            .holdout_check(
                &s.frequency,
                &s.recency,
                &s.t,
                &hf,
                39.0,
                &Default::default(),
            )
            .unwrap();
        eprintln!(
            "model {k}: predicted {} actual {}",
            h.predicted_total, h.actual_total
        );
        assert!(
            (h.predicted_total - w.0).abs() < 0.05,
            "model {k}: {}",
            h.predicted_total
        );
        assert_eq!(h.actual_total, 1882.0);
        assert_eq!(h.customers.iter().sum::<u32>(), 2357);
        assert_eq!(h.frequency.len(), 8);
        // one-time buyers: the biggest group
        assert_eq!(h.customers[0], 1411);
        let m = fit
            .model
            .merchant_summary(
                &s.frequency,
                &s.recency,
                &s.t,
                &repurchase::MerchantOptions {
                    unit_days: Some(7.0),
                    alive_threshold: None,
                },
            )
            .unwrap();
        eprintln!("model {k}: {m:?}");
        assert!(
            (m.share_buying_next30 - w.1).abs() < 5e-5,
            "30 d {}",
            m.share_buying_next30
        );
        assert!(
            (m.share_buying_next90 - w.2).abs() < 5e-5,
            "90 d {}",
            m.share_buying_next90
        );
        assert!(m.share_alive > 0.0 && m.share_alive <= 1.0);
    }
}

#[test]
fn new_customer_curves() {
    // notes §5.3: model-implied P(repeat within w days) for a new customer.
    let s = cdnow();
    let o = FitOptions::default();
    let bg = repurchase::fit_bg_nbd(&s.x, &s.tx, &s.t, &o).unwrap().model;
    let mbg = repurchase::fit_modified_bg_nbd(&s.x, &s.tx, &s.t, &o)
        .unwrap()
        .model;
    let days = [30.0, 60.0, 90.0, 180.0, 273.0];
    let t: Vec<f64> = days.iter().map(|d| d / 7.0).collect();
    let want_bg = [0.15178, 0.23032, 0.28178, 0.37247, 0.42569];
    let want_mbg = [0.15556, 0.23610, 0.28722, 0.37191, 0.41739];
    let got_bg = bg.new_customer_repurchase(&t).unwrap();
    let got_mbg = mbg.new_customer_repurchase(&t).unwrap();
    for i in 0..days.len() {
        assert!((got_bg[i] - want_bg[i]).abs() < 1e-5, "BG {}", got_bg[i]);
        assert!(
            (got_mbg[i] - want_mbg[i]).abs() < 1e-5,
            "MBG {}",
            got_mbg[i]
        );
    }
    // Pareto: increasing, in [0, 1], and equal to the x = T = 0 conditional value.
    let p = repurchase::fit_pareto_nbd(&s.x, &s.tx, &s.t, &o)
        .unwrap()
        .model;
    let got = p.new_customer_repurchase(&t).unwrap();
    assert!(got.windows(2).all(|w| w[0] < w[1]));
    assert!(got.iter().all(|v| (0.0..=1.0).contains(v)));
    let e = p.new_customer_expected_purchases(&t).unwrap();
    assert!(e.windows(2).all(|w| w[0] < w[1]));
}

// ---------------------------------------------------------------------------
// Weights, boundary fits, extremes, invariants, bad input.

#[test]
fn weights_equal_expanded_rows() {
    let d = cdnow();
    // Compress by hand into (x, t_x, T) with counts.
    let mut rows: Vec<(f64, f64, f64, f64)> = Vec::new();
    for i in 0..d.x.len() {
        match rows
            .iter_mut()
            .find(|r| r.0 == d.x[i] && r.1 == d.tx[i] && r.2 == d.t[i])
        {
            Some(r) => r.3 += 1.0,
            None => rows.push((d.x[i], d.tx[i], d.t[i], 1.0)),
        }
    }
    assert!(rows.len() < 1100);
    let x: Vec<f64> = rows.iter().map(|r| r.0).collect();
    let tx: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let t: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let w: Vec<f64> = rows.iter().map(|r| r.3).collect();
    let weighted = FitOptions {
        weights: Some(w),
        ..Default::default()
    };
    for k in 0..3 {
        let (a, b) = match k {
            0 => (
                repurchase::fit_bg_nbd(&d.x, &d.tx, &d.t, &FitOptions::default()).unwrap(),
                repurchase::fit_bg_nbd(&x, &tx, &t, &weighted).unwrap(),
            ),
            1 => (
                repurchase::fit_modified_bg_nbd(&d.x, &d.tx, &d.t, &FitOptions::default()).unwrap(),
                repurchase::fit_modified_bg_nbd(&x, &tx, &t, &weighted).unwrap(),
            ),
            _ => (
                repurchase::fit_pareto_nbd(&d.x, &d.tx, &d.t, &FitOptions::default()).unwrap(),
                repurchase::fit_pareto_nbd(&x, &tx, &t, &weighted).unwrap(),
            ),
        };
        assert_params(&b.model.params(), &a.model.params(), 1e-9, "weighted");
        assert!((a.log_likelihood - b.log_likelihood).abs() < 1e-6);
        assert_eq!(a.customers, b.customers);
    }
}

/// lifetimes' `donations.csv` (Fader, Hardie & Shang 2010; 11,104 donors,
/// 6 yearly opportunities): frequency, recency, n, count.
const DONATIONS: [(f64, f64, f64); 22] = [
    (0.0, 0.0, 3464.0),
    (1.0, 1.0, 1091.0),
    (1.0, 2.0, 277.0),
    (1.0, 3.0, 129.0),
    (1.0, 4.0, 78.0),
    (1.0, 5.0, 119.0),
    (1.0, 6.0, 129.0),
    (2.0, 2.0, 613.0),
    (2.0, 3.0, 255.0),
    (2.0, 4.0, 155.0),
    (2.0, 5.0, 173.0),
    (2.0, 6.0, 234.0),
    (3.0, 3.0, 322.0),
    (3.0, 4.0, 181.0),
    (3.0, 5.0, 225.0),
    (3.0, 6.0, 357.0),
    (4.0, 4.0, 240.0),
    (4.0, 5.0, 284.0),
    (4.0, 6.0, 512.0),
    (5.0, 5.0, 335.0),
    (5.0, 6.0, 728.0),
    (6.0, 6.0, 1203.0),
];

#[test]
fn boundary_fit_is_returned_not_thrown() {
    // lifetimes' BetaGeoFitter raises ConvergenceError here (the MLE has a → 0).
    let x: Vec<f64> = DONATIONS.iter().map(|r| r.0).collect();
    let tx: Vec<f64> = DONATIONS.iter().map(|r| r.1).collect();
    let t = vec![6.0; DONATIONS.len()];
    let w: Vec<f64> = DONATIONS.iter().map(|r| r.2).collect();
    let fit = repurchase::fit_bg_nbd(
        &x,
        &tx,
        &t,
        &FitOptions {
            weights: Some(w),
            ..Default::default()
        },
    )
    .unwrap();
    eprintln!(
        "donations BG/NBD {:?} LL {} boundary {} {}",
        fit.model.params(),
        fit.log_likelihood,
        fit.boundary,
        fit.message
    );
    assert!(fit.boundary, "{:?}", fit.model.params());
    assert!(fit.message.contains("boundary"));
    assert!(fit.log_likelihood.is_finite());
    assert_eq!(fit.customers, 11104.0);
    // predictions still work
    let p = fit.model.probability_alive(&[2.0], &[3.0], &[6.0]).unwrap()[0];
    assert!((0.0..=1.0).contains(&p));
}

#[test]
fn tiny_and_degenerate_data_do_not_fail() {
    let o = FitOptions::default();
    // all one-time buyers: no repeat information at all
    let z = vec![0.0; 10];
    let t: Vec<f64> = (1..=10).map(|v| v as f64).collect();
    for fit in [
        repurchase::fit_bg_nbd(&z, &z, &t, &o),
        repurchase::fit_modified_bg_nbd(&z, &z, &t, &o),
        repurchase::fit_pareto_nbd(&z, &z, &t, &o),
    ] {
        let fit = fit.unwrap();
        assert!(fit.log_likelihood.is_finite());
        assert!(fit.model.params().iter().all(|v| v.is_finite() && *v > 0.0));
    }
    // a single customer
    let fit = repurchase::fit_pareto_nbd(&[3.0], &[5.0], &[10.0], &o).unwrap();
    assert!(fit.log_likelihood.is_finite());
    let fit = repurchase::fit_gamma_gamma(&[2.0], &[10.0], &o).unwrap();
    assert!(fit.log_likelihood.is_finite());
}

#[test]
fn bad_input_messages() {
    let o = FitOptions::default();
    let e = |r: shijing::Result<repurchase::Fit>| r.unwrap_err().to_string();
    assert_eq!(
        e(repurchase::fit_bg_nbd(
            &[1.0, f64::NAN],
            &[1.0, 1.0],
            &[2.0, 2.0],
            &o
        )),
        "frequency[1] is NaN"
    );
    assert_eq!(
        e(repurchase::fit_bg_nbd(
            &[1.0, 1.0, 1.0, 1.0],
            &[1.0, 1.0, 1.0, 5.0],
            &[2.0, 2.0, 2.0, 2.0],
            &o
        )),
        "recency[3] is greater than T[3] (5 > 2)"
    );
    assert_eq!(
        e(repurchase::fit_pareto_nbd(&[0.5], &[0.0], &[1.0], &o)),
        "frequency[0] must be an integer, got 0.5"
    );
    assert_eq!(
        e(repurchase::fit_pareto_nbd(&[], &[], &[], &o)),
        "frequency is empty"
    );
    assert!(
        e(repurchase::fit_bg_nbd(&[1.0], &[1.0], &[f64::INFINITY], &o))
            .starts_with("T[0] is infinite")
    );
    assert!(e(repurchase::fit_bg_nbd(&[1.0], &[-1.0], &[2.0], &o))
        .starts_with("recency[0] is negative"));
    let w = FitOptions {
        weights: Some(vec![1.0, 2.0]),
        ..Default::default()
    };
    assert!(
        e(repurchase::fit_bg_nbd(&[1.0], &[1.0], &[2.0], &w)).starts_with("weights has 2 elements")
    );
    let it = FitOptions {
        max_iterations: Some(0),
        ..Default::default()
    };
    assert!(
        e(repurchase::fit_bg_nbd(&[1.0], &[1.0], &[2.0], &it)).starts_with("options.maxIterations")
    );
    assert!(e(repurchase::fit_gamma_gamma(&[0.0], &[0.0], &o))
        .contains("no customer with a repeat purchase"));
    let bg = Model::from_params(ModelKind::BgNbd, &[0.243, 4.414, 0.793, 2.426]).unwrap();
    assert_eq!(
        bg.expected_purchases(f64::NAN, &[1.0], &[1.0], &[2.0])
            .unwrap_err()
            .to_string(),
        "t is NaN"
    );
    assert!(bg.expected_purchases(1e12, &[1.0], &[1.0], &[2.0]).is_err());
    assert!(bg
        .expected_spend(&[1.0], &[1.0])
        .unwrap_err()
        .to_string()
        .contains("gammagamma"));
    assert!(
        Model::from_params(ModelKind::BgNbd, &[0.243, -4.0, 0.793, 2.426])
            .unwrap_err()
            .to_string()
            .starts_with("params.alpha must be > 0")
    );
}

// ---------------------------------------------------------------------------
// Synthetic customers drawn from the models: the fit recovers the parameters,
// and reaches the same optimum from another start.

/// `n` customers drawn from `kind` with parameters `p` (BG/NBD, MBG/NBD:
/// r, α, a, b; Pareto/NBD: r, α, s, β), observed for T uniform in [20, 52]
/// weeks, times rounded to days (so rows repeat, as in real data).
fn draw(kind: ModelKind, p: [f64; 4], n: usize, seed: u32) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    use shijing::stats::random::{beta, gamma, rng, uniform, Normals};
    let mut g = rng(seed);
    let mut normals = Normals::new();
    let (mut xs, mut txs, mut ts) = (vec![], vec![], vec![]);
    for _ in 0..n {
        let big_t = day(20.0 + 32.0 * uniform(&mut g));
        let lambda = gamma(&mut g, &mut normals, p[0]) / p[1];
        let (x, tx) = match kind {
            ModelKind::ParetoNbd => {
                let mu = gamma(&mut g, &mut normals, p[2]) / p[3];
                let end = lifetime_end(&mut g, mu, big_t);
                purchases(&mut g, lambda, end, f64::INFINITY, |_| false)
            }
            _ => {
                let q = beta(&mut g, &mut normals, p[2], p[3]);
                // MBG/NBD: a customer may also drop out at the first purchase
                if kind == ModelKind::ModifiedBgNbd && uniform(&mut g) < q {
                    (0.0, 0.0)
                } else {
                    purchases(&mut g, lambda, big_t, f64::INFINITY, |g| uniform(g) < q)
                }
            }
        };
        xs.push(x);
        txs.push(if x > 0.0 { day(tx).min(big_t) } else { 0.0 });
        ts.push(big_t);
    }
    (xs, txs, ts)
}

/// Maximizes `kind`'s likelihood from `start` (parameters, not logs) with the
/// optimizer alone, bypassing the fit's own starting point.
fn optimum_from(kind: ModelKind, x: &[f64], tx: &[f64], t: &[f64], start: [f64; 4]) -> Vec<f64> {
    use repurchase::bgnbd::{BgObjective, Variant};
    use repurchase::data::Rows;
    use repurchase::optimize::{maximize, Settings};
    use repurchase::pareto_nbd::ParetoObjective;
    let rows = Rows::new(x, tx, t, None);
    let phi = start.map(f64::ln);
    let out = match kind {
        ModelKind::BgNbd | ModelKind::ModifiedBgNbd => {
            let variant = if kind == ModelKind::BgNbd {
                Variant::Bg
            } else {
                Variant::Modified
            };
            maximize(
                &BgObjective {
                    rows: &rows,
                    variant,
                },
                phi,
                Settings::default(),
            )
        }
        _ => maximize(&ParetoObjective { rows: &rows }, phi, Settings::default()),
    };
    assert!(out.converged, "{kind:?} from {start:?}: {out:?}");
    out.phi.iter().map(|v| v.exp()).collect()
}

fn fit(kind: ModelKind, x: &[f64], tx: &[f64], t: &[f64]) -> repurchase::Fit {
    let o = FitOptions::default();
    match kind {
        ModelKind::BgNbd => repurchase::fit_bg_nbd(x, tx, t, &o),
        ModelKind::ModifiedBgNbd => repurchase::fit_modified_bg_nbd(x, tx, t, &o),
        _ => repurchase::fit_pareto_nbd(x, tx, t, &o),
    }
    .unwrap()
}

#[test]
fn synthetic_customers_recover_the_parameters() {
    let cases = [
        (ModelKind::BgNbd, [0.25, 4.0, 0.8, 2.5]),
        (ModelKind::BgNbd, [2.0, 10.0, 0.3, 5.0]),
        (ModelKind::ModifiedBgNbd, [0.5, 6.0, 0.9, 1.6]),
        (ModelKind::ParetoNbd, [0.55, 10.0, 0.6, 12.0]),
    ];
    for (seed, (kind, truth)) in cases.into_iter().enumerate() {
        let (x, tx, t) = draw(kind, truth, 5000, 11 + seed as u32);
        let f = fit(kind, &x, &tx, &t);
        eprintln!(
            "{kind:?} truth {truth:?}: {:?} it {} se {:?}",
            f.model.params(),
            f.iterations,
            f.standard_errors
        );
        assert!(f.converged && !f.boundary, "{kind:?}: {}", f.message);
        for (i, (est, se)) in f.model.params().iter().zip(&f.standard_errors).enumerate() {
            assert!(se.is_finite() && *se > 0.0, "{kind:?} se{i} {se}");
            assert!(
                (est - truth[i]).abs() < 4.0 * se,
                "{kind:?} param {i}: {est} ± {se}, truth {}",
                truth[i]
            );
        }
        // The same optimum from a distant start, with the optimizer alone.
        let k = 5.0;
        let far = [k * truth[0], truth[1] / k, k * truth[2], k * truth[3]];
        let other = optimum_from(kind, &x, &tx, &t, far);
        assert_params(&other, &f.model.params(), 1e-6, "distant start");
    }
}

#[test]
fn cdnow_optimum_is_the_same_from_distant_starts() {
    let d = cdnow();
    for kind in [ModelKind::BgNbd, ModelKind::ModifiedBgNbd] {
        let f = fit(kind, &d.x, &d.tx, &d.t);
        for start in [[0.05, 1.0, 0.1, 0.5], [3.0, 100.0, 5.0, 40.0]] {
            let other = optimum_from(kind, &d.x, &d.tx, &d.t, start);
            assert_params(
                &other,
                &f.model.params(),
                1e-6,
                &format!("{kind:?} from {start:?}"),
            );
        }
    }
}

mod invariants {
    use super::*;
    use proptest::prelude::*;

    fn models() -> Vec<Model> {
        vec![
            Model::from_params(
                ModelKind::BgNbd,
                &[0.2425929, 4.4135323, 0.792886, 2.4257524],
            )
            .unwrap(),
            Model::from_params(
                ModelKind::ModifiedBgNbd,
                &[0.5248377, 6.1829885, 0.8913563, 1.614],
            )
            .unwrap(),
            Model::from_params(
                ModelKind::ParetoNbd,
                &[0.5532755, 10.577612, 0.6062135, 11.667908],
            )
            .unwrap(),
            // a < 1 < … and a + b < 1 (the lifetimes #442 regime), and β ≪ α
            Model::from_params(ModelKind::BgNbd, &[1.5, 0.3, 0.4, 0.3]).unwrap(),
            Model::from_params(ModelKind::ModifiedBgNbd, &[0.05, 200.0, 3.0, 0.2]).unwrap(),
            Model::from_params(ModelKind::ParetoNbd, &[2.0, 50.0, 0.2, 0.05]).unwrap(),
            Model::from_params(ModelKind::ParetoNbd, &[0.1, 0.5, 3.0, 400.0]).unwrap(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn predictions_are_finite_bounded_and_monotone(
            x in 0u32..=10_000,
            t_frac in 0.0f64..=1.0,
            big_t in 0.0f64..=10_000.0,
            h1 in 0.0f64..=500.0,
            dh in 0.0f64..=500.0,
        ) {
            let x = x as f64;
            let tx = if x == 0.0 { 0.0 } else { t_frac * big_t };
            for m in models() {
                let ll = m.log_likelihood(&[x], &[tx], &[big_t], None).unwrap();
                prop_assert!(ll.is_finite(), "{m:?} LL {ll}");
                let alive = m.probability_alive(&[x], &[tx], &[big_t]).unwrap()[0];
                prop_assert!((0.0..=1.0).contains(&alive), "{m:?} alive {alive}");
                let e1 = m.expected_purchases(h1, &[x], &[tx], &[big_t]).unwrap()[0];
                let e2 = m.expected_purchases(h1 + dh, &[x], &[tx], &[big_t]).unwrap()[0];
                prop_assert!(e1.is_finite() && e2.is_finite() && e1 >= 0.0, "{m:?} E {e1} {e2}");
                prop_assert!(e2 >= e1 * (1.0 - 1e-9) - 1e-300, "{m:?} E not monotone: {e1} > {e2}");
                let p1 = m.probability_of_repurchase(h1, &[x], &[tx], &[big_t]).unwrap()[0];
                let p2 = m.probability_of_repurchase(h1 + dh, &[x], &[tx], &[big_t]).unwrap()[0];
                prop_assert!((0.0..=1.0).contains(&p1) && (0.0..=1.0).contains(&p2));
                prop_assert!(p2 >= p1 * (1.0 - 1e-9) - 1e-300, "{m:?} P not monotone: {p1} > {p2}");
                prop_assert!(p1 <= alive * (1.0 + 1e-9) + 1e-300, "{m:?} P(repurchase) {p1} > P(alive) {alive}");
            }
        }
    }
}

/// CPU time per fit (user+system ticks of this process, robust to other
/// processes competing for the cores): `cargo test --release --test
/// native_repurchase cpu_time -- --ignored --nocapture`.
#[test]
#[ignore]
fn cpu_time_per_fit() {
    fn cpu_seconds() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let after = stat.rsplit(')').next().unwrap_or("");
        let f: Vec<&str> = after.split_whitespace().collect();
        let ticks: f64 = f.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
            + f.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        ticks / 100.0
    }
    let d = cdnow();
    let (xs, ms) = cdnow_spend();
    let o = FitOptions::default();
    let n = 300;
    let time = |name: &str, f: &dyn Fn()| {
        let c0 = cpu_seconds();
        for _ in 0..n {
            f();
        }
        eprintln!(
            "{name}: {:.3} ms CPU per fit",
            (cpu_seconds() - c0) * 1e3 / n as f64
        );
    };
    time("fitBgNbd", &|| {
        drop(repurchase::fit_bg_nbd(&d.x, &d.tx, &d.t, &o))
    });
    time("fitModifiedBgNbd", &|| {
        drop(repurchase::fit_modified_bg_nbd(&d.x, &d.tx, &d.t, &o))
    });
    time("fitParetoNbd", &|| {
        drop(repurchase::fit_pareto_nbd(&d.x, &d.tx, &d.t, &o))
    });
    time("fitGammaGamma", &|| {
        drop(repurchase::fit_gamma_gamma(&xs, &ms, &o))
    });
}

/// The data set on which the old quasi-Newton Pareto/NBD fit stopped at
/// its iteration limit (README): the Newton fit converges near the truth.
#[test]
fn pareto_fit_converges_where_it_did_not() {
    let truth = [1.5, 8.0, 0.4, 30.0];
    let (x, tx, t) = draw(ModelKind::ParetoNbd, truth, 5000, 15);
    let f = fit(ModelKind::ParetoNbd, &x, &tx, &t);
    eprintln!(
        "converged {} after {} iterations: {:?}",
        f.converged,
        f.iterations,
        f.model.params()
    );
    assert!(f.converged && !f.boundary, "{}", f.message);
    assert!(f.iterations < 30);
    for (i, (est, se)) in f.model.params().iter().zip(&f.standard_errors).enumerate() {
        assert!((est - truth[i]).abs() < 4.0 * se, "param {i}: {est} ± {se}");
    }
}
/// BG/NBD customers whose dropout probability is 0 or 1 (a, b → 0 with
/// a/(a+b) = `share`): a share drop out at their first repeat purchase, the
/// rest never.
fn draw_two_point(share: f64, n: usize, seed: u32) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    use shijing::stats::random::{gamma, rng, uniform, Normals};
    let mut g = rng(seed);
    let mut normals = Normals::new();
    let (mut xs, mut txs, mut ts) = (vec![], vec![], vec![]);
    for _ in 0..n {
        let big_t = day(20.0 + 32.0 * uniform(&mut g));
        let lambda = gamma(&mut g, &mut normals, 0.7) / 4.0;
        let drops = uniform(&mut g) < share;
        let (x, tx) = purchases(&mut g, lambda, big_t, f64::INFINITY, |_| drops);
        xs.push(x);
        txs.push(if x > 0.0 { day(tx).min(big_t) } else { 0.0 });
        ts.push(big_t);
    }
    (xs, txs, ts)
}

/// The best BG/NBD likelihood with a and b both held at a limit (their ratio,
/// r and α free), by Newton on that face from a few starts.
fn best_on_ab_face(x: &[f64], tx: &[f64], t: &[f64], toward_infinity: bool) -> f64 {
    use repurchase::bgnbd::{BgObjective, Variant};
    use repurchase::data::Rows;
    use repurchase::optimize::{maximize, Affine, Settings, PHI_BOUND};
    let rows = Rows::new(x, tx, t, None);
    let obj = BgObjective {
        rows: &rows,
        variant: Variant::Bg,
    };
    let level = if toward_infinity {
        PHI_BOUND - 3.0
    } else {
        3.0 - PHI_BOUND
    };
    let face = Affine {
        inner: &obj,
        c: [0.0, 0.0, level, level],
        a: [
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 0.5, 0.0],
            [0.0, 0.0, -0.5, 0.0],
        ],
        k: 3,
    };
    let mut best = f64::NEG_INFINITY;
    for start in [
        [0.0, 1.0, -1.0, 0.0],
        [-1.0, 2.0, 1.0, 0.0],
        [1.0, 0.0, 0.0, 0.0],
    ] {
        let out = maximize(&face, start, Settings::default());
        best = best.max(out.value);
    }
    best
}

#[test]
fn boundary_fit_takes_the_better_side() {
    // A third drop out at their first repeat purchase, the rest never: the
    // sup is at a, b → 0 (a two-point dropout probability), well above
    // anything with a, b → ∞ (one dropout probability for all).
    let (x, tx, t) = draw_two_point(0.35, 3000, 21);
    let f = repurchase::fit_bg_nbd(&x, &tx, &t, &FitOptions::default()).unwrap();
    let (zero, inf) = (
        best_on_ab_face(&x, &tx, &t, false),
        best_on_ab_face(&x, &tx, &t, true),
    );
    eprintln!(
        "{:?} LL {} ({}); a,b → 0 face {zero}, a,b → ∞ face {inf}",
        f.model.params(),
        f.log_likelihood,
        f.message
    );
    assert!(
        zero > inf + 10.0,
        "the data do not separate the sides: {zero} vs {inf}"
    );
    assert!(f.boundary && f.converged, "{}", f.message);
    let named: Vec<(&str, bool)> = f
        .limits
        .iter()
        .map(|l| (l.param, l.toward_infinity))
        .collect();
    assert!(
        named.contains(&("a", false)) && named.contains(&("b", false)),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("a → 0 and b → 0 together"),
        "{}",
        f.message
    );
    assert!(f.log_likelihood >= zero - 1e-6);
    let p = f.model.params();
    assert!(p[2] < 1e-4 && p[3] < 1e-4, "{p:?}");
}

/// Every boundary message names each parameter at most once, with the
/// direction its returned value takes.
#[test]
fn boundary_messages_are_consistent() {
    let checks: Vec<repurchase::Fit> = {
        let (x, tx, t) = draw_two_point(0.35, 3000, 21);
        let x2: Vec<f64> = DONATIONS.iter().map(|r| r.0).collect();
        let tx2: Vec<f64> = DONATIONS.iter().map(|r| r.1).collect();
        let t2 = vec![6.0; DONATIONS.len()];
        let w2: Vec<f64> = DONATIONS.iter().map(|r| r.2).collect();
        let o = FitOptions::default();
        let ow = FitOptions {
            weights: Some(w2),
            ..Default::default()
        };
        vec![
            repurchase::fit_bg_nbd(&x, &tx, &t, &o).unwrap(),
            repurchase::fit_modified_bg_nbd(&x, &tx, &t, &o).unwrap(),
            repurchase::fit_pareto_nbd(&x, &tx, &t, &o).unwrap(),
            repurchase::fit_bg_nbd(&x2, &tx2, &t2, &ow).unwrap(),
            repurchase::fit_modified_bg_nbd(&x2, &tx2, &t2, &ow).unwrap(),
            repurchase::fit_pareto_nbd(&x2, &tx2, &t2, &ow).unwrap(),
        ]
    };
    for f in &checks {
        eprintln!("{:?}: {:?} {}", f.model.kind(), f.model.params(), f.message);
        check_boundary_report(f);
    }
}
