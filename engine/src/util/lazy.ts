import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Load a dependency on first use. The CLI is one bundled file whose parse time every command pays; big
 * libraries that only some commands need (XML writing, YAML) stay outside it and load when called.
 */
export function lazy<T>(id: string): () => T {
  let mod: T | undefined;
  return () => {
    mod ??= require(id) as T;
    return mod;
  };
}
