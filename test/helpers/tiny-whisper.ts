import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeTinyModel } from '../../engine/src/speech/whisper/ggml.js';
import { REPO, sharedFile } from '../../engine/test/helpers/shared.js';
import { HEADER_EN, tinyModel } from '../../engine/test/speech/tiny-model.js';

const HEADER_SHA256 = 'dd6b7796204a1cdf7164666423034e6e1a7a3e9f5c22327b4b7974c4584bd82d';
let made: Promise<string> | undefined;

/**
 * The tiny random-weight Whisper model (real ggml format) for tests that need whisper.cpp to run, on a fresh
 * clone too: with ../shared it is the engine tests' model; without it, the same generator runs on the same
 * header, shipped gzipped in test/fixtures/whisper.cpp-test/ (MIT). whisper.cpp loads and decodes it for
 * real; its text is noise.
 */
export function tinyWhisper(): Promise<string> {
  if (existsSync(sharedFile(HEADER_EN))) return tinyModel();
  made ??= (async () => {
    const dir = join(tmpdir(), `autoedit-tiny-fixture-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const header = join(dir, 'for-tests-ggml-tiny.en.bin');
    const bytes = gunzipSync(
      readFileSync(join(REPO, 'test/fixtures/whisper.cpp-test/for-tests-ggml-tiny.en.bin.gz')),
    );
    if (createHash('sha256').update(bytes).digest('hex') !== HEADER_SHA256)
      throw new Error('test/fixtures/whisper.cpp-test/for-tests-ggml-tiny.en.bin.gz is damaged');
    writeFileSync(header, bytes);
    const out = join(dir, 'ggml-tiny-random.en.bin');
    await writeTinyModel(header, out);
    return out;
  })();
  return made;
}

process.on('exit', () =>
  rmSync(join(tmpdir(), `autoedit-tiny-fixture-${process.pid}`), { recursive: true, force: true }),
);
