import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { toSrt, toVtt, transcriptCues } from '../../exporters/subtitles.js';
import { planFromConfig, subtitleStyle } from '../../pipeline/assemble.js';
import { readArtifact, writeArtifact } from '../../project/artifacts.js';
import { TranscriptSchema } from '../../schemas/transcript.js';
import { VadSchema } from '../../schemas/vad.js';
import { BeamBackend } from '../../speech/beam/backend.js';
import { transcribeFile } from '../../speech/transcribe.js';
import { findModel, ModelNotFoundError } from '../../speech/whisper/models.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { action } from '../context.js';
import { flags, numberArg } from '../flags.js';

interface Flags {
  output: string;
  model?: string;
  lang?: string;
  prompt?: string;
  window: number;
  overlap: number;
  jobs: number;
  threads?: number;
  vad?: string;
  srt?: boolean;
  vtt?: boolean;
  backend?: 'local' | 'beam' | 'lightning';
}

export function registerStt(program: Command): void {
  program
    .command('stt')
    .description('transcribe speech locally with Whisper (whisper.cpp) → transcript.json with word timings')
    .argument('<input>', 'audio (runs/<id>/audio/x.wav) or any media file')
    .addOption(flags.output('transcript.json to write').makeOptionMandatory())
    .addOption(flags.model())
    .addOption(flags.lang())
    .addOption(flags.prompt())
    .addOption(
      new Option('--window <seconds>', 'window length for long audio')
        .argParser(numberArg({ min: 10 }))
        .default(300),
    )
    .addOption(
      new Option('--overlap <seconds>', 'audio shared by neighbouring windows at each seam')
        .argParser(numberArg({ min: 0, max: 10 }))
        .default(1),
    )
    .addOption(
      flags.jobs('windows transcribed in parallel (one worker process and model copy each)').default(1),
    )
    .addOption(
      new Option('--threads <n>', 'CPU threads per window (default: cores / jobs)').argParser(
        numberArg({ min: 1, integer: true }),
      ),
    )
    .option('--vad <vad.json>', 'speech ranges from `autoedit vad` (default: Silero runs here)')
    .option('--srt', 'also write <output>.srt')
    .option('--vtt', 'also write <output>.vtt')
    .addOption(flags.backend())
    .addHelpText(
      'after',
      '\nExamples:\n  $ autoedit models pull base.en\n  $ autoedit stt runs/demo/audio/talk.mp4.wav -o runs/demo/artifacts/transcript.json --srt',
    )
    .action(
      action(async (ctx, input: string, f: Flags) => {
        const out = resolve(f.output);
        return ctx.inRun('stt', [out, input], async ({ config }) => {
          const plan = planFromConfig(config, { model: f.model, backend: f.backend }).stt;
          // With Beam the local model is only the fallback: its absence is a warning, not an error.
          let modelPath: string | undefined;
          try {
            modelPath = findModel(plan.lookup);
          } catch (e) {
            if (!(e instanceof ModelNotFoundError) || plan.backend !== 'beam') throw e;
            process.stderr.write(
              `autoedit: warning: no local Whisper model to fall back on (${e.message})\n`,
            );
          }
          const beam = plan.beam
            ? await BeamBackend.open(plan.beam, { localModel: modelPath, signal: ctx.signal })
            : undefined;
          const tr = await transcribeFile(resolve(input), {
            modelPath: modelPath ?? '',
            language: f.lang ?? config.stt.language,
            prompt: f.prompt ?? config.stt.prompt,
            window: f.window,
            overlap: f.overlap,
            concurrency: f.jobs,
            threads: f.threads,
            speech: f.vad ? (await readArtifact(resolve(f.vad), VadSchema)).speech : undefined,
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
            [f.srt, 'srt', toSrt],
            [f.vtt, 'vtt', toVtt],
          ] as const) {
            if (!wanted) continue;
            await writeFileAtomic(`${stem}.${ext}`, format(transcriptCues(tr, subtitleStyle(config))));
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
        });
      }),
    );
}
