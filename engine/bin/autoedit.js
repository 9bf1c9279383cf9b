#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` (or `npm test`/`npm run demo`) produces it.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    console.error('autoedit: not built yet. Run `npm run build` in the repository root.');
    process.exit(70);
  }
  throw error;
}
