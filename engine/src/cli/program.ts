import { Command } from 'commander';
import { commands } from './commands/index.js';

const EXAMPLES = `
Examples:
  $ autoedit ingest clips/ interview.mp4 -o runs/demo         probe, hash, link and extract audio
  $ autoedit cut runs/demo/raw -o runs/demo/artifacts/sequences.json
  $ autoedit stt runs/demo/audio/interview.mp4.wav -o runs/demo/artifacts/transcript.json
  $ autoedit select runs/demo/artifacts -o runs/demo/artifacts/selection.json
  $ autoedit export-mlt runs/demo/artifacts/selection.json -o runs/demo/outputs/edit.mlt
  $ autoedit render runs/demo/artifacts/selection.json -o runs/demo/outputs/final.mp4
  $ autoedit pipeline interview.mp4 -o runs/demo             everything above in one go
  $ autoedit config show                                     effective config, secrets redacted

Every command accepts --json (machine-readable result on stdout) and --no-cache.
Logs: runs/<id>/logs/*.jsonl`;

export function buildProgram(): Command {
  const program = new Command('autoedit')
    .description('Rough cuts for Kdenlive and Shotcut: ingest, detect scenes, transcribe, select, export.')
    .version('0.1.0')
    .option('--json', 'print a JSON result on stdout instead of human output')
    .option('--events', "pipeline/watch: print the run's events as JSON lines on stdout")
    .option('--no-cache', 'recompute every stage instead of reusing cached results')
    .option('--config <file>', 'config.yaml to use (default: project folder, then current directory)')
    .option('-q, --quiet', 'no progress output')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run "autoedit --help" for usage)')
    .configureOutput({ outputError: (str, write) => write(`autoedit: ${str}`) })
    // Usage errors exit 2 (bad input files exit 1); help and --version exit 0. Inherited by subcommands.
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  for (const register of commands) register(program);
  return program;
}
