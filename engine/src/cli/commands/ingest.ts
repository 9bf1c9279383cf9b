import { join } from 'node:path';
import type { Command } from 'commander';
import { ingest } from '../../ingest/ingest.js';
import { runLayout } from '../../project/layout.js';
import { withRunLock } from '../../project/lock.js';
import { fileLogger } from '../../util/log.js';
import { action, EXIT } from '../context.js';
import { flags } from '../flags.js';

interface IngestFlags {
  output: string;
  copy?: boolean;
  proxies?: boolean;
  jobs: number;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'probe, hash and reference media in a run folder; extract 16 kHz mono audio (cached by content hash)',
    )
    .argument('<inputs...>', 'media files, directories or glob patterns')
    .addOption(flags.output('run folder, e.g. runs/demo', 'dir').makeOptionMandatory())
    .option('--copy', 'copy originals into raw/ instead of linking them')
    .option('--proxies', 'also make 360p proxies in proxies/')
    .addOption(flags.jobs('files processed in parallel').default(2))
    .addHelpText('after', '\nExample:\n  $ autoedit ingest footage/ "extra/*.mov" -o runs/demo --proxies')
    .action(
      action(async (ctx, inputs: string[], f: IngestFlags) => {
        const layout = runLayout(f.output);
        const logger = fileLogger(join(layout.logs, 'ingest.jsonl'), { stage: 'ingest' });
        const result = await withRunLock(
          layout.root,
          { command: 'autoedit ingest', signal: ctx.signal },
          () =>
            ingest(inputs, {
              runDir: layout.root,
              copy: f.copy,
              proxies: f.proxies,
              cache: ctx.globals.cache,
              concurrency: f.jobs,
              progress: ctx.progress,
              logger,
              signal: ctx.signal,
            }),
        );
        ctx.result({
          ok: result.failed.length === 0,
          run: result.run,
          mediaDb: result.mediaDb,
          seconds: result.seconds,
          media: result.items.map((i) => ({
            input: i.input,
            name: i.entry.name,
            status: i.status,
            hash: i.entry.hash,
            duration: i.entry.probe.duration,
            raw: join(result.run, i.entry.raw),
            audio: i.entry.audio && join(result.run, i.entry.audio),
            proxy: i.entry.proxy && join(result.run, i.entry.proxy),
            seconds: i.seconds,
          })),
          failed: result.failed,
        });
        ctx.say(`Run folder: ${result.run}`);
        ctx.say(`Catalogue: ${result.mediaDb}`);
        for (const f of result.failed) ctx.say(`failed: ${f.input}: ${f.error}`);
        return result.failed.length ? EXIT.failed : EXIT.ok;
      }),
    );
}
