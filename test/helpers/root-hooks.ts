/**
 * Mocha root hooks for the whole suite (loaded by .mocharc.json's `require`). After the last test, any child
 * process the suite started and never stopped (a Whisper worker, an ffmpeg, a service) is named, killed and
 * reported as a failure: such a child keeps mocha, and the CI job holding its output pipe, waiting forever.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface Child {
  pid: number;
  args: string;
  startedAt: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
const bootTime = (): number => Date.now() / 1000 - Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);

/** This process's children (Linux /proc; elsewhere none are found and nothing is checked). */
function children(): Child[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const boot = bootTime();
  const out: Child[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start at field 3 (state).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) !== process.pid || f[0] === 'Z') continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // tsx's esbuild service lives as long as mocha does, by design.
      if (/esbuild\S* --service/.test(args)) continue;
      out.push({ pid: Number(pid), args, startedAt: boot + Number(f[19]) / CLOCK_TICKS });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Which test was running when (to say which test started a leftover child). */
const timeline: { at: number; title: string }[] = [];

export const mochaHooks = {
  beforeEach(this: Mocha.Context) {
    timeline.push({ at: Date.now() / 1000, title: this.currentTest?.fullTitle() ?? '?' });
  },
  afterAll() {
    const left = children();
    if (left.length === 0) return;
    for (const c of left) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const during = (t: number) => timeline.filter((e) => e.at <= t + 1).at(-1)?.title ?? 'a before() hook';
    throw new Error(
      `the suite left ${left.length} child process(es) running (now killed):\n${left
        .map((c) => `  pid ${c.pid}: ${c.args.slice(0, 160)}\n    started during: ${during(c.startedAt)}`)
        .join('\n')}`,
    );
  },
};
