//! Rows of cells from a source: CSV/TSV text (`TextRows`, csv-core for quoted records; or an
//! xlsx sheet, in `xlsx.rs`), a sample of the first rows for detection, and
//! the delimiter of a text.

use crate::Result;

/// One cell as its source holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cell<'a> {
    /// Nothing in it.
    Empty,
    /// Text (UTF-8 unless the file lied about its encoding).
    Text(&'a [u8]),
    /// A number cell (xlsx).
    Number(f64),
    /// A date cell (xlsx): the serial, and whether the workbook counts from 1904.
    Date(f64, bool),
}

impl Cell<'_> {
    /// Whether the cell holds nothing (or only whitespace).
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => super::values::trim(t).is_empty(),
            _ => false,
        }
    }
}

/// An owned [`Cell`] (the detection sample).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OwnedCell {
    /// See [`Cell::Empty`].
    Empty,
    /// See [`Cell::Text`].
    Text(Vec<u8>),
    /// See [`Cell::Number`].
    Number(f64),
    /// See [`Cell::Date`].
    Date(f64, bool),
}

impl OwnedCell {
    /// The borrowed view.
    pub(crate) fn cell(&self) -> Cell<'_> {
        match self {
            OwnedCell::Empty => Cell::Empty,
            OwnedCell::Text(t) => Cell::Text(t),
            OwnedCell::Number(x) => Cell::Number(*x),
            OwnedCell::Date(x, d) => Cell::Date(*x, *d),
        }
    }

    fn of(c: Cell<'_>) -> OwnedCell {
        match c {
            Cell::Empty => OwnedCell::Empty,
            Cell::Text(t) => OwnedCell::Text(t.to_vec()),
            Cell::Number(x) => OwnedCell::Number(x),
            Cell::Date(x, d) => OwnedCell::Date(x, d),
        }
    }
}

/// A source of rows.
pub(crate) trait Rows {
    /// Moves to the next row; returns its line (CSV: the line the record
    /// starts on; xlsx: the sheet's row number), or `None` at the end.
    fn advance(&mut self) -> Result<Option<u64>>;
    /// Cell `col` of the current row ([`Cell::Empty`] past its end).
    fn cell(&self, col: usize) -> Cell<'_>;
    /// Number of cells in the current row.
    fn width(&self) -> usize;
    /// Whether rows may be shorter than the header without being malformed
    /// (an xlsx sheet stores no empty cells at a row's end).
    fn ragged(&self) -> bool {
        false
    }
}

/// A sampled row: line number and cells.
pub(crate) type SampleRow = (u64, Vec<OwnedCell>);

/// The first `n` rows with at least one non-blank cell.
pub(crate) fn sample<R: Rows>(rows: &mut R, n: usize) -> Result<Vec<SampleRow>> {
    let mut out = Vec::new();
    while out.len() < n {
        let Some(line) = rows.advance()? else { break };
        let w = rows.width();
        if (0..w).all(|c| rows.cell(c).is_blank()) {
            continue;
        }
        out.push((line, (0..w).map(|c| OwnedCell::of(rows.cell(c))).collect()));
    }
    Ok(out)
}

/// The field delimiter of a text export.
///
/// [`read_orders`](super::read_orders) detects it (the one that splits the
/// first lines into the most consistent number of fields) and reports it:
///
/// ```
/// # use shijing::orders::{read_orders_text, Delimiter, ReadOptions};
/// let text = "买家ID;付款时间;实付款\nA;2024-01-05;12.50\nB;2024-01-06;8\n";
/// let orders = read_orders_text(text, None, &ReadOptions::default()).unwrap();
/// assert_eq!(orders.report.delimiter, Some(Delimiter::Semicolon));
/// assert_eq!(orders.amounts.unwrap(), [12.5, 8.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// `,`
    Comma,
    /// Tab (TSV; Excel's "Unicode text").
    Tab,
    /// `;`
    Semicolon,
    /// `|`
    Pipe,
    /// Runs of spaces (fixed-width logs such as CDNOW's).
    Whitespace,
}

