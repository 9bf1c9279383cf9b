import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { toSrt, toVtt, transcriptCues } from '../../exporters/subtitles.js';
import { readArtifact, writeArtifact } from '../../project/artifacts.js';
import { TranscriptSchema } from '../../schemas/transcript.js';
import { VadSchema } from '../../schemas/vad.js';
import { transcribeFile } from '../../speech/transcribe.js';
import { findModel } from '../../speech/whisper/models.js';
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
    .addHelpText(
      'after',
      '\nExamples:\n  $ autoedit models pull base.en\n  $ autoedit stt runs/demo/audio/talk.mp4.wav -o runs/demo/artifacts/transcript.json --srt',
    )
    .action(
      action(async (ctx, input: string, f: Flags) => {
        const out = resolve(f.output);
        return ctx.inRun('stt', [out, input], async ({ config }) => {
          const modelPath = findModel({
            explicit: f.model,
            configured: config.stt.model_path,
            name: config.stt.model,
          });
          const tr = await transcribeFile(resolve(input), {
            modelPath,
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
          });
          await writeArtifact(out, TranscriptSchema, tr);
          const written = [out];
          const stem = out.replace(/\.json$/, '');
          for (const [wanted, ext, format] of [
            [f.srt, 'srt', toSrt],
            [f.vtt, 'vtt', toVtt],
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
          });
          ctx.say(
            `${words} words in ${tr.segments.length} segment(s), language ${tr.language}, model ${tr.model}`,
          );
          for (const w of written) ctx.say(`Wrote ${w}`);
          return 0;
        });
      }),
    );
}
