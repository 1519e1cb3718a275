// Hostile values the hostile-input cases, the exception stress test and the
// fuzz harness share (files starting with `_` are not areas).

/** A getter body that throws. */
export function boom() {
  throw new Error('boom');
}

/** An array whose element `i` has a throwing getter. */
export function throwingElement(values = [1, 2], i = 0) {
  const a = [...values];
  Object.defineProperty(a, i, { get: boom, enumerable: true });
  return a;
}

/** An object whose `key` is a throwing getter, over `base`. */
export function throwingGetter(key, base = {}) {
  return Object.defineProperty({ ...base }, key, { get: boom, enumerable: true });
}

/** A Proxy (of an array by default) every trap of which throws. */
export function throwingProxy(target = [1, 2]) {
  return new Proxy(target, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
}

/** A revoked Proxy: every operation on it throws a TypeError. */
export function revoked(target = [1, 2]) {
  const r = Proxy.revocable(target, {});
  r.revoke();
  return r.proxy;
}

/** A Float64Array whose buffer has been transferred away (detached). */
export function detached(n = 4) {
  const a = new Float64Array(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

/** A BigInt64Array where numbers are expected. */
export function bigints() {
  return new BigInt64Array([1n, 2n]);
}

/** An iterable that never ends. */
export function endless() {
  return { *[Symbol.iterator]() { for (;;) yield 1; } };
}

/** The five kinds of value whose reading throws or that cannot be read as numbers. */
export const HOSTILE = {
  'a throwing getter': () => throwingElement(),
  'a throwing Proxy': () => throwingProxy(),
  'a revoked Proxy': () => revoked(),
  'a detached buffer': () => detached(),
  'a BigInt array': () => bigints(),
};
