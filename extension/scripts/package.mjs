#!/usr/bin/env node
// `npm run package [-- --target linux-x64]`: builds (scripts/build.mjs) and packs a platform-specific .vsix
// with @vscode/vsce. Platform-specific because the engine's native modules (ONNX Runtime, whisper.cpp) are
// inside; --no-dependencies because everything the extension needs is bundled into dist/ (the workspace's
// node_modules, dev dependencies and test media never ship). Prints the package's size.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const target = args.includes('--target') ? args[args.indexOf('--target') + 1] : 'linux-x64';
const { version, name } = JSON.parse(
  (await import('node:fs')).readFileSync(join(here, 'package.json'), 'utf8'),
);
const out = join(here, `${name}-${target}-${version}.vsix`);

execFileSync(process.execPath, [join(here, 'scripts', 'build.mjs'), '--target', target], {
  stdio: 'inherit',
});
const vsce = createRequire(join(here, 'package.json')).resolve('@vscode/vsce/vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--target', target, '--out', out], {
  cwd: here,
  stdio: 'inherit',
});
console.log(`package: ${out} (${(statSync(out).size / 1e6).toFixed(1)} MB)`);
