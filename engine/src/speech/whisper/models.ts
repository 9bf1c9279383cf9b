import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { tempPathFor } from '@autoedit/media';
import { UserError } from '../../util/errors.js';
import { checkRegularFile } from '../../util/user-file.js';
import { inspectModelFile, ModelFormatError } from './ggml.js';

/**
 * Named Whisper models `autoedit models pull` knows: ggml files from whisper.cpp's model repository, with the
 * SHA-1 checksums whisper.cpp publishes for them (models/README.md there).
 */
export interface ModelSpec {
  file: string;
  algorithm: 'sha1' | 'sha256';
  digest: string;
}
export const KNOWN_MODELS: Record<string, ModelSpec> = {
  'tiny.en': {
    file: 'ggml-tiny.en.bin',
    algorithm: 'sha1',
    digest: 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df',
  },
  tiny: { file: 'ggml-tiny.bin', algorithm: 'sha1', digest: 'bd577a113a864445d4c299885e0cb97d4ba92b5f' },
  'base.en': {
    file: 'ggml-base.en.bin',
    algorithm: 'sha1',
    digest: '137c40403d78fd54d454da0f9bd998f78703390c',
  },
  base: { file: 'ggml-base.bin', algorithm: 'sha1', digest: '465707469ff3a37a2b9b8d8f89f2f99de7299dac' },
  'small.en': {
    file: 'ggml-small.en.bin',
    algorithm: 'sha1',
    digest: 'db8a495a91d927739e50b3fc1cc4c6b8f6c2d022',
  },
  small: { file: 'ggml-small.bin', algorithm: 'sha1', digest: '55356645c2b361a969dfd0ef2c5a50d530afd8d5' },
};
export const DEFAULT_MODEL_BASE_URL = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

/** The per-user model cache: $XDG_CACHE_HOME/autoedit/models (or ~/.cache/autoedit/models). */
export function userModelDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'autoedit', 'models');
}

export interface ModelLookup {
  /** --model: a file, or a folder of models. */
  explicit?: string;
  /** config stt.model_path */
  configured?: string;
  /** Model name to look for in folders (e.g. base.en). */
  name?: string;
}

/** Missing model: says every place it looked and how to get one. The pipeline goes on without a transcript. */
export class ModelNotFoundError extends UserError {
  constructor(
    readonly searched: string[],
    name: string,
  ) {
    super(
      `no Whisper model "${name}" found (looked in: ${searched.join(', ') || 'nowhere'})`,
      `Run \`autoedit models pull ${name}\` (needs internet), or pass --model /path/to/ggml-${name}.bin, or set stt.model_path in config.yaml or AUTOEDIT_MODELS.`,
    );
    this.name = 'ModelNotFoundError';
  }
}

export const fileFor = (name: string) =>
  KNOWN_MODELS[name]?.file ?? (name.endsWith('.bin') ? name : `ggml-${name}.bin`);

/** Lookup order: --model, config stt.model_path, $AUTOEDIT_MODELS, the user cache. A folder is searched for the named model. */
export function findModel(q: ModelLookup): string {
  const name = q.name ?? 'base.en';
  const expand = (p: string | undefined) => p && resolve(p.replace(/^~(?=\/)/, homedir()));
  const given = [expand(q.explicit), expand(q.configured)];
  const places = [...given, expand(process.env.AUTOEDIT_MODELS), userModelDir()].filter(
    (p): p is string => !!p,
  );
  for (const p of places) {
    if (!existsSync(p)) continue;
    // --model /dev/zero, a FIFO: refused by name (reading one would never end or block forever).
    if (given.includes(p)) checkRegularFile(p, 'a Whisper model (ggml-*.bin)', { allowDir: true });
    if (statSync(p).isFile()) return p;
    if (!statSync(p).isDirectory()) continue;
    const candidate = join(p, fileFor(name));
    if (existsSync(candidate)) return candidate;
    // A folder with exactly one model in it: use that one.
    const bins = readdirSync(p).filter((f) => f.startsWith('ggml-') && f.endsWith('.bin'));
    if (bins.length === 1 && given.includes(p)) return join(p, bins[0]!);
  }
  throw new ModelNotFoundError(places, name);
}

/** Installed models in every folder we would search. */
export function listModels(
  q: Omit<ModelLookup, 'name'> = {},
): { name: string; path: string; bytes: number }[] {
  const dirs = [q.explicit, q.configured, process.env.AUTOEDIT_MODELS, userModelDir()].filter(
    (p): p is string => !!p && existsSync(p),
  );
  const out: { name: string; path: string; bytes: number }[] = [];
  for (const d of dirs) {
    const files = statSync(d).isFile()
      ? [d]
      : readdirSync(d)
          .filter((f) => f.endsWith('.bin'))
          .map((f) => join(d, f));
    for (const f of files)
      out.push({ name: basename(f).replace(/^ggml-|\.bin$/g, ''), path: f, bytes: statSync(f).size });
  }
  return out;
}

/**
 * Download a named model into the user cache with undici, verifying its checksum before it is moved into
 * place (a failed or tampered download never becomes a model). `baseUrl` lets tests use a local server.
 */
export async function pullModel(
  name: string,
  opts: {
    baseUrl?: string;
    dir?: string;
    onProgress?: (done: number, total: number) => void;
    spec?: ModelSpec;
  } = {},
): Promise<string> {
  const known = opts.spec ?? KNOWN_MODELS[name];
  if (!known)
    throw new UserError(`unknown model "${name}"`, `Known models: ${Object.keys(KNOWN_MODELS).join(', ')}.`);
  const dir = opts.dir ?? userModelDir();
  await mkdir(dir, { recursive: true });
  const target = join(dir, known.file);
  const tmp = tempPathFor(target);
  const url = `${(opts.baseUrl ?? DEFAULT_MODEL_BASE_URL).replace(/\/$/, '')}/${known.file}`;
  const { Agent, interceptors, request } = await import('undici');
  const dispatcher = new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
  const { createWriteStream } = await import('node:fs');
  const { rename } = await import('node:fs/promises');
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { dispatcher });
  } catch (e) {
    throw new UserError(
      `cannot download ${url}: ${(e as Error).message}`,
      'Check the internet connection, or download the file yourself and pass --model PATH.',
    );
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new UserError(`cannot download ${url}: HTTP ${res.statusCode}`);
  }
  const total = Number(res.headers['content-length'] ?? 0);
  const hash = createHash(known.algorithm);
  const out = createWriteStream(tmp);
  let done = 0;
  try {
    for await (const chunk of res.body) {
      hash.update(chunk as Buffer);
      done += (chunk as Buffer).length;
      opts.onProgress?.(done, total);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
    const digest = hash.digest('hex');
    if (digest !== known.digest) {
      throw new UserError(
        `${url}: checksum mismatch (got ${known.algorithm} ${digest}, expected ${known.digest}); the download was discarded`,
      );
    }
    // A matching checksum for a file that is not a whisper.cpp model (a user-given --sha256 of the wrong file).
    await inspectModelFile(tmp).catch((e) => {
      throw e instanceof ModelFormatError
        ? new UserError(`${url}: ${e.message.split(': ').slice(1).join(': ')}`)
        : e;
    });
    await rename(tmp, target);
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
  return target;
}
