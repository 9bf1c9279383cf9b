import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { writeOutput } from '../../src/project/outputs.js';

describe('export outputs', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-outputs-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('never destroys a hand-edited output: the edited version is backed up first', async () => {
    const out = join(dir, 'outputs');
    const first = await writeOutput(out, 'edit.mlt', '<mlt>v1</mlt>');
    assert.equal(first.backup, undefined);
    assert.equal(
      (await writeOutput(out, 'edit.mlt', '<mlt>v2</mlt>')).backup,
      undefined,
      'our own file is replaced silently',
    );
    await writeFile(join(out, 'edit.mlt'), '<mlt>edited by hand</mlt>');
    const third = await writeOutput(out, 'edit.mlt', '<mlt>v3</mlt>');
    assert.ok(third.backup);
    assert.equal(await readFile(third.backup!, 'utf8'), '<mlt>edited by hand</mlt>');
    assert.equal(await readFile(join(out, 'edit.mlt'), 'utf8'), '<mlt>v3</mlt>');
  });
});
