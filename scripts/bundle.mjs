#!/usr/bin/env node
// Bundles the CLI into one ESM file (engine/dist/autoedit.mjs): one file to load instead of hundreds of
// modules roughly halves start-up time, which every cached (no-op) stage run pays. Native addons stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['engine/src/cli/main.ts'],
  outfile: 'engine/dist/autoedit.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  sourcemap: 'linked',
  // Native addons, and undici (1 MB, only `models pull` needs it), load from node_modules when used.
  // Native addons, and big libraries only some commands need (see engine/src/util/lazy.ts), load from
  // node_modules when used.
  external: [
    'onnxruntime-node',
    '@fugood/whisper.node',
    'chokidar',
    'fsevents',
    'undici',
    'xmlbuilder2',
    'yaml',
  ],
  // Some CommonJS dependencies call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __autoeditRequire } from 'node:module'; const require = __autoeditRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
