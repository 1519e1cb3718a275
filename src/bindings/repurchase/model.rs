//! JS bindings for [`crate::repurchase::model`]: the fits (`fitBgNbd`,
//! `fitModifiedBgNbd`, `fitParetoNbd`, `fitGammaGamma`), `repurchaseModel`
//! and the `RepurchaseModel` class with its fit's details and
//! `logLikelihoodOf` (its predictions are in [`super::predict`]).

use wasm_bindgen::prelude::*;

use super::{customer_fits, customers, CustomerArgs};
use crate::bindings::js::{self, At, JsResult};
use crate::bindings::options::{self, js_options};
use crate::bindings::read::{self, Fields};
use crate::bindings::write::JsObject;
use crate::repurchase::{self, Fit, FitOptions, Model, ModelKind};

js_options! {
    /// Options for every fit.
    options "FitOptions" for FitOptions {
        "weights" => weights: opt_column, "Non-negative weight per row, e.g. counts of identical customers.";
        "maxIterations" => max_iterations: opt_uint(1, 10_000), "Iteration cap, 1…10000 (default 200).";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Model names accepted by `repurchaseModel`. */
export type RepurchaseModelName = "bgnbd" | "mbgnbd" | "paretonbd" | "gammagamma";

/** BG/NBD and MBG/NBD: purchase rate ~ Gamma(r, alpha) (alpha per time unit), dropout probability ~ Beta(a, b). */
export interface BgNbdParams {
  /** Shape of the purchase-rate Gamma. */
  r: number;
  /** Scale of the purchase-rate Gamma, in the fit's time unit (the mean rate is r/alpha purchases per unit). */
  alpha: number;
  /** First shape of the dropout Beta (the mean dropout chance after a purchase is a/(a+b)). */
  a: number;
  /** Second shape of the dropout Beta. */
  b: number;
}
/** Pareto/NBD: purchase rate ~ Gamma(r, alpha), dropout rate ~ Gamma(s, beta). */
export interface ParetoNbdParams {
  /** Shape of the purchase-rate Gamma. */
  r: number;
  /** Scale of the purchase-rate Gamma, in the fit's time unit (the mean rate is r/alpha purchases per unit). */
  alpha: number;
  /** Shape of the dropout-rate Gamma. */
  s: number;
  /** Scale of the dropout-rate Gamma, in the fit's time unit (the mean dropout rate is s/beta per unit). */
  beta: number;
}
/** Gamma-Gamma: transaction value ~ Gamma(p, nu), nu ~ Gamma(q, v). */
export interface GammaGammaParams {
  /** Shape of a transaction's value given the customer's nu. */
  p: number;
  /** Shape of the Gamma of nu across customers. */
  q: number;
  /** Scale of the Gamma of nu (the mean order value is p·v/(q − 1) for q > 1). */
  v: number;
}
/** Parameters of any of the models. */
export type RepurchaseParams = BgNbdParams | ParetoNbdParams | GammaGammaParams;
"#;

/// A fitted (or given) repurchase model. Create one with `fitBgNbd`,
/// `fitModifiedBgNbd`, `fitParetoNbd`, `fitGammaGamma` or `repurchaseModel`;
/// call `free()` when done. Times are in the data's own unit (the unit the
/// model was fitted in).
#[wasm_bindgen(js_name = RepurchaseModel)]
pub struct RepurchaseModel {
    pub(crate) model: Model,
    pub(crate) fit: Option<Fit>,
}

fn params_object(kind: ModelKind, values: &[f64]) -> JsValue {
    let mut o = JsObject::new();
    for (name, v) in kind.param_names().iter().zip(values) {
        o = o.set(name, *v);
    }
    o.build()
}

#[wasm_bindgen(js_class = RepurchaseModel)]
impl RepurchaseModel {
    /// The model: `"bgnbd"`, `"mbgnbd"`, `"paretonbd"` or `"gammagamma"`.
    #[wasm_bindgen(getter, unchecked_return_type = "RepurchaseModelName")]
    pub fn model(&self) -> String {
        self.model.kind().name().to_string()
    }

    /// Parameter values by name (`{ r, alpha, a, b }`, `{ r, alpha, s, beta }` or `{ p, q, v }`).
    #[wasm_bindgen(getter, unchecked_return_type = "RepurchaseParams")]
    pub fn params(&self) -> JsValue {
        params_object(self.model.kind(), &self.model.params())
    }

    /// Total log-likelihood of the fitted data in its own time unit
    /// (Fader–Hardie convention); undefined for a model built from parameters.
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> Option<f64> {
        self.fit.as_ref().map(|f| f.log_likelihood)
    }

    /// Standard errors by parameter name (inverse observed information; NaN
    /// when unavailable, e.g. at a boundary); undefined for a given model.
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "RepurchaseParams | undefined")]
    pub fn standard_errors(&self) -> JsValue {
        match &self.fit {
            Some(f) => params_object(self.model.kind(), &f.standard_errors),
            None => JsValue::UNDEFINED,
        }
    }

    /// Newton iterations of the fit (0 for a given model).
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> u32 {
        self.fit.as_ref().map_or(0, |f| f.iterations)
    }

    /// Whether the fit's convergence test passed (true for a given model).
    #[wasm_bindgen(getter)]
    pub fn converged(&self) -> bool {
        self.fit.as_ref().is_none_or(|f| f.converged)
    }

    /// Whether the maximum likelihood lies on the boundary of the parameter
    /// space (e.g. no dropout identified: a → 0); `message` explains.
    #[wasm_bindgen(getter)]
    pub fn boundary(&self) -> bool {
        self.fit.as_ref().is_some_and(|f| f.boundary)
    }

    /// Notes on convergence or the boundary ("" when there are none).
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        self.fit
            .as_ref()
            .map(|f| f.message.clone())
            .unwrap_or_default()
    }

    /// Number of customers (sum of weights) the fit used (0 for a given model).
    #[wasm_bindgen(getter)]
    pub fn customers(&self) -> f64 {
        self.fit.as_ref().map_or(0.0, |f| f.customers)
    }

    /// Total log-likelihood of customers under this transaction model, in
    /// the data's time unit.
    #[wasm_bindgen(js_name = logLikelihoodOf)]
    pub fn log_likelihood_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] recency: JsValue,
        #[wasm_bindgen(js_name = T, unchecked_param_type = "Numbers")] t: JsValue,
    ) -> JsResult<f64> {
        let (x, tx, tt) = customers(&frequency, &recency, &t)?;
        Ok(self.model.log_likelihood(&x, &tx, &tt, None)?)
    }
}

