//! Argument conversion for every export: strict readers that turn JS values
//! into Rust ones or fail with a message naming the argument, and a small
//! builder for result objects holding typed arrays.

use js_sys::{Array, ArrayBuffer, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::text::num;
use crate::validate::MAX_ELEMENTS;

// The input type every half of the package takes (`shijing/traffic`,
// `shijing/repurchase`): declared here, with the converters, so each half's
// .d.ts has it.
#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Numbers in: a Float64Array (fastest), another typed array or an array of numbers. */
export type Numbers = Float64Array | ArrayLike<number>;
"#;

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
                    "{name}[{i}] must be a non-negative integer, got {}",
                    num(x)
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
            "{name} must be an integer in [{lo}, {hi}], got {}",
            num(x)
        )));
    }
    Ok(x as usize)
}

/// Checks that `value` is an object that is not an array or a typed array:
/// `name must be an object, got …` otherwise.
pub fn require_object(name: &str, value: &JsValue) -> Result<(), JsError> {
    if !value.is_object() || Array::is_array(value) || ArrayBuffer::is_view(value) {
        return Err(JsError::new(&format!(
            "{name} must be an object, got {}",
            describe(value)
        )));
    }
    Ok(())
}

/// Checks that a required object argument is an object (not an array or a
/// typed array) whose own keys are all in `fields`; the unknown-key message
/// lists the fields in order: `options: unknown field `x`, expected one of `a`, `b``.
pub fn object_arg(name: &str, value: &JsValue, fields: &[&str]) -> Result<(), JsError> {
    require_object(name, value)?;
    check_fields(name, value, fields)
}

/// Rejects keys of the object `value` that are not in `fields` (worded as
/// serde words it). `undefined`/`null` pass; any other non-object fails.
#[inline(never)]
pub fn check_fields(name: &str, value: &JsValue, fields: &[&str]) -> Result<(), JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(());
    }
    require_object(name, value)?;
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

// ------------------------------------------------------------ field readers
//
// Option objects are read field by field with the rules (and the messages)
// of the serde-wasm-bindgen deserializer they replace: `obj[key]` for every
// field, a key that is absent (undefined and not `key in obj`) takes the
// default, numbers must be JS numbers, integers safe integers in range,
// sequences arrays or iterables; errors read
// `options.tierQuotas[1]: invalid type: string "x", expected f64`.

#[wasm_bindgen]
extern "C" {
    /// Any object, read with `obj[key]` (a throwing getter propagates).
    type Keyed;

    #[wasm_bindgen(method, indexing_getter)]
    fn get_key(this: &Keyed, key: &JsValue) -> JsValue;

    /// `String(value)`: the text of a thrown value.
    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;
}

/// Where a value was read: a dotted path, and an element index.
#[derive(Clone, Copy)]
pub struct At<'a>(&'a str, Option<usize>);

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.1 {
            Some(i) => write!(f, "{}[{i}]", self.0),
            None => f.write_str(self.0),
        }
    }
}

/// `path: message`.
#[cold]
#[inline(never)]
fn read_error(at: At, msg: &str) -> JsError {
    JsError::new(&format!("{at}: {msg}"))
}

/// A JS exception raised while reading (`String(e)`, less a leading `Error: `).
#[cold]
#[inline(never)]
fn thrown(at: At, e: &JsValue) -> JsError {
    let text = js_string(e);
    read_error(at, text.strip_prefix("Error: ").unwrap_or(&text))
}

/// `path: invalid type: <what the value is>, expected <expected>`, in the
/// words of serde's `Unexpected` (`unit value`, ``boolean `true` ``,
/// ``floating point `1.5` ``, `string "x"`, `byte array`). Written out here:
/// `Unexpected`'s `Display` formats its `Float` case with core's float
/// formatting, which then stays in the Wasm (size).
#[cold]
#[inline(never)]
fn invalid_type(at: At, value: &JsValue, expected: &str) -> JsError {
    let unexpected = if value.loose_eq(&JsValue::NULL) {
        "unit value".to_string()
    } else if let Some(b) = value.as_bool() {
        format!("boolean `{b}`")
    } else if let Some(x) = value.as_f64() {
        // The number as JS writes it, plus serde's ".0" when it has no
        // point or exponent (`2.0`, but `1e+21`, `NaN`, `Infinity`).
        let mut t = num(x).to_string();
        if x.is_finite() && !t.contains(['.', 'e']) {
            t.push_str(".0");
        }
        format!("floating point `{t}`")
    } else if let Some(s) = value.as_string() {
        format!("string {s:?}")
    } else if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<ArrayBuffer>() {
        "byte array".to_string()
    } else {
        format!("{value:?}")
    };
    read_error(
        at,
        &format!("invalid type: {unexpected}, expected {expected}"),
    )
}

fn is_nullish(value: &JsValue) -> bool {
    value.loose_eq(&JsValue::NULL)
}

/// A JS number.
fn number(at: At, value: &JsValue) -> Result<f64, JsError> {
    value.as_f64().ok_or_else(|| invalid_type(at, value, "f64"))
}

