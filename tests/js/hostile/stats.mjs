// Hostile-input cases for the stats exports (see ../hostile.test.mjs).
import { bigints, detached, endless, revoked, throwingElement, throwingGetter, throwingProxy } from './_values.mjs';

const big = () => new Float64Array(20_000_001);

export default [
  { name: 'gini', call: (m) => m.gini([1, NaN]), throws: 'RangeError', message: /^values\[1\] is NaN$/ },
  { name: 'gini', call: (m) => m.gini(new Float64Array([1, Infinity])), throws: 'RangeError', message: /^values\[1\] is infinite \(Infinity\)$/ },
  { name: 'gini', call: (m) => m.gini([2, -1]), throws: 'RangeError', message: /^values\[1\] is negative \(-1\)$/ },
  { name: 'gini', call: (m) => m.gini([]), throws: 'RangeError', message: /^values is empty$/ },
  { name: 'gini', call: (m) => m.gini([0, 0, 0]), throws: 'RangeError', message: /values are all zero/ },
  { name: 'gini', call: (m) => m.gini('1,2,3'), throws: 'TypeError', message: /^values must be a Float64Array or an array of numbers, got string$/ },
  { name: 'gini', call: (m) => m.gini(null), throws: 'TypeError', message: /^values must be .* got null$/ },
  { name: 'gini', call: (m) => m.gini(undefined), throws: 'TypeError', message: /^values must be .* got undefined$/ },
  { name: 'gini', call: (m) => m.gini({ length: 2 }), throws: 'TypeError', message: /^values must be .* got object$/ },
  { name: 'gini', call: (m) => m.gini(new Map()), throws: 'TypeError', message: /^values must be .* got a Map$/ },
  { name: 'gini', call: (m) => m.gini([1, '2']), throws: 'TypeError', message: /^values\[1\] must be a number, got string$/ },
  { name: 'gini', call: (m) => m.gini([1, 2n]), throws: 'TypeError', message: /^values\[1\] must be a number, got bigint$/ },
  { name: 'gini', call: (m) => m.gini(big()), throws: 'RangeError', message: /^values has 20000001 elements; at most 20000000 are supported$/ },
  // issue 19: exceptions while reading, BigInt and detached arrays
  { name: 'gini', call: (m) => m.gini(throwingElement([1, 2], 1)), throws: 'Error', message: /^values\[1\]: reading it threw: boom$/ },
  { name: 'gini', call: (m) => m.gini(throwingProxy()), throws: 'Error', message: /^values: reading it threw: boom$/ },
  { name: 'gini', call: (m) => m.gini(revoked()), throws: 'Error', message: /^values: reading it threw: TypeError: .*revoked/ },
  { name: 'gini', call: (m) => m.gini(bigints()), throws: 'TypeError', message: /^values must be a Float64Array or an array of numbers, got a BigInt64Array$/ },
  { name: 'gini', call: (m) => m.gini(new BigUint64Array(3)), throws: 'TypeError', message: /got a BigUint64Array$/ },
  { name: 'gini', call: (m) => m.gini(detached()), throws: 'RangeError', message: /^values is empty$/ },
  { name: 'gini', call: (m) => m.gini(endless()), throws: 'TypeError', message: /^values must be .* got object$/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], 1), throws: 'RangeError', message: /^points must be an integer in \[2, 1000001\], got 1$/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], 1e12), throws: 'RangeError', message: /points must be an integer in \[2, 1000001\], got 1000000000000/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], 2.5), throws: 'RangeError', message: /points must be an integer/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], NaN), throws: 'RangeError', message: /points must be an integer .* got NaN/ },
  { name: 'lorenz', call: (m) => m.lorenz([1, 2], '5'), throws: 'TypeError', message: /^points must be a number, got string$/ },
  { name: 'lorenz', call: (m) => m.lorenz([NaN], 5), throws: 'RangeError', message: /values\[0\] is NaN/ },
  { name: 'lorenz', call: (m) => m.lorenz('x', 5), throws: 'TypeError', message: /^values must be/ },
  { name: 'topShare', call: (m) => m.topShare([1, 2], 1.5), throws: 'RangeError', message: /^fraction must be in \[0, 1\], got 1.5$/ },
  { name: 'topShare', call: (m) => m.topShare([1, 2], NaN), throws: 'RangeError', message: /^fraction is NaN$/ },
  { name: 'topShare', call: (m) => m.topShare([1, -2], 0.1), throws: 'RangeError', message: /values\[1\] is negative/ },
  { name: 'topShare', call: (m) => m.topShare([], 0.1), throws: 'RangeError', message: /values is empty/ },
  // issue 19: no silent coercion of number arguments
  { name: 'topShare', call: (m) => m.topShare([1, 2], '0.1'), throws: 'TypeError', message: /^fraction must be a number, got string$/ },
  { name: 'topShare', call: (m) => m.topShare([1, 2]), throws: 'TypeError', message: /^fraction must be a number, got undefined$/ },
  { name: 'bottomShare', call: (m) => m.bottomShare([1, 2], -0.1), throws: 'RangeError', message: /fraction must be in \[0, 1\]/ },
  { name: 'bottomShare', call: (m) => m.bottomShare([1, Infinity], 0.5), throws: 'RangeError', message: /values\[1\] is infinite/ },
  { name: 'bottomShare', call: (m) => m.bottomShare(7, 0.5), throws: 'TypeError', message: /values must be .* got number/ },
  { name: 'bottomShare', call: (m) => m.bottomShare([1, 2], null), throws: 'TypeError', message: /^fraction must be a number, got null$/ },
  { name: 'bottomShare', call: (m) => m.bottomShare([1, 2], { valueOf: () => 0.5 }), throws: 'TypeError', message: /^fraction must be a number, got object$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(0), throws: 'RangeError', message: /^creators must be an integer in \[1, 20000000\], got 0$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(1e12), throws: 'RangeError', message: /creators must be an integer/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(-5), throws: 'RangeError', message: /creators must be an integer/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure('10'), throws: 'TypeError', message: /^creators must be a number, got string$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { sigma: -1 }), throws: 'RangeError', message: /^options.sigma must be in \[0, 10\], got -1$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { sigma: NaN }), throws: 'RangeError', message: /^options.sigma is NaN$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { seed: -1 }), throws: 'RangeError', message: /^options.seed must be an integer in \[0, 4294967295\], got -1$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { seed: 1.5 }), throws: 'RangeError', message: /^options.seed must be an integer in \[0, 4294967295\], got 1.5$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { seed: '1' }), throws: 'TypeError', message: /^options.seed must be a number, got string$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { sigmaa: 1 }), throws: 'TypeError', message: /^options.sigmaa is not a known field; expected one of: sigma, seed$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, 'wide'), throws: 'TypeError', message: /^options must be an object, got string$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, throwingGetter('sigma')), throws: 'Error', message: /^options.sigma: reading it threw: boom$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, throwingProxy({})), throws: 'Error', message: /^options: reading it threw: boom$/ },
  // issue 19: messages stay short, whatever was passed
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { sigma: new Array(1_000_000).fill(1) }), throws: 'TypeError', message: /^options.sigma must be a number, got an array$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { ['x'.repeat(100_000)]: 1 }), throws: 'TypeError', message: /^options.x{80}… is not a known field; expected one of: sigma, seed$/ },
  { name: 'sampleExposure', call: (m) => m.sampleExposure(10, { get sigma() { throw new Error('y'.repeat(100_000)); } }), throws: 'Error', message: /^options.sigma: reading it threw: y{80}…$/ },
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
