//! Fitted models: one [`Model`] enum over the four models so bindings and the
//! simulation can predict generically, maximum-likelihood fitting with
//! standard errors and boundary detection, and parameter validation for
//! models built from published parameters.

#![allow(clippy::needless_range_loop)] // small fixed-size matrix code reads best with indices
mod fit;

pub use fit::{fit_bg, fit_gamma_gamma, fit_pareto, Fit, FitOptions, Limit};

use super::bgnbd::{BgParams, Variant};
use super::data;
use super::gamma_gamma::GammaGammaParams;
use super::pareto_nbd::ParetoParams;
use crate::text::num;
use crate::{Error, Result};

/// Which model.
///
/// ```
/// # use shijing::repurchase::{Model, ModelKind};
/// // BG/NBD takes r, α, a, b: a model built from four of them is a BG/NBD.
/// let m = Model::from_params(ModelKind::BgNbd, &[0.243, 4.414, 0.793, 2.426]).unwrap();
/// assert_eq!(m.kind(), ModelKind::BgNbd);
/// assert_eq!(ModelKind::BgNbd.param_names().len(), m.params().len());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// BG/NBD.
    BgNbd,
    /// MBG/NBD.
    ModifiedBgNbd,
    /// Pareto/NBD.
    ParetoNbd,
    /// Gamma-Gamma spend.
    GammaGamma,
}

impl ModelKind {
    /// The model's name as used in the JS API: `"bgnbd"`, `"mbgnbd"`,
    /// `"paretonbd"`, `"gammagamma"`.
    ///
    /// ```
    /// # use shijing::repurchase::ModelKind;
    /// assert_eq!(ModelKind::ModifiedBgNbd.name(), "mbgnbd");
    /// for k in [ModelKind::BgNbd, ModelKind::ModifiedBgNbd, ModelKind::ParetoNbd, ModelKind::GammaGamma] {
    ///     assert_eq!(ModelKind::parse(k.name()).unwrap(), k);
    /// }
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::BgNbd => "bgnbd",
            ModelKind::ModifiedBgNbd => "mbgnbd",
            ModelKind::ParetoNbd => "paretonbd",
            ModelKind::GammaGamma => "gammagamma",
        }
    }

    /// Parses a model name (the names of [`ModelKind::name`]).
    ///
    /// ```
    /// # use shijing::repurchase::ModelKind;
    /// assert_eq!(ModelKind::parse("paretonbd").unwrap(), ModelKind::ParetoNbd);
    /// let err = ModelKind::parse("bg").unwrap_err();
    /// assert_eq!(
    ///     err.message(),
    ///     r#"model must be one of "bgnbd", "mbgnbd", "paretonbd", "gammagamma", got "bg""#
    /// );
    /// ```
    pub fn parse(name: &str) -> Result<ModelKind> {
        match name {
            "bgnbd" => Ok(ModelKind::BgNbd),
            "mbgnbd" => Ok(ModelKind::ModifiedBgNbd),
            "paretonbd" => Ok(ModelKind::ParetoNbd),
            "gammagamma" => Ok(ModelKind::GammaGamma),
            other => Err(Error::invalid(format!(
                "model must be one of \"bgnbd\", \"mbgnbd\", \"paretonbd\", \"gammagamma\", got {other:?}"
            ))),
        }
    }

    /// Parameter names in order.
    ///
    /// ```
    /// # use shijing::repurchase::ModelKind;
    /// assert_eq!(ModelKind::ParetoNbd.param_names(), ["r", "alpha", "s", "beta"]);
    /// assert_eq!(ModelKind::GammaGamma.param_names(), ["p", "q", "v"]);
    /// ```
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            ModelKind::BgNbd | ModelKind::ModifiedBgNbd => &["r", "alpha", "a", "b"],
            ModelKind::ParetoNbd => &["r", "alpha", "s", "beta"],
            ModelKind::GammaGamma => &["p", "q", "v"],
        }
    }
}

