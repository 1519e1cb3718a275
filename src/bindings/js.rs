//! The JS side of the boundary: every JS operation the bindings perform on a
//! caller's value, declared `catch`, and the error every export throws.
//!
//! Why `catch` everywhere: a JS exception raised inside an import (a getter,
//! a Proxy trap, a revoked Proxy, a BigInt typed array, a detached buffer)
//! that is *not* declared `catch` unwinds straight through the Wasm frames
//! above it. Their clean-up never runs: the shadow-stack pointer stays
//! lowered, heap buffers and externref slots leak and the object a method
//! borrowed stays borrowed, so a few hundred such calls break the instance
//! for good (issue 19). Declared `catch`, the exception comes back as an
//! `Err` and becomes an ordinary error naming the argument
//! (`options.population: reading it threw: boom`).
//!
//! Nothing here calls a js-sys import that can throw; the ones used
//! elsewhere in the bindings (`Reflect::set` on fresh objects, typed-array
//! constructors on Rust slices) cannot.

use std::fmt;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, Nullable};

use crate::text::clip;

// Every import that returns a JS value returns it as `Option<Nullable<_>>`
// (`undefined` and `null` are fixed handles): wasm-bindgen stores a
// returned JS value in the externref table before it checks for the
// exception, and on an exception drops nothing, so an import returning a
// bare `JsValue` leaks a table slot each time it throws (measured: 100,000
// throwing getters grew the table to 131,072 slots). An empty option
// crosses as a number and takes no slot.
#[wasm_bindgen]
extern "C" {
    /// `Reflect.get(target, key)`.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn get_js(target: &JsValue, key: &JsValue) -> Result<Option<Nullable<JsValue>>, JsValue>;

    /// `Reflect.get(target, index)`: an array's element.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn get_index_js(target: &JsValue, index: u32) -> Result<Option<Nullable<JsValue>>, JsValue>;

    /// `Reflect.get(target, key, receiver)`: `target`'s getter run on `receiver`.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn get_as(
        target: &JsValue,
        key: &JsValue,
        receiver: &JsValue,
    ) -> Result<Option<Nullable<JsValue>>, JsValue>;

    /// `Array.isArray(value)` (throws for a revoked Proxy).
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_js(value: &JsValue) -> Result<bool, JsValue>;

    /// `Object.keys(value)`: a fresh array of strings (Proxy traps may throw).
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn keys_js(value: &JsValue) -> Result<Option<Array>, JsValue>;

    /// `String(value)` (a `toString` may throw).
    #[wasm_bindgen(catch, js_name = String)]
    fn text_js(value: &JsValue) -> Result<Option<String>, JsValue>;

    /// `Reflect.apply(f, this, args)`.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = apply)]
    fn apply(
        f: &JsValue,
        this: &JsValue,
        args: &Array,
    ) -> Result<Option<Nullable<JsValue>>, JsValue>;

    /// `Float64Array.prototype`, whose inherited `length` and
    /// `Symbol.toStringTag` getters are the typed arrays' own (a subclass
    /// or a Proxy cannot replace them).
    #[wasm_bindgen(thread_local_v2, js_namespace = Float64Array, js_name = prototype)]
    static TYPED_ARRAY: JsValue;

    /// Copies a typed array into Wasm memory, converting to f64
    /// (`Float64Array.prototype.set.call(dst, src)`).
    #[wasm_bindgen(catch, js_namespace = Float64Array, js_name = "prototype.set.call")]
    fn copy_f64(dst: &mut [f64], src: &JsValue) -> Result<(), JsValue>;
}

/// A returned JS value, `undefined` and `null` included.
fn value(v: Option<Nullable<JsValue>>) -> JsValue {
    match v {
        None => JsValue::UNDEFINED,
        Some(Nullable::Null) => JsValue::NULL,
        Some(Nullable::Value(v)) => v,
    }
}

/// `Reflect.get(target, key)`.
pub fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue> {
    get_js(target, key).map(value)
}

/// `Reflect.get(target, index)`: an array's element.
pub fn get_index(target: &JsValue, index: u32) -> Result<JsValue, JsValue> {
    get_index_js(target, index).map(value)
}

/// `Reflect.get(target, key)` for a string key.
pub fn get_key(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    get(target, &JsValue::from_str(key))
}

/// `Array.isArray(value)`; `Err` for a revoked Proxy.
pub fn is_array(value: &JsValue) -> Result<bool, JsValue> {
    is_array_js(value)
}

