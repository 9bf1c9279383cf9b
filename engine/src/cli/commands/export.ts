import { basename, dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat, FORMATS, isExportFormat } from '../../exporters/formats.js';
import { readSelection, runExport } from '../../pipeline/stages.js';
import { UserError } from '../../util/errors.js';
import { action } from '../context.js';

/** "mlt,kdenlive" → validated formats. */
export function parseFormats(list: string): ExportFormat[] {
  const formats = list
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  for (const f of formats)
    if (!isExportFormat(f))
      throw new UserError(`unknown export format "${f}"`, `Formats: ${EXPORT_FORMATS.join(', ')}.`);
  return formats as ExportFormat[];
}

/** The run's artifacts/ folder when the selection sits in one (for transcripts → subtitles). */
const artifactsOf = (selectionFile: string) => dirname(resolve(selectionFile));

export function registerExport(program: Command): void {
  program
    .command('export-mlt')
    .description('write the selection as a Shotcut project (MLT XML) that Shotcut opens and melt renders')
    .argument('<selection>', 'selection.json')
    .requiredOption('-o, --output <file>', 'output .mlt file')
    .action(
      action(async (ctx, selection: string, flags: { output: string }) => {
        const out = resolve(flags.output);
        const ext = extname(out);
        const r = await runExport(
          await readSelection(resolve(selection)),
          ['mlt'],
          dirname(out),
          basename(out, ext || undefined),
        );
        const w = r.written[0]!;
        ctx.result({ ok: true, output: w.path, backup: w.backup });
        if (w.backup) ctx.say(`The previous ${w.path} had hand edits: kept as ${w.backup}`);
        ctx.say(`Wrote ${w.path}`);
        return 0;
      }),
    );
  program
    .command('export')
    .description('write the selection as editor projects, interchange files and subtitles')
    .argument('<selection>', 'selection.json')
    .requiredOption('-o, --output <dir>', 'output folder (files are named <name>.<ext>)')
    .option('-f, --format <list>', `comma-separated: ${EXPORT_FORMATS.join(', ')}`, 'mlt,kdenlive')
    .option('-n, --name <name>', 'base file name', 'edit')
    .addHelpText(
      'after',
      `\nFormats:\n${EXPORT_FORMATS.map((f) => `  ${f.padEnd(9)} ${FORMATS[f].description}`).join('\n')}`,
    )
    .action(
      action(async (ctx, selection: string, flags: { output: string; format: string; name: string }) => {
        const formats = parseFormats(flags.format);
        const r = await runExport(
          await readSelection(resolve(selection)),
          formats,
          resolve(flags.output),
          flags.name,
          artifactsOf(selection),
        );
        ctx.result({ ok: true, written: r.written, skipped: r.skipped });
        for (const w of r.written)
          ctx.say(`Wrote ${w.path}${w.backup ? ` (hand-edited previous version kept as ${w.backup})` : ''}`);
        for (const s of r.skipped) ctx.say(`Skipped ${s.format}: ${s.why}`);
        return 0;
      }),
    );
}
