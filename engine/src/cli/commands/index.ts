import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerCut } from './cut.js';
import { registerExport } from './export.js';
import { registerIngest } from './ingest.js';
import { registerModels } from './models.js';
import { registerPipeline } from './pipeline.js';
import { registerRender } from './render.js';
import { registerSelect } from './select.js';
import { registerStt } from './stt.js';
import { registerVad } from './vad.js';
import { registerWatch } from './watch.js';

/** Every CLI command, in the order `autoedit --help` lists them. One module per command. */
export const commands: ((program: Command) => void)[] = [
  registerIngest,
  registerCut,
  registerVad,
  registerStt,
  registerSelect,
  registerExport,
  registerRender,
  registerPipeline,
  registerWatch,
  registerModels,
  registerConfig,
];
