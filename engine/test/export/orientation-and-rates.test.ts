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

  it('a 29.97 fps clip on a 25 fps timeline keeps its own rate in FCPXML and OTIO; the EDL says it cannot', async () => {
    const make = async (name: string, rate: string, frames: number) => {
      const file = join(dir, name);
      await run('ffmpeg', [
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=s=320x240:r=${rate}`,
        '-f',
        'lavfi',
        '-i',
        'sine=f=440:r=48000:d=30',
        '-frames:v',
        String(frames),
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
      return file;
    };
    const a = await make('pal.mp4', '25', 50);
    const b = await make('ntsc.mp4', '30000/1001', 599);
    const runDir = join(dir, 'run-rates');
    const ing = await ingest([a, b], { runDir });
    const [pal, ntsc] = ing.items.map((i) => selectionSource(runDir, i.entry)) as [
      Selection['sources'][number],
      Selection['sources'][number],
    ];
    assert.deepEqual(ntsc.fps, { num: 30000, den: 1001 });
    assert.equal(ntsc.frameCount, 599);
    const sel = selection([
      [pal, 0, 50],
      [ntsc, 30, 120],
      [ntsc, 0, 599],
    ]);
    const r = await runExport(sel, ['edl', 'fcpxml', 'otio'], join(dir, 'out-rates'), 'rates');
    const file = (ext: string) => join(dir, 'out-rates', `rates.${ext}`);

    // FCPXML: the NTSC asset has its own 1001/30000s format and lasts 599 of its frames (19.987 s).
    const x = xml(file('fcpxml')).fcpxml;
    const formats = [].concat(x.resources.format) as Record<string, string>[];
    const assets = [].concat(x.resources.asset) as Record<string, string>[];
    const seconds = (t: string) => {
      const [n, d] = t.replace(/s$/, '').split('/').map(Number) as [number, number | undefined];
      return n / (d ?? 1);
    };
    const formatOf = (asset: Record<string, string>) => formats.find((f) => f.id === asset.format)!;
    const ntscAsset = assets.find((x) => x.name === 'ntsc.mp4')!;
    const palAsset = assets.find((x) => x.name === 'pal.mp4')!;
    assert.equal(formatOf(ntscAsset).frameDuration, '1001/30000s');
    assert.equal(formatOf(palAsset).frameDuration, '1/25s');
    assert.equal(ntscAsset.duration, '599599/30000s');
    assert.equal(seconds(ntscAsset.duration!).toFixed(3), '19.987');
    assert.equal(x.library.event.project.sequence.format, 'r1');
    assert.equal(formats.find((f) => f.id === 'r1')!.frameDuration, '1/25s');
    const clips = [].concat(x.library.event.project.sequence.spine['asset-clip']) as Record<string, string>[];
    // Clip starts are source frames at the source rate; offsets and durations are on the 25 fps timeline.
    assert.deepEqual(
      clips.map((c) => [c.start, c.offset, c.duration]),
      [
        ['0s', '0s', '50/25s'],
        ['30030/30000s', '50/25s', '75/25s'],
        ['0s', '125/25s', '500/25s'],
      ],
    );

    // OTIO: the NTSC clips' source ranges are frames 30–120 and 0–599 at 29.97.
    const o = JSON.parse(readFileSync(file('otio'), 'utf8'));
    const v = o.tracks.children[0].children.filter(
      (c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA === 'Clip.2',
    );
    assert.deepEqual(
      v.map(
        (c: {
          source_range: { start_time: { value: number; rate: number }; duration: { value: number } };
        }) => [
          c.source_range.start_time.value,
          c.source_range.duration.value,
          +c.source_range.start_time.rate.toFixed(5),
        ],
      ),
      [
        [0, 50, 25],
        [30, 90, 29.97003],
        [0, 599, 29.97003],
      ],
    );
    assert.equal(v[1].media_references.DEFAULT_MEDIA.available_range.duration.value, 599);

    // EDL: one rate for every timecode (25 fps, same times), the source's own timecodes in a comment, a warning.
    const edl = readFileSync(file('edl'), 'utf8');
    assert.match(edl, /^002 {2}AX02 +AA\/V +C +00:00:01:00 00:00:04:00 00:00:02:00 00:00:05:00$/m);
    assert.match(edl, /^\* SOURCE RATE: 29\.97 FPS; SOURCE TC AT THAT RATE 00:00:01:00 00:00:04:00 /m);
    assert.match(edl, /^\* SOURCE RATE: 29\.97 FPS; SOURCE TC AT THAT RATE 00:00:00:00 00:00:19:29 /m);
    assert.equal(r.warnings.length, 1, r.warnings.join('\n'));
    assert.match(r.warnings[0]!, /ntsc\.mp4 is 29\.97 fps on a 25 fps timeline; CMX 3600 has one rate/);

    // A single-rate edit: nothing to say.
    const same = await runExport(selection([[ntsc, 0, 90]]), ['edl'], join(dir, 'out-same'), 'same');
    assert.deepEqual(same.warnings, []);
    assert.doesNotMatch(readFileSync(same.written[0]!.path, 'utf8'), /SOURCE RATE/);
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
