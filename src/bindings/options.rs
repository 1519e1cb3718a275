//! One declaration per option: `js_options!` turns one table per option
//! struct into everything the JS face of that struct needs — the list of
//! known keys (unknown keys are a `TypeError`), the reader with its type
//! and integer checks, the writer back to JS (for records the exports
//! return, like a scenario), and the TypeScript interface in the .d.ts.
//! Defaults are the core struct's `Default`; ranges of non-integers are
//! the core's `validate` (one place each).
//!
//! The generated code is plain straight-line calls to the non-generic
//! readers of [`Fields`] (one `if let` per option), as a hand-written
//! reader would be: no serde visitors, which were most of the options'
//! Wasm code.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::js::{self, At, JsResult};
use super::read::{self, Fields};

/// A struct whose JS face a `js_options!` table declares.
pub trait JsFields {
    /// The JS names of its fields, in table order.
    const KEYS: &'static [&'static str];
    /// The JS names of the fields of the table it extends (`extends`).
    const BASE_KEYS: &'static [&'static str] = &[];
    /// Reads every field the object gives over `self` (the defaults).
    fn read_fields(&mut self, r: &Fields) -> JsResult<()>;
}

/// A [`JsFields`] struct that is also returned to JS (a `record` table).
pub trait JsRecord: JsFields {
    /// Sets every field on `out`.
    fn write_fields(&self, out: &Object);
}

/// Reads the options object `value`, named `path` in messages, over
/// `base`: `undefined` and `null` give `base`; anything but an object is a
/// `TypeError`, and so is an unknown key.
pub fn read<T: JsFields>(path: &str, value: &JsValue, mut base: T) -> JsResult<T> {
    if !read::is_nullish(value) {
        read_into(path, value, &mut base)?;
    }
    Ok(base)
}

/// Reads an export's optional last argument `options` (named so in
/// messages) over the struct's defaults.
#[inline]
pub fn read_optional<T: JsFields + Default>(options: Option<JsValue>) -> JsResult<T> {
    read(
        "options",
        &options.unwrap_or(JsValue::UNDEFINED),
        T::default(),
    )
}

/// A `myshop_nested` field without the Cargo feature `myshop` (the
/// merchant's fitted process, not in `shijing/traffic`): `undefined` is not
/// given, `null` keeps the `None` it always is, anything else is the error.
#[cfg(not(feature = "myshop"))]
pub fn read_absent(r: &Fields, key: &str) -> JsResult<bool> {
    match r.raw(key)? {
        None => Ok(false),
        Some(v) if v.is_null() => Ok(true),
        Some(_) => Err(crate::sim::fitted::without_myshop(&r.at(key).to_string()).into()),
    }
}

/// Reads the object `value` (required) named `path` over `into`.
pub fn read_into<T: JsFields>(path: &str, value: &JsValue, into: &mut T) -> JsResult<()> {
    js::known_object(At::arg(path), value, T::BASE_KEYS, T::KEYS)?;
    into.read_fields(&Fields::new(path, value))
}

/// The nested object at `r`'s field `key`, read over `into` when given.
pub fn read_nested<T: JsFields>(r: &Fields, key: &str, into: &mut T) -> JsResult<()> {
    if let Some(v) = r.get(key)? {
        read_into(&r.at(key).to_string(), &v, into)?;
    }
    Ok(())
}

/// A record as a new JS object.
pub fn write<T: JsRecord>(value: &T) -> JsValue {
    let out = Object::new();
    value.write_fields(&out);
    out.into()
}

/// `out[key] = value` on an object the bindings made (cannot throw).
pub fn set(out: &Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(out, &JsValue::from_str(key), value);
}

/// A plain array of numbers.
pub fn number_array(values: impl Iterator<Item = f64>) -> JsValue {
    let a = Array::new();
    for v in values {
        a.push(&JsValue::from_f64(v));
    }
    a.into()
}

pub use wasm_bindgen::prelude::wasm_bindgen;

