import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { UserError } from '../util/errors.js';
import { checkRegularFile } from '../util/user-file.js';

/** A file that exists but is not a valid artifact of the expected kind. */
export class ArtifactError extends UserError {
  constructor(
    readonly file: string,
    message: string,
    hint?: string,
  ) {
    super(`${file}: ${message}`, hint);
    this.name = 'ArtifactError';
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** Validate data against an artifact schema; errors name the file and the bad field. */
export function parseArtifact<S extends z.ZodType>(file: string, schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new ArtifactError(
      file,
      `invalid artifact: ${describeIssues(result.error)}`,
      'Regenerate it with the stage that writes it, or fix the field named above.',
    );
  }
  return result.data;
}

/** Read and validate a JSON artifact. */
export async function readArtifact<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  let text: string;
  checkRegularFile(file, 'a JSON file'); // a FIFO or a device would block or never end
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArtifactError(
      file,
      code === 'ENOENT' ? 'file not found' : `cannot read (${code})`,
      code === 'ENOENT' ? 'Run the stage that produces it first (see `autoedit --help`).' : undefined,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ArtifactError(file, `not valid JSON (${(e as Error).message})`);
  }
  return parseArtifact(file, schema, data);
}

/** Read an artifact if it exists and is valid; undefined otherwise (used for caches). */
export async function readArtifactIfValid<S extends z.ZodType>(
  file: string,
  schema: S,
): Promise<z.infer<S> | undefined> {
  try {
    return await readArtifact(file, schema);
  } catch {
    return undefined;
  }
}

/** Validate, then write atomically: we never write an artifact we could not read back. */
export async function writeArtifact<S extends z.ZodType>(
  file: string,
  schema: S,
  value: z.input<S>,
): Promise<z.infer<S>> {
  const parsed = parseArtifact(file, schema, value);
  await writeJsonAtomic(file, parsed);
  return parsed;
}
