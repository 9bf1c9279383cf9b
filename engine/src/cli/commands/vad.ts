import { resolve } from 'node:path';
import type { Command } from 'commander';
import { writeArtifact } from '../../project/artifacts.js';
import { VadSchema } from '../../schemas/vad.js';
import { detectSpeech, type VadDetector, vadChoice } from '../../speech/vad-stage.js';
import { action } from '../context.js';
import { flags } from '../flags.js';

interface Flags {
  output: string;
  detector?: VadDetector;
  threshold?: number;
  model?: string;
}

export function registerVad(program: Command): void {
  program
    .command('vad')
    .description('detect speech ranges (voice activity) in an audio or media file → vad.json')
    .argument('<input>', 'audio (e.g. runs/<id>/audio/x.wav) or any media file')
    .addOption(flags.output('vad.json to write').makeOptionMandatory())
    .addOption(
      flags.detector(
        ['silero', 'energy'],
        'silero (Silero VAD model, ships with AutoEdit) or energy (loudness, no model)',
      ),
    )
    .addOption(
      flags.threshold('silero: speech probability (0.5); energy: peak level 0–1 (0.04)', { min: 0, max: 1 }),
    )
    .option('--model <file>', 'another silero_vad.onnx (this command has no Whisper model, so no -m)')
    .addHelpText(
      'after',
      '\nExample:\n  $ autoedit vad runs/demo/audio/talk.mp4.wav -d silero -o runs/demo/artifacts/vad.json',
    )
    .action(
      action(async (ctx, input: string, f: Flags) => {
        const out = resolve(f.output);
        return ctx.inRun('vad', [out, input], async ({ config }) => {
          const choice = vadChoice(f.detector ?? config.vad.detector, f.threshold ?? config.vad.threshold);
          if (f.model) choice.silero = { ...choice.silero, model: resolve(f.model) };
          const vad = await detectSpeech(resolve(input), { ...choice, signal: ctx.signal });
          await writeArtifact(out, VadSchema, vad);
          const total = vad.speech.reduce((a, r) => a + r.end - r.start, 0);
          ctx.result({
            ok: true,
            output: out,
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
          ctx.say(`VAD: ${out}`);
          return 0;
        });
      }),
    );
}
