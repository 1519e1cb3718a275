"""Times lifetimes' fitters on the CDNOW summary (the same data as
benches/bench.mjs) and prints medians in ms as JSON. Run by
benches/lifetimes_compare.sh inside a throwaway virtualenv."""
import json
import statistics
import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter

data = sys.argv[1]
s = pd.read_csv(f"{data}/cdnow_customers_summary.csv")
g = pd.read_csv(f"{data}/cdnow_customers_summary_with_transactions.csv")
g = g[g["x"] > 0]


def med(fn, runs):
    fn()  # warm-up
    t = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        t.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(t)


out = {
    "fitBgNbd": med(lambda: BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]), 7),
    "fitModifiedBgNbd": med(lambda: ModifiedBetaGeoFitter().fit(s["frequency"], s["recency"], s["T"]), 7),
    "fitParetoNbd": med(lambda: ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"]), 5),
    "fitGammaGamma": med(lambda: GammaGammaFitter().fit(g["x"], g["zbar"]), 7),
}
print(json.dumps(out))
