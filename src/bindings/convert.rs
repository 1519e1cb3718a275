//! Argument conversion for every export: strict readers that turn JS values
//! into Rust ones or fail with a message naming the argument, and a small
//! builder for result objects holding typed arrays.

use js_sys::{Array, ArrayBuffer, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::validate::MAX_ELEMENTS;

/// Turns a core error into a JS `Error` carrying its message.
pub fn js_err(e: crate::Error) -> JsError {
    JsError::new(&e.to_string())
}

/// Core results into JS results.
pub trait IntoJs<T> {
    /// Maps the error to a JS `Error`.
    fn js(self) -> Result<T, JsError>;
}

impl<T> IntoJs<T> for crate::Result<T> {
    fn js(self) -> Result<T, JsError> {
        self.map_err(js_err)
    }
}

/// A short description of a JS value's type for error messages.
pub fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if value.is_undefined() {
        "undefined".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else if let Some(name) = value
        .dyn_ref::<Object>()
        .map(|o| o.constructor().name())
        .and_then(|n| n.as_string())
        .filter(|n| !n.is_empty() && n != "Object")
    {
        format!("a {name}")
    } else {
        value
            .js_typeof()
            .as_string()
            .unwrap_or_else(|| "unknown".into())
    }
}

fn too_long(name: &str, len: u32) -> Option<JsError> {
    (len as usize > MAX_ELEMENTS).then(|| {
        JsError::new(&format!(
            "{name} has {len} elements; at most {MAX_ELEMENTS} are supported"
        ))
    })
}

/// Reads a numeric array: a `Float64Array` (copied in one step), another
/// typed array, or an array of numbers. NaN and infinities pass through for
/// the core to reject with the element's index.
pub fn f64s(name: &str, value: &JsValue) -> Result<Vec<f64>, JsError> {
    if let Some(a) = value.dyn_ref::<Float64Array>() {
        if let Some(e) = too_long(name, a.length()) {
            return Err(e);
        }
        return Ok(a.to_vec());
    }
    if Array::is_array(value) {
        let a: &Array = value.unchecked_ref();
        if let Some(e) = too_long(name, a.length()) {
            return Err(e);
        }
        let mut out = Vec::with_capacity(a.length() as usize);
        for (i, v) in a.iter().enumerate() {
            match v.as_f64() {
                Some(x) => out.push(x),
                None => {
                    return Err(JsError::new(&format!(
                        "{name}[{i}] must be a number, got {}",
                        describe(&v)
                    )))
                }
            }
        }
        return Ok(out);
    }
    if ArrayBuffer::is_view(value) && !value.is_instance_of::<js_sys::DataView>() {
        let len = Reflect::get(value, &"length".into())
            .ok()
            .and_then(|l| l.as_f64())
            .unwrap_or(0.0) as u32;
        if let Some(e) = too_long(name, len) {
            return Err(e);
        }
        return Ok(Float64Array::new(value).to_vec());
    }
    Err(JsError::new(&format!(
        "{name} must be a Float64Array or an array of numbers, got {}",
        describe(value)
    )))
}

/// Reads an array of non-negative integers that fit in `u32`: a
/// `Uint32Array`, or an array (or other typed array) of such numbers.
pub fn u32s(name: &str, value: &JsValue) -> Result<Vec<u32>, JsError> {
    if let Some(a) = value.dyn_ref::<Uint32Array>() {
        if let Some(e) = too_long(name, a.length()) {
            return Err(e);
        }
        return Ok(a.to_vec());
    }
    let xs = f64s(name, value).map_err(|_| {
        JsError::new(&format!(
            "{name} must be a Uint32Array or an array of non-negative integers, got {}",
            describe(value)
        ))
    })?;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            if x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x) {
                Ok(x as u32)
            } else {
                Err(JsError::new(&format!(
                    "{name}[{i}] must be a non-negative integer, got {x}"
                )))
            }
        })
        .collect()
}

/// Reads an array of flags: a `Uint8Array` (non-zero = true), an array of
/// booleans, or an array of 0/1 numbers.
pub fn flags(name: &str, value: &JsValue) -> Result<Vec<bool>, JsError> {
    if let Some(a) = value.dyn_ref::<Uint8Array>() {
        if let Some(e) = too_long(name, a.length()) {
            return Err(e);
        }
        return Ok(a.to_vec().into_iter().map(|b| b != 0).collect());
    }
    if Array::is_array(value) {
        let a: &Array = value.unchecked_ref();
        if let Some(e) = too_long(name, a.length()) {
            return Err(e);
        }
        return a
            .iter()
            .enumerate()
            .map(|(i, v)| match (v.as_bool(), v.as_f64()) {
                (Some(b), _) => Ok(b),
                (None, Some(x)) if x == 0.0 || x == 1.0 => Ok(x == 1.0),
                _ => Err(JsError::new(&format!(
                    "{name}[{i}] must be a boolean or 0/1, got {}",
                    describe(&v)
                ))),
            })
            .collect();
    }
    Err(JsError::new(&format!(
        "{name} must be a Uint8Array or an array of booleans, got {}",
        describe(value)
    )))
}

