import { type Rational, sameRational } from './rational.js';

export interface RenderInput {
  path: string;
  fps: Rational;
  hasVideo: boolean;
  hasAudio: boolean;
  /**
   * Start decoding at `seconds` (input seeking, `-ss`) instead of the file's start. Frame and audio times
   * keep their meaning (from the first video frame / first audio sample) through fixed offsets: the seconds
   * to add to each stream's timestamps after the seek (seek + file start time - stream start time).
   */
  seek?: { seconds: number; videoOffset: number; audioOffset: number };
  /** Displayed picture size and pixel aspect (after rotation), when known: same as the output = no fitting. */
  width?: number;
  height?: number;
  sar?: Rational;
}

export interface RenderSegment {
  /** Index into `inputs`. */
  input: number;
  /** Source frames on the input's own rate, end exclusive. */
  startFrame: number;
  endFrame: number;
}

export interface RenderSpec {
  inputs: RenderInput[];
  segments: RenderSegment[];
  width: number;
  height: number;
  sar: Rational;
  fps: Rational;
  output: string;
  /**
   * Read the filter graph from this file (written by the caller with `renderGraph`) instead of the command
   * line: one argument may not exceed 128 KiB on Linux, about 1,000 segments' worth of graph.
   */
  graphFile?: string;
  /** A lossless intermediate (Matroska, x264 qp 0, PCM) that a later pass joins, instead of the final mp4. */
  intermediate?: boolean;
  /** x264 CRF (lower = better); default 20. */
  crf?: number;
  preset?: string;
}

/**
 * Filters that bring an input's picture to the output frame. ffmpeg has already applied the input's
 * rotation (autorotate). A picture of the output's size and pixel aspect is only scaled (a no-op); any other
 * is fitted inside the frame by its displayed shape and centred (letterbox/pillarbox, as melt does), never
 * stretched: through square pixels, into the frame's displayed size, then to the frame's pixel aspect.
 */
function fitPicture(inp: RenderInput, spec: Pick<RenderSpec, 'width' | 'height' | 'sar'>): string {
  const { width: w, height: h, sar } = spec;
  if (inp.width === w && inp.height === h && inp.sar && sameRational(inp.sar, sar)) return `scale=${w}:${h}`;
  const boxW = 2 * Math.round((w * sar.num) / sar.den / 2);
  return [
    'scale=trunc(iw*sar/2)*2:ih',
    'setsar=1',
    `scale=${boxW}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2`,
    `pad=${boxW}:${h}:-1:-1`,
    ...(boxW === w ? [] : [`scale=${w}:${h}`]),
  ].join(',');
}

const t = (frames: number, fps: Rational) => ((frames * fps.den) / fps.num).toFixed(6);

/**
 * The filter graph that cuts and joins segments in one pass: every input is decoded once (split/asplit feed
 * one trim per segment, in source order), trims are frame-exact (boundaries half a frame early so float
 * rounding never loses a frame), audio is cut by the same times, and concat keeps the two in sync.
 */
