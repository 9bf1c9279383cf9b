// Writes the tiny random-weight Whisper model (real ggml format) that tests and benchmarks use, from the
// whisper.cpp test header shipped in test/fixtures/ (test support: nothing here ships in the engine).
//   node --conditions=source --import tsx engine/scripts/make-test-model.ts OUT.bin [--multilingual]
import { resolve } from 'node:path';
import { whisperTestHeader, writeTinyModel } from '../test/speech/tiny-model.js';

const out = resolve(process.argv[2] ?? 'ggml-tiny-random.bin');
const n = await writeTinyModel(whisperTestHeader(process.argv.includes('--multilingual')), out);
console.log(`wrote ${out} (${n} tensors)`);
