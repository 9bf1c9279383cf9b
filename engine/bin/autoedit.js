#!/usr/bin/env node
// Runs the bundled CLI (engine/dist/autoedit.cjs; `npm run build` or `npm run setup` makes it) from a V8
// code cache. Every command pays start-up, and compiling the bundle is a quarter of it; Node 20 has no
// compile cache of its own (module.enableCompileCache came in 22.1). One cache per Node version and
// command sits beside the bundle; V8 rejects a cache whose source or flags changed, and it is written
// again on exit. A cache that cannot be read or written only costs speed.
// CommonJS (see package.json here): Node starts a CommonJS entry a few milliseconds sooner than an ES module.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const file = join(__dirname, '..', 'dist', 'autoedit.cjs');
let source;
try {
  source = readFileSync(file, 'utf8').replace(/^#!.*/, ''); // a shebang is not JavaScript
} catch (error) {
  if (error?.code !== 'ENOENT') throw error;
  console.error('autoedit: not built yet. Run `npm run build` (or `npm run setup`) in the repository root.');
  process.exit(70);
}
// The command's name keys the cache, so each holds the functions its command compiles.
const command = process.argv.slice(2).find((a) => !a.startsWith('-')) ?? '';
const cacheFile = `${file}.${process.version}.${/^[a-z][a-z-]{0,19}$/.test(command) ? command : 'other'}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (!cachedData || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {}
  });
}
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