/// `Object.keys(value)` of an object.
pub fn keys(value: &JsValue) -> Result<Array, JsValue> {
    keys_js(value).map(Option::unwrap_or_default)
}

/// Calls the function `f` with `this` and the arguments `args`.
pub fn call(f: &JsValue, this: &JsValue, args: &Array) -> Result<JsValue, JsValue> {
    apply(f, this, args).map(value)
}

/// The kind of a typed array (`"Float64Array"`, `"BigInt64Array"`, …) and
/// its length, read with the intrinsic getters; `None` for anything else
/// (a DataView, a Proxy, a plain object). Never runs caller code.
pub fn typed_array(value: &JsValue) -> Option<(String, usize)> {
    if !js_sys::ArrayBuffer::is_view(value) {
        return None;
    }
    TYPED_ARRAY.with(|proto| {
        let tag = get_as(proto, &js_sys::Symbol::to_string_tag(), value).ok()?;
        let tag = self::value(tag).as_string()?;
        let len = get_as(proto, &JsValue::from_str("length"), value).ok()?;
        let len = self::value(len).as_f64()?;
        Some((tag, len as usize))
    })
}

/// Copies the typed array `value` of `len` elements (from [`typed_array`],
/// a non-BigInt kind) into a new vector.
pub fn copy_numbers(value: &JsValue, len: usize) -> Result<Vec<f64>, JsValue> {
    let mut out = vec![0.0; len];
    copy_f64(&mut out, value)?;
    Ok(out)
}

/// The class of error an export throws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// `TypeError`: a wrong type or an unknown key.
    Type,
    /// `RangeError`: a value out of range or a length mismatch.
    Range,
    /// `Error`: anything else (an exception while reading, a state or
    /// feasibility error).
    Other,
}

/// What every export throws: a message naming the argument, the JS class
/// that fits, and the JS exception that caused it, if any (its `cause`).
#[derive(Debug, Clone)]
pub struct Thrown {
    class: Class,
    message: String,
    cause: Option<JsValue>,
}

/// `Result` of every export.
pub type JsResult<T> = Result<T, Thrown>;

impl Thrown {
    /// A `TypeError`.
    #[cold]
    pub fn type_error(message: String) -> Self {
        Thrown {
            class: Class::Type,
            message,
            cause: None,
        }
    }

    /// A `RangeError`.
    #[cold]
    pub fn range_error(message: String) -> Self {
        Thrown {
            class: Class::Range,
            message,
            cause: None,
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The class's JS name: `"TypeError"`, `"RangeError"` or `"Error"`.
    pub fn class_name(&self) -> &'static str {
        match self.class {
            Class::Type => "TypeError",
            Class::Range => "RangeError",
            Class::Other => "Error",
        }
    }
}

impl fmt::Display for Thrown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<crate::Error> for Thrown {
    #[inline(never)]
    fn from(e: crate::Error) -> Self {
        let class = match &e {
            crate::Error::WrongType(_) => Class::Type,
            crate::Error::InvalidInput(_) => Class::Range,
            crate::Error::Infeasible(_) | crate::Error::InvalidState(_) => Class::Other,
        };
        let message = match e {
            crate::Error::WrongType(m)
            | crate::Error::InvalidInput(m)
            | crate::Error::Infeasible(m)
            | crate::Error::InvalidState(m) => m,
        };
        Thrown {
            class,
            message,
            cause: None,
        }
    }
}

impl From<Thrown> for JsValue {
    fn from(t: Thrown) -> JsValue {
        let e: js_sys::Error = match t.class {
            Class::Type => js_sys::TypeError::new(&t.message).unchecked_into(),
            Class::Range => js_sys::RangeError::new(&t.message).unchecked_into(),
            Class::Other => js_sys::Error::new(&t.message),
        };
        if let Some(cause) = &t.cause {
            // A data property on a fresh Error: cannot throw.
            let _ = js_sys::Reflect::set(&e, &JsValue::from_str("cause"), cause);
        }
        e.into()
    }
}

/// Where a value was read: an argument or option path (`options.tierQuotas`)
/// and, for an element, its index. Written only when a message needs it.
#[derive(Clone, Copy)]
pub struct At<'a> {
    path: &'a str,
    key: &'a str,
    index: Option<usize>,
}

impl<'a> At<'a> {
    /// The argument `path` itself (`values`, `request.items`).
    pub fn arg(path: &'a str) -> Self {
        At {
            path,
            key: "",
            index: None,
        }
    }