/// A model with its parameters.
///
/// ```
/// # use shijing::repurchase::{Model, ModelKind};
/// // Fader, Hardie & Lee's CDNOW estimates. Under BG/NBD a customer drops out
/// // only after a purchase, so one without a repeat purchase is alive for sure.
/// let m = Model::from_params(ModelKind::BgNbd, &[0.243, 4.414, 0.793, 2.426]).unwrap();
/// let Model::BgNbd(p) = m else { unreachable!() };
/// assert_eq!((p.r, p.alpha, p.a, p.b), (0.243, 4.414, 0.793, 2.426));
/// assert_eq!(m.probability_alive(&[0.0], &[0.0], &[30.0]).unwrap(), vec![1.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// BG/NBD.
    BgNbd(BgParams),
    /// MBG/NBD.
    ModifiedBgNbd(BgParams),
    /// Pareto/NBD.
    ParetoNbd(ParetoParams),
    /// Gamma-Gamma.
    GammaGamma(GammaGammaParams),
}

/// Smallest parameter value accepted from callers: the numerically
/// supported range is [1e-13, 1e13], the range fits search (a boundary fit
/// returns its limits as 1e-13 or 1e13).
///
/// ```
/// # use shijing::repurchase::{Model, ModelKind, MAX_PARAM, MIN_PARAM};
/// assert!(Model::from_params(ModelKind::GammaGamma, &[MIN_PARAM, 1.0, MAX_PARAM]).is_ok());
/// let err = Model::from_params(ModelKind::GammaGamma, &[MAX_PARAM * 10.0, 1.0, 1.0]).unwrap_err();
/// assert_eq!(
///     err.message(),
///     "params.p must be in [1e-13, 10000000000000] (the numerically supported range), got 100000000000000"
/// );
/// ```
pub const MIN_PARAM: f64 = 1e-13;
/// Largest parameter value accepted from callers (see [`MIN_PARAM`]).
///
/// ```
/// # use shijing::repurchase::{Model, ModelKind, MAX_PARAM};
/// assert!(Model::from_params(ModelKind::GammaGamma, &[1.0, 2.0, MAX_PARAM]).is_ok());
/// assert!(Model::from_params(ModelKind::GammaGamma, &[1.0, 2.0, 2.0 * MAX_PARAM]).is_err());
/// ```
pub const MAX_PARAM: f64 = 1e13;

impl Model {
    /// Builds a model from parameters in [`ModelKind::param_names`] order,
    /// each in [1e-13, 1e13].
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// let kind = ModelKind::parse("bgnbd").unwrap();
    /// assert_eq!(kind.param_names(), ["r", "alpha", "a", "b"]);
    /// let m = Model::from_params(kind, &[0.2426, 4.4136, 0.7929, 2.4259]).unwrap();
    /// assert_eq!(m.params(), vec![0.2426, 4.4136, 0.7929, 2.4259]);
    /// assert!(Model::from_params(kind, &[0.2426, -1.0, 0.7929, 2.4259]).is_err());
    /// ```
    pub fn from_params(kind: ModelKind, params: &[f64]) -> Result<Model> {
        let names = kind.param_names();
        if params.len() != names.len() {
            return Err(Error::invalid(format!(
                "{} needs {} parameters ({}), got {}",
                kind.name(),
                names.len(),
                names.join(", "),
                params.len()
            )));
        }
        for (name, &v) in names.iter().zip(params) {
            crate::validate::positive(&format!("params.{name}"), v)?;
            if !(MIN_PARAM..=MAX_PARAM).contains(&v) {
                return Err(Error::invalid(format!(
                    "params.{name} must be in [{}, {}] (the numerically supported range), got {}",
                    num(MIN_PARAM),
                    num(MAX_PARAM),
                    num(v)
                )));
            }
        }
        let p = |i: usize| params.get(i).copied().unwrap_or(1.0);
        Ok(match kind {
            ModelKind::BgNbd => Model::BgNbd(BgParams {
                r: p(0),
                alpha: p(1),
                a: p(2),
                b: p(3),
            }),
            ModelKind::ModifiedBgNbd => Model::ModifiedBgNbd(BgParams {
                r: p(0),
                alpha: p(1),
                a: p(2),
                b: p(3),
            }),
            ModelKind::ParetoNbd => Model::ParetoNbd(ParetoParams {
                r: p(0),
                alpha: p(1),
                s: p(2),
                beta: p(3),
            }),
            ModelKind::GammaGamma => Model::GammaGamma(GammaGammaParams {
                p: p(0),
                q: p(1),
                v: p(2),
            }),
        })
    }

