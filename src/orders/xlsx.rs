//! .xlsx workbooks: the zip archive (`zip` + `flate2`'s pure-Rust inflate),
//! its XML parts (`quick-xml`) — the sheet list, the shared strings, which
//! cell styles are dates, and one sheet's cells streamed row by row.
//!
//! Why not calamine: it adds ~258 KB gzipped to the Wasm (it brings every
//! encoding_rs decoder and the xls/xlsb/ods readers), twice the explorer's
//! 120 KB budget for a whole module; zip + flate2 + quick-xml add ~56 KB,
//! and a module with [`sheet_text`] alone is ~89 KB. It reads what an order export needs: cell values as
//! Excel stores them (shared, inline and formula strings; numbers; dates by
//! their number format, 1900 or 1904 system).

use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use zip::read::ZipFile;
use zip::ZipArchive;

use super::table::{Cell, Rows, Strings};
use super::SheetRef;
use crate::{Error, Result};

/// The largest XML part read whole (workbook, relationships, styles).
const MAX_PART: u64 = 64 << 20;
/// The largest total of shared strings kept.
const MAX_STRINGS: usize = 1 << 30;
/// Excel's last column (XFD).
const MAX_COLUMNS: usize = 16_384;

fn damaged(what: &str) -> Error {
    Error::invalid(format!(
        "the .xlsx workbook is damaged: {what} cannot be read"
    ))
}

/// An opened workbook.
pub(crate) struct Workbook<'a> {
    zip: Zip<'a>,
    /// (name, part path) in workbook order.
    sheets: Vec<(String, String)>,
    strings: Strings,
    /// Per cell style (`s` attribute): whether its number format is a date.
    date_styles: Vec<bool>,
    date1904: bool,
}

/// Appends the text of an entity reference (`&amp;`, `&#x4E70;`).
fn push_ref(r: &BytesRef<'_>, out: &mut Vec<u8>) {
    let s: &[u8] = r;
    let c = match s {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        _ => r.resolve_char_ref().ok().flatten(),
    };
    if let Some(c) = c {
        let mut b = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }
}

/// An attribute's value, entities resolved.
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
}

/// An attribute's raw bytes (numbers, references).
fn attr_raw<'e>(e: &'e BytesStart<'_>, name: &[u8]) -> Option<std::borrow::Cow<'e, [u8]>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

/// An unsigned integer attribute (a style or string index, a row number).
fn number(b: &[u8]) -> Option<usize> {
    let b = b.trim_ascii();
    if b.is_empty() || b.len() > 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        b.iter()
            .fold(0usize, |v, &c| v * 10 + usize::from(c - b'0')),
    )
}

/// Exact powers of ten up to 10^22 (the largest exact in an `f64`).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number cell's value as Excel writes it (`128`, `59.9`, `-3`,
/// `45336.999988425923`, `3.9012345678901197E+18`). Up to 15 significant
/// digits (what Excel shows) and a power of ten within ±22 it is correctly
/// rounded (an exact integer times or over an exact power of ten: Clinger's
/// fast path); with more digits, within an ulp. Why not `str::parse`: its
/// correctly rounded general algorithm is ~10 KB of Wasm.
fn cell_number(b: &[u8]) -> Option<f64> {
    let b = b.trim_ascii();
    let (negative, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let (mut mantissa, mut digits, mut exp10, mut seen) = (0u64, 0, 0i32, false);
    let mut i = 0;
    let mut point = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    if mantissa > 0 {
                        digits += 1;
                    }
                    if point {
                        exp10 -= 1;
                    }
                } else if !point {
                    exp10 += 1;
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let sign = match b.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        let mut e: i32 = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            e = (e * 10 + i32::from(c - b'0')).min(10_000);
            i += 1;
        }
        if i == start {
            return None;
        }
        exp10 += sign * e;
    }
    if i != b.len() {
        return None;
    }
    let mut v = mantissa as f64;
    let mut e = exp10;
    while e > 22 {
        v *= 1e22;
        e -= 22;
    }
    while e < -22 {
        v /= 1e22;
        e += 22;
    }
    let p = POW10[e.unsigned_abs() as usize];
    v = if e >= 0 { v * p } else { v / p };
    Some(if negative { -v } else { v })
}