    /// The field `key` of the object at `path` (`options` + `seed`).
    pub fn field(path: &'a str, key: &'a str) -> Self {
        At {
            path,
            key,
            index: None,
        }
    }

    /// Element `i` of this array.
    pub fn at(self, i: usize) -> Self {
        At {
            index: Some(i),
            ..self
        }
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path)?;
        if !self.key.is_empty() {
            write!(f, ".{}", self.key)?;
        }
        if let Some(i) = self.index {
            write!(f, "[{i}]")?;
        }
        Ok(())
    }
}

/// `{at} must be {expected}, got {what value is}`: a `TypeError`.
#[cold]
#[inline(never)]
pub fn wrong_type(at: At, expected: &str, value: &JsValue) -> Thrown {
    Thrown::type_error(format!("{at} must be {expected}, got {}", describe(value)))
}

/// `{at} is required`: a `TypeError`.
#[cold]
#[inline(never)]
pub fn required(at: At) -> Thrown {
    Thrown::type_error(format!("{at} is required"))
}

/// `{at}.{key} is not a known field; expected one of: a, b, c`: a `TypeError`.
#[cold]
#[inline(never)]
pub fn unknown_field(at: At, key: &str, base: &[&str], known: &[&str]) -> Thrown {
    let mut all = base.to_vec();
    all.extend_from_slice(known);
    Thrown::type_error(format!(
        "{at}.{} is not a known field; expected one of: {}",
        clip(key),
        all.join(", ")
    ))
}

/// `{at}: reading it threw: {the exception}`: an `Error` whose `cause` is
/// the exception.
#[cold]
#[inline(never)]
pub fn threw(at: At, exception: JsValue) -> Thrown {
    let text = match text_js(&exception) {
        Ok(Some(t)) => t,
        _ => "an exception".to_string(),
    };
    let text = text.strip_prefix("Error: ").unwrap_or(&text);
    Thrown {
        class: Class::Other,
        message: format!("{at}: reading it threw: {}", clip(text)),
        cause: Some(exception),
    }
}

/// A short description of a JS value's type for messages: `null`,
/// `undefined`, `string`, `number`, `an array`, `a BigInt64Array`, `a Map`,
/// `object`, …. It quotes no value, so a message stays short whatever
/// was passed, and reads nothing that can throw (a constructor's name is
/// read with `catch`).
pub fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if value.is_undefined() {
        return "undefined".into();
    }
    if let Some((tag, _)) = typed_array(value) {
        return with_article(&tag);
    }
    match is_array(value) {
        Ok(true) => return "an array".into(),
        Err(_) => return "a revoked Proxy".into(),
        Ok(false) => {}
    }
    if value.is_object() {
        let name = get_key(value, "constructor")
            .ok()
            .filter(|c| c.is_function())
            .and_then(|c| get_key(&c, "name").ok())
            .and_then(|n| n.as_string())
            .filter(|n| !n.is_empty() && n != "Object");
        return match name {
            Some(n) => with_article(&n),
            None => "object".into(),
        };
    }
    value
        .js_typeof()
        .as_string()
        .unwrap_or_else(|| "unknown".into())
}

/// `a Map`, `an Int32Array`.
fn with_article(name: &str) -> String {
    let article = if matches!(
        name.as_bytes().first(),
        Some(b'A' | b'E' | b'I' | b'O' | b'U')
    ) {
        "an"
    } else {
        "a"
    };
    format!("{article} {}", clip(name))
}

/// Whether `value` is an object to read fields from: not null, not a
/// function, an array or a typed array. `Err` with the exception for a
/// revoked Proxy.
pub fn is_plain_object(value: &JsValue) -> Result<bool, JsValue> {
    Ok(value.is_object()
        && !value.is_function()
        && !js_sys::ArrayBuffer::is_view(value)
        && !is_array(value)?)
}

/// Checks that `value` is an object whose own enumerable keys are all in
/// `base` or `known` (at most that many keys plus one are read).
pub fn known_object(at: At, value: &JsValue, base: &[&str], known: &[&str]) -> JsResult<()> {
    match is_plain_object(value) {
        Ok(true) => {}
        Ok(false) => return Err(wrong_type(at, "an object", value)),
        Err(e) => return Err(threw(at, e)),
    }
    let keys = keys(value).map_err(|e| threw(at, e))?;
    let n = keys.length().min((base.len() + known.len()) as u32 + 1);
    for i in 0..n {
        let key = keys.get(i).as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) && !base.contains(&key.as_str()) {
            return Err(unknown_field(at, &key, base, known));
        }
    }
    Ok(())
}
