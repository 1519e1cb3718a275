//! A categorical column as 0/1 indicator columns.

use super::{MAX_COLUMNS, MAX_NAME};
use crate::validate;
use crate::{Error, Result};

///
/// ```
/// # use shijing::repurchase::one_hot;
/// let channel: Vec<String> = ["商品卡", "直播间", "直播间"].map(String::from).into();
/// let oh = one_hot(&channel, None).unwrap();
/// // The most frequent level is the reference; the others get a column each.
/// assert_eq!((oh.levels.clone(), oh.counts.clone()), (vec!["直播间".to_string(), "商品卡".into()], vec![2, 1]));
/// assert_eq!((oh.reference.as_str(), oh.names.clone()), ("直播间", vec!["商品卡".to_string()]));
/// assert_eq!(oh.values, [1.0, 0.0, 0.0]); // one indicator a row
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OneHot {
    /// Indicator column names: the levels other than the reference, most
    /// frequent first (ties: first seen first).
    pub names: Vec<String>,
    /// Row-major indicators, one row of `names.len()` per input value.
    pub values: Vec<f64>,
    /// The reference level (all indicators 0).
    pub reference: String,
    /// Every level, most frequent first, with its count in `counts`.
    pub levels: Vec<String>,
    /// Rows per level.
    pub counts: Vec<u32>,
}

/// One-hot coding of a string column (e.g. the channel of each customer's
/// first order: 直播间 / 短视频 / 商品卡). The reference level — whose
/// customers have all indicators 0, so every coefficient is a contrast with
/// it — is `reference` if given (it must occur), else the most frequent
/// level. Empty strings are a level like any other.
///
/// ```
/// # use shijing::repurchase::one_hot;
/// let channel: Vec<String> = ["直播间", "短视频", "直播间", "商品卡"].map(String::from).into();
/// let oh = one_hot(&channel, None).unwrap();
/// assert_eq!(oh.reference, "直播间"); // the most frequent
/// assert_eq!(oh.names, ["短视频", "商品卡"]); // a tie: first seen first
/// assert_eq!(oh.values, [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
/// assert_eq!(oh.counts, [2, 1, 1]);
/// assert!(one_hot(&channel, Some("小店")).is_err()); // the reference must occur
/// ```
pub fn one_hot(column: &[String], reference: Option<&str>) -> Result<OneHot> {
    validate::non_empty("column", column.len())?;
    validate::max_len("column", column.len(), validate::MAX_ELEMENTS)?;
    let mut levels: Vec<String> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut code = Vec::with_capacity(column.len());
    for (i, v) in column.iter().enumerate() {
        if v.chars().count() > MAX_NAME {
            return Err(Error::invalid(format!(
                "column[{i}] is longer than {MAX_NAME} characters"
            )));
        }
        let next = levels.len();
        // At most 65 levels: a linear search.
        let li = levels.iter().position(|l| l == v).unwrap_or(next);
        if li == next {
            if next > MAX_COLUMNS {
                return Err(Error::invalid(format!(
                    "column has more than {} distinct levels; group rare levels first",
                    MAX_COLUMNS + 1
                )));
            }
            levels.push(v.clone());
            counts.push(0);
        }
        if let Some(c) = counts.get_mut(li) {
            *c = c.saturating_add(1);
        }
        code.push(li);
    }
    // Most frequent first, ties by first appearance: an insertion sort of at
    // most 65 levels (stable; no further sort routine in the Wasm).
    let mut order: Vec<usize> = Vec::with_capacity(levels.len());
    for l in 0..levels.len() {
        let at = order
            .iter()
            .position(|&o| counts[o] < counts[l])
            .unwrap_or(order.len());
        order.insert(at, l);
    }
    let reference_level = match reference {
        Some(r) => order
            .iter()
            .copied()
            .find(|&l| levels[l] == r)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "reference {:?} is not a level of the column",
                    crate::text::clip(r).to_string()
                ))
            })?,
        None => order.first().copied().unwrap_or(0),
    };
    if levels.len() < 2 {
        return Err(Error::invalid(
            "column has a single level: there is nothing to compare it with",
        ));
    }
    let others: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&l| l != reference_level)
        .collect();
    let mut position = vec![usize::MAX; levels.len()];
    for (j, &l) in others.iter().enumerate() {
        position[l] = j;
    }
    let k = others.len();
    let mut values = vec![0.0; column.len() * k];
    for (i, &l) in code.iter().enumerate() {
        let j = position[l];
        if j != usize::MAX {
            values[i * k + j] = 1.0;
        }
    }
    Ok(OneHot {
        names: others.iter().map(|&l| levels[l].clone()).collect(),
        values,
        reference: levels[reference_level].clone(),
        levels: order.iter().map(|&l| levels[l].clone()).collect(),
        counts: order.iter().map(|&l| counts[l]).collect(),
    })
}