/// Whether an Excel number format shows a date: the built-in date formats,
/// or a custom code with y/d (or m with them) outside quotes and brackets.
fn is_date_format(id: usize, code: Option<&str>) -> bool {
    if matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58) {
        return true;
    }
    let Some(code) = code else { return false };
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            'y' | 'Y' | 'd' | 'D' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;
type PartReader<'z, 'a> = Reader<BufReader<ZipFile<'z, Cursor<&'a [u8]>>>>;

/// Runs `f` on each event of a part (all parts go through this one reader
/// type and this one loop: each instance of quick-xml's reader is ~10 KB of
/// Wasm). A missing part has no events; an XML error is an error naming it.
fn each_event(
    zip: &mut Zip<'_>,
    part: &str,
    f: &mut dyn FnMut(Event<'_>) -> Result<()>,
) -> Result<bool> {
    let Ok(file) = zip.by_name(part) else {
        return Ok(false);
    };
    let mut reader: PartReader<'_, '_> = Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => return Ok(true),
            Ok(e) => f(e)?,
            Err(_) => return Err(damaged(part)),
        }
        if reader.buffer_position() > MAX_PART && part != "xl/sharedStrings.xml" {
            return Err(damaged(part));
        }
    }
}

impl<'a> Workbook<'a> {
    /// Opens the workbook: its sheets, shared strings and date styles.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Workbook<'a>> {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
            Error::invalid(
                "the file looks like an .xlsx workbook (a zip archive) but its archive cannot be read",
            )
        })?;
        let mut date1904 = false;
        let mut sheet_ids: Vec<(String, String)> = Vec::new();
        let found = each_event(&mut zip, "xl/workbook.xml", &mut |e| {
            if let Event::Start(s) | Event::Empty(s) = e {
                match s.local_name().as_ref() {
                    b"workbookPr" => {
                        date1904 = attr(&s, b"date1904")
                            .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
                    }
                    b"sheet" => sheet_ids.push((
                        attr(&s, b"name").unwrap_or_default(),
                        attr(&s, b"id").unwrap_or_default(),
                    )),
                    _ => {}
                }
            }
            Ok(())
        })?;
        if !found {
            return Err(Error::invalid(
                "the file is a zip archive but not an .xlsx workbook (it has no xl/workbook.xml)",
            ));
        }
        let mut targets: Vec<(String, String)> = Vec::new();
        each_event(&mut zip, "xl/_rels/workbook.xml.rels", &mut |e| {
            if let Event::Start(s) | Event::Empty(s) = e {
                if s.local_name().as_ref() == b"Relationship" {
                    let target = attr(&s, b"Target").unwrap_or_default();
                    let path = match target.strip_prefix('/') {
                        Some(abs) => abs.to_string(),
                        None => format!("xl/{target}"),
                    };
                    targets.push((attr(&s, b"Id").unwrap_or_default(), path));
                }
            }
            Ok(())
        })?;
        let sheets: Vec<(String, String)> = sheet_ids
            .into_iter()
            .map(|(name, id)| {
                let path = targets
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default();
                (name, path)
            })
            .collect();
        // Styles: custom number formats, then each cell format's numFmtId.
        let mut formats: Vec<(usize, String)> = Vec::new();
        let mut xf_ids: Vec<usize> = Vec::new();
        let mut in_cell_xfs = false;
        each_event(&mut zip, "xl/styles.xml", &mut |e| {
            match e {
                Event::Start(s) | Event::Empty(s) => match s.local_name().as_ref() {
                    b"numFmt" => {
                        if let Some(id) = attr_raw(&s, b"numFmtId").and_then(|v| number(&v)) {
                            formats.push((id, attr(&s, b"formatCode").unwrap_or_default()));
                        }
                    }
                    b"cellXfs" => in_cell_xfs = true,
                    b"xf" if in_cell_xfs => {
                        xf_ids.push(
                            attr_raw(&s, b"numFmtId")
                                .and_then(|v| number(&v))
                                .unwrap_or(0),
                        );
                    }
                    _ => {}
                },
                Event::End(s) if s.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
                _ => {}
            }
            Ok(())
        })?;
        let date_styles = xf_ids
            .iter()
            .map(|&id| {
                let code = formats
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, c)| c.as_str());
                is_date_format(id, code)
            })
            .collect();
        // Shared strings, streamed (an export of a million orders has a
        // million of them): the text of <t> in each <si>, phonetic runs left out.
        let mut strings = Strings::default();
        let (mut in_t, mut in_phonetic) = (false, false);
        each_event(&mut zip, "xl/sharedStrings.xml", &mut |e| {
            match e {
                Event::Start(s) => match s.local_name().as_ref() {
                    b"t" => in_t = true,
                    b"rPh" => in_phonetic = true,
                    _ => {}
                },
                Event::End(s) => match s.local_name().as_ref() {
                    b"t" => in_t = false,
                    b"rPh" => in_phonetic = false,
                    b"si" => strings.ends.push(strings.arena.len()),
                    _ => {}
                },
                Event::Empty(s) if s.local_name().as_ref() == b"si" => {
                    strings.ends.push(strings.arena.len());
                }
                Event::Text(t) if in_t && !in_phonetic => strings.arena.extend_from_slice(&t),
                Event::CData(t) if in_t && !in_phonetic => strings.arena.extend_from_slice(&t),
                Event::GeneralRef(g) if in_t && !in_phonetic => push_ref(&g, &mut strings.arena),
                _ => {}
            }
            if strings.arena.len() > MAX_STRINGS {
                return Err(Error::invalid(
                    "the .xlsx workbook's shared strings are larger than 1 GiB; export fewer rows",
                ));
            }
            Ok(())
        })?;
        Ok(Workbook {
            zip,
            sheets,
            strings,
            date_styles,
            date1904,
        })
    }

    /// The sheets' names, in workbook order.
    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The sheet `which` names (default the first): its index and name.
    pub(crate) fn pick_sheet(&self, which: Option<&SheetRef>) -> Result<(usize, String)> {
        let names = || {
            self.sheets
                .iter()
                .map(|(n, _)| format!("\"{}\"", super::short(n)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let i = match which {
            None => 0,
            Some(SheetRef::Index(i)) => *i as usize,
            Some(SheetRef::Name(n)) => {
                self.sheets
                    .iter()
                    .position(|(s, _)| s == n)
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "options.sheet is \"{}\", but the workbook's sheets are {}",
                            super::short(n),
                            names()
                        ))
                    })?
            }
        };
        match self.sheets.get(i) {
            Some((name, _)) => Ok((i, name.clone())),
            None if self.sheets.is_empty() => {
                Err(Error::invalid("the .xlsx workbook has no sheets"))
            }
            None => Err(Error::invalid(format!(
                "options.sheet is {i}, but the workbook has {} sheets ({})",
                self.sheets.len(),
                names()
            ))),
        }
    }

    /// The rows of sheet `index`.
    pub(crate) fn rows(&mut self, index: usize) -> Result<SheetRows<'_, 'a>> {
        let Workbook {
            zip,
            sheets,
            strings,
            date_styles,
            date1904,
        } = self;
        let path = sheets
            .get(index)
            .map(|(_, p)| p.as_str())
            .unwrap_or_default();
        let file = zip
            .by_name(path)
            .map_err(|_| damaged(&format!("sheet {}", index + 1)))?;
        Ok(SheetRows {
            reader: Reader::from_reader(BufReader::new(file)),
            strings,
            date_styles,
            date1904: *date1904,
            buf: Vec::new(),
            text: Vec::new(),
            cells: Vec::new(),
            row: 0,
            done: false,
        })
    }
}

