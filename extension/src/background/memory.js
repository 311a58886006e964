// The sender memory (internal/memory in the core): who signs this webmail account's mail, and at
// what level. It lives in the core, one per account, loaded from storage.local once per start of
// the core; verify consults it and learns from a message only when the user opened it in a normal
// (not incognito) window. What is kept, and for how long, is in docs/privacy.md.
//
// storage.local keys (migrations.js lists every key):
//   memoryAccounts     [account, …]: the accounts that have a memory
//   memory:<account>   the core's memory in its stored form (memoryExport with form 'stored':
//                      ASCII, read at every start of the core, so made to load fast). A JSON
//                      file there (what earlier versions stored) loads too and is stored again
//                      in the stored form at once; the JSON file is what users export and import.
//
// The page never reaches any of it: the content script's verify names an account and nothing
// else, and listing, pinning, forgetting, export and import are requests only the options page,
// at the top of its own tab, may send (handlers in memoryHandlers; sender.js decides who asks).
import { ext } from '../platform.js';
import { readingCore } from '../core.js';
import { policy } from '../config.js';
import { RequestError } from '../protocol.js';

const indexKey = 'memoryAccounts';
const keyOf = (account) => `memory:${account}`;
const maxAccounts = 32;
const accountPattern = /^[a-z]+:[^\s]{1,300}$/;
const maxImportBytes = 48 << 20;
const storedHead = 'mailseal-memory-stored ';

// loaded: the core instance each account's memory was loaded into. A restarted core (a new
// instance) has none, and loads again on first use.
const loaded = new Map();
// saving: the save in flight per account, and whether another change came during it. A change is
// written at once (a Chrome worker or a Firefox event page may be stopped any moment after), one
// write at a time per account; changes during a write are written together after it.
const saving = new Map();

export function checkAccount(account) {
  if (typeof account !== 'string' || !accountPattern.test(account)) throw new RequestError('bad-argument', 'memory: bad account');
  return account;
}

/** expectations are the administrator's (managed policy `senderExpectations`). */
export async function expectations() {
  const p = await policy();
  return (p.senderExpectations ?? [])
    .filter((e) => e && typeof e.domain === 'string' && ['V1', 'V2', 'V3', 'V4'].includes(e.level))
    .slice(0, 256)
    .map(({ domain, level }) => ({ domain, level }));
}

async function load(c, account) {
  const key = keyOf(account);
  const { [key]: text } = await ext.storage.local.get(key);
  const file = typeof text === 'string' ? new TextEncoder().encode(text) : null;
  try {
    await c.memoryLoad(account, file, { expectations: await expectations() });
    if (file && !text.startsWith(storedHead)) learnt(account, { memoryChanged: true }); // once, from an earlier version
  } catch (err) {
    // A file this version cannot read (damaged, or from a newer mailseal) is set aside, not lost:
    // the account starts empty and the file stays where it is until the memory is next saved.
    console.warn(`mailseal: the sender memory of ${account} could not be read (${err.message}); starting empty`);
    await c.memoryLoad(account, null, { expectations: await expectations() });
  }
}

/** ready loads the account's memory into the current core once, and returns the core. */
export async function ready(account) {
  const c = await readingCore();
  let p = loaded.get(account);
  if (!p || p.core !== c) {
    p = { core: c, done: load(c, account) };
    loaded.set(account, p);
    p.done.catch(() => loaded.delete(account));
  }
  await p.done;
  return c;
}

/**
 * verifyOption is verify's `memory` option for a message the content script shows: it learns only
 * when the user opened the message in a window that is not incognito. null (verify without the
 * memory) when the account is not one to remember or its memory cannot be loaded: the memory adds
 * warnings, it never stands in the way of a verdict.
 */
export async function verifyOption(account, { opened, incognito, message }) {
  try {
    checkAccount(account);
    await ready(account);
  } catch (err) {
    console.warn('mailseal: verifying without the sender memory:', err.message);
    return null;
  }
  return { account, opened: Boolean(opened) && !incognito, message: String(message ?? '').slice(0, 1024) };
}

/** learnt stores the account's memory when a verify changed it. */
export function learnt(account, report) {
  if (!report?.memoryChanged) return;
  const s = saving.get(account);
  if (s) {
    s.again = true;
    return;
  }
  const state = { again: false };
  saving.set(account, state);
  (async () => {
    do {
      state.again = false;
      await write(account);
    } while (state.again);
  })().catch((err) => console.error('mailseal: saving the sender memory:', err)).finally(() => saving.delete(account));
}

/** save writes the account's memory to storage.local now. */
export async function save(account) {
  await write(account);
}

async function write(account) {
  const c = await ready(account);
  const text = new TextDecoder().decode(await c.memoryExport(account, { form: 'stored' }));
  const { [indexKey]: index = [] } = await ext.storage.local.get(indexKey);
  const accounts = index.includes(account) ? index : [...index, account].slice(-maxAccounts);
  await ext.storage.local.set({ [keyOf(account)]: text, [indexKey]: accounts });
}

async function accounts() {
  const { [indexKey]: index = [] } = await ext.storage.local.get(indexKey);
  return Array.isArray(index) ? index.filter((a) => typeof a === 'string' && accountPattern.test(a)) : [];
}

// Administrators' expectations changed: every memory loads again with the new ones.
ext.storage.onChanged?.addListener((_, area) => {
  if (area === 'managed') loaded.clear();
});

// The options page's requests. Nothing here is reachable from a webmail page or a frame in one.
export const memoryHandlers = {
  async memoryAccounts() {
    return { accounts: await accounts(), expectations: await expectations() };
  },
  async memoryList(args) {
    const account = checkAccount(args.account);
    return (await ready(account)).memoryList(account);
  },
  async memoryEdit(args) {
    const account = checkAccount(args.account);
    const edit = args.edit ?? {};
    const [op] = Object.keys(edit);
    if (Object.keys(edit).length !== 1 || !['pin', 'unpin', 'forget', 'forgetAll'].includes(op)) throw new RequestError('bad-argument', 'memory: bad edit');
    const out = await (await ready(account)).memoryEdit(account, op === 'forgetAll' ? { forgetAll: true } : { [op]: String(edit[op]).slice(0, 320) });
    await save(account);
    return out;
  },
  async memoryExport(args) {
    const account = checkAccount(args.account);
    return new TextDecoder().decode(await (await ready(account)).memoryExport(account));
  },
  // memoryImport replaces the account's memory with a file the user chose; the core checks every
  // entry and a file it refuses changes nothing.
  async memoryImport(args) {
    const account = checkAccount(args.account);
    if (typeof args.text !== 'string' || args.text.length > maxImportBytes) throw new RequestError('bad-argument', 'memory: the file is too large');
    const c = await ready(account);
    const out = await c.memoryLoad(account, new TextEncoder().encode(args.text), { expectations: await expectations() });
    await save(account);
    return out;
  },
};
