// The subset of @fugood/whisper.node we use. The package ships TypeScript sources instead of declarations,
// which do not compile under our settings, so tsconfig maps the import here.
export interface TranscribeOptions {
  language?: string;
  translate?: boolean;
  maxThreads?: number;
  maxLen?: number;
  tokenTimestamps?: boolean;
  temperature?: number;
  temperatureInc?: number;
  prompt?: string;
}
export interface TranscribeResult {
  language?: string;
  result: string;
  segments: { text: string; t0: number; t1: number }[];
  isAborted: boolean;
}
export interface WhisperContext {
  transcribeData(
    audio: ArrayBuffer,
    options?: TranscribeOptions,
  ): { stop: () => Promise<void>; promise: Promise<TranscribeResult> };
  release(): Promise<void>;
}
export function initWhisper(
  options: {
    filePath: string;
    useGpu?: boolean;
    useFlashAttn?: boolean;
  },
  variant?: 'default' | 'cuda' | 'vulkan',
): Promise<WhisperContext>;
export function toggleNativeLog(enable: boolean): Promise<void>;
