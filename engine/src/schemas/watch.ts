import * as z from 'zod';
import { OutputFileSchema, type RunEvent } from './events.js';

/**
 * What `autoedit watch` (and the VS Code extension, which runs the same watcher) reports besides the events of
 * each run it starts (RunEventSchema): one JSON line each with `--json`. Every event names the watched project.
 */
const header = <T extends string>(type: T) => ({
  type: z.literal(type),
  project: z.string().describe('The watched project folder (absolute path)'),
  time: z.string().describe('ISO 8601'),
});

export const WatchReadySchema = z.object({
  ...header('watch.ready'),
  media: z.array(z.string()).describe('The media files the timeline is made of, in order'),
  rules: z.string(),
  outputs: z.array(z.string()),
  reload: z.enum(['kdenlive', 'none', 'auto']),
});

/** Files changed; a regeneration follows once the burst is over. */
export const WatchChangedSchema = z.object({
  ...header('watch.changed'),
  changes: z.array(
    z.object({
      path: z.string(),
      kind: z.enum(['media', 'rules', 'config']),
      event: z.enum(['add', 'change', 'unlink']),
    }),
  ),
});

export const WatchRegeneratedSchema = z.object({
  ...header('watch.regenerated'),
  /** full: media were (re)analysed as needed; rules: only selection and export ran, from cached analysis. */
  mode: z.enum(['full', 'rules']),
  /** Why: start, media, rules, config. */
  reason: z.string(),
  outputs: z.array(OutputFileSchema),
  media: z.array(z.string()),
  seconds: z.number().nonnegative(),
});

/** The user edited an output by hand: the new timeline went beside it (said once per output). */
export const WatchBesideSchema = z.object({
  ...header('watch.beside'),
  edited: z.string(),
  wroteTo: z.string(),
  message: z.string(),
});

export const WatchRulesInvalidSchema = z.object({
  ...header('watch.rules-invalid'),
  file: z.string(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  field: z.string().optional(),
  message: z.string().describe('One line: file:line:column: field: what is wrong'),
});

export const WatchMediaSkippedSchema = z.object({
  ...header('watch.media-skipped'),
  file: z.string(),
  error: z.string(),
});

export const WatchReloadSchema = z.object({
  ...header('watch.reload'),
  editor: z.literal('kdenlive'),
  status: z.enum(['reloaded', 'skipped']),
  pid: z.number().int().optional(),
  reason: z.string().optional(),
  seconds: z.number().nonnegative().optional(),
});

export const WatchOnChangeSchema = z.object({
  ...header('watch.on-change'),
  command: z.array(z.string()),
  exitCode: z.number().int().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
});

/** Something the user should know that is not an error (e.g. Shotcut cannot be told to reload). */
export const WatchNoticeSchema = z.object({
  ...header('watch.notice'),
  message: z.string(),
});

/** A regeneration failed (the last good timeline stays; watching goes on). */
export const WatchErrorSchema = z.object({
  ...header('watch.error'),
  message: z.string(),
  hint: z.string().optional(),
  exitCode: z.number().int(),
});

export const WatchStoppedSchema = z.object({
  ...header('watch.stopped'),
  regenerations: z.number().int().nonnegative(),
});

export const WatchOwnEventSchema = z.discriminatedUnion('type', [
  WatchReadySchema,
  WatchChangedSchema,
  WatchRegeneratedSchema,
  WatchBesideSchema,
  WatchRulesInvalidSchema,
  WatchMediaSkippedSchema,
  WatchReloadSchema,
  WatchOnChangeSchema,
  WatchNoticeSchema,
  WatchErrorSchema,
  WatchStoppedSchema,
]);
export type WatchOwnEvent = z.infer<typeof WatchOwnEventSchema>;
/** Everything a watcher reports: its own events and those of every run it starts. */
export type WatchEvent = WatchOwnEvent | RunEvent;
