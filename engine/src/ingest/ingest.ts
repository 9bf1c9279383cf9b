import { copyFile, lstat, readdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import {
  checkWavFile,
  extractAudio,
  MissingToolError,
  mainVideo,
  makeProxy,
  type Probe,
  probe,
  produceAtomically,
  storageError,
} from '@autoedit/media';
import { readArtifact, writeArtifact } from '../project/artifacts.js';
import { ensureRunDirs, type RunLayout, runLayout } from '../project/layout.js';
import { fittingName } from '../project/names.js';
import { type MediaDb, MediaDbSchema, type MediaEntry } from '../schemas/media-db.js';
import { errorMessage } from '../util/errors.js';
import { hashFile, shortHash } from '../util/hash.js';
import { type Logger, nullLogger } from '../util/log.js';
import { makeDir } from '../util/make-dir.js';
import { type Progress, silentProgress } from '../util/progress.js';
import { expandInputs } from './inputs.js';

export interface IngestOptions {
  /** Where the run lives (`runs/<id>`); created if needed. */
  runDir: string;
  /** Copy originals into raw/ instead of linking them. */
  copy?: boolean;
  /** Also make low-resolution proxies in proxies/. */
  proxies?: boolean;
  /** false = ignore previous results and redo all media work (`--no-cache`). */
  cache?: boolean;
  concurrency?: number;
  progress?: Progress;
  logger?: Logger;
  signal?: AbortSignal;
  /**
   * Feeds a later stage (VAD) the 16 kHz mono PCM of each newly processed input, decoded in the same ffmpeg
   * pass that writes audio/<name>.wav, so that it need not decode the audio again. One consumer per input.
   */
  audioConsumer?: () => AudioConsumer;
  /**
   * Called while ffmpeg decodes a new input's audio, once the probe is done (so once per input): CPU work
   * done here, such as loading code a later stage needs, overlaps the decode instead of following it.
   */
  onMediaWork?: () => void;
}

export interface AudioConsumer {
  /** The samples as ffmpeg decodes them, in order: work done here overlaps the decode. */
  write?(samples: Int16Array): void;
  /** Once the input is recorded: its samples are in `audioFile` (the run's WAV; never all in memory). */
  end(entry: MediaEntry, audioFile: string): Promise<void>;
}

export type IngestStatus = 'new' | 'changed' | 'unchanged';

export interface IngestedItem {
  input: string;
  status: IngestStatus;
  entry: MediaEntry;
  seconds: number;
  /** The file already in the run with the same content (this one was renamed or copied from it). */
  sameAs?: string;
}

export interface IngestResult {
  run: string;
  mediaDb: string;
  items: IngestedItem[];
  failed: { input: string; error: string }[];
  seconds: number;
}

export async function loadMediaDb(layout: RunLayout): Promise<MediaDb> {
  try {
    await stat(layout.mediaDb);
  } catch {
    return { kind: 'media-db', schemaVersion: 1, media: [] };
  }
  return readArtifact(layout.mediaDb, MediaDbSchema);
}

/**
 * Stable name inside raw/ (shortened by fittingName when too long): the file name, or name-<hash> when another original already uses it (undefined
 * then, when the hash is not known yet).
 */
function allocateName(file: string, hash: string, taken: Map<string, string>): string;
function allocateName(file: string, hash: string | undefined, taken: Map<string, string>): string | undefined;
function allocateName(
  file: string,
  hash: string | undefined,
  taken: Map<string, string>,
): string | undefined {
  // Control characters (a newline…) are legal in file names but break line-based formats: `_` in run names.
  const name = fittingName(basename(file).replace(/\p{Cc}/gu, '_'));
  const owner = taken.get(name);
  if (owner === undefined || owner === file) return name;
  if (hash === undefined) return undefined;
  const ext = extname(name);
  return `${name.slice(0, name.length - ext.length)}-${shortHash(hash, 8)}${ext}`;
}

const isInside = (dir: string, p: string) => !relative(dir, p).startsWith('..');

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/** raw/<name> → the original: a symlink (default) or an atomic copy (`--copy`). */
async function placeRaw(original: string, target: string, copy: boolean): Promise<void> {
  const st = await lstat(target).catch(() => undefined);
  if (st?.isSymbolicLink() && !copy && (await readlink(target)) === original) return;
  if (st) await rm(target, { force: true });
  if (copy)
    await produceAtomically(target, async (tmp) => {
      await copyFile(original, tmp);
      // The copy must be whole before it stands in for the original.
      const [want, got] = await Promise.all([stat(original), stat(tmp)]);
      if (got.size !== want.size) throw new Error(`${target}: copied ${got.size} of ${want.size} bytes`);
    });
  else await symlink(original, target);
}

function describe(p: Probe): string {
  const v = mainVideo(p);
  const a = p.audio[0];
  const parts = [`${p.duration.toFixed(1)} s`];
  if (v)
    parts.push(
      `${v.width}x${v.height} ${v.fps.num}/${v.fps.den} fps${v.vfr ? ' VFR' : ''}${v.rotation ? ` rot ${v.rotation}°` : ''}`,
    );
  if (a) parts.push(`${a.codec} ${a.sampleRate} Hz ${a.channels} ch`);
  if (!v) parts.push('audio only');
  if (!a) parts.push('no audio');
  return parts.join(', ');
}

/** Is everything this entry promises present in the run folder? */
async function complete(layout: RunLayout, e: MediaEntry, wantProxy: boolean): Promise<boolean> {
  if (!(await exists(join(layout.root, e.raw)))) return false;
  // The audio must be whole, not just present: a short WAV (an earlier full disk) is extracted again.
  if (
    e.audio &&
    !(await checkWavFile(join(layout.root, e.audio)).then(
      () => true,
      () => false,
    ))
  )
    return false;
  if (wantProxy && mainVideo(e.probe) && !(e.proxy && (await exists(join(layout.root, e.proxy)))))
    return false;
  return true;
}

/**
 * A new path whose content is already in the run (a renamed or copied file): link it under its own name and
 * share the twin's decoded audio; later stages find their results in the cache by content hash.
 */
async function reuseTwin(
  file: string,
  st: { size: number; mtimeMs: number },
  twin: MediaEntry,
  layout: RunLayout,
  taken: Map<string, string>,
  t0: number,
  opts: IngestOptions,
): Promise<IngestedItem> {
  const name = allocateName(file, twin.hash, taken);
  taken.set(name, file);
  const rawPath = join(layout.raw, name);
  await placeRaw(file, rawPath, !!opts.copy);
  let audio: string | undefined;
  if (twin.audio) {
    const out = join(layout.audio, `${name}.wav`);
    if (out !== join(layout.root, twin.audio))
      await produceAtomically(out, (tmp) => copyFile(join(layout.root, twin.audio!), tmp));
    audio = relative(layout.root, out);
  }
  // Per-frame stats files are named after the medium: the scene stage reuses its cache only when they exist.
  const statsDir = join(layout.artifacts, 'stats');
  for (const f of await readdir(statsDir).catch(() => [] as string[]))
    if (f.startsWith(`${twin.name}.`) && f.endsWith('.stats.csv'))
      await copyFile(join(statsDir, f), join(statsDir, `${name}${f.slice(twin.name.length)}`));
  const entry: MediaEntry = {
    ...twin,
    name,
    original: file,
    raw: relative(layout.root, rawPath),
    size: st.size,
    mtimeMs: st.mtimeMs,
    audio,
    proxy: twin.proxy,
    ingestedAt: new Date().toISOString(),
  };
  (opts.logger ?? nullLogger).log('info', 'ingest.known', {
    input: file,
    sameAs: twin.original,
    hash: twin.hash,
  });
  return {
    input: file,
    status: 'unchanged',
    entry,
    seconds: (performance.now() - t0) / 1000,
    sameAs: twin.original,
  };
}

async function ingestOne(
  file: string,
  layout: RunLayout,
  db: MediaDb,
  taken: Map<string, string>,
  opts: IngestOptions,
): Promise<IngestedItem> {
  const t0 = performance.now();
  const log = opts.logger ?? nullLogger;
  const st = await stat(file);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size === 0) throw new Error('empty file (0 bytes)');
  const previous = db.media.find((m) => m.original === file);
  const useCache = opts.cache !== false;
  // A stat match (size + mtime) means the content hash still holds: skip re-reading the file.
  const statMatch = useCache && previous && previous.size === st.size && previous.mtimeMs === st.mtimeMs;
  // Audio extraction runs with the probe unfinished (most inputs have audio); if the probe then finds no
  // audio stream, the extraction's failure is expected and nothing is left behind.
  const consumer = opts.audioConsumer?.();
  const extract = (name: string) => {
    const out = join(layout.audio, `${name}.wav`);
    const p = extractAudio(file, out, {
      signal: opts.signal,
      // A consumer with `write` gets the samples as they are decoded; others read the file at the end.
      onPcm: consumer?.write?.bind(consumer),
    });
    p.catch(() => {});
    return { out, p };
  };
  // A new path with the size of a file already in the run may be that file renamed or copied: hash it first
  // and, when the content is known, reuse its analysis instead of decoding again.
  const twins =
    previous || !useCache ? [] : db.media.filter((m) => m.size === st.size && m.original !== file);
  if (twins.length) {
    const hash = await hashFile(file, opts.signal);
    const twin = twins.find((m) => m.hash === hash);
    if (twin && (await complete(layout, twin, !!opts.proxies)))
      return reuseTwin(file, st, twin, layout, taken, t0, opts);
  }
  // A new file whose name is free needs no hash to start decoding its audio (the longest step): start it
  // first, then the probe, with the hash beside them.
  const freeName = previous ? undefined : allocateName(file, undefined, taken);
  if (freeName) taken.set(freeName, file); // now, so a same-named input ingested in parallel does not take it
  const earlyAudio = freeName ? extract(freeName) : undefined;
  // A new file is probed whatever its hash.
  const early = previous ? undefined : probe(file, { signal: opts.signal });
  early?.catch(() => {}); // awaited below; no unhandled rejection while hashing
  const hash = statMatch
    ? previous.hash
    : await hashFile(file, opts.signal).catch(async (e) => {
        await earlyAudio?.p.catch(() => undefined);
        throw e;
      });
  if (useCache && previous && previous.hash === hash && (await complete(layout, previous, !!opts.proxies))) {
    log.log('info', 'ingest.unchanged', { input: file, hash });
    return { input: file, status: 'unchanged', entry: previous, seconds: (performance.now() - t0) / 1000 };
  }
  const probeP = early ?? probe(file, { signal: opts.signal });
  const name = freeName ?? previous?.name ?? allocateName(file, hash, taken);
  taken.set(name, file);
  const { out: audioOut, p: audioP } = earlyAudio ?? extract(name);
  const probed = await probeP.catch(async (e) => {
    await audioP.catch(() => undefined);
    throw e;
  });
  opts.onMediaWork?.();
  const rawPath = join(layout.raw, name);
  await placeRaw(file, rawPath, !!opts.copy);
  let audio: string | undefined;
  if (probed.audio.length > 0) {
    await audioP;
    audio = relative(layout.root, audioOut);
  } else {
    await audioP.catch(() => undefined);
    await rm(audioOut, { force: true });
  }
  let proxy: string | undefined;
  const video = mainVideo(probed);
  if (opts.proxies && video) {
    const out = join(layout.proxies, `${name}.proxy.mp4`);
    await makeProxy(file, out, { hasAudio: probed.audio.length > 0, signal: opts.signal });
    proxy = relative(layout.root, out);
  }
  const entry: MediaEntry = {
    name,
    original: file,
    raw: relative(layout.root, rawPath),
    hash,
    size: st.size,
    mtimeMs: st.mtimeMs,
    probe: probed,
    audio,
    proxy: proxy ?? (previous?.hash === hash ? previous.proxy : undefined),
    ingestedAt: new Date().toISOString(),
  };
  if (audio && consumer) await consumer.end(entry, audioOut);
  const seconds = (performance.now() - t0) / 1000;
  log.log('info', 'ingest.done', {
    input: file,
    name,
    hash,
    status: previous ? 'changed' : 'new',
    seconds,
    describe: describe(probed),
  });
  return { input: file, status: previous ? 'changed' : 'new', entry, seconds };
}

