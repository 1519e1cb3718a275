// A benchmark run as a record: the results file that benches/bench.mjs,
// benches/criterion.mjs and benches/explorer.mjs write with --json, and that
// benches/compare.mjs and benches/table.mjs read. One format for all three:
//
//   { "format": "shijing-bench/1", "suite": "node" | "criterion" | "explorer",
//     "command": "...", "date": ISO 8601, "commit": "<sha>", "dirty": bool,
//     "machine": { "cpu", "cores", "memoryGiB", "os", "load": [1, 5, 15 min] },
//     "versions": { "node", "rustc", "shijing", ... },
//     "rows": [ { "id", "name", "unit", "median", "min", "max", "runs", "target"?, "command" } ] }
//
// `id` is stable across runs (compare matches rows by suite and id); times are
// in ms, sizes in bytes; `target` is the row's goal in the same unit (lower is
// better); min/max are null where a figure has no spread of its own; `command`
// re-measures that row alone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FORMAT = 'shijing-bench/1';
export const root = fileURLToPath(new URL('../', import.meta.url));
export const resultsDir = join(root, 'benches', 'results');

const quiet = (cmd, args) => {
  try { return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return null; }
};

function osName() {
  try {
    const pretty = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1];
    return `${pretty ?? os.type()}, ${os.type()} ${os.release()}`;
  } catch { return `${os.type()} ${os.release()}`; }
}

/** The machine, the commit and the tool versions a run was measured on. */
export function context(suite, extraVersions = {}) {
  const status = quiet('git', ['status', '--porcelain', '--untracked-files=no']);
  const pkg = (() => { try { return JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8')).version; } catch { return null; } })();
  return {
    format: FORMAT,
    suite,
    command: ['node', relative(root, process.argv[1]), ...process.argv.slice(2)].join(' '),
    date: new Date().toISOString(),
    commit: quiet('git', ['rev-parse', 'HEAD']),
    dirty: status === null ? null : status.length > 0,
    machine: {
      cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: osName(),
      load: os.loadavg().map((x) => Number(x.toFixed(2))),
    },
    versions: {
      node: process.version,
      rustc: quiet('rustc', ['--version'])?.split(' ')[1] ?? null,
      shijing: pkg,
      ...extraVersions,
    },
    rows: [],
  };
}

/** Median, min and max of a list of numbers. */
export function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return { median: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, min: s[0], max: s[n - 1], runs: n };
}

/**
 * `--json` in argv: writes the record to the path after it, or to
 * benches/results/<suite>-<date>-<commit>.json; returns the path (or null without --json).
 */
export function writeIfAsked(record, argv = process.argv.slice(2)) {
  const i = argv.indexOf('--json');
  if (i < 0) return null;
  const next = argv[i + 1];
  const stamp = record.date.replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const path = next && next.endsWith('.json') ? next : join(resultsDir, `${record.suite}-${stamp}-${(record.commit ?? 'nocommit').slice(0, 7)}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(record, null, 2) + '\n');
  console.log(`wrote ${relative(process.cwd(), path)}`);
  return path;
}

/** The arguments other than --json and its path. */
export function plainArgs(argv = process.argv.slice(2)) {
  const i = argv.indexOf('--json');
  if (i < 0) return argv;
  const skip = argv[i + 1]?.endsWith('.json') ? 2 : 1;
  return [...argv.slice(0, i), ...argv.slice(i + skip)];
}

/** Reads a results file (and checks its format). */
export function readRecord(path) {
  const r = JSON.parse(readFileSync(path, 'utf8'));
  if (r.format !== FORMAT) throw new Error(`${path}: not a ${FORMAT} results file (format ${r.format})`);
  return r;
}
