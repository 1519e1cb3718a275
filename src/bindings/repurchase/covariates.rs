//! JS bindings for [`crate::repurchase::covariates`]: the fits with static
//! covariates (`fitBgNbdWithCovariates`, `fitModifiedBgNbdWithCovariates`,
//! `fitParetoNbdWithCovariates`), the `CovariateRepurchaseModel` class
//! (coefficients with lifts, per-customer predictions that take each
//! customer's covariates, `modelFor` one covariate row) and `oneHot` (a
//! string column as indicator columns).
//!
//! A separate class, not an option of `fitBgNbd`: every per-customer
//! prediction of a model with covariates needs the customers' covariates,
//! so its methods take them as a required argument (a `RepurchaseModel`'s
//! would silently predict for the reference customer without them).

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::{
    customer_fits, customer_methods, customers, horizon_customers, CustomerArgs, HorizonArgs,
    RepurchaseModel,
};
use crate::bindings::js::{self, At, JsResult, Thrown};
use crate::bindings::options::{self, js_options};
use crate::bindings::read::{self, Seq};
use crate::bindings::write::JsObject;
use crate::repurchase::covariates::{self, MAX_COLUMNS};
use crate::repurchase::{CovariateFit, CovariateModel, Covariates, FitOptions, ModelKind};
use crate::validate::MAX_ELEMENTS;

/// Which columns enter a process.
#[derive(Debug, Clone, Default)]
pub enum Selection {
    /// Every column (the default).
    #[default]
    All,
    /// None: the process has no covariates.
    Off,
    /// These columns, by name.
    Names(Vec<String>),
}

/// The covariate table as read from JS.
#[derive(Debug, Clone, Default)]
pub struct CovariateArgs {
    names: Vec<String>,
    values: Table,
    purchase: Selection,
    dropout: Selection,
}

/// Covariate values: one flat row-major column or one row per customer.
#[derive(Debug, Clone)]
pub enum Table {
    /// Customers × columns, row-major.
    Flat(Vec<f64>),
    /// One row per customer.
    Rows(Vec<Vec<f64>>),
}

impl Default for Table {
    fn default() -> Self {
        Table::Flat(Vec::new())
    }
}

js_options! {
    /// Customer covariates (time-invariant, e.g. the channel of the first order), one row per customer in the order of `frequency`. Effects follow CLVTools: purchase `alpha_i = alpha·exp(−γ·z_i)` (`exp(γ)` multiplies the mean purchase rate); Pareto/NBD dropout `beta_i = beta·exp(−γ·z_i)` (`exp(γ)` multiplies the mean dropout rate); BG/NBD dropout `a_i, b_i = (a, b)·exp(γ·z_i)` (`exp(γ)` scales the dropout Beta's concentration; the mean dropout probability does not move). `oneHot` turns a string column into such a table.
    options "CovariateTable" for CovariateArgs {
        "names" => names: req_with(read_names) as "string[]", "Column names: distinct, non-empty, at most 64.";
        "values" => values: req_with(read_table) as "Numbers | Numbers[]", "One row of `names.length` numbers per customer (an array of rows), or all rows in one row-major Float64Array; finite, |value| ≤ 1e6 (standardize larger covariates).";
        "purchase" => purchase: with(read_selection) as "boolean | string[]", "Columns acting on the purchase rate: `true` (default) all, `false` none, or a list of names.";
        "dropout" => dropout: with(read_selection) as "boolean | string[]", "Columns acting on dropout: `true` (default) all, `false` none, or a list of names.";
    }
}

/// Options for `oneHot`.
#[derive(Debug, Clone, Default)]
pub struct OneHotArgs {
    reference: Option<String>,
}