impl Delimiter {
    /// The JS name: the character itself (`" "` for whitespace runs).
    ///
    /// ```
    /// # use shijing::orders::Delimiter;
    /// assert_eq!(Delimiter::Tab.as_str(), "\t");
    /// assert_eq!(Delimiter::Whitespace.as_str(), " ");
    /// // Each name reads back as its delimiter.
    /// for d in [Delimiter::Comma, Delimiter::Tab, Delimiter::Semicolon, Delimiter::Pipe, Delimiter::Whitespace] {
    ///     assert_eq!(Delimiter::from_str_opt(d.as_str()), Some(d));
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Delimiter::Comma => ",",
            Delimiter::Tab => "\t",
            Delimiter::Semicolon => ";",
            Delimiter::Pipe => "|",
            Delimiter::Whitespace => " ",
        }
    }

    /// The delimiter written as `s` (`,` `\t` `;` `|` or a space).
    ///
    /// ```
    /// # use shijing::orders::Delimiter;
    /// assert_eq!(Delimiter::from_str_opt("|"), Some(Delimiter::Pipe));
    /// assert_eq!(Delimiter::from_str_opt(" "), Some(Delimiter::Whitespace));
    /// assert_eq!(Delimiter::from_str_opt("\\t"), None); // a backslash and a t, not a tab
    /// assert_eq!(Delimiter::from_str_opt(",,"), None);
    /// ```
    pub fn from_str_opt(s: &str) -> Option<Delimiter> {
        match s {
            "," => Some(Delimiter::Comma),
            "\t" => Some(Delimiter::Tab),
            ";" => Some(Delimiter::Semicolon),
            "|" => Some(Delimiter::Pipe),
            " " => Some(Delimiter::Whitespace),
            _ => None,
        }
    }

    /// The delimiter an option names ([`Delimiter::from_str_opt`]); `name`
    /// is the option's name for the error.
    ///
    /// ```
    /// use shijing::orders::Delimiter;
    /// assert_eq!(Delimiter::parse("options.delimiter", "\t")?, Delimiter::Tab);
    /// assert!(Delimiter::parse("options.delimiter", "::").is_err());
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn parse(name: &str, s: &str) -> crate::Result<Delimiter> {
        Delimiter::from_str_opt(s).ok_or_else(|| {
            crate::Error::invalid(format!(
                "{name} must be \",\", \"\\t\", \";\", \"|\" or \" \" (runs of spaces), got \"{}\"",
                crate::text::clip(s)
            ))
        })
    }

    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
            Delimiter::Semicolon => b';',
            Delimiter::Pipe => b'|',
            Delimiter::Whitespace => b' ',
        }
    }
}

/// Rows of CSV/TSV text. A record is cut at its delimiters and line end as
/// a scan of 16 bytes at a time finds them ([`specials`]; fields borrowed,
/// no copy), a quoted field with nothing but text inside (`"￥1,299.00"`)
/// included; a record with any other quoting (doubled quotes, line ends
/// inside quotes, text after the closing quote) or a lone `\r` is parsed by
/// `csv-core` (RFC 4180) as the `csv` crate would — the tests check both
/// readers agree. A quote inside a field (`="…"`) is an ordinary character,
/// as in `csv-core`. Lines end in `\n` or `\r\n` (or `\r` in a file with
/// no `\n`); with [`Delimiter::Whitespace`] a line splits at runs of spaces
/// and tabs (no quoting), as fixed-width logs need.
///
/// Why not the `csv` crate's reader: on a 1M-line export (benches/orders.rs)
/// its record parsing and buffer copies took ~160 ms natively of a 300 ms
/// budget in Wasm; it also adds ~3.5 KB gzipped to the Wasm beside `csv-core`.
pub(crate) struct TextRows<'a> {
    text: &'a [u8],
    delimiter: u8,
    whitespace: bool,
    /// The line end: `\n`, or `\r` in a file without any `\n`.
    eol: u8,
    /// Start of the next record, and its line number.
    pos: usize,
    line: u64,
    /// The current record's fields: (start, end) in `text`, or in `owned`
    /// when `quoted`.
    fields: Vec<(usize, usize)>,
    quoted: bool,
    owned: Vec<u8>,
    ends: Vec<usize>,
    core: csv_core::Reader,
}

