import type { Command } from 'commander';
import {
  fileFor,
  KNOWN_MODELS,
  listModels,
  type ModelSpec,
  pullModel,
  userModelDir,
} from '../../speech/whisper/models.js';
import { UserError } from '../../util/errors.js';
import { action } from '../context.js';

export function registerModels(program: Command): void {
  const models = program.command('models').description('manage local speech models (Whisper ggml files)');
  models
    .command('list')
    .description('show installed models and where AutoEdit looks for them')
    .action(
      action(async (ctx) => {
        const { config } = ctx.config();
        const found = listModels({ configured: config.stt.model_path });
        ctx.result({
          ok: true,
          installed: found,
          cacheDir: userModelDir(),
          known: Object.keys(KNOWN_MODELS),
        });
        ctx.say(
          found.length
            ? found
                .map((m) => `${m.name.padEnd(12)} ${(m.bytes / 1e6).toFixed(1).padStart(7)} MB  ${m.path}`)
                .join('\n')
            : 'No models installed.',
        );
        ctx.say(`\nSearched: config stt.model_path, $AUTOEDIT_MODELS, ${userModelDir()}`);
        ctx.say(`Available to pull: ${Object.keys(KNOWN_MODELS).join(', ')}`);
        return 0;
      }),
    );
  models
    .command('pull')
    .description('download a named model into the user cache, verifying its checksum')
    .argument('<name>', `one of ${Object.keys(KNOWN_MODELS).join(', ')}`)
    .option('--base-url <url>', 'mirror to download from (the file is <url>/ggml-<name>.bin)')
    .option('--sha256 <hex>', 'expected SHA-256 of the file: pull a model AutoEdit does not know by name')
    .action(
      action(async (ctx, name: string, flags: { baseUrl?: string; sha256?: string }) => {
        let spec: ModelSpec | undefined;
        if (flags.sha256) {
          if (!/^[0-9a-f]{64}$/i.test(flags.sha256))
            throw new UserError(`--sha256 must be 64 hexadecimal digits, got "${flags.sha256}"`);
          spec = { file: fileFor(name), algorithm: 'sha256', digest: flags.sha256.toLowerCase() };
        }
        ctx.progress.start(`downloading ${name}`, 100);
        const path = await pullModel(name, {
          spec,
          baseUrl: flags.baseUrl,
          onProgress: (d, t) =>
            ctx.progress.update(t ? Math.round((d / t) * 100) : 0, `${(d / 1e6).toFixed(1)} MB`),
        });
        ctx.progress.done(`downloaded ${name} → ${path}`);
        ctx.result({ ok: true, name, path });
        ctx.say(`Installed ${path}`);
        return 0;
      }),
    );
}
