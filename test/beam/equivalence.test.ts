import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadConfig,
  readArtifact,
  runPipeline,
  TranscriptSchema,
  transcribeFile,
  VadSchema,
} from '@autoedit/engine';
import { after, before, describe, it } from 'mocha';
import { cli } from '../../engine/test/helpers/cli.js';
import { samples } from '../../engine/test/helpers/samples.js';
import { fixture } from '../../engine/test/helpers/shared.js';
import { beamTranscript, localTranscript, longTalk, plan, WINDOW, words } from '../helpers/beam.js';
import { KEY, type Running, startService } from '../helpers/stt-service.js';
import { tinyWhisper } from '../helpers/tiny-whisper.js';

describe('Beam backend through the real stt-service: word for word what the local backend gets', function () {
  this.timeout(600_000);
  let svc: Running;
  before(async () => {
    samples();
    // The service fetches chunks from AutoEdit's own chunk server on 127.0.0.1: allowed explicitly.
    svc = await startService({ STT_FETCH_ALLOW: '127.0.0.1' });
  });
  after(() => svc?.close());

  it('jfk.wav (11 s, one window)', async () => {
    const jfk = fixture('media/speech/jfk.wav');
    const local = await localTranscript(jfk);
    const { tr, backend } = await beamTranscript(jfk, plan([{ name: 'a', baseUrl: svc.url }]));
    assert.ok(words(local).length > 0);
    assert.deepEqual(words(tr), words(local));
    assert.deepEqual(tr.segments, local.segments);
    assert.equal(tr.model, local.model, 'the service runs the same model file');
    assert.deepEqual(backend.summary(), { line: '1 on beam:a', warnings: [] });
  });

  it(`a minute of generated speech in ${WINDOW} s windows, cut in silences, two in flight: same words, none lost or doubled`, async () => {
    const file = longTalk(3);
    const local = await localTranscript(file);
    const { tr, backend } = await beamTranscript(file, plan([{ name: 'a', baseUrl: svc.url }]));
    assert.ok(backend.report.length >= 2, `${backend.report.length} windows`);
    assert.ok(backend.report.every((w) => w.ran === 'beam:a'));
    const starts = backend.report.map((w) => w.start).sort((a, b) => a - b);
    assert.equal(new Set(starts).size, starts.length, 'each window sent once');
    assert.deepEqual(words(tr), words(local));
    assert.equal(tr.text, local.text);
  });

  it('the pipeline with stt_backend: beam in config.yaml (legacy lightning keys): the words a local transcription of the same windows gets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autoedit-beam-pipeline-'));
    try {
      const input = longTalk(3);
      const model = await tinyWhisper();
      const runDir = join(dir, 'run');
      await writeFile(
        join(dir, 'config.yaml'),
        [
          'stt: { language: en }',
          'exports: [mlt]',
          'stt_backend: lightning',
          'lightning:',
          '  base_url: ${SVC}',
          '  api_key: ${LIGHTNING_API_KEY}',
          '  timeout_s: 60',
          `beam: { window_s: ${WINDOW}, concurrency: 2 }`,
          '',
        ].join('\n'),
      );
      const { config } = loadConfig({ cwd: dir, env: { LIGHTNING_API_KEY: KEY, SVC: svc.url } });
      const r = await runPipeline({ runDir, inputs: [input], config, model, skip: ['scenes'] });
      const stt = r.stages.find((s) => s.stage === 'stt')!;
      assert.match(
        stt.summary ?? '',
        /with Beam \(ggml-tiny-random\.en\.bin@[0-9a-f]{12}\): windows \d+ on beam:default/,
      );
      assert.deepEqual(stt.warnings, []);
      const tr = await readArtifact(stt.artifacts[0]!, TranscriptSchema);
      // The local backend on the same audio, speech ranges (the run's vad.json) and windows.
      const { speech } = await readArtifact(join(runDir, 'artifacts', 'vad.json'), VadSchema);
      const local = await transcribeFile(input, {
        modelPath: model,
        language: 'en',
        window: WINDOW,
        threads: 2,
        speech,
      });
      assert.ok(words(local).length > 0);
      assert.deepEqual(words(tr), words(local));
      assert.ok((await readFile(join(runDir, 'outputs', 'run.mlt'), 'utf8')).includes('<mlt'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('autoedit stt --backend beam: the CLI sends the windows to the service and says where they ran', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autoedit-beam-cli-'));
    try {
      const model = await tinyWhisper();
      await writeFile(
        join(dir, 'config.yaml'),
        'beam:\n  base_url: ${AUTOEDIT_BEAM_URL}\n  api_key: ${KEY}\n',
      );
      const out = join(dir, 'transcript.json');
      const r = await cli(
        ['--json', 'stt', longTalk(3), '--backend', 'beam', '-m', model, '-l', 'en', '-o', out],
        {
          cwd: dir,
          env: { AUTOEDIT_BEAM_URL: svc.url, KEY },
        },
      );
      assert.equal(r.code, 0, r.stderr);
      const res = JSON.parse(r.stdout) as { backend: string; windows: { ran: string }[]; model: string };
      assert.equal(res.backend, 'beam');
      assert.ok(res.windows.length >= 1 && res.windows.every((w) => w.ran === 'beam:default'));
      assert.match(res.model, /^ggml-tiny-random\.en\.bin@[0-9a-f]{12}$/);
      assert.ok((await readArtifact(out, TranscriptSchema)).segments.length > 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
