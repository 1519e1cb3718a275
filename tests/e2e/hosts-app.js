// The app of tests/e2e/hosts.test.mjs: the main module of its Vite app and
// the module script of tests/e2e/plain.html. It imports the package and its
// two halves by their bare names, with no init call, and writes what it
// computed to body[data-result] for the test to read.
import { gini, lorenz, version } from 'shijing';
import { capGini } from 'shijing/traffic';
import { fitBgNbd } from 'shijing/repurchase';
const fit = fitBgNbd([2, 1, 0, 0, 3, 1], [30.4, 1.7, 0, 0, 35, 9], [38.9, 38.9, 38.9, 36, 36, 36]);
document.body.dataset.result = JSON.stringify({
  gini: gini([1, 2, 3, 4]),
  share: Array.from(lorenz([1, 2, 3, 4], 5).share, (x) => x.toFixed(2)).join(','),
  capped: gini(capGini([1, 2, 3, 40], 0.2)),
  converged: fit.converged,
  version: version(),
});
fit.free();
