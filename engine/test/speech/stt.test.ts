import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { readArtifact } from '../../src/project/artifacts.js';
import { TranscriptSchema, type Word } from '../../src/schemas/transcript.js';
import { mergeChunkWords, planChunks } from '../../src/speech/chunks.js';
import { transcribeFile } from '../../src/speech/transcribe.js';
import { writeTinyModel } from '../../src/speech/whisper/ggml.js';
import { findModel, ModelNotFoundError, pullModel } from '../../src/speech/whisper/models.js';
import { tokensToWords } from '../../src/speech/whisper/words.js';
import { cli } from '../helpers/cli.js';
import { transcriptFromSpans } from '../helpers/run.js';
import { sample, samples } from '../helpers/samples.js';
import { SHARED, sharedFile } from '../helpers/shared.js';

const HEADER = 'models/whisper.cpp-test/for-tests-ggml-tiny.en.bin';

/** A real model if one is around (AUTOEDIT_MODELS or ../shared/models/whisper-*): only then accuracy can be tested. */
function realModel(): string | undefined {
  const dirs = [
    process.env.AUTOEDIT_MODELS,
    ...(existsSync(join(SHARED, 'models'))
      ? readdirSync(join(SHARED, 'models'))
          .filter((d) => d.startsWith('whisper-'))
          .map((d) => join(SHARED, 'models', d))
      : []),
  ];
  for (const d of dirs) {
    if (!d || !existsSync(d)) continue;
    const bin = readdirSync(d).find(
      (f) => f.startsWith('ggml-') && f.endsWith('.bin') && !f.includes('for-tests'),
    );
    if (bin) return join(d, bin);
  }
  return undefined;
}

function wer(ref: string, hyp: string): number {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z' ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  const r = norm(ref);
  const h = norm(hyp);
  const d = Array.from({ length: r.length + 1 }, (_, i) => [i, ...Array(h.length).fill(0)]);
  for (let j = 1; j <= h.length; j++) d[0]![j] = j;
  for (let i = 1; i <= r.length; i++)
    for (let j = 1; j <= h.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1),
      );
  return d[r.length]![h.length]! / r.length;
}

