import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meltRender, probe, run } from '@autoedit/media';
import { XMLParser } from 'fast-xml-parser';
import { after, before, describe, it } from 'mocha';
import { ingest } from '../../src/ingest/ingest.js';
import { runPipeline } from '../../src/pipeline/pipeline.js';
import { runExport } from '../../src/pipeline/stages.js';
import { renderSelection } from '../../src/render/render.js';
import type { Selection } from '../../src/schemas/selection.js';
import { selectionSource } from '../../src/select/load.js';
import { parseProfile } from '../../src/timeline/profile.js';
import { realOrStandIn, rotateFirstTrack } from '../helpers/stand-ins.js';
import { selection } from './fixtures.js';
import { probeRendered } from './media.js';

const xml = (file: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false }).parse(
    readFileSync(file, 'utf8'),
  );

/**
 * A phone clip held upright: the picture is 1080x1920 as shown (red top half, blue bottom half), stored as
 * a 1920x1080 landscape stream with a 90° clockwise display matrix, as phones write it.
 */
async function phoneClip(dir: string): Promise<string> {
  const file = join(dir, 'phone.mp4');
  if (existsSync(file)) return file;
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=1080x960:r=30:d=2,format=yuv420p[top];color=c=blue:s=1080x960:r=30:d=2,format=yuv420p[bottom];[top][bottom]vstack,transpose=cclock',
    '-f',
    'lavfi',
    '-i',
    'sine=f=440:r=48000:d=2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-threads',
    '1',
    '-c:a',
    'aac',
    '-shortest',
    file,
  ]);
  rotateFirstTrack(file);
  return file;
}

/** The mean colour of the top and bottom halves of frame `n` (RGB 0–255). */
async function halves(file: string, n = 10): Promise<{ top: number[]; bottom: number[] }> {
  const raw = `${file}.halves.rgb`;
  await run('ffmpeg', [
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-i',
    file,
    '-vf',
    `select=eq(n\\,${n}),scale=1:2:flags=area`,
    '-frames:v',
    '1',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    raw,
  ]);
  const b = readFileSync(raw);
  return { top: [...b.subarray(0, 3)], bottom: [...b.subarray(3, 6)] };
}

const isRed = (c: number[]) => c[0]! > 180 && c[1]! < 70 && c[2]! < 70;
const isBlue = (c: number[]) => c[2]! > 180 && c[0]! < 70 && c[1]! < 70;

