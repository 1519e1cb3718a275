//! JS bindings for [`crate::orders`]: `readOrders` ([`read_orders`], in
//! builds with the `orders` feature; `shijing/orders` is that alone) and
//! `sheetText` ([`xlsx`], in builds with the `xlsx` feature; `shijing/xlsx`
//! is that alone), and the readers of the options both take (a sheet, a
//! column).

#[cfg(feature = "orders")]
mod read_orders;
#[cfg(feature = "xlsx")]
pub mod xlsx;

#[cfg(feature = "orders")]
pub use read_orders::read_orders;

use wasm_bindgen::prelude::*;

use crate::bindings::js::{self, threw, wrong_type, At, JsResult};
use crate::bindings::read;
use crate::orders::{SheetRef, MAX_BYTES};

#[wasm_bindgen]
extern "C" {
    /// Copies a Uint8Array into Wasm memory (`Uint8Array.prototype.set.call(dst, src)`).
    #[wasm_bindgen(catch, js_namespace = Uint8Array, js_name = "prototype.set.call")]
    fn copy_u8(dst: &mut [u8], src: &JsValue) -> Result<(), JsValue>;
}

/// The bytes of the Uint8Array `data` (named `at`; anything else is a
/// `TypeError` saying it must be `expected`), copied into Wasm memory. An
/// allocation that fails is an error, not a trap.
pub(crate) fn bytes(at: At, data: &JsValue, expected: &str) -> JsResult<Vec<u8>> {
    let len = match js::typed_array(data) {
        Some((tag, len)) if tag == "Uint8Array" => len,
        _ => return Err(wrong_type(at, expected, data)),
    };
    if len > MAX_BYTES {
        return Err(crate::Error::invalid(format!(
            "{at} has {len} bytes; at most {MAX_BYTES} are supported"
        ))
        .into());
    }
    let mut out = Vec::new();
    if out.try_reserve_exact(len).is_err() {
        return Err(crate::Error::Infeasible(format!(
            "{at} has {len} bytes: there is not enough memory to read them"
        ))
        .into());
    }
    out.resize(len, 0);
    if len > 0 {
        copy_u8(&mut out, data).map_err(|e| threw(at, e))?;
    }
    Ok(out)
}

/// Most rows or columns an index option may name (xlsx: 16,384 columns,
/// 1,048,576 rows; text may be wider).
const MAX_INDEX: f64 = u32::MAX as f64;

/// `options.sheet`: a sheet's name or its 0-based position; `null` is the
/// default (the first sheet).
pub(crate) fn sheet(at: At, v: &JsValue) -> JsResult<Option<Option<SheetRef>>> {
    if v.is_null() {
        return Ok(None);
    }
    if v.is_string() {
        return Ok(Some(Some(SheetRef::Name(read::string(at, v)?))));
    }
    if v.as_f64().is_some() {
        let i = read::integer(at, v, 0.0, MAX_INDEX)?;
        return Ok(Some(Some(SheetRef::Index(i as u32))));
    }
    Err(wrong_type(at, "a sheet name or a 0-based sheet index", v))
}
