// Writes the tiny random-weight Whisper model (real ggml format) used by tests and benchmarks.
//   node --conditions=source --import tsx engine/scripts/make-test-model.ts OUT.bin [SHARED_DIR]
import { join, resolve } from 'node:path';
import { writeTinyModel } from '../src/speech/whisper/ggml.js';

const out = resolve(process.argv[2] ?? 'ggml-tiny-random.bin');
const shared = resolve(
  process.argv[3] ?? process.env.AUTOEDIT_SHARED ?? join(import.meta.dirname, '..', '..', '..', 'shared'),
);
const n = await writeTinyModel(join(shared, 'models/whisper.cpp-test/for-tests-ggml-tiny.en.bin'), out);
console.log(`wrote ${out} (${n} tensors)`);
