import { UserError } from '../../util/errors.js';

/** Whisper's language codes (whisper.cpp g_lang order; yue is large-v3 only). */
export const WHISPER_LANGUAGES: readonly string[] = (
  'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr ' +
  'bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn ' +
  'yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su ' +
  'yue'
).split(' ');

/**
 * The language to ask whisper.cpp for: a known code, or 'auto'. whisper.cpp itself silently falls back to
 * English on an unknown code, so a typo would give a wrong transcript instead of an error.
 */
export function whisperLanguage(lang: string | undefined, multilingual: boolean, model: string): string {
  const l = (lang ?? 'auto').trim().toLowerCase();
  if (!multilingual) {
    if (l === 'auto' || l === 'en') return 'en';
    throw new UserError(
      `${model} is an English-only model; it cannot transcribe language "${lang}"`,
      'Use a multilingual model (autoedit models pull base, small…) or --lang en.',
    );
  }
  if (l === 'auto' || WHISPER_LANGUAGES.includes(l)) return l;
  throw new UserError(
    `unknown language "${lang}"`,
    `Use a Whisper language code (en, de, fr, es, ja, zh…) or auto. Known: ${WHISPER_LANGUAGES.join(' ')}.`,
  );
}
