#!/usr/bin/env python3
"""Writes the shop-export fixtures that tests/native_orders.rs reads exactly.

Small fixtures (committed; a few KB each), all from the rows defined below:

  shop_export_utf8bom.csv   a Taobao-style order-line export: UTF-8 with BOM, CRLF,
                            Chinese headers, 19-digit order numbers guarded by a
                            leading tab or ="…", amounts like ￥128.00 and "￥1,299.00"
  shop_export_gbk.csv       the same bytes' text in GBK (Excel's CSV on Chinese Windows)
  shop_export_utf16le.txt   the same rows as Excel's "Unicode text": UTF-16LE with BOM,
                            tab-delimited (order numbers guarded by ="…" only)
  shop_export.xlsx          the same rows as a workbook (openpyxl): real datetime
                            cells, numeric amounts with a ￥ number format, order
                            numbers and buyer ids as text, one buyer id as a number
  douyin_export.csv         a Douyin-style export: a title line above the header,
                            主订单编号/子订单编号, an order-level amount (订单应付金额),
                            yyyy/m/d and 2024年4月3日 times, per-line 售后状态
  channel_export.csv        a Kuaishou-style export with a 流量来源 column (the channel
                            of each order: 直播间 / 短视频 / 商品卡, and two rare ones,
                            达人分销 and 搜索): customers who came through the live room
                            buy 2.5 times as often as 商品卡 customers, short-video
                            customers 1.6 times (seeded simulation, write_channels)

Large file for benchmarks (not committed):

  python3 tests/data/make_exports.py --big 1000000 /tmp/orders_1m.csv

What each fixture must read as is written in tests/native_orders.rs, worked out
by hand from the rows below (the comments mark each row's fate).

Usage: pip install openpyxl; python3 tests/data/make_exports.py
"""
import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = ["订单编号", "买家ID", "买家昵称", "下单时间", "支付时间", "商品名称", "数量",
          "实付款", "订单状态", "售后状态", "退款金额"]

A, B, C, D, E, F, G = ("2088102177000001", "tb_小雨88", "2088102177000003", "莱润粉丝_01",
                       "2088102177000005", "jenny.w", "2088102177000007")
NICK = {A: "小林", B: "小雨", C: "阿强", D: "莱润粉丝", E: "Eve", F: "Jenny", G: "老王"}


def order_no(n):
    return f"39012345678901200{n:02d}"


