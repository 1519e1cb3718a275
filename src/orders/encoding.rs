//! What a file is, from its bytes: an .xlsx workbook, or text in UTF-8,
//! GB18030 (which includes GBK) or UTF-16 — and the text decoded to UTF-8.

use std::borrow::Cow;

use crate::{Error, Result};

/// A text encoding of an export.
///
/// ```
/// # use shijing::orders::{read_orders, ReadOptions, TextEncoding};
/// let (gbk, _, _) = encoding_rs::GBK.encode("买家ID,付款时间\n张三,2024-01-05\n");
/// let orders = read_orders(&gbk, &ReadOptions::default()).unwrap();
/// assert_eq!(orders.report.encoding, Some(TextEncoding::Gb18030));
/// assert_eq!(orders.ids, ["张三"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (with or without a byte-order mark).
    Utf8,
    /// GB18030, a superset of GBK and GB2312: Excel's CSV on Chinese Windows.
    Gb18030,
    /// UTF-16, little-endian (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
}

impl TextEncoding {
    /// The JS name (a WHATWG encoding label).
    ///
    /// ```
    /// # use shijing::orders::TextEncoding;
    /// assert_eq!(TextEncoding::Gb18030.as_str(), "gb18030");
    /// assert_eq!(TextEncoding::Utf16Le.as_str(), "utf-16le");
    /// // Each name reads back as its encoding.
    /// for e in [TextEncoding::Utf8, TextEncoding::Gb18030, TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
    ///     assert_eq!(TextEncoding::from_label(e.as_str()), Some(e));
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Gb18030 => "gb18030",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
        }
    }

    /// The encoding named by a label (`utf-8`, `utf8`, `gbk`, `gb2312`,
    /// `gb18030`, `utf-16le`, `utf-16be`; case-insensitive).
    ///
    /// ```
    /// # use shijing::orders::TextEncoding;
    /// // GBK and GB2312 are read as GB18030, which contains both.
    /// assert_eq!(TextEncoding::from_label("GB2312"), Some(TextEncoding::Gb18030));
    /// assert_eq!(TextEncoding::from_label(" UTF8 "), Some(TextEncoding::Utf8));
    /// assert_eq!(TextEncoding::from_label("big5"), None);
    /// ```
    pub fn from_label(label: &str) -> Option<TextEncoding> {
        match label.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(TextEncoding::Gb18030),
            "utf-16le" | "utf-16" | "utf16le" => Some(TextEncoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(TextEncoding::Utf16Be),
            _ => None,
        }
    }

    /// The encoding an option names ([`TextEncoding::from_label`]); `name`
    /// is the option's name for the error.
    ///
    /// ```
    /// use shijing::orders::TextEncoding;
    /// assert_eq!(TextEncoding::parse("options.encoding", "GBK")?, TextEncoding::Gb18030);
    /// let e = TextEncoding::parse("options.encoding", "latin1").unwrap_err();
    /// assert!(e.to_string().starts_with("options.encoding must be \"utf-8\""));
    /// # Ok::<(), shijing::Error>(())
    /// ```
    pub fn parse(name: &str, label: &str) -> Result<TextEncoding> {
        TextEncoding::from_label(label).ok_or_else(|| {
            Error::invalid(format!(
                "{name} must be \"utf-8\", \"gbk\", \"gb18030\", \"utf-16le\" or \"utf-16be\", got \"{}\"",
                crate::text::clip(label)
            ))
        })
    }

    /// Whether this build decodes it: GB18030 is decoded natively but not
    /// in Wasm (encoding_rs is left out of Wasm builds; a Wasm caller decodes
    /// the bytes with the host's `TextDecoder('gb18030')` and passes the text
    /// to [`read_orders_text`](super::read_orders_text), as the JS bindings do).
    ///
    /// ```
    /// # use shijing::orders::TextEncoding;
    /// // UTF-8 and UTF-16 are decoded in every build …
    /// assert!(TextEncoding::Utf8.decoded_natively() && TextEncoding::Utf16Be.decoded_natively());
    /// // … and GB18030 too in a native one (doctests run natively).
    /// assert!(TextEncoding::Gb18030.decoded_natively());
    /// ```
    pub fn decoded_natively(self) -> bool {
        self != TextEncoding::Gb18030 || !cfg!(target_arch = "wasm32")
    }
}

