//! See the crate docs. (Filled in by the sim work.)