/// A cell of the current row.
#[derive(Clone, Copy)]
enum XCell {
    Empty,
    Shared(usize),
    Text(usize, usize),
    Number(f64),
    Date(f64),
}

/// One sheet's rows, streamed.
pub(crate) struct SheetRows<'b, 'a> {
    reader: PartReader<'b, 'a>,
    strings: &'b Strings,
    date_styles: &'b [bool],
    date1904: bool,
    buf: Vec<u8>,
    /// The current row's inline texts.
    text: Vec<u8>,
    cells: Vec<XCell>,
    row: u64,
    done: bool,
}

/// The 0-based column of a cell reference (`AB12` → 27).
fn column_of(r: &[u8]) -> Option<usize> {
    let mut col = 0usize;
    let mut n = 0;
    for &c in r {
        if !c.is_ascii_alphabetic() {
            break;
        }
        col = col * 26 + usize::from(c.to_ascii_uppercase() - b'A' + 1);
        n += 1;
        if n > 3 {
            return None;
        }
    }
    (n > 0 && col <= MAX_COLUMNS).then(|| col - 1)
}

impl Rows for SheetRows<'_, '_> {
    fn advance(&mut self) -> Result<Option<u64>> {
        if self.done {
            return Ok(None);
        }
        self.cells.clear();
        self.text.clear();
        let mut in_row = false;
        // The cell being read: column, type, style, where its text starts.
        let mut col = 0usize;
        let mut next_col = 0usize;
        let mut kind: Vec<u8> = Vec::new();
        let mut style = 0usize;
        let mut start = 0usize;
        let (mut in_value, mut in_cell) = (false, false);
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(_) => return Err(damaged("a sheet")),
            };
            let (element, empty) = match &event {
                Event::Start(s) => (Some(s), false),
                Event::Empty(s) => (Some(s), true),
                _ => (None, false),
            };
            if let Some(s) = element {
                match s.local_name().as_ref() {
                    b"row" => {
                        self.row = attr_raw(s, b"r")
                            .and_then(|v| number(&v))
                            .map_or(self.row + 1, |r| r as u64);
                        next_col = 0;
                        in_row = true;
                        if empty {
                            return Ok(Some(self.row));
                        }
                    }
                    b"c" => {
                        col = attr_raw(s, b"r")
                            .and_then(|v| column_of(&v))
                            .unwrap_or(next_col);
                        next_col = col + 1;
                        kind = attr_raw(s, b"t").map(|v| v.to_vec()).unwrap_or_default();
                        style = attr_raw(s, b"s").and_then(|v| number(&v)).unwrap_or(0);
                        start = self.text.len();
                        in_cell = !empty;
                    }
                    b"v" | b"t" => in_value = in_cell && !empty,
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Eof => {
                    self.done = true;
                    return Ok(in_row.then_some(self.row));
                }
                Event::End(s) => match s.local_name().as_ref() {
                    b"row" => return Ok(Some(self.row)),
                    b"v" | b"t" => in_value = false,
                    b"c" if in_cell => {
                        in_cell = false;
                        let raw = self.text.get(start..).unwrap_or_default();
                        let cell = match kind.as_slice() {
                            b"s" => number(raw).map_or(XCell::Empty, XCell::Shared),
                            b"str" | b"inlineStr" | b"e" | b"d" | b"b" => {
                                XCell::Text(start, self.text.len())
                            }
                            _ => match cell_number(raw) {
                                Some(x)
                                    if self.date_styles.get(style).copied().unwrap_or(false) =>
                                {
                                    XCell::Date(x)
                                }
                                Some(x) => XCell::Number(x),
                                None if raw.is_empty() => XCell::Empty,
                                None => XCell::Text(start, self.text.len()),
                            },
                        };
                        if col < MAX_COLUMNS {
                            if self.cells.len() <= col {
                                self.cells.resize(col + 1, XCell::Empty);
                            }
                            if let Some(c) = self.cells.get_mut(col) {
                                *c = cell;
                            }
                        }
                    }
                    _ => {}
                },
                Event::Text(t) if in_value => self.text.extend_from_slice(&t),
                Event::CData(t) if in_value => self.text.extend_from_slice(&t),
                Event::GeneralRef(g) if in_value => push_ref(&g, &mut self.text),
                _ => {}
            }
        }
    }

    fn cell(&self, col: usize) -> Cell<'_> {
        match self.cells.get(col) {
            None | Some(XCell::Empty) => Cell::Empty,
            Some(XCell::Shared(i)) => Cell::Text(self.strings.get(*i)),
            Some(XCell::Text(a, b)) => Cell::Text(self.text.get(*a..*b).unwrap_or_default()),
            Some(XCell::Number(x)) => Cell::Number(*x),
            Some(XCell::Date(x)) => Cell::Date(*x, self.date1904),
        }
    }

    fn width(&self) -> usize {
        self.cells.len()
    }

    fn ragged(&self) -> bool {
        true
    }
}

