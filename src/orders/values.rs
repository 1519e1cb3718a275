//! One cell's value: text cleaned of Excel's guards, a calendar day, a money
//! amount in exact fixed point. These parse single values, never split rows
//! (the text reader and the xlsx reader do that).

/// Money is kept in integer millionths of the currency unit, so sums of
/// written amounts (￥128.00 + ￥59.90) are exact and only the final value is
/// rounded once to an `f64`.
///
/// ```
/// # use shijing::orders::values::{parse_amount, UNITS_PER_YUAN};
/// assert_eq!(parse_amount(b"2").unwrap(), Some(2 * UNITS_PER_YUAN));
/// assert_eq!(parse_amount(b"0.000001").unwrap(), Some(1)); // the smallest amount
/// ```
pub const UNITS_PER_YUAN: i64 = 1_000_000;
/// Largest amount accepted on one line (a trillion): beyond that a value is
/// not an order amount (and sums stay far inside `i64`).
///
/// ```
/// # use shijing::orders::values::{parse_amount, AmountError, MAX_AMOUNT_UNITS};
/// assert_eq!(parse_amount(b"1,000,000,000,000").unwrap(), Some(MAX_AMOUNT_UNITS));
/// assert_eq!(parse_amount(b"1000000000000.01"), Err(AmountError::TooLarge));
/// ```
pub const MAX_AMOUNT_UNITS: i64 = 1_000_000_000_000 * UNITS_PER_YUAN;

/// Years a date may have (Excel's dates start in 1900).
const MIN_YEAR: i64 = 1900;
const MAX_YEAR: i64 = 2200;

/// Trims ASCII whitespace, the full-width space (U+3000), no-break spaces
/// and a byte-order mark from both ends.
#[inline]
pub(crate) fn trim(s: &[u8]) -> &[u8] {
    // Most cells need nothing: the check inline, the trimming not.
    match (s.first(), s.last()) {
        (Some(&a), Some(&b)) if a > b' ' && a < 0xC2 && b > b' ' && b < 0x80 => s,
        _ => trim_ends(s),
    }
}

