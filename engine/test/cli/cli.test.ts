import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { buildProgram } from '../../src/cli/program.js';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';

describe('autoedit CLI', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('--help lists every registered command, with examples', async () => {
    const { code, stdout } = await cli(['--help']);
    assert.equal(code, 0);
    const names = buildProgram().commands.map((c) => c.name());
    assert.ok(names.includes('ingest'));
    for (const n of names) assert.match(stdout, new RegExp(`\\n  ${n}\\b`), `help lists ${n}`);
    assert.match(stdout, /Examples:/);
  });

  it('ingest --json prints a machine-readable summary and exits 1 when an input fails', async () => {
    const run = join(dir, 'run');
    const { code, stdout } = await cli(['--json', 'ingest', sample('talk'), sample('badText'), '-o', run]);
    assert.equal(code, 1);
    const out = JSON.parse(stdout);
    assert.equal(out.ok, false);
    assert.equal(out.media[0].name, 'talk.mp4');
    assert.equal(out.media[0].status, 'new');
    assert.match(out.failed[0].error, /not a readable media file/);
    const again = JSON.parse((await cli(['--json', 'ingest', sample('talk'), '-o', run])).stdout);
    assert.equal(again.ok, true);
    assert.equal(again.media[0].status, 'unchanged');
  });

  it('a missing input is a clear error, not a crash', async () => {
    const { code, stdout, stderr } = await cli(['ingest', join(dir, 'nope.mp4'), '-o', join(dir, 'r2')]);
    assert.equal(code, 1);
    assert.match(stdout + stderr, /nope\.mp4: no such file or directory/);
  });

  it('a usage error exits 2 and points at --help', async () => {
    const { code, stderr } = await cli(['ingest', 'x.mp4']);
    assert.equal(code, 1 + 1);
    assert.match(stderr, /required option '-o, --output <dir>'/);
  });

  it('reports a failing ffprobe with the tool, the exit code and its stderr (fake executable)', async () => {
    const fake = join(dir, 'fake-ffprobe');
    await writeFile(fake, '#!/bin/sh\necho "simulated decoder crash" >&2\nexit 139\n');
    await chmod(fake, 0o755);
    const { code, stdout } = await cli(['--json', 'ingest', sample('talk'), '-o', join(dir, 'r3')], {
      env: { AUTOEDIT_FFPROBE: fake },
    });
    assert.equal(code, 1);
    assert.match(JSON.parse(stdout).failed[0].error, /simulated decoder crash/);
  });

  it('names the package to install when a tool is missing', async () => {
    const { code, stderr } = await cli(['ingest', sample('talk'), '-o', join(dir, 'r4')], {
      env: { AUTOEDIT_FFPROBE: join(dir, 'does-not-exist') },
    });
    assert.equal(code, 3);
    assert.match(stderr, /ffprobe was not found.*apt-get install ffmpeg/);
  });

  it('config show redacts secrets', async () => {
    const { code, stdout } = await cli(['--json', 'config', 'show'], {
      cwd: dir,
      env: { LIGHTNING_API_KEY: 'sk-very-secret-value-1234' },
    });
    assert.equal(code, 0);
    const out = JSON.parse(stdout);
    assert.equal(out.config.lightning.api_key, '***1234');
    assert.ok(!stdout.includes('very-secret'));
  });

  it('one place parses flags: a bad number or an unknown choice exits 2 naming the flag, in every command', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['cut', sample('scenesA'), '-o', join(dir, 's.json'), '-t', 'abc'],
        /-t, --threshold <n>.*'abc' is invalid.*expected a number/,
      ],
      [
        ['cut', sample('scenesA'), '-o', join(dir, 's.json'), '-d', 'contnet'],
        /-d, --detector <name>.*Allowed choices are content, adaptive, threshold/,
      ],
      [
        ['cut', sample('scenesA'), '-o', join(dir, 's.json'), '--fade-bias', '3'],
        /--fade-bias <x>.*between|≤ 1/,
      ],
      [['vad', sample('talk'), '-o', join(dir, 'v.json'), '-t', '1.5'], /-t, --threshold <n>.*≤ 1/],
      [['stt', sample('talk'), '-o', join(dir, 't.json'), '-j', '0'], /-j, --jobs <n>.*whole number ≥ 1/],
      [['ingest', sample('talk'), '-o', join(dir, 'r'), '-j', 'two'], /-j, --jobs <n>.*'two' is invalid/],
      [
        ['pipeline', sample('talk'), '-o', join(dir, 'p'), '--skip', 'foo'],
        /--skip <stages>.*unknown "foo"; allowed: ingest, scenes, vad, stt, select, export, render/,
      ],
      [['export', join(dir, 'sel.json'), '-o', dir, '-f', 'mlt,dvd'], /-f, --format <list>.*unknown "dvd"/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.replace(/\n/g, ' '), message, args.join(' '));
    }
  });

  it('short flags mean the same thing in every command', () => {
    const meaning = new Map<string, string>();
    const walk = (c: ReturnType<typeof buildProgram>) => {
      for (const o of c.options) {
        if (!o.short) continue;
        const seen = meaning.get(o.short);
        assert.ok(!seen || seen === o.long, `${o.short} is ${seen} elsewhere but ${o.long} in ${c.name()}`);
        meaning.set(o.short, o.long!);
      }
      for (const sub of c.commands) walk(sub as ReturnType<typeof buildProgram>);
    };
    walk(buildProgram());
    assert.equal(meaning.get('-m'), '--model');
    assert.equal(meaning.get('-t'), '--threshold');
  });

  it("commands honour the run folder's config.yaml; configured backends that do not exist are clear errors", async () => {
    const run = join(dir, 'cfg-run');
    assert.equal((await cli(['ingest', sample('scenesA'), '-o', run])).code, 0);
    // The run's config chooses the threshold detector: `cut` on the run's raw/ uses it.
    await writeFile(join(run, 'config.yaml'), 'scenes: { detector: threshold }\n');
    const cut = await cli([
      '--json',
      'cut',
      join(run, 'raw'),
      '-o',
      join(run, 'artifacts', 'sequences.json'),
    ]);
    assert.equal(cut.code, 0, cut.stderr);
    const seq = JSON.parse(await readFile(join(run, 'artifacts', 'sequences.json'), 'utf8'));
    assert.equal(seq.detector.name, 'threshold');
    // A backend that this build does not have is refused, naming the key.
    await writeFile(join(run, 'config.yaml'), 'diarization_backend: local\n');
    const diarize = await cli(['pipeline', '-o', run]);
    assert.equal(diarize.code, 1);
    assert.match(diarize.stderr, /diarization_backend: local .* not part of this build/);
    // The Beam backend exists, but not without the URL of its service: a clear error before any work.
    await writeFile(join(run, 'config.yaml'), 'stt_backend: beam\n');
    const beam = await cli(['pipeline', '-o', run]);
    assert.equal(beam.code, 1);
    assert.match(beam.stderr, /stt_backend: beam needs the URL of the stt-service deployment/);
  });
});
