import type { Command } from 'commander';
import { loadConfig, redact, yaml } from '../../config/load.js';
import { action } from '../context.js';

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('inspect the configuration (config.yaml, .env, environment)');
  config
    .command('show')
    .description('print the effective configuration with secrets redacted')
    .option('--project <dir>', 'project (run) folder whose config.yaml applies')
    .action(
      action(async (ctx, opts: { project?: string }) => {
        const { config: cfg, files } = loadConfig({
          projectDir: opts.project,
          configFile: ctx.globals.config,
        });
        const safe = redact(cfg);
        ctx.result({ ok: true, files, config: safe });
        ctx.say(`# from: ${files.length ? files.join(', ') : 'defaults and environment only'}`);
        ctx.say(yaml().stringify(safe).trimEnd());
        return 0;
      }),
    );
}
