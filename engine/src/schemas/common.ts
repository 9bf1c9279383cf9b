import * as z from 'zod';

export { type Rational, RationalSchema } from '@autoedit/media';

/** Seconds on the media's own clock (not timeline time). */
export const Seconds = z.number().nonnegative();
/** A frame index on the media's nominal frame rate; ranges are end-exclusive. */
export const Frame = z.number().int().nonnegative();

/** A content hash as `<algorithm>:<hex>`. */
export const ContentHash = z
  .string()
  .regex(/^[a-z0-9]+:[0-9a-f]{16,}$/, 'expected "<algorithm>:<hex digest>"');

/** Every artifact starts with these two fields so a reader knows what it holds and which layout. */
export const artifactHeader = <K extends string>(kind: K) => ({
  kind: z.literal(kind),
  schemaVersion: z.literal(1),
});
