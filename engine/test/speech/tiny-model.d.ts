/** Path of whisper.cpp's header-only tiny(.en) test file, unpacked into a temp folder. */
export declare function whisperTestHeader(multilingual?: boolean): string;
export interface TinyModelOptions {
    state?: number;
    heads?: number;
    layers?: number;
    textCtx?: number;
    seed?: number;
}
/**
 * A tiny Whisper model in the real ggml format, for tests and benchmarks where no real weights exist: the
 * header, mel filters and full vocabulary are copied from a real (tensor-less) whisper.cpp test file, and
 * every tensor whisper.cpp expects is filled with seeded random values. It loads and decodes for real; its
 * text is noise. Returns the number of tensors written.
 */
export declare function writeTinyModel(headerFile: string, out: string, o?: TinyModelOptions): Promise<number>;
/**
 * The tiny random-weight Whisper model, generated once per test process into a temp folder (never
 * committed): whisper.cpp loads and runs it for real; its text is noise.
 */
export declare function tinyModel(multilingual?: boolean): Promise<string>;
//# sourceMappingURL=tiny-model.d.ts.map