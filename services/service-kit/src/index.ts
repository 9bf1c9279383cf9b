// @autoedit/service-kit: the parts every AutoEdit HTTP service shares (stt-service today; diarization and
// vision services later). Each piece is small and usable alone.
export { ApiKeys } from './auth.js';
export { HttpError, isHttpError } from './errors.js';
export { type Fetched, type FetchPolicy, fetchSignedUrl } from './fetch-url.js';
export { type AllowEntry, allowed, blockedReason, parseAllowEntry } from './ip.js';
export { jsonLogger, type Level, type Logger, redact, redactUrls } from './log.js';
export { Metrics } from './metrics.js';
export { JobQueue } from './queue.js';
export { RateLimiter } from './rate-limit.js';
export {
  createService,
  describeZodError,
  errorBody,
  listen,
  type Reply,
  type RequestContext,
  type Route,
  type ServiceOptions,
} from './server.js';
