//! Rows of cells from a source: CSV/TSV text through the `csv` crate (or an
//! xlsx sheet, in `xlsx.rs`), a sample of the first rows for detection, and
//! the delimiter of a text.

use crate::Result;

/// One cell as its source holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
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
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => super::values::trim(t).is_empty(),
            _ => false,
        }
    }
}

/// An owned [`Cell`] (the detection sample).
#[derive(Debug, Clone, PartialEq)]
pub enum OwnedCell {
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
    pub fn cell(&self) -> Cell<'_> {
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
pub trait Rows {
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
pub type SampleRow = (u64, Vec<OwnedCell>);

/// The first `n` rows with at least one non-blank cell.
pub fn sample<R: Rows>(rows: &mut R, n: usize) -> Result<Vec<SampleRow>> {
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

/// Rows of CSV/TSV text, read by the `csv` crate (RFC 4180 quoting, quoted
/// fields across lines, CRLF/LF/CR line ends; no row is an error: rows of
/// any length are kept, judged later).
pub struct CsvRows<'a> {
    text: &'a [u8],
    /// Line ends are counted up to `counted` (a byte offset): `line` so far.
    counted: usize,
    line: u64,
    /// The byte that ends a line: `\n`, or `\r` in a file without any `\n`.
    eol: u8,
    reader: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
    whitespace: bool,
    /// With whitespace runs: the indices of the non-empty fields.
    fields: Vec<usize>,
}

impl<'a> CsvRows<'a> {
    /// Rows of `text` split at `delimiter`.
    pub fn new(text: &'a [u8], delimiter: Delimiter) -> CsvRows<'a> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter.byte())
            .from_reader(text);
        let head = text.get(..64 << 10).unwrap_or(text);
        let eol = if !head.contains(&b'\n') && head.contains(&b'\r') {
            b'\r'
        } else {
            b'\n'
        };
        CsvRows {
            text,
            counted: 0,
            line: 1,
            eol,
            reader,
            record: csv::ByteRecord::new(),
            whitespace: delimiter == Delimiter::Whitespace,
            fields: Vec::new(),
        }
    }
}

impl Rows for CsvRows<'_> {
    fn advance(&mut self) -> Result<Option<u64>> {
        // Reading a byte slice with `flexible` cannot fail (no I/O, no
        // UTF-8 check, no length check); an error would end the rows.
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) | Err(_) => return Ok(None),
        }
        if self.whitespace {
            self.fields.clear();
            let r = &self.record;
            self.fields
                .extend((0..r.len()).filter(|&i| r.get(i).is_some_and(|f| !f.is_empty())));
        }
        // The line the record starts on. The csv crate's own line count
        // lags behind CRLF ends and blank lines, so line ends are counted
        // here, from the record's byte offset on past any line ends before it.
        let mut start = self
            .record
            .position()
            .map_or(self.counted, |p| p.byte() as usize);
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.counted {
            let eol = self.eol;
            let ends = self
                .text
                .get(self.counted..start)
                .unwrap_or_default()
                .iter()
                .filter(|&&c| c == eol)
                .count();
            self.line += ends as u64;
            self.counted = start;
        }
        Ok(Some(self.line))
    }

    #[inline]
    fn cell(&self, col: usize) -> Cell<'_> {
        let i = if self.whitespace {
            match self.fields.get(col) {
                Some(&i) => i,
                None => return Cell::Empty,
            }
        } else {
            col
        };
        match self.record.get(i) {
            Some(f) if !f.is_empty() => Cell::Text(f),
            _ => Cell::Empty,
        }
    }

    fn width(&self) -> usize {
        if self.whitespace {
            self.fields.len()
        } else {
            self.record.len()
        }
    }
}