/// A safe integer in `[0, u32::MAX]`.
fn uint(at: At, value: &JsValue) -> Result<u32, JsError> {
    if !js_sys::Number::is_safe_integer(value) {
        return Err(invalid_type(at, value, "u32"));
    }
    let v = value.as_f64().unwrap_or_default() as i64;
    if v < 0 {
        return Err(invalid_type(at, value, "u32"));
    }
    u32::try_from(v)
        .map_err(|_| read_error(at, &format!("invalid value: integer `{v}`, expected u32")))
}

/// A JS string.
fn string(at: At, value: &JsValue) -> Result<String, JsError> {
    value
        .as_string()
        .ok_or_else(|| invalid_type(at, value, "a string"))
}

/// A JS boolean.
fn boolean(at: At, value: &JsValue) -> Result<bool, JsError> {
    value
        .as_bool()
        .ok_or_else(|| invalid_type(at, value, "a boolean"))
}

/// Calls `each` on every element of an array or other iterable.
fn sequence(
    path: &str,
    value: &JsValue,
    each: &mut dyn FnMut(At, &JsValue) -> Result<(), JsError>,
) -> Result<(), JsError> {
    let at = At(path, None);
    if let Some(a) = value.dyn_ref::<Array>() {
        for (i, v) in a.iter().enumerate() {
            each(At(path, Some(i)), &v)?;
        }
        return Ok(());
    }
    match js_sys::try_iter(value) {
        Err(e) => Err(thrown(at, &e)),
        Ok(None) => Err(invalid_type(at, value, "a sequence")),
        Ok(Some(iter)) => {
            for (i, v) in iter.enumerate() {
                let v = v.map_err(|e| thrown(at, &e))?;
                each(At(path, Some(i)), &v)?;
            }
            Ok(())
        }
    }
}

/// Every element of a sequence, read with `read`.
fn elements<T>(
    path: &str,
    value: &JsValue,
    read: fn(At, &JsValue) -> Result<T, JsError>,
) -> Result<Vec<T>, JsError> {
    let mut out = Vec::new();
    sequence(path, value, &mut |at, v| {
        out.push(read(at, v)?);
        Ok(())
    })?;
    Ok(out)
}

fn numbers(path: &str, value: &JsValue) -> Result<Vec<f64>, JsError> {
    elements(path, value, number)
}

fn uints(path: &str, value: &JsValue) -> Result<Vec<u32>, JsError> {
    elements(path, value, uint)
}

/// An object argument (or a nested object) read field by field.
pub struct Fields<'a> {
    obj: &'a Keyed,
    path: String,
}

impl<'a> Fields<'a> {
    /// Reads `value`, which must be an object (`value.is_object()`), named `path`.
    pub fn new(path: &str, value: &'a JsValue) -> Self {
        Fields {
            obj: value.unchecked_ref(),
            path: path.to_string(),
        }
    }

    /// The path of a field, for messages.
    pub fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// `obj[key]`; `None` when the key is absent (undefined and not `key in obj`).
    pub fn raw(&self, key: &str) -> Option<JsValue> {
        let k = JsValue::from_str(key);
        let v = self.obj.get_key(&k);
        (!v.is_undefined() || k.js_in(self.obj)).then_some(v)
    }

    /// `read(path, obj[key])` when the key is present (undefined and null
    /// included, so they fail as the reader words it); `None` when absent.
    fn present<T>(
        &self,
        key: &str,
        read: impl FnOnce(&str, &JsValue) -> Result<T, JsError>,
    ) -> Result<Option<T>, JsError> {
        self.raw(key).map(|v| read(&self.path(key), &v)).transpose()
    }

    /// `read(path, obj[key])` unless the key is absent, undefined or null
    /// (an optional field).
    fn given<T>(
        &self,
        key: &str,
        read: impl FnOnce(&str, &JsValue) -> Result<T, JsError>,
    ) -> Result<Option<T>, JsError> {
        self.raw(key)
            .filter(|v| !is_nullish(v))
            .map(|v| read(&self.path(key), &v))
            .transpose()
    }

    /// An optional number.
    pub fn opt_f64(&self, key: &str) -> Result<Option<f64>, JsError> {
        self.given(key, |p, v| number(At(p, None), v))
    }

    /// An optional safe integer in `[0, u32::MAX]`.
    pub fn opt_u32(&self, key: &str) -> Result<Option<u32>, JsError> {
        self.given(key, |p, v| uint(At(p, None), v))
    }

    /// An optional string.
    pub fn opt_string(&self, key: &str) -> Result<Option<String>, JsError> {
        self.given(key, |p, v| string(At(p, None), v))
    }

    /// An optional boolean.
    pub fn opt_bool(&self, key: &str) -> Result<Option<bool>, JsError> {
        self.given(key, |p, v| boolean(At(p, None), v))
    }

    /// An optional sequence of numbers.
    pub fn opt_f64s(&self, key: &str) -> Result<Option<Vec<f64>>, JsError> {
        self.given(key, numbers)
    }