describe('portrait video and mixed frame rates (real ffmpeg and melt)', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-orient-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a phone clip with a rotation flag gives portrait projects, exports, render and proxy; melt renders it upright', async () => {
    const phone = await phoneClip(dir);
    const p = await probe(phone);
    assert.deepEqual([p.video[0]!.width, p.video[0]!.height, p.video[0]!.rotation], [1920, 1080, 90]);
    const runDir = join(dir, 'run-phone');
    const r = await runPipeline({
      runDir,
      inputs: [phone],
      skip: ['scenes', 'stt'],
      exports: ['mlt', 'kdenlive', 'fcpxml', 'otio', 'edl'],
      render: true,
      outputs: { name: 'phone' },
    });
    assert.equal(r.status, 'ok', JSON.stringify(r));
    const out = join(runDir, 'outputs');
    for (const f of ['phone.mlt', 'phone.kdenlive']) {
      const prof = xml(join(out, f)).mlt.profile;
      assert.deepEqual(
        [prof.width, prof.height, prof.display_aspect_num, prof.display_aspect_den],
        ['1080', '1920', '9', '16'],
        f,
      );
    }
    const fmt = [].concat(xml(join(out, 'phone.fcpxml')).fcpxml.resources.format) as Record<string, string>[];
    assert.ok(
      fmt.every((f) => f.width === '1080' && f.height === '1920'),
      JSON.stringify(fmt),
    );
    const otio = JSON.parse(readFileSync(join(out, 'phone.otio'), 'utf8'));
    assert.deepEqual([otio.metadata.autoedit.width, otio.metadata.autoedit.height], [1080, 1920]);

    // ffmpeg's render and melt's render of the .mlt: portrait, red on top (upright, not sideways or flipped).
    const meltOut = join(dir, 'phone-melt.mp4');
    await meltRender(join(out, 'phone.mlt'), meltOut);
    for (const file of [join(out, 'phone.mp4'), meltOut]) {
      const got = await probeRendered(file);
      assert.deepEqual([got.width, got.height], [1080, 1920], file);
      const { top, bottom } = await halves(file);
      assert.ok(isRed(top) && isBlue(bottom), `${file}: top ${top}, bottom ${bottom}`);
    }

    // Proxies follow the displayed orientation too.
    const ing = await ingest([phone], { runDir, proxies: true });
    const proxy = join(runDir, ing.items[0]!.entry.proxy!);
    const pp = await probe(proxy);
    const shown =
      pp.video[0]!.rotation % 180 === 90
        ? [pp.video[0]!.height, pp.video[0]!.width]
        : [pp.video[0]!.width, pp.video[0]!.height];
    assert.ok(shown[1]! > shown[0]!, `proxy shown ${shown.join('x')}`);
    assert.ok(isRed((await halves(proxy)).top), 'proxy upright');
  });

  it("PySceneDetect's issue-134-rotate.mp4 gives a portrait project", async () => {
    const file = realOrStandIn('media/pyscenedetect/issue-134-rotate.mp4');
    const v = (await probe(file)).video[0]!;
    assert.equal(v.rotation, 90);
    const runDir = join(dir, 'run-134');
    const ing = await ingest([file], { runDir });
    const src = selectionSource(runDir, ing.items[0]!.entry);
    assert.deepEqual([src.width, src.height], [v.height, v.width]);
    const sel = selection([[src, 0, 48]]);
    const r = await runExport(sel, ['mlt', 'kdenlive'], join(dir, 'out-134'), 'rot');
    for (const w of r.written) {
      const prof = xml(w.path).mlt.profile;
      assert.deepEqual([prof.width, prof.height], [String(v.height), String(v.width)], w.path);
    }
    const meltOut = join(dir, 'rot-melt.mp4');
    await meltRender(r.written[0]!.path, meltOut);
    const got = await probeRendered(meltOut);
    assert.deepEqual([got.width, got.height], [v.height, v.width]);
  });

  it('a --profile choice overrides the first clip: a portrait clip on a landscape timeline is pillarboxed', async () => {
    const runDir = join(dir, 'run-phone');
    const ing = await ingest([await phoneClip(dir)], { runDir });
    const src = selectionSource(runDir, ing.items[0]!.entry);
    const sel = selection([[src, 0, 30]]);
    const out = join(dir, 'landscape.mp4');
    await renderSelection(sel, out, { profile: parseProfile('1280x720@25') });
    const got = await probeRendered(out);
    assert.deepEqual([got.width, got.height, got.fps], [1280, 720, '25/1']);
    // The picture sits in the middle; the sides are black, not a stretched red/blue.
    const left = await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-i',
      out,
      '-vf',
      'crop=200:720:0:0,signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-',
      '-frames:v',
      '1',
      '-f',
      'null',
      '-',
    ]);
    const y = Number(/YAVG=([\d.]+)/.exec(left)![1]);
    assert.ok(y < 20, `left bar is black (Y ${y})`);
    const { top, bottom } = await halves(out);
    assert.ok(top[0]! > bottom[0]! && bottom[2]! > top[2]!, 'still red over blue');
  });

  it('parses profile choices and refuses nonsense', () => {
    assert.deepEqual(parseProfile('1080x1920@29.97'), {
      width: 1080,
      height: 1920,
      fps: { num: 30000, den: 1001 },
    });
    assert.deepEqual(parseProfile('@25'), { fps: { num: 25, den: 1 } });
    assert.deepEqual(parseProfile('1920x1080'), { width: 1920, height: 1080 });
    assert.deepEqual(parseProfile('1280x720@24000/1001'), {
      width: 1280,
      height: 720,
      fps: { num: 24000, den: 1001 },
    });
    for (const bad of ['', 'x', '1081x1920', '1920x1080@', '1920x1080@0', '@abc', '10x10'])
      assert.equal(parseProfile(bad), undefined, bad);
  });
});
