//! Reading a caller's arguments into Rust values, strictly and safely: a
//! wrong type is a `TypeError` naming the argument (`values[2] must be a
//! number, got string`), never a silent coercion (`null` is not 0, `'0.1'`
//! is not 0.1), and every JS operation that could throw goes through
//! [`super::js`] (declared `catch`), so a throwing getter or Proxy becomes
//! `options.seed: reading it threw: boom`. Ranges are the core's to check
//! (`crate::validate`), except the integer ranges read here.
//!
//! Bulk columns (`Numbers`) are typed arrays or arrays ([`sequence`]); the
//! short sequences inside options also take any iterable ([`any_sequence`]),
//! read up to their documented maximum length (an endless generator fails
//! fast).

use wasm_bindgen::prelude::*;

use super::js::{self, threw, wrong_type, At, JsResult, Thrown};
use crate::text::num;
use crate::validate::MAX_ELEMENTS;

// The input types every half of the package takes (`shijing/traffic`,
// `shijing/repurchase`): declared here, with the readers, so each half's
// .d.ts has them.
#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Numbers in: a Float64Array (fastest), another typed array or an array of numbers. */
export type Numbers = Float64Array | ArrayLike<number>;
"#;

/// What a column of numbers must be, for messages.
pub const NUMBERS: &str = "a Float64Array or an array of numbers";
/// What a column of integers must be, for messages.
pub const INTEGERS: &str = "a Uint32Array or an array of non-negative integers";

/// `undefined` or `null`: an optional argument or field not given.
pub fn is_nullish(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// A number (no coercion: `null`, `'1'` and `1n` are wrong types).
#[inline(never)]
pub fn number(at: At, value: &JsValue) -> JsResult<f64> {
    value
        .as_f64()
        .ok_or_else(|| wrong_type(at, "a number", value))
}

/// An integer in `[lo, hi]` (a number; NaN, fractions and values out of
/// range fail as `must be an integer in [lo, hi], got x`).
#[inline(never)]
pub fn integer(at: At, value: &JsValue, lo: f64, hi: f64) -> JsResult<f64> {
    let x = number(at, value)?;
    if !(x >= lo && x <= hi && x.fract() == 0.0) {
        return Err(not_integer(at, x, lo, hi));
    }
    Ok(x)
}

/// `{at} must be an integer in [lo, hi], got x`: a `RangeError`.
#[cold]
#[inline(never)]
pub fn not_integer(at: At, x: f64, lo: f64, hi: f64) -> Thrown {
    Thrown::range_error(format!(
        "{at} must be an integer in [{}, {}], got {}",
        num(lo),
        num(hi),
        num(x)
    ))
}

/// A string.
#[inline(never)]
pub fn string(at: At, value: &JsValue) -> JsResult<String> {
    value
        .as_string()
        .ok_or_else(|| wrong_type(at, "a string", value))
}

/// A boolean.
#[inline(never)]
pub fn boolean(at: At, value: &JsValue) -> JsResult<bool> {
    value
        .as_bool()
        .ok_or_else(|| wrong_type(at, "a boolean", value))
}

/// `{at} has {len} elements; at most {max} are supported`: a `RangeError`.
#[cold]
#[inline(never)]
fn too_long(at: At, len: f64, max: usize) -> Thrown {
    Thrown::range_error(format!(
        "{at} has {} elements; at most {max} are supported",
        num(len)
    ))
}

/// How a sequence may be given.
#[derive(Clone, Copy)]
pub struct Seq<'a> {
    /// What it must be, for the wrong-type message.
    pub expected: &'a str,
    /// Most elements.
    pub max: usize,
    /// How it is walked: [`sequence`] (typed arrays and arrays) or
    /// [`any_sequence`] (also any iterable). A function, not a flag, so a
    /// build that reads no iterable leaves the iterator code out.
    pub walk: Walk,
}

