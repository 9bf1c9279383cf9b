import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is engine/test/helpers/shared.ts). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `../shared` beside the checkout (override with AUTOEDIT_SHARED): test media and models. */
export const SHARED = resolve(process.env.AUTOEDIT_SHARED ?? join(REPO, '..', 'shared'));

/** Absolute path of a file under shared/, e.g. sharedFile('media/speech/jfk.wav'). */
export function sharedFile(rel: string): string {
  return join(SHARED, rel);
}

/** For `before()` hooks: skip (with the reason printed) only when a shared file is truly absent. */
export function requireShared(ctx: Mocha.Context, rel: string): string {
  const p = sharedFile(rel);
  if (!existsSync(p)) {
    console.warn(`    skipped: ${p} is absent (set AUTOEDIT_SHARED to the shared/ folder)`);
    ctx.skip();
  }
  return p;
}
