import * as z from 'zod';

const seconds = (d: string) => z.number().min(0).describe(d);

const Range = z
  .object({
    source: z.string().optional().describe('Media file name (as in raw/) or path; omitted = every source'),
    start: seconds('Start, in seconds of the source'),
    end: seconds('End, in seconds of the source (exclusive)'),
  })
  .strict()
  // A range whose end is not after its start selects nothing: a typo, never an intent.
  .refine((r) => r.end > r.start, { message: 'end must be after start', path: ['end'] });

const TranscriptCut = z
  .object({
    source: z.string().optional(),
    text: z.string().optional().describe('Drop every occurrence of this word or phrase (case-insensitive)'),
    segment: z.number().int().min(0).optional().describe('Drop the sentence/segment with this index'),
    word: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Drop the word with this index (counted over the whole transcript)'),
  })
  .strict()
  .refine(
    (c) => c.text !== undefined || c.segment !== undefined || c.word !== undefined,
    'give text, segment or word',
  );

/** Selection rules (rules.json). Every field has a default, so `{}` is a valid rules file. */
export const RulesSchema = z
  .object({
    $schema: z.string().optional(),
    speech: z
      .object({
        enabled: z
          .boolean()
          .default(true)
          .describe('Keep only ranges with speech (from the transcript, else VAD); silence is cut'),
        source: z
          .enum(['auto', 'vad', 'transcript'])
          .default('auto')
          .describe('auto: transcript words when present, else VAD'),
        margin_before: seconds('Pre-roll kept before speech (auto-editor: 0.2 s)').default(0.2),
        margin_after: seconds('Post-roll kept after speech (auto-editor: 0.2 s)').default(0.2),
        min_probability: z
          .number()
          .min(0)
          .max(1)
          .default(0)
          .describe('Ignore VAD ranges whose mean probability is lower'),
      })
      .strict()
      .default({ enabled: true, source: 'auto', margin_before: 0.2, margin_after: 0.2, min_probability: 0 }),
    silence: z
      .object({
        min_silence: seconds('Silences shorter than this are kept (not cut): the minimum cut length').default(
          0.2,
        ),
        min_speech: seconds(
          'Sounds shorter than this are ignored (clicks, breaths): the minimum clip length',
        ).default(0.1),
      })
      .strict()
      .default({ min_silence: 0.2, min_speech: 0.1 }),
    min_clip: seconds(
      'Minimum clip length: after all rules, a kept piece shorter than this is dropped (its reason in ' +
        'selection.json names what it held), and a split (scene cut, max_length) that would leave one is ' +
        'not made. Kept pieces holding nothing but speech margins are dropped whatever their length. ' +
        'Manual keeps are never dropped. 0.4 s = 10 frames at 25 fps',
    ).default(0.4),
    min_cut: seconds(
      'Minimum gap: after all rules, kept pieces separated by less than this are joined (the gap is kept). ' +
        'Filler, transcript and manual cuts are never joined over',
    ).default(0.2),
    shots: z
      .object({
        speech_gated: z
          .boolean()
          .default(false)
          .describe('Keep whole shots that contain speech, drop shots without speech'),
        min_length: seconds('Drop shots shorter than this').default(0),
        max_length: z.number().positive().optional().describe('Shots longer than this are split or trimmed'),
        long_shots: z
          .enum(['split', 'trim'])
          .default('split')
          .describe('split: cut at every max_length; trim: keep only the first max_length'),
        split_at_cuts: z
          .boolean()
          .default(true)
          .describe('Start a new clip at every scene cut inside a kept range'),
      })
      .strict()
      // Every shot would be either too short or too long: contradictory, so refused rather than guessed at.
      .refine((s) => s.max_length === undefined || s.min_length <= s.max_length, {
        message: 'min_length must not be above max_length',
        path: ['min_length'],
      })
      .default({ speech_gated: false, min_length: 0, long_shots: 'split', split_at_cuts: true }),
    fillers: z
      .object({
        enabled: z.boolean().default(true).describe('Cut filler words found in the transcript'),
        words: z.array(z.string()).default(['um', 'uh', 'erm', 'er', 'ah', 'hmm', 'mm', 'uhm', 'umm']),
      })
      .strict()
      .default({ enabled: true, words: ['um', 'uh', 'erm', 'er', 'ah', 'hmm', 'mm', 'uhm', 'umm'] }),
    transcript_cuts: z
      .array(TranscriptCut)
      .default([])
      .describe('Words or sentences to drop, by text or index'),
    faces: z
      .object({
        required: z
          .boolean()
          .default(false)
          .describe('Drop ranges where no face is visible (needs vision.json)'),
        min_faces: z.number().int().min(1).default(1),
      })
      .strict()
      .default({ required: false, min_faces: 1 }),
    manual: z
      .object({
        keep: z.array(Range).default([]).describe('Always kept, whatever other rules say'),
        cut: z
          .array(Range)
          .default([])
          .describe('Always cut (after keep ranges are applied, cut wins over speech but not over keep)'),
      })
      .strict()
      .default({ keep: [], cut: [] }),
  })
  .strict();

export type Rules = z.infer<typeof RulesSchema>;
export const DEFAULT_RULES: Rules = RulesSchema.parse({});