/// [`trim`] beyond its inline check.
#[inline(never)]
fn trim_ends(mut s: &[u8]) -> &[u8] {
    // Most cells need nothing: no whitespace, U+3000, NBSP or BOM at either end.
    let start_clean = match s.first() {
        None => return s,
        Some(&c) if c <= b' ' => false,
        Some(0xE3) => !s.starts_with(b"\xE3\x80\x80"),
        Some(0xC2) => !s.starts_with(b"\xC2\xA0"),
        Some(0xEF) => !s.starts_with(b"\xEF\xBB\xBF"),
        _ => true,
    };
    let end_clean = match s.last() {
        Some(&c) if c <= b' ' => false,
        Some(0x80) => !s.ends_with(b"\xE3\x80\x80"),
        Some(0xA0) => !s.ends_with(b"\xC2\xA0"),
        Some(0xBF) => !s.ends_with(b"\xEF\xBB\xBF"),
        _ => true,
    };
    if start_clean && end_clean {
        return s;
    }
    loop {
        s = s.trim_ascii();
        let before = s.len();
        let lead = matches!(s.first(), Some(0xE3 | 0xC2 | 0xEF));
        if !lead && !matches!(s.last(), Some(0x80 | 0xA0 | 0xBF)) {
            return s;
        }
        for pat in [&b"\xE3\x80\x80"[..], b"\xC2\xA0", b"\xEF\xBB\xBF"] {
            if let Some(r) = s.strip_prefix(pat) {
                s = r;
            }
            if let Some(r) = s.strip_suffix(pat) {
                s = r;
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Whether two short byte strings are equal, eight bytes at a time (a
/// slice `==` calls `memcmp`, a byte loop in Wasm).
#[inline]
pub(crate) fn same_bytes(mut a: &[u8], mut b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    while let (Some((x, ra)), Some((y, rb))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if u64::from_ne_bytes(*x) != u64::from_ne_bytes(*y) {
            return false;
        }
        (a, b) = (ra, rb);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// A cell's text without Excel's guards: surrounding whitespace (a leading
/// tab), a `="…"` formula wrapper, and a leading apostrophe.
#[inline(always)]
pub(crate) fn unguard(s: &[u8]) -> &[u8] {
    // Most cells have none: the check inline (that of `trim`, and no `=`
    // or `'` first), the unguarding not.
    match (s.first(), s.last()) {
        (Some(&a), Some(&b))
            if a > b' ' && a < 0xC2 && a != b'=' && a != b'\'' && b > b' ' && b < 0x80 =>
        {
            s
        }
        _ => unguard_ends(s),
    }
}

/// [`unguard`] beyond its inline check.
#[inline(never)]
fn unguard_ends(s: &[u8]) -> &[u8] {
    let mut s = trim(s);
    if s.first().is_some_and(|&c| c != b'=' && c != b'\'') {
        return s;
    }
    if let Some(inner) = s.strip_prefix(b"=\"").and_then(|r| r.strip_suffix(b"\"")) {
        s = trim(inner);
    }
    if let Some(r) = s.strip_prefix(b"'") {
        s = trim(r);
    }
    s
}

/// Days since 1970-01-01 of a proleptic Gregorian date (valid input): the
/// day numbers of [`Orders::days`](super::Orders::days).
///
/// ```
/// # use shijing::orders::values::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// // 54 years of 365 days and 13 leap days (1972, 1976, …, 2020).
/// assert_eq!(days_from_civil(2024, 1, 1), 54 * 365 + 13);
/// // 2000 was a leap year, 1900 was not.
/// assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2);
/// assert_eq!(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28), 1);
/// ```
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day number (inverse of [`days_from_civil`]).
///
/// ```
/// # use shijing::orders::values::{civil_from_days, days_from_civil};
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// // 2024-02-29 and the days around it.
/// let leap = days_from_civil(2024, 2, 29);
/// assert_eq!(civil_from_days(leap - 1), (2024, 2, 28));
/// assert_eq!(civil_from_days(leap + 1), (2024, 3, 1));
/// ```
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn valid_date(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // In range, [`days_from_civil`] in `u32`s: a 64-bit division is a slow
    // instruction in Wasm (a 32-bit one by a constant is a multiplication).
    let (y, m, d) = (y as u32, m as u32, d as u32);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let dim = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d > dim {
        return None;
    }
    let (y, mp) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let (era, yoe) = (y / 400, y % 400);
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(i64::from(era * 146_097 + doe) - 719_468)
}

/// Day-first or month-first reading of `d/m/yyyy`-style dates (year last).
///
/// ```
/// # use shijing::orders::values::{days_from_civil, parse_date_text};
/// # use shijing::orders::DateOrder;
/// assert_eq!(parse_date_text(b"5/3/2024", DateOrder::Dmy), Some(days_from_civil(2024, 3, 5)));
/// assert_eq!(parse_date_text(b"5/3/2024", DateOrder::Mdy), Some(days_from_civil(2024, 5, 3)));
/// assert_eq!(parse_date_text(b"5/3/2024", DateOrder::Ymd), None); // year last: not read
/// assert_eq!(parse_date_text(b"31/12/2024", DateOrder::Mdy), None); // no 31st month
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// `yyyy-mm-dd` and friends only (year first); the default.
    #[default]
    Ymd,
    /// Day first: `31/12/2024`.
    Dmy,
    /// Month first: `12/31/2024`.
    Mdy,
}

impl DateOrder {
    /// The JS name.
    ///
    /// ```
    /// # use shijing::orders::DateOrder;
    /// assert_eq!(DateOrder::default().as_str(), "ymd");
    /// for o in [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy] {
    ///     assert_eq!(DateOrder::parse("options.dateOrder", o.as_str()).unwrap(), o);
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Ymd => "ymd",
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
        }
    }

    /// The order an option names (`"ymd"`, `"dmy"`, `"mdy"`); `name` is the
    /// option's name for the error.
    ///
    /// ```
    /// use shijing::orders::DateOrder;
    /// assert_eq!(DateOrder::parse("options.dateOrder", "mdy")?, DateOrder::Mdy);
    /// assert!(DateOrder::parse("options.dateOrder", "iso").is_err());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn parse(name: &str, s: &str) -> crate::Result<DateOrder> {
        match s {
            "ymd" => Ok(DateOrder::Ymd),
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            _ => Err(crate::Error::invalid(format!(
                "{name} must be \"ymd\", \"dmy\" or \"mdy\", got \"{}\"",
                crate::text::clip(s)
            ))),
        }
    }
}

/// Reads up to `max` ASCII digits at `s[*i..]`; `None` when there is none.
fn digits(s: &[u8], i: &mut usize, max: usize) -> Option<(i64, usize)> {
    let start = *i;
    let mut v: i64 = 0;
    while let Some(&c) = s.get(*i) {
        if !c.is_ascii_digit() || *i - start == max {
            break;
        }
        v = v * 10 + i64::from(c - b'0');
        *i += 1;
    }
    (*i > start).then_some((v, *i - start))
}

/// Skips one date separator (`-`, `/`, `.`, or the Chinese 年 / 月, with
/// spaces around); returns whether one was there.
fn separator(s: &[u8], i: &mut usize) -> bool {
    while s.get(*i) == Some(&b' ') {
        *i += 1;
    }
    let ok = match s.get(*i) {
        Some(b'-' | b'/' | b'.') => {
            *i += 1;
            true
        }
        _ => {
            let rest = s.get(*i..).unwrap_or_default();
            if rest.starts_with("年".as_bytes()) || rest.starts_with("月".as_bytes()) {
                *i += 3;
                true
            } else {
                false
            }
        }
    };
    while ok && s.get(*i) == Some(&b' ') {
        *i += 1;
    }
    ok
}

/// What may follow a date: nothing, `日`, or a time of day after a space or `T`.
fn date_tail_ok(s: &[u8], mut i: usize) -> bool {
    if s.get(i) == Some(&0xE6) && s.get(i..).is_some_and(|r| r.starts_with("日".as_bytes())) {
        i += 3;
    }
    match s.get(i) {
        None => true,
        Some(c) => matches!(c, b' ' | b'T' | b'\t'),
    }
}

/// The day number of a written date or date-time, `None` when it is not
/// one: `2024-03-05`, `2024-03-05 14:22:01`, `2024-03-05T14:22:01+08:00`,
/// `2024/3/5`, `2024.3.5`, `2024年3月5日`, `20240305`, and with
/// [`DateOrder::Dmy`] / [`DateOrder::Mdy`] `5/3/2024`. The calendar date as
/// written is the day: a time of day or zone suffix is ignored.
///
/// ```
/// # use shijing::orders::values::{days_from_civil, parse_date_text};
/// # use shijing::orders::DateOrder;
/// let day = Some(days_from_civil(2024, 3, 5));
/// for text in ["2024-03-05", "2024/3/5 14:22:01", "2024.3.5", "2024年3月5日", "20240305"] {
///     assert_eq!(parse_date_text(text.as_bytes(), DateOrder::Ymd), day, "{text}");
/// }
/// // 23:30 at UTC−8 is the next day in UTC; the date as written counts.
/// assert_eq!(parse_date_text(b"2024-03-05T23:30:00-08:00", DateOrder::Ymd), day);
/// assert_eq!(parse_date_text(b"2023-02-29", DateOrder::Ymd), None); // not a leap year
/// assert_eq!(parse_date_text(b"2024-03-05x", DateOrder::Ymd), None);
/// ```
pub fn parse_date_text(s: &[u8], order: DateOrder) -> Option<i64> {
    // The common `yyyy-mm-dd` (with a time or not) read in place; what the
    // general reading below gives for it, without its scan.
    if let Some(&[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]) = s.first_chunk::<10>() {
        let d = |c: u8| i64::from(c.wrapping_sub(b'0'));
        let all = [y0, y1, y2, y3, m0, m1, d0, d1];
        if all.iter().all(u8::is_ascii_digit) {
            if !date_tail_ok(s, 10) {
                return None;
            }
            let y = d(y0) * 1000 + d(y1) * 100 + d(y2) * 10 + d(y3);
            return valid_date(y, d(m0) * 10 + d(m1), d(d0) * 10 + d(d1));
        }
    }
    any_date_text(s, order)
}

/// [`parse_date_text`] of any text.
fn any_date_text(s: &[u8], order: DateOrder) -> Option<i64> {
    let mut i = 0;
    let (a, na) = digits(s, &mut i, 8)?;
    if na == 8 {
        // yyyymmdd
        let (y, m, d) = (a / 10_000, a / 100 % 100, a % 100);
        return if date_tail_ok(s, i) {
            valid_date(y, m, d)
        } else {
            None
        };
    }
    if !separator(s, &mut i) {
        return None;
    }
    let (b, _) = digits(s, &mut i, 2)?;
    if !separator(s, &mut i) {
        return None;
    }
    if na == 4 {
        let (c, _) = digits(s, &mut i, 2)?;
        return if date_tail_ok(s, i) {
            valid_date(a, b, c)
        } else {
            None
        };
    }
    if na > 2 {
        return None;
    }
    let (y, ny) = digits(s, &mut i, 4)?;
    if ny != 4 || !date_tail_ok(s, i) {
        return None;
    }
    match order {
        DateOrder::Ymd => None,
        DateOrder::Dmy => valid_date(y, b, a),
        DateOrder::Mdy => valid_date(y, a, b),
    }
}

/// For `d/m/yyyy`-style text: `(first, second)` numbers, to tell day-first
/// from month-first (a first number above 12 is a day).
pub(crate) fn year_last_parts(s: &[u8]) -> Option<(i64, i64)> {
    let mut i = 0;
    let (a, na) = digits(s, &mut i, 2)?;
    if na > 2 || !separator(s, &mut i) {
        return None;
    }
    let (b, _) = digits(s, &mut i, 2)?;
    if !separator(s, &mut i) {
        return None;
    }
    let (_, ny) = digits(s, &mut i, 4)?;
    (ny == 4 && date_tail_ok(s, i)).then_some((a, b))
}

/// Excel's serial date (1900 system; `date1904` for the 1904 system) as a
/// day number. Serial 60 is Excel's fictitious 1900-02-29 (read as 03-01).
///
/// ```
/// # use shijing::orders::values::{days_from_civil, excel_serial_day};
/// // Serial 25569 is 1970-01-01; 2024-03-05 is 64 days after 2024-01-01.
/// assert_eq!(excel_serial_day(25_569.0, false), Some(0));
/// assert_eq!(excel_serial_day(45_356.75, false), Some(days_from_civil(2024, 3, 5)));
/// // The 1904 system counts 1,462 days fewer.
/// assert_eq!(excel_serial_day(45_356.0 - 1_462.0, true), Some(days_from_civil(2024, 3, 5)));
/// assert_eq!(excel_serial_day(1.0, false), Some(days_from_civil(1900, 1, 1)));
/// assert_eq!(excel_serial_day(60.0, false), excel_serial_day(61.0, false));
/// assert_eq!(excel_serial_day(0.5, false), None);
/// ```
pub fn excel_serial_day(serial: f64, date1904: bool) -> Option<i64> {
    // Excel's range: 1900-01-01 (serial 1) to 9999-12-31 (2958465).
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as i64;
    let day = if date1904 {
        whole + days_from_civil(1904, 1, 1)
    } else if whole < 61 {
        // Before Excel's phantom 1900-02-29, serials count from 1899-12-31.
        whole + days_from_civil(1899, 12, 31)
    } else {
        whole + days_from_civil(1899, 12, 30)
    };
    let (y, _, _) = civil_from_days(day);
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(day)
}

/// A plain decimal number with at most `max_int` integer digits and an
/// optional fraction, as `f64`; `None` otherwise.
fn plain_number(s: &[u8], max_int: usize) -> Option<f64> {
    let mut i = 0;
    let (whole, n) = digits(s, &mut i, max_int)?;
    let mut v = whole as f64;
    if n == max_int && s.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        let mut scale = 0.1;
        let start = i;
        while let Some(&c) = s.get(i) {
            if !c.is_ascii_digit() {
                return None;
            }
            if i - start < 9 {
                v += f64::from(c - b'0') * scale;
                scale /= 10.0;
            }
            i += 1;
        }
    }
    (i == s.len()).then_some(v)
}

/// A time cell written as a number: an Excel serial date (`45356`,
/// `45356.59`), or epoch seconds (10 digits) / milliseconds (13 digits)
/// taken at `epoch_offset_minutes` from UTC.
///
/// ```
/// # use shijing::orders::values::{days_from_civil, parse_numeric_time};
/// // 2024-03-05 16:00 UTC: day 19,787 (2024-01-01 is 19,723) and 16 hours.
/// let secs = (19_787 * 86_400 + 16 * 3_600).to_string();
/// assert_eq!(parse_numeric_time(secs.as_bytes(), 0), Some(days_from_civil(2024, 3, 5)));
/// // In China (UTC+8) it is already midnight of the 6th.
/// assert_eq!(parse_numeric_time(secs.as_bytes(), 480), Some(days_from_civil(2024, 3, 6)));
/// let millis = format!("{secs}000");
/// assert_eq!(parse_numeric_time(millis.as_bytes(), 480), Some(days_from_civil(2024, 3, 6)));
/// // A short number is an Excel serial date.
/// assert_eq!(parse_numeric_time(b"45356.5", 480), Some(days_from_civil(2024, 3, 5)));
/// assert_eq!(parse_numeric_time(b"12345678", 480), None); // 8 digits: neither
/// ```
pub fn parse_numeric_time(s: &[u8], epoch_offset_minutes: i32) -> Option<i64> {
    let int_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let offset = i64::from(epoch_offset_minutes) * 60;
    match int_len {
        1..=7 => excel_serial_day(plain_number(s, 7)?, false),
        10 | 13 => {
            let v = plain_number(s, 13)?;
            let secs = if int_len == 10 { v } else { v / 1000.0 };
            let day = (secs.floor() as i64 + offset).div_euclid(86_400);
            let (y, _, _) = civil_from_days(day);
            (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(day)
        }
        _ => None,
    }
}

/// Why an amount could not be read.
///
/// ```
/// # use shijing::orders::values::{parse_amount, AmountError};
/// assert_eq!(parse_amount(b"abc"), Err(AmountError::NotANumber));
/// assert_eq!(parse_amount(b"-0.5"), Err(AmountError::Negative));
/// assert_eq!(parse_amount(b"2000000000000"), Err(AmountError::TooLarge)); // two trillion yuan
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Not a number.
    NotANumber,
    /// Below zero.
    Negative,
    /// Above [`MAX_AMOUNT_UNITS`].
    TooLarge,
}

/// A money amount as written, in [`UNITS_PER_YUAN`] units: `128`, `128.00`,
/// `￥128.00`, `¥1,299.50`, `59元`, `RMB 88`, `="128.00"`, with a sign.
/// Digits past the sixth decimal are rounded (half up). An empty cell is
/// `Ok(None)`.
///
/// ```
/// # use shijing::orders::values::{parse_amount, AmountError};
/// assert_eq!(parse_amount("￥1,299.50".as_bytes()), Ok(Some(1_299_500_000)));
/// assert_eq!(parse_amount("59元".as_bytes()), Ok(Some(59_000_000)));
/// assert_eq!(parse_amount(b"=\"128.00\""), Ok(Some(128_000_000)));
/// assert_eq!(parse_amount(b"0.1234565"), Ok(Some(123_457))); // the 7th digit rounds up
/// assert_eq!(parse_amount(b" "), Ok(None));
/// assert_eq!(parse_amount(b"-5"), Err(AmountError::Negative));
/// assert_eq!(parse_amount(b"1,29"), Err(AmountError::NotANumber)); // not groups of three
/// assert_eq!(parse_amount(b"1e3"), Err(AmountError::NotANumber));
/// ```
pub fn parse_amount(s: &[u8]) -> Result<Option<i64>, AmountError> {
    match plain_amount(s) {
        Some(units) => Ok(Some(units)),
        None => any_amount(s),
    }
}

/// [`parse_amount`] of any text.
fn any_amount(s: &[u8]) -> Result<Option<i64>, AmountError> {
    let mut s = unguard(s);
    if s.is_empty() {
        return Ok(None);
    }
    let mut negative = false;
    if let Some(r) = s.strip_prefix(b"-") {
        negative = true;
        s = trim(r);
    } else if let Some(r) = s.strip_prefix(b"+") {
        s = trim(r);
    }
    // (Each prefix compared only when the first byte may start one.)
    let signs = matches!(
        s.first(),
        Some(0xEF | 0xC2 | b'$' | b'R' | b'r' | b'C' | b'c')
    );
    for sign in [
        "￥".as_bytes(),
        "¥".as_bytes(),
        b"$",
        b"RMB",
        b"rmb",
        b"CNY",
        b"cny",
    ]
    .into_iter()
    .filter(|_| signs)
    {
        if let Some(r) = s.strip_prefix(sign) {
            s = trim(r);
            break;
        }
    }
    if s.last() == Some(&0x83) {
        if let Some(r) = s.strip_suffix("元".as_bytes()) {
            s = trim(r);
        }
    }
    if !negative {
        if let Some(r) = s.strip_prefix(b"-") {
            negative = true;
            s = trim(r);
        }
    }
    // Integer part, with thousands separators only in groups of three.
    let mut whole: i64 = 0;
    let mut i = 0;
    let mut int_digits = 0;
    let mut group = 0;
    let mut grouped = false;
    while let Some(&c) = s.get(i) {
        if c.is_ascii_digit() {
            if int_digits >= 16 {
                return Err(AmountError::TooLarge);
            }
            whole = whole * 10 + i64::from(c - b'0');
            int_digits += 1;
            group += 1;
        } else if c == b',' {
            if int_digits == 0 || (grouped && group != 3) || (!grouped && group > 3) {
                return Err(AmountError::NotANumber);
            }
            grouped = true;
            group = 0;
        } else {
            break;
        }
        i += 1;
    }
    if grouped && group != 3 {
        return Err(AmountError::NotANumber);
    }
    let mut frac: i64 = 0;
    let mut frac_digits = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        let mut round_up = false;
        while let Some(&c) = s.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            if frac_digits < 6 {
                frac = frac * 10 + i64::from(c - b'0');
            } else if frac_digits == 6 {
                round_up = c >= b'5';
            }
            frac_digits += 1;
            i += 1;
        }
        if int_digits == 0 && frac_digits == 0 {
            return Err(AmountError::NotANumber);
        }
        for _ in frac_digits.min(6)..6 {
            frac *= 10;
        }
        if round_up {
            frac += 1;
        }
    } else if int_digits == 0 {
        return Err(AmountError::NotANumber);
    }
    if i != s.len() {
        return Err(AmountError::NotANumber);
    }
    let units = whole
        .checked_mul(UNITS_PER_YUAN)
        .and_then(|u| u.checked_add(frac))
        .filter(|&u| u <= MAX_AMOUNT_UNITS)
        .ok_or(AmountError::TooLarge)?;
    if negative && units != 0 {
        return Err(AmountError::Negative);
    }
    Ok(Some(units))
}

