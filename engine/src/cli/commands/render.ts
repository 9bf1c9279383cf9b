import { resolve } from 'node:path';
import type { Command } from 'commander';
import { profileFromConfig } from '../../pipeline/assemble.js';
import { readSelection } from '../../pipeline/stages.js';
import { renderSelection } from '../../render/render.js';
import type { ProfileChoice } from '../../timeline/profile.js';
import { action } from '../context.js';
import { flags } from '../flags.js';

export function registerRender(program: Command): void {
  program
    .command('render')
    .description('render the kept ranges of a selection to one video file with ffmpeg (frame-exact cuts)')
    .argument('<selection>', 'selection.json')
    .addOption(flags.output('output .mp4').makeOptionMandatory())
    .addOption(flags.profile())
    .action(
      action(async (ctx, selection: string, f: { output: string; profile?: ProfileChoice }) => {
        const out = resolve(f.output);
        return ctx.inRun('render', [selection], async ({ config }) => {
          ctx.progress.start('render');
          const r = await renderSelection(await readSelection(resolve(selection)), out, {
            signal: ctx.signal,
            profile: f.profile ?? profileFromConfig(config.profile),
          });
          ctx.progress.done(`render: ${r.frames} frames (${r.seconds.toFixed(2)} s) → ${out}`);
          ctx.result({ ok: true, output: out, frames: r.frames, seconds: r.seconds });
          ctx.say(`Wrote ${out}`);
          return 0;
        });
      }),
    );
}
