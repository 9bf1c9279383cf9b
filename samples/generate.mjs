#!/usr/bin/env node
// Generates the demo/test media set deterministically with ffmpeg (lavfi sources) and espeak-ng.
// Output: samples/out/ (not committed) plus manifest.json with the ground truth tests rely on
// (scene cut frames, speech spans, silences, the filler word). Re-running with the same tools is a no-op.
//
//   node samples/generate.mjs [--out DIR] [--force]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const OUT = resolve(outArg >= 0 ? args[outArg + 1] : join(here, 'out'));
const FORCE = args.includes('--force');
const GENERATOR_VERSION = 3; // bump when the recipe changes, so old sets are regenerated
const FPS = 25;
const SIZE = '1280x720';
const SR = 48000;

function tool(name, argv) {
  try {
    return execFileSync(name, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(
      `${name} failed: ${String(e.stderr || e.message)
        .trim()
        .split('\n')
        .slice(-4)
        .join('\n')}`,
    );
  }
}
const ff = (argv) =>
  tool(process.env.AUTOEDIT_FFMPEG || 'ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...argv]);
const BITEXACT = [
  '-fflags',
  '+bitexact',
  '-flags:v',
  '+bitexact',
  '-flags:a',
  '+bitexact',
  '-map_metadata',
  '-1',
];
const H264 = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '23',
  '-pix_fmt',
  'yuv420p',
  '-g',
  String(FPS * 2),
  '-threads',
  '1',
];
const AAC = ['-c:a', 'aac', '-b:a', '128k', '-ar', String(SR), '-ac', '2'];

function need(cmd, pkg) {
  try {
    tool(cmd, ['--version']);
  } catch {
    try {
      tool(cmd, ['-version']);
    } catch {
      console.error(`samples: ${cmd} is missing. Install it: sudo apt-get install ${pkg}`);
      process.exit(3);
    }
  }
}

/** Speak `text` with espeak-ng into a mono s16 WAV; returns path, duration and the audible span. */
function speak(name, text, dir) {
  const wav = join(dir, `${name}.wav`);
  tool('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wav, text]);
  const buf = readFileSync(wav);
  // espeak-ng writes a canonical 44-byte header: 22050 Hz, mono, s16le.
  const rate = buf.readUInt32LE(24);
  const dataOffset = buf.indexOf('data', 12) + 8;
  const samples = new Int16Array(
    buf.buffer.slice(
      buf.byteOffset + dataOffset,
      buf.byteOffset + buf.length - ((buf.length - dataOffset) % 2),
    ),
  );
  const loud = (s) => Math.abs(s) > 300;
  let first = samples.findIndex(loud);
  let last = samples.length - 1;
  while (last > 0 && !loud(samples[last])) last--;
  if (first < 0) first = 0;
  return {
    wav,
    text,
    duration: samples.length / rate,
    voicedStart: first / rate,
    voicedEnd: (last + 1) / rate,
  };
}

/**
 * Lay spoken phrases and silences end to end into one 48 kHz track; returns the track and the exact
 * times of every phrase (file span and audible span) in the result.
 */
function speechTrack(name, parts, dir) {
  const inputs = [];
  const chains = [];
  const spans = [];
  let t = 0;
  let i = -1;
  for (const p of parts) {
    i++;
    if ('silence' in p) {
      inputs.push('-f', 'lavfi');
      inputs.push(`-i`, `anullsrc=r=${SR}:cl=mono:d=${p.silence}`);
      chains.push(`[${i}:a]aresample=${SR},asetpts=N/SR/TB[a${i}]`);
      t += p.silence;
    } else {
      const s = speak(`${name}-${i}`, p.say, dir);
      inputs.push('-i', s.wav);
      chains.push(`[${i}:a]aresample=${SR},asetpts=N/SR/TB[a${i}]`);
      spans.push({
        text: p.say,
        filler: !!p.filler,
        start: round(t),
        end: round(t + s.duration),
        voicedStart: round(t + s.voicedStart),
        voicedEnd: round(t + s.voicedEnd),
      });
      t += s.duration;
    }
  }
  const n = parts.length;
  const wav = join(dir, `${name}.track.wav`);
  const graph = `${chains.join(';')};${Array.from({ length: n }, (_, i) => `[a${i}]`).join('')}concat=n=${n}:v=0:a=1[out]`;
  ff([...inputs, '-filter_complex', graph, '-map', '[out]', '-c:a', 'pcm_s16le', wav]);
  return { wav, duration: round(t), spans };
}

const round = (x) => Math.round(x * 1000) / 1000;

/** A 720p25 clip of hard cuts between lavfi sources, with an optional audio track. */
function sceneClip(file, shots, audio) {
  const inputs = [];
  const labels = [];
  shots.forEach((s, i) => {
    inputs.push(
      '-f',
      'lavfi',
      '-t',
      String(s.frames / FPS),
      '-i',
      `${s.src}${s.src.includes('=') ? ':' : '='}size=${SIZE}:rate=${FPS}`,
    );
    labels.push(`[${i}:v]format=yuv420p,setsar=1[v${i}]`);
  });
  const n = shots.length;
  const graph = `${labels.join(';')};${Array.from({ length: n }, (_, i) => `[v${i}]`).join('')}concat=n=${n}:v=1:a=0[v]`;
  const total = shots.reduce((a, s) => a + s.frames, 0) / FPS;
  const aIn = audio ? ['-i', audio] : [];
  const aMap = audio ? ['-map', `${n}:a`, ...AAC, '-af', `apad=whole_dur=${total}`] : ['-an'];
  ff([
    ...inputs,
    ...aIn,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    ...aMap,
    ...H264,
    '-t',
    String(total),
    ...BITEXACT,
    '-movflags',
    '+faststart',
    file,
  ]);
  let frame = 0;
  const cuts = [];
  for (const s of shots.slice(0, -1)) {
    frame += s.frames;
    cuts.push(frame);
  }
  return { frames: shots.reduce((a, s) => a + s.frames, 0), cuts };
}

function main() {
  need('ffmpeg', 'ffmpeg');
  need('espeak-ng', 'espeak-ng');
  const manifestPath = join(OUT, 'manifest.json');
  if (!FORCE && existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (
      m.generatorVersion === GENERATOR_VERSION &&
      Object.values(m.files).every((f) => existsSync(join(OUT, f.path)))
    ) {
      console.log(`samples: up to date in ${OUT}`);
      return;
    }
  }
  const t0 = performance.now();
  rmSync(OUT, { recursive: true, force: true });
  const tmp = join(OUT, '.work');
  mkdirSync(tmp, { recursive: true });
  mkdirSync(join(OUT, 'bad'), { recursive: true });
  const files = {};

  // 1. Talking head: sentences with known silences and one filler word, over a plain background.
  const talk = speechTrack(
    'talk',
    [
      { silence: 1.0 },
      { say: 'Welcome to the automatic editing demo.' },
      { silence: 2.0 },
      { say: 'This sentence follows a two second pause.' },
      { silence: 0.6 },
      { say: 'um', filler: true },
      { silence: 0.6 },
      { say: 'After a filler word, we keep talking.' },
      { silence: 3.0 },
      { say: 'Long silences are removed from the cut.' },
      { silence: 1.0 },
    ],
    tmp,
  );
  const talkFrames = Math.round(talk.duration * FPS);
  sceneClip(join(OUT, 'talk.mp4'), [{ src: 'color=c=0x2d4b6e', frames: talkFrames }], talk.wav);
  files.talk = {
    path: 'talk.mp4',
    fps: `${FPS}/1`,
    frames: talkFrames,
    duration: talkFrames / FPS,
    speech: talk.spans,
    sceneCuts: [],
  };

  // 2. Two clips with hard scene changes (different lavfi sources), one with speech, one without audio track content.
  const narr = speechTrack(
    'narration',
    [
      { silence: 0.5 },
      { say: 'Scene one.' },
      { silence: 2.5 },
      { say: 'Scene two starts here.' },
      { silence: 1.5 },
    ],
    tmp,
  );
  const a = sceneClip(
    join(OUT, 'scenes-a.mp4'),
    [
      { src: 'testsrc2', frames: 75 },
      { src: 'smptehdbars', frames: 50 },
      { src: 'mandelbrot', frames: 75 },
    ],
    narr.wav,
  );
  files.scenesA = {
    path: 'scenes-a.mp4',
    fps: `${FPS}/1`,
    frames: a.frames,
    duration: a.frames / FPS,
    sceneCuts: a.cuts,
    speech: narr.spans,
  };
  const silentTrack = speechTrack('quiet', [{ silence: 6 }], tmp);
  const b = sceneClip(
    join(OUT, 'scenes-b.mp4'),
    [
      { src: 'life=ratio=0.5:seed=7:mold=10', frames: 50 },
      { src: 'color=c=orange', frames: 50 },
      { src: 'rgbtestsrc', frames: 50 },
    ],
    silentTrack.wav,
  );
  files.scenesB = {
    path: 'scenes-b.mp4',
    fps: `${FPS}/1`,
    frames: b.frames,
    duration: b.frames / FPS,
    sceneCuts: b.cuts,
    speech: [],
  };

  // 3. Bad inputs: each must produce a clear per-file error (or a warning with a decoded range).
  writeFileSync(join(OUT, 'bad', 'zero-byte.mp4'), '');
  writeFileSync(join(OUT, 'bad', 'not-media.mp4'), 'This is a text file with a video extension.\n');
  const whole = readFileSync(join(OUT, 'scenes-a.mp4'));
  writeFileSync(join(OUT, 'bad', 'truncated.mp4'), whole.subarray(0, Math.floor(whole.length * 0.6)));
  ff(['-i', talk.wav, ...AAC, ...BITEXACT, join(OUT, 'bad', 'audio-only.m4a')]);
  ff([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${SIZE}:rate=${FPS}:duration=2`,
    ...H264,
    '-an',
    ...BITEXACT,
    join(OUT, 'bad', 'video-only.mp4'),
  ]);
  files.badZero = { path: 'bad/zero-byte.mp4', expect: 'error' };
  files.badText = { path: 'bad/not-media.mp4', expect: 'error' };
  files.badTruncated = { path: 'bad/truncated.mp4', expect: 'partial', fullFrames: a.frames };
  files.audioOnly = { path: 'bad/audio-only.m4a', expect: 'audio-only', duration: talk.duration };
  files.videoOnly = { path: 'bad/video-only.mp4', expect: 'video-only', frames: 2 * FPS };

  rmSync(tmp, { recursive: true, force: true });
  for (const f of Object.values(files)) {
    const p = join(OUT, f.path);
    f.bytes = statSync(p).size;
    f.sha256 = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  const manifest = { generatorVersion: GENERATOR_VERSION, fps: `${FPS}/1`, size: SIZE, files };
  writeFileSync(`${manifestPath}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${manifestPath}.tmp`, manifestPath);
  console.log(
    `samples: generated ${Object.keys(files).length} files in ${OUT} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

main();