impl<'a> TextRows<'a> {
    /// Rows of `text` split at `delimiter`.
    pub(crate) fn new(text: &'a [u8], delimiter: Delimiter) -> TextRows<'a> {
        let head = text.get(..64 << 10).unwrap_or(text);
        let eol = if !head.contains(&b'\n') && head.contains(&b'\r') {
            b'\r'
        } else {
            b'\n'
        };
        TextRows {
            text,
            delimiter: delimiter.byte(),
            whitespace: delimiter == Delimiter::Whitespace,
            eol,
            pos: 0,
            line: 1,
            fields: Vec::with_capacity(32),
            quoted: false,
            owned: Vec::new(),
            ends: Vec::new(),
            core: csv_core::ReaderBuilder::new()
                .delimiter(delimiter.byte())
                .build(),
        }
    }

    /// Parses the record at `start` with csv-core; returns where it ends.
    fn quoted_record(&mut self, start: usize) -> usize {
        use csv_core::ReadRecordResult as R;
        self.core.reset();
        self.quoted = true;
        self.fields.clear();
        if self.owned.len() < 1024 {
            self.owned.resize(1024, 0);
        }
        if self.ends.len() < 64 {
            self.ends.resize(64, 0);
        }
        let (mut at, mut out, mut nends) = (start, 0, 0);
        loop {
            let input = self.text.get(at..).unwrap_or_default();
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                self.owned.get_mut(out..).unwrap_or_default(),
                self.ends.get_mut(nends..).unwrap_or_default(),
            );
            at += nin;
            out += nout;
            nends += nend;
            match res {
                R::InputEmpty if input.is_empty() => {
                    // End of text inside the record: csv-core was fed nothing.
                    break;
                }
                R::InputEmpty => {}
                R::OutputFull => {
                    let n = self.owned.len() * 2;
                    self.owned.resize(n, 0);
                }
                R::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                R::Record | R::End => break,
            }
        }
        let mut prev = 0;
        for &e in self.ends.get(..nends).unwrap_or_default() {
            self.fields.push((prev, e));
            prev = e;
        }
        at
    }
}

impl Rows for TextRows<'_> {
    fn advance(&mut self) -> Result<Option<u64>> {
        let text = self.text;
        let start = self.pos;
        if start >= text.len() {
            return Ok(None);
        }
        let line = self.line;
        let eol = self.eol;
        self.quoted = false;
        self.fields.clear();
        if self.whitespace {
            let end = memchr::memchr(eol, text.get(start..).unwrap_or_default())
                .map_or(text.len(), |i| start + i);
            let mut field = None;
            for (i, &c) in text.get(start..end).unwrap_or_default().iter().enumerate() {
                let i = start + i;
                match (matches!(c, b' ' | b'\t' | b'\r'), field) {
                    (true, Some(f)) => {
                        self.fields.push((f, i));
                        field = None;
                    }
                    (false, None) => field = Some(i),
                    _ => {}
                }
            }
            if let Some(f) = field {
                self.fields.push((f, end));
            }
            self.pos = end + 1;
            self.line += 1;
            return Ok(Some(line));
        }
        // The line's delimiters, quotes and line ends, 16 bytes at a time
        // ([`specials`]). A field that starts with a quote and ends at its
        // closing one (a delimiter or the line end right after it, no quote
        // or line end inside: `"￥1,299.00"`) is read here; any other quoting,
        // and a lone `\r` (which ends a record in csv-core), go to csv-core.
        let delimiter = self.delimiter;
        let mut field = start;
        let mut end = text.len();
        let mut last_pushed = false;
        let mut quoted = false;
        let mut at = start;
        'scan: while at < text.len() {
            let mut mask = specials(text, at, delimiter);
            let base = at;
            at = base + 16;
            while mask != 0 {
                let i = base + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let c = text.get(i).copied().unwrap_or(0);
                if c == delimiter {
                    self.fields.push((field, i));
                    field = i + 1;
                } else if c == eol {
                    end = i;
                    break 'scan;
                } else if c == b'"' {
                    if i != field {
                        continue; // a quote inside a field (`="0012"`) is a character
                    }
                    match closed_quote(text, i, delimiter, eol) {
                        Some((close, After::Delimiter)) => {
                            self.fields.push((i + 1, close));
                            field = close + 2;
                            at = field;
                            continue 'scan;
                        }
                        Some((close, After::End(e))) => {
                            self.fields.push((i + 1, close));
                            last_pushed = true;
                            end = e;
                            break 'scan;
                        }
                        None => {
                            quoted = true;
                            break 'scan;
                        }
                    }
                } else if c == b'\r' {
                    // eol is `\n`: the `\r` of the line's `\r\n` (or of the
                    // text's end) is the line end's; any other ends a record
                    // in csv-core.
                    if !matches!(text.get(i + 1), None | Some(b'\n')) {
                        quoted = true;
                        break 'scan;
                    }
                }
                // else `\n` in a text whose lines end in `\r`: a character.
            }
        }
        let mut last = end;
        if eol == b'\n' && last > field && text.get(last - 1) == Some(&b'\r') {
            last -= 1;
        }
        if quoted {
            // csv-core skips blank lines before a record: count them here.
            let mut start = start;
            let mut line = line;
            while let Some(&c) = text.get(start).filter(|&&c| c == b'\r' || c == b'\n') {
                line += u64::from(c == eol);
                start += 1;
            }
            if start >= text.len() {
                self.pos = start;
                return Ok(None);
            }
            self.line = line;
            let mut next = self.quoted_record(start);
            // A record ended by `\r` leaves the `\n` of its `\r\n`.
            if text.get(next.wrapping_sub(1)) == Some(&b'\r') && text.get(next) == Some(&b'\n') {
                next += 1;
            }
            let lines = memchr::memchr_iter(eol, text.get(start..next).unwrap_or_default()).count();
            self.line += lines as u64;
            self.pos = next;
            return Ok(Some(line));
        }
        if !last_pushed {
            self.fields.push((field, last));
        }
        self.pos = end + 1;
        self.line += 1;
        Ok(Some(line))
    }

    #[inline]
    fn cell(&self, col: usize) -> Cell<'_> {
        let src = if self.quoted {
            &self.owned[..]
        } else {
            self.text
        };
        match self.fields.get(col) {
            Some(&(a, b)) if b > a => src.get(a..b).map_or(Cell::Empty, Cell::Text),
            _ => Cell::Empty,
        }
    }

    fn width(&self) -> usize {
        self.fields.len()
    }
}

