// Fuzz findings that other branches fix, expected until those branches are
// merged (issue 19). Each entry names its issue point and the branch that fixes
// it, and matches findings (`{ kind: 'trap' | 'slow' | 'hang' | 'non-finite',
// name, i, detail }`). After merging a fix, delete its entry: the fuzz harness
// then fails if the defect is still there. Keep this list empty otherwise.
const PREDICTIONS = /^RepurchaseModel[#.](expectedPurchases|probabilityOfRepurchase|probabilityAlive|newCustomerRepurchase|newCustomerExpectedPurchases|merchantSummary|holdoutCheck|customerLifetimeValue|expectedSpend|logLikelihoodOf)$/;

export const KNOWN_UNTIL_MERGED = [
  {
    issue: '19 §2 (repurchase core): predictions over 1 s at extreme or boundary parameters, long horizons, many purchases',
    match: (f) => (f.kind === 'slow' || f.kind === 'hang') && PREDICTIONS.test(f.name),
  },
  {
    issue: '19 §2/§3 (repurchase core): predictions, log-likelihoods, spend and CLV that are Infinity or NaN from finite inputs (boundary parameters, sums of huge values)',
    match: (f) => f.kind === 'non-finite' && PREDICTIONS.test(f.name),
  },
  {
    issue: '19 §2 (the Pareto/NBD fitter rewrite, a separate issue): fitParetoNbd over 1 s',
    match: (f) => (f.kind === 'slow' || f.kind === 'hang') && f.name === 'fitParetoNbd',
  },
];
