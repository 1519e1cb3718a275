//! The bindings, run as Wasm: `cargo test --target wasm32-unknown-unknown --test wasm`
//! runs this suite in Node; with `WASM_BINDGEN_USE_BROWSER=1` in headless Chromium.
//! No configure macro, so the environment picks the runtime.
#![cfg(target_arch = "wasm32")]

use js_sys::{Float64Array, Reflect};
use shijing::bindings::js::Thrown;
use shijing::bindings::stats;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// The message of an error returned by an export.
fn message(e: Thrown) -> String {
    e.message().to_string()
}

/// `class: message` of an error returned by an export.
fn thrown(e: Thrown) -> String {
    format!("{}: {}", e.class_name(), e.message())
}

fn num(x: f64) -> JsValue {
    JsValue::from_f64(x)
}

fn f64s(xs: &[f64]) -> JsValue {
    Float64Array::from(xs).into()
}

#[wasm_bindgen_test]
fn gini_known_answers() {
    assert_eq!(stats::gini(f64s(&[2.0; 8])).unwrap(), 0.0);
    assert!((stats::gini(f64s(&[0.0, 0.0, 0.0, 1.0])).unwrap() - 0.75).abs() < 1e-15);
    let arr = js_sys::Array::of3(&1.0.into(), &2.0.into(), &3.0.into());
    assert!((stats::gini(arr.into()).unwrap() - 2.0 / 9.0).abs() < 1e-15);
}

#[wasm_bindgen_test]
fn gini_errors_name_the_argument() {
    assert_eq!(
        message(stats::gini(f64s(&[1.0, f64::NAN])).unwrap_err()),
        "values[1] is NaN"
    );
    assert_eq!(
        message(stats::gini(f64s(&[])).unwrap_err()),
        "values is empty"
    );
    assert!(
        message(stats::gini(JsValue::from_str("abc")).unwrap_err()).starts_with("values must be")
    );
    assert!(message(stats::gini(JsValue::NULL).unwrap_err()).contains("got null"));
    assert!(message(stats::gini(f64s(&[0.0, 0.0])).unwrap_err()).contains("all zero"));
}

