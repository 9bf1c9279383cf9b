import type { Transcript } from '../schemas/transcript.js';
import type { Timeline } from '../timeline/model.js';
import { edlCaveats, toEdl } from './edl.js';
import { toFcpxml } from './fcpxml.js';
import { type ExportFormat, FORMATS } from './formats.js';
import { toKdenlive } from './kdenlive.js';
import { toMlt } from './mlt.js';
import { toOtio } from './otio.js';
import { retimedCues, type SubtitleStyle, toSrt, toVtt } from './subtitles.js';

export { EXPORT_FORMATS, type ExportFormat, isExportFormat } from './formats.js';

export interface ExportExtras {
  /** Transcripts by source path, for subtitle formats. */
  transcripts: ReadonlyMap<string, Pick<Transcript, 'segments'>>;
  /** How subtitle cues are cut and timed; default DEFAULT_SUBTITLE_STYLE. */
  subtitles?: SubtitleStyle;
}

type Writer = (t: Timeline, extras: ExportExtras) => string;

const WRITERS: Record<ExportFormat, Writer> = {
  mlt: (t) => toMlt(t),
  kdenlive: (t) => toKdenlive(t),
  edl: (t) => toEdl(t),
  fcpxml: (t) => toFcpxml(t),
  otio: (t) => toOtio(t),
  srt: (t, x) => toSrt(retimedCues(t, x.transcripts, x.subtitles)),
  vtt: (t, x) => toVtt(retimedCues(t, x.transcripts, x.subtitles)),
};

/** What a format cannot express about a timeline (said as warnings, never silently dropped). */
const CAVEATS: Partial<Record<ExportFormat, (t: Timeline) => string[]>> = { edl: edlCaveats };
export const exportCaveats = (format: ExportFormat, t: Timeline): string[] => CAVEATS[format]?.(t) ?? [];

/** Every export format, chosen in one place. Each is a pure function of the timeline. */
export const EXPORTERS = Object.fromEntries(
  Object.entries(FORMATS).map(([f, info]) => [f, { ...info, write: WRITERS[f as ExportFormat] }]),
) as { [F in ExportFormat]: (typeof FORMATS)[F] & { write: Writer } };
