// autoedit watch: a rules edit → both outputs (autoedit.kdenlive, autoedit.mlt) renamed into place, with the
// analysis cached (target: median ≤ 300 ms, debounce included). Two kinds of media: the generated talk and
// scene clips, plus example.mp4 when ../shared has it. The timed command is a watcher doing 15 edits;
// the per-edit latency is in the notes (the command's own time includes start-up and the first run).
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export default {
  name: 'watch',
  description: 'watch: rules edit → both outputs renamed into place (cached analysis), median per edit',
  reps: 1,
  async setup({ repo, shared, outDir }) {
    const project = join(outDir, 'project');
    rmSync(project, { recursive: true, force: true });
    mkdirSync(project, { recursive: true });
    for (const f of ['talk.mp4', 'scenes-a.mp4', 'scenes-b.mp4'])
      copyFileSync(join(repo, 'samples/out', f), join(project, f));
    const example = join(shared, 'media/auto-editor/example.mp4');
    if (existsSync(example)) copyFileSync(example, join(project, 'example.mp4'));
    return { project, result: join(outDir, 'latency.json') };
  },
  commands: ({ project, result }) => [
    {
      label: 'watcher, 15 rules edits',
      argv: ['node', 'bench/watch-latency.mjs', project, '15', result],
    },
  ],
  notes: (_rows, { result }) => {
    const r = JSON.parse(readFileSync(result, 'utf8'));
    console.log(
      `rules edit → both outputs in place: median ${r.medianMs} ms (max ${r.maxMs} ms; the run itself ${r.medianRunMs} ms; ${r.medianCpuMs} ms of CPU; load average ${r.loadAverage.toFixed(1)}), target ≤ 300 ms`,
    );
    return r;
  },
};
