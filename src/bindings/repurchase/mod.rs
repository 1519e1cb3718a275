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

/// Declares a model class's per-customer predictions over a horizon, one
/// method per row (`jsName => rust_name, "doc line" "doc line";`: docs as
/// strings, which wasm-bindgen copies into the .d.ts as they are; a `///`
/// passed through a macro reaches it as a raw string and shows as `r"…`), all with the arguments `(t, frequency, recency, T,
/// …extra)`, handed to the class's `at_horizon` (which reads them, see
/// [`horizon_customers`]) with the core method of the row's Rust name on
/// `$core`.
macro_rules! horizon_methods {
    ($class:ident $args:tt { $($js:ident => $rust:ident, $($doc:literal)+;)* }) => {$(
        $crate::bindings::repurchase::horizon_methods!(@one $class $args $js => $rust, $($doc)+);
    )*};
    (@one $class:ident ($core:ty $(, $extra:ident: $ts:tt)*)
        $js:ident => $rust:ident, $($doc:literal)+) => {
        #[wasm_bindgen(js_class = $class)]
        impl $class {
            $(#[doc = $doc])*
            #[wasm_bindgen(js_name = $js)]
            pub fn $rust(
                &self,
                #[wasm_bindgen(unchecked_param_type = "number")] t: JsValue,
                #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
                #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
                #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] big_t: JsValue,
                $(#[wasm_bindgen(unchecked_param_type = $ts)] $extra: JsValue,)*
            ) -> JsResult<Vec<f64>> {
                self.at_horizon(<$core>::$rust, [&t, &frequency, &recency, &big_t] $(, &$extra)*)
            }
        }
    };
}
pub(crate) use horizon_methods;

/// Declares fits of customers `(frequency, recency, T, …extra, options?)`,
/// one export per row (`jsName => rust_name, reader(what), "doc line" …;`): the row's reader `$read` gets `$first` (what to
/// fit), the arguments and the options.
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
            $read($first, &frequency, &recency, &t, $(&$extra,)* options)
        }
    };
}
pub(crate) use customer_fits;
