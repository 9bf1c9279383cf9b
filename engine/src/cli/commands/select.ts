import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { runSelect } from '../../pipeline/stages.js';
import { loadRules } from '../../select/rules-file.js';
import { action } from '../context.js';

export function registerSelect(program: Command): void {
  program
    .command('select')
    .description(
      'apply selection rules to the analysis artifacts of a run: what is kept, what is cut, and why',
    )
    .argument('<artifacts>', "a run's artifacts/ folder")
    .option('-o, --output <file>', 'selection file (default: <artifacts>/selection.json)')
    .option(
      '-r, --rules <file>',
      'rules.json (default: rules.json in the run folder, else built-in defaults)',
    )
    .addHelpText('after', '\nExample:\n  $ autoedit select runs/demo/artifacts --rules my-rules.json')
    .action(
      action(async (ctx, artifacts: string, flags: { output?: string; rules?: string }) => {
        const dir = resolve(artifacts);
        const runDir = resolve(dir, '..');
        const { config } = loadConfig({ projectDir: runDir, configFile: ctx.globals.config });
        const explicit = flags.rules ?? config.rules;
        const { rules, file } = await loadRules(explicit ?? join(runDir, 'rules.json'), !!explicit);
        const out = resolve(flags.output ?? join(dir, 'selection.json'));
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
        for (const s of selection.skippedRules) ctx.say(`  rule ${s.rule} skipped: ${s.why}`);
        ctx.say(`Selection: ${out}`);
        return 0;
      }),
    );
}
