import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { type Config, ConfigSchema } from '../schemas/config.js';
import { UserError } from '../util/errors.js';
import { lazy } from '../util/lazy.js';
import { checkRegularFile } from '../util/user-file.js';
import { interpolate, readDotenv } from './env.js';
import { didYouMean } from './suggest.js';

export interface LoadConfigOptions {
  /** The project (run) folder, if the command has one. */
  projectDir?: string;
  /** Explicit --config file. */
  configFile?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface LoadedConfig {
  config: Config;
  /** Files that contributed, lowest precedence first. */
  files: string[];
}

/** The YAML parser, loaded only when a config file exists. */
export const yaml = lazy<typeof import('yaml')>('yaml');

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** Known keys at a path of the config schema, for "did you mean". */
function keysAt(path: readonly PropertyKey[]): string[] {
  let node: z.ZodType = ConfigSchema;
  for (const p of path) {
    // Walk through wrappers (default/optional/pipe) down to the object that holds `p`.
    let def = (node as unknown as { def: Record<string, unknown> }).def;
    while (def && !('shape' in def) && ('innerType' in def || 'in' in def)) {
      node = (def.innerType ?? def.in) as z.ZodType;
      def = (node as unknown as { def: Record<string, unknown> }).def;
    }
    const shape = def?.shape as Record<string, z.ZodType> | undefined;
    if (!shape || !(String(p) in shape)) return [];
    node = shape[String(p)]!;
  }
  let def = (node as unknown as { def: Record<string, unknown> }).def;
  while (def && !('shape' in def) && ('innerType' in def || 'in' in def)) {
    node = (def.innerType ?? def.in) as z.ZodType;
    def = (node as unknown as { def: Record<string, unknown> }).def;
  }
  return def?.shape ? Object.keys(def.shape as object) : [];
}

function explain(file: string, error: z.ZodError): UserError {
  const lines = error.issues.slice(0, 6).map((issue) => {
    const where = issue.path.join('.') || '(top level)';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map((k) => {
          const guess = didYouMean(k, keysAt(issue.path));
          return `unknown key "${[...issue.path, k].join('.')}"${guess ? ` — did you mean "${guess}"?` : ''}`;
        })
        .join('; ');
    }
    return `${where}: ${issue.message}`;
  });
  return new UserError(
    `${file}: invalid configuration: ${lines.join('; ')}`,
    'Fix the key(s) named above; `autoedit config show` prints the effective configuration.',
  );
}

/**
 * Where a parsed YAML tree refers to itself (`a: &a [*a]`: an alias inside its own anchor), as a path like
 * `a[0]`; undefined for a tree. Settings are never recursive, and walking such a tree would never end.
 */
function selfReference(node: unknown, ancestors: unknown[] = [], path = ''): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (ancestors.includes(node)) return path || '(root)';
  const next = [...ancestors, node];
  const entries = Array.isArray(node)
    ? node.map((v, i) => [`${path}[${i}]`, v] as const)
    : Object.entries(node).map(([k, v]) => [path ? `${path}.${k}` : k, v] as const);
  for (const [p, v] of entries) {
    const found = selfReference(v, next, p);
    if (found) return found;
  }
  return undefined;
}

