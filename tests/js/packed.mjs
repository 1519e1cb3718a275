// The npm package as a user gets it: `npm pack` of pkg/, installed from the
// tarball into a fresh temp folder (no registry: the package has no
// dependencies). Shared by tests/js/package.test.mjs and the browser tests of
// the package's hosts (tests/e2e/hosts.test.mjs). Call `cleanup()` when done.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const run = (cmd, args, cwd, env) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : process.env });

/**
 * Packs pkg/ and installs the tarball in `<temp>/app` (an ESM package.json).
 * @returns {{ work: string, app: string, files: string[], cleanup: () => void }}
 */
export function packAndInstall(prefix = 'shijing-pack-') {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, join(root, 'pkg')], root));
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed[0].filename)], app);
  return {
    work,
    app,
    files: packed[0].files.map((f) => f.path).sort(),
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
