import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { REPO, sharedFile } from './shared.js';

/**
 * Generated stand-ins for the shared/ media too big to ship (each over 1 MB). A stand-in has the real file's
 * name and the facts the tests rely on (size, rate, frame count, SAR, rotation, streams, scene cuts), so a
 * test that only needs "a file like this" asserts exactly the same things on either. Tests that check
 * third-party ground truth (PySceneDetect's cuts, auto-editor's kept duration) use the real file only.
 *
 * Generated once with ffmpeg (lavfi sources) into test/.generated/ (not committed), keyed by recipe.
 */
const CACHE = join(REPO, 'test', '.generated');

interface Recipe {
  /** ffmpeg input arguments (-f lavfi -i …, -i FILE); `work` is a folder holding `files`. */
  inputs: (work: string) => string[];
  /** Output arguments before the output path (maps, filters, codecs, metadata, attachments). */
  output: (work: string) => string[];
  /** Extra files the inputs refer to, written into the work folder first. */
  files?: Record<string, string>;
  /** A change ffmpeg cannot make, applied to the encoded file. */
  post?: (file: string) => void;
}

interface Shot {
  /** A lavfi source without size and rate (they are added), e.g. 'testsrc2' or 'life=mold=10'. */
  src: string;
  frames: number;
  /** Filters after the source. */
  vf?: string;
  /** Draw at this size, then scale up by whole pixels (cheap to make and to encode: cellular automata). */
  drawSize?: string;
}

const lavfi = (graph: string) => ['-f', 'lavfi', '-i', graph];
/** One lavfi input per shot, `frames` long, at `size` and `rate` (inputs 0…n-1). */
const shotInputs = (size: string, rate: string, list: Shot[]) =>
  list.flatMap(({ src, frames, vf, drawSize }) => {
    const filters = [
      ...(drawSize ? [`scale=${size.replace('x', ':')}:flags=neighbor`] : []),
      ...(vf ? [vf] : []),
      `trim=end_frame=${frames}`,
      'setsar=1',
    ];
    return lavfi(
      `${src}${src.includes('=') ? ':' : '='}s=${drawSize ?? size}:r=${rate},${filters.join(',')}`,
    );
  });
/** Hard cuts between the first `n` inputs, then `after` (e.g. setsar), mapped as the video stream. */
const cutTogether = (n: number, after = 'null') => [
  '-filter_complex',
  `${Array.from({ length: n }, (_, i) => `[${i}:v]`).join('')}concat=n=${n}:v=1:a=0,${after}[v]`,
  '-map',
  '[v]',
];
/** A steady tone of `seconds` (no speech: these stand-ins only need a sound track of the right shape). */
const tone = (seconds: number, rate: number) => lavfi(`sine=f=440:r=${rate}:d=${seconds}`);
const aac = (input: number, channels: number, bitrate = '96k') => [
  '-map',
  `${input}:a`,
  '-ac',
  String(channels),
  '-c:a',
  'aac',
  '-b:a',
  bitrate,
];
const moving = (color: string, frames: number): Shot => ({
  src: `color=c=${color}`,
  frames,
  vf: 'drawbox=x=mod(t*480\\,1100):y=200:w=120:h=120:c=white:t=fill',
});
/**
 * Show the first track rotated 90° clockwise: its tkhd display matrix becomes (0 1 0, -1 0 0, 0 0 1), what
 * phones write for portrait video (ffmpeg 5.1 has no option for it; `-display_rotation` came in 6.0).
 */
export function rotateFirstTrack(file: string): void {
  const b = readFileSync(file);
  const at = b.indexOf('tkhd');
  if (at < 4) throw new Error(`${file}: no tkhd box`);
  // After the version/flags word: times, track id and duration (32-bit in version 0, 64-bit in version 1),
  // 8 reserved bytes, layer, alternate group, volume and 2 reserved bytes, then the 3x3 matrix.
  const matrix = at + (b[at + 4] === 1 ? 56 : 44);
  for (const [i, v] of [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000].entries())
    b.writeInt32BE(v, matrix + 4 * i);
  writeFileSync(file, b);
}

const H264 = '-c:v libx264 -preset ultrafast -crf 28 -pix_fmt yuv420p -threads 1'.split(' ');
const BITEXACT = '-fflags +bitexact -flags:v +bitexact -flags:a +bitexact -map_metadata -1'.split(' ');

