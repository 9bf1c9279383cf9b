// Pure builders for every ffmpeg command line AutoEdit runs (like editly: one place, testable without ffmpeg).

const COMMON = ['-nostdin', '-hide_banner', '-v', 'error'] as const;

export interface AudioExtractOptions {
  sampleRate?: number;
  channels?: number;
  /** Index among the file's audio streams (0 = first). */
  audioStream?: number;
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

// `-flush_packets 0`: ffmpeg otherwise flushes a pipe after every packet (about 1 KB of audio), which wakes the
// reader thousands of times per minute of audio; this way it writes whole 32 KB buffers.
const PCM_TO_STDOUT = ['-flush_packets', '0', '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1'];

/**
 * Decode one audio stream to a 16-bit PCM WAV file: what VAD and speech recognition read (without ffmpeg,
 * see wav.ts). `-bitexact` keeps ffmpeg's version tag out, so the same input gives the same bytes.
 */
export function extractAudioArgs(input: string, output: string, o: AudioExtractOptions = {}): string[] {
  return [
    ...COMMON,
    '-y',
    '-i',
    input,
    ...audioOut(o),
    '-c:a',
    'pcm_s16le',
    '-bitexact',
    '-f',
    'wav',
    output,
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
