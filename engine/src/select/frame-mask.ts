/**
 * Per-frame decisions for one source: keep or drop, and a reason code into a table of human-readable
 * reasons. Rules are applied in order, each overwriting the frames it concerns; run-length encoding at the
 * end turns frames back into ranges, so every kept or dropped range can say why.
 */
export class FrameMask {
  readonly keep: Uint8Array;
  readonly why: Uint16Array;
  /** Frames where a new clip must start even if both sides are kept (scene cuts, max-length splits). */
  readonly breaks = new Set<number>();
  private readonly reasons: string[] = [];
  private readonly codes = new Map<string, number>();

  constructor(readonly length: number) {
    this.keep = new Uint8Array(length);
    this.why = new Uint16Array(length);
  }

  code(reason: string): number {
    let c = this.codes.get(reason);
    if (c === undefined) {
      c = this.reasons.length;
      this.reasons.push(reason);
      this.codes.set(reason, c);
    }
    return c;
  }

  reason(code: number): string {
    return this.reasons[code] ?? '';
  }

  /** Mark [from, to) as kept (true) or dropped (false) with a reason. */
  set(from: number, to: number, keep: boolean, reason: string): void {
    const a = Math.max(0, from);
    const b = Math.min(this.length, to);
    if (b <= a) return;
    const c = this.code(reason);
    this.keep.fill(keep ? 1 : 0, a, b);
    this.why.fill(c, a, b);
  }

  /** Runs of equal keep value, split at breaks (kept runs) and reason changes (dropped runs). */
  runs(): { start: number; end: number; keep: boolean; reasons: number[] }[] {
    const out: { start: number; end: number; keep: boolean; reasons: number[] }[] = [];
    let s = 0;
    for (let f = 1; f <= this.length; f++) {
      const boundary =
        f === this.length ||
        this.keep[f] !== this.keep[s] ||
        (this.keep[s] === 1 && this.breaks.has(f)) ||
        (this.keep[s] === 0 && this.why[f] !== this.why[f - 1]);
      if (!boundary) continue;
      const codes = new Set<number>();
      for (let i = s; i < f; i++) codes.add(this.why[i]!);
      out.push({ start: s, end: f, keep: this.keep[s] === 1, reasons: [...codes] });
      s = f;
    }
    return out;
  }
}

/** Runs of `value` in a 0/1 array: [start, end) pairs. */
export function runsOf(mask: Uint8Array, value: 0 | 1): [number, number][] {
  const out: [number, number][] = [];
  let s = -1;
  for (let i = 0; i <= mask.length; i++) {
    const on = i < mask.length && mask[i] === value;
    if (on && s < 0) s = i;
    else if (!on && s >= 0) {
      out.push([s, i]);
      s = -1;
    }
  }
  return out;
}
