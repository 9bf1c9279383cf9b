import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './shared.js';
export const SAMPLES = join(REPO, 'samples', 'out');
let manifest;
/** Generate samples/out once per test process (a no-op when up to date) and return its manifest. */
export function samples() {
    if (!manifest) {
        execFileSync(process.execPath, [join(REPO, 'samples', 'generate.mjs')], {
            stdio: ['ignore', 'ignore', 'inherit'],
        });
        manifest = JSON.parse(readFileSync(join(SAMPLES, 'manifest.json'), 'utf8'));
    }
    return manifest;
}
/** Absolute path of a generated sample by manifest key (e.g. 'talk', 'scenesA', 'badZero'). */
export function sample(key) {
    const f = samples().files[key];
    if (!f)
        throw new Error(`no sample "${key}" in samples/out/manifest.json`);
    return join(SAMPLES, f.path);
}
//# sourceMappingURL=samples.js.map