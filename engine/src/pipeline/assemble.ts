import type { ExportFormat } from '../exporters/formats.js';
import type { DetectorChoice } from '../scenes/detect.js';
import type { Config } from '../schemas/config.js';
import { type DetectSpeechOptions, vadChoice } from '../speech/vad-stage.js';
import type { ModelLookup } from '../speech/whisper/models.js';
import { UserError } from '../util/errors.js';

/**
 * Which implementation each stage uses, decided from the configuration in one place, so that the CLI, the
 * watcher and the VS Code extension behave the same given the same config.yaml.
 */
export interface PipelinePlan {
  scenes: DetectorChoice;
  vad: DetectSpeechOptions;
  stt: SpeechPlan;
  exports: ExportFormat[];
}

export interface SpeechPlan {
  backend: 'local';
  lookup: ModelLookup;
  language?: string;
  prompt?: string;
}

export interface PlanOverrides {
  /** A Whisper model file or folder (the CLI's --model), before config stt.model_path. */
  model?: string;
  exports?: readonly ExportFormat[];
}

/** Backends named in the configuration that this build does not have: a clear error, never a silent no-op. */
function refuseMissingBackends(config: Config): void {
  if (config.stt_backend === 'beam')
    throw new UserError(
      'stt_backend: beam (or lightning) is configured, but the Beam GPU backend is not part of this build yet',
      'Set stt_backend: local in config.yaml (speech recognition then runs on this machine).',
    );
  for (const key of ['diarization_backend', 'vision_backend'] as const) {
    if (config[key] !== 'none')
      throw new UserError(
        `${key}: ${config[key]} is configured, but ${key === 'diarization_backend' ? 'speaker diarization' : 'face detection'} is not part of this build yet`,
        `Set ${key}: none in config.yaml.`,
      );
  }
}

export function planFromConfig(config: Config, o: PlanOverrides = {}): PipelinePlan {
  refuseMissingBackends(config);
  return {
    scenes: {
      detector: config.scenes.detector,
      threshold: config.scenes.threshold,
      minSceneLen: config.scenes.min_scene_len,
    },
    vad: vadChoice(config.vad.detector, config.vad.threshold),
    stt: {
      backend: 'local',
      lookup: { explicit: o.model, configured: config.stt.model_path, name: config.stt.model },
      language: config.stt.language,
      prompt: config.stt.prompt,
    },
    exports: [...(o.exports ?? config.exports)],
  };
}
