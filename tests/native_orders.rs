//! Reading merchants' order exports (`orders::read_orders`) on the fixtures
//! of tests/data/make_exports.py, whose comments give each row's fate; the
//! expected counts and sums below are worked out by hand from those rows.
#![cfg(not(target_arch = "wasm32"))]

use shijing::orders::values::days_from_civil;
use shijing::orders::{
    self, AmountScope, ChosenBy, ColumnRef, Orders, ReadOptions, Reason, Report, Role, Rule,
    TextEncoding,
};

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read(name: &str) -> Orders {
    orders::read_orders(&data(name), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Reads `bytes` with the default options changed by `set`.
fn read_with(bytes: &[u8], set: impl FnOnce(&mut ReadOptions)) -> shijing::Result<Orders> {
    let mut o = ReadOptions::default();
    set(&mut o);
    orders::read_orders(bytes, &o)
}

/// Reads `text` (not decoded from bytes) with the default options changed by `set`.
fn text_with(text: &str, set: impl FnOnce(&mut ReadOptions)) -> shijing::Result<Orders> {
    let mut o = ReadOptions::default();
    set(&mut o);
    orders::read_orders_text(text, None, &o)
}

/// The malformed rows' lines and reasons.
fn malformed(r: &Report) -> Vec<(u64, Reason)> {
    r.malformed_rows
        .iter()
        .map(|m| (m.line, m.reason))
        .collect()
}

fn day(y: i64, m: i64, d: i64) -> f64 {
    days_from_civil(y, m, d) as f64
}

const A: &str = "2088102177000001";
const B: &str = "tb_小雨88";
const C: &str = "2088102177000003";
const E: &str = "2088102177000005";
const G: &str = "2088102177000007";

/// The shop export's purchases and counts, whatever its encoding or format.
/// `blank`: the text files have a blank line 14; a sheet has no such row.
fn check_shop_export(o: &Orders, blank: u64) {
    let r = &o.report;
    // Columns by header: (column, index, header).
    let c = &r.columns;
    for (chosen, index, header) in [
        (&c.order, 0, "订单编号"),
        (&c.customer, 1, "买家ID"),
        (&c.time, 3, "下单时间"),
        (&c.amount, 7, "实付款"),
        (&c.status, 8, "订单状态"),
        (&c.refund_status, 9, "售后状态"),
        (&c.refund_amount, 10, "退款金额"),
    ] {
        let chosen = chosen.as_ref().expect("column chosen");
        assert_eq!(
            (chosen.index, chosen.header.as_str(), chosen.by),
            (index, header, ChosenBy::Header)
        );
    }
    assert_eq!(r.amount_scope, AmountScope::Line);
    assert_eq!(r.header_line, Some(1));
    assert_eq!(r.skipped_lines, 0);
    // Lines: 23 after the header; line 14 blank in text.
    assert_eq!(r.lines, 22);
    assert_eq!(r.blank_lines, blank);
    assert_eq!(r.purchase_lines, 12);
    assert_eq!((r.excluded_lines.closed, r.excluded_lines.refunded), (3, 3));
    assert_eq!(r.malformed, 4);
    assert_eq!(
        malformed(r),
        vec![
            (20, Reason::Time),
            (21, Reason::Amount),
            (22, Reason::Customer),
            (24, Reason::Customer),
        ]
    );
    assert_eq!(r.malformed_rows[0].value, "2024-02-30 10:00:00");
    assert_eq!(r.malformed_rows[1].value, "abc");
    // Orders: O01–O16 and the 合计 line.
    assert_eq!(r.orders, 17);
    assert_eq!(r.purchases, 8);
    assert_eq!((r.excluded.closed, r.excluded.refunded), (3, 2));
    assert_eq!(r.unread_orders, 4);
    assert_eq!(r.partially_refunded, 2);
    assert_eq!(r.refunds_subtracted, 30.0);
    assert_eq!(r.unknown_refund_amounts, 0);
    assert_eq!(r.customers, 5);
    assert_eq!(r.first_day, Some(day(2024, 1, 5)));
    assert_eq!(r.last_day, Some(day(2024, 3, 9)));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // The purchases, in order of their first line.
    assert_eq!(o.ids, vec![A, B, E, C, G]);
    assert_eq!(o.customers, vec![0, 1, 1, 0, 2, 3, 1, 4]);
    assert_eq!(
        o.days,
        vec![
            day(2024, 1, 5),
            day(2024, 1, 6),
            day(2024, 2, 1),
            day(2024, 2, 10),
            day(2024, 2, 14),
            day(2024, 3, 1),
            day(2024, 3, 5),
            day(2024, 3, 9),
        ]
    );
    let amounts = o.amounts.as_ref().expect("amounts");
    assert_eq!(
        amounts,
        &vec![187.9, 1299.0, 99.0, 98.0, 59.7, 66.0, 150.0, 50.0]
    );
    // Exact fixed-point sums: 2009.60 is the nearest f64 to the written total.
    let total_units: i64 = amounts.iter().map(|a| (a * 100.0).round() as i64).sum();
    assert_eq!(total_units, 200_960);
    // Status values seen, with the rule each matched.
    let status = |col: Role, v: &str| {
        r.statuses
            .iter()
            .find(|s| s.column == col && s.value == v)
            .map(|s| (s.lines, s.rule))
    };
    assert_eq!(status(Role::Status, "交易成功"), Some((17, None)));
    assert_eq!(
        status(Role::Status, "交易关闭"),
        Some((1, Some(Rule::Closed)))
    );
    assert_eq!(
        status(Role::Status, "等待买家付款"),
        Some((1, Some(Rule::Closed)))
    );
    assert_eq!(
        status(Role::RefundStatus, "退款成功"),
        Some((2, Some(Rule::Refunded)))
    );
    assert_eq!(status(Role::RefundStatus, "退款关闭"), Some((1, None)));
}

#[test]
fn shop_export_utf8_with_bom() {
    let o = read("shop_export_utf8bom.csv");
    assert_eq!(o.report.format, "csv");
    assert_eq!(o.report.encoding, Some(TextEncoding::Utf8));
    assert!(o.report.bom);
    assert_eq!(o.report.delimiter, Some(orders::Delimiter::Comma));
    check_shop_export(&o, 1);
}

#[test]
fn shop_export_gbk() {
    let o = read("shop_export_gbk.csv");
    assert_eq!(o.report.encoding, Some(TextEncoding::Gb18030));
    assert!(!o.report.bom);
    check_shop_export(&o, 1);
}

#[test]
fn shop_export_utf16le_tab_separated() {
    let o = read("shop_export_utf16le.txt");
    assert_eq!(o.report.encoding, Some(TextEncoding::Utf16Le));
    assert!(o.report.bom);
    assert_eq!(o.report.delimiter, Some(orders::Delimiter::Tab));
    check_shop_export(&o, 1);
}

#[cfg(feature = "xlsx")]
#[test]
fn shop_export_xlsx() {
    let o = read("shop_export.xlsx");
    assert_eq!(o.report.format, "xlsx");
    assert_eq!(o.report.encoding, None);
    assert_eq!(o.report.sheet.as_deref(), Some("订单"));
    assert_eq!(o.report.sheets, vec!["订单".to_string()]);
    check_shop_export(&o, 0);
    // The sheet by name and by index; a missing one is named.
    let by_name = read_with(&data("shop_export.xlsx"), |o| {
        o.sheet = Some(orders::SheetRef::Name("订单".into()))
    })
    .unwrap();
    assert_eq!(by_name, o);
    let e = read_with(&data("shop_export.xlsx"), |o| {
        o.sheet = Some(orders::SheetRef::Index(1))
    })
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "options.sheet is 1, but the workbook has 1 sheets (\"订单\")"
    );
}

#[cfg(feature = "xlsx")]
#[test]
fn a_sheet_as_text_reads_as_the_workbook() {
    let w = orders::sheet_text(&data("shop_export.xlsx"), None).unwrap();
    assert_eq!(w.sheet, "订单");
    let text = String::from_utf8(w.text.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1],
        "3901234567890120001\t2088102177000001\t小林\t2024-01-05 10:12:33\t2024-01-05 10:13:01\t莱润氨基酸洗面奶 120g\t1\t128\t交易成功"
    );
    // Buyer C's id, stored as a number, in full; row 14 (absent) an empty line.
    assert!(lines[4].contains("\t2088102177000003\t"));
    assert_eq!(lines[13], "");
    let o = orders::read_orders(&w.text, &ReadOptions::default()).unwrap();
    assert_eq!(o.report.delimiter, Some(orders::Delimiter::Tab));
    check_shop_export(&o, 1);
}

