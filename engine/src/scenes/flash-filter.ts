/**
 * PySceneDetect's FlashFilter: enforces the minimum scene length on a stream of "above threshold" frames.
 * MERGE (the default) folds a burst of cuts closer than `length` into one; SUPPRESS drops the later ones.
 * Frame numbers here are decode indices, as PySceneDetect counts them.
 */
export class FlashFilter {
  private lastAbove: number | undefined;
  private mergeEnabled = false;
  private mergeTriggered = false;
  private mergeStart = 0;

  constructor(
    readonly mode: 'merge' | 'suppress',
    readonly length: number,
  ) {}

  filter(frame: number, above: boolean): number[] {
    if (this.length <= 0) return above ? [frame] : [];
    if (this.lastAbove === undefined) this.lastAbove = frame;
    const minLengthMet = frame - this.lastAbove >= this.length;
    if (this.mode === 'suppress') {
      if (!(above && minLengthMet)) return [];
      this.lastAbove = frame;
      return [frame];
    }
    if (above) this.lastAbove = frame;
    if (this.mergeTriggered) {
      if (minLengthMet && !above && this.lastAbove - this.mergeStart >= this.length) {
        this.mergeTriggered = false;
        return [this.lastAbove];
      }
      return [];
    }
    if (!above) return [];
    if (minLengthMet) {
      this.mergeEnabled = true;
      return [frame];
    }
    if (this.mergeEnabled) {
      this.mergeTriggered = true;
      this.mergeStart = frame;
    }
    return [];
  }
}