/// A sheet written as tab-separated UTF-8 text, one line per sheet row
/// (missing rows as empty lines, so line numbers are the sheet's row
/// numbers): text as stored, numbers as JavaScript writes them (integers in
/// full), date cells as `yyyy-mm-dd hh:mm:ss` (the 1904 system applied).
/// A cell holding a tab, line end or quote is quoted (doubled quotes).
pub(crate) fn sheet_text(bytes: &[u8], sheet: Option<&SheetRef>) -> Result<super::WorkbookText> {
    let mut book = Workbook::open(bytes)?;
    let (index, name) = book.pick_sheet(sheet)?;
    let sheets = book.sheet_names();
    let mut rows = book.rows(index)?;
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() * 4);
    let mut line: u64 = 0;
    let mut number = Vec::new();
    while let Some(row) = rows.advance()? {
        // Rows out of order (a damaged sheet) are written where they come.
        while line + 1 < row {
            out.push(b'\n');
            line += 1;
        }
        for col in 0..rows.width() {
            if col > 0 {
                out.push(b'\t');
            }
            match rows.cell(col) {
                Cell::Empty => {}
                Cell::Text(t) => {
                    if t.iter().any(|&c| matches!(c, b'\t' | b'\n' | b'\r' | b'"')) {
                        out.push(b'"');
                        for &c in t {
                            if c == b'"' {
                                out.push(b'"');
                            }
                            out.push(c);
                        }
                        out.push(b'"');
                    } else {
                        out.extend_from_slice(t);
                    }
                }
                Cell::Number(x) => {
                    if super::values::integer_text(x, &mut number) {
                        out.extend_from_slice(&number);
                    } else {
                        out.extend_from_slice(crate::text::num(x).to_string().as_bytes());
                    }
                }
                Cell::Date(x, date1904) => match super::values::excel_serial_day(x, date1904) {
                    Some(day) => {
                        let (y, m, d) = super::values::civil_from_days(day);
                        let secs = ((x - x.floor()) * 86_400.0).round() as i64;
                        let secs = secs.clamp(0, 86_399);
                        out.extend_from_slice(
                            format!(
                                "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
                                secs / 3600,
                                secs / 60 % 60,
                                secs % 60
                            )
                            .as_bytes(),
                        );
                    }
                    None => out.extend_from_slice(crate::text::num(x).to_string().as_bytes()),
                },
            }
        }
        out.push(b'\n');
        line = line.max(row);
    }
    Ok(super::WorkbookText {
        text: out,
        sheet: name,
        sheets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        // std's correctly rounded parse is the oracle: equal up to 15
        // significant digits, within an ulp beyond.
        for text in [
            "128",
            "59.9",
            "-3",
            "1E-3",
            "0.1",
            "2088102177000003",
            "1e400",
            "99.900000000000006",
        ] {
            assert_eq!(cell_number(text.as_bytes()), text.parse().ok(), "{text}");
        }
        for text in [
            "45336.999988425923",
            "3.9012345678901197E+18",
            "0.30000000000000004",
        ] {
            let (a, b) = (
                cell_number(text.as_bytes()).unwrap(),
                text.parse::<f64>().unwrap(),
            );
            assert!(
                (a - b).abs() <= b.abs() * f64::EPSILON,
                "{text}: {a} vs {b}"
            );
        }
        for bad in ["", "-", "1e", "abc", "1.2.3", "1,5"] {
            assert_eq!(cell_number(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn columns_and_formats() {
        assert_eq!(column_of(b"A1"), Some(0));
        assert_eq!(column_of(b"AB12"), Some(27));
        assert_eq!(column_of(b"XFD1"), Some(16_383));
        assert_eq!(column_of(b"ZZZZ1"), None);
        assert_eq!(column_of(b"12"), None);
        assert!(is_date_format(14, None));
        assert!(is_date_format(164, Some("yyyy-mm-dd hh:mm:ss")));
        assert!(is_date_format(165, Some("yyyy\"年\"m\"月\"d\"日\"")));
        assert!(!is_date_format(166, Some("\"￥\"#,##0.00")));
        assert!(!is_date_format(167, Some("[Red]0.00")));
        assert!(!is_date_format(0, Some("General")));
    }
}
