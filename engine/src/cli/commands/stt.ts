import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { toSrt, toVtt, transcriptCues } from '../../exporters/subtitles.js';
import { planFromConfig } from '../../pipeline/assemble.js';
import { readArtifact, writeArtifact } from '../../project/artifacts.js';
import { TranscriptSchema } from '../../schemas/transcript.js';
import { VadSchema } from '../../schemas/vad.js';
import { BeamBackend } from '../../speech/beam/backend.js';
import { transcribeFile } from '../../speech/transcribe.js';
import { findModel, ModelNotFoundError } from '../../speech/whisper/models.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { UserError } from '../../util/errors.js';
import { action } from '../context.js';
import { flags as sharedFlags } from '../flags.js';

interface Flags {
  output: string;
  model?: string;
  lang?: string;
  prompt?: string;
  window: string;
  overlap: string;
  jobs: string;
  threads?: string;
  vad?: string;
  srt?: boolean;
  vtt?: boolean;
  backend?: 'local' | 'beam' | 'lightning';
}

function positive(v: string, name: string): number {
  const n = Number(v);
  if (!(n > 0)) throw new UserError(`${name} must be a positive number, got "${v}"`);
  return n;
}

export function registerStt(program: Command): void {
  program
    .command('stt')
    .description('transcribe speech locally with Whisper (whisper.cpp) → transcript.json with word timings')
    .argument('<input>', 'audio (runs/<id>/audio/x.wav) or any media file')
    .requiredOption('-o, --output <file>', 'transcript.json to write')
    .option(
      '-m, --model <path>',
      'ggml model file or folder (default: config stt.model_path, $AUTOEDIT_MODELS, ~/.cache/autoedit/models)',
    )
    .option('-l, --lang <code>', 'spoken language (default: auto-detect, or config stt.language)')
    .option('-p, --prompt <text>', 'initial prompt / vocabulary hint (names, jargon)')
    .option('--window <seconds>', 'window length for long audio', '300')
    .option('--overlap <seconds>', 'audio shared by neighbouring windows at each seam', '1')
    .option('-j, --jobs <n>', 'windows transcribed in parallel (one worker process and model copy each)', '1')
    .option('-t, --threads <n>', 'CPU threads per window (default: cores / jobs)')
    .option('--vad <vad.json>', 'speech ranges from `autoedit vad` (default: Silero runs here)')
    .option('--srt', 'also write <output>.srt')
    .option('--vtt', 'also write <output>.vtt')
    .addOption(sharedFlags.backend())
    .addHelpText(
      'after',
      '\nExamples:\n  $ autoedit models pull base.en\n  $ autoedit stt runs/demo/audio/talk.mp4.wav -o runs/demo/artifacts/transcript.json --srt',
    )
    .action(
      action(async (ctx, input: string, flags: Flags) => {
        const { config } = loadConfig({ configFile: ctx.globals.config });
        const plan = planFromConfig(config, { model: flags.model, backend: flags.backend }).stt;
        // With Beam the local model is only the fallback: its absence is a warning, not an error.
        let modelPath: string | undefined;
        try {
          modelPath = findModel(plan.lookup);
        } catch (e) {
          if (!(e instanceof ModelNotFoundError) || plan.backend !== 'beam') throw e;
          process.stderr.write(`autoedit: warning: no local Whisper model to fall back on (${e.message})\n`);
        }
        const beam = plan.beam
          ? await BeamBackend.open(plan.beam, { localModel: modelPath, signal: ctx.signal })
          : undefined;
        const out = resolve(flags.output);
        const tr = await transcribeFile(resolve(input), {
          modelPath: modelPath ?? '',
          language: flags.lang ?? config.stt.language,
          prompt: flags.prompt ?? config.stt.prompt,
          window: positive(flags.window, '--window'),
          overlap: Number(flags.overlap) >= 0 ? Number(flags.overlap) : positive(flags.overlap, '--overlap'),
          concurrency: Math.round(positive(flags.jobs, '--jobs')),
          threads: flags.threads === undefined ? undefined : Math.round(positive(flags.threads, '--threads')),
          speech: flags.vad ? (await readArtifact(resolve(flags.vad), VadSchema)).speech : undefined,
          cache: { dir: join(dirname(out), 'cache'), disabled: !ctx.globals.cache },
          progress: ctx.progress,
          signal: ctx.signal,
          ...beam?.transcribeOptions(resolve(input)),
        }).finally(() => beam?.close());
        const where = beam?.summary();
        for (const w of where?.warnings ?? []) process.stderr.write(`autoedit: warning: ${w}\n`);
        await writeArtifact(out, TranscriptSchema, tr);
        const written = [out];
        const stem = out.replace(/\.json$/, '');
        for (const [wanted, ext, format] of [
          [flags.srt, 'srt', toSrt],
          [flags.vtt, 'vtt', toVtt],
        ] as const) {
          if (!wanted) continue;
          await writeFileAtomic(`${stem}.${ext}`, format(transcriptCues(tr)));
          written.push(`${stem}.${ext}`);
        }
        const words = tr.segments.reduce((a, s) => a + s.words.length, 0);
        ctx.result({
          ok: true,
          output: out,
          written,
          model: tr.model,
          language: tr.language,
          segments: tr.segments.length,
          words,
          ...(beam ? { backend: 'beam', windows: beam.report, warnings: where?.warnings } : {}),
        });
        if (where) ctx.say(`Beam: windows ${where.line}`);
        ctx.say(
          `${words} words in ${tr.segments.length} segment(s), language ${tr.language}, model ${tr.model}`,
        );
        for (const w of written) ctx.say(`Wrote ${w}`);
        return 0;
      }),
    );
}
