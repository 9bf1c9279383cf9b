import { open } from 'node:fs/promises';

/** whisper.cpp ggml model header (legacy "ggml" format: magic, 11 hparams, mel filters, vocabulary). */
export interface WhisperHparams {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioHead: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextState: number;
  nTextHead: number;
  nTextLayer: number;
  nMels: number;
  ftype: number;
}

export interface GgmlHeader {
  hparams: WhisperHparams;
  /** Byte offset where the tensors start (after hparams, mel filters and vocabulary). */
  tensorsOffset: number;
  /** Offset of the mel filter block. */
  melOffset: number;
}

const MAGIC = 0x67676d6c; // "ggml"
/** The hyper-parameters in file order (eleven int32 after the magic). */
export const HPARAM_KEYS: (keyof WhisperHparams)[] = [
  'nVocab',
  'nAudioCtx',
  'nAudioState',
  'nAudioHead',
  'nAudioLayer',
  'nTextCtx',
  'nTextState',
  'nTextHead',
  'nTextLayer',
  'nMels',
  'ftype',
];

/** A file that is not a whisper.cpp model, or a damaged one. */
export class ModelFormatError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: not a usable whisper.cpp (ggml) model: ${why}`);
    this.name = 'ModelFormatError';
  }
}

/**
 * Parse and sanity-check the header in JS before handing the file to native code: some malformed headers
 * abort the whole process inside whisper.cpp instead of returning an error.
 */
export function parseGgmlHeader(buf: Buffer, file = 'model'): GgmlHeader {
  const need = (n: number, at: number, what: string) => {
    if (at + n > buf.length) throw new ModelFormatError(file, `truncated in ${what}`);
  };
  if (buf.length < 4 || buf.readUInt32LE(0) !== MAGIC)
    throw new ModelFormatError(file, 'bad magic (expected a ggml whisper model, e.g. ggml-base.en.bin)');
  need(48, 0, 'the header');
  const hp = {} as WhisperHparams;
  HPARAM_KEYS.forEach((k, i) => {
    hp[k] = buf.readInt32LE(4 + i * 4);
  });
  const sane =
    hp.nVocab > 0 &&
    hp.nVocab < 1_000_000 &&
    hp.nAudioCtx > 0 &&
    hp.nAudioState > 0 &&
    hp.nAudioHead > 0 &&
    hp.nAudioLayer > 0 &&
    hp.nTextCtx > 0 &&
    hp.nTextState > 0 &&
    hp.nTextHead > 0 &&
    hp.nTextLayer > 0 &&
    (hp.nMels === 80 || hp.nMels === 128) &&
    hp.nAudioState % hp.nAudioHead === 0 &&
    hp.nTextState % hp.nTextHead === 0 &&
    hp.ftype >= 0 &&
    hp.ftype < 64;
  if (!sane) throw new ModelFormatError(file, `implausible hyper-parameters ${JSON.stringify(hp)}`);
  let at = 48;
  const melOffset = at;
  need(8, at, 'the mel filters');
  const nMel = buf.readInt32LE(at);
  const nFft = buf.readInt32LE(at + 4);
  if (nMel !== hp.nMels || nFft <= 0 || nFft > 4096) throw new ModelFormatError(file, 'bad mel filter block');
  at += 8 + nMel * nFft * 4;
  need(4, at, 'the vocabulary');
  const nVocab = buf.readInt32LE(at);
  at += 4;
  if (nVocab <= 0 || nVocab > hp.nVocab + 1000) throw new ModelFormatError(file, 'bad vocabulary size');
  for (let i = 0; i < nVocab; i++) {
    need(4, at, 'the vocabulary');
    const len = buf.readUInt32LE(at);
    if (len > 1024) throw new ModelFormatError(file, `vocabulary entry ${i} is ${len} bytes long`);
    at += 4 + len;
    need(0, at, 'the vocabulary');
  }
  return { hparams: hp, tensorsOffset: at, melOffset };
}

/** ggml tensor types whisper.cpp model files use: [block size, bytes per block]. */
const GGML_TYPES: Record<number, [number, number]> = {
  0: [1, 4], // f32
  1: [1, 2], // f16
  2: [32, 18], // q4_0
  3: [32, 20], // q4_1
  6: [32, 22], // q5_0
  7: [32, 24], // q5_1
  8: [32, 34], // q8_0
  10: [256, 84], // q2_K
  11: [256, 110], // q3_K
  12: [256, 144], // q4_K
  13: [256, 176], // q5_K
  14: [256, 210], // q6_K
};

export interface ModelInfo {
  hparams: WhisperHparams;
  tensors: number;
  /** English-only models (tiny.en, base.en…) have one token fewer than multilingual ones. */
  multilingual: boolean;
}

/**
 * Check a whole model file without loading it: the header, then every tensor record (sane dimensions, a
 * known type, data inside the file), and that every tensor whisper.cpp needs is there. Reads a few bytes per
 * tensor, never the weights. Header-only files (whisper.cpp's for-tests models) are rejected here: whisper.cpp
 * accepts them and then never finishes a transcription.
 */
export async function inspectModelFile(file: string): Promise<ModelInfo> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const headLen = Math.min(size, 4 << 20);
    const head = Buffer.alloc(headLen);
    await fh.read(head, 0, headLen, 0);
    const hdr = parseGgmlHeader(head, file);
    const need = new Set(tensorSpecs(hdr.hparams).map((t) => t.name));
    const meta = Buffer.alloc(12 + 16 + 256);
    let at = hdr.tensorsOffset;
    let count = 0;
    while (at < size) {
      const { bytesRead } = await fh.read(meta, 0, meta.length, at);
      if (bytesRead < 12) throw new ModelFormatError(file, `truncated in tensor record ${count}`);
      const nDims = meta.readInt32LE(0);
      const nameLen = meta.readInt32LE(4);
      const type = meta.readInt32LE(8);
      if (nDims < 1 || nDims > 4 || nameLen < 1 || nameLen > 256)
        throw new ModelFormatError(file, `corrupt tensor record ${count} at byte ${at}`);
      const ne: number[] = [];
      for (let i = 0; i < nDims; i++) ne.push(meta.readInt32LE(12 + 4 * i));
      const name = meta.toString('utf8', 12 + 4 * nDims, 12 + 4 * nDims + nameLen);
      const t = GGML_TYPES[type];
      if (!t) throw new ModelFormatError(file, `tensor ${name} has unsupported type ${type}`);
      if (ne.some((n) => n <= 0) || ne[0]! % t[0] !== 0)
        throw new ModelFormatError(file, `tensor ${name} has bad dimensions [${ne.join(', ')}]`);
      const bytes = (ne.reduce((x, y) => x * y, 1) / t[0]) * t[1];
      at += 12 + 4 * nDims + nameLen + bytes;
      if (at > size) throw new ModelFormatError(file, `truncated in tensor ${name}`);
      need.delete(name);
      count++;
    }
    if (count === 0)
      throw new ModelFormatError(
        file,
        'it has no weights (a header-only test file, or a truncated download)',
      );
    if (need.size)
      throw new ModelFormatError(file, `missing tensor ${[...need][0]} (${need.size} missing in all)`);
    return { hparams: hdr.hparams, tensors: count, multilingual: hdr.hparams.nVocab >= 51865 };
  } finally {
    await fh.close();
  }
}

/** A tensor whisper.cpp expects in a model with given hyper-parameters. */
export interface TensorSpec {
  name: string;
  /** ggml ne, innermost first. */
  ne: number[];
  type: 'f32' | 'f16';
  /** Layer-norm weights (a generated test model sets them to 1, everything else small and random). */
  init?: 'one';
}

/** Every tensor (name, shape, type) whisper.cpp loads for these hyper-parameters. */
export function tensorSpecs(h: WhisperHparams): TensorSpec[] {
  const a = h.nAudioState;
  const t = h.nTextState;
  const w: 'f16' = 'f16';
  const specs: TensorSpec[] = [
    { name: 'encoder.positional_embedding', ne: [a, h.nAudioCtx], type: 'f32' },
    { name: 'encoder.conv1.weight', ne: [3, h.nMels, a], type: 'f16' },
    { name: 'encoder.conv1.bias', ne: [1, a], type: 'f32' },
    { name: 'encoder.conv2.weight', ne: [3, a, a], type: 'f16' },
    { name: 'encoder.conv2.bias', ne: [1, a], type: 'f32' },
    { name: 'encoder.ln_post.weight', ne: [a], type: 'f32', init: 'one' },
    { name: 'encoder.ln_post.bias', ne: [a], type: 'f32' },
    { name: 'decoder.positional_embedding', ne: [t, h.nTextCtx], type: 'f32' },
    { name: 'decoder.token_embedding.weight', ne: [t, h.nVocab], type: w },
    { name: 'decoder.ln.weight', ne: [t], type: 'f32', init: 'one' },
    { name: 'decoder.ln.bias', ne: [t], type: 'f32' },
  ];
  const block = (p: string, s: number, cross: boolean) => {
    const attn = (n: string) => [
      { name: `${p}.${n}_ln.weight`, ne: [s], type: 'f32' as const, init: 'one' as const },
      { name: `${p}.${n}_ln.bias`, ne: [s], type: 'f32' as const },
      { name: `${p}.${n}.query.weight`, ne: [s, s], type: w },
      { name: `${p}.${n}.query.bias`, ne: [s], type: 'f32' as const },
      { name: `${p}.${n}.key.weight`, ne: [s, s], type: w },
      { name: `${p}.${n}.value.weight`, ne: [s, s], type: w },
      { name: `${p}.${n}.value.bias`, ne: [s], type: 'f32' as const },
      { name: `${p}.${n}.out.weight`, ne: [s, s], type: w },
      { name: `${p}.${n}.out.bias`, ne: [s], type: 'f32' as const },
    ];
    specs.push(
      { name: `${p}.mlp_ln.weight`, ne: [s], type: 'f32', init: 'one' },
      { name: `${p}.mlp_ln.bias`, ne: [s], type: 'f32' },
      { name: `${p}.mlp.0.weight`, ne: [s, 4 * s], type: w },
      { name: `${p}.mlp.0.bias`, ne: [4 * s], type: 'f32' },
      { name: `${p}.mlp.2.weight`, ne: [4 * s, s], type: w },
      { name: `${p}.mlp.2.bias`, ne: [s], type: 'f32' },
      ...attn('attn'),
      ...(cross ? attn('cross_attn') : []),
    );
  };
  for (let i = 0; i < h.nAudioLayer; i++) block(`encoder.blocks.${i}`, a, false);
  for (let i = 0; i < h.nTextLayer; i++) block(`decoder.blocks.${i}`, t, true);
  return specs;
}
