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

/// Reads the horizon `t` (a number in the supported range), then the
/// columns `frequency`, `recency` and `T`.
pub(crate) fn horizon_customers(
    t: &JsValue,
    frequency: &JsValue,
    recency: &JsValue,
    big_t: &JsValue,
) -> JsResult<(f64, Customers)> {
    let h = read::number(At::arg("t"), t)?;
    check_horizon("t", h)?;
    Ok((h, customers(frequency, recency, big_t)?))
}
