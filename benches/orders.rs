//! Native criterion benchmark of reading an order export: 1,000,000 order
//! lines of a realistic Chinese shop export (UTF-8, the columns of
//! tests/data/make_exports.py --big: 19-digit guarded order numbers, buyer
//! ids, two times, product, quantity, ￥ amount, status, after-sale status,
//! refund) through `orders::read_orders`.
//! Run: `cargo bench --bench orders` (short: `-- --measurement-time 5`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

use shijing::orders::{self, values, ReadOptions};

/// A deterministic export of `n` lines, like make_exports.py's `write_big`:
/// about 1.3 lines per order, a fifth as many customers as lines, 5%
/// closed/cancelled orders, 3% refunded lines, 2% partial refunds.
fn export(n: usize) -> Vec<u8> {
    const PRODUCTS: [&str; 10] = [
        "莱润氨基酸洗面奶 120g",
        "莱润保湿水 200ml",
        "若衣真丝衬衫",
        "若衣针织开衫",
        "YeXin 精华 套装",
        "YeXin 面霜",
        "若衣袜子 3双装",
        "莱润洗发水",
        "莱润护手霜",
        "若衣风衣",
    ];
    const PRICES: [&str; 9] = [
        "19.90", "45.50", "59.90", "88.00", "99.00", "128.00", "150.00", "256.00", "1,299.00",
    ];
    let mut state: u64 = 15;
    let mut rnd = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let stamp = |secs: u64| {
        let (y, mo, d) = values::civil_from_days((secs / 86_400) as i64);
        let s = secs % 86_400;
        format!(
            "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    };
    let start = values::days_from_civil(2023, 1, 1) as u64 * 86_400;
    let customers = (n / 5).max(1) as u64;
    let mut out = String::with_capacity(n * 160);
    out.push_str("订单编号,买家ID,买家昵称,下单时间,支付时间,商品名称,数量,实付款,订单状态,售后状态,退款金额\r\n");
    let (mut written, mut order) = (0, 0u64);
    while written < n {
        order += 1;
        let no = 3_901_234_567_000_000_000u64 + order * 7919;
        let guard = if order % 2 == 1 {
            format!("\t{no}")
        } else {
            format!("=\"{no}\"")
        };
        let buyer = 2_088_100_000_000_000 + rnd(customers);
        let t = start + rnd(730 * 86_400);
        let (placed, paid) = (stamp(t), stamp(t + 1 + rnd(599)));
        let u = rnd(100);
        let status = if u < 4 {
            "交易关闭"
        } else if u < 5 {
            "已取消"
        } else {
            "交易成功"
        };
        let lines = if rnd(4) < 3 { 1 } else { 2 + rnd(2) };
        for _ in 0..lines {
            if written == n {
                break;
            }
            let v = rnd(100);
            let (after, refund) = match v {
                0..=2 => ("退款成功", "￥128.00"),
                3..=4 => ("部分退款", "￥10.00"),
                _ => ("", ""),
            };
            let price = PRICES[rnd(PRICES.len() as u64) as usize];
            let amount = if price.contains(',') {
                format!("\"￥{price}\"")
            } else {
                format!("￥{price}")
            };
            out.push_str(&format!(
                "{guard},{buyer},买家{},{placed},{},{},{},{amount},{status},{after},{refund}\r\n",
                buyer % 10_000,
                if status == "交易成功" {
                    paid.as_str()
                } else {
                    ""
                },
                PRODUCTS[rnd(PRODUCTS.len() as u64) as usize],
                1 + rnd(2),
            ));
            written += 1;
        }
    }
    out.into_bytes()
}

fn read(c: &mut Criterion) {
    let bytes = export(1_000_000);
    let o = orders::read_orders(&bytes, &ReadOptions::default()).expect("export reads");
    eprintln!(
        "1M-line export: {} bytes, {} orders, {} purchases, {} customers, {} malformed",
        bytes.len(),
        o.report.orders,
        o.report.purchases,
        o.report.customers,
        o.report.malformed
    );
    if std::env::var_os("ORDERS_BENCH_CPU").is_some() {
        // CPU time of single reads (the machine may be shared): /proc/self/stat.
        let ticks = || -> u64 {
            let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
            s.split(' ')
                .skip(13)
                .take(2)
                .filter_map(|v| v.parse::<u64>().ok())
                .sum()
        };
        for _ in 0..5 {
            let c0 = ticks();
            black_box(orders::read_orders(black_box(&bytes), &ReadOptions::default()).unwrap());
            eprintln!("one read: {} ms CPU", (ticks() - c0) * 10);
        }
    }
    assert_eq!(o.report.lines, 1_000_000);
    assert_eq!(o.report.malformed, 0);
    let mut g = c.benchmark_group("readOrders");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(1_000_000));
    g.bench_function("csv-utf8/1M-lines", |b| {
        b.iter(|| orders::read_orders(black_box(&bytes), &ReadOptions::default()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, read);
criterion_main!(benches);