/// [`parse_amount`] of the common cell, `￥` or nothing then up to 12
/// digits and at most 6 decimals (`￥19.90`, `128`): the same units, without
/// the general reading's guards, signs and separators; `None` for any
/// other text (which the general reading then reads).
#[inline]
fn plain_amount(s: &[u8]) -> Option<i64> {
    let s = match s {
        [0xEF, 0xBF, 0xA5, rest @ ..] => rest, // ￥
        _ => s,
    };
    let (mut whole, mut i) = (0i64, 0);
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() || i == 12 {
            break;
        }
        whole = whole * 10 + i64::from(c - b'0');
        i += 1;
    }
    if i == 0 {
        return None;
    }
    // The units of each decimal (a table: a 64-bit division is slow in Wasm).
    const PLACES: [i64; 6] = [100_000, 10_000, 1_000, 100, 10, 1];
    let mut frac = 0i64;
    if s.get(i) == Some(&b'.') {
        i += 1;
        for &place in &PLACES {
            match s.get(i) {
                Some(&c) if c.is_ascii_digit() => frac += i64::from(c - b'0') * place,
                _ => break,
            }
            i += 1;
        }
    }
    (i == s.len()).then_some(whole * UNITS_PER_YUAN + frac)
}

/// An amount stored as a number (an xlsx cell), in units.
pub(crate) fn amount_from_f64(x: f64) -> Result<i64, AmountError> {
    if x.is_nan() {
        return Err(AmountError::NotANumber);
    }
    if x < 0.0 {
        return Err(AmountError::Negative);
    }
    let units = (x * UNITS_PER_YUAN as f64).round();
    if units > MAX_AMOUNT_UNITS as f64 {
        return Err(AmountError::TooLarge);
    }
    Ok(units as i64)
}