    /// Which model this is.
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// let m = Model::from_params(ModelKind::ParetoNbd, &[0.55, 10.58, 0.61, 11.67]).unwrap();
    /// assert_eq!(m.kind(), ModelKind::ParetoNbd);
    /// ```
    pub fn kind(&self) -> ModelKind {
        match self {
            Model::BgNbd(_) => ModelKind::BgNbd,
            Model::ModifiedBgNbd(_) => ModelKind::ModifiedBgNbd,
            Model::ParetoNbd(_) => ModelKind::ParetoNbd,
            Model::GammaGamma(_) => ModelKind::GammaGamma,
        }
    }

    /// Parameter values in [`ModelKind::param_names`] order.
    ///
    /// ```
    /// # use shijing::repurchase::{GammaGammaParams, Model};
    /// let m = Model::GammaGamma(GammaGammaParams { p: 6.25, q: 3.74, v: 15.44 });
    /// assert_eq!(m.params(), [6.25, 3.74, 15.44]);
    /// ```
    pub fn params(&self) -> Vec<f64> {
        match self {
            Model::BgNbd(p) | Model::ModifiedBgNbd(p) => vec![p.r, p.alpha, p.a, p.b],
            Model::ParetoNbd(p) => vec![p.r, p.alpha, p.s, p.beta],
            Model::GammaGamma(p) => vec![p.p, p.q, p.v],
        }
    }

    /// Total log-likelihood of customers under a transaction model, in the
    /// data's own time unit (the Fader–Hardie convention).
    ///
    /// ```
    /// # use shijing::repurchase::{Model, ModelKind};
    /// let (r, alpha) = (0.25, 4.0);
    /// let m = Model::from_params(ModelKind::BgNbd, &[r, alpha, 0.8, 2.4]).unwrap();
    /// // No repeat purchase in T = 12: the BG/NBD likelihood is (α/(α+T))^r.
    /// let want = r * (alpha / (alpha + 12.0)).ln();
    /// let ll = m.log_likelihood(&[0.0], &[0.0], &[12.0], None).unwrap();
    /// assert!((ll - want).abs() < 1e-12);
    /// // A weight counts a row that many times.
    /// let twice = m.log_likelihood(&[0.0], &[0.0], &[12.0], Some(&[2.0])).unwrap();
    /// assert!((twice - 2.0 * want).abs() < 1e-12);
    /// ```
    pub fn log_likelihood(
        &self,
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        weights: Option<&[f64]>,
    ) -> Result<f64> {
        self.require_transactions("logLikelihood")?;
        data::check_customers(frequency, recency, t)?;
        data::check_weights(weights, frequency.len())?;
        let mut total = 0.0;
        for i in 0..frequency.len() {
            let w = weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0);
            if w > 0.0 {
                total += w * self.row_ll(frequency[i], recency[i], t[i]);
            }
        }
        Ok(total)
    }

    fn row_ll(&self, x: f64, tx: f64, t: f64) -> f64 {
        match self {
            Model::BgNbd(p) => p.log_likelihood(Variant::Bg, x, tx, t),
            Model::ModifiedBgNbd(p) => p.log_likelihood(Variant::Modified, x, tx, t),
            Model::ParetoNbd(p) => p.log_likelihood(x, tx, t),
            Model::GammaGamma(_) => f64::NAN,
        }
    }

    pub(crate) fn require_transactions(&self, what: &str) -> Result<()> {
        if let Model::GammaGamma(_) = self {
            return Err(Error::wrong_type(format!(
                "{what} needs a transaction model (bgnbd, mbgnbd or paretonbd); this is a gammagamma model"
            )));
        }
        Ok(())
    }

    pub(crate) fn require_spend(&self, what: &str) -> Result<GammaGammaParams> {
        match self {
            Model::GammaGamma(p) => Ok(*p),
            other => Err(Error::wrong_type(format!(
                "{what} needs a gammagamma model; this is a {} model",
                other.kind().name()
            ))),
        }
    }
}