/// What follows a quoted field's closing quote.
enum After {
    /// A delimiter (at `close + 1`).
    Delimiter,
    /// The line end at this position (`text.len()` at the end of the text).
    End(usize),
}

/// For a field starting with the quote at `open`: its closing quote and
/// what follows it, when the field is simple — no quote (a doubled `""`)
/// or line end inside, and a delimiter or the line end right after (`\r\n`
/// included). `None` for anything else, which csv-core reads.
fn closed_quote(text: &[u8], open: usize, delimiter: u8, eol: u8) -> Option<(usize, After)> {
    let rest = text.get(open + 1..)?;
    let close = open + 1 + memchr::memchr(b'"', rest)?;
    let inside = text.get(open + 1..close)?;
    if memchr::memchr2(b'\n', b'\r', inside).is_some() {
        return None;
    }
    match text.get(close + 1).copied() {
        Some(c) if c == delimiter => Some((close, After::Delimiter)),
        Some(c) if c == eol => Some((close, After::End(close + 1))),
        None => Some((close, After::End(text.len()))),
        Some(b'\r') if eol == b'\n' => match text.get(close + 2) {
            Some(b'\n') => Some((close, After::End(close + 2))),
            None => Some((close, After::End(text.len()))),
            _ => None,
        },
        _ => None,
    }
}

/// The positions, as bits, of `delimiter`, `"`, `\n` and `\r` among the
/// 16 bytes of `text` from `at` (bit k: `text[at + k]`; fewer at the end of
/// the text). Wasm: four SIMD compares and one bitmask.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn specials(text: &[u8], at: usize, delimiter: u8) -> u32 {
    use core::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_splat, v128_or};
    let Some(c) = text.get(at..at + 16) else {
        return specials_tail(text, at, delimiter);
    };
    // Sixteen byte reads LLVM makes one v128.load.
    let v = u8x16(
        c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
        c[14], c[15],
    );
    let m = v128_or(
        v128_or(
            u8x16_eq(v, u8x16_splat(delimiter)),
            u8x16_eq(v, u8x16_splat(b'"')),
        ),
        v128_or(
            u8x16_eq(v, u8x16_splat(b'\n')),
            u8x16_eq(v, u8x16_splat(b'\r')),
        ),
    );
    u32::from(u8x16_bitmask(m))
}

