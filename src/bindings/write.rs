//! Results back to JS: a builder for plain result objects whose numeric
//! columns are typed arrays. Records that are also read (a scenario) are
//! written by their option table instead ([`super::options::write`]).

use js_sys::{Array, Float64Array, Object, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::options::set;

/// Builds a plain JS object field by field.
pub struct JsObject(Object);

impl Default for JsObject {
    fn default() -> Self {
        Self::new()
    }
}

impl JsObject {
    /// An empty object.
    pub fn new() -> Self {
        JsObject(Object::new())
    }

    /// Sets `key` to any JS value.
    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        set(&self.0, key, &value.into());
        self
    }

    /// Sets `key` to a `Float64Array` copy of `values`.
    pub fn f64s(self, key: &str, values: &[f64]) -> Self {
        self.set(key, Float64Array::from(values))
    }

    /// Sets `key` to a `Uint32Array` copy of `values`.
    pub fn u32s(self, key: &str, values: &[u32]) -> Self {
        self.set(key, Uint32Array::from(values))
    }

    /// Sets `key` to a `Uint8Array` of 0/1 flags.
    pub fn flags(self, key: &str, values: &[bool]) -> Self {
        let bytes: Vec<u8> = values.iter().map(|&b| u8::from(b)).collect();
        self.set(key, Uint8Array::from(&bytes[..]))
    }

    /// The finished object.
    pub fn build(self) -> JsValue {
        self.0.into()
    }
}

/// A JS array of one object per item, each built by `each` from a new
/// [`JsObject`].
pub fn objects<T>(items: &[T], each: impl Fn(JsObject, &T) -> JsObject) -> Array {
    items
        .iter()
        .map(|x| each(JsObject::new(), x).build())
        .collect()
}

// Built in JS, where a loop over a million entries is a few ms (one Wasm→JS
// call per entry costs more).
#[cfg(any(feature = "orders", feature = "repurchase"))]
#[wasm_bindgen(inline_js = r#"
export function gather(names, index) {
  const out = new Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = names[index[i]];
  return out;
}
"#)]
extern "C" {
    /// `names[index[i]]` for every `i` (`readOrders`'s customers,
    /// `segmentCustomers`'s names).
    pub(crate) fn gather(names: &js_sys::Array, index: &JsValue) -> js_sys::Array;
}
