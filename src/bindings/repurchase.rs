//! JS bindings for `crate::repurchase`.