/// Declares the JS face of an option struct in one table.
///
/// ```text
/// js_options! {
///     /// Doc of the TypeScript interface.
///     options "AllocationOptions" for RoundSettings {
///         "budget" => budget: number, "Daily budget in impressions (default 1e8).";
///         "giniMax" => cap.gini_max: number, "Gini cap, [0, 1) (default 0.6).";
///         "tierWeights" => tier_weights: numbers(MAX_TIERS) or |s: &RoundSettings| vec![1.0; s.tier_quotas.len()], "…";
///     }
/// }
/// ```
///
/// **Adding an option is one row**: `"jsName" => rust.field.path: kind, "doc";`
/// in its struct's table (the field must exist on the core struct, its
/// default in the struct's `Default`, its range in the struct's
/// `validate`). Everything else follows: the key is known, read, checked,
/// written back (records) and typed in the .d.ts.
///
/// The table's mode is `options` (an input: every field optional in the
/// TypeScript, `?:`) or `record` (also returned to JS, so it gets a writer;
/// every field present in the TypeScript except `opt_*` ones).
/// `options "Name" extends "Base" (field: BaseType) for Struct` flattens a table's fields into this
/// one (`TrafficPlatformOptions extends AllocationOptions`).
///
/// Kinds (the Rust field's type; `undefined`/`null` keep the default):
/// `number` f64 · `req_number` f64, required · `opt_number` Option<f64> ·
/// `uint(lo, hi)` u32 · `opt_uint(lo, hi)` Option<u32> · `count(lo, hi)`,
/// `opt_count(lo, hi)`, `req_count(lo, hi)` usize (integers in `[lo, hi]`) ·
/// `string` String · `name` String (a name to check, cut to 80 characters
/// so a message quoting it stays short) · `boolean` bool · `numbers(max)` Vec<f64> (an array,
/// typed array or iterable of at most `max`) · `opt_numbers(max)` ·
/// `u32s(max, lo, hi)` Vec<u32> · `array` [f64; N] · columns (a typed
/// array or array of up to 20M): `opt_column`/`req_column` `Numbers`,
/// `opt_integers`/`req_integers` `Integers`, `opt_flags` `Flags` ·
/// `parse(Type)` an enum read from its name with `Type::parse(path, name)`
/// · `nested`/`req_nested` another table's struct · `opt_nested(new)` an
/// `Option` of another table's struct, read whole over `new()` when an
/// object is given (not merged over the value before), `null` sets `None`
/// (`myshop_nested(new)`: the same with the Cargo feature `myshop`, else
/// always `None` and an error when given)
/// · `with(f)` any value but
/// `undefined` (`null` included), read by `f(at, &value) -> JsResult<Option<T>>`
/// (`None` keeps the default), for an option no other kind types (a column
/// by header text or index, `null` for none); `req_with(f)` the same,
/// required. `req_*` kinds are
/// required (`options.x is required`), `opt_*` fields are `Option`s.
/// `as "TsType"` overrides the TypeScript type; `or |s: &Struct| expr`
/// computes the value from the fields read before it when not given.
macro_rules! js_options {
    (
        $(#[doc = $doc:literal])*
        $mode:ident $ts:literal
        $(extends $base_ts:literal ($base:ident : $base_ty:ty))?
        for $ty:ty {
            $(
                $js:literal => $field:ident $(. $sub:ident)* : $kind:ident $(($($arg:tt)*))?
                $(as $tsty:literal)? $(or $fallback:expr)? , $fdoc:literal ;
            )*
        }
    ) => {
        impl $crate::bindings::options::JsFields for $ty {
            const KEYS: &'static [&'static str] = &[$($js),*];
            $(const BASE_KEYS: &'static [&'static str] =
                <$base_ty as $crate::bindings::options::JsFields>::KEYS;)?
            fn read_fields(
                &mut self,
                r: &$crate::bindings::read::Fields,
            ) -> $crate::bindings::js::JsResult<()> {
                $($crate::bindings::options::JsFields::read_fields(&mut self.$base, r)?;)?
                $(
                    let given = $crate::bindings::options::read_field!(
                        r, $js, (self.$field $(. $sub)*), $kind $(($($arg)*))?
                    );
                    $crate::bindings::options::or_else!(
                        given, self, (self.$field $(. $sub)*) $(, $fallback)?
                    );
                )*
                Ok(())
            }
        }

        $crate::bindings::options::write_impl!(
            $mode, $ty, $(($js, ($field $(. $sub)*), $kind))*
        );

        const _: () = {
            #[$crate::bindings::options::wasm_bindgen(typescript_custom_section)]
            const TS: &'static str = concat!(
                "\n/**\n", $(" *", $doc, "\n",)* " */\n",
                "export interface ", $ts, $(" extends ", $base_ts,)? " {\n",
                $(
                    "  /** ", $fdoc, " */\n  ", $js,
                    $crate::bindings::options::ts_optional!($mode, $kind), ": ",
                    $crate::bindings::options::ts_type!($kind $(as $tsty)?), ";\n",
                )*
                "}\n"
            );
        };
    };
}
pub(crate) use js_options;