function readYaml(file: string, env: Record<string, string | undefined>): Record<string, unknown> {
  let doc: unknown;
  checkRegularFile(file, 'a YAML config file', { maxBytes: 1 << 20 });
  try {
    doc = yaml().parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const loop = selfReference(doc);
  if (loop)
    throw new UserError(
      `${file}: ${loop} refers to itself through a YAML alias (like \`a: &a [*a]\`)`,
      'Settings cannot be recursive: replace the alias inside its own anchor with the value it stands for.',
    );
  if (doc == null) return {};
  if (!isObject(doc)) throw new UserError(`${file}: expected a mapping of settings at the top level`);
  const missing = new Set<string>();
  const out = interpolate(doc, env, missing) as Record<string, unknown>;
  if (missing.size) {
    throw new UserError(
      `${file}: environment variable(s) ${[...missing].map((m) => `\${${m}}`).join(', ')} are not set`,
      'Set them in the environment or in a .env file, or write ${NAME:-default}.',
    );
  }
  return out;
}

/** Settings that come straight from well-known environment variables (they never override a file). */
function fromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.LIGHTNING_API_KEY) out.lightning = { api_key: env.LIGHTNING_API_KEY };
  const tokens = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => k.startsWith('BEAM_API_TOKEN_') && v)
      .map(([k, v]) => [k.slice('BEAM_API_TOKEN_'.length).toLowerCase(), v as string]),
  );
  if (env.BEAM_API_TOKEN) tokens.default = env.BEAM_API_TOKEN;
  if (Object.keys(tokens).length) out.beam_api_tokens = tokens;
  const beam: Record<string, unknown> = {};
  if (env.AUTOEDIT_BEAM_URL) beam.base_url = env.AUTOEDIT_BEAM_URL;
  if (env.AUTOEDIT_STT_API_KEY) beam.api_key = env.AUTOEDIT_STT_API_KEY;
  const endpoints = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => k.startsWith('BEAM_BASE_URL_') && v)
      .map(([k, v]) => [k.slice('BEAM_BASE_URL_'.length).toLowerCase(), v as string]),
  );
  if (Object.keys(endpoints).length) beam.endpoints = endpoints;
  if (Object.keys(beam).length) out.beam = beam;
  const s3: Record<string, string> = {};
  if (env.S3_BUCKET) s3.bucket = env.S3_BUCKET;
  if (env.S3_ENDPOINT) s3.base_url = env.S3_ENDPOINT;
  if (env.S3_REGION) s3.region = env.S3_REGION;
  if (env.S3_ACCESS_KEY_ID) s3.access_key_id = env.S3_ACCESS_KEY_ID;
  if (env.S3_SECRET_ACCESS_KEY) s3.secret_access_key = env.S3_SECRET_ACCESS_KEY;
  if (Object.keys(s3).length) out.storage = { provider: 's3', ...s3 };
  return out;
}

/**
 * Effective configuration: defaults < environment variables < ./config.yaml < <project>/config.yaml < --config.
 * `.env` files in the current and project folders fill the environment (real variables win).
 */
export function loadConfig(opts: LoadConfigOptions = {}): LoadedConfig {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const projectDir = opts.projectDir ? resolve(opts.projectDir) : undefined;
  const env: Record<string, string | undefined> = {
    ...readDotenv(join(cwd, '.env')),
    ...(projectDir ? readDotenv(join(projectDir, '.env')) : {}),
    ...(opts.env ?? process.env),
  };
  const candidates = [
    join(cwd, 'config.yaml'),
    ...(projectDir && projectDir !== cwd ? [join(projectDir, 'config.yaml')] : []),
  ];
  const files = candidates.filter((f) => existsSync(f));
  if (opts.configFile) {
    const explicit = resolve(cwd, opts.configFile);
    if (!existsSync(explicit))
      throw new UserError(`${explicit}: config file not found`, 'Check the --config path.');
    files.push(explicit);
  }
  let merged = fromEnv(env);
  for (const f of files) {
    const doc = readYaml(f, env);
    const check = ConfigSchema.safeParse(doc);
    if (!check.success) throw explain(f, check.error);
    merged = deepMerge(merged, relativeToFile(doc, f));
  }
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) throw explain(files.at(-1) ?? 'environment', result.error);
  return { config: result.data, files };
}

/** File paths a config file names, as the keys that hold them. */
const PATH_KEYS: readonly (readonly string[])[] = [['rules'], ['stt', 'model_path']];

/** A config file's relative paths mean "beside this file", wherever the command runs from. */
function relativeToFile(doc: Record<string, unknown>, file: string): Record<string, unknown> {
  const out = structuredClone(doc);
  for (const path of PATH_KEYS) {
    let node: Record<string, unknown> | undefined = out;
    for (const k of path.slice(0, -1))
      node = isObject(node?.[k]) ? (node[k] as Record<string, unknown>) : undefined;
    const key = path.at(-1)!;
    const v = node?.[key];
    if (node && typeof v === 'string' && v !== '' && !v.startsWith('~'))
      node[key] = resolve(dirname(file), v);
  }
  return out;
}

const SECRET = /(key|token|secret|password)/i;

/** A copy safe to print: secret values replaced by "***" (last 4 characters kept when long). */
export function redact(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && SECRET.test(key))
    return value.length > 12 ? `***${value.slice(-4)}` : '***';
  if (Array.isArray(value)) return value.map((v) => redact(v, key));
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redact(v, SECRET.test(key) ? key : k)]),
    );
  }
  return value;
}