/// Walks a sequence; see [`sequence`].
pub type Walk = fn(
    At,
    &JsValue,
    Seq,
    &mut dyn FnMut(At, &JsValue) -> JsResult<()>,
) -> JsResult<Option<Vec<f64>>>;

/// A column: a typed array or an array of at most [`MAX_ELEMENTS`].
pub const COLUMN: Seq<'static> = Seq {
    expected: NUMBERS,
    max: MAX_ELEMENTS,
    walk: sequence,
};

/// Reads a typed array or an array: a numeric typed array comes back copied
/// whole (`Some(Some(_))`), an array is handed to `each` element by element
/// (`Some(None)`); `None` for anything else. Nothing longer than `max` is read.
fn typed_or_array(
    at: At,
    value: &JsValue,
    seq: Seq,
    each: &mut dyn FnMut(At, &JsValue) -> JsResult<()>,
) -> JsResult<Option<Option<Vec<f64>>>> {
    if let Some((tag, len)) = js::typed_array(value) {
        if tag.starts_with("Big") {
            return Err(wrong_type(at, seq.expected, value));
        }
        if len > seq.max {
            return Err(too_long(at, len as f64, seq.max));
        }
        if len == 0 {
            // Also a detached buffer: nothing to copy.
            return Ok(Some(Some(Vec::new())));
        }
        return js::copy_numbers(value, len)
            .map(|v| Some(Some(v)))
            .map_err(|e| threw(at, e));
    }
    if !value.is_object() {
        return Err(wrong_type(at, seq.expected, value));
    }
    if !js::is_array(value).map_err(|e| threw(at, e))? {
        return Ok(None);
    }
    let len = js::get_key(value, "length").map_err(|e| threw(at, e))?;
    let len = len.as_f64().unwrap_or(0.0);
    if len > seq.max as f64 {
        return Err(too_long(at, len, seq.max));
    }
    for i in 0..len as usize {
        let v = js::get_index(value, i as u32).map_err(|e| threw(at.at(i), e))?;
        each(at.at(i), &v)?;
    }
    Ok(Some(None))
}

/// Reads a sequence given as a typed array or an array: a numeric typed
/// array comes back copied whole (`Some`); an array is handed to `each`
/// element by element (`None`). Nothing longer than `seq.max` is read.
pub fn sequence(
    at: At,
    value: &JsValue,
    seq: Seq,
    each: &mut dyn FnMut(At, &JsValue) -> JsResult<()>,
) -> JsResult<Option<Vec<f64>>> {
    match typed_or_array(at, value, seq, each)? {
        Some(read) => Ok(read),
        None => Err(wrong_type(at, seq.expected, value)),
    }
}

/// Like [`sequence`], and also any other iterable, read up to `seq.max`
/// elements (an endless generator fails once it passes them).
pub fn any_sequence(
    at: At,
    value: &JsValue,
    seq: Seq,
    each: &mut dyn FnMut(At, &JsValue) -> JsResult<()>,
) -> JsResult<Option<Vec<f64>>> {
    if let Some(read) = typed_or_array(at, value, seq, each)? {
        return Ok(read);
    }
    if value.is_function() {
        return Err(wrong_type(at, seq.expected, value));
    }
    let make = js::get(value, &js_sys::Symbol::iterator()).map_err(|e| threw(at, e))?;
    if !make.is_function() {
        return Err(wrong_type(at, seq.expected, value));
    }
    let no_args = js_sys::Array::new();
    let iter = js::call(&make, value, &no_args).map_err(|e| threw(at, e))?;
    let next = js::get_key(&iter, "next").map_err(|e| threw(at, e))?;
    for i in 0..=seq.max {
        let step = js::call(&next, &iter, &no_args).map_err(|e| threw(at, e))?;
        if !step.is_object() {
            return Err(wrong_type(at, seq.expected, value));
        }
        let done = js::get_key(&step, "done").map_err(|e| threw(at, e))?;
        if done.is_truthy() {
            return Ok(None);
        }
        if i == seq.max {
            break;
        }
        let v = js::get_key(&step, "value").map_err(|e| threw(at.at(i), e))?;
        each(at.at(i), &v)?;
    }
    Err(Thrown::range_error(format!(
        "{at} has more than {max} elements; at most {max} are supported",
        max = seq.max
    )))
}

