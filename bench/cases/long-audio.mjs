// Peak memory against audio length: `autoedit pipeline` (ingest → VAD → select → export, no scenes, no
// speech recognition) on 1 h and 3 h of generated speech-like audio (a tone with noise, 6 s of sound then
// 4 s of silence, 16 kHz mono Opus). VAD and selection work in bounded windows, so the peak should not
// grow with the length: the two rows should show about the same peak MB.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const HOURS = [1, 3];

function generate(file, seconds) {
  if (existsSync(file)) return;
  execFileSync('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=f=220:r=16000:d=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `anoisesrc=c=pink:r=16000:a=0.1:d=${seconds}`,
    '-filter_complex',
    "[0][1]amix=inputs=2,volume='if(lt(mod(t,10),6),1,0)':eval=frame",
    '-ac',
    '1',
    '-c:a',
    'libopus',
    '-b:a',
    '16k',
    file,
  ]);
}

export default {
  name: 'long-audio',
  description: 'peak memory of autoedit pipeline (silence rules) on 1 h and 3 h of audio',
  reps: 1,
  async setup({ outDir }) {
    const files = {};
    for (const h of HOURS) {
      files[h] = join(outDir, `speechlike-${h}h.opus`);
      console.error(`  generating ${h} h of audio…`);
      generate(files[h], h * 3600);
    }
    return { files, outDir };
  },
  commands: ({ files, outDir }) =>
    HOURS.map((h) => {
      const run = join(outDir, `run-${h}h`);
      return {
        label: `autoedit pipeline, ${h} h of audio`,
        before: () => rmSync(run, { recursive: true, force: true }),
        argv: [
          'node',
          'engine/bin/autoedit.js',
          '--quiet',
          'pipeline',
          files[h],
          '-o',
          run,
          '--skip',
          'scenes,stt',
          '-f',
          'edl',
        ],
      };
    }),
};
