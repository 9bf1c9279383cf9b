import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { writeArtifact } from '../../project/artifacts.js';
import { VadSchema } from '../../schemas/vad.js';
import { detectSpeech, vadChoice } from '../../speech/vad-stage.js';
import { UserError } from '../../util/errors.js';
import { action } from '../context.js';

export function registerVad(program: Command): void {
  program
    .command('vad')
    .description('detect speech ranges (voice activity) in an audio or media file → vad.json')
    .argument('<input>', 'audio (e.g. runs/<id>/audio/x.wav) or any media file')
    .requiredOption('-o, --output <file>', 'vad.json to write')
    .option(
      '-d, --detector <name>',
      'silero (Silero VAD model, ships with AutoEdit) or energy (loudness, no model)',
    )
    .option('--threshold <n>', 'silero: speech probability (0.5); energy: peak level 0–1 (0.04)')
    .option('--model <file>', 'another silero_vad.onnx')
    .addHelpText(
      'after',
      '\nExample:\n  $ autoedit vad runs/demo/audio/talk.mp4.wav -d silero -o runs/demo/artifacts/vad.json',
    )
    .action(
      action(
        async (
          ctx,
          input: string,
          flags: { output: string; detector?: string; threshold?: string; model?: string },
        ) => {
          const { config } = loadConfig({ configFile: ctx.globals.config });
          const threshold = flags.threshold === undefined ? config.vad.threshold : Number(flags.threshold);
          if (threshold !== undefined && !(threshold >= 0 && threshold <= 1))
            throw new UserError(`--threshold must be between 0 and 1, got "${flags.threshold}"`);
          const choice = vadChoice(flags.detector ?? config.vad.detector, threshold);
          if (flags.model) choice.silero = { ...choice.silero, model: resolve(flags.model) };
          const vad = await detectSpeech(resolve(input), choice);
          await writeArtifact(resolve(flags.output), VadSchema, vad);
          const total = vad.speech.reduce((a, r) => a + r.end - r.start, 0);
          ctx.result({
            ok: true,
            output: resolve(flags.output),
            detector: vad.detector,
            ranges: vad.speech,
            speechSeconds: total,
          });
          ctx.say(
            `${vad.detector}: ${vad.speech.length} speech range(s), ${total.toFixed(2)} s of ${vad.duration.toFixed(2)} s`,
          );
          for (const r of vad.speech.slice(0, 20))
            ctx.say(`  ${r.start.toFixed(2)}–${r.end.toFixed(2)} s  (${r.probability.toFixed(2)})`);
          if (vad.speech.length > 20) ctx.say(`  … ${vad.speech.length - 20} more`);
          ctx.say(`VAD: ${resolve(flags.output)}`);
          return 0;
        },
      ),
    );
}
