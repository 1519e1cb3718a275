//! JS bindings for `crate::sim`.