/// What the bytes hold.
///
/// ```
/// # use shijing::orders::{file_kind, FileKind, ReadOptions, TextEncoding};
/// // UTF-8 text behind its three-byte BOM; a workbook by its zip signature.
/// let csv = "\u{FEFF}买家ID,付款时间\nA,2024-01-05\n".as_bytes();
/// let text = FileKind::Text { encoding: TextEncoding::Utf8, bom: 3 };
/// assert_eq!(file_kind(csv, &ReadOptions::default()).unwrap(), text);
/// let xlsx = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/shop_export.xlsx")).unwrap();
/// assert_eq!(file_kind(&xlsx, &ReadOptions::default()).unwrap(), FileKind::Xlsx);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Text; `bom` is the length of its byte-order mark (0 when none).
    Text {
        /// The encoding.
        encoding: TextEncoding,
        /// Bytes of byte-order mark to skip.
        bom: usize,
    },
    /// An Office Open XML workbook (.xlsx).
    Xlsx,
}

/// Signatures of files that are not exports, named in the error.
const NOT_EXPORTS: [(&[u8], &str); 9] = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xBC\xAF", "a 7-Zip archive"),
    (b"\x7FELF", "a program"),
    (b"MZ", "a Windows program"),
];

/// Tells an .xlsx workbook from text and finds the text's encoding: a
/// byte-order mark if there is one; else UTF-16 by its zero bytes; else
/// UTF-8 when samples of the file are valid UTF-8; else GB18030. Empty and
/// binary files are errors naming what they look like.
///
/// ```
/// # use shijing::orders::{sniff, FileKind, TextEncoding};
/// let text = |encoding, bom| FileKind::Text { encoding, bom };
/// assert_eq!(sniff(b"\xEF\xBB\xBFid,day\n").unwrap(), text(TextEncoding::Utf8, 3));
/// // "订单" in GBK (B6A9 B5A5) is not valid UTF-8.
/// assert_eq!(sniff(b"\xB6\xA9\xB5\xA5,id\n").unwrap(), text(TextEncoding::Gb18030, 0));
/// // UTF-16LE without a byte-order mark: every other byte is zero.
/// assert_eq!(sniff(b"i\0d\0,\0d\0\n\0").unwrap(), text(TextEncoding::Utf16Le, 0));
/// assert_eq!(sniff(b"PK\x03\x04rest of a zip").unwrap(), FileKind::Xlsx);
/// let e = sniff(b"%PDF-1.7").unwrap_err();
/// assert!(e.to_string().contains("a PDF document, not an order export"));
/// assert!(sniff(b" \r\n").is_err()); // empty
/// ```
pub fn sniff(bytes: &[u8]) -> Result<FileKind> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::invalid("the file is empty"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(FileKind::Xlsx);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(Error::invalid(
            "the file is a legacy Excel .xls workbook; save it as .xlsx or CSV and open that",
        ));
    }
    if bytes.starts_with(b"PK") {
        return Err(not_an_export("a zip archive"));
    }
    if let Some((_, what)) = NOT_EXPORTS.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(not_an_export(what));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Ok(FileKind::Text {
            encoding: TextEncoding::Utf8,
            bom: 3,
        });
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Ok(FileKind::Text {
            encoding: TextEncoding::Utf16Le,
            bom: 2,
        });
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Ok(FileKind::Text {
            encoding: TextEncoding::Utf16Be,
            bom: 2,
        });
    }
    let head = bytes.get(..4096).unwrap_or(bytes);
    let pairs = head.len() / 2;
    let zeros_at = |odd: usize| {
        head.iter()
            .skip(odd)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if pairs > 0 && odd * 5 > pairs * 2 && even * 20 < pairs {
        return Ok(text(TextEncoding::Utf16Le));
    }
    if pairs > 0 && even * 5 > pairs * 2 && odd * 20 < pairs {
        return Ok(text(TextEncoding::Utf16Be));
    }
    // Binary: NUL bytes, or many control characters other than tab and line ends.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    if even + odd > 0 || controls * 100 > head.len() {
        return Err(not_an_export("binary data"));
    }
    Ok(text(if utf8_samples_valid(bytes) {
        TextEncoding::Utf8
    } else {
        TextEncoding::Gb18030
    }))
}

fn text(encoding: TextEncoding) -> FileKind {
    FileKind::Text { encoding, bom: 0 }
}

fn not_an_export(what: &str) -> Error {
    Error::invalid(format!(
        "the file is {what}, not an order export (a CSV/TSV text or an .xlsx workbook)"
    ))
}