# (order, buyer, placed, paid, product, qty, amount, status, after-sale, refund) — None = empty.
# Line numbers count the header as line 1.
ROWS = [
    (1, A, "2024-01-05 10:12:33", "2024-01-05 10:13:01", "莱润氨基酸洗面奶 120g", 1, "128.00", "交易成功", None, None),  # 2  O01 line 1
    (1, A, "2024-01-05 10:12:33", "2024-01-05 10:13:01", "莱润保湿水 200ml", 1, "59.90", "交易成功", None, None),        # 3  O01 line 2 → 187.90
    (2, B, "2024-01-06 21:03:00", "2024-01-06 21:03:40", "若衣真丝衬衫", 1, "1,299.00", "交易成功", None, None),           # 4  O02 1299.00
    (3, C, "2024-01-07 09:00:00", None, "YeXin 面霜", 1, "88.00", "交易关闭", None, None),                                # 5  O03 closed unpaid
    (4, A, "2024-01-20 15:30:00", "2024-01-20 15:31:00", "莱润氨基酸洗面奶 120g", 1, "128.00", "已取消", None, None),      # 6  O04 cancelled
    (5, B, "2024-02-01 08:00:00", "2024-02-01 08:01:00", "若衣针织开衫", 1, "99.00", "交易成功", None, None),             # 7  O05 line 1
    (5, B, "2024-02-01 08:00:00", "2024-02-01 08:01:00", "若衣丝巾", 1, "45.50", "交易成功", "退款成功", "45.50"),         # 8  O05 line refunded → 99.00
    (6, D, "2024-02-02 12:00:00", "2024-02-02 12:00:30", "YeXin 精华 套装", 2, "256.00", "交易成功", "退款成功", "256.00"),  # 9  O06 refunded in full
    (7, A, "2024-02-10 20:00:00", "2024-02-10 20:00:10", "莱润氨基酸洗面奶 120g", 1, "128.00", "交易成功", "部分退款", "30.00"),  # 10 O07 128 − 30 = 98.00
    (8, E, "2024-02-15 00:00:05", "2024-02-15 00:00:20", "若衣袜子 3双装", 1, "19.90", "交易成功", None, None),            # 11 O08
    (8, E, "2024-02-14 23:59:59", "2024-02-15 00:00:20", "若衣袜子 3双装", 1, "19.90", "交易成功", None, None),            # 12 O08 earliest: 02-14
    (8, E, "2024-02-15 00:00:05", "2024-02-15 00:00:20", "若衣袜子 3双装", 1, "19.90", "交易成功", None, None),            # 13 O08 → 59.70
    "blank",                                                                                                             # 14 blank
    (9, C, "2024-03-01 11:11:11", "2024-03-01 11:12:00", "YeXin 面霜", 1, "66.00", "交易成功", None, None),               # 15 O09 66.00
    (10, F, "2024-03-02 09:30:00", None, "若衣丝巾", 1, "35.00", "等待买家付款", None, None),                               # 16 O10 unpaid
    (11, B, "2024-03-05 18:00:00", "2024-03-05 18:00:30", "若衣风衣", 1, "150.00", "已发货", None, None),                   # 17 O11 150.00
    (12, D, "2024-03-08 10:00:00", "2024-03-08 10:00:30", "YeXin 精华", 1, "72.50", "交易成功", "全额退款", None),          # 18 O12 refunded in full
    (13, G, "2024-03-09 14:00:00", "2024-03-09 14:00:30", "莱润洗发水", 1, "45.00", "交易成功", "退款关闭", None),          # 19 O13 (refund refused)
    (14, F, "2024-02-30 10:00:00", "2024-02-30 10:00:30", "若衣丝巾", 1, "20.00", "交易成功", None, None),                 # 20 malformed: time
    (15, G, "2024-03-10 10:00:00", "2024-03-10 10:00:30", "莱润护手霜", 1, "abc", "交易成功", None, None),                  # 21 malformed: amount
    (16, "", "2024-03-11 10:00:00", "2024-03-11 10:00:30", "莱润护手霜", 1, "10.00", "交易成功", None, None),               # 22 malformed: customer
    (13, G, "2024-03-09 14:00:00", "2024-03-09 14:00:30", "莱润发膜", 1, "5.00", "交易成功", None, None),                   # 23 O13 again → 50.00
    "total",                                                                                                             # 24 合计: malformed customer
]


def text_rows(guard):
    """Rows as text cells. guard(i, order_no) → the guarded order-number cell."""
    out = [HEADER]
    for i, r in enumerate(ROWS):
        if r == "blank":
            out.append([""] * len(HEADER))
            continue
        if r == "total":
            out.append(["合计", "", "", "", "", "", "", "￥2,500.00", "", "", ""])
            continue
        n, buyer, placed, paid, product, qty, amount, status, after, refund = r
        money = lambda v: "" if v is None else ("￥" + v if v[0].isdigit() else v)
        out.append([guard(i, order_no(n)), buyer, NICK.get(buyer, ""), placed, paid or "", product,
                    str(qty), money(amount), status, after or "", money(refund)])
    return out


def csv_text(rows, delimiter):
    # Written by hand so that ="…" stays unquoted, as Excel-style exports have it;
    # a field is quoted only when it holds the delimiter or a line end.
    lines = []
    for row in rows:
        cells = []
        for c in row:
            if delimiter in c or "\n" in c or (c.startswith('"')):
                c = '"' + c.replace('"', '""') + '"'
            cells.append(c)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines) + "\r\n"


def write_small():
    # CSV: a leading tab on even rows, ="…" on odd rows.
    comma = csv_text(text_rows(lambda i, s: ("\t" + s) if i % 2 == 0 else f'="{s}"'), ",")
    (HERE / "shop_export_utf8bom.csv").write_bytes(b"\xef\xbb\xbf" + comma.encode("utf-8"))
    (HERE / "shop_export_gbk.csv").write_bytes(comma.encode("gbk"))
    tab = csv_text(text_rows(lambda i, s: f'="{s}"'), "\t")
    (HERE / "shop_export_utf16le.txt").write_bytes(b"\xff\xfe" + tab.encode("utf-16-le"))
    write_xlsx(HERE / "shop_export.xlsx")
    write_douyin(HERE / "douyin_export.csv")


