import { produceAtomically } from './atomic.js';
import { finished, run, spawnStream } from './exec.js';
import {
  type AudioExtractOptions,
  extractAudioArgs,
  type ProxyOptions,
  pcmStreamArgs,
  proxyArgs,
} from './ffmpeg-args.js';
import { UnsupportedMediaError } from './probe.js';

/** Extract one audio stream to FLAC (16 kHz mono by default), atomically. */
export async function extractAudio(
  input: string,
  output: string,
  o: AudioExtractOptions & { signal?: AbortSignal } = {},
): Promise<Int16Array | undefined> {
  return produceAtomically(output, async (tmp) => {
    const args = extractAudioArgs(input, tmp, o);
    if (!o.pcmToStdout) {
      await run('ffmpeg', args, { signal: o.signal });
      return undefined;
    }
    return collectPcm(args, o.signal);
  }).catch((e) => {
    throw noAudio(input, e);
  });
}

/** Run ffmpeg with PCM on stdout and gather it into one aligned Int16Array. */
async function collectPcm(args: string[], signal?: AbortSignal): Promise<Int16Array> {
  const child = spawnStream('ffmpeg', args, { signal });
  const chunks: Buffer[] = [];
  let length = 0;
  child.stdout.on('data', (c: Buffer) => {
    chunks.push(c);
    length += c.length;
  });
  await finished('ffmpeg', args, child);
  const all = Buffer.concat(chunks, length);
  // Copy into an aligned buffer: Buffer slices may start at odd offsets.
  const out = new Int16Array(Math.floor(all.length / 2));
  new Uint8Array(out.buffer).set(all.subarray(0, out.length * 2));
  return out;
}

/** ffmpeg's "Stream map '0:a:0' matches no streams" and friends → a sentence naming the file. */
function noAudio(input: string, e: unknown): unknown {
  const tail = (e as { stderrTail?: string }).stderrTail ?? '';
  if (/matches no streams/.test(tail)) return new UnsupportedMediaError(input, 'has no audio stream');
  if (/Invalid data found|moov atom not found|could not find codec/i.test(tail)) {
    return new UnsupportedMediaError(
      input,
      `not a readable media file: ${tail.split('\n').pop()!.replace(`${input}: `, '')}`,
    );
  }
  return e;
}

/** Make a low-resolution proxy, atomically. */
export async function makeProxy(
  input: string,
  output: string,
  o: ProxyOptions & { signal?: AbortSignal } = {},
): Promise<void> {
  await produceAtomically(output, (tmp) => run('ffmpeg', proxyArgs(input, tmp, o), { signal: o.signal }));
}

/**
 * Decode audio to 16-bit PCM in memory, streamed from ffmpeg's stdout (no temp file).
 * 16 kHz mono is 32 KB per second: a one-hour file is 115 MB.
 */
export async function decodePcm(
  input: string,
  o: AudioExtractOptions & { signal?: AbortSignal } = {},
): Promise<Int16Array> {
  return collectPcm(pcmStreamArgs(input, o), o.signal).catch((e) => {
    throw noAudio(input, e);
  });
}
