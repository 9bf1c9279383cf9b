#!/usr/bin/env node
// Runs the bundled CLI (engine/dist/autoedit.mjs); `npm run build` (or `npm run setup`) produces it.
try {
  await import('../dist/autoedit.mjs');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('autoedit.mjs')) {
    console.error(
      'autoedit: not built yet. Run `npm run build` (or `npm run setup`) in the repository root.',
    );
    process.exit(70);
  }
  throw error;
}
