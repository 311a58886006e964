// A stub of the browser API for tests that import the background's modules, and the bundler's
// alias for the core (extension/build.mjs) so that they import dist/wasm/loader.js in Node.
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** aliasCore resolves 'mailseal-core' to the built loader, as the bundler does. */
export function aliasCore() {
  const loader = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'wasm', 'loader.js')).href;
  register(`data:text/javascript,${encodeURIComponent(`export async function resolve(s, c, next) {
  return s === 'mailseal-core' ? { url: ${JSON.stringify(loader)}, shortCircuit: true } : next(s, c);
}`)}`);
}

/** area is a storage area (storage.local, .session, ...) over a plain object, data. */
export function area(initial = {}) {
  const data = { ...initial };
  return {
    data,
    async get(keys) {
      if (keys == null) return { ...data };
      const list = Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, data[k]]));
    },
    async set(items) { Object.assign(data, items); },
    async remove(keys) { for (const k of [keys].flat()) delete data[k]; },
  };
}
