// Day numbers and the stage clock the worker's calls share.

const DAY_MS = 86_400_000;
/** Day number (days since 1970-01-01) → `yyyy-mm-dd`. */
export const dayToIso = (d) => (Number.isFinite(d) ? new Date(d * DAY_MS).toISOString().slice(0, 10) : '');
/** `yyyy-mm-dd` → day number (NaN if not a date). */
export function isoToDay(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) return NaN;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  return new Date(t).getUTCDate() === +m[3] ? t / DAY_MS : NaN;
}

/**
 * A call's stages for the page's timeline: `mark(name)` notes when a stage
 * ended, as an absolute time (ms since the epoch: the worker's timeline has
 * another origin than the page's), in `at`.
 */
export function stageClock() {
  const at = {};
  return { at, mark: (name) => { at[name] = performance.timeOrigin + performance.now(); } };
}

