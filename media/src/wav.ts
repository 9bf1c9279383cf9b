import { open, readFile } from 'node:fs/promises';

/**
 * 16-bit PCM WAV: the format of the audio ingest writes (audio/<name>.wav, 16 kHz mono, 32 KB per second).
 * Stages that need samples read it straight into memory, with no ffmpeg process and no decode.
 */

/** The 44-byte RIFF header for `samples` 16-bit samples per channel. */
export function wavHeader(samples: number, sampleRate: number, channels = 1): Uint8Array {
  const dataBytes = samples * channels * 2;
  const b = new Uint8Array(44);
  const v = new DataView(b.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * 2, true);
  v.setUint16(32, channels * 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  return b;
}

export interface WavPcm {
  sampleRate: number;
  channels: number;
  /** Interleaved samples. */
  pcm: Int16Array;
  /** The header claims more samples than the bytes hold (a short write): the samples are not all there. */
  truncated?: boolean;
}

/** Samples of a 16-bit PCM WAV (any chunk layout); undefined for anything else (compressed, float, not WAV). */
export function parseWav(buf: Uint8Array): WavPcm | undefined {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (at: number) => String.fromCharCode(buf[at]!, buf[at + 1]!, buf[at + 2]!, buf[at + 3]!);
  if (buf.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let fmt: { channels: number; sampleRate: number } | undefined;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = tag(at);
    const size = v.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      const format = v.getUint16(body, true);
      const bits = v.getUint16(body + 14, true);
      // 1 = PCM; 0xFFFE = WAVE_FORMAT_EXTENSIBLE, whose sub-format ffmpeg sets to PCM for s16 with >2 channels.
      if ((format !== 1 && format !== 0xfffe) || bits !== 16) return undefined;
      fmt = { channels: v.getUint16(body + 2, true), sampleRate: v.getUint32(body + 4, true) };
    } else if (id === 'data' && fmt) {
      // ffmpeg leaves the size at 0 or 0xFFFFFFFF when it could not seek back (piped output): read to the end.
      const open = size === 0 || size === 0xffffffff;
      const end = open ? buf.length : Math.min(buf.length, body + size);
      const n = (end - body) >> 1;
      // Present only when true, so a whole file parses to just its format and samples.
      const truncated = !open && body + size > buf.length ? { truncated: true } : {};
      const at16 = buf.byteOffset + body;
      if (at16 % 2 === 0) return { ...fmt, pcm: new Int16Array(buf.buffer, at16, n), ...truncated };
      const pcm = new Int16Array(n); // unaligned: copy
      new Uint8Array(pcm.buffer).set(buf.subarray(body, body + n * 2));
      return { ...fmt, pcm, ...truncated };
    }
    at = body + size + (size & 1); // chunks are padded to even sizes
  }
  return undefined;
}

/** Read a WAV file's samples; undefined when it is not 16-bit PCM WAV. */
export async function readWav(file: string): Promise<WavPcm | undefined> {
  return parseWav(await readFile(file));
}

/** Where a 16-bit PCM WAV file's samples are: format, byte offset and length of the data chunk. */
export interface WavLayout {
  sampleRate: number;
  channels: number;
  dataOffset: number;
  dataBytes: number;
}

/** What the first 64 KiB of a file say about it as a WAV: its chunks up to `data` (the samples stay on disk). */
interface WavHead {
  size: number;
  riff: boolean;
  fmt?: { channels: number; sampleRate: number; pcm16: boolean };
  /** The data chunk: where its bytes start and the length its header claims. */
  data?: { body: number; claimed: number };
}

async function scanWavHead(file: string): Promise<WavHead> {
  const f = await open(file, 'r');
  try {
    const { size } = await f.stat();
    const head = new Uint8Array(Math.min(size, 65536));
    await f.read(head, 0, head.length, 0);
    const v = new DataView(head.buffer);
    const tag = (at: number) => String.fromCharCode(head[at]!, head[at + 1]!, head[at + 2]!, head[at + 3]!);
    const out: WavHead = { size, riff: head.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'WAVE' };
    if (!out.riff) return out;
    for (let at = 12; at + 8 <= head.length; ) {
      const id = tag(at);
      const chunk = v.getUint32(at + 4, true);
      const body = at + 8;
      if (id === 'fmt ' && body + 16 <= head.length) {
        const format = v.getUint16(body, true);
        out.fmt = {
          channels: v.getUint16(body + 2, true),
          sampleRate: v.getUint32(body + 4, true),
          pcm16: (format === 1 || format === 0xfffe) && v.getUint16(body + 14, true) === 16,
        };
      } else if (id === 'data') {
        out.data = { body, claimed: chunk };
        return out;
      }
      at = body + chunk + (chunk & 1);
    }
    return out;
  } finally {
    await f.close();
  }
}

/** A length field ffmpeg leaves at 0 or 0xffffffff when it streams a WAV whose length it cannot know. */
const unknownLength = (n: number) => n === 0 || n === 0xffffffff;

/**
 * The layout of a 16-bit PCM WAV file, read from its first 64 KiB only (the samples stay on disk); undefined
 * when it is not one. A streamed WAV's unknown length is taken as "to the end of the file".
 */
export async function readWavLayout(file: string): Promise<WavLayout | undefined> {
  const h = await scanWavHead(file);
  if (!h.fmt?.pcm16 || !h.data) return undefined;
  const { body, claimed } = h.data;
  const end = unknownLength(claimed) ? h.size : Math.min(h.size, body + claimed);
  return {
    channels: h.fmt.channels,
    sampleRate: h.fmt.sampleRate,
    dataOffset: body,
    dataBytes: (end - body) & ~1,
  };
}

/**
 * Check that a WAV file on disk is whole: a RIFF/WAVE header whose data chunk ends where the file ends (a
 * short write leaves a header that claims more than the file holds). Returns the format and sample count.
 */
export async function checkWavFile(
  file: string,
): Promise<{ sampleRate: number; channels: number; samples: number }> {
  const h = await scanWavHead(file);
  const bad = (why: string) => new Error(`${file}: incomplete WAV file (${why})`);
  if (!h.riff) throw bad('no RIFF/WAVE header');
  if (!h.data) throw bad('no data chunk');
  if (!h.fmt) throw bad('data before format');
  const { body, claimed } = h.data;
  if (unknownLength(claimed)) throw bad('the length was never written');
  if (body + claimed > h.size)
    throw bad(`the header claims ${claimed} bytes of samples, the file holds ${h.size - body}`);
  const { channels, sampleRate } = h.fmt;
  return { sampleRate, channels, samples: Math.floor(claimed / 2 / Math.max(1, channels)) };
}
