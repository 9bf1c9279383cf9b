// Speech recognition speed: real-time factor and peak memory per model on jfk.wav (11 s) and on a 2-minute
// speech track. The generated tiny model (random weights, real format) always runs; real models run when
// found in $AUTOEDIT_MODELS. Goal for real models: ≥ 10× real time on 2 cores.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const JFK_SECONDS = 11;

export default {
  name: 'stt',
  description: 'autoedit stt on jfk.wav (11 s): real-time factor and peak memory per model',
  reps: 3,
  async setup({ repo, shared, outDir }) {
    const jfk = join(shared, 'media/speech/jfk.wav');
    if (!existsSync(jfk)) return { skip: `${jfk} is absent` };
    const tiny = join(outDir, 'ggml-tiny-random.bin');
    if (!existsSync(tiny))
      execFileSync(
        'node',
        [
          '--conditions=source',
          '--import',
          'tsx',
          join(repo, 'engine/scripts/make-test-model.ts'),
          tiny,
          shared,
        ],
        { cwd: repo },
      );
    const models = [{ label: 'tiny (random weights)', path: tiny }];
    const dir = process.env.AUTOEDIT_MODELS;
    if (dir && existsSync(dir))
      for (const f of readdirSync(dir).filter((x) => /^ggml-.*\.bin$/.test(x)))
        models.push({ label: f, path: join(dir, f) });
    return { jfk, models, outDir };
  },
  commands: ({ jfk, models, outDir }) => [
    {
      label: 'ffmpeg decode jfk.wav',
      reference: true,
      argv: ['ffmpeg', '-nostdin', '-v', 'error', '-i', jfk, '-f', 'null', '-'],
    },
    ...models.map((m) => ({
      label: `autoedit stt ${m.label}`,
      argv: [
        'node',
        'engine/bin/autoedit.js',
        '--quiet',
        '--no-cache',
        'stt',
        jfk,
        '-m',
        m.path,
        '-l',
        'en',
        '-o',
        join(outDir, 'transcript.json'),
      ],
      extra: (median) => `${(JFK_SECONDS / median).toFixed(1)}× real time`,
    })),
  ],
};
