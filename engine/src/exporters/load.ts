/**
 * The exporters, loaded on first use: the CLI bundle evaluates them (and xmlbuilder2, their biggest
 * dependency) only when something is exported, and the pipeline starts loading them while media is still
 * decoding (`loadExporters()` early, awaited later).
 */
let loading: Promise<typeof import('./index.js')> | undefined;

export function loadExporters(): Promise<typeof import('./index.js')> {
  loading ??= import('./index.js');
  return loading;
}
