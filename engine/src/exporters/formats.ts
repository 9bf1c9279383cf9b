/**
 * The export formats and what they are, without their writers: the CLI validates `--export`/`--format` and
 * prints help from this, while the writers (and xmlbuilder2) load only when something is exported
 * (see load.ts).
 */
export const FORMATS = {
  mlt: { ext: '.mlt', description: 'Shotcut project / MLT XML (melt renders it)' },
  kdenlive: {
    ext: '.kdenlive',
    description: 'Kdenlive project (document version 1.04: Kdenlive 22.12 and later)',
  },
  edl: { ext: '.edl', description: 'CMX3600 EDL' },
  fcpxml: { ext: '.fcpxml', description: 'Final Cut Pro XML 1.9 (also DaVinci Resolve)' },
  otio: { ext: '.otio', description: 'OpenTimelineIO JSON' },
  srt: { ext: '.srt', description: 'subtitles re-timed to the edit', needsTranscript: true },
  vtt: { ext: '.vtt', description: 'WebVTT subtitles re-timed to the edit', needsTranscript: true },
} as const satisfies Record<string, { ext: string; description: string; needsTranscript?: boolean }>;

export type ExportFormat = keyof typeof FORMATS;
export const EXPORT_FORMATS = Object.keys(FORMATS) as ExportFormat[];

export function isExportFormat(f: string): f is ExportFormat {
  return f in FORMATS;
}