describe('speech recognition (whisper.cpp through @fugood/whisper.node)', function () {
  this.timeout(180_000);
  let dir: string;
  let tiny: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-stt-'));
    tiny = join(dir, 'ggml-tiny-random.bin');
    // Real format, random weights: loading, decoding, timestamps and the schema run for real; the text is noise.
    assert.equal(await writeTinyModel(sharedFile(HEADER), tiny), 50);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('the generated model is byte-identical on every generation', async () => {
    const again = join(dir, 'again.bin');
    await writeTinyModel(sharedFile(HEADER), again);
    const h = async (f: string) =>
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex');
    assert.equal(await h(again), await h(tiny));
  });

  it('autoedit stt runs end to end: schema-valid transcript with timed words, deterministic, cached', async () => {
    const out = join(dir, 'run', 'transcript.json');
    const first = await cli([
      '--json',
      'stt',
      sharedFile('media/speech/jfk.wav'),
      '-m',
      tiny,
      '-l',
      'en',
      '-o',
      out,
      '--srt',
    ]);
    assert.equal(first.code, 0, first.stderr);
    const tr = await readArtifact(out, TranscriptSchema);
    const words = tr.segments.flatMap((s) => s.words);
    assert.ok(words.length > 0, 'the model produced tokens');
    for (const w of words) assert.ok(w.start >= 0 && w.end >= w.start && w.end <= 11.01, JSON.stringify(w));
    assert.match(tr.model, /^ggml-tiny-random\.bin@[0-9a-f]{12}$/);
    assert.ok(existsSync(out.replace(/\.json$/, '.srt')));
    const second = await cli([
      '--json',
      'stt',
      sharedFile('media/speech/jfk.wav'),
      '-m',
      tiny,
      '-l',
      'en',
      '-o',
      join(dir, 'run', 't2.json'),
    ]);
    assert.equal(second.code, 0);
    assert.deepEqual(
      (await readArtifact(join(dir, 'run', 't2.json'), TranscriptSchema)).segments,
      tr.segments,
      'deterministic',
    );
    // The cache holds one entry per window.
    assert.ok(readdirSync(join(dir, 'run', 'cache')).some((f) => f.startsWith('stt-chunk-')));
  });

  it('works directly on a media file (extracts the audio itself)', async () => {
    const tr = await transcribeFile(sample('talk'), { modelPath: tiny, language: 'en' });
    assert.equal(TranscriptSchema.safeParse(tr).success, true);
    assert.ok(tr.segments.every((s) => s.end <= 20.5));
  });

  it('long audio: windows cut at silences merge to the same words as one pass, none lost or doubled', () => {
    // Ten minutes of real word timings: the generated talk repeated, 20.4 s apart.
    const spans = samples().files.talk!.speech!;
    const base = transcriptFromSpans(spans).segments.flatMap((s) => s.words);
    const words: Word[] = [];
    for (let k = 0; k < 30; k++)
      for (const w of base) words.push({ ...w, start: w.start + k * 20.4, end: w.end + k * 20.4 });
    const speech = spans
      .flatMap((s) =>
        Array.from({ length: 30 }, (_, k) => ({
          start: s.voicedStart + k * 20.4,
          end: s.voicedEnd + k * 20.4,
          probability: 1,
        })),
      )
      .sort((a, b) => a.start - b.start);
    const chunks = planChunks(612, speech, 120, 1);
    assert.ok(chunks.length >= 5);
    // Every seam falls in a silence, never inside a word.
    for (const c of chunks.slice(1))
      assert.ok(!words.some((w) => w.start < c.keepFrom && c.keepFrom < w.end), `seam at ${c.keepFrom}`);
    // Each window "transcribes" what it hears: every word that overlaps its audio (including the overlap).
    const perChunk = chunks.map((chunk) => ({
      chunk,
      words: words.filter((w) => w.end > chunk.start && w.start < chunk.end),
    }));
    const overlapped = perChunk.reduce((a, p) => a + p.words.length, 0);
    assert.ok(overlapped >= words.length, 'windows overlap, so some words are heard twice before the merge');
    assert.deepEqual(mergeChunkWords(perChunk), words);
  });

  it('joins sub-word tokens into words and keeps times inside the audio', () => {
    const w = tokensToWords(
      [
        { text: '[_BEG_]', t0: 0, t1: 0 },
        { text: ' And', t0: 300, t1: 500 },
        { text: ' so', t0: 500, t1: 700 },
        { text: ' Amer', t0: 900, t1: 1200 },
        { text: 'icans', t0: 1200, t1: 1500 },
        { text: ',', t0: 1500, t1: 1500 },
        { text: ' ask', t0: 99000, t1: 99999 },
      ],
      10,
      5,
    );
    assert.deepEqual(
      w.map((x) => x.text),
      ['And', 'so', 'Americans,', 'ask'],
    );
    assert.equal(w[2]!.start, 10.9);
    assert.equal(w[2]!.end, 11.5);
    assert.equal(w[3]!.end, 15);
  });

  it('bad input: no audio stream, empty file, corrupt file, unreadable or wrong-format model → clear error, no transcript', async () => {
    const out = join(dir, 'bad', 't.json');
    const run = (input: string, model = tiny) => cli(['stt', input, '-m', model, '-o', out]);
    assert.match((await run(sample('videoOnly'))).stderr, /has no audio stream/);
    assert.match((await run(sample('badZero'))).stderr, /zero-byte\.mp4: not a readable media file/);
    assert.match((await run(sample('badText'))).stderr, /not a readable media file/);
    const junk = join(dir, 'junk.bin');
    await writeFile(junk, 'not a model at all');
    assert.match(
      (await run(sharedFile('media/speech/jfk.wav'), junk)).stderr,
      /not a usable whisper\.cpp \(ggml\) model: bad magic/,
    );
    const truncated = join(dir, 'ggml-trunc.bin');
    await writeFile(truncated, (await readFile(tiny)).subarray(0, 200));
    assert.match((await run(sharedFile('media/speech/jfk.wav'), truncated)).stderr, /truncated/);
    const missing = await run(sharedFile('media/speech/jfk.wav'), join(dir, 'nope'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no Whisper model .* found.*\n.*autoedit models pull/);
    assert.equal(existsSync(out), false, 'no partial transcript');
  });

  it('model lookup: --model, config, AUTOEDIT_MODELS, user cache; a clear error naming where it looked', () => {
    assert.equal(findModel({ explicit: tiny }), tiny);
    assert.equal(findModel({ configured: dir, name: 'tiny-random' }), tiny);
    assert.throws(
      () => findModel({ explicit: join(dir, 'none'), name: 'base.en' }),
      (e: unknown) => e instanceof ModelNotFoundError && e.message.includes(join(dir, 'none')),
    );
  });

  it('models pull downloads over HTTP, verifies the checksum and never installs a bad file', async () => {
    const body = await readFile(tiny);
    const digest = createHash('sha1').update(body).digest('hex');
    let tamper = false;
    const server: Server = createServer((req, res) => {
      if (req.url !== '/ggml-tiny-random.bin') return void res.writeHead(404).end();
      const data = tamper ? Buffer.concat([body.subarray(0, 1000), Buffer.from('x')]) : body;
      res.writeHead(200, { 'content-length': data.length }).end(data);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const spec = { file: 'ggml-tiny-random.bin', algorithm: 'sha1' as const, digest };
      let progressed = 0;
      const path = await pullModel('tiny-random', {
        baseUrl: `http://127.0.0.1:${port}`,
        dir: join(dir, 'cache'),
        spec,
        onProgress: (d) => (progressed = d),
      });
      assert.equal(progressed, body.length);
      assert.deepEqual(await readFile(path), body);
      tamper = true;
      await rm(path);
      await assert.rejects(
        pullModel('tiny-random', { baseUrl: `http://127.0.0.1:${port}`, dir: join(dir, 'cache'), spec }),
        /checksum mismatch/,
      );
      assert.deepEqual(readdirSync(join(dir, 'cache')), [], 'nothing half-written left behind');
      await assert.rejects(
        pullModel('nope', { baseUrl: `http://127.0.0.1:${port}` }),
        /unknown model "nope"/,
      );
    } finally {
      server.close();
    }
  });

  it('accuracy on jfk.wav with a real model: WER ≤ 10%, every word inside the speech', async function () {
    const model = realModel();
    if (!model) {
      console.warn(
        '    skipped: no real Whisper model (set AUTOEDIT_MODELS or add ../shared/models/whisper-*/ggml-*.bin); accuracy not measured',
      );
      this.skip();
    }
    const tr = await transcribeFile(sharedFile('media/speech/jfk.wav'), {
      modelPath: model!,
      language: 'en',
    });
    const ref =
      'And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.';
    assert.ok(wer(ref, tr.text) <= 0.1, `WER ${wer(ref, tr.text)}: ${tr.text}`);
    for (const w of tr.segments.flatMap((s) => s.words))
      assert.ok(w.start >= 0.2 && w.end <= 10.8, JSON.stringify(w));
  });
});
