import * as z from 'zod';

/**
 * The event stream of a run: what `runPipeline({ onEvent })` reports, what `autoedit pipeline --events`
 * writes as JSON lines on stdout, and what the CLI's progress lines and `--json` result are built from.
 * Every event carries its `type`, the run's id and folder, and an ISO time.
 */

export const PIPELINE_STAGES = ['ingest', 'scenes', 'vad', 'stt', 'select', 'export', 'render'] as const;
export const StageNameSchema = z.enum(PIPELINE_STAGES);
export type StageName = z.infer<typeof StageNameSchema>;

/** An error as other programs see it: no stack, the exit code the CLI uses for it. */
export const ErrorInfoSchema = z.object({
  name: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  /** 1 bad input or environment, 2 usage, 3 missing tool, 70 internal error, 130 cancelled. */
  exitCode: z.number().int(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

export const OutputFileSchema = z.object({
  path: z.string(),
  /** Export format (mlt, kdenlive, …) or "render". */
  format: z.string().optional(),
  /** Where a hand-edited previous version was kept before this one replaced it. */
  backup: z.string().optional(),
  /** The output was edited by hand since AutoEdit wrote it, so this file was written beside it instead. */
  besideEdited: z.string().optional(),
  /** false when the file already held exactly this content and was left untouched. */
  changed: z.boolean().optional(),
});
export type OutputFile = z.infer<typeof OutputFileSchema>;

export const StageStatusSchema = z.enum(['done', 'cached', 'skipped', 'failed', 'cancelled']);
export type StageStatus = z.infer<typeof StageStatusSchema>;

export const StageReportSchema = z.object({
  stage: StageNameSchema,
  status: StageStatusSchema,
  seconds: z.number().nonnegative(),
  summary: z.string().optional(),
  /** Artifacts and outputs the stage wrote (absolute paths). */
  artifacts: z.array(z.string()).default([]),
  warnings: z.array(z.string()).default([]),
  /** Why the stage was skipped. */
  reason: z.string().optional(),
  error: ErrorInfoSchema.optional(),
});
export type StageReport = z.infer<typeof StageReportSchema>;

const header = <T extends string>(type: T) => ({
  type: z.literal(type),
  runId: z.string(),
  run: z.string().describe('The run folder (absolute path)'),
  time: z.string().describe('ISO 8601'),
});

export const RunStartedSchema = z.object({
  ...header('run.started'),
  inputs: z.array(z.string()),
  /** The stages this run will go through, in order (some may still skip themselves). */
  stages: z.array(StageNameSchema),
  pid: z.number().int(),
});

export const StageStartedSchema = z.object({
  ...header('stage.started'),
  stage: StageNameSchema,
  /** 1-based position among `run.started.stages`. */
  index: z.number().int().positive(),
  total: z.number().int().positive(),
});

export const StageProgressSchema = z.object({
  ...header('stage.progress'),
  stage: StageNameSchema,
  /** What is being worked on, e.g. "scenes talk.mp4". */
  label: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().optional(),
  /** done / total, when the total is known. */
  fraction: z.number().min(0).max(1).optional(),
  /** Units of `done` per second since the task started. */
  rate: z.number().nonnegative().optional(),
  note: z.string().optional(),
});

export const StageFinishedSchema = z.object({
  ...header('stage.finished'),
  stage: StageNameSchema,
  status: z.enum(['done', 'cached']),
  cached: z.boolean(),
  seconds: z.number().nonnegative(),
  summary: z.string(),
  artifacts: z.array(z.string()),
});

export const StageSkippedSchema = z.object({
  ...header('stage.skipped'),
  stage: StageNameSchema,
  reason: z.string(),
});

export const StageFailedSchema = z.object({
  ...header('stage.failed'),
  stage: StageNameSchema,
  seconds: z.number().nonnegative(),
  error: ErrorInfoSchema,
  cancelled: z.boolean(),
});

export const WarningEventSchema = z.object({
  ...header('warning'),
  stage: StageNameSchema.optional(),
  message: z.string(),
});

/** A line worth showing that is neither progress nor a warning (e.g. "✓ talk.mp4: new, 12.0 s"). */
export const MessageEventSchema = z.object({
  ...header('message'),
  stage: StageNameSchema.optional(),
  text: z.string(),
});

export const RunFinishedSchema = z.object({
  ...header('run.finished'),
  /** ok; partial = done, but some inputs could not be used (exit 1); failed; cancelled. */
  status: z.enum(['ok', 'partial', 'failed', 'cancelled']),
  exitCode: z.number().int(),
  seconds: z.number().nonnegative(),
  stages: z.array(StageReportSchema),
  outputs: z.array(OutputFileSchema),
  /** Inputs that could not be used, with why. */
  failedInputs: z.array(z.object({ input: z.string(), error: z.string() })),
  error: ErrorInfoSchema.optional(),
});

export const RunEventSchema = z.discriminatedUnion('type', [
  RunStartedSchema,
  StageStartedSchema,
  StageProgressSchema,
  StageFinishedSchema,
  StageSkippedSchema,
  StageFailedSchema,
  WarningEventSchema,
  MessageEventSchema,
  RunFinishedSchema,
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];
/** One event type's shape, e.g. `RunEventOf<'stage.finished'>`. */
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
export type RunFinished = RunEventOf<'run.finished'>;
