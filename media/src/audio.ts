import { open } from 'node:fs/promises';
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
import { checkWavFile, parseWav, readWav, readWavLayout, wavHeader } from './wav.js';

/**
 * Extract one audio stream to a 16-bit PCM WAV (16 kHz mono by default), atomically. With `onPcm` the
 * samples are handed over as ffmpeg decodes them (so work on them overlaps the decode): ffmpeg then streams
 * PCM, which is written to the file piece by piece (every write checked for its full length) and never held
 * whole in memory, so memory stays flat whatever the length. Resolves with the number of samples.
 */
export async function extractAudio(
  input: string,
  output: string,
  o: AudioExtractOptions & {
    signal?: AbortSignal;
    onPcm?: (samples: Int16Array) => void;
  } = {},
): Promise<number | undefined> {
  return produceAtomically(output, async (tmp) => {
    if (!o.onPcm) {
      await run('ffmpeg', extractAudioArgs(input, tmp, o), { signal: o.signal });
      // Whatever ffmpeg wrote must be a whole WAV (its header's length matches the file) before it is used.
      await checkWavFile(tmp);
      return undefined;
    }
    const channels = o.channels ?? 1;
    const file = await open(tmp, 'w');
    try {
      // The header's lengths are known only at the end: a placeholder now, the real one written last.
      await writeFully(file, wavHeader(0, o.sampleRate ?? 16000, channels), 0);
      let bytes = 0;
      for await (const piece of pcmPieces(pcmStreamArgs(input, o), o.signal)) {
        const raw = new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
        await writeFully(file, raw, 44 + bytes);
        bytes += raw.length;
        o.onPcm(piece);
      }
      await writeFully(file, wavHeader(bytes / 2 / channels, o.sampleRate ?? 16000, channels), 0);
      // Verified as a reader will see it before it replaces the last good one.
      await checkWavFile(tmp);
      return bytes / 2;
    } finally {
      await file.close();
    }
  }).catch((e) => {
    throw noAudio(input, e);
  });
}

/** Write all of `data` at `position`: a short write (disk full) is retried for the rest, never ignored. */
async function writeFully(
  file: Awaited<ReturnType<typeof open>>,
  data: Uint8Array,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await file.write(data, done, data.length - done, position + done);
    if (bytesWritten <= 0)
      throw new Error(`could not write to the audio file (${bytesWritten} bytes written)`);
    done += bytesWritten;
  }
}

/**
 * Pipe chunks → whole 16-bit samples: a sample split between two chunks is carried over to the next (a trailing
 * odd byte at the end is dropped). Each call returns a fresh, aligned array.
 */
function sampleAligner(): (chunk: Uint8Array) => Int16Array {
  let pending = -1; // the first byte of a sample split between two chunks
  return (c) => {
    const head = pending >= 0 ? 1 : 0;
    const piece = new Int16Array((head + c.length) >> 1);
    const bytes = new Uint8Array(piece.buffer);
    if (head) bytes[0] = pending;
    bytes.set(c.subarray(0, bytes.length - head), head);
    pending = (head + c.length) % 2 ? c[c.length - 1]! : -1;
    return piece;
  };
}

/**
 * ffmpeg's PCM on stdout as aligned Int16Array pieces (a sample split between two pipe chunks is carried
 * over; a trailing odd byte is dropped). Read with backpressure: ffmpeg waits while the consumer works.
 * Fails like the process when ffmpeg fails; leaving the loop early stops ffmpeg.
 */
async function* pcmPieces(
  args: string[],
  signal?: AbortSignal,
  input?: Uint8Array,
): AsyncGenerator<Int16Array> {
  const child = spawnStream('ffmpeg', args, { signal, input });
  const done = finished('ffmpeg', args, child);
  done.catch(() => {}); // awaited below; a failure while the consumer works is not unhandled
  const samples = sampleAligner();
  let complete = false;
  try {
    for await (const c of child.stdout as AsyncIterable<Buffer>) {
      const piece = samples(c);
      if (piece.length > 0) yield piece;
    }
    await done;
    complete = true;
  } finally {
    if (!complete) {
      child.kill();
      await done.catch(() => {});
    }
  }
}

/**
 * 16-bit PCM in pieces of about a second, for work that streams (VAD): read straight from a WAV already in
 * the wanted format (what ingest writes), else decoded by ffmpeg. Memory stays flat whatever the length.
 */
export async function* pcmChunks(
  input: string,
  o: AudioExtractOptions & { signal?: AbortSignal } = {},
): AsyncGenerator<Int16Array> {
  const layout =
    /\.wav$/i.test(input) && o.audioStream === undefined
      ? await readWavLayout(input).catch(() => undefined)
      : undefined;
  if (layout && layout.sampleRate === (o.sampleRate ?? 16000) && layout.channels === (o.channels ?? 1)) {
    const file = await open(input, 'r');
    try {
      const size = 1 << 16;
      for (let at = 0; at < layout.dataBytes; at += size) {
        if (o.signal?.aborted) throw o.signal.reason ?? new Error('cancelled');
        const piece = new Int16Array(Math.min(size, layout.dataBytes - at) >> 1);
        const { bytesRead } = await file.read(
          new Uint8Array(piece.buffer),
          0,
          piece.byteLength,
          layout.dataOffset + at,
        );
        if (bytesRead < piece.byteLength) {
          if (bytesRead >= 2) yield piece.subarray(0, bytesRead >> 1);
          return;
        }
        yield piece;
      }
    } finally {
      await file.close();
    }
    return;
  }
  try {
    yield* pcmPieces(pcmStreamArgs(input, o), o.signal);
  } catch (e) {
    throw noAudio(input, e);
  }
}

