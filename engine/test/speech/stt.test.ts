import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { readArtifact } from '../../src/project/artifacts.js';
import { TranscriptSchema, type Word } from '../../src/schemas/transcript.js';
import { mergeChunkWords, planChunks } from '../../src/speech/chunks.js';
import { transcribeFile } from '../../src/speech/transcribe.js';
import { parseGgmlHeader } from '../../src/speech/whisper/ggml.js';
import { WHISPER_LANGUAGES } from '../../src/speech/whisper/languages.js';
import { LocalWhisper } from '../../src/speech/whisper/local.js';
import { findModel, ModelNotFoundError, pullModel, userModelDir } from '../../src/speech/whisper/models.js';
import { tokensToWords } from '../../src/speech/whisper/words.js';
import { cli } from '../helpers/cli.js';
import { transcriptFromSpans } from '../helpers/run.js';
import { sample, samples } from '../helpers/samples.js';
import { fixture, SHARED } from '../helpers/shared.js';
import { tinyModel, whisperTestHeader, writeTinyModel } from './tiny-model.js';

const JFK = fixture('media/speech/jfk.wav');

/**
 * A real model if one is around (AUTOEDIT_MODELS, ../shared/models/whisper-*, or where `autoedit models pull`
 * installs): only then accuracy can be tested.
 */
