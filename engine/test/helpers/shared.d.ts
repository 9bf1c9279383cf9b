/** Repository root (this file is engine/test/helpers/shared.ts). */
export declare const REPO: string;
/**
 * Real-world test media that ships with the repository (test/fixtures/, laid out like shared/, licences
 * beside each folder): the suite's core cases run on these and on generated media, so a fresh clone passes.
 */
export declare const FIXTURES: string;
/** `../shared` beside the checkout (override with AUTOEDIT_SHARED): more media and models, optional. */
export declare const SHARED: string;
/** Absolute path of a file shipped in test/fixtures/, e.g. fixture('media/speech/jfk.wav'). */
export declare function fixture(rel: string): string;
/** Absolute path of a file under shared/, e.g. sharedFile('media/auto-editor/example.mp4'). */
export declare function sharedFile(rel: string): string;
/** Whether shared/ holds this file. */
export declare function hasShared(rel: string): boolean;
/**
 * For tests (or `before()` hooks) that need a file only shared/ has: skip, saying what is missing and how to
 * provide it, when it is absent. Every such test has a counterpart on shipped or generated media.
 */
export declare function requireShared(ctx: Mocha.Context, rel: string): string;
//# sourceMappingURL=shared.d.ts.map