// Where the external programs live. One env var per tool lets users (and tests) point at another build
// or at a fake executable that simulates a failure real tools can't be made to produce.
export type Tool = 'ffmpeg' | 'ffprobe' | 'melt' | 'gdbus';

const ENV: Record<Tool, string> = {
  ffmpeg: 'AUTOEDIT_FFMPEG',
  ffprobe: 'AUTOEDIT_FFPROBE',
  melt: 'AUTOEDIT_MELT',
  gdbus: 'AUTOEDIT_GDBUS',
};

/** Debian/Ubuntu package that provides each tool, for error messages. */
export const TOOL_PACKAGE: Record<Tool, string> = {
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffmpeg',
  melt: 'melt',
  gdbus: 'libglib2.0-bin',
};

export function toolPath(tool: Tool): string {
  return process.env[ENV[tool]] || tool;
}