#[wasm_bindgen_test]
fn lorenz_returns_typed_arrays() {
    let curve = stats::lorenz(f64s(&[1.0, 2.0, 3.0, 4.0]), Some(num(5.0))).unwrap();
    let share: Float64Array = Reflect::get(&curve, &"share".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let want = [0.0, 0.1, 0.3, 0.6, 1.0];
    for (a, b) in share.to_vec().iter().zip(want) {
        assert!((a - b).abs() < 1e-15);
    }
    assert!(
        message(stats::lorenz(f64s(&[1.0]), Some(num(1.0))).unwrap_err())
            .starts_with("points must be an integer")
    );
}

#[wasm_bindgen_test]
fn shares_and_samples() {
    let v = stats::sample_exposure(num(1000.0), None).unwrap();
    assert_eq!(v.len(), 1000);
    let top = stats::top_share(f64s(&v), num(0.1)).unwrap();
    let bottom = stats::bottom_share(f64s(&v), num(0.5)).unwrap();
    assert!(top > 0.1 && bottom < 0.5);
    assert!(message(stats::top_share(f64s(&v), num(2.0)).unwrap_err())
        .starts_with("fraction must be in"));
    let opts: JsValue = js_sys::JSON::parse(r#"{"seed": 4, "sigma": 1}"#).unwrap();
    let a = stats::sample_exposure(num(10.0), Some(opts.clone())).unwrap();
    let b = stats::sample_exposure(num(10.0), Some(opts)).unwrap();
    assert_eq!(a, b);
    let bad: JsValue = js_sys::JSON::parse(r#"{"seed": "x"}"#).unwrap();
    assert_eq!(
        thrown(stats::sample_exposure(num(10.0), Some(bad)).unwrap_err()),
        "TypeError: options.seed must be a number, got string"
    );
}

#[path = "support/golden.rs"]
mod golden;

#[wasm_bindgen_test]
fn golden_simulation_is_bit_identical_to_native() {
    let r = shijing::sim::simulate(&golden::scenario()).unwrap();
    assert_eq!(
        r.fingerprint(),
        golden::FINGERPRINT,
        "fingerprint {:#x}",
        r.fingerprint()
    );
}

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |acc, k| {
        Reflect::get(&acc, &(*k).into()).unwrap()
    })
}

#[wasm_bindgen_test]
fn simulate_and_market_model_through_the_bindings() {
    use shijing::bindings::sim;
    let scenario =
        js_sys::JSON::parse(r#"{"days": 20, "seed": 3, "population": {"merchants": 300}}"#)
            .unwrap();
    let r = sim::simulate(Some(scenario.clone())).unwrap();
    let gmv: Float64Array = get(&r, &["merchant", "gmv"]).dyn_into().unwrap();
    assert_eq!(gmv.length(), 20);
    let model = sim::MarketModel::new(Some(scenario)).unwrap();
    let better = js_sys::JSON::parse(r#"{"contentQuality": 0.9}"#).unwrap();
    let worse = js_sys::JSON::parse(r#"{"contentQuality": 0.1}"#).unwrap();
    let total = |t: &JsValue| -> f64 {
        get(t, &["publicExposure"])
            .dyn_into::<Float64Array>()
            .unwrap()
            .to_vec()
            .iter()
            .sum()
    };
    assert!(
        total(&model.run_merchant(better).unwrap()) > total(&model.run_merchant(worse).unwrap())
    );
    let bad = js_sys::JSON::parse(r#"{"contentQuality": 2}"#).unwrap();
    assert_eq!(
        message(model.run_merchant(bad).unwrap_err()),
        "merchant.contentQuality must be in [0, 1], got 2"
    );
    let typo = js_sys::JSON::parse(r#"{"platform": {"giniMaxx": 0.3}}"#).unwrap();
    assert!(thrown(sim::simulate(Some(typo)).unwrap_err())
        .starts_with("TypeError: scenario.platform.giniMaxx is not a known field; expected one of: budget, giniMax,"));
}

#[wasm_bindgen_test]
fn cap_gini_and_allocate_through_the_bindings() {
    use shijing::bindings::allocation;
    let e = stats::sample_exposure(
        num(5000.0),
        Some(js_sys::JSON::parse(r#"{"seed": 3}"#).unwrap()),
    )
    .unwrap();
    let total: f64 = e.iter().sum();
    let capped = allocation::cap_gini(f64s(&e), JsValue::from(0.4), None).unwrap();
    assert!((stats::gini(f64s(&capped)).unwrap() - 0.4).abs() < 1e-9);
    assert!((capped.iter().sum::<f64>() - total).abs() < 1e-9 * total);
    assert_eq!(
        message(allocation::cap_gini(f64s(&e), JsValue::from(1.2), None).unwrap_err()),
        "giniMax must be in [0, 1), got 1.2"
    );
    let request = js_sys::JSON::parse(
        r#"{"items": {"creator": [0, 0, 1, 2], "score": [0.05, 0.02, 0.03, 0.01]},
            "creators": {"count": 3}, "options": {"budget": 100000, "giniMax": 0.3, "seed": 1}}"#,
    )
    .unwrap();
    let r = allocation::allocate(request).unwrap();
    let items: Float64Array = get(&r, &["itemExposure"]).dyn_into().unwrap();
    let unallocated = get(&r, &["unallocated"]).as_f64().unwrap();
    assert_eq!(items.to_vec().iter().sum::<f64>() + unallocated, 100_000.0);
}

/// The CDNOW summary (weeks), as in tests/native_repurchase.rs.
fn cdnow() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut x, mut tx, mut t) = (vec![], vec![], vec![]);
    for line in include_str!("data/cdnow_customers_summary.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<f64> = line.split(',').map(|v| v.trim().parse().unwrap()).collect();
        x.push(f[1]);
        tx.push(f[2]);
        t.push(f[3]);
    }
    (x, tx, t)
}

#[wasm_bindgen_test]
fn bg_nbd_on_cdnow_through_the_bindings() {
    use shijing::bindings::repurchase;
    let (x, tx, t) = cdnow();
    let model = repurchase::fit_bg_nbd(f64s(&x), f64s(&tx), f64s(&t), None).unwrap();
    let params = model.params();
    for (name, want) in [
        ("r", 0.2425929),
        ("alpha", 4.4135323),
        ("a", 0.7928860),
        ("b", 2.4257524),
    ] {
        let got = Reflect::get(&params, &name.into())
            .unwrap()
            .as_f64()
            .unwrap();
        assert!((got / want - 1.0).abs() < 1e-4, "{name}: {got}");
    }
    assert!((model.log_likelihood().unwrap() + 9582.4256).abs() < 0.01);
    // CDNOW customer 3 (x = 0, T = 38.86 weeks): 2.26% within 30 days.
    let p = model
        .probability_of_repurchase(num(30.0 / 7.0), f64s(&[0.0]), f64s(&[0.0]), f64s(&[38.86]))
        .unwrap();
    assert!((p[0] - 0.022648849).abs() < 1e-6, "{}", p[0]);
    match repurchase::fit_bg_nbd(f64s(&[1.0, 2.0]), f64s(&[1.0]), f64s(&[3.0, 3.0]), None) {
        Err(e) => assert!(message(e).contains("recency")),
        Ok(_) => panic!("mismatched lengths must be rejected"),
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// JavaScript's own `String(x)` for a number.
    #[wasm_bindgen(js_name = String)]
    fn js_text(x: f64) -> String;
}

#[wasm_bindgen_test]
fn numbers_in_messages_read_as_javascript_writes_them() {
    use shijing::text::num;
    let edge = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        1.5,
        100.0,
        1e21,
        1e20,
        123456789012345680000.0,
        1e-7,
        1e-6,
        0.000001234,
        5e-324,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        9007199254740992.0,
        0.1 + 0.2,
        f64::from_bits(0x4305_57dd_bb7f_d1d2), // 750948044503610.25, a tie
    ];
    for x in edge {
        assert_eq!(num(x).to_string(), js_text(x), "bits {:#x}", x.to_bits());
    }
    // Pseudo-random bit patterns (splitmix64): any f64, then magnitudes
    // from about 1e-9 to 1e23 where every layout meets.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    for i in 0..6000 {
        let bits = next();
        let bits = if i % 2 == 0 {
            bits
        } else {
            // sign, a biased exponent in [993, 1100), any mantissa
            (bits & (1 << 63))
                | ((993 + (bits >> 52 & 0x3ff) % 107) << 52)
                | (bits & ((1 << 52) - 1))
        };
        let x = f64::from_bits(bits);
        assert_eq!(num(x).to_string(), js_text(x), "bits {bits:#x}");
    }
}

#[wasm_bindgen_test]
fn messages_show_numbers_as_javascript_does() {
    let opts = |json: &str| Some(js_sys::JSON::parse(json).unwrap());
    let seed = |v: f64| {
        let o = js_sys::Object::new();
        Reflect::set(&o, &"seed".into(), &v.into()).unwrap();
        message(stats::sample_exposure(num(10.0), Some(o.into())).unwrap_err())
    };
    assert_eq!(
        seed(1.5),
        "options.seed must be an integer in [0, 4294967295], got 1.5"
    );
    assert_eq!(
        seed(-1.0),
        "options.seed must be an integer in [0, 4294967295], got -1"
    );
    assert_eq!(
        seed(1e21),
        "options.seed must be an integer in [0, 4294967295], got 1e+21"
    );
    assert_eq!(
        seed(f64::INFINITY),
        "options.seed must be an integer in [0, 4294967295], got Infinity"
    );
    assert_eq!(
        seed(f64::NAN),
        "options.seed must be an integer in [0, 4294967295], got NaN"
    );
    assert_eq!(
        message(stats::sample_exposure(num(1e300), None).unwrap_err()),
        "creators must be an integer in [1, 20000000], got 1e+300"
    );
    assert_eq!(
        message(stats::sample_exposure(num(10.0), opts(r#"{"sigma": -1e-7}"#)).unwrap_err()),
        "options.sigma must be in [0, 10], got -1e-7"
    );
    assert_eq!(
        message(stats::gini(f64s(&[1.0, f64::NEG_INFINITY])).unwrap_err()),
        "values[1] is infinite (-Infinity)"
    );
}

/// A JS value from an expression (`new Function`).
fn js(expr: &str) -> JsValue {
    js_sys::Function::new_no_args(&format!("return ({expr});"))
        .call0(&JsValue::NULL)
        .unwrap()
}

#[wasm_bindgen_test]
fn errors_are_thrown_as_the_class_that_fits() {
    let cases: [(Thrown, &str, &str); 4] = [
        (
            stats::gini(JsValue::from_str("abc")).unwrap_err(),
            "TypeError",
            "values must be a Float64Array or an array of numbers, got string",
        ),
        (
            stats::gini(f64s(&[1.0, f64::NAN])).unwrap_err(),
            "RangeError",
            "values[1] is NaN",
        ),
        (
            stats::sample_exposure(num(10.0), Some(js("{ sigmaa: 1 }"))).unwrap_err(),
            "TypeError",
            "options.sigmaa is not a known field; expected one of: sigma, seed",
        ),
        (
            stats::gini(js(
                "{ get length() { throw new Error('boom') }, constructor: Array }",
            ))
            .unwrap_err(),
            "TypeError",
            "values must be a Float64Array or an array of numbers, got an Array",
        ),
    ];
    for (e, class, text) in cases {
        assert_eq!(e.class_name(), class);
        assert_eq!(e.message(), text);
        let v: JsValue = e.into();
        let name = Reflect::get(&v, &"name".into())
            .unwrap()
            .as_string()
            .unwrap();
        assert_eq!(name, class);
        assert!(v.is_instance_of::<js_sys::Error>());
        let m = Reflect::get(&v, &"message".into())
            .unwrap()
            .as_string()
            .unwrap();
        assert_eq!(m, text);
    }
}

#[wasm_bindgen_test]
fn exceptions_while_reading_become_errors_naming_the_argument() {
    use shijing::bindings::{allocation, repurchase, sim};
    let boom = "{ get population() { throw new Error('boom') } }";
    let e = sim::simulate(Some(js(boom))).unwrap_err();
    assert_eq!(
        thrown(e.clone()),
        "Error: scenario.population: reading it threw: boom"
    );
    // The original exception is the error's cause.
    let v: JsValue = e.into();
    let cause = Reflect::get(&v, &"cause".into()).unwrap();
    assert!(cause.is_instance_of::<js_sys::Error>());
    let proxy =
        "new Proxy([1, 2], { get(t, k) { if (k === '1') throw new Error('trap'); return t[k]; } })";
    assert_eq!(
        thrown(stats::gini(js(proxy)).unwrap_err()),
        "Error: values[1]: reading it threw: trap"
    );
    let revoked = "(() => { const p = Proxy.revocable([], {}); p.revoke(); return p.proxy; })()";
    assert!(thrown(stats::gini(js(revoked)).unwrap_err())
        .starts_with("Error: values: reading it threw: TypeError: "));
    assert_eq!(
        thrown(stats::gini(js("new BigInt64Array(2)")).unwrap_err()),
        "TypeError: values must be a Float64Array or an array of numbers, got a BigInt64Array"
    );
    let detached =
        "(() => { const a = new Float64Array(4); structuredClone(a.buffer, { transfer: [a.buffer] }); return a; })()";
    assert_eq!(
        thrown(stats::gini(js(detached)).unwrap_err()),
        "RangeError: values is empty"
    );
    let e = allocation::cap_gini(
        f64s(&[1.0, 2.0]),
        num(0.3),
        Some(js("{ get mode() { throw 'plain' } }")),
    )
    .unwrap_err();
    assert_eq!(thrown(e), "Error: options.mode: reading it threw: plain");
    let endless = "{ tierQuotas: { *[Symbol.iterator]() { for (;;) yield 1; } } }";
    let request = js(&format!(
        "{{ items: {{ creator: [0], score: [1] }}, options: {endless} }}"
    ));
    assert_eq!(
        thrown(allocation::allocate(request).unwrap_err()),
        "RangeError: request.options.tierQuotas has more than 64 elements; at most 64 are supported"
    );
    let e = repurchase::summarize_orders(
        js("['a']"),
        js("[1]"),
        JsValue::NULL,
        js("{ get calibrationEnd() { throw new RangeError('late') } }"),
    )
    .unwrap_err();
    assert_eq!(
        thrown(e),
        "Error: options.calibrationEnd: reading it threw: RangeError: late"
    );
}

#[wasm_bindgen_test]
fn numbers_are_not_coerced() {
    assert_eq!(
        thrown(stats::bottom_share(f64s(&[1.0, 2.0]), JsValue::NULL).unwrap_err()),
        "TypeError: fraction must be a number, got null"
    );
    assert_eq!(
        thrown(stats::top_share(f64s(&[1.0, 2.0]), JsValue::from_str("0.1")).unwrap_err()),
        "TypeError: fraction must be a number, got string"
    );
    assert_eq!(
        thrown(stats::gini(js("[1, '2']")).unwrap_err()),
        "TypeError: values[1] must be a number, got string"
    );
}

#[wasm_bindgen_test]
fn lone_surrogate_customer_ids_stay_distinct() {
    use shijing::bindings::repurchase;
    let s = repurchase::summarize_orders(
        js("['\\uD800', '\\uDC00', '\\uFFFD', '\\uD800']"),
        js("[1, 2, 3, 4]"),
        JsValue::NULL,
        js("{ calibrationEnd: 10 }"),
    )
    .unwrap();
    let customers: js_sys::Array = get(&s, &["customers"]).dyn_into().unwrap();
    assert_eq!(customers.length(), 3);
    let same = js_sys::Function::new_with_args(
        "a",
        "return a[0] === '\\uD800' && a[1] === '\\uDC00' && a[2] === '\\uFFFD'",
    );
    assert_eq!(
        same.call1(&JsValue::NULL, &customers).unwrap(),
        JsValue::TRUE
    );
    let freq: Float64Array = get(&s, &["frequency"]).dyn_into().unwrap();
    assert_eq!(freq.to_vec(), vec![1.0, 0.0, 0.0]);
}
