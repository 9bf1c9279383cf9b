// The silence-only path (no scenes, no speech recognition) from example.mp4 to a Shotcut .mlt, against
// auto-editor's own `--export shotcut` on the same file (Debian package auto-editor), side by side.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export default {
  name: 'silence-pipeline',
  description: 'example.mp4 → .mlt, silence rules only: autoedit pipeline vs auto-editor --export shotcut',
  reps: 7,
  async setup({ shared, outDir }) {
    const src = join(shared, 'media/auto-editor/example.mp4');
    if (!existsSync(src)) return { skip: `${src} is absent` };
    try {
      execFileSync('auto-editor', ['--version'], { stdio: 'ignore' });
    } catch {
      return { skip: 'auto-editor is not installed (apt-get install auto-editor)' };
    }
    const file = join(outDir, 'example.mp4');
    copyFileSync(src, file);
    return { file, run: join(outDir, 'run'), aeOut: join(outDir, 'auto-editor.mlt') };
  },
  commands: ({ file, run, aeOut }) => [
    {
      label: 'auto-editor --export shotcut',
      reference: true,
      argv: ['auto-editor', file, '--export', 'shotcut', '--no-open', '-o', aeOut],
    },
    {
      label: 'autoedit pipeline (fresh run)',
      before: () => rmSync(run, { recursive: true, force: true }),
      argv: [
        'node',
        'engine/bin/autoedit.js',
        '--quiet',
        'pipeline',
        file,
        '-o',
        run,
        '--skip',
        'scenes,stt',
        '--export',
        'mlt',
      ],
    },
  ],
};
