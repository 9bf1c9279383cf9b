import type { Transcript } from '../schemas/transcript.js';
import type { Timeline } from '../timeline/model.js';
import { toEdl } from './edl.js';
import { toFcpxml } from './fcpxml.js';
import { toKdenlive } from './kdenlive.js';
import { toMlt } from './mlt.js';
import { toOtio } from './otio.js';
import { retimedCues, toSrt, toVtt } from './subtitles.js';

export interface ExportExtras {
  /** Transcripts by source path, for subtitle formats. */
  transcripts: ReadonlyMap<string, Pick<Transcript, 'segments'>>;
}

interface Exporter {
  ext: string;
  description: string;
  needsTranscript?: boolean;
  write(t: Timeline, extras: ExportExtras): string;
}

/** Every export format, chosen in one place. Each is a pure function of the timeline. */
export const EXPORTERS = {
  mlt: { ext: '.mlt', description: 'Shotcut project / MLT XML (melt renders it)', write: (t) => toMlt(t) },
  kdenlive: {
    ext: '.kdenlive',
    description: 'Kdenlive project (document version 1.04: Kdenlive 22.12 and later)',
    write: (t) => toKdenlive(t),
  },
  edl: { ext: '.edl', description: 'CMX3600 EDL', write: (t) => toEdl(t) },
  fcpxml: {
    ext: '.fcpxml',
    description: 'Final Cut Pro XML 1.9 (also DaVinci Resolve)',
    write: (t) => toFcpxml(t),
  },
  otio: { ext: '.otio', description: 'OpenTimelineIO JSON', write: (t) => toOtio(t) },
  srt: {
    ext: '.srt',
    description: 'subtitles re-timed to the edit',
    needsTranscript: true,
    write: (t, x) => toSrt(retimedCues(t, x.transcripts)),
  },
  vtt: {
    ext: '.vtt',
    description: 'WebVTT subtitles re-timed to the edit',
    needsTranscript: true,
    write: (t, x) => toVtt(retimedCues(t, x.transcripts)),
  },
} satisfies Record<string, Exporter>;

export type ExportFormat = keyof typeof EXPORTERS;
export const EXPORT_FORMATS = Object.keys(EXPORTERS) as ExportFormat[];

export function isExportFormat(f: string): f is ExportFormat {
  return f in EXPORTERS;
}