/// Whether the file is UTF-8, judged on the whole of a small file and on
/// its first MiB plus three 64 KiB windows of a large one (a GBK file's
/// Chinese text is almost never valid UTF-8 over a few characters; reading
/// the whole file would cost a pass over it). A character cut at a window's
/// edge is allowed.
fn utf8_samples_valid(bytes: &[u8]) -> bool {
    const SMALL: usize = 4 << 20;
    let ok = |w: &[u8]| match std::str::from_utf8(w) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if bytes.len() <= SMALL {
        return ok(bytes);
    }
    if !ok(bytes.get(..1 << 20).unwrap_or(bytes)) {
        return false;
    }
    (1..4).all(|q| {
        let mut start = bytes.len() / 4 * q;
        // Start on a character boundary (skip continuation bytes).
        while bytes.get(start).is_some_and(|b| b & 0xC0 == 0x80) {
            start += 1;
        }
        ok(bytes.get(start..start + (64 << 10)).unwrap_or_default())
    })
}

/// The text of `bytes` (after its byte-order mark) as UTF-8: UTF-8 is
/// borrowed as it is (invalid sequences surface later, in the cells that
/// hold them); UTF-16 and GB18030 are decoded, malformed sequences becoming
/// U+FFFD.
pub(crate) fn decode(bytes: &[u8], encoding: TextEncoding) -> Result<Cow<'_, [u8]>> {
    match encoding {
        TextEncoding::Utf8 => Ok(Cow::Borrowed(bytes)),
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let le = encoding == TextEncoding::Utf16Le;
            let units = bytes.chunks_exact(2).map(|p| {
                let (a, b) = (p[0], p[1]);
                if le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                }
            });
            let mut out = String::with_capacity(bytes.len() / 2 * 3 / 2);
            out.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
            Ok(Cow::Owned(out.into_bytes()))
        }
        TextEncoding::Gb18030 => decode_gb18030(bytes),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn decode_gb18030(bytes: &[u8]) -> Result<Cow<'_, [u8]>> {
    let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    Ok(Cow::Owned(text.into_owned().into_bytes()))
}

#[cfg(target_arch = "wasm32")]
fn decode_gb18030(_: &[u8]) -> Result<Cow<'_, [u8]>> {
    Err(Error::Infeasible(
        "the file is GB18030/GBK text, which a Wasm build does not decode; decode it to text first (TextDecoder('gb18030')) and read the text".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let t = |b: &[u8]| sniff(b).unwrap();
        assert_eq!(t(b"a,b\n1,2\n"), text(TextEncoding::Utf8));
        assert_eq!(
            t(b"\xEF\xBB\xBFa"),
            FileKind::Text {
                encoding: TextEncoding::Utf8,
                bom: 3
            }
        );
        assert_eq!(t("买家,时间\n".as_bytes()), text(TextEncoding::Utf8));
        // "买家" in GBK: C2 F2 BC D2.
        assert_eq!(t(b"\xC2\xF2\xBC\xD2,a\n"), text(TextEncoding::Gb18030));
        assert_eq!(t(b"a\x00,\x00b\x00"), text(TextEncoding::Utf16Le));
        assert_eq!(t(b"\x00a\x00,\x00b"), text(TextEncoding::Utf16Be));
        assert_eq!(t(b"PK\x03\x04rest"), FileKind::Xlsx);
        for (b, msg) in [
            (&b""[..], "the file is empty"),
            (b" \n\r\n", "the file is empty"),
            (b"%PDF-1.4", "the file is a PDF document, not an order export (a CSV/TSV text or an .xlsx workbook)"),
            (b"\x01\x02\x03\x04\x05\x00", "the file is binary data, not an order export (a CSV/TSV text or an .xlsx workbook)"),
        ] {
            assert_eq!(sniff(b).unwrap_err().to_string(), msg);
        }
        assert!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
            .unwrap_err()
            .to_string()
            .contains(".xls"));
    }

    #[test]
    fn decodes() {
        let le: Vec<u8> = "买家,a\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            &*decode(&le, TextEncoding::Utf16Le).unwrap(),
            "买家,a\n".as_bytes()
        );
        let lone: Vec<u8> = [0x78u16, 0xD800]
            .iter()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(
            &*decode(&lone, TextEncoding::Utf16Be).unwrap(),
            "x\u{FFFD}".as_bytes()
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn decodes_gbk() {
        assert_eq!(
            &*decode(b"\xC2\xF2\xBC\xD2", TextEncoding::Gb18030).unwrap(),
            "买家".as_bytes()
        );
    }
}