#[test]
fn text_passed_decoded_reads_the_same() {
    let bytes = data("shop_export_utf8bom.csv");
    let text = std::str::from_utf8(&bytes).unwrap();
    let o = orders::read_orders_text(text, Some(TextEncoding::Gb18030), &ReadOptions::default())
        .unwrap();
    assert_eq!(o.report.encoding, Some(TextEncoding::Gb18030));
    assert!(o.report.bom);
    check_shop_export(&o, 1);
}

#[test]
fn douyin_export_with_title_line_and_order_level_amounts() {
    let o = read("douyin_export.csv");
    let r = &o.report;
    assert_eq!(r.encoding, Some(TextEncoding::Utf8));
    assert_eq!(r.header_line, Some(2));
    assert_eq!(r.skipped_lines, 1);
    let header = |c: &Option<orders::ColumnChoice>| c.as_ref().map(|c| c.header.clone());
    assert_eq!(header(&r.columns.order).as_deref(), Some("主订单编号"));
    assert_eq!(header(&r.columns.customer).as_deref(), Some("用户ID"));
    assert_eq!(header(&r.columns.time).as_deref(), Some("订单提交时间"));
    assert_eq!(header(&r.columns.amount).as_deref(), Some("订单应付金额"));
    assert_eq!(
        header(&r.columns.refund_status).as_deref(),
        Some("售后状态")
    );
    assert_eq!(r.columns.refund_amount, None);
    assert_eq!(r.amount_scope, AmountScope::Order);
    assert_eq!(r.lines, 9);
    assert_eq!((r.excluded_lines.closed, r.excluded_lines.refunded), (1, 2));
    assert_eq!(r.purchase_lines, 4);
    assert_eq!(
        malformed(r),
        vec![(10, Reason::CustomerConflict), (11, Reason::Time)]
    );
    assert_eq!(r.orders, 6);
    assert_eq!(r.purchases, 3);
    assert_eq!((r.excluded.closed, r.excluded.refunded), (1, 1));
    assert_eq!(r.unread_orders, 1);
    assert_eq!(r.partially_refunded, 1);
    assert_eq!(r.unknown_refund_amounts, 1);
    assert_eq!(r.order_amount_conflicts, 1);
    assert_eq!(o.ids, vec!["U1", "U2"]);
    assert_eq!(o.customers, vec![0, 1, 1]);
    assert_eq!(
        o.days,
        vec![day(2024, 4, 1), day(2024, 4, 3), day(2024, 4, 9)]
    );
    assert_eq!(o.amounts, Some(vec![150.0, 198.0, 90.0]));
    // Summed per line instead (the caller's choice): 5001 keeps its non-refunded line.
    let lines = read_with(&data("douyin_export.csv"), |o| {
        o.amount_column = Some(ColumnRef::Name("商品金额".into()))
    })
    .unwrap();
    assert_eq!(lines.report.amount_scope, AmountScope::Line);
    assert_eq!(lines.amounts, Some(vec![100.0, 198.0, 120.0]));
}