/// Numbers from a sequence (see [`Seq`]). NaN and infinities pass through
/// for the core to reject with the index.
#[inline(never)]
pub fn numbers_as(at: At, value: &JsValue, seq: Seq) -> JsResult<Vec<f64>> {
    let mut out = Vec::new();
    let typed = (seq.walk)(at, value, seq, &mut |at, v| {
        out.push(number(at, v)?);
        Ok(())
    })?;
    Ok(typed.unwrap_or(out))
}

/// A column of numbers (`Numbers`): a typed array or an array.
#[inline(never)]
pub fn numbers(at: At, value: &JsValue) -> JsResult<Vec<f64>> {
    numbers_as(at, value, COLUMN)
}

/// Integers in `[lo, hi]` (within `[0, u32::MAX]`) from a sequence (see [`Seq`]).
#[inline(never)]
pub fn u32s_as(at: At, value: &JsValue, seq: Seq, lo: u32, hi: u32) -> JsResult<Vec<u32>> {
    let xs = numbers_as(at, value, seq)?;
    let (lo, hi) = (f64::from(lo), f64::from(hi));
    let mut out = Vec::with_capacity(xs.len());
    for (i, &x) in xs.iter().enumerate() {
        if !(x >= lo && x <= hi && x.fract() == 0.0) {
            return Err(not_integer(at.at(i), x, lo, hi));
        }
        out.push(x as u32);
    }
    Ok(out)
}

/// A column of integers in `[0, u32::MAX]` (`Integers`).
#[inline(never)]
pub fn u32s(at: At, value: &JsValue) -> JsResult<Vec<u32>> {
    let seq = Seq {
        expected: INTEGERS,
        ..COLUMN
    };
    u32s_as(at, value, seq, 0, u32::MAX)
}

/// A column of flags (`Flags`): a typed array (non-zero = true) or an
/// array of booleans or 0/1.
#[inline(never)]
pub fn flags(at: At, value: &JsValue) -> JsResult<Vec<bool>> {
    let seq = Seq {
        expected: "a Uint8Array or an array of booleans",
        ..COLUMN
    };
    let mut out = Vec::new();
    let typed = (seq.walk)(at, value, seq, &mut |at, v| {
        match (v.as_bool(), v.as_f64()) {
            (Some(b), _) => out.push(b),
            (None, Some(x)) if x == 0.0 || x == 1.0 => out.push(x == 1.0),
            _ => return Err(wrong_type(at, "a boolean or 0/1", v)),
        }
        Ok(())
    })?;
    Ok(match typed {
        Some(xs) => xs.iter().map(|&x| x != 0.0).collect(),
        None => out,
    })
}

/// An object argument read field by field (see [`super::options`]).
pub struct Fields<'a> {
    path: &'a str,
    obj: &'a JsValue,
}

impl<'a> Fields<'a> {
    /// Reads the object `obj` (already checked to be one) named `path`.
    pub fn new(path: &'a str, obj: &'a JsValue) -> Self {
        Fields { path, obj }
    }

    /// The path of the field `key`.
    pub fn at<'k>(&'k self, key: &'k str) -> At<'k> {
        At::field(self.path, key)
    }

    /// `obj[key]`, or `None` for `undefined`/`null` (not given).
    #[inline(never)]
    pub fn get(&self, key: &str) -> JsResult<Option<JsValue>> {
        let v = js::get_key(self.obj, key).map_err(|e| threw(self.at(key), e))?;
        Ok((!is_nullish(&v)).then_some(v))
    }

