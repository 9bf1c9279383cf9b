import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { meltRender, run as runTool, tempPathFor } from '@autoedit/media';
import { XMLValidator } from 'fast-xml-parser';
import { after, before, describe, it } from 'mocha';
import { toSrt, toVtt } from '../../src/exporters/subtitles.js';
import { readArtifact } from '../../src/project/artifacts.js';
import { MAX_NAME_BYTES } from '../../src/project/names.js';
import { MediaDbSchema } from '../../src/schemas/media-db.js';
import { SelectionSchema } from '../../src/schemas/selection.js';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';

/** Every file under `dir`, relative, recursively. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String);
}

const EDL_LINE =
  /^(TITLE: .*|FCM: NON-DROP FRAME|\d{3} {2}\S+ +\S+ +C +\d\d:\d\d:\d\d:\d\d \d\d:\d\d:\d\d:\d\d \d\d:\d\d:\d\d:\d\d \d\d:\d\d:\d\d:\d\d|\* FROM CLIP NAME: .*|\* SOURCE FILE: .*|)$/;

describe('input limits: names (real CLI)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-names-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('temporary names are short whatever the target name (a 255-byte name leaves room)', () => {
    const tmp = basename(tempPathFor(join(dir, `${'n'.repeat(251)}.wav`)));
    assert.ok(tmp.length < 32, tmp);
    assert.match(tmp, /^\..*\.partial$/);
  });

  it('subtitles: a blank line or a control character in cue text cannot end a cue early', () => {
    const srt = toSrt([{ start: 0, end: 1, text: 'one\n\ntwo\u0001\r' }]);
    assert.equal(srt, '1\n00:00:00,000 --> 00:00:01,000\none\ntwo\n');
    assert.match(toVtt([{ start: 0, end: 1, text: '\n\nx' }]), /--> 00:00:01\.000\nx\n$/);
  });

  it('two 250-byte input names: pipeline, every export and the render succeed (no ENAMETOOLONG)', async () => {
    const inputs = join(dir, 'long');
    await mkdir(inputs);
    const a = join(inputs, `${'a'.repeat(246)}.mp4`);
    const b = join(inputs, `${'a'.repeat(245)}b.mp4`); // same first 200 bytes as a
    assert.equal(basename(a).length, 250);
    await copyFile(sample('talk'), a);
    await copyFile(sample('talk'), b);
    const run = join(dir, 'r'.repeat(250));
    const r = await cli([
      'pipeline',
      a,
      b,
      '-o',
      run,
      '--skip',
      'scenes,stt',
      '-f',
      'mlt,kdenlive,edl,fcpxml,otio',
      '--render',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const db = await readArtifact(join(run, 'media.db.json'), MediaDbSchema);
    const names = db.media.map((m) => m.name);
    assert.equal(new Set(names).size, 2);
    for (const n of names) {
      assert.ok(Buffer.byteLength(n) <= MAX_NAME_BYTES, n);
      assert.match(n, /~[0-9a-f]{8}\.mp4$/);
    }
    const outputs = (await readdir(join(run, 'outputs'))).filter((f) => !f.startsWith('.'));
    assert.deepEqual(outputs.map((f) => f.replace(/^r+~[0-9a-f]{8}/, 'R')).sort(), [
      'R.edl',
      'R.fcpxml',
      'R.kdenlive',
      'R.mlt',
      'R.mp4',
      'R.otio',
    ]);
    assert.deepEqual(
      (await tree(run)).filter((f) => f.endsWith('.partial')),
      [],
    );
  });

  it('a newline and a control character in input and run names: the EDL has one event per clip and no bare line; the XML parses', async () => {
    const inputs = join(dir, 'nl');
    await mkdir(inputs);
    const input = join(inputs, 'my\ntalk\x01.mp4');
    await copyFile(sample('talk'), input);
    const run = join(dir, 'run\nname');
    const r = await cli([
      'pipeline',
      input,
      '-o',
      run,
      '--skip',
      'scenes,stt',
      '-f',
      'mlt,kdenlive,edl,fcpxml,otio',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const sel = await readArtifact(join(run, 'artifacts', 'selection.json'), SelectionSchema);
    assert.ok(sel.kept.length >= 2);
    const out = (ext: string) => readFile(join(run, 'outputs', `run\nname${ext}`), 'utf8');
    const edl = (await out('.edl')).split('\n');
    for (const line of edl) assert.match(line, EDL_LINE);
    assert.equal(edl.filter((l) => /^\d{3} /.test(l)).length, sel.kept.length);
    assert.equal(edl.filter((l) => l.startsWith('* FROM CLIP NAME: my_talk_.mp4')).length, sel.kept.length);
    assert.equal(edl[0], 'TITLE: run name');
    for (const ext of ['.mlt', '.kdenlive', '.fcpxml']) {
      const xml = await out(ext);
      assert.equal(XMLValidator.validate(xml), true, ext);
      assert.ok(!xml.includes('\u0001') && !xml.includes('\r'), `${ext} holds no control character`);
    }
    const otio = JSON.parse(await out('.otio'));
    assert.equal(otio.name, 'run name');
    // melt finds the media through a path with a newline in it (XML text holds one).
    const rendered = join(dir, 'nl.mp4');
    await meltRender(join(run, 'outputs', 'run\nname.mlt'), rendered);
    const seconds = Number(
      await runTool('ffprobe', [
        '-v',
        'error',
        '-show_entries',
        'format=duration',
        '-of',
        'csv=p=0',
        rendered,
      ]),
    );
    const keptSeconds = sel.kept.reduce((s, k) => s + k.end - k.start, 0);
    assert.ok(Math.abs(seconds - keptSeconds) < 0.2, `melt rendered ${seconds} s, kept ${keptSeconds} s`);
  });

  it('export -n ../../x is a usage error (exit 2) and writes nothing outside the output folder', async () => {
    const run = join(dir, 'run\nname');
    for (const name of ['../../x', 'a/b']) {
      const r = await cli([
        'export',
        join(run, 'artifacts', 'selection.json'),
        '-o',
        join(run, 'outputs'),
        '-n',
        name,
      ]);
      assert.equal(r.code, 2, `${name}: ${r.stderr}`);
      assert.match(r.stderr, /-n .* is not a plain file name/);
    }
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.startsWith('x')),
      [],
    );
  });

  it('a symlinked outputs/ or audio/ planted in a run folder is refused (exit 1) and not written through', async () => {
    const run = join(dir, 'run\nname');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await rm(join(run, 'outputs'), { recursive: true });
    await symlink(elsewhere, join(run, 'outputs'));
    const exp = await cli(['export', join(run, 'artifacts', 'selection.json'), '-o', join(run, 'outputs')]);
    assert.equal(exp.code, 1, exp.stderr);
    assert.match(exp.stderr, /outputs is a symbolic link \(to .*elsewhere\)/);
    const pipe = await cli(['pipeline', '-o', run, '--skip', 'scenes,stt']);
    assert.equal(pipe.code, 1, pipe.stderr);
    assert.match(pipe.stderr, /outputs is a symbolic link/);
    await rm(join(run, 'outputs'));
    await mkdir(join(run, 'outputs'));
    await rm(join(run, 'audio'), { recursive: true });
    await symlink(elsewhere, join(run, 'audio'));
    const again = await cli(['pipeline', sample('talk'), '-o', run, '--skip', 'scenes,stt']);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /audio is a symbolic link/);
    assert.deepEqual(await readdir(elsewhere), []);
  });
});