#[test]
fn rules_can_be_changed() {
    let bytes = data("shop_export_utf8bom.csv");
    // Nothing excluded, no refunds subtracted: every readable line is a purchase.
    let all = read_with(&bytes, |o| {
        o.exclude_closed = false;
        o.exclude_refunded = false;
        o.subtract_refunds = false;
    })
    .unwrap();
    assert_eq!(all.report.purchase_lines, 18);
    assert_eq!(all.report.purchases, 13);
    assert_eq!(all.report.excluded.closed + all.report.excluded.refunded, 0);
    // O05 whole (99 + 45.50), O07 whole (128).
    let amounts = all.amounts.unwrap();
    assert_eq!(amounts[4], 144.5);
    // 已发货 counted as closed by the caller's own list; 交易关闭 no longer.
    let custom = read_with(&bytes, |o| {
        o.closed_statuses = Some(vec!["已发货".into(), " 已取消 ".into()])
    })
    .unwrap();
    assert_eq!(custom.report.excluded.closed, 2);
    assert_eq!(custom.report.purchases, 8 - 1 + 2);
}

#[test]
fn columns_can_be_set_by_name_or_index() {
    let bytes = data("shop_export_utf8bom.csv");
    let o = read_with(&bytes, |o| {
        o.customer_column = Some(ColumnRef::Name("买家昵称".into()));
        o.time_column = Some(ColumnRef::Index(4));
        o.order_column = Some(ColumnRef::None);
    })
    .unwrap();
    let r = &o.report;
    assert_eq!(r.columns.customer.as_ref().unwrap().by, ChosenBy::Option);
    assert_eq!(r.columns.time.as_ref().unwrap().header, "支付时间");
    assert_eq!(r.columns.order, None);
    // Without order numbers each line is an order; unpaid lines have no payment
    // time but are excluded before their time is read.
    assert_eq!(r.orders, r.lines);
    assert_eq!(o.ids[0], "小林");
    let e = read_with(&bytes, |o| {
        o.customer_column = Some(ColumnRef::Name("会员".into()))
    })
    .unwrap_err();
    assert!(
        e.to_string().starts_with(
            "options.customerColumn names the column \"会员\", which is not in the header (columns: \"订单编号\", \"买家ID\""
        ),
        "{e}"
    );
    let e = read_with(&bytes, |o| o.time_column = Some(ColumnRef::Index(40))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "options.timeColumn is 40, but the rows have 11 columns (0 to 10)"
    );
}

