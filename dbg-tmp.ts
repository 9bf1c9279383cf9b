import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, runPipeline } from '@autoedit/engine';
import { KEY, startService } from './test/helpers/stt-service.ts';
import { tinyWhisper } from './test/helpers/tiny-whisper.ts';

const svc = await startService({ STT_FETCH_ALLOW: '127.0.0.1' });
const dir = await mkdtemp(join(tmpdir(), 'dbg-'));
const model = await tinyWhisper();
for (const name of [process.argv[2]]) {
  const yaml =
    name === 'local'
      ? 'stt: { language: en }\nexports: [mlt]\n'
      : [
          'stt: { language: en }',
          'exports: [mlt]',
          'stt_backend: lightning',
          'lightning:',
          '  base_url: ${SVC}',
          '  api_key: ${LIGHTNING_API_KEY}',
          '  timeout_s: 60',
          'beam: { window_s: 30, concurrency: 2 }',
          '',
        ].join('\n');
  await writeFile(join(dir, `${name}.yaml`), yaml);
  const { config } = loadConfig({
    cwd: dir,
    configFile: `${name}.yaml`,
    env: { LIGHTNING_API_KEY: KEY, SVC: svc.url },
  });
  const t0 = performance.now();
  const r = await runPipeline({
    runDir: join(dir, name),
    inputs: ['samples/out/talk-x3.wav'],
    config,
    model,
    skip: ['scenes'],
    onEvent: (e) => {
      if (e.type !== 'stage.progress')
        console.log(
          ((performance.now() - t0) / 1000).toFixed(1),
          e.type,
          (e as any).stage ?? '',
          (e as any).summary ?? (e as any).message ?? (e as any).error?.message ?? '',
        );
    },
  });
}
console.log(svc.raw().split('\n').slice(-5).join('\n'));
await svc.close();
