// Turns an engine failure (exit code, the run's error, stderr tail) into a message the user can act on,
// with the buttons that help. No `vscode` import: unit-tested.

export interface EngineFailure {
  exitCode: number | null;
  /** The run.finished / stage.failed error, when the engine got that far. */
  error?: { message: string; hint?: string | undefined; exitCode: number };
  stderrTail?: string;
  signal?: string | null;
}

export type FailureAction = 'showOutput' | 'openSettings' | 'pullModel' | 'installHelp';

export interface ActionableError {
  message: string;
  actions: { title: string; action: FailureAction; setting?: string }[];
}

const TOOL_SETTINGS: Record<string, { setting: string; apt: string }> = {
  ffmpeg: { setting: 'autoedit.ffmpegPath', apt: 'ffmpeg' },
  ffprobe: { setting: 'autoedit.ffmpegPath', apt: 'ffmpeg' },
  melt: { setting: 'autoedit.meltPath', apt: 'melt' },
};

/** The exit codes README promises: 1 bad input, 2 usage, 3 missing tool, 70 internal, 130 cancelled. */
export function explainFailure(f: EngineFailure): ActionableError {
  const text = f.error?.message ?? f.stderrTail ?? '';
  const output = { title: 'Show Output', action: 'showOutput' as const };
  if (f.exitCode === 130 || f.exitCode === 143 || f.signal === 'SIGINT' || f.signal === 'SIGTERM')
    return { message: 'AutoEdit: cancelled. The next run resumes from the cache.', actions: [] };
  if (f.exitCode === 3) {
    const tool = Object.keys(TOOL_SETTINGS).find((t) => new RegExp(`\\b${t}\\b`).test(text));
    if (tool) {
      const t = TOOL_SETTINGS[tool]!;
      return {
        message: `AutoEdit needs ${tool}, which was not found. Install it (Debian/Ubuntu: sudo apt-get install ${t.apt}; macOS: brew install ${t.apt === 'melt' ? 'mlt' : t.apt}) or set "${t.setting}" to the executable.`,
        actions: [{ title: 'Open Settings', action: 'openSettings', setting: t.setting }, output],
      };
    }
    if (/model/i.test(text))
      return {
        message: `AutoEdit: a speech model is missing. ${oneLine(text)} Run "AutoEdit: Pull Whisper Model" or set "autoedit.whisperModel" to a ggml .bin file.`,
        actions: [
          { title: 'Pull Whisper Model', action: 'pullModel' },
          { title: 'Open Settings', action: 'openSettings', setting: 'autoedit.whisperModel' },
        ],
      };
    return { message: `AutoEdit: a required tool is missing. ${oneLine(text)}`, actions: [output] };
  }
  const hint = f.error?.hint ? ` ${f.error.hint}` : '';
  if (f.exitCode === 1) return { message: `AutoEdit: ${oneLine(text)}${hint}`, actions: [output] };
  if (f.exitCode === 2)
    return { message: `AutoEdit (bad arguments, please report): ${oneLine(text)}`, actions: [output] };
  if (f.signal)
    return {
      message: `AutoEdit's engine process was killed (${f.signal}). VS Code is unaffected; see the output for the last lines.`,
      actions: [output],
    };
  return {
    message: `AutoEdit failed (exit ${f.exitCode ?? '?'}): ${oneLine(text) || 'see the output'}${hint}`,
    actions: [output],
  };
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 400 ? `${t.slice(0, 400)}…` : t;
}