/// Rows of CSV/TSV text split where they can be without the `csv` crate's
/// buffered reader: a record with no field that starts with a quote is cut
/// at its delimiters and line end as one `memchr` search over the text finds
/// them (fields borrowed, no copy); a record with a quoted field is parsed
/// by `csv-core` (RFC 4180: doubled quotes, delimiters and line ends inside
/// quotes), as the `csv` crate would. A quote inside a field (`="…"`) is an
/// ordinary character, as in `csv-core`. Why not the `csv` crate for every
/// record: on a 1M-line export its reader alone took ~160 ms natively of a
/// 300 ms budget in Wasm (benches/orders.rs).
pub struct TextRows<'a> {
    text: &'a [u8],
    delimiter: u8,
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
    /// Rows of `text` (lines ending in `\n` or `\r\n`) split at `delimiter`
    /// (not [`Delimiter::Whitespace`], which [`CsvRows`] reads).
    pub fn new(text: &'a [u8], delimiter: Delimiter) -> TextRows<'a> {
        TextRows {
            text,
            delimiter: delimiter.byte(),
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
        self.quoted = false;
        self.fields.clear();
        let mut field = start;
        let mut end = text.len();
        let mut quoted_at = None;
        for i in memchr::memchr3_iter(
            self.delimiter,
            b'\n',
            b'"',
            text.get(start..).unwrap_or_default(),
        ) {
            let i = start + i;
            match text.get(i) {
                Some(b'\n') => {
                    end = i;
                    break;
                }
                Some(b'"') if i == field => {
                    quoted_at = Some(start);
                    break;
                }
                Some(b'"') => {}
                _ => {
                    self.fields.push((field, i));
                    field = i + 1;
                }
            }
        }
        if let Some(s) = quoted_at {
            let mut next = self.quoted_record(s);
            // A record ended by `\r` leaves the `\n` of its `\r\n`.
            if text.get(next.wrapping_sub(1)) == Some(&b'\r') && text.get(next) == Some(&b'\n') {
                next += 1;
            }
            let lines = memchr::memchr_iter(b'\n', text.get(s..next).unwrap_or_default()).count();
            self.line += lines as u64;
            self.pos = next;
            return Ok(Some(line));
        }
        let mut last = end;
        if last > field && text.get(last - 1) == Some(&b'\r') {
            last -= 1;
        }
        self.fields.push((field, last));
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

/// Rows of any text: [`TextRows`], or [`CsvRows`] for whitespace runs and
/// for files whose lines end in a lone `\r`.
// One per read, on the stack: boxing a variant would only add an indirection.
#[allow(clippy::large_enum_variant)]
pub enum AnyTextRows<'a> {
    /// The fast reader.
    Fast(TextRows<'a>),
    /// The `csv` crate's reader.
    Csv(CsvRows<'a>),
}

impl<'a> AnyTextRows<'a> {
    /// The reader for `text` and `delimiter`.
    pub fn new(text: &'a [u8], delimiter: Delimiter) -> AnyTextRows<'a> {
        let head = text.get(..64 << 10).unwrap_or(text);
        let cr_only = !head.contains(&b'\n') && head.contains(&b'\r');
        if delimiter == Delimiter::Whitespace || cr_only {
            AnyTextRows::Csv(CsvRows::new(text, delimiter))
        } else {
            AnyTextRows::Fast(TextRows::new(text, delimiter))
        }
    }
}

impl Rows for AnyTextRows<'_> {
    #[inline]
    fn advance(&mut self) -> Result<Option<u64>> {
        match self {
            AnyTextRows::Fast(r) => r.advance(),
            AnyTextRows::Csv(r) => r.advance(),
        }
    }
    #[inline]
    fn cell(&self, col: usize) -> Cell<'_> {
        match self {
            AnyTextRows::Fast(r) => r.cell(col),
            AnyTextRows::Csv(r) => r.cell(col),
        }
    }
    #[inline]
    fn width(&self) -> usize {
        match self {
            AnyTextRows::Fast(r) => r.width(),
            AnyTextRows::Csv(r) => r.width(),
        }
    }
}

/// The delimiter that splits the first records of `text` into the most
/// consistent number (≥ 2) of fields; whitespace runs only when no
/// character does.
pub fn detect_delimiter(text: &[u8]) -> Delimiter {
    let head = text.get(..64 << 10).unwrap_or(text);
    let mut best = (Delimiter::Comma, f64::MIN);
    for d in [
        Delimiter::Comma,
        Delimiter::Tab,
        Delimiter::Semicolon,
        Delimiter::Pipe,
        Delimiter::Whitespace,
    ] {
        let mut rows = CsvRows::new(head, d);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, d: Delimiter) -> Vec<(u64, Vec<String>)> {
        let mut r = CsvRows::new(text.as_bytes(), d);
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
                (5, vec!["2".into(), "=\"0012\"".into()]),
            ]
        );
        let r = rows("h\r\rx\ry\r", Delimiter::Comma);
        assert_eq!(r.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![1, 3, 4]);
        let r = rows("  00004 0001 19970101  2   29.33\n", Delimiter::Whitespace);
        assert_eq!(r[0].1, vec!["00004", "0001", "19970101", "2", "29.33"]);
    }

    fn fast_rows(text: &str, d: Delimiter) -> Vec<(u64, Vec<String>)> {
        let mut r = TextRows::new(text.as_bytes(), d);
        let mut out = Vec::new();
        while let Some(line) = r.advance().unwrap() {
            let cells = (0..r.width())
                .map(|c| match r.cell(c) {
                    Cell::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    _ => String::new(),
                })
                .collect::<Vec<String>>();
            out.push((line, cells));
        }
        out
    }

    #[test]
    fn the_fast_reader_reads_as_the_csv_crate() {
        for text in [
            "a,b\r\n1,\"x\ny\"\r\n\r\n2,=\"0012\"\n",
            "a,b\n\"q\"\"q\",\"1,299.00\"\n3,4",
            "x,\"unterminated\n1,2\n",
            "\"a\",b\r\n\"c\"\r\nd,e\r\n",
            "a,b\"c,d\n,\n",
            "",
            "\n\n",
        ] {
            // Blank lines: the csv crate skips them, the fast reader returns
            // them (empty), so compare the non-blank records.
            let fast: Vec<_> = fast_rows(text, Delimiter::Comma)
                .into_iter()
                .filter(|(_, c)| c.iter().any(|v| !v.is_empty()))
                .collect();
            let slow: Vec<_> = rows(text, Delimiter::Comma)
                .into_iter()
                .filter(|(_, c)| c.iter().any(|v| !v.is_empty()))
                .collect();
            assert_eq!(fast, slow, "{text:?}");
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
