// Fuzz findings that other branches fix, expected until those branches are
// merged (issue 19). Each entry names its issue point and the branch that fixes
// it, and matches findings (`{ kind: 'trap' | 'slow' | 'hang' | 'non-finite',
// name, i, detail }`). After merging a fix, delete its entry: the fuzz harness
// then fails if the defect is still there. Keep this list empty otherwise.
const PREDICTIONS = /^RepurchaseModel[#.](expectedPurchases|probabilityOfRepurchase|probabilityAlive|newCustomerRepurchase|newCustomerExpectedPurchases|merchantSummary|holdoutCheck|customerLifetimeValue|expectedSpend|logLikelihoodOf)$/;

export const KNOWN_UNTIL_MERGED = [
  {
    issue: '19 §3 overflow (stats core): gini, lorenz, topShare, bottomShare of finite but huge or tiny values give NaN',
    match: (f) => f.kind === 'non-finite' && ['gini', 'lorenz', 'topShare', 'bottomShare'].includes(f.name),
  },
  {
    issue: '19 §3 overflow (stats core): capGini, capGiniDetailed and GiniCapper at huge or tiny scale give NaN or Infinity',
    match: (f) => f.kind === 'non-finite' && /^(capGini|capGiniDetailed|GiniCapper[#.].*|new GiniCapper)$/.test(f.name),
  },
  {
    issue: '19 §3 overflow (repurchase core): summarizeOrders with amounts near 1e308 gives monetary = Infinity',
    match: (f) => f.kind === 'non-finite' && f.name === 'summarizeOrders',
  },
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
  {
    issue: '19 §3 (sim core): simulate with adCpm near 5e-324 gives NaN trajectories',
    match: (f) => f.kind === 'non-finite' && /^(simulate|sweep|new MarketModel|MarketModel[#.].*)$/.test(f.name),
  },
];
