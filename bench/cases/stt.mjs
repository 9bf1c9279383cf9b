// Speech recognition speed: real-time factor and peak memory per model, on jfk.wav (11 s) and on two
// minutes of speech (the generated talk, six times over). The generated tiny model (random weights, real
// format: its text is noise, its speed is a floor) always runs; real models run when found in
// $AUTOEDIT_MODELS or ../shared/models/whisper-*/. Goal for real models: ≥ 10× real time on 2 cores.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const JFK_SECONDS = 11;

function realModels(shared) {
  const dirs = [process.env.AUTOEDIT_MODELS];
  const sm = join(shared, 'models');
  if (existsSync(sm)) for (const d of readdirSync(sm)) if (d.startsWith('whisper-')) dirs.push(join(sm, d));
  const out = [];
  for (const d of dirs) {
    if (!d || !existsSync(d)) continue;
    for (const f of readdirSync(d))
      if (/^ggml-.*\.bin$/.test(f) && !f.includes('for-tests')) out.push({ label: f, path: join(d, f) });
  }
  return out;
}

export default {
  name: 'stt',
  description: 'autoedit stt: real-time factor and peak memory per model (jfk.wav 11 s; 2 min of speech)',
  reps: 3,
  async setup({ repo, shared, outDir }) {
    const jfk = join(repo, 'test/fixtures/media/speech/jfk.wav');
    const tiny = join(outDir, 'ggml-tiny-random.en.bin');
    if (!existsSync(tiny))
      execFileSync(
        'node',
        ['--conditions=source', '--import', 'tsx', join(repo, 'engine/scripts/make-test-model.ts'), tiny],
        { cwd: repo },
      );
    execFileSync('node', [join(repo, 'samples/generate.mjs')], { cwd: repo, stdio: 'ignore' });
    const twoMin = join(outDir, 'talk-2min.wav');
    if (!existsSync(twoMin))
      execFileSync('ffmpeg', [
        ...['-v', 'error', '-y', '-stream_loop', '5', '-i', join(repo, 'samples/out/talk.mp4')],
        ...['-vn', '-ac', '1', '-ar', '16000', twoMin],
      ]);
    const models = [{ label: 'tiny random', path: tiny }, ...realModels(shared)];
    return {
      inputs: [
        { label: 'jfk 11 s', path: jfk, seconds: JFK_SECONDS },
        { label: 'talk 2 min', path: twoMin, seconds: 122.4 },
      ],
      models,
      outDir,
    };
  },
  commands: ({ inputs, models, outDir }) => [
    {
      label: 'ffmpeg decode jfk.wav',
      reference: true,
      argv: ['ffmpeg', '-nostdin', '-v', 'error', '-i', inputs[0].path, '-f', 'null', '-'],
    },
    {
      // Windows through the worker pool: 2 workers × 1 thread instead of 1 worker × 2 threads.
      label: 'stt tiny random, talk 2 min, --window 60 -j 2',
      argv: [
        ...['node', 'engine/bin/autoedit.js', '--quiet', '--no-cache', 'stt', inputs[1].path],
        ...[
          '-m',
          models[0].path,
          '-l',
          'en',
          '--window',
          '60',
          '-j',
          '2',
          '-o',
          join(outDir, 'transcript.json'),
        ],
      ],
      extra: (median) => `${(inputs[1].seconds / median).toFixed(1)}× real time`,
    },
    ...models.flatMap((m) =>
      inputs.map((input) => ({
        label: `stt ${m.label}, ${input.label}`,
        argv: [
          ...['node', 'engine/bin/autoedit.js', '--quiet', '--no-cache', 'stt', input.path],
          ...['-m', m.path, '-l', 'en', '-o', join(outDir, 'transcript.json')],
        ],
        extra: (median) => `${(input.seconds / median).toFixed(1)}× real time`,
      })),
    ),
  ],
};
