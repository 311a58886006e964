// @ts-check
// The background's side of the kept core (host.js), in Chrome: opens the offscreen document that
// hosts it when there is none, connects this life of the service worker to it over a MessagePort,
// and gives an object with the kept methods, as the local core has them. Firefox has no offscreen
// documents: there, and wherever this fails, the background uses its own core (core.js).
import { ext } from '../platform.js';
import { keptMethods } from './host.js';

const documentPath = 'pages/kept-core.html';
// An answer that never comes (the document went away under a call) must not hold a banner back
// for ever: the call fails and the caller's own bound (content/patience.js) shows "not checked".
const callMillis = 60_000;

let connecting = null;

/** available says whether this browser can keep a core (Chrome's offscreen documents). */
export function available() {
  return Boolean(ext.offscreen?.createDocument) && typeof globalThis.clients?.matchAll === 'function';
}

async function documentClient() {
  const url = ext.runtime.getURL(documentPath);
  const find = async () => (await globalThis.clients.matchAll({ includeUncontrolled: true, type: 'window' })).find((c) => c.url === url);
  let c = await find();
  if (c) return c;
  try {
    await ext.offscreen.createDocument({ url: documentPath, reasons: ['WORKERS'], justification: 'keeps the S/MIME verifier (WebAssembly) compiled and running in a worker between two messages, for at most 4 minutes of quiet' });
  } catch (err) {
    // Another life of this worker (or a call just before) opened it: use that one.
    if (!/single offscreen|only a single/i.test(String(err?.message))) throw err;
  }
  for (let i = 0; i < 50 && !(c = await find()); i++) await new Promise((r) => setTimeout(r, 10));
  if (!c) throw new Error('kept core: the offscreen document did not come');
  return c;
}

// connect gives a connection to the kept core: {call(method, args), dead}.
async function connect() {
  const client = await documentClient();
  const { port1, port2 } = new MessageChannel();
  const pending = new Map();
  let next = 0;
  const conn = { dead: false, call };
  port1.onmessage = ({ data }) => {
    if (data?.closing) {
      conn.dead = true;
      for (const p of pending.values()) p.reject(Object.assign(new Error('kept core: closing'), { code: 'ERR_CLOSING' }));
      pending.clear();
      return;
    }
    const p = pending.get(data?.id);
    if (!p) return;
    pending.delete(data.id);
    if (data.error) p.reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
    else p.resolve(data.result);
  };
  client.postMessage({ connect: true }, [port2]);
  function call(method, args) {
    if (conn.dead) return Promise.reject(Object.assign(new Error('kept core: closing'), { code: 'ERR_CLOSING' }));
    const id = ++next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { pending.delete(id); reject(new Error('kept core: no answer')); }, callMillis);
      pending.set(id, { resolve: (v) => { clearTimeout(timer); resolve(v); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      port1.postMessage({ id, method, args });
    });
  }
  return conn;
}

async function connection() {
  let conn = await connecting?.catch(() => null);
  if (!conn || conn.dead) {
    connecting = connect();
    conn = await connecting.catch((err) => { connecting = null; throw err; });
  }
  return conn;
}

// keptCore connects to the kept core (opening its document when there is none) and gives an
// object with its methods, as the local core has them, plus prepare(). The object is the same for
// one connection: a new one (the host closed after its quiet period) is a core without the sender
// memories loaded, which background/memory.js tells by the object.
export async function keptCore() {
  const conn = await connection();
  conn.core ??= Object.freeze(Object.fromEntries([...keptMethods, 'prepare'].map((m) => [m, (...args) => conn.call(m, args)])));
  return conn.core;
}

/** keptStats: what the kept core holds now, without opening the document when there is none. */
export async function keptStats() {
  const url = ext.runtime.getURL(documentPath);
  const open = (await globalThis.clients.matchAll({ includeUncontrolled: true, type: 'window' })).some((c) => c.url === url);
  if (!open) return null;
  return (await connection()).call('stats', []);
}
