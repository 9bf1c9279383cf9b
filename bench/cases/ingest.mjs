// Ingest of a 42.5 s 720p talking-head file: first run (forced with --no-cache) vs cached re-run, against
// the one ffmpeg audio decode that ingest has to do anyway.

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default {
  name: 'ingest',
  description: 'autoedit ingest example.mp4: first run and cached re-run vs one ffmpeg audio decode',
  reps: 7,
  async setup({ shared, outDir }) {
    const file = join(shared, 'media/auto-editor/example.mp4');
    if (!existsSync(file)) return { skip: `${file} is absent` };
    return { file, run: join(outDir, 'run'), wav: join(outDir, 'ref.wav') };
  },
  commands: ({ file, run, wav }) => [
    {
      label: 'ffmpeg audio → 16 kHz WAV',
      reference: true,
      argv: [
        'ffmpeg',
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-i',
        file,
        '-vn',
        '-ac',
        '1',
        '-ar',
        '16000',
        '-c:a',
        'pcm_s16le',
        wav,
      ],
    },
    {
      label: 'autoedit ingest --no-cache',
      argv: ['node', 'engine/bin/autoedit.js', '--quiet', '--no-cache', 'ingest', file, '-o', run],
    },
    {
      label: 'autoedit ingest (cached)',
      argv: ['node', 'engine/bin/autoedit.js', '--quiet', 'ingest', file, '-o', run],
    },
  ],
  notes: (rows) => ({ cachedSpeedup: +(rows[1].medianSeconds / rows[2].medianSeconds).toFixed(1) }),
};