/// Reads an optional non-negative integer count in `[lo, hi]`, or `default`
/// when the argument is `undefined`/`null`.
pub fn count(
    name: &str,
    value: Option<f64>,
    default: usize,
    lo: usize,
    hi: usize,
) -> Result<usize, JsError> {
    let Some(x) = value else { return Ok(default) };
    if x.is_nan() || x.fract() != 0.0 || x < lo as f64 || x > hi as f64 {
        return Err(JsError::new(&format!(
            "{name} must be an integer in [{lo}, {hi}], got {x}"
        )));
    }
    Ok(x as usize)
}

/// Reads an options object into a serde struct (camelCase fields, unknown
/// fields rejected); `undefined`/`null` give the defaults. Errors carry the
/// field's path: `options.giniMax: invalid type: string "x", expected f64`.
pub fn options<T: DeserializeOwned + Default>(name: &str, value: &JsValue) -> Result<T, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    object(name, value)
}

/// Reads a required object argument into a serde struct.
pub fn object<T: DeserializeOwned>(name: &str, value: &JsValue) -> Result<T, JsError> {
    if !value.is_object() || Array::is_array(value) || ArrayBuffer::is_view(value) {
        return Err(JsError::new(&format!(
            "{name} must be an object, got {}",
            describe(value)
        )));
    }
    check_fields::<T>(name, value)?;
    let de = serde_wasm_bindgen::Deserializer::from(value.clone());
    serde_path_to_error::deserialize(de).map_err(|e| deserialize_error(name, e))
}

/// The message of a failed [`object`] read: `name.path: what went wrong`
/// (one copy for every `T`).
#[inline(never)]
fn deserialize_error(
    name: &str,
    e: serde_path_to_error::Error<serde_wasm_bindgen::Error>,
) -> JsError {
    let path = e.path().to_string();
    let inner = e.into_inner().to_string();
    let inner = inner.strip_prefix("Error: ").unwrap_or(&inner).to_string();
    if path == "." || path.is_empty() {
        JsError::new(&format!("{name}: {inner}"))
    } else {
        JsError::new(&format!("{name}.{path}: {inner}"))
    }
}

/// Rejects keys of the object `value` that the struct `T` does not have
/// (serde-wasm-bindgen only reads the fields a struct asks for, so
/// `deny_unknown_fields` never fires). `undefined`/`null` pass; any other
/// non-object fails.
pub fn check_fields<T: DeserializeOwned>(name: &str, value: &JsValue) -> Result<(), JsError> {
    check_known_fields(name, value, struct_fields::<T>())
}

/// [`check_fields`] without the type parameter (one copy for every struct).
#[inline(never)]
fn check_known_fields(
    name: &str,
    value: &JsValue,
    fields: Option<&'static [&'static str]>,
) -> Result<(), JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(());
    }
    if !value.is_object() || Array::is_array(value) || ArrayBuffer::is_view(value) {
        return Err(JsError::new(&format!(
            "{name} must be an object, got {}",
            describe(value)
        )));
    }
    let Some(fields) = fields else {
        return Ok(());
    };
    if let Some(key) = unknown_key(value, fields) {
        let known = fields
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(JsError::new(&format!(
            "{name}: unknown field `{key}`, expected one of {known}"
        )));
    }
    Ok(())
}

/// The first own key of the object `value` that `known` does not list
/// (`None` for anything that is not a plain object). Every export's
/// unknown-field check goes through here; callers word their own message.
pub fn unknown_key(value: &JsValue, known: &[&str]) -> Option<String> {
    if !value.is_object() || Array::is_array(value) || ArrayBuffer::is_view(value) {
        return None;
    }
    let obj: &Object = value.unchecked_ref();
    Object::keys(obj)
        .iter()
        .map(|k| k.as_string().unwrap_or_default())
        .find(|k| !known.contains(&k.as_str()))
}

/// The field names a derived `Deserialize` struct asks for, found by letting
/// it deserialize from a probe that records them and stops.
pub fn struct_fields<'de, T: serde::Deserialize<'de>>() -> Option<&'static [&'static str]> {
    use serde::de::{Error as _, Visitor};
    struct Probe(Option<&'static [&'static str]>);
    impl<'de> serde::Deserializer<'de> for &mut Probe {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(Self::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(Self::Error::custom("probed"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut probe = Probe(None);
    let _ = T::deserialize(&mut probe);
    probe.0
}

/// Serializes a serde value for JS (maps as plain objects).
pub fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not build the result: {e}")))
}

/// Builds a plain JS object field by field; numeric arrays become typed arrays.
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
        // Setting a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
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
