//! The core's error type. Every fallible core function returns [`Result`];
//! nothing in the core panics on any input (a panic traps the Wasm instance).

/// What went wrong, with a message that names the offending argument and the
/// rule it broke, e.g. `values[3] is NaN` or `giniMax must be in [0, 1), got 1.2`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An argument broke a documented rule.
    #[error("{0}")]
    InvalidInput(String),
    /// The request is well-formed but cannot be met (for example a Gini cap
    /// below what capping can reach when many creators have zero exposure).
    #[error("{0}")]
    Infeasible(String),
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }
}

/// `Result` with the core's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
