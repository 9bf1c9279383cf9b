import { fixture } from '../helpers/shared.js';
import { realOrStandIn } from '../helpers/stand-ins.js';

/** PySceneDetect's test videos that ship in test/fixtures/ (the bigger ones come from shared/ or stand-ins). */
export const psd = (name: string) => fixture(`media/pyscenedetect/${name}`);

/**
 * All eight PySceneDetect test videos. fades.mp4: near-black frames; issue-195: a non-integer downscale
 * (704 → 256); issue-134: rotated; goldeneye: variable rate; issue-236: Matroska.
 */
export const psdVideos = (): string[] => [
  ...['counter.mp4', 'delayed_start.mp4', 'fades.mp4', 'goldeneye-vfr-drop3.mp4'].map(psd),
  ...(
    [
      'media/pyscenedetect/testvideo.mp4',
      'media/pyscenedetect/issue-195-aspect-ratio.mp4',
      'media/pyscenedetect/issue-134-rotate.mp4',
      'media/pyscenedetect/issue-236-split-copy.mkv',
    ] as const
  ).map(realOrStandIn),
];
