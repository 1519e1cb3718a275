//! `sheetText`: an .xlsx workbook's sheet as tab-separated text that
//! `readOrders` reads as it reads the workbook ([`crate::orders::sheet_text`],
//! which wraps `orders/xlsx.rs`). The npm package's `shijing/xlsx` is this
//! export alone (Cargo feature `xlsx`), so a page loads the workbook reader
//! only when a workbook is opened, and reads the text with the
//! `readOrders` of `shijing/repurchase`.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::bindings::js::{At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::write::JsObject;
use crate::orders::{self, SheetRef};

/// The options of `sheetText`.
#[derive(Default)]
struct SheetTextOptions {
    sheet: Option<SheetRef>,
}

js_options! {
    /// Options for `sheetText`.
    options "SheetTextOptions" for SheetTextOptions {
        "sheet" => sheet: with(super::sheet) as "string | number", "The sheet: its name or 0-based index (default 0, the first).";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A workbook's sheet as text for `readOrders`. */
export interface SheetText {
  /** The sheet as tab-separated UTF-8 text, one line per sheet row (line numbers are row numbers; dates written as dates, numbers as JavaScript writes them, long integers in full). */
  text: Uint8Array;
  /** The sheet written. */
  sheet: string;
  /** All sheets of the workbook, in order. */
  sheets: string[];
}
"#;

/// An .xlsx workbook's sheet (default the first) as tab-separated UTF-8
/// text that `readOrders` reads exactly as it reads the workbook: line
/// numbers in its report are the sheet's row numbers, date cells are
/// written as dates, numbers as JavaScript writes them (long integers in
/// full). `bytes` are the workbook file's bytes. Throws a `TypeError` for
/// a wrong argument, a `RangeError` for a file that is not a workbook or a
/// sheet that is not in it.
#[wasm_bindgen(js_name = sheetText, unchecked_return_type = "SheetText")]
pub fn sheet_text(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SheetTextOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let opts = options::read_optional::<SheetTextOptions>(options)?;
    let at = At::arg("bytes");
    let data = super::bytes(at, &bytes, "a Uint8Array (an .xlsx file's bytes)")?;
    let w = orders::sheet_text(&data, opts.sheet.as_ref())?;
    drop(data);
    let sheets = w
        .sheets
        .iter()
        .map(|s| JsValue::from_str(s))
        .collect::<js_sys::Array>();
    Ok(JsObject::new()
        .set("text", Uint8Array::from(&w.text[..]))
        .set("sheet", w.sheet.as_str())
        .set("sheets", sheets)
        .build())
}
