// What the page can ask the worker for: small compositions of package calls,
// so one round trip answers one view.
import { sampleExposure, gini, lorenz, topShare, bottomShare } from '../../pkg/shijing.js';

export function exposureSummary({ creators, sigma, seed }) {
  const values = sampleExposure(creators, { sigma, seed });
  const t0 = performance.now();
  const curve = lorenz(values, 101);
  return {
    gini: gini(values),
    top10: topShare(values, 0.1),
    bottom50: bottomShare(values, 0.5),
    population: curve.population,
    share: curve.share,
    ms: performance.now() - t0,
  };
}