/// Reads one field into `$dst`; evaluates to whether the field was given.
macro_rules! read_field {
    ($r:ident, $js:literal, ($($dst:tt)+), number) => {
        match $r.number($js)? { Some(v) => { $($dst)+ = v; true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), req_number) => {
        match $r.number($js)? {
            Some(v) => { $($dst)+ = v; true }
            None => return Err($crate::bindings::js::required($r.at($js))),
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), opt_number) => {
        match $r.number($js)? { Some(v) => { $($dst)+ = Some(v); true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), uint($lo:expr, $hi:expr)) => {
        match $r.integer($js, f64::from($lo), f64::from($hi))? {
            Some(v) => { $($dst)+ = v as u32; true } None => false
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), opt_uint($lo:expr, $hi:expr)) => {
        match $r.integer($js, f64::from($lo), f64::from($hi))? {
            Some(v) => { $($dst)+ = Some(v as u32); true } None => false
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), count($lo:expr, $hi:expr)) => {
        match $r.integer($js, $lo as f64, $hi as f64)? {
            Some(v) => { $($dst)+ = v as usize; true } None => false
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), opt_count($lo:expr, $hi:expr)) => {
        match $r.integer($js, $lo as f64, $hi as f64)? {
            Some(v) => { $($dst)+ = Some(v as usize); true } None => false
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), req_count($lo:expr, $hi:expr)) => {
        match $r.integer($js, $lo as f64, $hi as f64)? {
            Some(v) => { $($dst)+ = v as usize; true }
            None => return Err($crate::bindings::js::required($r.at($js))),
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), string) => {
        match $r.string($js)? { Some(v) => { $($dst)+ = v; true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), name) => {
        match $r.name($js)? { Some(v) => { $($dst)+ = v; true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), boolean) => {
        match $r.boolean($js)? { Some(v) => { $($dst)+ = v; true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), numbers($max:expr)) => {
        match $r.numbers($js, $max)? { Some(v) => { $($dst)+ = v; true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), opt_numbers($max:expr)) => {
        match $r.numbers($js, $max)? { Some(v) => { $($dst)+ = Some(v); true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), opt_column) => {
        match $r.column($js)? { Some(v) => { $($dst)+ = Some(v); true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), req_column) => {
        match $r.column($js)? {
            Some(v) => { $($dst)+ = v; true }
            None => return Err($crate::bindings::js::required($r.at($js))),
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), opt_integers) => {
        match $r.integers($js)? { Some(v) => { $($dst)+ = Some(v); true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), req_integers) => {
        match $r.integers($js)? {
            Some(v) => { $($dst)+ = v; true }
            None => return Err($crate::bindings::js::required($r.at($js))),
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), opt_flags) => {
        match $r.flags($js)? { Some(v) => { $($dst)+ = Some(v); true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), u32s($max:expr, $lo:expr, $hi:expr)) => {
        match $r.u32s($js, $max, $lo, $hi)? { Some(v) => { $($dst)+ = v; true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), array) => {
        match $r.array($js)? { Some(v) => { $($dst)+ = v; true } None => false }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), parse($t:ty)) => {
        match $r.name($js)? {
            Some(v) => { $($dst)+ = <$t>::parse(&$r.at($js).to_string(), &v)?; true }
            None => false
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), with($f:path)) => {
        match $r.raw($js)? {
            Some(v) => match $f($r.at($js), &v)? {
                Some(x) => { $($dst)+ = x; true }
                None => false,
            },
            None => false,
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), req_with($f:path)) => {
        match $r.get($js)? {
            Some(v) => match $f($r.at($js), &v)? {
                Some(x) => { $($dst)+ = x; true }
                None => return Err($crate::bindings::js::required($r.at($js))),
            },
            None => return Err($crate::bindings::js::required($r.at($js))),
        }
    };
    ($r:ident, $js:literal, ($($dst:tt)+), req_nested) => {{
        if $r.get($js)?.is_none() {
            return Err($crate::bindings::js::required($r.at($js)));
        }
        $crate::bindings::options::read_nested($r, $js, &mut $($dst)+)?;
        true
    }};
    ($r:ident, $js:literal, ($($dst:tt)+), nested) => {{
        $crate::bindings::options::read_nested($r, $js, &mut $($dst)+)?;
        true
    }};
    ($r:ident, $js:literal, ($($dst:tt)+), myshop_nested($new:expr)) => {{
        #[cfg(feature = "myshop")]
        let given = $crate::bindings::options::read_field!($r, $js, ($($dst)+), opt_nested($new));
        // Without `myshop` the field is always `None`: given (not null), it is the error.
        #[cfg(not(feature = "myshop"))]
        let given = $crate::bindings::options::read_absent($r, $js)?;
        given
    }};
    ($r:ident, $js:literal, ($($dst:tt)+), opt_nested($new:expr)) => {
        match $r.raw($js)? {
            None => false,
            Some(v) if v.is_null() => { $($dst)+ = None; true }
            Some(v) => {
                let mut x = ($new)();
                $crate::bindings::options::read_into(&$r.at($js).to_string(), &v, &mut x)?;
                $($dst)+ = Some(x);
                true
            }
        }
    };
}
pub(crate) use read_field;

/// A field's fallback when it was not given (`or |s| …`).
macro_rules! or_else {
    ($given:ident, $s:ident, ($($dst:tt)+)) => {
        let _ = $given;
    };
    ($given:ident, $s:ident, ($($dst:tt)+), $fallback:expr) => {
        if !$given {
            let value = ($fallback)(&*$s);
            $($dst)+ = value;
        }
    };
}
pub(crate) use or_else;

/// The writer of a `record` table (none for `options`).
macro_rules! write_impl {
    (options, $ty:ty, $($rest:tt)*) => {};
    (record, $ty:ty, $(($js:literal, ($($src:tt)+), $kind:ident))*) => {
        impl $crate::bindings::options::JsRecord for $ty {
            fn write_fields(&self, out: &js_sys::Object) {
                $($crate::bindings::options::write_field!(out, $js, (self.$($src)+), $kind);)*
            }
        }
    };
}
pub(crate) use write_impl;

/// Writes one field of a record (none in a half without record tables).
#[allow(unused_macros)]
macro_rules! write_field {
    ($out:ident, $js:literal, ($($src:tt)+), number) => {
        $crate::bindings::options::set($out, $js, &JsValue::from_f64($($src)+))
    };
    ($out:ident, $js:literal, ($($src:tt)+), req_number) => {
        $crate::bindings::options::set($out, $js, &JsValue::from_f64($($src)+))
    };
    ($out:ident, $js:literal, ($($src:tt)+), uint) => {
        $crate::bindings::options::set($out, $js, &JsValue::from($($src)+))
    };
    ($out:ident, $js:literal, ($($src:tt)+), count) => {
        $crate::bindings::options::set($out, $js, &JsValue::from_f64($($src)+ as f64))
    };
    ($out:ident, $js:literal, ($($src:tt)+), opt_number) => {
        if let Some(v) = $($src)+ {
            $crate::bindings::options::set($out, $js, &JsValue::from_f64(v))
        }
    };
    ($out:ident, $js:literal, ($($src:tt)+), opt_uint) => {
        if let Some(v) = $($src)+ {
            $crate::bindings::options::set($out, $js, &JsValue::from(v))
        }
    };
    ($out:ident, $js:literal, ($($src:tt)+), string) => {
        $crate::bindings::options::set($out, $js, &JsValue::from_str(&$($src)+))
    };
    ($out:ident, $js:literal, ($($src:tt)+), name) => {
        $crate::bindings::options::set($out, $js, &JsValue::from_str(&$($src)+))
    };
    ($out:ident, $js:literal, ($($src:tt)+), boolean) => {
        $crate::bindings::options::set($out, $js, &JsValue::from_bool($($src)+))
    };
    ($out:ident, $js:literal, ($($src:tt)+), numbers) => {
        $crate::bindings::options::set(
            $out, $js, &$crate::bindings::options::number_array($($src)+.iter().copied()),
        )
    };
    ($out:ident, $js:literal, ($($src:tt)+), u32s) => {
        $crate::bindings::options::set(
            $out, $js,
            &$crate::bindings::options::number_array($($src)+.iter().map(|&x| f64::from(x))),
        )
    };
    ($out:ident, $js:literal, ($($src:tt)+), array) => {
        $crate::bindings::options::set(
            $out, $js, &$crate::bindings::options::number_array($($src)+.iter().copied()),
        )
    };
    ($out:ident, $js:literal, ($($src:tt)+), parse) => {
        $crate::bindings::options::set($out, $js, &JsValue::from_str($($src)+.as_str()))
    };
    ($out:ident, $js:literal, ($($src:tt)+), nested) => {
        $crate::bindings::options::set($out, $js, &$crate::bindings::options::write(&$($src)+))
    };
    ($out:ident, $js:literal, ($($src:tt)+), myshop_nested) => {
        #[cfg(feature = "myshop")]
        $crate::bindings::options::write_field!($out, $js, ($($src)+), opt_nested)
    };
    ($out:ident, $js:literal, ($($src:tt)+), opt_nested) => {
        if let Some(v) = &$($src)+ {
            $crate::bindings::options::set($out, $js, &$crate::bindings::options::write(v))
        }
    };
    ($out:ident, $js:literal, ($($src:tt)+), opt_numbers) => {
        if let Some(v) = &$($src)+ {
            $crate::bindings::options::set(
                $out, $js, &$crate::bindings::options::number_array(v.iter().copied()),
            )
        }
    };
    ($out:ident, $js:literal, ($($src:tt)+), req_column) => {
        $crate::bindings::options::set($out, $js, &js_sys::Float64Array::from(&$($src)+[..]).into())
    };
    ($out:ident, $js:literal, ($($src:tt)+), req_integers) => {
        $crate::bindings::options::set($out, $js, &js_sys::Uint32Array::from(&$($src)+[..]).into())
    };
    ($out:ident, $js:literal, ($($src:tt)+), opt_column) => {
        if let Some(v) = &$($src)+ {
            $crate::bindings::options::set($out, $js, &js_sys::Float64Array::from(&v[..]).into())
        }
    };
}
#[allow(unused_imports)]
pub(crate) use write_field;

/// `"?"` when a field is optional in the TypeScript interface.
// Used only by the typescript_custom_section, which exists only in Wasm.
#[allow(unused_macros)]
macro_rules! ts_optional {
    (options, req_number) => {
        ""
    };
    (options, req_count) => {
        ""
    };
    (options, req_nested) => {
        ""
    };
    (options, req_column) => {
        ""
    };
    (options, req_integers) => {
        ""
    };
    (options, req_with) => {
        ""
    };
    (options, $kind:ident) => {
        "?"
    };
    (record, opt_number) => {
        "?"
    };
    (record, opt_uint) => {
        "?"
    };
    (record, opt_numbers) => {
        "?"
    };
    (record, opt_column) => {
        "?"
    };
    (record, opt_count) => {
        "?"
    };
    (record, opt_integers) => {
        "?"
    };
    (record, opt_flags) => {
        "?"
    };
    (record, myshop_nested) => {
        "?"
    };
    (record, opt_nested) => {
        "?"
    };
    (record, $kind:ident) => {
        ""
    };
}
#[allow(unused_imports)]
pub(crate) use ts_optional;

/// A field's TypeScript type.
// Used only by the typescript_custom_section, which exists only in Wasm.
#[allow(unused_macros)]
macro_rules! ts_type {
    ($kind:ident as $ts:literal) => {
        $ts
    };
    (string) => {
        "string"
    };
    (name) => {
        "string"
    };
    (boolean) => {
        "boolean"
    };
    (numbers) => {
        "number[]"
    };
    (opt_numbers) => {
        "number[]"
    };
    (u32s) => {
        "number[]"
    };
    (array) => {
        "number[]"
    };
    (parse) => {
        compile_error!("a `parse` field needs `as \"TsType\"`")
    };
    (with) => {
        compile_error!("a `with` field needs `as \"TsType\"`")
    };
    (req_with) => {
        compile_error!("a `req_with` field needs `as \"TsType\"`")
    };
    (nested) => {
        compile_error!("a `nested` field needs `as \"TsType\"`")
    };
    (req_nested) => {
        compile_error!("a `req_nested` field needs `as \"TsType\"`")
    };
    (myshop_nested) => {
        compile_error!("a `myshop_nested` field needs `as \"TsType\"`")
    };
    (opt_nested) => {
        compile_error!("an `opt_nested` field needs `as \"TsType\"`")
    };
    (opt_column) => {
        "Numbers"
    };
    (req_column) => {
        "Numbers"
    };
    (opt_integers) => {
        "Integers"
    };
    (req_integers) => {
        "Integers"
    };
    (opt_flags) => {
        "Flags"
    };
    ($kind:ident) => {
        "number"
    };
}
#[allow(unused_imports)]
pub(crate) use ts_type;
