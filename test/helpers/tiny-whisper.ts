import { tinyModel } from '../../engine/test/speech/tiny-model.js';

/**
 * The tiny random-weight Whisper model (real ggml format), generated from the whisper.cpp test header shipped
 * in test/fixtures/: whisper.cpp loads and decodes it for real; its text is noise.
 */
export const tinyWhisper = (): Promise<string> => tinyModel();
