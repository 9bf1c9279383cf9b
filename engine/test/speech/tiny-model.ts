import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../../src/speech/whisper/ggml.js';
import { sharedFile } from '../helpers/shared.js';

export const HEADER_EN = 'models/whisper.cpp-test/for-tests-ggml-tiny.en.bin';
export const HEADER_MULTI = 'models/whisper.cpp-test/for-tests-ggml-tiny.bin';

const made = new Map<string, Promise<string>>();

/**
 * The tiny random-weight Whisper model in the real ggml format, generated once per test process into a temp
 * folder (never committed): whisper.cpp loads and runs it for real; its text is noise.
 */
export function tinyModel(multilingual = false): Promise<string> {
  const key = multilingual ? 'multi' : 'en';
  let p = made.get(key);
  if (!p) {
    const dir = join(tmpdir(), `autoedit-tiny-model-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const out = join(dir, multilingual ? 'ggml-tiny-random.bin' : 'ggml-tiny-random.en.bin');
    p = writeTinyModel(sharedFile(multilingual ? HEADER_MULTI : HEADER_EN), out).then(() => out);
    made.set(key, p);
  }
  return p;
}

process.on('exit', () =>
  rmSync(join(tmpdir(), `autoedit-tiny-model-${process.pid}`), { recursive: true, force: true }),
);