/// [`specials`] natively: the same bits from two 64-bit words (a byte
/// equal to `c` is a zero byte of `w ^ c·0x01…01`, found exactly without
/// carries between bytes).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn specials(text: &[u8], at: usize, delimiter: u8) -> u32 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let Some(c) = text.get(at..at + 16) else {
        return specials_tail(text, at, delimiter);
    };
    let word = |b: &[u8]| {
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        u64::from_le_bytes(a)
    };
    let zeros = |w: u64| !((((w & SEVEN) + SEVEN) | w) | SEVEN); // 0x80 where a byte is 0
    let eight = |w: u64| {
        let z = zeros(w ^ (LOW * u64::from(delimiter)))
            | zeros(w ^ (LOW * u64::from(b'"')))
            | zeros(w ^ (LOW * u64::from(b'\n')))
            | zeros(w ^ (LOW * u64::from(b'\r')));
        // One bit per byte: bit 7 of byte k to bit k.
        ((z >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
    };
    eight(word(&c[..8])) | (eight(word(&c[8..])) << 8)
}

/// [`specials`] of the last bytes of the text (fewer than 16).
#[inline(never)]
fn specials_tail(text: &[u8], at: usize, delimiter: u8) -> u32 {
    text.get(at..)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, &c)| c == delimiter || c == b'"' || c == b'\n' || c == b'\r')
        .fold(0, |m, (k, _)| m | 1 << k)
}

