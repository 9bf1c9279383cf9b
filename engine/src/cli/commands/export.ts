import { basename, dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat, FORMATS } from '../../exporters/formats.js';
import { profileFromConfig, subtitleStyle } from '../../pipeline/assemble.js';
import { readSelection, runExport } from '../../pipeline/stages.js';
import type { ProfileChoice } from '../../timeline/profile.js';
import { action } from '../context.js';
import { flags } from '../flags.js';

/** The run's artifacts/ folder when the selection sits in one (for transcripts → subtitles). */
const artifactsOf = (selectionFile: string) => dirname(resolve(selectionFile));

export function registerExport(program: Command): void {
  program
    .command('export-mlt')
    .description('write the selection as a Shotcut project (MLT XML) that Shotcut opens and melt renders')
    .argument('<selection>', 'selection.json')
    .addOption(flags.output('output .mlt file').makeOptionMandatory())
    .addOption(flags.profile())
    .action(
      action(async (ctx, selection: string, f: { output: string; profile?: ProfileChoice }) => {
        const out = resolve(f.output);
        return ctx.inRun('export-mlt', [selection], async ({ config }) => {
          const r = await runExport(
            await readSelection(resolve(selection)),
            ['mlt'],
            dirname(out),
            basename(out, extname(out) || undefined),
            undefined,
            { signal: ctx.signal, profile: f.profile ?? profileFromConfig(config.profile) },
          );
          const w = r.written[0]!;
          ctx.result({ ok: true, output: w.path, backup: w.backup });
          if (w.backup) ctx.say(`The previous ${w.path} had hand edits: kept as ${w.backup}`);
          ctx.say(`Wrote ${w.path}`);
          return 0;
        });
      }),
    );
  program
    .command('export')
    .description('write the selection as editor projects, interchange files and subtitles')
    .argument('<selection>', 'selection.json')
    .addOption(flags.output('output folder (files are named <name>.<ext>)', 'dir').makeOptionMandatory())
    .addOption(flags.formats('mlt,kdenlive'))
    .addOption(flags.name('base file name').default('edit'))
    .addOption(flags.profile())
    .addHelpText(
      'after',
      `\nFormats:\n${EXPORT_FORMATS.map((f) => `  ${f.padEnd(9)} ${FORMATS[f].description}`).join('\n')}`,
    )
    .action(
      action(
        async (
          ctx,
          selection: string,
          f: { output: string; format: ExportFormat[]; name: string; profile?: ProfileChoice },
        ) => {
          return ctx.inRun('export', [selection], async ({ config }) => {
            const r = await runExport(
              await readSelection(resolve(selection)),
              f.format,
              resolve(f.output),
              f.name,
              artifactsOf(selection),
              {
                signal: ctx.signal,
                subtitles: subtitleStyle(config),
                profile: f.profile ?? profileFromConfig(config.profile),
              },
            );
            ctx.result({ ok: true, written: r.written, skipped: r.skipped, warnings: r.warnings });
            for (const w of r.written)
              ctx.say(
                `Wrote ${w.path}${w.backup ? ` (hand-edited previous version kept as ${w.backup})` : ''}`,
              );
            for (const s of r.skipped) ctx.say(`Skipped ${s.format}: ${s.why}`);
            for (const w of r.warnings) ctx.say(`Note: ${w}`);
            return 0;
          });
        },
      ),
    );
}
