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

/** Mean of all bytes (the threshold detector's frame average over B, G and R). */
export function meanIntensity(bgr: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bgr.length; i++) sum += bgr[i]!;
  return sum / bgr.length;
}

/**
 * One pass over a frame: convert BGR24 to HSV planes (h, s, v) and, when the previous frame's planes are
 * given, return the mean absolute difference per channel (PySceneDetect's `_mean_pixel_distance`). Fused
 * into one loop: a quarter of the memory traffic of four separate passes.
 */
export function hsvAndDistance(
  bgr: Uint8Array,
  h: Uint8Array,
  s: Uint8Array,
  v: Uint8Array,
  prev: readonly [Uint8Array, Uint8Array, Uint8Array] | undefined,
): [number, number, number] {
  const n = h.length;
  let dh = 0;
  let ds = 0;
  let dv = 0;
  const [ph, ps, pv] = prev ?? [h, s, v];
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const b = bgr[j]!;
    const g = bgr[j + 1]!;
    const r = bgr[j + 2]!;
    let max = b > g ? b : g;
    if (r > max) max = r;
    let min = b < g ? b : g;
    if (r < min) min = r;
    const diff = max - min;
    const sat = (diff * SDIV[max]! + HALF) >> SHIFT;
    let hue: number;
    if (max === r) hue = g - b;
    else if (max === g) hue = b - r + 2 * diff;
    else hue = r - g + 4 * diff;
    hue = (hue * HDIV[diff]! + HALF) >> SHIFT;
    if (hue < 0) hue += 180;
    const a = hue - ph[i]!;
    const c = sat - ps[i]!;
    const d = max - pv[i]!;
    dh += a < 0 ? -a : a;
    ds += c < 0 ? -c : c;
    dv += d < 0 ? -d : d;
    h[i] = hue;
    s[i] = sat;
    v[i] = max;
  }
  return prev ? [dh / n, ds / n, dv / n] : [0, 0, 0];
}
