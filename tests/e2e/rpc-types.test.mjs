// The explorer's calls to its worker are typed (JSDoc + Comlink's Remote):
// asked by TypeScript's language service — what an editor's go-to-definition
// does — each `w.fn(` in a view and in main.js leads straight to `fn` in
// www/src/api.js, and a misspelled function is a type error. Plain Node.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(new URL('../../www/package.json', import.meta.url));
const ts = require('typescript');
const src = fileURLToPath(new URL('../../www/src/', import.meta.url));
const files = readdirSync(join(src, 'views')).filter((f) => f.endsWith('.js')).map((f) => join(src, 'views', f)).concat(join(src, 'main.js'));

function service(extra = {}) {
  const options = { allowJs: true, checkJs: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] };
  const text = (f) => extra[f] ?? (ts.sys.fileExists(f) ? ts.sys.readFile(f) : undefined);
  return ts.createLanguageService({
    getScriptFileNames: () => files,
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => { const t = text(f); return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t); },
    getCurrentDirectory: () => src,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => text(f) !== undefined,
    readFile: text,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  });
}

test("go-to-definition on each worker call leads to its function in api.js", () => {
  const ls = service();
  const api = readFileSync(join(src, 'api.js'), 'utf8');
  const seen = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\(w(?:, job)?\) => w\.(\w+)\(/g)) {
      const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue; // a comment
      const name = m[1];
      const at = m.index + m[0].length - name.length - 1;
      const defs = ls.getDefinitionAtPosition(file, at) ?? [];
      const where = defs.map((d) => `${d.fileName.slice(src.length)}:${api.slice(0, d.textSpan.start).split('\n').length}`);
      assert.equal(defs.length, 1, `${file.slice(src.length)}: w.${name} has definitions ${where.join(', ') || 'none'}`);
      assert.equal(defs[0].fileName, join(src, 'api.js'), `${file.slice(src.length)}: w.${name} leads to ${where[0]}`);
      assert.match(api.slice(defs[0].textSpan.start - 40, defs[0].textSpan.start + name.length), new RegExp(`export (async )?function ${name}$`));
      seen.push(name);
    }
  }
  for (const name of ['meta', 'traffic', 'platform', 'sweep', 'readOrderFile', 'fitRepeat', 'exportPredictions', 'useMyShop']) assert.ok(seen.includes(name), `no call of ${name} found: the scan is broken`);
});

test('a call of a function the worker does not have is a type error', () => {
  const file = join(src, 'views', 'traffic.js');
  const text = readFileSync(file, 'utf8');
  const bad = text.replace('(w) => w.traffic(', '(w) => w.trafic(');
  assert.notEqual(bad, text);
  const ls = service({ [file]: bad });
  const errors = ls.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.ok(errors.some((e) => /Property 'trafic' does not exist/.test(e)), errors.join('\n'));
});