const RECIPES = {
  // auto-editor's example.mp4 (3.0 MB): 1280x720, 30 fps, 1272 frames, stereo AAC at 48 kHz.
  'media/auto-editor/example.mp4': {
    inputs: () => [...shotInputs('1280x720', '30', [moving('0x204060', 1272)]), ...tone(42.4, 48000)],
    output: () => [...cutTogether(1), ...aac(1, 2)],
  },
  // PySceneDetect's testvideo.mp4 (2.4 MB): 1280x720 at 30000/1001, 720 frames, no sound; content cuts at
  // frames 30, 180 and 394, with motion, a fade and a fractal zoom between them.
  'media/pyscenedetect/testvideo.mp4': {
    inputs: () =>
      shotInputs('1280x720', '30000/1001', [
        { src: 'testsrc2', frames: 30 },
        moving('0x7a2e1c', 150),
        { src: 'smptehdbars', frames: 214, vf: 'fade=out:st=4:d=2:color=gray' },
        { src: 'mandelbrot', frames: 326, drawSize: '320x180' },
      ]),
    output: () => [...cutTogether(4), '-an'],
  },
  // PySceneDetect's issue-195-aspect-ratio.mp4 (4.1 MB): 704x576, SAR 16:11, 25 fps, 628 frames, stereo
  // AAC at 48 kHz; content cuts at frames 150, 300 and 450.
  'media/pyscenedetect/issue-195-aspect-ratio.mp4': {
    inputs: () => [
      ...shotInputs('704x576', '25', [
        { src: 'testsrc2', frames: 150 },
        { src: 'smptebars', frames: 150 },
        { src: 'mandelbrot', frames: 150, drawSize: '176x144' },
        moving('0x2d6e4b', 178),
      ]),
      ...tone(25.12, 48000),
    ],
    output: () => [...cutTogether(4, 'setsar=16/11'), ...aac(4, 2)],
  },
  // PySceneDetect's issue-134-rotate.mp4 (1.3 MB): 240 frames at 24000/1001 shown rotated 90° clockwise,
  // AAC at 44.1 kHz.
  'media/pyscenedetect/issue-134-rotate.mp4': {
    inputs: () => [
      ...shotInputs('320x136', '24000/1001', [{ src: 'testsrc2', frames: 240 }]),
      ...tone(10.01, 44100),
    ],
    output: () => [...cutTogether(1), ...aac(1, 2, '64k')],
    post: rotateFirstTrack,
  },
  // PySceneDetect's issue-236-split-copy.mkv (2.7 MB): Matroska at 24000/1001 with sound, three ASS
  // subtitle streams and six font attachments (dummy bytes: nothing here reads them).
  'media/pyscenedetect/issue-236-split-copy.mkv': {
    files: Object.fromEntries([
      ...[1, 2, 3].map((i) => [
        `sub${i}.ass`,
        [
          '[Script Info]',
          'ScriptType: v4.00+',
          '',
          '[V4+ Styles]',
          'Format: Name, Fontname, Fontsize',
          'Style: Default,Sans,20',
          '',
          '[Events]',
          'Format: Layer, Start, End, Style, Text',
          `Dialogue: 0,0:00:00.00,0:00:01.50,Default,Track ${i}`,
          '',
        ].join('\n'),
      ]),
      ...[1, 2, 3, 4, 5, 6].map((i) => [`font${i}.ttf`, `not a real font ${i}\n`]),
    ]),
    inputs: (work) => [
      ...shotInputs('320x180', '24000/1001', [{ src: 'testsrc2', frames: 48 }]),
      ...tone(2, 48000),
      ...[1, 2, 3].flatMap((i) => ['-i', join(work, `sub${i}.ass`)]),
    ],
    output: (work) => [
      ...cutTogether(1),
      ...aac(1, 2, '64k'),
      ...[2, 3, 4].flatMap((i) => ['-map', `${i}:s`]),
      ...['-c:s', 'copy'],
      ...[1, 2, 3, 4, 5, 6].flatMap((i) => ['-attach', join(work, `font${i}.ttf`)]),
      ...[0, 1, 2, 3, 4, 5].flatMap((i) => [`-metadata:s:t:${i}`, 'mimetype=application/x-truetype-font']),
    ],
  },
} satisfies Record<string, Recipe>;

export type StandInName = keyof typeof RECIPES;

const made = new Map<string, string>();

/** The generated stand-in for a shared/ file (generated on first use, then cached on disk). */
export function standIn(rel: StandInName): string {
  const done = made.get(rel);
  if (done) return done;
  const recipe: Recipe = RECIPES[rel];
  const argv = (work: string, out: string) => [
    ...['-nostdin', '-v', 'error', '-y'],
    ...recipe.inputs(work),
    ...recipe.output(work),
    ...H264,
    ...BITEXACT,
    out,
  ];
  const key = createHash('sha256')
    .update(JSON.stringify([argv('WORK', 'OUT'), recipe.files ?? {}, String(recipe.post ?? '')]))
    .digest('hex')
    .slice(0, 12);
  const out = join(CACHE, key, basename(rel));
  if (!existsSync(out)) {
    mkdirSync(join(CACHE, key), { recursive: true });
    const work = mkdtempSync(join(CACHE, key, '.work-'));
    try {
      for (const [name, text] of Object.entries(recipe.files ?? {})) writeFileSync(join(work, name), text);
      const tmp = join(work, basename(rel));
      execFileSync('ffmpeg', argv(work, tmp), { stdio: ['ignore', 'ignore', 'pipe'] });
      recipe.post?.(tmp);
      renameSync(tmp, out);
      // Earlier recipes' versions of this file are stale now.
      for (const d of readdirSync(CACHE))
        if (d !== key && existsSync(join(CACHE, d, basename(rel))))
          rmSync(join(CACHE, d), { recursive: true, force: true });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new Error(
        `generating a stand-in for ${rel} failed: ${err.stderr?.toString().trim() || err.message}`,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  made.set(rel, out);
  return out;
}

/**
 * A file like shared/`rel`: the real one when shared/ has it (CI, and machines with the shared folder),
 * else its generated stand-in (a fresh clone). Tests using it assert only what both have in common.
 */
export function realOrStandIn(rel: StandInName): string {
  const real = sharedFile(rel);
  return existsSync(real) ? real : standIn(rel);
}
