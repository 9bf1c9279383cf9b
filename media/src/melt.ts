import { produceAtomically } from './atomic.js';
import { run } from './exec.js';

/** Render an MLT/Kdenlive XML file with melt to an H.264/AAC mp4, atomically. */
export async function meltRender(
  project: string,
  output: string,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<void> {
  await produceAtomically(output, (tmp) =>
    run(
      'melt',
      [
        '-quiet',
        project,
        '-consumer',
        `avformat:${tmp}`,
        'f=mp4',
        'vcodec=libx264',
        'preset=ultrafast',
        'acodec=aac',
        'real_time=0',
      ],
      { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 300_000 },
    ),
  );
}
