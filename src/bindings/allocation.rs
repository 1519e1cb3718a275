//! JS bindings for `crate::allocation`.
