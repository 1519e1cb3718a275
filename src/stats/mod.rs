//! Statistics shared by every area: exposure inequality and seeded randomness.

pub mod inequality;
pub mod random;
pub mod sort;

pub use inequality::{bottom_share, gini, gini_pairwise, lorenz, top_share, Lorenz, SortedShares};