/// The delimiter that splits the first records of `text` into the most
/// consistent number (≥ 2) of fields; whitespace runs only when no
/// character does.
pub(crate) fn detect_delimiter(text: &[u8]) -> Delimiter {
    let head = text.get(..64 << 10).unwrap_or(text);
    let mut best = (Delimiter::Comma, f64::MIN);
    for d in [
        Delimiter::Comma,
        Delimiter::Tab,
        Delimiter::Semicolon,
        Delimiter::Pipe,
        Delimiter::Whitespace,
    ] {
        let mut rows = TextRows::new(head, d);
        let mut counts: Vec<usize> = Vec::new();
        while counts.len() < 50 {
            match rows.advance() {
                Ok(Some(_)) => {
                    let w = rows.width();
                    if (0..w).any(|c| !rows.cell(c).is_blank()) {
                        counts.push(w);
                    }
                }
                _ => break,
            }
        }
        // The most common field count (the largest among equals).
        let mut mode = (0, 0);
        for &c in &counts {
            let n = counts.iter().filter(|&&x| x == c).count();
            if (n, c) > mode {
                mode = (n, c);
            }
        }
        let (n, width) = mode;
        if width < 2 || counts.is_empty() {
            continue;
        }
        let agree = n as f64 / counts.len() as f64;
        let penalty = if d == Delimiter::Whitespace { 5.0 } else { 0.0 };
        let score = agree * 10.0 + width.min(6) as f64 - penalty;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

/// Byte strings in one arena: string `i` ends at `ends[i]`.
#[derive(Default)]
pub(crate) struct Strings {
    pub(crate) arena: Vec<u8>,
    pub(crate) ends: Vec<usize>,
}

impl Strings {
    /// String `i` (empty past the end).
    pub(crate) fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.arena.get(start..end).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `csv` crate's reading (the oracle), blank records left out.
    fn csv_rows(text: &str) -> Vec<(u64, Vec<String>)> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while r.read_byte_record(&mut rec).unwrap() {
            let cells: Vec<String> = rec
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                out.push((0, cells));
            }
        }
        out
    }

    fn rows(text: &str, d: Delimiter) -> Vec<(u64, Vec<String>)> {
        let mut r = TextRows::new(text.as_bytes(), d);
        let mut out = Vec::new();
        while let Some(line) = r.advance().unwrap() {
            let cells = (0..r.width())
                .map(|c| match r.cell(c) {
                    Cell::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    _ => String::new(),
                })
                .collect();
            out.push((line, cells));
        }
        out
    }

    #[test]
    fn records_keep_their_first_line() {
        let r = rows("a,b\r\n1,\"x\ny\"\r\n\r\n2,=\"0012\"\n", Delimiter::Comma);
        assert_eq!(
            r,
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["1".into(), "x\ny".into()]),
                (4, vec![String::new()]),
                (5, vec!["2".into(), "=\"0012\"".into()]),
            ]
        );
        let r = rows("h\r\rx\ry\r", Delimiter::Comma);
        assert_eq!(
            r.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        let r = rows("  00004 0001 19970101  2   29.33\n", Delimiter::Whitespace);
        assert_eq!(r[0].1, vec!["00004", "0001", "19970101", "2", "29.33"]);
    }

    fn agree(text: &str) {
        let ours: Vec<_> = rows(text, Delimiter::Comma)
            .into_iter()
            .filter(|(_, c)| c.iter().any(|v| !v.is_empty()))
            .map(|(_, c)| (0, c))
            .collect();
        assert_eq!(ours, csv_rows(text), "{text:?}");
    }

    #[test]
    fn reads_as_the_csv_crate() {
        for text in [
            "a,b\r\n1,\"x\ny\"\r\n\r\n2,=\"0012\"\n",
            "a,b\n\"q\"\"q\",\"1,299.00\"\n3,4",
            "x,\"unterminated\n1,2\n",
            "\"a\",b\r\n\"c\"\r\nd,e\r\n",
            "a,b\"c,d\n,\n",
            "a\rb,c\r\"d\r\",e\r",
            "",
            "\n\n",
        ] {
            agree(text);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn reads_random_text_as_the_csv_crate(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec!["a", "1", ",", "\"", "\"\"", "\n", "\r\n", "\r", " ", "=\"", "买"]),
                0..60,
            )
        ) {
            agree(&tokens.concat());
        }

        /// Long lines: the 16-byte scan, fields across its blocks, quoted
        /// fields read without csv-core (`"￥1,299.00"`) and with it.
        #[test]
        fn reads_long_random_lines_as_the_csv_crate(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "2024-01-05 10:12:33", "\t3901234567890120001", "=\"0012\"", "\"￥1,299.00\"", "\"\"", "\"a\"\"b\"",
                    "\"x\ny\"", "\"q\"r", ",", ",", ",", "\n", "\r\n", "\r", "\"", "买家", "abcdefghijklmnopq",
                ]),
                0..400,
            )
        ) {
            agree(&tokens.concat());
        }

        #[test]
        fn specials_finds_every_special_byte(
            bytes in proptest::collection::vec(
                proptest::sample::select(vec![b',', b'\t', b';', b'"', b'\n', b'\r', b'a', 0, 0x80, 0xFF, 0x2B, 0x0B]),
                16..40,
            ),
            at in 0usize..24,
        ) {
            for d in [b',', b'\t', b';', b'|'] {
                proptest::prop_assert_eq!(specials(&bytes, at, d), specials_tail(&bytes[..bytes.len().min(at + 16)], at, d));
            }
        }
    }

    /// [`specials`] (SIMD in Wasm, 64-bit words natively) against a byte
    /// loop, on every byte value at every position of a 16-byte block.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn specials_agree_with_a_byte_loop() {
        let mut block = [b'x'; 40];
        for k in 0..16 {
            for v in 0..=255u8 {
                block[k + 3] = v;
                block[k + 20] = 255 - v;
                for d in [b',', b'\t', b';', b'|'] {
                    for at in [3, 20, 30] {
                        assert_eq!(
                            specials(&block, at, d),
                            specials_tail(&block[..(at + 16).min(40)], at, d),
                            "{v} at {k}, delimiter {d}"
                        );
                    }
                }
            }
            block[k + 3] = b'x';
            block[k + 20] = b'x';
        }
    }

    #[test]
    fn delimiters() {
        let d = |s: &str| detect_delimiter(s.as_bytes());
        assert_eq!(d("a;b;c\n1;2;3\n"), Delimiter::Semicolon);
        assert_eq!(d("a\tb\n1\t2\n"), Delimiter::Tab);
        assert_eq!(d("a,\"x;y\",c\n1,2,3\n"), Delimiter::Comma);
        assert_eq!(
            d(" 00004 0001 19970101  2   29.33\n"),
            Delimiter::Whitespace
        );
        assert_eq!(
            d("买家ID,下单时间,实付款\nA,2024-01-01,￥1,299.00\n"),
            Delimiter::Comma
        );
    }
}