js_options! {
    /// Options for `oneHot`.
    options "OneHotOptions" for OneHotArgs {
        "reference" => reference: with(read_reference) as "string", "The reference level (all indicators 0; each coefficient is a contrast with it); default the most frequent level.";
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** One fitted covariate coefficient γ. */
export interface CovariateCoefficient {
  /** The covariate (column) name. */
  name: string;
  /** The process it acts on. */
  process: "purchase" | "dropout";
  /** γ (0 when not identified). */
  estimate: number;
  /** Its standard error (NaN when not identified or unavailable). */
  standardError: number;
  /** exp(γ): the factor one unit of the covariate (one level against the reference) multiplies the mean purchase rate by (purchase), the mean dropout rate by (Pareto/NBD dropout) or the dropout Beta's concentration a + b by ((M)BG/NBD dropout). */
  lift: number;
  /** exp(γ − 1.96·SE): the 95% interval's lower end of `lift` (NaN without a standard error). */
  liftLow: number;
  /** exp(γ + 1.96·SE). */
  liftHigh: number;
  /** False when the column is constant over the customers (held at γ = 0). */
  identified: boolean;
}

/** A string column as 0/1 indicator columns, ready as a `CovariateTable` (`{ names, values }`). */
export interface OneHot {
  /** Indicator columns: every level but the reference, most frequent first. */
  names: string[];
  /** Row-major indicators, `names.length` per input row. */
  values: Float64Array;
  /** The reference level (all indicators 0). */
  reference: string;
  /** Every level, most frequent first. */
  levels: string[];
  /** Rows per level (same order as `levels`). */
  counts: Uint32Array;
}
"#;

const STRINGS: &str = "an array of strings";

/// An array of strings (at most `max`).
fn read_strings(at: At, value: &JsValue, max: usize) -> JsResult<Vec<String>> {
    let mut out = Vec::new();
    let seq = Seq {
        expected: STRINGS,
        max,
        walk: read::sequence,
    };
    let typed = read::sequence(at, value, seq, &mut |at, v| {
        out.push(read::string(at, v)?);
        Ok(())
    })?;
    if typed.is_some() {
        return Err(js::wrong_type(at, STRINGS, value));
    }
    Ok(out)
}

fn read_names(at: At, value: &JsValue) -> JsResult<Option<Vec<String>>> {
    read_strings(at, value, MAX_COLUMNS).map(Some)
}

fn read_reference(at: At, value: &JsValue) -> JsResult<Option<Option<String>>> {
    if read::is_nullish(value) {
        return Ok(None);
    }
    read::string(at, value).map(|s| Some(Some(s)))
}

fn read_selection(at: At, value: &JsValue) -> JsResult<Option<Selection>> {
    if value.is_null() {
        return Ok(None);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Some(if b { Selection::All } else { Selection::Off }));
    }
    if !js::is_array(value).map_err(|e| js::threw(at, e))? {
        return Err(js::wrong_type(at, "a boolean or an array of names", value));
    }
    read_strings(at, value, MAX_COLUMNS).map(|v| Some(Selection::Names(v)))
}

/// `Numbers` (flat) or an array of `Numbers` rows.
fn read_table(at: At, value: &JsValue) -> JsResult<Option<Table>> {
    read_values(at, value).map(Some)
}

fn read_values(at: At, value: &JsValue) -> JsResult<Table> {
    let rows = js::typed_array(value).is_none()
        && js::is_array(value).map_err(|e| js::threw(at, e))?
        && js::get_index(value, 0)
            .map_err(|e| js::threw(at.at(0), e))?
            .is_object();
    if !rows {
        return Ok(Table::Flat(read::numbers(at, value)?));
    }
    let mut out: Vec<Vec<f64>> = Vec::new();
    let mut total = 0usize;
    let seq = Seq {
        expected: "an array of rows (Float64Arrays or arrays of numbers) or one Float64Array",
        max: MAX_ELEMENTS,
        walk: read::sequence,
    };
    read::sequence(at, value, seq, &mut |at, v| {
        let row = read::numbers(at, v)?;
        total += row.len();
        if total > MAX_ELEMENTS {
            return Err(Thrown::range_error(format!(
                "{at}: the table has more than {MAX_ELEMENTS} values; at most {MAX_ELEMENTS} are supported"
            )));
        }
        out.push(row);
        Ok(())
    })?;
    Ok(Table::Rows(out))
}

impl Table {
    /// Row-major values, each row checked to have `k` values.
    fn flatten(self, path: &str, k: usize) -> JsResult<Vec<f64>> {
        match self {
            Table::Flat(v) => Ok(v),
            Table::Rows(rows) => {
                let mut out = Vec::with_capacity(rows.len() * k);
                for (i, row) in rows.into_iter().enumerate() {
                    if row.len() != k {
                        return Err(Thrown::range_error(format!(
                            "{path}[{i}] has {} values; each row needs {k} (one per name)",
                            row.len()
                        )));
                    }
                    out.extend(row);
                }
                Ok(out)
            }
        }
    }
}

impl CovariateArgs {
    /// The core table: names, values and the processes' column indices.
    fn into_covariates(self) -> JsResult<Covariates> {
        let k = self.names.len();
        let names = self.names;
        let resolve = |what: &str, sel: Selection| -> JsResult<Vec<usize>> {
            Ok(match sel {
                Selection::All => (0..k).collect(),
                Selection::Off => Vec::new(),
                Selection::Names(list) => {
                    let mut out = Vec::with_capacity(list.len());
                    for (i, n) in list.iter().enumerate() {
                        match names.iter().position(|m| m == n) {
                            Some(j) => out.push(j),
                            None => {
                                return Err(Thrown::range_error(format!(
                                    "covariates.{what}[{i}] is {:?}, not one of covariates.names",
                                    crate::text::clip(n).to_string()
                                )))
                            }
                        }
                    }
                    out
                }
            })
        };
        let purchase = resolve("purchase", self.purchase)?;
        let dropout = resolve("dropout", self.dropout)?;
        let values = self.values.flatten("covariates.values", k)?;
        Ok(Covariates {
            names,
            values,
            purchase,
            dropout,
        })
    }
}

/// A transaction model fitted with static customer covariates. Create one
/// with `fitBgNbdWithCovariates`, `fitModifiedBgNbdWithCovariates` or
/// `fitParetoNbdWithCovariates`; call `free()` when done. Every
/// per-customer prediction takes the customers' covariates, one row per
/// customer with the columns of `names`.
#[wasm_bindgen(js_name = CovariateRepurchaseModel)]
pub struct CovariateRepurchaseModel {
    fit: CovariateFit,
}

/// Customer covariate values: rows (or one row-major column) of `k` values for `n` customers.
fn covariate_values(value: &JsValue, k: usize) -> JsResult<Vec<f64>> {
    read_values(At::arg("covariates"), value)?.flatten("covariates", k)
}

/// A per-customer prediction (or a total over them), each customer under its covariates.
type OfCustomers<R> = fn(&CovariateModel, &[f64], &[f64], &[f64], &[f64]) -> crate::Result<R>;

/// A per-customer prediction over a horizon, each customer under its covariates.
type AtHorizon =
    fn(&CovariateModel, f64, &[f64], &[f64], &[f64], &[f64]) -> crate::Result<Vec<f64>>;

impl CovariateRepurchaseModel {
    /// Reads the customers and their covariates, then predicts with `f`.
    fn of_customers<R>(
        &self,
        f: OfCustomers<R>,
        [x, tx, tt]: CustomerArgs,
        covariates: &JsValue,
    ) -> JsResult<R> {
        let (x, tx, tt) = customers(x, tx, tt)?;
        let z = covariate_values(covariates, self.fit.model.names.len())?;
        Ok(f(&self.fit.model, &x, &tx, &tt, &z)?)
    }

    /// Reads the horizon, the customers and their covariates, then
    /// predicts with `f`.
    fn at_horizon(
        &self,
        f: AtHorizon,
        args: HorizonArgs,
        covariates: &JsValue,
    ) -> JsResult<Vec<f64>> {
        let (h, (x, tx, tt)) = horizon_customers(args)?;
        let z = covariate_values(covariates, self.fit.model.names.len())?;
        Ok(f(&self.fit.model, h, &x, &tx, &tt, &z)?)
    }
}

customer_methods! {
    CovariateRepurchaseModel(CovariateModel, covariates: "Numbers | Numbers[]") {
        probabilityAlive() -> Vec<f64> => probability_alive,
            "P(alive at T) per customer, each under its covariates.";
        expectedPurchases(t) -> Vec<f64> => expected_purchases,
            "Expected purchases in the next `t` time units per customer.";
        probabilityOfRepurchase(t) -> Vec<f64> => probability_of_repurchase,
            "P(at least one purchase in the next `t` time units) per customer.";
        logLikelihoodOf() -> f64 => log_likelihood_of = log_likelihood,
            "Total log-likelihood of customers, each under its covariates.";
    }
}

#[wasm_bindgen(js_class = CovariateRepurchaseModel)]
impl CovariateRepurchaseModel {
    /// The model: `"bgnbd"`, `"mbgnbd"` or `"paretonbd"`.
    #[wasm_bindgen(getter, unchecked_return_type = "RepurchaseModelName")]
    pub fn model(&self) -> String {
        self.fit.model.base.kind().name().to_string()
    }

    /// The base parameters: those of a customer whose covariates are all 0
    /// (with one-hot levels: the reference level).
    #[wasm_bindgen(getter, unchecked_return_type = "BgNbdParams | ParetoNbdParams")]
    pub fn params(&self) -> JsValue {
        let kind = self.fit.model.base.kind();
        params_object(kind, &self.fit.model.base.params())
    }

    /// Standard errors of the base parameters by name (NaN when unavailable).
    #[wasm_bindgen(getter, js_name = standardErrors, unchecked_return_type = "BgNbdParams | ParetoNbdParams")]
    pub fn standard_errors(&self) -> JsValue {
        params_object(self.fit.model.base.kind(), &self.fit.standard_errors)
    }

    /// The covariate table's column names (the columns predictions take).
    #[wasm_bindgen(getter)]
    pub fn names(&self) -> Vec<String> {
        self.fit.model.names.clone()
    }

    /// The coefficients: purchase ones, then dropout ones.
    #[wasm_bindgen(getter, unchecked_return_type = "CovariateCoefficient[]")]
    pub fn coefficients(&self) -> JsValue {
        let out = Array::new();
        for c in &self.fit.coefficients {
            let (lo, hi) = (
                (c.estimate - 1.96 * c.standard_error).exp(),
                (c.estimate + 1.96 * c.standard_error).exp(),
            );
            out.push(
                &JsObject::new()
                    .set("name", c.name.as_str())
                    .set("process", c.process.name())
                    .set("estimate", c.estimate)
                    .set("standardError", c.standard_error)
                    .set("lift", c.lift())
                    .set("liftLow", lo)
                    .set("liftHigh", hi)
                    .set("identified", c.identified)
                    .build(),
            );
        }
        out.into()
    }

    /// Total log-likelihood of the fitted data (data's time unit).
    #[wasm_bindgen(getter, js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> f64 {
        self.fit.log_likelihood
    }

    /// Log-likelihood of the same model fitted without covariates; twice
    /// the difference is the likelihood-ratio statistic (χ² with as many
    /// degrees of freedom as identified coefficients).
    #[wasm_bindgen(getter, js_name = logLikelihoodWithout)]
    pub fn log_likelihood_without(&self) -> f64 {
        self.fit.log_likelihood_without
    }

    /// Newton iterations after the fit without covariates.
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> u32 {
        self.fit.iterations
    }

    /// Whether the convergence test passed.
    #[wasm_bindgen(getter)]
    pub fn converged(&self) -> bool {
        self.fit.converged
    }

    /// Whether the likelihood keeps rising toward a limit (e.g. a level
    /// whose customers all stop buying: its dropout coefficient runs off);
    /// `message` names the estimates that stand for the limit (their
    /// standard errors are NaN).
    #[wasm_bindgen(getter)]
    pub fn boundary(&self) -> bool {
        self.fit.boundary
    }

    /// Notes on convergence, limits, standard errors or constant columns ("" when none).
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        self.fit.message.clone()
    }

    /// Number of customers (sum of weights) fitted.
    #[wasm_bindgen(getter)]
    pub fn customers(&self) -> f64 {
        self.fit.customers
    }

    /// The plain model of customers whose covariates are `row` (one value
    /// per name): its predictions (`newCustomerRepurchase`,
    /// `merchantSummary`, …) are those of that group, e.g. one channel.
    #[wasm_bindgen(js_name = modelFor)]
    pub fn model_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Numbers")] row: JsValue,
    ) -> JsResult<RepurchaseModel> {
        let z = read::numbers(At::arg("row"), &row)?;
        let k = self.fit.model.names.len();
        if z.len() != k {
            return Err(Thrown::range_error(format!(
                "row has {} values; it needs {k} (one per name)",
                z.len()
            )));
        }
        crate::validate::all_finite("row", &z)?;
        Ok(RepurchaseModel::given(self.fit.model.customer(&z)))
    }
}

