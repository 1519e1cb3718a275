//! The checks of a round's input against its settings.

use super::{Engagement, RoundInput, RoundSettings};
use crate::validate;
use crate::{Error, Result};

fn check_column<T>(name: &str, col: &[T], n: usize, of: &str) -> Result<()> {
    if col.len() != n {
        return Err(Error::invalid(format!(
            "{name} has {} elements but there are {n} {of}",
            col.len()
        )));
    }
    Ok(())
}

/// Rejects any element that is not finite and > 0, naming it (the message
/// is only formatted for the offending element).
///
/// ```
/// use shijing::allocation::round::all_positive;
/// assert!(all_positive("alpha", &[1.0, 0.5]).is_ok());
/// assert_eq!(all_positive("alpha", &[1.0, 0.0]).unwrap_err().to_string(), "alpha[1] must be > 0, got 0");
/// ```
pub fn all_positive(name: &str, xs: &[f64]) -> Result<()> {
    // A branch-free pass first (it vectorizes); the position only on failure.
    let ok = xs
        .iter()
        .fold(true, |ok, &x| ok & (x > 0.0) & (x < f64::INFINITY));
    if ok {
        return Ok(());
    }
    match xs.iter().position(|&x| !(x.is_finite() && x > 0.0)) {
        Some(i) => validate::positive(&format!("{name}[{i}]"), xs[i]),
        None => Ok(()),
    }
}

/// Validates the columns against each other and the settings.
///
/// ```
/// # use shijing::allocation::{allocate, Engagement, RoundInput, RoundSettings};
/// # let owner = [0u32, 0, 1, 2];
/// # let score = [0.05, 0.01, 0.03, 0.02];
/// # let input = RoundInput {
/// #     creators: 3,
/// #     item_creator: &owner,
/// #     engagement: Engagement::Score(&score),
/// #     value: None,
/// #     tier: None,
/// #     used: None,
/// #     new_merchant: None,
/// #     merit: Default::default(),
/// # };
/// # let settings = RoundSettings {
/// #     budget: 1_000_000.0,
/// #     tier_quotas: vec![f64::INFINITY],
/// #     tier_weights: vec![1.0],
/// #     seed: Some(7),
/// #     ..RoundSettings::default()
/// # };
/// use shijing::allocation::round::validate_input;
/// let bad = [0u32, 5, 1, 2];
/// let err = validate_input(&RoundInput { item_creator: &bad, ..input }, &settings, "").unwrap_err();
/// assert_eq!(err.to_string(), "items.creator[1] is 5 but there are only 3 creators");
/// # Ok::<(), shijing::Error>(())
/// ```
pub fn validate_input(input: &RoundInput, settings: &RoundSettings, prefix: &str) -> Result<()> {
    let n = input.item_creator.len();
    let m = input.creators;
    let items = format!("{prefix}items.");
    let creators = format!("{prefix}creators.");
    validate::non_empty(&format!("{items}creator"), n)?;
    validate::max_len(&format!("{items}creator"), n, validate::MAX_ELEMENTS)?;
    validate::count_in(&format!("{creators}count"), m, 1, validate::MAX_ELEMENTS)?;
    for (i, &c) in input.item_creator.iter().enumerate() {
        if c as usize >= m {
            return Err(Error::invalid(format!(
                "{items}creator[{i}] is {c} but there are only {m} creators"
            )));
        }
    }
    match input.engagement {
        Engagement::Score(s) => {
            check_column(&format!("{items}score"), s, n, "items")?;
            validate::all_finite_non_negative(&format!("{items}score"), s)?;
        }
        Engagement::Posterior { alpha, beta } => {
            for (name, col) in [("alpha", alpha), ("beta", beta)] {
                let name = format!("{items}{name}");
                check_column(&name, col, n, "items")?;
                all_positive(&name, col)?;
            }
        }
    }
    if let Some(v) = input.value {
        check_column(&format!("{items}value"), v, n, "items")?;
        validate::all_finite_non_negative(&format!("{items}value"), v)?;
    }
    if let Some(t) = input.tier {
        check_column(&format!("{items}tier"), t, n, "items")?;
        let l = settings.tier_quotas.len();
        for (i, &x) in t.iter().enumerate() {
            if x as usize >= l {
                return Err(Error::invalid(format!(
                    "{items}tier[{i}] is {x} but there are only {l} tiers"
                )));
            }
        }
    }
    if let Some(u) = input.used {
        check_column(&format!("{items}used"), u, n, "items")?;
        validate::all_finite_non_negative(&format!("{items}used"), u)?;
    }
    if let Some(f) = input.new_merchant {
        check_column(&format!("{creators}newMerchant"), f, m, "creators")?;
    }
    let sig = &input.merit;
    for (name, col) in [
        ("diligence", sig.diligence),
        ("fanOperation", sig.fan_operation),
        ("spend", sig.spend),
        ("gmv", sig.gmv),
    ] {
        if let Some(c) = col {
            let name = format!("{creators}{name}");
            check_column(&name, c, m, "creators")?;
            validate::all_finite_non_negative(&name, c)?;
        }
    }
    Ok(())
}
