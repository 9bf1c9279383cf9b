#!/usr/bin/env node
// For users' CI (not run here: it downloads VS Code, which these machines cannot): runs the suite in
// test/electron/suite/ inside a real VS Code (Electron) with the extension loaded from this folder.
// Usage: npm run build -w extension && node extension/test/electron/run-tests.mjs [workspace folder]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const here = dirname(fileURLToPath(import.meta.url));
const workspace = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'autoedit-electron-'));
if (!process.argv[2]) writeFileSync(join(workspace, 'autoedit.rules.json'), '{}\n');

await runTests({
  extensionDevelopmentPath: resolve(here, '..', '..'),
  extensionTestsPath: join(here, 'suite', 'index.cjs'),
  launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
});