/**
 * Write `buffers` to a new file, all of their bytes: a short write (what write(2) does when the disk fills up)
 * is continued, so the next write reports the error (ENOSPC) instead of the shortfall passing unnoticed.
 */
export async function writeAll(path: string, buffers: readonly Uint8Array[]): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (const b of buffers) {
      for (let at = 0; at < b.length; ) {
        const { bytesWritten } = await file.write(b, at, Math.min(b.length - at, 1 << 24));
        if (bytesWritten <= 0) throw new Error(`${path}: the file system accepted no more bytes`);
        at += bytesWritten;
      }
    }
    await file.sync();
  } finally {
    await file.close();
  }
}

/**
 * Run ffmpeg with PCM on stdout and gather it into one aligned Int16Array; `onPcm` gets each piece as it
 * arrives (whole samples only, in an aligned copy). An exception there stops ffmpeg and fails the call.
 */
async function collectPcm(
  args: string[],
  signal?: AbortSignal,
  onPcm?: (samples: Int16Array) => void,
  input?: Uint8Array,
): Promise<Int16Array> {
  const child = spawnStream('ffmpeg', args, { signal, input });
  const chunks: Buffer[] = [];
  let length = 0;
  let pieceError: unknown;
  const samples = sampleAligner();
  child.stdout.on('data', (c: Buffer) => {
    chunks.push(c);
    length += c.length;
    if (!onPcm || pieceError !== undefined) return;
    const piece = samples(c);
    if (piece.length === 0) return;
    try {
      onPcm(piece);
    } catch (e) {
      pieceError = e;
      child.kill();
    }
  });
  await finished('ffmpeg', args, child).catch((e) => {
    throw pieceError ?? e;
  });
  if (pieceError !== undefined) throw pieceError;
  // One aligned copy of all the chunks (Buffer slices may start at odd offsets; a trailing odd byte is dropped).
  const out = new Int16Array(length >> 1);
  const bytes = new Uint8Array(out.buffer);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c.subarray(0, bytes.length - at), at);
    at += Math.min(c.length, bytes.length - at);
  }
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
 * Audio as 16-bit PCM in memory: read directly from a WAV already in the wanted format (what ingest writes),
 * else decoded by ffmpeg and streamed from its stdout (no temp file).
 * 16 kHz mono is 32 KB per second: a one-hour file is 115 MB.
 */
export async function decodePcm(
  input: string,
  o: AudioExtractOptions & { signal?: AbortSignal } = {},
): Promise<Int16Array> {
  if (/\.wav$/i.test(input) && o.audioStream === undefined) {
    const wav = await readWav(input).catch(() => undefined);
    if (wav?.truncated)
      throw new UnsupportedMediaError(
        input,
        'incomplete WAV file (its header claims more samples than it holds); run `autoedit ingest` again',
      );
    if (wav && wav.sampleRate === (o.sampleRate ?? 16000) && wav.channels === (o.channels ?? 1))
      return wav.pcm;
  }
  return collectPcm(pcmStreamArgs(input, o), o.signal).catch((e) => {
    throw noAudio(input, e);
  });
}

/** Thrown by decodePcmBytes when the audio is longer than allowed; ffmpeg is stopped at that point. */
export class AudioTooLongError extends Error {
  override name = 'AudioTooLongError';
}

/**
 * Audio that arrived over the network, as 16-bit PCM: a WAV already in the wanted format is read as it is;
 * anything else is fed to ffmpeg on stdin and decoded from stdout (nothing touches the disk). Decoding stops
 * as soon as the audio passes `maxSeconds`.
 */
export async function decodePcmBytes(
  bytes: Uint8Array,
  o: { sampleRate?: number; channels?: number; maxSeconds?: number; signal?: AbortSignal } = {},
): Promise<Int16Array> {
  const rate = o.sampleRate ?? 16000;
  const channels = o.channels ?? 1;
  const max = (o.maxSeconds ?? Number.POSITIVE_INFINITY) * rate * channels;
  const tooLong = () => new AudioTooLongError(`the audio is longer than ${o.maxSeconds} s`);
  const wav = parseWav(bytes);
  if (wav && wav.sampleRate === rate && wav.channels === channels) {
    if (wav.pcm.length > max) throw tooLong();
    return wav.pcm;
  }
  let seen = 0;
  return collectPcm(
    pcmStreamArgs('pipe:0', { sampleRate: rate, channels }),
    o.signal,
    (piece) => {
      seen += piece.length;
      if (seen > max) throw tooLong();
    },
    bytes,
  );
}
