//! See the crate docs. (Filled in by the funnel work.)