impl RepurchaseModel {
    /// A model from parameters, without a fit (e.g. one level of a fit with covariates).
    #[cfg(feature = "covariates")]
    pub(crate) fn given(model: Model) -> RepurchaseModel {
        RepurchaseModel { model, fit: None }
    }
}

fn wrap(fit: Fit) -> RepurchaseModel {
    RepurchaseModel {
        model: fit.model,
        fit: Some(fit),
    }
}

/// A transaction-model fit of `(frequency, recency, T)`.
type TransactionFit = fn(&[f64], &[f64], &[f64], &FitOptions) -> crate::Result<Fit>;

/// Reads the customers and the options, then fits with `fit`.
fn fit_transactions(
    fit: TransactionFit,
    [x, tx, tt]: CustomerArgs,
    options: Option<JsValue>,
) -> JsResult<RepurchaseModel> {
    let (x, tx, tt) = customers(x, tx, tt)?;
    let o = options::read_optional::<FitOptions>(options)?;
    Ok(wrap(fit(&x, &tx, &tt, &o)?))
}

customer_fits! {
    RepurchaseModel [] {
        fitBgNbd => fit_bg_nbd, fit_transactions(repurchase::fit_bg_nbd),
            "Fits BG/NBD by maximum likelihood (analytic gradient and Hessian) to"
            "customers `(frequency, recency, T)` in any one time unit.";
        fitModifiedBgNbd => fit_modified_bg_nbd, fit_transactions(repurchase::fit_modified_bg_nbd),
            "Fits MBG/NBD (dropout possible right after the first purchase).";
        fitParetoNbd => fit_pareto_nbd, fit_transactions(repurchase::fit_pareto_nbd),
            "Fits Pareto/NBD (₂F₁ terms rearranged to positive series, log space;"
            "analytic gradient, quasi-Newton).";
    }
}

/// Fits the Gamma-Gamma spend model to repeat customers (x > 0) from their
/// mean repeat-transaction value `monetary`; x = 0 rows are ignored.
#[wasm_bindgen(js_name = fitGammaGamma)]
pub fn fit_gamma_gamma(
    #[wasm_bindgen(unchecked_param_type = "Numbers")] frequency: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Numbers")] monetary: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FitOptions")] options: Option<JsValue>,
) -> JsResult<RepurchaseModel> {
    let x = read::numbers(At::arg("frequency"), &frequency)?;
    let m = read::numbers(At::arg("monetary"), &monetary)?;
    let o = options::read_optional::<FitOptions>(options)?;
    Ok(wrap(repurchase::fit_gamma_gamma(&x, &m, &o)?))
}

/// A model from known parameters (e.g. published ones), for prediction:
/// `repurchaseModel("bgnbd", { r, alpha, a, b })`, `"mbgnbd"` (same
/// names), `"paretonbd"` (`{ r, alpha, s, beta }`), `"gammagamma"`
/// (`{ p, q, v }`). Each parameter finite and in (0, 1e13].
#[wasm_bindgen(js_name = repurchaseModel)]
pub fn repurchase_model(
    #[wasm_bindgen(unchecked_param_type = "RepurchaseModelName")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RepurchaseParams")] params: JsValue,
) -> JsResult<RepurchaseModel> {
    let name = read::string(At::arg("model"), &model)?;
    let kind = ModelKind::parse(&crate::text::clip(&name).to_string())?;
    let names = kind.param_names();
    js::known_object(At::arg("params"), &params, &[], names)?;
    let r = Fields::new("params", &params);
    let mut values = Vec::with_capacity(names.len());
    for name in names {
        match r.number(name)? {
            Some(v) => values.push(v),
            None => return Err(js::required(r.at(name))),
        }
    }
    let model = Model::from_params(kind, &values)?;
    Ok(RepurchaseModel { model, fit: None })
}