    /// A number, `default` when absent (undefined or null present fail).
    pub fn f64_or(&self, key: &str, default: f64) -> Result<f64, JsError> {
        Ok(self.f64_if_present(key)?.unwrap_or(default))
    }

    /// A number when the key is present (undefined or null fail), `None` when absent.
    pub fn f64_if_present(&self, key: &str) -> Result<Option<f64>, JsError> {
        self.present(key, |p, v| number(At(p, None), v))
    }

    /// An optional integer in `[0, u32::MAX]` that is `default` when absent
    /// (and `None` when undefined or null).
    pub fn opt_u32_or(&self, key: &str, default: Option<u32>) -> Result<Option<u32>, JsError> {
        match self.raw(key) {
            None => Ok(default),
            Some(v) if is_nullish(&v) => Ok(None),
            Some(v) => uint(At(&self.path(key), None), &v).map(Some),
        }
    }

    /// A safe integer in `[0, u32::MAX]`, `default` when absent.
    pub fn u32_or(&self, key: &str, default: u32) -> Result<u32, JsError> {
        Ok(self
            .present(key, |p, v| uint(At(p, None), v))?
            .unwrap_or(default))
    }

    /// A string, `default` when absent.
    pub fn string_or(&self, key: &str, default: String) -> Result<String, JsError> {
        Ok(self
            .present(key, |p, v| string(At(p, None), v))?
            .unwrap_or(default))
    }

    /// A sequence of integers in `[0, u32::MAX]`, `default` when absent.
    pub fn u32s_or(&self, key: &str, default: Vec<u32>) -> Result<Vec<u32>, JsError> {
        Ok(self.present(key, uints)?.unwrap_or(default))
    }

    /// Numbers for `keys` in order into `values` (which hold the defaults).
    pub fn f64s_into(&self, keys: &[&str], values: &mut [f64]) -> Result<(), JsError> {
        for (key, v) in keys.iter().zip(values) {
            *v = self.f64_or(key, *v)?;
        }
        Ok(())
    }

    /// A nested object read with `read`, `default` when absent; anything
    /// but an object fails as `expected struct <name>`.
    pub fn nested_or<T>(
        &self,
        key: &str,
        name: &str,
        default: T,
        read: impl FnOnce(&Fields) -> Result<T, JsError>,
    ) -> Result<T, JsError> {
        match self.nested(key, name)? {
            Some((path, v)) => read(&Fields::new(&path, &v)),
            None => Ok(default),
        }
    }

    /// The path and value of a nested object, `None` when absent (one copy
    /// for every [`nested_or`](Self::nested_or) type).
    fn nested(&self, key: &str, name: &str) -> Result<Option<(String, JsValue)>, JsError> {
        let Some(v) = self.raw(key) else {
            return Ok(None);
        };
        let path = self.path(key);
        if !v.is_object() {
            return Err(invalid_type(At(&path, None), &v, &format!("struct {name}")));
        }
        Ok(Some((path, v)))
    }
}

/// Reads a map of numbers by key from an object's entries (or from an
/// iterable of `[key, value]` pairs, e.g. a `Map`).
pub fn number_map(path: &str, value: &JsValue) -> Result<Vec<(String, f64)>, JsError> {
    let mut out = Vec::new();
    let mut pair = |p: JsValue| -> Result<(), JsError> {
        let p: Array = p.unchecked_into();
        let (k, v) = (p.get(0), p.get(1));
        let key = string(At(&format!("{path}.?"), None), &k)?;
        let x = number(At(&format!("{path}.{key}"), None), &v)?;
        out.push((key, x));
        Ok(())
    };
    let at = At(path, None);
    match js_sys::try_iter(value) {
        Err(e) => return Err(thrown(at, &e)),
        Ok(Some(iter)) => {
            for p in iter {
                pair(p.map_err(|e| thrown(At(&format!("{path}.?"), None), &e))?)?;
            }
        }
        Ok(None) if value.is_object() => {
            for p in Object::entries(value.unchecked_ref()).iter() {
                pair(p)?;
            }
        }
        Ok(None) => return Err(invalid_type(at, value, "a map")),
    }
    Ok(out)
}

/// Serializes a serde value for JS with serde-wasm-bindgen (maps as plain
/// objects): the scenario objects `defaultScenario()`, `presets()` and
/// `MarketModel.scenario` return. Inputs are read by the hand-written
/// readers above instead (serde's visitors were most of the options' code).
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

    /// Sets `key` to a plain array of numbers.
    pub fn array(self, key: &str, values: &[u32]) -> Self {
        let a = Array::new();
        for &v in values {
            a.push(&JsValue::from(v));
        }
        self.set(key, a)
    }

    /// Sets `keys[i]` to `values[i]` (numbers), in order.
    pub fn numbers(mut self, keys: &[&str], values: &[f64]) -> Self {
        for (k, &v) in keys.iter().zip(values) {
            self = self.set(k, v);
        }
        self
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
