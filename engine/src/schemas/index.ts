// Every artifact AutoEdit writes has its zod schema here; JSON Schema is generated from these.
export * from './common.js';
export * from './config.js';
export * from './events.js';
export * from './media-db.js';
export * from './rules.js';
export * from './selection.js';
export * from './sequence.js';
export * from './stt-service.js';
export * from './transcript.js';
export * from './vad.js';
export * from './vision.js';
export * from './watch.js';
