//! See the crate docs. (Filled in by the allocation work.)
