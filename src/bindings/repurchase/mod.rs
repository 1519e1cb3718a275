//! JS bindings for [`crate::repurchase`], one file per core file they wrap:
//! [`summary`] (`summarizeOrders`), [`cohort`] (`cohortRepurchase`),
//! [`segments`] (`segmentCustomers`), [`model`] (the fits, `repurchaseModel`
//! and the `RepurchaseModel` class with its fit's details and
//! `logLikelihoodOf`) and [`predict`] (`RepurchaseModel`'s predictions,
//! merchant summary, holdout check, spend and CLV), [`intervals`] (those
//! predictions with intervals from the fit's parameter uncertainty) and
//! [`covariates`] (the fits with static covariates,
//! `CovariateRepurchaseModel`, `oneHot`).

pub mod cohort;
#[cfg(feature = "covariates")]
pub mod covariates;
#[cfg(feature = "intervals")]
pub mod intervals;
pub mod model;
pub mod predict;
pub mod segments;
pub mod summary;

pub use cohort::cohort_repurchase;
pub use model::{
    fit_bg_nbd, fit_gamma_gamma, fit_modified_bg_nbd, fit_pareto_nbd, repurchase_model,
    RepurchaseModel,
};
pub use segments::segment_customers;
pub use summary::summarize_orders;

use crate::bindings::js::{At, JsResult};
use crate::bindings::read;
use crate::repurchase::data::check_horizon;
use wasm_bindgen::JsValue;

/// `(frequency, recency, T)` read from JS.
pub(crate) type Customers = (Vec<f64>, Vec<f64>, Vec<f64>);

/// Reads the columns `frequency`, `recency` and `T`.
pub(crate) fn customers(
    frequency: &JsValue,
    recency: &JsValue,
    t: &JsValue,
) -> JsResult<Customers> {
    Ok((
        read::numbers(At::arg("frequency"), frequency)?,
        read::numbers(At::arg("recency"), recency)?,
        read::numbers(At::arg("T"), t)?,
    ))
}

/// The arguments `(frequency, recency, T)` of a per-customer prediction.
pub(crate) type CustomerArgs<'a> = [&'a JsValue; 3];

/// The arguments `(t, frequency, recency, T)` of a prediction over a horizon.
pub(crate) type HorizonArgs<'a> = [&'a JsValue; 4];

/// Reads the horizon `t` (a number in the supported range), then the
/// columns `frequency`, `recency` and `T`.
pub(crate) fn horizon_customers(
    [t, frequency, recency, big_t]: HorizonArgs,
) -> JsResult<(f64, Customers)> {
    let h = read::number(At::arg("t"), t)?;
    check_horizon("t", h)?;
    Ok((h, customers(frequency, recency, big_t)?))
}

/// Declares a model class's per-customer predictions, one method per row:
/// `jsName(t?) -> Ret => rust_name (= core_name)?, "doc line" "doc line";`.
/// Every method takes `(frequency, recency, T, …extra)`, after a horizon
/// `t` for rows marked `(t)`; the class's `of_customers` (or `at_horizon`
/// for `(t)`) reads them and predicts with the core method on `$core` of
/// the row's Rust name (or `core_name`). A row marked `[t]` takes only the
/// horizons `t` (`Numbers`), for the class's `new_customer`. (`self` is
/// passed to `@method` with the arguments, for macro hygiene.) Docs are
/// strings, which wasm-bindgen copies into the .d.ts as they are (a `///`
/// passed through a macro reaches it as a raw string and shows as `r"…`).
macro_rules! customer_methods {
    ($class:ident $args:tt {
        $($js:ident $lead:tt -> $ret:ty => $rust:ident $(= $via:ident)?, $($doc:literal)+;)*
    }) => {$(
        $crate::bindings::repurchase::customer_methods!(
            @one $class $args $js $lead -> $ret => $rust [$rust $($via)?], $($doc)+
        );
    )*};
    (@fn $core:ty, [$rust:ident]) => { <$core>::$rust };
    (@fn $core:ty, [$rust:ident $via:ident]) => { <$core>::$via };
    (@read) => { Self::of_customers };
    (@read $t:ident) => { Self::at_horizon };
    (@one $class:ident ($core:ty $(, $extra:ident: $ts:tt)*)
        $js:ident ($($t:ident)?) -> $ret:ty => $rust:ident $f:tt, $($doc:literal)+) => {
        $crate::bindings::repurchase::customer_methods!(@method $class $js -> $ret => $rust, $($doc)+ (
            &self,
            $(#[wasm_bindgen(unchecked_param_type = "number")] $t: JsValue,)?
            #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
            #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
            #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] big_t: JsValue,
            $(#[wasm_bindgen(unchecked_param_type = $ts)] $extra: JsValue,)*
        ) {
            let f = $crate::bindings::repurchase::customer_methods!(@fn $core, $f);
            let read = $crate::bindings::repurchase::customer_methods!(@read $($t)?);
            read(self, f, [$(&$t,)? &frequency, &recency, &big_t] $(, &$extra)*)
        });
    };
    (@one $class:ident ($core:ty $(, $extra:ident: $ts:tt)*)
        $js:ident [t] -> $ret:ty => $rust:ident $f:tt, $($doc:literal)+) => {
        $crate::bindings::repurchase::customer_methods!(@method $class $js -> $ret => $rust, $($doc)+ (
            &self,
            #[wasm_bindgen(unchecked_param_type = "Numbers")] t: JsValue,
        ) {
            let f = $crate::bindings::repurchase::customer_methods!(@fn $core, $f);
            self.new_customer(f, &t)
        });
    };
    (@method $class:ident $js:ident -> $ret:ty => $rust:ident, $($doc:literal)+
        ($($params:tt)*) $body:block) => {
        #[wasm_bindgen(js_class = $class)]
        impl $class {
            $(#[doc = $doc])*
            #[wasm_bindgen(js_name = $js)]
            pub fn $rust($($params)*) -> JsResult<$ret> $body
        }
    };
}
pub(crate) use customer_methods;

/// Declares fits of customers `(frequency, recency, T, …extra, options?)`,
/// one export per row (`jsName => rust_name, reader(what), "doc line" …;`,
/// docs as in [`customer_methods`]): the row's reader gets `what`, the
/// arguments and the options.
macro_rules! customer_fits {
    ($model:ident $extra:tt {
        $($js:ident => $rust:ident, $read:ident($first:expr), $($doc:literal)+;)*
    }) => {$(
        $crate::bindings::repurchase::customer_fits!(
            @one $model $extra $js => $rust, $read($first), $($doc)+
        );
    )*};
    (@one $model:ident [$($extra:ident: $ts:tt),*]
        $js:ident => $rust:ident, $read:ident($first:expr), $($doc:literal)+) => {
        $(#[doc = $doc])*
        #[wasm_bindgen(js_name = $js)]
        pub fn $rust(
            #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
            #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
            #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
            $(#[wasm_bindgen(unchecked_param_type = $ts)] $extra: JsValue,)*
            #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
        ) -> JsResult<$model> {
            $read($first, [&frequency, &recency, &t], $(&$extra,)* options)
        }
    };
}
pub(crate) use customer_fits;