    /// `obj[key]` with `null` as given; `None` for `undefined` (not given).
    #[inline(never)]
    pub fn raw(&self, key: &str) -> JsResult<Option<JsValue>> {
        let v = js::get_key(self.obj, key).map_err(|e| threw(self.at(key), e))?;
        Ok((!v.is_undefined()).then_some(v))
    }

    /// A number.
    #[inline(never)]
    pub fn number(&self, key: &str) -> JsResult<Option<f64>> {
        self.get(key)?.map(|v| number(self.at(key), &v)).transpose()
    }

    /// An integer in `[lo, hi]`.
    #[inline(never)]
    pub fn integer(&self, key: &str, lo: f64, hi: f64) -> JsResult<Option<f64>> {
        self.get(key)?
            .map(|v| integer(self.at(key), &v, lo, hi))
            .transpose()
    }

    /// A string.
    #[inline(never)]
    pub fn string(&self, key: &str) -> JsResult<Option<String>> {
        self.get(key)?.map(|v| string(self.at(key), &v)).transpose()
    }

    /// A name to parse (a string, cut to a few dozen characters: no valid
    /// name is longer, and the message quoting it stays short).
    #[inline(never)]
    pub fn name(&self, key: &str) -> JsResult<Option<String>> {
        Ok(self.string(key)?.map(|s| crate::text::clip(&s).to_string()))
    }

    /// A boolean.
    #[inline(never)]
    pub fn boolean(&self, key: &str) -> JsResult<Option<bool>> {
        self.get(key)?
            .map(|v| boolean(self.at(key), &v))
            .transpose()
    }

    /// A short sequence of numbers (an array, typed array or iterable of
    /// at most `max`).
    #[inline(never)]
    pub fn numbers(&self, key: &str, max: usize) -> JsResult<Option<Vec<f64>>> {
        let seq = Seq {
            expected: "an array of numbers",
            max,
            walk: any_sequence,
        };
        self.get(key)?
            .map(|v| numbers_as(self.at(key), &v, seq))
            .transpose()
    }

    /// A column of numbers (`Numbers`).
    #[inline(never)]
    pub fn column(&self, key: &str) -> JsResult<Option<Vec<f64>>> {
        self.get(key)?
            .map(|v| numbers(self.at(key), &v))
            .transpose()
    }

    /// A column of integers (`Integers`).
    #[inline(never)]
    pub fn integers(&self, key: &str) -> JsResult<Option<Vec<u32>>> {
        self.get(key)?.map(|v| u32s(self.at(key), &v)).transpose()
    }

    /// A column of flags (`Flags`).
    #[inline(never)]
    pub fn flags(&self, key: &str) -> JsResult<Option<Vec<bool>>> {
        self.get(key)?.map(|v| flags(self.at(key), &v)).transpose()
    }

    /// A short sequence of integers in `[lo, hi]` (at most `max`).
    #[inline(never)]
    pub fn u32s(&self, key: &str, max: usize, lo: u32, hi: u32) -> JsResult<Option<Vec<u32>>> {
        let seq = Seq {
            expected: "an array of integers",
            max,
            walk: any_sequence,
        };
        self.get(key)?
            .map(|v| u32s_as(self.at(key), &v, seq, lo, hi))
            .transpose()
    }

    /// Exactly `N` numbers.
    pub fn array<const N: usize>(&self, key: &str) -> JsResult<Option<[f64; N]>> {
        let Some(xs) = self.numbers(key, N)? else {
            return Ok(None);
        };
        <[f64; N]>::try_from(xs.as_slice())
            .map(Some)
            .map_err(|_| wrong_length(self.at(key), xs.len(), N))
    }
}

/// `{at} has {len} elements but must have {n}`: a `RangeError`.
#[cold]
#[inline(never)]
fn wrong_length(at: At, len: usize, n: usize) -> Thrown {
    Thrown::range_error(format!("{at} has {len} elements but must have {n}"))
}
