import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { cli } from '../helpers/cli.js';
import { fixtures, keptSeconds, SOURCES, selection } from './fixtures.js';
import { probeRendered } from './media.js';

describe('autoedit export-mlt / export / render (real CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let sel: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-export-cli-'));
    sel = join(dir, 'selection.json');
    await writeFile(sel, JSON.stringify(fixtures().anamorphic));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('export-mlt writes one Shotcut project', async () => {
    const r = await cli(['export-mlt', sel, '-o', join(dir, 'out', 'edit.mlt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      await readFile(join(dir, 'out', 'edit.mlt'), 'utf8'),
      /<property name="shotcut">1<\/property>/,
    );
  });

  it('export writes every requested format and says which it skipped', async () => {
    const r = await cli([
      '--json',
      'export',
      sel,
      '--format',
      'mlt,kdenlive,edl,fcpxml,otio,srt',
      '-o',
      join(dir, 'all'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { written: { path: string }[]; skipped: { format: string }[] };
    assert.deepEqual(
      j.written.map((w) => w.path.replace(`${dir}/all/`, '')),
      ['edit.mlt', 'edit.kdenlive', 'edit.edl', 'edit.fcpxml', 'edit.otio'],
    );
    assert.deepEqual(
      j.skipped.map((s) => s.format),
      ['srt'],
      'no transcript: no subtitles',
    );
    const bad = await cli(['export', sel, '--format', 'mlt,avi', '-o', join(dir, 'all')]);
    assert.equal(bad.code, 2, 'a usage error');
    assert.match(bad.stderr, /--format <list>.*unknown "avi"/);
  });

  it('render writes the kept ranges; a broken selection is a clear error', async () => {
    const out = join(dir, 'final.mp4');
    const r = await cli(['render', sel, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const got = await probeRendered(out);
    assert.ok(Math.abs(got.formatSeconds - keptSeconds(fixtures().anamorphic!)) <= 0.04);
    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify(selection([[SOURCES.anamorphic(), 600, 700]])));
    const b = await cli(['render', broken, '-o', join(dir, 'broken.mp4')]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /keeps frames 600–700 of .*issue-195-aspect-ratio\.mp4, which has frames 0–628/);
    assert.ok(!existsSync(join(dir, 'broken.mp4')));
  });
});