function realModel(): string | undefined {
  const dirs = [
    process.env.AUTOEDIT_MODELS,
    userModelDir(),
    ...(existsSync(join(SHARED, 'models'))
      ? readdirSync(join(SHARED, 'models'))
          .filter((d) => d.startsWith('whisper-'))
          .map((d) => join(SHARED, 'models', d))
      : []),
  ];
  for (const d of dirs) {
    if (!d || !existsSync(d)) continue;
    const bin = readdirSync(d).find(
      (f) => f.startsWith('ggml-') && f.endsWith('.bin') && !/for-tests|random/.test(f),
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
    // Real format, random weights: loading, decoding, timestamps and the schema run for real; the text is noise.
    tiny = await tinyModel();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('the generated model is byte-identical on every generation', async () => {
    const again = join(dir, 'again.bin');
    assert.equal(await writeTinyModel(whisperTestHeader(), again), 50);
    const h = async (f: string) =>
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex');
    assert.equal(await h(again), await h(tiny));
  });

  it('autoedit stt runs end to end: schema-valid transcript with timed words, deterministic, cached', async () => {
    const out = join(dir, 'run', 'transcript.json');
    const first = await cli(['--json', 'stt', JFK, '-m', tiny, '-l', 'en', '-o', out, '--srt', '--vtt']);
    assert.equal(first.code, 0, first.stderr);
    const tr = await readArtifact(out, TranscriptSchema);
    const words = tr.segments.flatMap((s) => s.words);
    assert.ok(words.length > 0, 'the model produced tokens');
    for (const w of words) assert.ok(w.start >= 0 && w.end >= w.start && w.end <= 11.01, JSON.stringify(w));
    assert.match(tr.model, /^ggml-tiny-random\.en\.bin@[0-9a-f]{12}$/);
    // Subtitles of the raw transcript: one cue per segment, at the segment's times.
    const srt = await readFile(out.replace(/\.json$/, '.srt'), 'utf8');
    assert.match(srt, /^1\r?\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}/);
    assert.ok(srt.includes(words[0]!.text), srt);
    assert.match(await readFile(out.replace(/\.json$/, '.vtt'), 'utf8'), /^WEBVTT/);
    const second = await cli([
      '--json',
      'stt',
      JFK,
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
    const chunks = planChunks(612, speech, { window: 120, overlap: 1 });
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
    assert.match((await run(JFK, junk)).stderr, /not a usable whisper\.cpp \(ggml\) model: bad magic/);
    const truncated = join(dir, 'ggml-trunc.bin');
    await writeFile(truncated, (await readFile(tiny)).subarray(0, 200));
    assert.match((await run(JFK, truncated)).stderr, /truncated/);
    const missing = await run(JFK, join(dir, 'nope'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no Whisper model .* found.*\n.*autoedit models pull/);
    assert.equal(existsSync(out), false, 'no partial transcript');
  });

  it('rejects header-only and damaged model files before whisper.cpp sees them', async () => {
    // whisper.cpp accepts the header-only test file and then never finishes a transcription.
    await assert.rejects(
      LocalWhisper.open(whisperTestHeader()),
      /not a usable whisper\.cpp \(ggml\) model: it has no weights/,
    );
    const body = await readFile(tiny);
    const cut = join(dir, 'ggml-cut.bin');
    await writeFile(cut, body.subarray(0, body.length - 1000));
    await assert.rejects(LocalWhisper.open(cut), /truncated in tensor/);
    const flipped = Buffer.from(body);
    // The first tensor record's type field (after the header): an unknown ggml type.
    const { tensorsOffset } = parseGgmlHeader(body);
    flipped.writeInt32LE(99, tensorsOffset + 8);
    await writeFile(cut, flipped);
    await assert.rejects(LocalWhisper.open(cut), /unsupported type 99/);
    // Well-formed but wrong for whisper.cpp (a bias of shape [a, 1] instead of [1, a]): whisper.cpp refuses it
    // in the worker process, and the error carries what whisper.cpp logged.
    const swapped = Buffer.from(body);
    const name = swapped.indexOf('encoder.conv1.bias');
    const [d0, d1] = [swapped.readInt32LE(name - 8), swapped.readInt32LE(name - 4)];
    swapped.writeInt32LE(d1, name - 8);
    swapped.writeInt32LE(d0, name - 4);
    await writeFile(cut, swapped);
    await assert.rejects(LocalWhisper.open(cut), /whisper\.cpp could not load it .*encoder\.conv1\.bias/);
  });

  it('a hung or too slow transcription is killed at its time limit, with a clear error', async () => {
    const w = await LocalWhisper.open(tiny, { timeout: { baseMs: 1, perSecondMs: 0 } });
    try {
      const pcm = new Int16Array(16000 * 5);
      await assert.rejects(w.transcribe(pcm, 0, {}), /timed out after 0 s/);
      // The worker process was killed, not left running: later calls fail at once.
      await assert.rejects(w.transcribe(pcm, 0, {}), /whisper\.cpp was killed by SIGKILL/);
    } finally {
      await w.close();
    }
  });

  it('language: auto-detect or a Whisper code; English-only models and unknown codes are clear errors', async () => {
    const multi = await tinyModel(true);
    const auto = await transcribeFile(JFK, { modelPath: multi });
    assert.ok(WHISPER_LANGUAGES.includes(auto.language), auto.language);
    const de = await transcribeFile(JFK, { modelPath: multi, language: 'de', prompt: 'Kennedy, Berlin' });
    assert.equal(de.language, 'de');
    await assert.rejects(transcribeFile(JFK, { modelPath: multi, language: 'xx' }), /unknown language "xx"/);
    await assert.rejects(
      transcribeFile(JFK, { modelPath: tiny, language: 'fr' }),
      /English-only model; it cannot transcribe language "fr"/,
    );
  });

  it('an audio stream with no samples is a clear error', async () => {
    const empty = join(dir, 'empty.wav');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=16000:cl=mono',
      '-t',
      '0',
      empty,
    ]);
    const out = join(dir, 'empty.json');
    const r = await cli(['stt', empty, '-m', tiny, '-o', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /empty\.wav: the audio stream is empty/);
    assert.equal(existsSync(out), false);
  });

  it('model lookup: --model, config, AUTOEDIT_MODELS, user cache; a clear error naming where it looked', async () => {
    const saved = { models: process.env.AUTOEDIT_MODELS, xdg: process.env.XDG_CACHE_HOME };
    try {
      const xdg = join(dir, 'xdg');
      process.env.XDG_CACHE_HOME = xdg;
      delete process.env.AUTOEDIT_MODELS;
      assert.equal(findModel({ explicit: tiny }), tiny);
      assert.equal(findModel({ configured: dirname(tiny), name: 'tiny-random.en' }), tiny);
      process.env.AUTOEDIT_MODELS = dirname(tiny);
      assert.equal(findModel({ name: 'tiny-random.en' }), tiny);
      delete process.env.AUTOEDIT_MODELS;
      // The per-user cache comes last: $XDG_CACHE_HOME/autoedit/models.
      await mkdir(join(xdg, 'autoedit', 'models'), { recursive: true });
      await copyFile(tiny, join(xdg, 'autoedit', 'models', 'ggml-base.en.bin'));
      assert.equal(findModel({}), join(xdg, 'autoedit', 'models', 'ggml-base.en.bin'));
      // --model wins over everything, and when it names nothing that exists the error says where it looked.
      assert.throws(
        () => findModel({ explicit: join(dir, 'none'), name: 'small' }),
        (e: unknown) =>
          e instanceof ModelNotFoundError &&
          e.message.includes(join(dir, 'none')) &&
          e.message.includes(join(xdg, 'autoedit', 'models')) &&
          /autoedit models pull small/.test(e.hint ?? ''),
      );
    } finally {
      for (const [k, v] of [
        ['AUTOEDIT_MODELS', saved.models],
        ['XDG_CACHE_HOME', saved.xdg],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
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

  it('autoedit models pull --sha256 and models list, against a local HTTP server', async () => {
    const body = await readFile(tiny);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const server: Server = createServer((req, res) => {
      if (req.url !== '/ggml-tiny-random.en.bin') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const env = { XDG_CACHE_HOME: join(dir, 'cli-xdg'), AUTOEDIT_MODELS: '' };
    try {
      const pull = await cli(
        ['--json', 'models', 'pull', 'tiny-random.en', '--base-url', base, '--sha256', sha256],
        {
          env,
        },
      );
      assert.equal(pull.code, 0, pull.stderr);
      const installed = join(dir, 'cli-xdg', 'autoedit', 'models', 'ggml-tiny-random.en.bin');
      assert.equal(JSON.parse(pull.stdout).path, installed);
      const wrong = await cli(
        ['models', 'pull', 'tiny-random.en', '--base-url', base, '--sha256', '0'.repeat(64)],
        {
          env,
        },
      );
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /checksum mismatch/);
      const list = await cli(['--json', 'models', 'list'], { env });
      assert.deepEqual(
        JSON.parse(list.stdout).installed.map((m: { path: string }) => m.path),
        [installed],
      );
      // stt with no --model looks for the configured name (base.en) and says where it looked and what to run.
      const stt = await cli(['stt', JFK, '-o', join(dir, 'cli-xdg', 't.json')], {
        env,
      });
      assert.equal(stt.code, 1);
      assert.match(
        stt.stderr,
        /no Whisper model "base\.en" found \(looked in: .*cli-xdg\/autoedit\/models\)/,
      );
      assert.match(stt.stderr, /autoedit models pull base\.en/);
    } finally {
      server.close();
    }
  });

  // Skipped where no real Whisper model exists, which is every machine here: ../shared/models/README.md
  // ("No Whisper-class model is available on these machines").
  it('accuracy on jfk.wav with a real model: WER ≤ 10%, every word inside the speech', async function () {
    const model = realModel();
    if (!model) {
      console.warn(
        '    skipped: no real Whisper model, so accuracy is not measured. To run it: `npx autoedit models pull base.en` ' +
          `(needs internet; installs into ${userModelDir()}), or set AUTOEDIT_MODELS to a folder holding a ` +
          'whisper.cpp ggml-*.bin, or add ../shared/models/whisper-*/ggml-*.bin',
      );
      this.skip();
    }
    const tr = await transcribeFile(JFK, {
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
