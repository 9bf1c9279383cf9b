// The silence-only path (no scenes, no speech recognition) from example.mp4 to a Shotcut .mlt, against
// auto-editor's own `--export shotcut` on the same file (Debian package auto-editor), side by side.
// auto-editor keeps its audio analysis in <tmp>/ae-<version>/cache.json: a fresh run clears it first, so
// fresh runs compare with fresh runs and re-runs (each tool's cache kept) with re-runs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const clearAutoEditorCache = () => {
  for (const d of readdirSync(tmpdir(), { withFileTypes: true }))
    if (d.isDirectory() && d.name.startsWith('ae-'))
      rmSync(join(tmpdir(), d.name, 'cache.json'), { force: true });
};

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
    return {
      file,
      run: join(outDir, 'run'),
      rerun: join(outDir, 'rerun'),
      aeOut: join(outDir, 'auto-editor.mlt'),
    };
  },
  commands: ({ file, run, rerun, aeOut }) => {
    const pipeline = (dir) => [
      'node',
      'engine/bin/autoedit.js',
      '--quiet',
      'pipeline',
      file,
      '-o',
      dir,
      '--skip',
      'scenes,stt',
      '--export',
      'mlt',
    ];
    const fresh = () => rmSync(run, { recursive: true, force: true });
    const autoEditor = ['auto-editor', file, '--export', 'shotcut', '--no-open', '-o', aeOut];
    return [
      {
        label: 'auto-editor --export shotcut (fresh)',
        reference: true,
        before: clearAutoEditorCache,
        argv: autoEditor,
      },
      { label: 'autoedit pipeline (fresh run)', before: fresh, argv: pipeline(run) },
      { label: 'auto-editor re-run (its cache)', argv: autoEditor },
      { label: 'autoedit pipeline re-run (cached)', argv: pipeline(rerun) },
      // Node reads and parses NODE_EXTRA_CA_CERTS at start-up, before any of our code (about 35 ms on the
      // build machine, where it is set): shown apart, for information.
      ...(process.env.NODE_EXTRA_CA_CERTS
        ? [
            {
              label: 'same, NODE_EXTRA_CA_CERTS unset',
              before: fresh,
              env: { NODE_EXTRA_CA_CERTS: '' },
              argv: pipeline(run),
            },
          ]
        : []),
    ];
  },
};
