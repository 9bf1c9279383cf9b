import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';

describe('rules that cannot mean anything (real CLI)', () => {
  let dir: string;
  let run: string;
  before(async function () {
    this.timeout(180_000);
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-rules-'));
    run = join(dir, 'run');
    const r = await cli(['pipeline', sample('talk'), '-o', run, '--skip', 'stt', '-f', 'edl']);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('min_length above max_length and a manual.keep range ending before it starts are refused, naming the fields', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ shots: { min_length: 5, max_length: 2 }, manual: { keep: [{ start: 3, end: 1 }] } }),
    );
    const r = await cli(['select', join(run, 'artifacts'), '-r', bad, '-o', join(dir, 'sel.json')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /bad\.json/);
    assert.match(r.stderr, /shots\.min_length: min_length must not be above max_length/);
    assert.match(r.stderr, /manual\.keep\.0\.end: end must be after start/);
  });

  it('a min_length at or above the source length, and a manual range past its end, are reported in skippedRules', async () => {
    const rules = join(dir, 'long.json');
    await writeFile(
      rules,
      JSON.stringify({
        shots: { min_length: 999 },
        manual: { cut: [{ source: 'talk.mp4', start: 500, end: 600 }] },
      }),
    );
    const r = await cli([
      '--json',
      'select',
      join(run, 'artifacts'),
      '-r',
      rules,
      '-o',
      join(dir, 'sel2.json'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { skippedRules: { rule: string; why: string }[] };
    const why = Object.fromEntries(out.skippedRules.map((s) => [s.rule, s.why]));
    assert.match(why['shots.min_length'] ?? '', /999\.00 s is at or above the length of talk\.mp4/);
    assert.match(why['manual.cut[0]'] ?? '', /starts after the end of talk\.mp4/);
    const sel = JSON.parse(await readFile(join(dir, 'sel2.json'), 'utf8'));
    assert.ok(sel.kept.length > 0, 'the skipped rule did not drop every shot');
  });

  it('rules: my-rules.json in a run folder config.yaml is read beside the config file, from any directory', async () => {
    await writeFile(join(run, 'my-rules.json'), JSON.stringify({ manual: { cut: [{ start: 0, end: 5 }] } }));
    await writeFile(join(run, 'config.yaml'), 'rules: my-rules.json\n');
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    const out = join(dir, 'sel3.json');
    const r = await cli(['--json', 'select', join(run, 'artifacts'), '-o', out], { cwd: elsewhere });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).rules, join(run, 'my-rules.json'));
    const sel = JSON.parse(await readFile(out, 'utf8')) as { dropped: { reasons: string[] }[] };
    assert.ok(sel.dropped.some((d) => d.reasons.includes('manual cut 0.00–5.00 s')));
  });
});
