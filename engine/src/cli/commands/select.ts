import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { runSelect } from '../../pipeline/stages.js';
import { loadRules } from '../../select/rules-file.js';
import { skippedRuleLines } from '../../select/select.js';
import { action } from '../context.js';
import { flags } from '../flags.js';

export function registerSelect(program: Command): void {
  program
    .command('select')
    .description(
      'apply selection rules to the analysis artifacts of a run: what is kept, what is cut, and why',
    )
    .argument('<artifacts>', "a run's artifacts/ folder")
    .addOption(flags.output('selection file (default: <artifacts>/selection.json)'))
    .addOption(flags.rules())
    .addHelpText('after', '\nExample:\n  $ autoedit select runs/demo/artifacts --rules my-rules.json')
    .action(
      action(async (ctx, artifacts: string, f: { output?: string; rules?: string }) => {
        const dir = resolve(artifacts);
        const runDir = resolve(dir, '..');
        const out = resolve(f.output ?? join(dir, 'selection.json'));
        return ctx.inRun('select', [runDir], async ({ config }) => {
          const explicit = f.rules ?? config.rules;
          const { rules, file } = await loadRules(
            explicit ? resolve(explicit) : join(runDir, 'rules.json'),
            !!explicit,
          );
          const { selection, inputs } = await runSelect(dir, rules, out);
          const kept = selection.kept.reduce((a, k) => a + k.end - k.start, 0);
          ctx.result({
            ok: true,
            selection: out,
            rules: file ?? 'defaults',
            inputs,
            kept: selection.kept.length,
            keptSeconds: kept,
            skippedRules: selection.skippedRules,
          });
          ctx.say(
            `Rules: ${file ?? 'built-in defaults'}; analyses: ${inputs.length ? inputs.join(', ') : 'none'}`,
          );
          ctx.say(
            `Kept ${kept.toFixed(2)} s in ${selection.kept.length} clip(s), dropped ${selection.dropped.length} range(s)`,
          );
          for (const line of skippedRuleLines(selection.skippedRules)) ctx.say(`  ${line}`);
          ctx.say(`Selection: ${out}`);
          return 0;
        });
      }),
    );
}
