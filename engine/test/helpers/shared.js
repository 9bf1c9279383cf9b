import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
/** Repository root (this file is engine/test/helpers/shared.ts). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/**
 * Real-world test media that ships with the repository (test/fixtures/, laid out like shared/, licences
 * beside each folder): the suite's core cases run on these and on generated media, so a fresh clone passes.
 */
export const FIXTURES = join(REPO, 'test', 'fixtures');
/** `../shared` beside the checkout (override with AUTOEDIT_SHARED): more media and models, optional. */
export const SHARED = resolve(process.env.AUTOEDIT_SHARED ?? join(REPO, '..', 'shared'));
/** Absolute path of a file shipped in test/fixtures/, e.g. fixture('media/speech/jfk.wav'). */
export function fixture(rel) {
    const p = join(FIXTURES, rel);
    if (!existsSync(p))
        throw new Error(`${rel} is not in test/fixtures/ (see test/fixtures/README.md)`);
    return p;
}
/** Absolute path of a file under shared/, e.g. sharedFile('media/auto-editor/example.mp4'). */
export function sharedFile(rel) {
    return join(SHARED, rel);
}
/** Whether shared/ holds this file. */
export function hasShared(rel) {
    return existsSync(sharedFile(rel));
}
/**
 * For tests (or `before()` hooks) that need a file only shared/ has: skip, saying what is missing and how to
 * provide it, when it is absent. Every such test has a counterpart on shipped or generated media.
 */
export function requireShared(ctx, rel) {
    const p = sharedFile(rel);
    if (!existsSync(p)) {
        console.warn(`    skipped: needs ${rel} from the shared test media, which a clone does not include; ` +
            `put the shared/ folder beside the checkout or set AUTOEDIT_SHARED=/path/to/shared (looked for ${p})`);
        ctx.skip();
    }
    return p;
}
//# sourceMappingURL=shared.js.map