// Test media for the scene benchmarks: lavfi shots concatenated into one 720p25 H.264 file (each join a hard
// cut), encoded the way a camera or screen recorder would (veryfast, GOP 250).
import { execFileSync } from 'node:child_process';

/** `shots`: ffmpeg input arguments, one array per shot (e.g. ['-f', 'lavfi', '-t', '15', '-i', 'testsrc2=…']). */
export function encodeConcatenatedShots(file, shots) {
  const n = shots.length;
  const graph = `${shots.map((_, i) => `[${i}:v]format=yuv420p,setsar=1[v${i}]`).join(';')};${shots.map((_, i) => `[v${i}]`).join('')}concat=n=${n}:v=1:a=0[v]`;
  execFileSync('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', ...shots.flat()],
    ...['-filter_complex', graph, '-map', '[v]'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-g', '250', file],
  ]);
}
