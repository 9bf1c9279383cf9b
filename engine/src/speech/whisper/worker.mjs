// whisper.cpp (@fugood/whisper.node) in its own process. The parent (local.ts) talks to it over IPC:
//   → { type: 'open', modelPath, gpu? }           ← { type: 'ready' } | { type: 'error', message }
//   → { type: 'transcribe', pcm, options }        ← { type: 'progress', percent }… then
//                                                  ← { type: 'result', language, segments } | { type: 'error', message }
//   → { type: 'close' }                           (the process exits)
// Why a process: a malformed model can abort whisper.cpp (SIGABRT), and in @fugood/whisper.node 1.1.3 a
// failing transcription never settles its promise; the parent can kill a process, not a native thread.
// Plain JavaScript on purpose: it runs as is from the sources and next to the bundled CLI (no build step).
import { initWhisper } from '@fugood/whisper.node';

let ctx;

async function handle(m) {
  if (m.type === 'open') {
    // gpu: 'cuda' | 'vulkan' loads that build of the binding (its platform package must be installed).
    ctx = await initWhisper({ filePath: m.modelPath, useGpu: !!m.gpu }, m.gpu || undefined);
    return { type: 'ready' };
  }
  if (m.type === 'transcribe') {
    const pcm = m.pcm;
    const data = pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength);
    const job = ctx.transcribeData(data, {
      ...m.options,
      onProgress: (percent) => process.send?.({ type: 'progress', percent }),
    });
    const r = await job.promise;
    return { type: 'result', language: r.language, segments: r.segments };
  }
  if (m.type === 'close') {
    await ctx?.release();
    process.exit(0);
  }
  return { type: 'error', message: `unknown request ${m.type}` };
}

process.on('message', (m) => {
  handle(m).then(
    (reply) => process.send?.(reply),
    (e) => process.send?.({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
// The parent went away: nothing left to do.
process.on('disconnect', () => process.exit(0));
