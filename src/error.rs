//! The core's error type. Every fallible core function returns [`Result`];
//! nothing in the core panics on any input (a panic traps the Wasm instance).
//!
//! Each variant is a *kind* of error, and the JS bindings throw the class
//! that fits it: [`Error::WrongType`] a `TypeError`, [`Error::InvalidInput`]
//! a `RangeError`, the others a plain `Error`.

/// What went wrong, with a message that names the offending argument and the
/// rule it broke, e.g. `values[3] is NaN` or `giniMax must be in [0, 1), got 1.2`.
///
/// ```
/// # use shijing::{stats::gini, Error};
/// match gini(&[1.0, f64::NAN]) {
///     Err(Error::InvalidInput(m)) => assert_eq!(m, "values[1] is NaN"),
///     other => panic!("expected InvalidInput, got {other:?}"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An argument is of the wrong type or names an unknown field, e.g.
    /// `values must be a Float64Array or an array of numbers, got string`
    /// (JS `TypeError`).
    #[error("{0}")]
    WrongType(String),
    /// An argument's value is outside its documented range: NaN, infinite,
    /// negative, too large, not one of the allowed names, or arrays of
    /// mismatched lengths (JS `RangeError`).
    #[error("{0}")]
    InvalidInput(String),
    /// The request is well-formed but cannot be met (for example a Gini cap
    /// below what capping can reach when many creators have zero exposure)
    /// (JS `Error`).
    #[error("{0}")]
    Infeasible(String),
    /// The call does not fit the object's state, e.g. `observe()` with no
    /// round to observe (JS `Error`).
    #[error("{0}")]
    InvalidState(String),
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`]: a value out of range.
    ///
    /// ```
    /// # use shijing::Error;
    /// let e = Error::invalid("giniMax must be in [0, 1), got 1.2");
    /// assert_eq!(e, Error::InvalidInput("giniMax must be in [0, 1), got 1.2".into()));
    /// assert_eq!(e.to_string(), "giniMax must be in [0, 1), got 1.2");
    /// ```
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }

    /// Shorthand for [`Error::WrongType`]: a value of the wrong type.
    ///
    /// ```
    /// # use shijing::Error;
    /// let e = Error::wrong_type("values must be an array of numbers");
    /// assert!(matches!(e, Error::WrongType(_)));
    /// ```
    pub fn wrong_type(message: impl Into<String>) -> Self {
        Error::WrongType(message.into())
    }

    /// Shorthand for [`Error::InvalidState`]: a call the object's state does not allow.
    ///
    /// ```
    /// # use shijing::Error;
    /// let e = Error::state("no round to observe");
    /// assert!(matches!(e, Error::InvalidState(_)));
    /// ```
    pub fn state(message: impl Into<String>) -> Self {
        Error::InvalidState(message.into())
    }

    /// The message, the same text as `to_string()`, whatever the variant.
    ///
    /// ```
    /// # use shijing::Error;
    /// let e = Error::Infeasible("giniMax 0.1 is below what capping reaches".into());
    /// assert_eq!(e.message(), "giniMax 0.1 is below what capping reaches");
    /// assert_eq!(e.message(), e.to_string());
    /// // What a core call returns: a negative fraction is out of range.
    /// let err = shijing::stats::top_share(&[1.0, 2.0], -0.5).unwrap_err();
    /// assert_eq!(err.message(), "fraction must be in [0, 1], got -0.5");
    /// ```
    pub fn message(&self) -> &str {
        match self {
            Error::WrongType(m)
            | Error::InvalidInput(m)
            | Error::Infeasible(m)
            | Error::InvalidState(m) => m,
        }
    }
}

/// `Result` with the core's [`Error`].
///
/// ```
/// use shijing::{stats::gini, Result};
/// // The core's functions return it; `?` passes an Error on.
/// fn spread(values: &[f64]) -> Result<f64> {
///     Ok(gini(values)? * 100.0)
/// }
/// assert_eq!(spread(&[1.0, 1.0]).unwrap(), 0.0);
/// assert!(spread(&[]).is_err());
/// ```
pub type Result<T> = std::result::Result<T, Error>;