/** Run `fn` over items with at most `limit` in flight; results keep input order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * Ingest media into a run folder: hash (streaming), probe, link originals into raw/, extract 16 kHz mono
 * WAV into audio/, optional proxies; record everything in media.db.json. Unchanged inputs are skipped.
 * Per-file failures are collected (the rest still ingests) and reported in the result.
 */
export async function ingest(inputs: readonly string[], opts: IngestOptions): Promise<IngestResult> {
  const t0 = performance.now();
  const layout = runLayout(opts.runDir);
  const progress = opts.progress ?? silentProgress;
  const log = opts.logger ?? nullLogger;
  await ensureRunDirs(layout);
  const db = await loadMediaDb(layout);
  const { files, missing } = await expandInputs(inputs);
  const failed = [...missing];
  const taken = new Map(db.media.map((m) => [m.name, m.original] as const));
  log.log('info', 'ingest.start', { inputs, files: files.length, run: layout.root });
  progress.start('ingest', files.length);
  let done = 0;
  const results = await mapLimit(files, opts.concurrency ?? 2, async (file) => {
    try {
      const item = await ingestOne(file, layout, db, taken, opts);
      const mark = item.status === 'unchanged' ? '=' : '✓';
      const note =
        item.sameAs !== undefined
          ? `same content as ${basename(item.sameAs)}, cached`
          : item.status === 'unchanged'
            ? 'unchanged, cached'
            : `${item.status}, ${describe(item.entry.probe)}`;
      progress.line(`${mark} ${basename(file)}: ${note} (${item.seconds.toFixed(2)} s)`);
      return item;
    } catch (error) {
      // Cancelling, or a tool that is not installed, stops the whole ingest: neither is this file's fault.
      if (opts.signal?.aborted || error instanceof MissingToolError) throw error;
      // So does a run folder that cannot be written (disk full, read-only, no permission): every other
      // input would fail the same way. A full disk anywhere is never this input's fault.
      const storage = storageError(error);
      if (
        storage &&
        (storage.code === 'ENOSPC' || storage.code === 'EDQUOT' || isInside(layout.root, storage.path))
      )
        throw storage;
      const message = errorMessage(error).replace(`${file}: `, '');
      failed.push({ input: file, error: message });
      log.log('error', 'ingest.failed', { input: file, error: message });
      progress.line(`✗ ${basename(file)}: ${message}`);
      return undefined;
    } finally {
      progress.update(++done);
    }
  });
  const items = results.filter((r): r is IngestedItem => r !== undefined);
  // Merge into the catalogue: replace entries for re-ingested originals, keep everything else.
  const byOriginal = new Map(db.media.map((m) => [m.original, m] as const));
  for (const it of items) byOriginal.set(it.entry.original, it.entry);
  await makeDir(layout.root);
  await writeArtifact(layout.mediaDb, MediaDbSchema, {
    kind: 'media-db',
    schemaVersion: 1,
    media: [...byOriginal.values()],
  });
  const seconds = (performance.now() - t0) / 1000;
  const changed = items.filter((i) => i.status !== 'unchanged').length;
  progress.done(
    `ingest: ${items.length} ingested (${changed} processed, ${items.length - changed} unchanged), ${failed.length} failed in ${seconds.toFixed(2)} s`,
  );
  log.log('info', 'ingest.end', {
    ingested: items.length,
    processed: changed,
    failed: failed.length,
    seconds,
  });
  return { run: layout.root, mediaDb: layout.mediaDb, items, failed, seconds };
}
