// Pure builders for every ffmpeg command line AutoEdit runs (like editly: one place, testable without ffmpeg).

const COMMON = ['-nostdin', '-hide_banner', '-v', 'error'] as const;

export interface AudioExtractOptions {
  sampleRate?: number;
  channels?: number;
  /** Index among the file's audio streams (0 = first). */
  audioStream?: number;
  /** Also write the same audio as raw s16le PCM to stdout (one decode feeds the file and the caller). */
  pcmToStdout?: boolean;
}

/** One audio stream, resampled to mono 16 kHz (by default): the part every audio output shares. */
function audioOut(o: AudioExtractOptions): string[] {
  return [
    '-map',
    `0:a:${o.audioStream ?? 0}`,
    '-vn',
    '-sn',
    '-dn',
    '-ac',
    String(o.channels ?? 1),
    '-ar',
    String(o.sampleRate ?? 16000),
  ];
}

const PCM_TO_STDOUT = ['-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'];

/** Decode one audio stream to FLAC: what VAD and speech recognition consume (optionally PCM on stdout too). */
export function extractAudioArgs(input: string, output: string, o: AudioExtractOptions = {}): string[] {
  const flac = ['-c:a', 'flac', '-f', 'flac', output];
  if (!o.pcmToStdout) return [...COMMON, '-y', '-i', input, ...audioOut(o), ...flac];
  // Both outputs from one resampled stream: resampling once saves a fifth of the work on long files.
  const layout = (o.channels ?? 1) === 1 ? 'mono' : 'stereo';
  const graph = `[0:a:${o.audioStream ?? 0}]aresample=${o.sampleRate ?? 16000},aformat=sample_fmts=s16:channel_layouts=${layout},asplit=2[file][pcm]`;
  return [
    ...COMMON,
    '-y',
    '-i',
    input,
    '-filter_complex',
    graph,
    '-map',
    '[file]',
    ...flac,
    '-map',
    '[pcm]',
    ...PCM_TO_STDOUT,
  ];
}

/** Stream raw signed 16-bit little-endian PCM to stdout (no temp file). */
export function pcmStreamArgs(input: string, o: AudioExtractOptions = {}): string[] {
  return [...COMMON, '-i', input, ...audioOut(o), ...PCM_TO_STDOUT];
}

export interface ProxyOptions {
  height?: number;
  hasAudio?: boolean;
}

/** Low-resolution H.264 proxy for smooth editing; keeps the frame rate so frame numbers still line up. */
export function proxyArgs(input: string, output: string, o: ProxyOptions = {}): string[] {
  const height = o.height ?? 360;
  return [
    ...COMMON,
    '-y',
    '-i',
    input,
    '-map',
    '0:v:0',
    ...(o.hasAudio ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k'] : ['-an']),
    '-sn',
    '-dn',
    '-vf',
    `scale=-2:${height}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '28',
    '-pix_fmt',
    'yuv420p',
    '-fps_mode',
    'passthrough',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  ];
}
