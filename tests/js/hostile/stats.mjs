// Hostile-input cases for the stats exports (see ../hostile.test.mjs).
const big = () => new Float64Array(20_000_001);

export default [
  { name: 'gini', call: (m) => m.gini([1, NaN]), message: /^values\[1\] is NaN$/ },
  { name: 'gini', call: (m) => m.gini(new Float64Array([1, Infinity])), message: /values\[1\] is infinite/ },
  { name: 'gini', call: (m) => m.gini([2, -1]), message: /values\[1\] is negative/ },
  { name: 'gini', call: (m) => m.gini([]), message: /^values is empty$/ },
  { name: 'gini', call: (m) => m.gini([0, 0, 0]), message: /values are all zero/ },
  { name: 'gini', call: (m) => m.gini('1,2,3'), message: /values must be a Float64Array or an array of numbers, got string/ },
  { name: 'gini', call: (m) => m.gini(null), message: /values must be .* got null/ },
  { name: 'gini', call: (m) => m.gini(undefined), message: /values must be .* got undefined/ },
  { name: 'gini', call: (m) => m.gini({ length: 2 }), message: /values must be .* got object/ },
  { name: 'gini', call: (m) => m.gini([1, '2']), message: /values\[1\] must be a number, got string/ },
  { name: 'gini', call: (m) => m.gini(big()), message: /values has 20000001 elements; at most 20000000/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], 1), message: /points must be an integer in \[2, 1000001\], got 1/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], 1e12), message: /points must be an integer/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], 2.5), message: /points must be an integer/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], NaN), message: /points must be an integer/ },
  { name: 'lorenz', call: (m) => m.lorenz([NaN], 5), message: /values\[0\] is NaN/ },
  { name: 'lorenz', call: (m) => m.lorenz('x', 5), message: /values must be/ },
  { name: 'topShare', call: (m) => m.topShare([1, 2], 1.5), message: /fraction must be in \[0, 1\], got 1.5/ },
  { name: 'topShare', call: (m) => m.topShare([1, 2], NaN), message: /fraction is NaN/ },
  { name: 'topShare', call: (m) => m.topShare([1, -2], 0.1), message: /values\[1\] is negative/ },
  { name: 'topShare', call: (m) => m.topShare([], 0.1), message: /values is empty/ },
  { name: 'bottomShare', call: (m) => m.bottomShare([1, 2], -0.1), message: /fraction must be in \[0, 1\]/ },
  { name: 'bottomShare', call: (m) => m.bottomShare([1, Infinity], 0.5), message: /values\[1\] is infinite/ },
  { name: 'bottomShare', call: (m) => m.bottomShare(7, 0.5), message: /values must be .* got number/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(0), message: /creators must be an integer in \[1, 20000000\], got 0/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(1e12), message: /creators must be an integer/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(-5), message: /creators must be an integer/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { sigma: -1 }), message: /options.sigma must be in \[0, 10\], got -1/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { sigma: NaN }), message: /options.sigma is NaN/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { seed: -1 }), message: /options.seed: / },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { seed: 1.5 }), message: /options.seed: / },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { sigmaa: 1 }), message: /options: unknown field `sigmaa`/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, 'wide'), message: /options must be an object, got string/ },
];

const small = new Float64Array([1, 2, 3, 4, 10]);
export const leak = [
  (m) => m.gini(small),
  (m) => m.lorenz(small, 11),
  (m) => m.topShare(small, 0.1),
  (m) => m.bottomShare(small, 0.5),
  (m) => m.sampleExposure(16, { seed: 1 }),
  (m) => m.version(),
];
