// Test support, not shipped: the plain JavaScript reference that the WebAssembly kernel (HsvDistance in
// engine/src/scenes/hsv.ts) is tested against, number for number.

// OpenCV's 8-bit BGR→HSV conversion (cv::cvtColor COLOR_BGR2HSV), bit for bit: fixed-point division tables
// with 12 fractional bits, hue in 0..179. PySceneDetect's scores are computed on exactly these values.
const SHIFT = 12;
const HALF = 1 << (SHIFT - 1);
const SDIV = new Int32Array(256);
const HDIV = new Int32Array(256);
for (let i = 1; i < 256; i++) {
  SDIV[i] = Math.round((255 << SHIFT) / i);
  HDIV[i] = Math.round((180 << SHIFT) / (6 * i));
}

/** OpenCV's HSV of one BGR pixel, packed as h | s << 8 | v << 16. */
export function hsvOf(b: number, g: number, r: number): number {
  const max = b > g ? (b > r ? b : r) : g > r ? g : r;
  const min = b < g ? (b < r ? b : r) : g < r ? g : r;
  const diff = max - min;
  const sat = (diff * SDIV[max]! + HALF) >> SHIFT;
  let hue = max === r ? g - b : max === g ? b - r + 2 * diff : r - g + 4 * diff;
  hue = (hue * HDIV[diff]! + HALF) >> SHIFT;
  if (hue < 0) hue += 180;
  return hue | (sat << 8) | (max << 16);
}

/**
 * The same distance in plain JavaScript: the reference HsvDistance is tested against, in one fused pass that
 * updates the previous frame's state in place: a pixel whose BGR did not change has the same HSV and adds
 * nothing, so groups of 4 unchanged pixels (3 words) are skipped after a word comparison. Static regions of
 * real footage (and every repeated frame) cost almost nothing; the result is identical to converting both
 * frames in full.
 */
export class HsvDistanceJs {
  /** Previous frame: BGR as words (4 pixels = 3 words) and packed HSV per pixel. */
  private readonly prevBgr: Uint32Array;
  private readonly hsv: Int32Array;
  private readonly scratch: Uint32Array;
  private primed = false;

  constructor(readonly pixels: number) {
    this.prevBgr = new Uint32Array(Math.ceil((pixels * 3) / 4));
    this.hsv = new Int32Array(pixels);
    this.scratch = new Uint32Array(this.prevBgr.length);
  }

  /** Packed HSV of the last frame seen (h | s << 8 | v << 16). */
  get current(): Int32Array {
    return this.hsv;
  }

  /** Mean absolute difference of hue, saturation and value to the previous frame; zeros for the first. */
  next(bgr: Uint8Array): [number, number, number] {
    const n = this.pixels;
    if (bgr.length !== n * 3) throw new Error(`frame has ${bgr.length} bytes, expected ${n * 3}`);
    // Word view of this frame (copied into aligned scratch when the caller's buffer is unaligned).
    let words: Uint32Array;
    if (bgr.byteOffset % 4 === 0 && bgr.length % 4 === 0) {
      words = new Uint32Array(bgr.buffer, bgr.byteOffset, bgr.length >> 2);
    } else {
      new Uint8Array(this.scratch.buffer).set(bgr);
      words = this.scratch;
    }
    const old = this.prevBgr;
    const hsv = this.hsv;
    const first = !this.primed;
    let dh = 0;
    let ds = 0;
    let dv = 0;
    const groups = n >> 2;
    for (let q = 0, w = 0, i = 0, j = 0; q < groups; q++, w += 3, i += 4, j += 12) {
      const w0 = words[w]!;
      const w1 = words[w + 1]!;
      const w2 = words[w + 2]!;
      if (!first && w0 === old[w] && w1 === old[w + 1] && w2 === old[w + 2]) continue;
      old[w] = w0;
      old[w + 1] = w1;
      old[w + 2] = w2;
      for (let k = 0; k < 4; k++) {
        const o = j + 3 * k;
        const cur = hsvOf(bgr[o]!, bgr[o + 1]!, bgr[o + 2]!);
        const p = hsv[i + k]!;
        const a = (cur & 255) - (p & 255);
        const c = ((cur >> 8) & 255) - ((p >> 8) & 255);
        const d = (cur >> 16) - (p >> 16);
        dh += a < 0 ? -a : a;
        ds += c < 0 ? -c : c;
        dv += d < 0 ? -d : d;
        hsv[i + k] = cur;
      }
    }
    for (let i = groups << 2; i < n; i++) {
      const o = 3 * i;
      const cur = hsvOf(bgr[o]!, bgr[o + 1]!, bgr[o + 2]!);
      const p = hsv[i]!;
      const a = (cur & 255) - (p & 255);
      const c = ((cur >> 8) & 255) - ((p >> 8) & 255);
      const d = (cur >> 16) - (p >> 16);
      dh += a < 0 ? -a : a;
      ds += c < 0 ? -c : c;
      dv += d < 0 ? -d : d;
      hsv[i] = cur;
    }
    this.primed = true;
    return first ? [0, 0, 0] : [dh / n, ds / n, dv / n];
  }
}

/**
 * Planar YUV 4:2:0 (frameLayout's padded layout) to packed BGR the way swscale converts on x86 (pmulhw on
 * values times 8 with 16-bit coefficients): the reference for Yuv420HsvDistance's conversion, and what ffmpeg
 * itself outputs for the same frame.
 */
export function yuv420ToBgr(
  yuv: Uint8Array,
  l: { stride: number; height: number; u: number; v: number },
  m: { yoff: number; cy: number; crv: number; cbu: number; cgu: number; cgv: number },
): Uint8Array {
  const out = new Uint8Array(l.stride * l.height * 3);
  const clamp = (x: number) => (x < 0 ? 0 : x > 255 ? 255 : x);
  const hi = (a: number, c: number) => (a * c) >> 16;
  for (let row = 0; row < l.height; row++) {
    for (let x = 0; x < l.stride; x++) {
      const c = (row >> 1) * (l.stride >> 1) + (x >> 1);
      const y = hi(8 * (yuv[row * l.stride + x]! - m.yoff), m.cy);
      const u = 8 * (yuv[l.u + c]! - 128);
      const v = 8 * (yuv[l.v + c]! - 128);
      const o = 3 * (row * l.stride + x);
      out[o] = clamp(y + hi(u, m.cbu));
      out[o + 1] = clamp(y + hi(u, m.cgu) + hi(v, m.cgv));
      out[o + 2] = clamp(y + hi(v, m.crv));
    }
  }
  return out;
}
