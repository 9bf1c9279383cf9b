import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeArtifact } from '../../project/artifacts.js';
import { VadSchema } from '../../schemas/vad.js';
import { ENERGY_VAD_DEFAULTS } from '../../speech/energy-vad.js';
import { detectSpeechEnergy } from '../../speech/vad-stage.js';
import { action } from '../context.js';

export function registerVad(program: Command): void {
  program
    .command('vad')
    .description('detect speech ranges (voice activity) in an audio or media file → vad.json')
    .argument('<input>', 'audio (e.g. runs/<id>/audio/x.flac) or any media file')
    .requiredOption('-o, --output <file>', 'vad.json to write')
    .option('--threshold <level>', 'energy detector: peak level (0–1) that counts as sound', String(ENERGY_VAD_DEFAULTS.threshold))
    .action(
      action(async (ctx, input: string, flags: { output: string; threshold: string }) => {
        const vad = await detectSpeechEnergy(resolve(input), { params: { threshold: Number(flags.threshold) } });
        await writeArtifact(resolve(flags.output), VadSchema, vad);
        const total = vad.speech.reduce((a, r) => a + r.end - r.start, 0);
        ctx.result({ ok: true, output: resolve(flags.output), ranges: vad.speech.length, speechSeconds: total });
        ctx.say(`${vad.speech.length} speech range(s), ${total.toFixed(2)} s of ${vad.duration.toFixed(2)} s → ${resolve(flags.output)}`);
        return 0;
      }),
    );
}