export function renderGraph(spec: Omit<RenderSpec, 'output'>): string {
  const { inputs, segments, fps } = spec;
  const graph: string[] = [];
  const uses = inputs.map((_, i) => segments.filter((s) => s.input === i).length);
  const vLabels: string[][] = inputs.map(() => []);
  const aLabels: string[][] = inputs.map(() => []);
  inputs.forEach((inp, i) => {
    const k = uses[i]!;
    if (k === 0) return;
    const vNames = Array.from({ length: k }, (_, j) => `v${i}_${j}`);
    const aNames = Array.from({ length: k }, (_, j) => `a${i}_${j}`);
    if (inp.hasVideo) {
      // Rate conversion happens once, before the split: per-segment fps filters pad frames at every segment end.
      const rate = sameRational(inp.fps, fps) ? '' : `,fps=${fps.num}/${fps.den}`;
      const zero = inp.seek ? `PTS+${inp.seek.videoOffset.toFixed(6)}/TB` : 'PTS-STARTPTS';
      const norm = `setpts=${zero}${rate},${fitPicture(inp, spec)},setsar=${spec.sar.num}/${spec.sar.den},format=yuv420p`;
      graph.push(`[${i}:v:0]${norm},split=${k}${vNames.map((n) => `[${n}]`).join('')}`);
    }
    if (inp.hasAudio) {
      graph.push(
        `[${i}:a:0]asetpts=${inp.seek ? `PTS+${inp.seek.audioOffset.toFixed(6)}/TB` : 'PTS-STARTPTS'},aresample=48000,aformat=channel_layouts=stereo,asplit=${k}${aNames.map((n) => `[${n}]`).join('')}`,
      );
    }
    vLabels[i] = vNames;
    aLabels[i] = aNames;
  });
  const used = inputs.map(() => 0);
  const concatIn: string[] = [];
  segments.forEach((seg, n) => {
    const inp = inputs[seg.input]!;
    const j = used[seg.input]!;
    used[seg.input] = j + 1;
    const start = t(seg.startFrame, inp.fps);
    const end = t(seg.endFrame, inp.fps);
    const len = t(seg.endFrame - seg.startFrame, inp.fps);
    // Video boundaries sit half an output frame early, so float rounding of frame times never drops a frame.
    const half = (x: number) =>
      Math.max(0, (x * inp.fps.den) / inp.fps.num - (0.5 * fps.den) / fps.num).toFixed(6);
    if (inp.hasVideo) {
      graph.push(
        `[${vLabels[seg.input]![j]}]trim=start=${half(seg.startFrame)}:end=${half(seg.endFrame)},setpts=PTS-STARTPTS[sv${n}]`,
      );
    } else {
      graph.push(
        `color=c=black:s=${spec.width}x${spec.height}:r=${fps.num}/${fps.den}:d=${len},setsar=${spec.sar.num}/${spec.sar.den},format=yuv420p[sv${n}]`,
      );
    }
    if (inp.hasAudio)
      graph.push(`[${aLabels[seg.input]![j]}]atrim=start=${start}:end=${end},asetpts=PTS-STARTPTS[sa${n}]`);
    else graph.push(`anullsrc=r=48000:cl=stereo,atrim=end=${len}[sa${n}]`);
    concatIn.push(`[sv${n}][sa${n}]`);
  });
  graph.push(`${concatIn.join('')}concat=n=${segments.length}:v=1:a=1[vout][aout]`);
  // One chain per line: a graph file stays readable (ffmpeg ignores the whitespace after each `;`).
  return graph.join(spec.graphFile ? ';\n' : ';');
}

/** ffmpeg arguments for renderGraph's graph: inline, or read from `spec.graphFile`. */
export function renderArgs(spec: RenderSpec): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-y',
    ...spec.inputs.flatMap((inp) => [
      ...(inp.seek ? ['-ss', inp.seek.seconds.toFixed(6)] : []),
      '-i',
      inp.path,
    ]),
    ...(spec.graphFile ? ['-filter_complex_script', spec.graphFile] : ['-filter_complex', renderGraph(spec)]),
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    ...(spec.intermediate
      ? [
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-qp',
          '0',
          '-c:a',
          'pcm_s24le',
          '-f',
          'matroska',
          spec.output,
        ]
      : finalCodecs(spec)),
  ];
}

/**
 * Join intermediates (renderArgs with `intermediate`) end to end with the concat filter, encoded as the
 * final file: how an edit with thousands of segments is rendered in bounded passes.
 */
export function joinArgs(
  files: readonly string[],
  spec: Pick<RenderSpec, 'output' | 'crf' | 'preset'>,
): string[] {
  const pads = files.map((_, i) => `[${i}:v:0][${i}:a:0]`).join('');
  return [
    '-nostdin',
    '-hide_banner',
    '-v',
    'error',
    '-y',
    ...files.flatMap((f) => ['-i', f]),
    '-filter_complex',
    `${pads}concat=n=${files.length}:v=1:a=1[vout][aout]`,
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    ...finalCodecs(spec),
  ];
}

function finalCodecs(spec: Pick<RenderSpec, 'output' | 'crf' | 'preset'>): string[] {
  return [
    '-c:v',
    'libx264',
    '-preset',
    spec.preset ?? 'veryfast',
    '-crf',
    String(spec.crf ?? 20),
    '-c:a',
    'aac',
    '-b:a',
    '192k',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    spec.output,
  ];
}
