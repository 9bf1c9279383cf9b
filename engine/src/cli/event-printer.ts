import type { RunEvent, StageName } from '../schemas/events.js';
import type { Progress } from '../util/progress.js';

/**
 * The CLI's human output for a run, built from its events: per-stage lines ("[3/7] vad: …"), a redrawn bar
 * on a terminal, warnings and messages.
 */
export function eventPrinter(progress: Progress): (e: RunEvent) => void {
  let order: StageName[] = [];
  let label = '';
  const tag = (stage: StageName) => {
    const i = order.indexOf(stage);
    return i < 0 ? stage : `[${i + 1}/${order.length}] ${stage}`;
  };
  return (e) => {
    switch (e.type) {
      case 'run.started':
        order = e.stages;
        break;
      case 'stage.started':
        label = tag(e.stage);
        progress.start(label);
        break;
      case 'stage.progress':
        if (e.label !== label) {
          label = e.label;
          progress.start(label, e.total);
        }
        progress.update(e.done, e.note);
        break;
      case 'stage.finished':
        progress.done(
          `${tag(e.stage)}: ${e.summary}${e.cached ? ' (cached)' : ''} — ${e.seconds.toFixed(2)} s`,
        );
        break;
      case 'stage.skipped':
        progress.line(`${tag(e.stage)}: skipped (${e.reason})`);
        break;
      case 'stage.failed':
        progress.done(
          `${tag(e.stage)}: ${e.cancelled ? 'cancelled' : 'failed'} after ${e.seconds.toFixed(2)} s`,
        );
        break;
      case 'warning':
        progress.line(`    warning: ${e.message}`);
        break;
      case 'message':
        progress.line(e.stage ? `    ${e.text}` : e.text);
        break;
      case 'run.finished':
        break;
    }
  };
}
