//! See the crate docs. (Filled in by the repurchase work.)
