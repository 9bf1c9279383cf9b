import { readlink, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Selection } from '../schemas/selection.js';
import { UserError } from '../util/errors.js';

/** A source the selection uses is gone (deleted or moved since ingest). */
export class MissingSourceError extends UserError {
  constructor(
    readonly missing: { source: string; original?: string }[],
    hint: string,
  ) {
    const names = missing.map((m) =>
      m.original && m.original !== m.source ? `${m.source} (→ ${m.original})` : m.source,
    );
    super(`source media missing: ${names.join(', ')}`, hint);
    this.name = 'MissingSourceError';
  }
}

/**
 * Every source the selection keeps a range of must still be there before a project or a render is made from
 * it: a project pointing at a missing file opens with holes, a render fails late. A `raw/` link whose original
 * was deleted is named with that original.
 */
export async function assertSourcesPresent(sel: Selection): Promise<void> {
  const used = new Set(sel.kept.map((k) => k.source));
  const missing: { source: string; original?: string }[] = [];
  for (const s of sel.sources) {
    if (!used.has(s.source)) continue;
    const ok = await stat(s.source).then(
      (st) => st.isFile(),
      () => false,
    );
    if (ok) continue;
    const link = await readlink(s.source).catch(() => undefined);
    missing.push({ source: s.source, original: link && resolve(dirname(s.source), link) });
  }
  if (missing.length)
    throw new MissingSourceError(
      missing,
      'Put the file(s) back where they were, or run `autoedit pipeline` again with the inputs you still have.',
    );
}
