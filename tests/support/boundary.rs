//! The check of a fit's boundary report, shared by the native tests of the
//! fits (`#[path = "support/boundary.rs"] mod boundary;`).

use shijing::repurchase::Fit;

/// A fit's boundary report is consistent: `boundary` exactly when limits are
/// named, one direction per parameter, each matching the returned value, the
/// message names each direction and not its opposite, and a boundary fit
/// reports no standard errors.
pub fn check_boundary_report(fit: &Fit) {
    let names = fit.model.kind().param_names();
    let params = fit.model.params();
    assert_eq!(fit.boundary, !fit.limits.is_empty(), "{}", fit.message);
    for (k, l) in fit.limits.iter().enumerate() {
        assert!(
            fit.limits[..k].iter().all(|m| m.param != l.param),
            "{} named twice: {}",
            l.param,
            fit.message
        );
        let v = params[names.iter().position(|n| *n == l.param).unwrap()];
        // At a limit a parameter sits at the bound or, for two that go
        // together, within the bounds at their ratio: far out either way.
        let (far_out, to, opposite) = if l.toward_infinity {
            (v > 1e4, "∞", "0")
        } else {
            (v < 1e-4, "0", "∞")
        };
        assert!(
            far_out,
            "{} → {to} but {} = {v}: {}",
            l.param, l.param, fit.message
        );
        let arrow = format!("{} → {to}", l.param);
        assert!(
            fit.message.contains(&arrow),
            "{arrow} not in {}",
            fit.message
        );
        let opposite = format!("{} → {opposite}", l.param);
        assert!(
            !fit.message.contains(&opposite),
            "{opposite} in {}",
            fit.message
        );
    }
    if fit.boundary {
        assert!(
            fit.standard_errors.iter().all(|s| s.is_nan()),
            "{:?}",
            fit.standard_errors
        );
    }
}