#[test]
fn the_old_explorer_fixtures_read_by_content() {
    // customer,date,amount with no Chinese names (CDNOW) and the malformed log.
    let o = read("cdnow_orders.csv");
    assert_eq!(o.report.purchases, 6919);
    assert_eq!(o.report.customers, 2357);
    assert_eq!(o.report.malformed, 0);
    assert_eq!(o.report.first_day, Some(day(1997, 1, 1)));
    assert_eq!(o.report.last_day, Some(day(1998, 6, 30)));
    assert_eq!(o.report.columns.order, None);
    let o = read("orders_malformed.csv");
    assert_eq!(
        malformed(&o.report),
        vec![
            (4, Reason::Time),
            (6, Reason::Customer),
            (8, Reason::Amount),
            (10, Reason::Columns),
            (12, Reason::Time),
            (14, Reason::NegativeAmount),
        ]
    );
    assert_eq!(o.report.purchases, 8);
    let a = o.amounts.unwrap();
    assert_eq!((a[2], a[3]), (1299.0, 88.0));
    // CDNOW's own whitespace-separated file, no header: columns by content.
    let o = read("CDNOW_sample.txt");
    assert_eq!(o.report.delimiter, Some(orders::Delimiter::Whitespace));
    assert_eq!(o.report.header_line, None);
    assert_eq!(o.report.purchases, 6919);
}

