import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, lstat, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import { ingest } from '../../src/ingest/ingest.js';
import { readArtifact } from '../../src/project/artifacts.js';
import { MediaDbSchema } from '../../src/schemas/media-db.js';
import { sample, samples } from '../helpers/samples.js';
import { realOrStandIn } from '../helpers/stand-ins.js';

const run = promisify(execFile);

async function audioFormat(file: string) {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_name,sample_rate,channels',
    '-of',
    'json',
    file,
  ]);
  return (JSON.parse(stdout) as { streams: { codec_name: string; sample_rate: string; channels: number }[] })
    .streams[0]!;
}

describe('ingest (real ffmpeg)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-ingest-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('links originals, extracts 16 kHz mono FLAC and records probe data', async () => {
    const runDir = join(dir, 'run1');
    const res = await ingest([sample('talk'), realOrStandIn('media/pyscenedetect/testvideo.mp4')], {
      runDir,
    });
    assert.equal(res.failed.length, 0);
    assert.deepEqual(
      res.items.map((i) => i.status),
      ['new', 'new'],
    );
    for (const d of ['raw', 'audio', 'proxies', 'artifacts', 'outputs', 'logs']) await lstat(join(runDir, d));
    const db = await readArtifact(join(runDir, 'media.db.json'), MediaDbSchema);
    const talk = db.media.find((m) => m.name === 'talk.mp4')!;
    assert.match(talk.hash, /^sha256:[0-9a-f]{64}$/);
    assert.ok((await lstat(join(runDir, talk.raw))).isSymbolicLink());
    assert.deepEqual(await audioFormat(join(runDir, talk.audio!)), {
      codec_name: 'pcm_s16le',
      sample_rate: '16000',
      channels: 1,
    });
    // testvideo.mp4 has no audio: no audio file, recorded as such.
    const tv = db.media.find((m) => m.name === 'testvideo.mp4')!;
    assert.equal(tv.audio, undefined);
    assert.deepEqual(tv.probe.video[0]!.fps, { num: 30000, den: 1001 });
  });

  it('does no media work on a re-run and re-processes a changed input', async () => {
    const runDir = join(dir, 'run2');
    const input = join(dir, 'clip.mp4');
    await copyFile(sample('scenesA'), input);
    const first = await ingest([input], { runDir });
    assert.equal(first.items[0]!.status, 'new');
    const audio = join(runDir, first.items[0]!.entry.audio!);
    const before = (await lstat(audio)).mtimeMs;
    const second = await ingest([input], { runDir });
    assert.equal(second.items[0]!.status, 'unchanged');
    assert.equal((await lstat(audio)).mtimeMs, before, 'audio must not be re-extracted');
    // Same size and mtime but different content is caught only with --no-cache; a real change alters size/mtime.
    await copyFile(sample('scenesB'), input);
    await utimes(input, new Date(), new Date(Date.now() + 5000));
    const third = await ingest([input], { runDir });
    assert.equal(third.items[0]!.status, 'changed');
    assert.notEqual(third.items[0]!.entry.hash, first.items[0]!.entry.hash);
    const forced = await ingest([input], { runDir, cache: false });
    assert.equal(forced.items[0]!.status, 'changed');
  });

  it('ingests directories, reports bad files per file, and leaves nothing half-written', async () => {
    const runDir = join(dir, 'run3');
    const res = await ingest([join(samples() && sample('badZero'), '..')], { runDir });
    const failed = Object.fromEntries(res.failed.map((f) => [f.input.split('/').pop(), f.error]));
    assert.match(failed['zero-byte.mp4']!, /empty file/);
    assert.match(failed['not-media.mp4']!, /not a readable media file/);
    const names = res.items.map((i) => i.entry.name).sort();
    assert.deepEqual(names, ['audio-only.m4a', 'truncated.mp4', 'video-only.mp4']);
    const audioOnly = res.items.find((i) => i.entry.name === 'audio-only.m4a')!.entry;
    assert.equal(audioOnly.probe.video.length, 0);
    const videoOnly = res.items.find((i) => i.entry.name === 'video-only.mp4')!.entry;
    assert.equal(videoOnly.audio, undefined);
    const leftovers = (await readdir(join(runDir, 'audio'))).filter((f) => f.endsWith('.partial'));
    assert.deepEqual(leftovers, []);
  });

  it('accepts glob patterns, --copy and proxies', async () => {
    const runDir = join(dir, 'run4');
    const res = await ingest([join(sample('scenesA'), '..', 'scenes-*.mp4')], {
      runDir,
      copy: true,
      proxies: true,
    });
    assert.deepEqual(res.items.map((i) => i.entry.name).sort(), ['scenes-a.mp4', 'scenes-b.mp4']);
    const e = res.items[0]!.entry;
    assert.ok((await lstat(join(runDir, e.raw))).isFile(), 'copied, not linked');
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=height',
      '-of',
      'csv=p=0',
      join(runDir, e.proxy!),
    ]);
    assert.equal(stdout.trim().split('\n')[0], '360');
  });

  it('names the file and the field when media.db.json is invalid', async () => {
    const runDir = join(dir, 'run5');
    await ingest([sample('videoOnly')], { runDir });
    const dbFile = join(runDir, 'media.db.json');
    const db = JSON.parse(await readFile(dbFile, 'utf8'));
    db.media[0].size = 'big';
    await writeFile(dbFile, JSON.stringify(db));
    await assert.rejects(
      ingest([sample('videoOnly')], { runDir }),
      (e: Error) => e.message.includes(dbFile) && e.message.includes('media.0.size'),
    );
  });
});
