#!/usr/bin/env node
// Benchmark harness: times AutoEdit commands against reference commands, interleaved in the same run
// (so machine load affects both alike), over several repetitions; prints medians and ratios as a table
// and writes JSON to bench/out/results.json.
//
//   npm run bench [-- --reps 5 --only scenes,ingest]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const shared = resolve(process.env.AUTOEDIT_SHARED ?? join(repo, '..', 'shared'));
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = opt('only')?.split(',');
const repsOverride = opt('reps') ? Number(opt('reps')) : undefined;
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Run one command; wall time in seconds and peak RSS in MB (when GNU time is installed). */
function timeOnce(cmd) {
  const full = GNU_TIME ? [GNU_TIME, '-f', '__maxrss_kb=%M', ...cmd.argv] : cmd.argv;
  const t0 = performance.now();
  const r = spawnSync(full[0], full.slice(1), {
    cwd: repo,
    env: { ...process.env, ...cmd.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  const stderr = r.stderr?.toString() ?? '';
  if (r.status !== 0 && !cmd.allowFailure) {
    throw new Error(
      `${cmd.label} failed (exit ${r.status}): ${cmd.argv.join(' ')}\n${stderr.split('\n').slice(-6).join('\n')}`,
    );
  }
  const m = /__maxrss_kb=(\d+)/.exec(stderr);
  return { seconds, peakMB: m ? Number(m[1]) / 1024 : undefined };
}

async function main() {
  const files = readdirSync(join(here, 'cases'))
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const results = [];
  if (!GNU_TIME)
    console.error('bench: /usr/bin/time not found (apt-get install time): peak memory not measured');
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, 'cases', f)).href)).default;
    if (only && !only.includes(mod.name)) continue;
    const outDir = join(here, 'out', mod.name);
    mkdirSync(outDir, { recursive: true });
    console.error(`\n# ${mod.name}: ${mod.description}`);
    let ctx;
    try {
      ctx = (await mod.setup?.({ repo, outDir, shared })) ?? {};
    } catch (e) {
      console.error(`  skipped: ${e.message}`);
      results.push({ case: mod.name, skipped: e.message });
      continue;
    }
    if (ctx.skip) {
      console.error(`  skipped: ${ctx.skip}`);
      results.push({ case: mod.name, skipped: ctx.skip });
      continue;
    }
    const cmds = mod.commands(ctx);
    const reps = repsOverride ?? mod.reps ?? 5;
    const samples = cmds.map(() => []);
    // One warm-up round (page cache, lazy JIT), then interleaved, rotating the order every repetition.
    for (let rep = -1; rep < reps; rep++) {
      for (let k = 0; k < cmds.length; k++) {
        const i = (k + Math.max(rep, 0)) % cmds.length;
        cmds[i].before?.();
        const s = timeOnce(cmds[i]);
        if (rep >= 0) samples[i].push(s);
      }
    }
    const ref = cmds.findIndex((c) => c.reference);
    const refMedian = ref >= 0 ? median(samples[ref].map((s) => s.seconds)) : undefined;
    const rows = cmds.map((c, i) => {
      const secs = samples[i].map((s) => s.seconds);
      const mem = samples[i].map((s) => s.peakMB).filter((x) => x !== undefined);
      const med = median(secs);
      return {
        label: c.label,
        reference: !!c.reference,
        medianSeconds: +med.toFixed(4),
        minSeconds: +Math.min(...secs).toFixed(4),
        maxSeconds: +Math.max(...secs).toFixed(4),
        peakMB: mem.length ? +median(mem).toFixed(1) : undefined,
        ratioToReference: refMedian ? +(med / refMedian).toFixed(3) : undefined,
        // On a shared machine the load drifts between repetitions: each rep's ratio to the reference run
        // beside it (median over reps), and best against best, say more than medians alone.
        pairedRatio:
          ref >= 0 ? +median(secs.map((x, k) => x / samples[ref][k].seconds)).toFixed(3) : undefined,
        bestRatio:
          ref >= 0
            ? +(Math.min(...secs) / Math.min(...samples[ref].map((s) => s.seconds))).toFixed(3)
            : undefined,
        extra: c.extra?.(med),
      };
    });
    const width = Math.max(...rows.map((r) => r.label.length), 10);
    console.log(`\n${mod.name} (${reps} reps, medians)`);
    console.log(`${'command'.padEnd(width)}  median s    min s    max s  peak MB  × ref  paired   best`);
    for (const r of rows) {
      console.log(
        `${r.label.padEnd(width)}  ${r.medianSeconds.toFixed(3).padStart(8)} ${r.minSeconds.toFixed(3).padStart(8)} ${r.maxSeconds
          .toFixed(3)
          .padStart(
            8,
          )} ${(r.peakMB?.toFixed(0) ?? '-').padStart(8)}  ${(r.ratioToReference?.toFixed(2) ?? '-').padStart(5)}  ${(r.pairedRatio?.toFixed(2) ?? '-').padStart(6)}  ${(r.bestRatio?.toFixed(2) ?? '-').padStart(5)}${r.reference ? ' (ref)' : ''}${r.extra ? `  ${r.extra}` : ''}`,
      );
    }
    results.push({ case: mod.name, description: mod.description, reps, rows, notes: mod.notes?.(rows, ctx) });
  }
  mkdirSync(join(here, 'out'), { recursive: true });
  const out = join(here, 'out', 'results.json');
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
  console.log(`\nJSON: ${out}`);
}

main().catch((e) => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