#[test]
fn headerless_and_content_detection() {
    let text = "u1,2024-01-01 10:00,￥12.50\nu2,2024/1/2,8\nu1,2024年1月5日,3.00\n";
    let o = orders::read_orders(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(o.report.header_line, None);
    let by = |c: &Option<orders::ColumnChoice>| c.as_ref().map(|c| (c.index, c.by));
    assert_eq!(by(&o.report.columns.customer), Some((0, ChosenBy::Content)));
    assert_eq!(by(&o.report.columns.time), Some((1, ChosenBy::Content)));
    assert_eq!(by(&o.report.columns.amount), Some((2, ChosenBy::Content)));
    assert_eq!(o.ids, vec!["u1", "u2"]);
    assert_eq!(
        o.days,
        vec![day(2024, 1, 1), day(2024, 1, 2), day(2024, 1, 5)]
    );
    assert_eq!(o.amounts, Some(vec![12.5, 8.0, 3.0]));
    // Day-first dates, told by a day above 12.
    let o = orders::read_orders(
        b"c,d\nx,25/12/2024\ny,01/02/2024\n",
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(o.report.date_order, orders::DateOrder::Dmy);
    assert!(!o.report.date_order_ambiguous);
    assert_eq!(o.days, vec![day(2024, 12, 25), day(2024, 2, 1)]);
    // Excel serial dates in a time column named by its header.
    let o = orders::read_orders(
        "买家,下单时间\nx,45356\n".as_bytes(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(o.days, vec![day(2024, 3, 5)]);
    assert_eq!(o.amounts, None);
}

#[test]
fn long_ids_stay_exact_and_excel_rounding_is_flagged() {
    let text = "订单号,买家ID,下单时间,实付金额\n\
                =\"1234567890123456789\",=\"98765432109876543210\",2024-05-01,1\n\
                \t1234567890123456788,98765432109876543210,2024-05-02,2\n\
                1234567890123456789,98765432109876543210,2024-05-03,3\n";
    let o = orders::read_orders(text.as_bytes(), &ReadOptions::default()).unwrap();
    // Orders …789 (lines 2 and 4) and …788: two orders; one 20-digit buyer.
    assert_eq!(o.report.orders, 2);
    assert_eq!(o.ids, vec!["98765432109876543210"]);
    assert_eq!(o.amounts, Some(vec![4.0, 2.0]));
    assert_eq!(o.days, vec![day(2024, 5, 1), day(2024, 5, 2)]);
    let text = "订单号,买家ID,下单时间\n3.90123E+18,a,2024-05-01\n3.90123E+18,b,2024-05-02\n";
    let o = orders::read_orders(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(o.report.malformed_rows[0].reason, Reason::CustomerConflict);
    assert!(o.report.warnings[0]
        .starts_with("order numbers such as \"3.90123E+18\" (line 2) were rounded by Excel"));
}

#[test]
fn bad_files_say_what_is_missing() {
    let err = |b: &[u8]| {
        orders::read_orders(b, &ReadOptions::default())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(err(b""), "the file is empty");
    assert_eq!(err(b"\xEF\xBB\xBF"), "the file has no rows");
    assert_eq!(
        err("买家ID,下单时间,实付款\n".as_bytes()),
        "the file has no data rows (only a header row)"
    );
    assert_eq!(
        err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "the file is a PNG image, not an order export (a CSV/TSV text or an .xlsx workbook)"
    );
    assert_eq!(
        err("数量,单价\n1,2\n3,4\n".as_bytes()),
        "no customer (买家ID, 用户ID, 买家昵称, customer …; set options.customerColumn) and no order time (下单时间, 支付时间, 订单创建时间, date …; set options.timeColumn) column found: no header names it and no column's content fits (columns: \"数量\", \"单价\")"
    );
    assert_eq!(
        err("买家ID,备注\na,x\nb,y\n".as_bytes()),
        "no order time (下单时间, 支付时间, 订单创建时间, date …; set options.timeColumn) column found: no header names it and no column's content fits (columns: \"买家ID\", \"备注\")"
    );
    assert!(err(b"PK\x03\x04garbage").contains(".xlsx"));
}

mod never_panics {
    //! No bytes make the reader panic (a panic traps the Wasm instance):
    //! random bytes, random CSV-ish text, and the fixtures — xlsx included —
    //! with random bytes overwritten, inserted or cut.
    use super::*;
    use proptest::prelude::*;

    const FIXTURES: [&str; 5] = [
        "shop_export_utf8bom.csv",
        "shop_export_gbk.csv",
        "shop_export_utf16le.txt",
        "shop_export.xlsx",
        "douyin_export.csv",
    ];

    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            ",",
            "\t",
            "\n",
            "\r\n",
            "\"",
            "=\"",
            "'",
            " ",
            "0",
            "9",
            "12",
            "2024",
            "-",
            "/",
            ".",
            ":",
            "年",
            "月",
            "日",
            "￥",
            "¥",
            "元",
            "1,299.00",
            "-10",
            "E+18",
            "订单编号",
            "买家ID",
            "下单时间",
            "实付款",
            "订单状态",
            "售后状态",
            "退款金额",
            "交易关闭",
            "退款成功",
            "2024-02-30",
            "2024-03-05 10:00:00",
            "45356",
            "1709569800000",
            "\u{FEFF}",
            "\u{3000}",
            "\0",
            "\u{FFFD}",
            "99999999999999999999",
            "PK\u{3}\u{4}",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
            let _ = orders::read_orders(&bytes, &ReadOptions::default());
        }

        #[test]
        fn random_csvish_text(tokens in prop::collection::vec(token(), 0..400)) {
            let text: String = tokens.concat();
            let _ = orders::read_orders(text.as_bytes(), &ReadOptions::default());
            let _ = orders::read_orders_text(&text, None, &ReadOptions::default());
        }

        #[test]
        fn mutated_fixtures(
            which in 0..FIXTURES.len(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..12),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut bytes = data(FIXTURES[which]);
            for (at, byte, how) in edits {
                let i = at.index(bytes.len().max(1));
                match how {
                    0 if i < bytes.len() => bytes[i] = byte,
                    1 => bytes.insert(i.min(bytes.len()), byte),
                    _ if i < bytes.len() => { bytes.remove(i); }
                    _ => {}
                }
            }
            let _ = orders::read_orders(&bytes, &ReadOptions::default());
            bytes.truncate(cut.index(bytes.len().max(1)));
            let _ = orders::read_orders(&bytes, &ReadOptions::default());
        }

        /// Mutated XML inside a valid archive (a mutated archive mostly
        /// fails its CRC before any XML is read).
        #[cfg(feature = "xlsx")]
        #[test]
        fn mutated_xlsx_parts(
            part in 0..4usize,
            edits in prop::collection::vec((any::<prop::sample::Index>(), token(), 0..3u8), 1..16),
        ) {
            use std::io::{Read, Write};
            let src = data("shop_export.xlsx");
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&src[..])).unwrap();
            let target = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"][part];
            let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                let name = f.name().to_string();
                let mut body = Vec::new();
                f.read_to_end(&mut body).unwrap();
                if name == target {
                    for (at, tok, how) in &edits {
                        let i = at.index(body.len().max(1));
                        match how {
                            0 => body.splice(i.min(body.len())..i.min(body.len()), tok.bytes()),
                            _ => body.splice(i.min(body.len())..(i + tok.len()).min(body.len()), tok.bytes()),
                        };
                    }
                }
                out.start_file(name, stored).unwrap();
                out.write_all(&body).unwrap();
            }
            let bytes = out.finish().unwrap().into_inner();
            let _ = orders::read_orders(&bytes, &ReadOptions::default());
        }
    }
}

#[test]
fn cohort_repurchase_of_the_shop_export() {
    let o = read("shop_export_utf8bom.csv");
    let r =
        shijing::repurchase::cohort_repurchase(&o.customers, &o.days, &Default::default()).unwrap();
    // End: the last purchase, 2024-03-09. T30: first orders on or before
    // 2024-02-08 — A (Jan 5; again Feb 10, 36 days: no) and B (Jan 6; again
    // Feb 1, 26 days: yes). T90: first orders on or before 2023-12-10: none.
    assert_eq!(r.end, day(2024, 3, 9));
    assert_eq!(r.customers, 5);
    let w: Vec<(f64, u64, u64, Option<f64>)> = r
        .windows
        .iter()
        .map(|w| (w.window, w.eligible, w.repeated, w.rate))
        .collect();
    assert_eq!(w, vec![(30.0, 2, 1, Some(0.5)), (90.0, 0, 0, None)]);
    let months: Vec<(&str, u64)> = r
        .cohorts
        .iter()
        .map(|c| (c.month.as_str(), c.customers))
        .collect();
    assert_eq!(months, vec![("2024-01", 2), ("2024-02", 1), ("2024-03", 2)]);
}

#[test]
fn an_orders_lines_far_apart_are_one_order() {
    // Text order numbers: T-1 on lines 2, 4 and 5; line 7 is T-1 again with
    // another buyer, line 8 too: both malformed (listed once, at line 7).
    let text = "订单号,买家ID,下单时间,实付金额\n\
                T-1,a,2024-05-03,1.10\n\
                T-2,b,2024-05-02,2\n\
                T-1,a,2024-05-01,3.20\n\
                T-1,a,2024-05-04,4\n\
                T-3,c,2024-05-05,5\n\
                T-1,z,2024-05-06,6\n\
                T-1,z,2024-05-06,7\n";
    let o = orders::read_orders(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(o.report.orders, 3);
    assert_eq!(o.report.purchase_lines, 5);
    assert_eq!(o.report.malformed, 2);
    assert_eq!(malformed(&o.report), vec![(7, Reason::CustomerConflict)]);
    assert_eq!(o.ids, vec!["a", "b", "c"]);
    assert_eq!(o.amounts, Some(vec![8.3, 2.0, 5.0]));
    assert_eq!(
        o.days,
        vec![day(2024, 5, 1), day(2024, 5, 2), day(2024, 5, 5)]
    );
}

#[test]
fn a_group_column_comes_back_per_purchase_from_the_orders_first_line() {
    // Order 1 has two lines whose channels differ (the first purchase line's
    // counts; the closed first line does not); order 9 comes back far
    // apart; a guarded, padded and an empty value.
    let text = "订单编号,买家ID,下单时间,实付款,订单状态,流量来源\n\
        1,A,2024-01-01,10,交易关闭,商品卡\n\
        1,A,2024-01-01,10,交易成功,直播间\n\
        1,A,2024-01-01,5,交易成功,短视频\n\
        2,B,2024-01-02,8,交易成功,\"=\"\"短视频\"\"\"\n\
        9,C,2024-01-03,8,交易成功, 直播间 \n\
        3,B,2024-01-04,8,交易成功,\n\
        9,C,2024-01-03,8,交易成功,商品卡\n\
        4,D,2024-01-05,8,交易关闭,商品卡\n";
    let o = text_with(text, |o| {
        o.group_column = Some(ColumnRef::Name("流量来源".into()))
    })
    .unwrap();
    let g = o.groups.as_ref().unwrap();
    assert_eq!(g.levels, ["直播间", "短视频", ""]);
    assert_eq!(g.of, [0, 1, 0, 2]);
    assert_eq!(o.customers.len(), g.of.len());
    let c = o.report.columns.group.as_ref().unwrap();
    assert_eq!(
        (c.index, c.header.as_str(), c.by),
        (5, "流量来源", ChosenBy::Option)
    );
    // By index the same; without the option (or with None) nothing.
    let by_index = text_with(text, |o| o.group_column = Some(ColumnRef::Index(5))).unwrap();
    assert_eq!(by_index.groups, o.groups);
    for group_column in [None, Some(ColumnRef::None)] {
        let plain = text_with(text, |o| o.group_column = group_column).unwrap();
        assert_eq!(plain.groups, None);
        assert_eq!(plain.report.columns.group, None);
        assert_eq!(
            (plain.customers, plain.days),
            (o.customers.clone(), o.days.clone())
        );
    }
    for (r, message) in [
        (
            ColumnRef::Name("渠道".into()),
            "options.groupColumn names the column \"渠道\", which is not in the header (columns: \"订单编号\"",
        ),
        (
            ColumnRef::Index(6),
            "options.groupColumn is 6, but the rows have 6 columns (0 to 5)",
        ),
    ] {
        let e = text_with(text, |o| o.group_column = Some(r))
        .unwrap_err();
        assert!(e.to_string().starts_with(message), "{e}");
    }
}

#[test]
fn a_group_column_of_a_workbook_reads_numbers_as_text() {
    let bytes = data("shop_export.xlsx");
    let plain = orders::read_orders(&bytes, &ReadOptions::default()).unwrap();
    let o = read_with(&bytes, |o| {
        o.group_column = Some(ColumnRef::Name("订单编号".into()))
    })
    .unwrap();
    let g = o.groups.unwrap();
    // Each purchase is one order: its own order number, long numbers exact.
    assert_eq!(g.levels.len(), plain.customers.len());
    assert!(
        g.levels.iter().all(|l| !l.is_empty() && !l.contains('E')),
        "{:?}",
        g.levels
    );
}
