#!/usr/bin/env node
// Bundles the CLI into one CommonJS file, engine/dist/autoedit.cjs: one file to load instead of hundreds
// of modules. CommonJS because engine/bin/autoedit.js runs it through a V8 code cache (vm.Script), which
// Node 20 offers for scripts but not for ES modules. Modules the code imports dynamically (the exporters
// with xmlbuilder2) are only evaluated when first imported. Whitespace and syntax are minified (less to
// parse); names are kept, so stack traces stay readable.
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const dist = 'engine/dist';
// Earlier builds' outputs and code caches (the caches would be rejected anyway: the source changed).
rmSync(`${dist}/chunks`, { recursive: true, force: true });
for (const f of readdirSync(dist, { withFileTypes: true }))
  if (f.isFile() && /^autoedit\.(mjs|cjs)(\.map|\..*\.cache)?$/.test(f.name)) rmSync(`${dist}/${f.name}`);

await build({
  entryPoints: ['engine/src/cli/main.ts'],
  outfile: `${dist}/autoedit.cjs`,
  bundle: true,
  minifyWhitespace: true,
  minifySyntax: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['source'],
  sourcemap: 'linked',
  // import() becomes require(): the bundle runs as a vm.Script, where Node 20 calls dynamic import
  // experimental (a warning on every command that loads ONNX Runtime or undici).
  supported: { 'dynamic-import': false },
  // Code that finds files next to itself (models, the whisper worker) asks import.meta.url.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // Native addons, and big libraries only some commands need (see engine/src/util/lazy.ts), load from
  // node_modules when used.
  external: [
    'onnxruntime-node',
    '@fugood/whisper.node',
    'chokidar',
    'fsevents',
    'undici',
    'yaml',
    '@aws-sdk/client-s3',
    '@aws-sdk/s3-request-presigner',
  ],
  logLevel: 'warning',
});