fn params_object(kind: ModelKind, values: &[f64]) -> JsValue {
    let mut o = JsObject::new();
    for (name, v) in kind.param_names().iter().zip(values) {
        o = o.set(name, *v);
    }
    o.build()
}

/// Reads the customers, the covariate table and the options, then fits `kind`.
fn fit_kind(
    kind: ModelKind,
    [x, tx, tt]: CustomerArgs,
    covariates: &JsValue,
    options: Option<JsValue>,
) -> JsResult<CovariateRepurchaseModel> {
    let (x, tx, tt) = customers(x, tx, tt)?;
    let args: CovariateArgs = {
        let mut a = CovariateArgs::default();
        options::read_into("covariates", covariates, &mut a)?;
        a
    };
    let cov = args.into_covariates()?;
    let o = options::read_optional::<FitOptions>(options)?;
    let fit = covariates::fit_with_covariates(kind, &x, &tx, &tt, &cov, &o)?;
    Ok(CovariateRepurchaseModel { fit })
}

customer_fits! {
    CovariateRepurchaseModel [covariates: "CovariateTable"] {
        fitBgNbdWithCovariates => fit_bg_nbd_with_covariates, fit_kind(ModelKind::BgNbd),
            "Fits BG/NBD with static customer covariates (CLVTools' form: see"
            "`CovariateTable`) by maximum likelihood, starting from the fit without"
            "them; analytic gradient and Hessian, standard errors from the observed"
            "information.";
        fitModifiedBgNbdWithCovariates => fit_modified_bg_nbd_with_covariates, fit_kind(ModelKind::ModifiedBgNbd),
            "Fits MBG/NBD with static customer covariates (as `fitBgNbdWithCovariates`).";
        fitParetoNbdWithCovariates => fit_pareto_nbd_with_covariates, fit_kind(ModelKind::ParetoNbd),
            "Fits Pareto/NBD with static customer covariates (as `fitBgNbdWithCovariates`).";
    }
}

/// A string column (e.g. the channel of each customer's first order:
/// 直播间 / 短视频 / 商品卡) as 0/1 indicator columns, one per level but
/// the reference: pass `{ names, values }` as a `CovariateTable`.
#[wasm_bindgen(js_name = oneHot, unchecked_return_type = "OneHot")]
pub fn one_hot(
    #[wasm_bindgen(unchecked_param_type = "string[]")] column: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "OneHotOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let col = read_strings(At::arg("column"), &column, MAX_ELEMENTS)?;
    let o = options::read_optional::<OneHotArgs>(options)?;
    let oh = covariates::one_hot(&col, o.reference.as_deref())?;
    let strings = |v: &[String]| -> Array { v.iter().map(|s| JsValue::from_str(s)).collect() };
    Ok(JsObject::new()
        .set("names", strings(&oh.names))
        .f64s("values", &oh.values)
        .set("reference", oh.reference.as_str())
        .set("levels", strings(&oh.levels))
        .u32s("counts", &oh.counts)
        .build())
}
