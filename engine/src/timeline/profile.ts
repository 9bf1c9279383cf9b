import { parseRational, type Rational } from '@autoedit/media';
import type { SelectionSource } from '../schemas/selection.js';

/** A project profile: picture size, pixel aspect and frame rate of the timeline. */
export interface ProjectProfile {
  width: number;
  height: number;
  sar: Rational;
  fps: Rational;
}

/** A user's profile choice (`--profile 1080x1920@30`, config `profile`); what it leaves out comes from the media. */
export interface ProfileChoice {
  width?: number;
  height?: number;
  fps?: Rational;
}

/** Frame rates written as decimals that mean the NTSC fractions, as editors list them. */
const NTSC: Record<string, Rational> = {
  '23.976': { num: 24000, den: 1001 },
  '23.98': { num: 24000, den: 1001 },
  '29.97': { num: 30000, den: 1001 },
  '59.94': { num: 60000, den: 1001 },
  '47.952': { num: 48000, den: 1001 },
  '119.88': { num: 120000, den: 1001 },
};

function parseRate(text: string): Rational | undefined {
  if (NTSC[text]) return NTSC[text];
  if (/^\d+\/\d+$/.test(text)) return parseRational(text);
  if (/^\d+$/.test(text)) return { num: Number(text), den: 1 };
  return undefined;
}

/**
 * Parse `WxH`, `WxH@fps` or `@fps` (fps: 25, 29.97, 30000/1001). Sizes must be even (H.264 4:2:0). Returns
 * undefined for anything else, so callers can name the bad value.
 */
export function parseProfile(text: string): ProfileChoice | undefined {
  const m = /^(?:(\d{2,5})x(\d{2,5}))?(?:@([\d./]+))?$/.exec(text.trim());
  if (!m || (!m[1] && !m[3])) return undefined;
  const out: ProfileChoice = {};
  if (m[1]) {
    const [width, height] = [Number(m[1]), Number(m[2])];
    if (width < 16 || height < 16 || width > 16384 || height > 16384 || width % 2 || height % 2)
      return undefined;
    Object.assign(out, { width, height });
  }
  if (m[3]) {
    const fps = parseRate(m[3]);
    if (!fps || fps.num <= 0 || fps.num / fps.den > 240) return undefined;
    out.fps = fps;
  }
  return out;
}

/**
 * The timeline's profile, as Shotcut chooses it ("Automatic" video mode): the first video clip's displayed
 * size (after rotation: a portrait phone clip makes a 1080x1920 project), pixel aspect and rate. Other
 * clips are fitted into it (letterboxed or pillarboxed, never stretched), by melt, Kdenlive and the render
 * alike. A `choice` overrides the size and/or rate; audio-only timelines are 1280x720 at 25 fps.
 */
export function chooseProfile(
  sources: readonly SelectionSource[],
  choice: ProfileChoice = {},
): ProjectProfile {
  const lead = sources.find((s) => s.hasVideo);
  const width = choice.width ?? lead?.width ?? 1280;
  const height = choice.height ?? lead?.height ?? 720;
  // A chosen size is a square-pixel delivery size; the lead's pixel aspect only holds at the lead's size.
  const sar = choice.width === undefined ? (lead?.sar ?? { num: 1, den: 1 }) : { num: 1, den: 1 };
  return { width, height, sar, fps: choice.fps ?? lead?.fps ?? { num: 25, den: 1 } };
}