/// Units back to an `f64` amount: the nearest `f64` to the exact decimal
/// (both operands are exact and the division is correctly rounded) while
/// |units| < 2^53.
///
/// ```
/// # use shijing::orders::values::{parse_amount, units_to_f64};
/// let units = |s: &str| parse_amount(s.as_bytes()).unwrap().unwrap();
/// // Summed in units, 0.10 + 0.20 is 0.3 exactly (as f64s it would not be).
/// assert_ne!(0.1 + 0.2, 0.3);
/// assert_eq!(units_to_f64(units("0.10") + units("0.20")), 0.3);
/// ```
pub fn units_to_f64(units: i64) -> f64 {
    units as f64 / UNITS_PER_YUAN as f64
}

/// A number written as the integer it is (xlsx ids stored as numbers), or
/// `None` when it has a fraction or is past 2^53 (Excel already rounded it).
pub(crate) fn integer_text(x: f64, out: &mut Vec<u8>) -> bool {
    if !(x.is_finite() && x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0) {
        return false;
    }
    let mut v = x as i64;
    out.clear();
    if v < 0 {
        out.push(b'-');
        v = -v;
    }
    let start = out.len();
    loop {
        out.push(b'0' + (v % 10) as u8);
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out[start..].reverse();
    true
}

/// Normalizes a status value for matching: guards and whitespace removed,
/// ASCII letters lower-cased, inner spaces, `_` and `-` dropped.
///
/// ```
/// # use shijing::orders::{values::status_key, CLOSED_STATUSES};
/// let mut key = Vec::new();
/// status_key(b"=\"Pending-Payment \"", &mut key);
/// assert_eq!(key, b"pendingpayment");
/// assert!(CLOSED_STATUSES.contains(&"pendingpayment"));
/// status_key("\t交易 关闭".as_bytes(), &mut key);
/// assert_eq!(String::from_utf8(key).unwrap(), "交易关闭");
/// ```
pub fn status_key(s: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend(
        unguard(s)
            .iter()
            .filter(|c| !matches!(c, b' ' | b'_' | b'-'))
            .map(u8::to_ascii_lowercase),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_dates_are_the_calendar() {
        for y in MIN_YEAR - 2..=MAX_YEAR + 2 {
            for m in -1..=14 {
                for d in -1..=33 {
                    let day = days_from_civil(y, m, d);
                    let real =
                        (MIN_YEAR..=MAX_YEAR).contains(&y) && civil_from_days(day) == (y, m, d);
                    assert_eq!(valid_date(y, m, d), real.then_some(day), "{y}-{m}-{d}");
                }
            }
        }
        assert_eq!(valid_date(2024, 2, i64::MAX), None);
        assert_eq!(valid_date(2024, i64::MIN, 1), None);
    }

    /// The fast readings (`yyyy-mm-dd` dates, plain and `￥` amounts, cells
    /// without guards) give what the general ones give wherever they answer.
    #[test]
    fn fast_readings_agree_with_the_general_ones() {
        for y in [0, 1899, 1900, 2023, 2024, 2100, 2200, 2201, 9999] {
            for m in 0..=13 {
                for d in 0..=32 {
                    for tail in [
                        "",
                        " 01:02:03",
                        "T23:59:59+08:00",
                        "\t",
                        "日",
                        "x",
                        "1",
                        ":",
                    ] {
                        let s = format!("{y:04}-{m:02}-{d:02}{tail}");
                        for o in [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy] {
                            let b = s.as_bytes();
                            assert_eq!(parse_date_text(b, o), any_date_text(b, o), "{s}");
                        }
                    }
                }
            }
        }
        let mut fast = 0;
        for int in [
            "",
            "0",
            "7",
            "19",
            "007",
            "1299",
            "999999999999",
            "1000000000000",
            "9999999999999",
        ] {
            for frac in [
                "",
                ".",
                ".9",
                ".90",
                ".123456",
                ".1234565",
                ".12345649",
                ".x",
                "..1",
            ] {
                for (pre, post) in [
                    ("", ""),
                    ("￥", ""),
                    ("¥", ""),
                    ("￥", " "),
                    (" ", ""),
                    ("-", ""),
                    ("=\"", "\""),
                    ("", "元"),
                    ("\t", ""),
                ] {
                    let s = format!("{pre}{int}{frac}{post}");
                    let b = s.as_bytes();
                    if let Some(u) = plain_amount(b) {
                        fast += 1;
                        assert_eq!(any_amount(b), Ok(Some(u)), "{s}");
                    }
                    assert_eq!(parse_amount(b), any_amount(b), "{s}");
                    assert_eq!(unguard(b), unguard_ends(b), "{s}");
                }
            }
        }
        assert_eq!(fast, 6 * 5 * 2); // int of 1-12 digits, 0-6 decimals, "￥" or nothing
        for s in [
            "",
            " ",
            "'0012",
            "=\"0012\"",
            "\t390",
            "a",
            "a ",
            "买家",
            "x\u{3000}",
            "\u{feff}x",
        ] {
            assert_eq!(unguard(s.as_bytes()), unguard_ends(s.as_bytes()), "{s:?}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn fast_readings_agree_on_random_text(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "0", "1", "2", "9", "12", "2024", "-", ".", "/", " ", "￥", "¥", "=\"", "\"", "'",
                    "\t", "年", "日", ",", "T", "e", "19.90", "\u{3000}", "\u{a0}",
                ]),
                0..12,
            )
        ) {
            let t = tokens.concat();
            let b = t.as_bytes();
            if let Some(u) = plain_amount(b) {
                proptest::prop_assert_eq!(any_amount(b), Ok(Some(u)));
            }
            for o in [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy] {
                proptest::prop_assert_eq!(parse_date_text(b, o), any_date_text(b, o));
            }
            proptest::prop_assert_eq!(unguard(b), unguard_ends(b));
        }
    }

    #[test]
    fn same_bytes_is_slice_equality() {
        let texts = [
            &b""[..],
            b"a",
            b"ab",
            b"12345678",
            b"123456789",
            b"3901234567000007919",
            b"3901234567000007918",
            b"2901234567000007919",
            "交易成功".as_bytes(),
            "交易关闭".as_bytes(),
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_bytes(a, b), a == b);
            }
        }
    }

    #[test]
    fn trims_both_ends() {
        for (s, want) in [
            ("\t3901234567000007919", "3901234567000007919"),
            ("\u{3000} 买家 \u{a0}\u{3000}", "买家"),
            ("\u{feff}\u{a0} x\t\u{3000}", "x"),
            ("￥19.90", "￥19.90"),
            ("交易成功", "交易成功"),
            (" \u{3000}\u{feff} ", ""),
            ("", ""),
        ] {
            assert_eq!(trim(s.as_bytes()), want.as_bytes(), "{s:?}");
        }
    }

    fn day(s: &str) -> Option<i64> {
        parse_date_text(s.as_bytes(), DateOrder::Ymd)
    }

    #[test]
    fn dates() {
        let d = days_from_civil(2024, 3, 5);
        assert_eq!(d, 19787);
        assert_eq!(civil_from_days(d), (2024, 3, 5));
        for s in [
            "2024-03-05",
            "2024-03-05 14:22:01",
            "2024-03-05T23:59:59+08:00",
            "2024/3/5",
            "2024.3.5",
            "2024年3月5日",
            "2024年3月5日 14:22",
            "2024 年 3 月 5 日",
            "20240305",
            "20240305 08:00",
        ] {
            assert_eq!(day(s), Some(d), "{s}");
        }
        for s in [
            "2024-02-30",
            "2024-13-01",
            "1899-12-31",
            "2024-03",
            "2024-03-05x",
            "abc",
            "",
            "202403051",
            "12345",
        ] {
            assert_eq!(day(s), None, "{s}");
        }
        assert_eq!(day("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(day("2023-02-29"), None);
        assert_eq!(parse_date_text(b"05/03/2024", DateOrder::Dmy), Some(d));
        assert_eq!(
            parse_date_text(b"03/05/2024 10:00", DateOrder::Mdy),
            Some(d)
        );
        assert_eq!(parse_date_text(b"05/03/2024", DateOrder::Ymd), None);
        assert_eq!(year_last_parts(b"25/12/2024"), Some((25, 12)));
        // Excel serials: 45356 is 2024-03-05; 1904 system; the phantom leap day.
        assert_eq!(parse_numeric_time(b"45356", 480), Some(d));
        assert_eq!(parse_numeric_time(b"45356.99", 480), Some(d));
        assert_eq!(excel_serial_day(43894.0, true), Some(d));
        assert_eq!(
            excel_serial_day(59.0, false),
            Some(days_from_civil(1900, 2, 28))
        );
        assert_eq!(
            excel_serial_day(61.0, false),
            Some(days_from_civil(1900, 3, 1))
        );
        assert_eq!(excel_serial_day(f64::NAN, false), None);
        assert_eq!(excel_serial_day(1e300, false), None);
        // Epoch seconds at UTC+8: 2024-03-04T16:30Z is 2024-03-05 00:30 in Beijing.
        assert_eq!(parse_numeric_time(b"1709569800", 480), Some(d));
        assert_eq!(parse_numeric_time(b"1709569800000", 480), Some(d));
        assert_eq!(parse_numeric_time(b"1709569800", 0), Some(d - 1));
    }

    #[test]
    fn amounts() {
        let u = |s: &str| parse_amount(s.as_bytes());
        assert_eq!(u("128.00"), Ok(Some(128_000_000)));
        assert_eq!(u("￥128.00"), Ok(Some(128_000_000)));
        assert_eq!(u("¥1,299.50"), Ok(Some(1_299_500_000)));
        assert_eq!(u("59元"), Ok(Some(59_000_000)));
        assert_eq!(u("RMB 88"), Ok(Some(88_000_000)));
        assert_eq!(u("=\"19.90\""), Ok(Some(19_900_000)));
        assert_eq!(u("\t0.5"), Ok(Some(500_000)));
        assert_eq!(u(".5"), Ok(Some(500_000)));
        assert_eq!(u("1,234,567.891"), Ok(Some(1_234_567_891_000)));
        assert_eq!(u("0.1234567"), Ok(Some(123_457)));
        assert_eq!(u(""), Ok(None));
        assert_eq!(u("  "), Ok(None));
        assert_eq!(u("-0.00"), Ok(Some(0)));
        assert_eq!(u("-10.00"), Err(AmountError::Negative));
        assert_eq!(u("￥-10"), Err(AmountError::Negative));
        for bad in [
            "abc", "1,2", "12,34.5", "1.2.3", "1e5", ".", "¥", "1 2", "12,",
        ] {
            assert_eq!(u(bad), Err(AmountError::NotANumber), "{bad}");
        }
        assert_eq!(u("1000000000001"), Err(AmountError::TooLarge));
        assert_eq!(u("99999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(u("9999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(u("2088102177000001"), Err(AmountError::TooLarge));
        assert_eq!(amount_from_f64(99.9), Ok(99_900_000));
        assert_eq!(amount_from_f64(-1.0), Err(AmountError::Negative));
        assert_eq!(amount_from_f64(1e300), Err(AmountError::TooLarge));
        assert_eq!(units_to_f64(187_900_000), 187.9);
    }

    #[test]
    fn guards_and_ids() {
        assert_eq!(unguard(b"\t3201234567890123456"), b"3201234567890123456");
        assert_eq!(unguard(b"=\"3201234567890123456\""), b"3201234567890123456");
        assert_eq!(unguard(b" '0012 "), b"0012");
        assert_eq!(
            unguard("\u{3000}买家A\u{3000}".as_bytes()),
            "买家A".as_bytes()
        );
        let mut out = Vec::new();
        assert!(integer_text(2088102177000001.0, &mut out));
        assert_eq!(out, b"2088102177000001");
        assert!(!integer_text(3.2e18, &mut out));
        assert!(!integer_text(1.5, &mut out));
        status_key(b" Trade_Closed ", &mut out);
        assert_eq!(out, b"tradeclosed");
    }
}
