// Scene detection on content that decodes cheaply: 2 minutes of 720p25 testsrc2 under a slow hue sweep
// (large flat areas, little motion: like a screen recording), with four hard cuts to other sources. Here
// the decode is fast, so anything the scene pass adds (scaling, pixel conversion, the pipe, the HSV pass)
// shows most. Goal: ≤ 1.2× the plain decode, as on camera-like content (the `scenes` case).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { encodeConcatenatedShots } from '../concat-shots.mjs';

export default {
  name: 'scenes-screen',
  description: 'autoedit cut on 2 min of low-entropy 720p25 (testsrc2 + hue sweep) vs a plain ffmpeg decode',
  reps: 5,
  async setup({ outDir }) {
    const file = join(outDir, 'two-minutes-720p-screen.mp4');
    if (!existsSync(file)) {
      // 24 s shots: the hue sweep over testsrc2 alternates with flat test cards (cuts at 24, 48, 72, 96 s).
      const shots = [
        'testsrc2=size=1280x720:rate=25,hue=H=2*PI*t/24',
        'smptehdbars=size=1280x720:rate=25',
        'testsrc2=size=1280x720:rate=25,hue=H=PI+2*PI*t/24',
        'rgbtestsrc=size=1280x720:rate=25',
        'testsrc2=size=1280x720:rate=25,hue=H=PI/2+2*PI*t/24:s=0.6',
      ];
      encodeConcatenatedShots(
        file,
        shots.map((s) => ['-f', 'lavfi', '-t', '24', '-i', s]),
      );
    }
    return { file, out: join(outDir, 'sequences.json') };
  },
  commands: ({ file, out }) => [
    {
      label: 'ffmpeg decode (-f null)',
      reference: true,
      argv: ['ffmpeg', '-nostdin', '-v', 'error', '-i', file, '-an', '-f', 'null', '-'],
    },
    {
      label: 'autoedit cut --no-cache',
      argv: ['node', 'engine/bin/autoedit.js', '--quiet', '--no-cache', 'cut', file, '-o', out],
    },
  ],
};
