// Scene detection on a 2-minute 720p25 H.264 file with hard cuts, against one plain ffmpeg decode of the
// same file (the floor for any tool that looks at every frame). Goal: ≤ 1.2× the decode.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeConcatenatedShots } from '../concat-shots.mjs';

export default {
  name: 'scenes',
  description: 'autoedit cut (content detector) on 2 min of 720p H.264 vs `ffmpeg -i FILE -an -f null -`',
  reps: 5,
  async setup({ outDir }) {
    const file = join(outDir, 'two-minutes-720p.mp4');
    if (!existsSync(file)) {
      // 8 shots of 15 s from different lavfi sources, concatenated: real cuts, real motion, real H.264.
      const srcs = [
        'testsrc2',
        'smptehdbars',
        'mandelbrot',
        'rgbtestsrc',
        'testsrc',
        'cellauto=rule=110',
        'life=mold=10:ratio=0.3',
        'gradients',
      ];
      const inputs = srcs.map((s) => [
        '-f',
        'lavfi',
        '-t',
        '15',
        '-i',
        `${s}${s.includes('=') ? ':' : '='}size=1280x720:rate=25`,
      ]);
      encodeConcatenatedShots(file, inputs);
    }
    // The pipeline's case: media already ingested (hash and probe come from media.db.json).
    const run = join(outDir, 'run');
    execFileSync('node', ['engine/bin/autoedit.js', '--quiet', 'ingest', file, '-o', run]);
    return { file, run, out: join(outDir, 'sequences.json') };
  },
  commands: ({ file, run, out }) => [
    {
      label: 'ffmpeg decode (-f null)',
      reference: true,
      argv: ['ffmpeg', '-nostdin', '-v', 'error', '-i', file, '-an', '-f', 'null', '-'],
    },
    {
      label: 'autoedit cut --no-cache',
      argv: ['node', 'engine/bin/autoedit.js', '--quiet', '--no-cache', 'cut', file, '-o', out],
    },
    {
      label: 'autoedit cut run/raw --no-cache',
      argv: [
        'node',
        'engine/bin/autoedit.js',
        '--quiet',
        '--no-cache',
        'cut',
        join(run, 'raw'),
        '-o',
        join(run, 'artifacts', 'sequences.json'),
      ],
    },
    {
      label: 'autoedit cut (cached)',
      argv: ['node', 'engine/bin/autoedit.js', '--quiet', 'cut', file, '-o', out],
    },
  ],
};
