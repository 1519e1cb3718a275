"""lifetimes 0.11.3 against shijing, run by benches/lifetimes_compare.sh
inside a throwaway virtualenv.

`lifetimes_compare.py fit DATA`: times lifetimes' fitters on the CDNOW
summary (the same data as benches/bench.mjs) and prints medians in ms as JSON.

`lifetimes_compare.py grid DIR`: fits lifetimes' ParetoNBDFitter (its
defaults: Nelder-Mead from a random start near 1, seeded here) on every data
set in DIR (written by tests/native_pareto.rs `export_grid`), computes its
log-likelihood with lifetimes' own formula in the data's units, and prints a
markdown table next to shijing's fits (DIR/ours.csv) and the Nelder-Mead
reference of the tests."""
import csv
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter


def med(fn, runs):
    fn()  # warm-up
    t = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(t)


def fit_times(data):
    s = pd.read_csv(f"{data}/cdnow_customers_summary.csv")
    g = pd.read_csv(f"{data}/cdnow_customers_summary_with_transactions.csv")
    g = g[g["x"] > 0]
    out = {
        "fitBgNbd": med(lambda: BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]), 7),
        "fitModifiedBgNbd": med(lambda: ModifiedBetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]), 7),
        "fitParetoNbd": med(lambda: ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"]), 5),
        "fitGammaGamma": med(lambda: GammaGammaFitter().fit(g["x"], g["zbar"]), 7),
    }
    print(json.dumps(out))


def grid(d):
    ours = {row["set"]: row for row in csv.DictReader(open(f"{d}/ours.csv"))}
    keys = sorted((k for k in ours if k != "example"), key=int) + ["example"]
    np.random.seed(0)
    print("| set | shijing LL | reference LL | lifetimes LL | shijing − lifetimes | shijing it | converged | boundary | shijing s | lifetimes s | lifetimes r, α, s, β |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    worse, nan, short = 0, 0, []
    for k in keys:
        df = pd.read_csv(f"{d}/set_{k}.csv")
        x, tx, t = df["frequency"].values, df["recency"].values, df["T"].values
        t0 = time.perf_counter()
        try:
            f = ParetoNBDFitter().fit(x, tx, t)
            p = f.params_
            params = (p["r"], p["alpha"], p["s"], p["beta"])
            ll = float(np.sum(ParetoNBDFitter._conditional_log_likelihood(params, x, tx, t)))
            ptxt = ", ".join(f"{v:.6g}" for v in params)
        except Exception as e:  # lifetimes raises on some sets
            ll, ptxt = float("nan"), f"error: {type(e).__name__}"
        secs = time.perf_counter() - t0
        o = ours[k]
        lo = float(o["ll"])
        diff = lo - ll
        if not np.isfinite(ll):
            nan += 1
        elif diff < -1e-6:
            short.append((k, diff))
        if np.isfinite(ll) and diff > 1e-6:
            worse += 1
        print(f"| {k} | {lo:.6f} | {float(o['reference']):.6f} | {ll:.6f} | {diff:+.3g} | {o['iterations']} | {o['converged']} | {o['boundary']} | {float(o['seconds']):.3f} | {secs:.2f} | {ptxt} |")
    print()
    print(f"sets: {len(keys)}; shijing above lifetimes (by > 1e-6): {worse}; lifetimes not finite/failed: {nan}; shijing below lifetimes: {short}")


if __name__ == "__main__":
    mode, arg = sys.argv[1], sys.argv[2]
    fit_times(arg) if mode == "fit" else grid(arg)