def write_xlsx(path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(HEADER)
    when = lambda s: dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S")
    row = 1
    for r in ROWS:
        row += 1
        if r == "blank":
            continue  # a sheet stores no empty row: row 14 is simply absent
        if r == "total":
            ws.cell(row=row, column=1, value="合计")
            ws.cell(row=row, column=8, value=2500.0).number_format = '"￥"#,##0.00'
            continue
        n, buyer, placed, paid, product, qty, amount, status, after, refund = r
        values = [order_no(n), buyer, NICK.get(buyer, ""), None, None, product, qty, None, status, after, None]
        for col, v in enumerate(values, start=1):
            if v not in (None, ""):
                ws.cell(row=row, column=col, value=v)
        # Buyer C's id stored as a number, as Excel does with an unguarded numeric id.
        if buyer == C:
            ws.cell(row=row, column=2, value=int(C))
        for col, s in ((4, placed), (5, paid)):
            if s is None:
                continue
            try:
                c = ws.cell(row=row, column=col, value=when(s))
                c.number_format = "yyyy-mm-dd hh:mm:ss"
            except ValueError:
                ws.cell(row=row, column=col, value=s)  # 2024-02-30: kept as text, as Excel would
        for col, v in ((8, amount), (11, refund)):
            if v is None:
                continue
            try:
                c = ws.cell(row=row, column=col, value=float(v.replace(",", "")))
                c.number_format = '"￥"#,##0.00'
            except ValueError:
                ws.cell(row=row, column=col, value=v)  # "abc"
    wb.properties.creator = "shijing tests"
    fixed = dt.datetime(2024, 4, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(path)


DOUYIN_HEADER = ["主订单编号", "子订单编号", "选购商品", "商品数量", "商品金额", "订单应付金额",
                 "订单提交时间", "支付完成时间", "订单状态", "售后状态", "用户ID", "收货人"]
# Line 1 is a title, line 2 the header.
DOUYIN_ROWS = [
    ["5001", "5001-1", "商品A", "1", "100.00", "150.00", "2024/4/1 9:05", "2024/4/1 9:06", "已完成", "", "U1", "张三"],         # 3 5001
    ["5001", "5001-2", "商品B", "1", "50.00", "150.00", "2024/4/1 9:05", "2024/4/1 9:06", "已完成", "退款成功", "U1", "张三"],   # 4 5001 line refunded (amount unknown)
    ["5002", "5002-1", "商品C", "2", "198.00", "198.00", "2024年4月3日 20:00", "2024年4月3日 20:01", "已完成", "", "U2", "李四"],  # 5 5002
    ["5003", "5003-1", "商品A", "1", "100.00", "100.00", "2024/4/5 10:00", "", "已关闭", "", "U3", "王五"],                     # 6 5003 closed
    ["5004", "5004-1", "商品D", "1", "80.00", "80.00", "2024/4/7 12:00", "2024/4/7 12:01", "已完成", "退款成功", "U1", "张三"],   # 7 5004 refunded
    ["5005", "5005-1", "商品A", "1", "100.00", "90.00", "2024-04-09 08:00:00", "2024-04-09 08:00:30", "待发货", "", "U2", "李四"],  # 8 5005 → 90.00
    ["5005", "5005-2", "商品E", "1", "20.00", "95.00", "2024-04-09 08:00:00", "2024-04-09 08:00:30", "待发货", "", "U2", "李四"],  # 9 5005: another order amount (conflict)
    ["5002", "5002-2", "商品F", "1", "0.00", "198.00", "2024/4/3 20:00", "2024/4/3 20:01", "已完成", "", "U9", "赵六"],          # 10 malformed: customer conflict
    ["5006", "5006-1", "商品G", "1", "60.00", "60.00", "2024/4/31 10:00", "", "已完成", "", "U4", "钱七"],                      # 11 malformed: time
]


def write_douyin(path):
    lines = ["订单导出,导出时间:2024/04/30 18:00"] + [",".join(r) for r in [DOUYIN_HEADER] + DOUYIN_ROWS]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


PRODUCTS = ["莱润氨基酸洗面奶 120g", "莱润保湿水 200ml", "若衣真丝衬衫", "若衣针织开衫", "YeXin 精华 套装",
            "YeXin 面霜", "若衣袜子 3双装", "莱润洗发水", "莱润护手霜", "若衣风衣"]
PRICES = ["19.90", "45.50", "59.90", "88.00", "99.00", "128.00", "150.00", "256.00", "1,299.00"]


def write_big(n_lines, path, seed=15):
    """A realistic order-line export of n_lines lines (UTF-8, no BOM): about 1.3
    lines per order, a quarter as many customers as orders, 5% closed/cancelled,
    3% refunded lines, 2% partial refunds; times over two years."""
    rng = random.Random(seed)
    start = dt.datetime(2023, 1, 1)
    n_customers = max(1, n_lines // 5)
    out = io.StringIO()
    out.write(",".join(HEADER) + "\r\n")
    written = 0
    order = 0
    while written < n_lines:
        order += 1
        no = f"{3901234567000000000 + order * 7919:019d}"
        guard = ("\t" + no) if order % 2 else f'="{no}"'
        buyer = f"{2088100000000000 + rng.randrange(n_customers)}"
        t = start + dt.timedelta(seconds=rng.randrange(730 * 86400))
        placed = t.strftime("%Y-%m-%d %H:%M:%S")
        paid = (t + dt.timedelta(seconds=rng.randrange(1, 600))).strftime("%Y-%m-%d %H:%M:%S")
        u = rng.random()
        status = "交易关闭" if u < 0.04 else "已取消" if u < 0.05 else "交易成功"
        for _ in range(1 if rng.random() < 0.75 else rng.randrange(2, 4)):
            if written == n_lines:
                break
            v = rng.random()
            after, refund = ("退款成功", PRICES[5]) if v < 0.03 else ("部分退款", "10.00") if v < 0.05 else ("", "")
            price = rng.choice(PRICES)
            out.write(",".join([guard, buyer, "买家" + buyer[-4:], placed, paid if status == "交易成功" else "",
                                rng.choice(PRODUCTS), str(rng.randrange(1, 3)),
                                f'"￥{price}"' if "," in price else "￥" + price,
                                status, after, ("￥" + refund) if refund else ""]) + "\r\n")
            written += 1
    Path(path).write_text(out.getvalue(), encoding="utf-8")
    print(f"{path}: {n_lines} lines, {order} orders")


CHANNEL_MIX = [("商品卡", 0.44), ("直播间", 0.31), ("短视频", 0.22), ("达人分销", 0.02), ("搜索", 0.02)]
CHANNEL_LIFT = {"商品卡": 1.0, "直播间": 2.5, "短视频": 1.6, "达人分销": 1.0, "搜索": 1.0}


def write_channels(path, customers=700, seed=16):
    """A year of orders whose customers' purchase rates differ by the channel of
    their first order (CHANNEL_LIFT); later orders come through any channel.
    Pareto/NBD-like: each customer's rate is Gamma(shape 1, mean 1/100 a day)
    times the lift, their lifetime exponential at a rate Gamma(shape 1, mean
    1/240 a day); first orders
    spread over the first 300 days of 2024; 5% of orders closed."""
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1)
    end_day = 365
    names = [c for c, _ in CHANNEL_MIX]
    weights = [w for _, w in CHANNEL_MIX]
    orders = []
    for c in range(customers):
        buyer = f"{2088200000000000 + c * 37}"
        first_channel = rng.choices(names, weights)[0]
        rate = rng.expovariate(100.0) * CHANNEL_LIFT[first_channel]
        day = rng.uniform(0, 300)
        death = day + rng.expovariate(rng.gammavariate(1.0, 1 / 240))
        channel = first_channel
        while day < min(end_day, death):
            orders.append((day, buyer, channel))
            day += rng.expovariate(rate)
            channel = rng.choices(names, weights)[0]
    orders.sort()
    out = io.StringIO()
    out.write("订单编号,买家ID,下单时间,实付款,订单状态,流量来源\n")
    for n, (day, buyer, channel) in enumerate(orders):
        t = start + dt.timedelta(days=day)
        status = "交易关闭" if rng.random() < 0.05 else "交易成功"
        no = f"{3902024000000000000 + n * 7919:019d}"
        for _ in range(1 if rng.random() < 0.8 else 2):
            out.write(f"\t{no},{buyer},{t:%Y-%m-%d %H:%M:%S},￥{rng.choice(PRICES).replace(',', '')},{status},{channel}\n")
    Path(path).write_text(out.getvalue(), encoding="utf-8")
    print(f"{path}: {len(orders)} orders")


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--big":
        write_big(int(sys.argv[2]), sys.argv[3])
    else:
        write_small()
        write_channels(HERE / "channel_export.csv")
        for p in sorted(HERE.glob("shop_export*")) + [HERE / "douyin_export.csv", HERE / "channel_export.csv"]:
            print(f"{p.name}: {p.stat().st_size} bytes")
