export * from './atomic.js';
export * from './audio.js';
export * from './errors.js';
export * from './exec.js';
export * from './ffmpeg-args.js';
export * from './probe.js';
export * from './rational.js';
export * from './tools.js';
