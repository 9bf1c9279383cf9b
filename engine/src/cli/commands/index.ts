import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerIngest } from './ingest.js';

/** Every CLI command, in the order `autoedit --help` lists them. One module per command. */
export const commands: ((program: Command) => void)[] = [registerIngest, registerConfig];
