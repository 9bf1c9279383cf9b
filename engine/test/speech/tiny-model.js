// Test support, not shipped: a tiny Whisper model with random weights in the real ggml format.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { HPARAM_KEYS, parseGgmlHeader, tensorSpecs, } from '../../src/speech/whisper/ggml.js';
import { fixture } from '../helpers/shared.js';
/**
 * whisper.cpp's header-only test models (models/for-tests-ggml-tiny*.bin in its repository, MIT): the real
 * tiny / tiny.en header, mel filters and vocabulary, no tensors. Shipped gzipped in test/fixtures/.
 */
const HEADERS = {
    en: 'models/whisper.cpp-test/for-tests-ggml-tiny.en.bin.gz',
    multi: 'models/whisper.cpp-test/for-tests-ggml-tiny.bin.gz',
};
const dir = join(tmpdir(), `autoedit-tiny-model-${process.pid}`);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
/** Path of whisper.cpp's header-only tiny(.en) test file, unpacked into a temp folder. */
export function whisperTestHeader(multilingual = false) {
    const rel = HEADERS[multilingual ? 'multi' : 'en'];
    const out = join(dir, rel.split('/').pop().replace(/\.gz$/, ''));
    mkdirSync(dir, { recursive: true });
    writeFileSync(out, gunzipSync(readFileSync(fixture(rel))));
    return out;
}
/** Deterministic PRNG (mulberry32): the generated test model is byte-identical on every run. */
function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/** IEEE 754 half precision from a float (round to nearest; enough for random test weights). */
function toHalf(v) {
    const f32 = new Float32Array([v]);
    const x = new Uint32Array(f32.buffer)[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = ((x >>> 23) & 0xff) - 127 + 15;
    const mant = x & 0x7fffff;
    if (exp <= 0)
        return sign;
    if (exp >= 31)
        return sign | 0x7c00;
    return sign | (exp << 10) | ((mant + 0x1000) >>> 13);
}
/**
 * A tiny Whisper model in the real ggml format, for tests and benchmarks where no real weights exist: the
 * header, mel filters and full vocabulary are copied from a real (tensor-less) whisper.cpp test file, and
 * every tensor whisper.cpp expects is filled with seeded random values. It loads and decodes for real; its
 * text is noise. Returns the number of tensors written.
 */
export async function writeTinyModel(headerFile, out, o = {}) {
    const src = await readFile(headerFile);
    const hdr = parseGgmlHeader(src, headerFile);
    const h = {
        ...hdr.hparams,
        nAudioState: o.state ?? 64,
        nAudioHead: o.heads ?? 2,
        nAudioLayer: o.layers ?? 1,
        nTextState: o.state ?? 64,
        nTextHead: o.heads ?? 2,
        nTextLayer: o.layers ?? 1,
        nTextCtx: o.textCtx ?? hdr.hparams.nTextCtx,
        ftype: 1,
    };
    const head = Buffer.from(src.subarray(0, hdr.tensorsOffset));
    for (const [i, k] of HPARAM_KEYS.entries())
        head.writeInt32LE(h[k], 4 + i * 4);
    const rand = prng(o.seed ?? 1234);
    const parts = [head];
    const specs = tensorSpecs(h);
    for (const t of specs) {
        const name = Buffer.from(t.name, 'utf8');
        const meta = Buffer.alloc(12 + 4 * t.ne.length);
        meta.writeInt32LE(t.ne.length, 0);
        meta.writeInt32LE(name.length, 4);
        meta.writeInt32LE(t.type === 'f32' ? 0 : 1, 8);
        for (const [i, n] of t.ne.entries())
            meta.writeInt32LE(n, 12 + 4 * i);
        const count = t.ne.reduce((x, y) => x * y, 1);
        const data = Buffer.alloc(count * (t.type === 'f32' ? 4 : 2));
        for (let i = 0; i < count; i++) {
            const v = t.init === 'one' ? 1 : (rand() - 0.5) * 0.1;
            if (t.type === 'f32')
                data.writeFloatLE(v, i * 4);
            else
                data.writeUInt16LE(toHalf(v), i * 2);
        }
        parts.push(meta, name, data);
    }
    await writeFile(out, Buffer.concat(parts));
    return specs.length;
}
const made = new Map();
/**
 * The tiny random-weight Whisper model, generated once per test process into a temp folder (never
 * committed): whisper.cpp loads and runs it for real; its text is noise.
 */
export function tinyModel(multilingual = false) {
    const key = multilingual ? 'multi' : 'en';
    let p = made.get(key);
    if (!p) {
        mkdirSync(dir, { recursive: true });
        const out = join(dir, multilingual ? 'ggml-tiny-random.bin' : 'ggml-tiny-random.en.bin');
        p = writeTinyModel(whisperTestHeader(multilingual), out).then(() => out);
        made.set(key, p);
    }
    return p;
}
//# sourceMappingURL=tiny-model.js.map