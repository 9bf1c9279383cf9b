import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { StageName } from '../../schemas/events.js';
import type { WatchEvent } from '../../schemas/watch.js';
import { startWatcher } from '../../watch/watcher.js';
import { action } from '../context.js';
import { eventPrinter } from '../event-printer.js';
import { flags } from '../flags.js';

interface Flags {
  media?: string;
  rules?: string;
  reload?: 'kdenlive' | 'none';
  onChange?: string[];
  skip?: StageName[];
  model?: string;
  backend?: 'local' | 'beam' | 'lightning';
}

/** One line for the user per watcher event (run events go through the pipeline's printer). */
function watchLine(e: WatchEvent): string | undefined {
  switch (e.type) {
    case 'watch.ready':
      return `Watching ${e.project} (${e.media.length} media file${e.media.length === 1 ? '' : 's'}; rules ${e.rules}). Ctrl-C stops.`;
    case 'watch.changed':
      return `changed: ${e.changes.map((c) => `${c.path} (${c.event})`).join(', ')}`;
    case 'watch.regenerated':
      return `✓ regenerated (${e.mode === 'rules' ? 'rules only, cached analysis' : 'full'}) in ${e.seconds.toFixed(2)} s: ${
        e.outputs
          .filter((o) => o.changed !== false)
          .map((o) => o.path)
          .join(', ') || 'no change in the timeline'
      }`;
    case 'watch.beside':
    case 'watch.notice':
      return e.message;
    case 'watch.rules-invalid':
      return `✗ rules not applied: ${e.message} (the last good timeline stays)`;
    case 'watch.media-skipped':
      return `✗ skipped ${e.file}: ${e.error}`;
    case 'watch.reload':
      return e.status === 'reloaded'
        ? `↻ Kdenlive ${e.pid} reloaded the project (${(e.seconds ?? 0).toFixed(2)} s)`
        : `Kdenlive not reloaded: ${e.reason}`;
    case 'watch.on-change':
      return e.error
        ? `--on-change could not run: ${e.error}`
        : `--on-change ${e.command.join(' ')}: exit ${e.exitCode}${e.exitCode !== 0 && e.output ? `\n${e.output}` : ''}`;
    case 'watch.error':
      return `✗ ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`;
    case 'watch.stopped':
      return `Stopped after ${e.regenerations} regeneration${e.regenerations === 1 ? '' : 's'}.`;
    default:
      return undefined;
  }
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description(
      'keep autoedit.kdenlive / autoedit.mlt in a project folder up to date as media and rules change',
    )
    .argument('[project-folder]', 'the Kdenlive/Shotcut project folder', '.')
    .option('--media <dir>', 'where the media are (default: the project folder, recursively)')
    .addOption(
      Object.assign(flags.rules(), {
        description:
          'rules file (default: <project-folder>/autoedit.rules.json, created with the defaults when missing)',
      }),
    )
    .addOption(flags.reload())
    .addOption(flags.onChange())
    .addOption(flags.stages('--skip', 'comma-separated stages to skip: scenes, vad, stt'))
    .addOption(flags.model())
    .addOption(flags.backend())
    .addHelpText(
      'after',
      `
Outputs: <project-folder>/autoedit.kdenlive (open it in Kdenlive) and autoedit.mlt (Shotcut, melt); run data
and caches: <project-folder>/.autoedit/. A file being copied in is used once complete; a rules edit
re-runs only selection and export. An output you edited and saved is never replaced: the new timeline is
written beside it (autoedit-2.kdenlive). Kdenlive reloads the project by itself over D-Bus when it has
it open without unsaved changes; Shotcut cannot be told to reload (reopen the file).
--json (or --events) prints every event as a JSON line (run events and watch.* events).

Examples:
  $ autoedit watch ~/Videos/trip
  $ autoedit watch . --media footage --on-change "notify-send 'AutoEdit' 'timeline updated'"
  $ autoedit watch . --json | jq -c 'select(.type == "watch.regenerated")'`,
    )
    .action(
      action(async (ctx, project: string, f: Flags) => {
        const json = !!(ctx.globals.json || ctx.globals.events);
        const printRun = eventPrinter(ctx.progress);
        const quiet = ctx.globals.quiet;
        const w = await startWatcher({
          project: resolve(project),
          media: f.media,
          rulesFile: f.rules,
          reload: f.reload ?? 'auto',
          onChange: f.onChange,
          skip: f.skip,
          model: f.model,
          backend: f.backend,
          onEvent: (e) => {
            if (json) return void process.stdout.write(`${JSON.stringify(e)}\n`);
            if (!e.type.startsWith('watch.')) return quiet ? undefined : printRun(e as never);
            const line = watchLine(e);
            if (line) process.stderr.write(`${line}\n`);
          },
        });
        // Ctrl-C / SIGTERM: the current run is cancelled (outputs are renamed into place whole, or not at all).
        await new Promise<void>((r) => {
          if (ctx.signal.aborted) r();
          else ctx.signal.addEventListener('abort', () => r(), { once: true });
        });
        await w.stop();
        return 0;
      }),
    );
}
