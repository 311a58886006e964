// @ts-check
// Configuration, in one place: what an administrator set (policy), what the user chose
// (settings, the signing ones included) and where mailseal talks to (endpoints).
//
//   policy     storage.managed (managed-schema.json): roots, providers, revocation,
//              outlookClientId. The demo build (and only it: __DEMO__ is a build-time constant)
//              also reads demo-policy.json from its own package as if it were managed storage,
//              so the demo trusts the test fixture root the way a company trusts its own CA and
//              sends to the demo webmail's APIs. The production build has no such file and no
//              code to read it.
//   settings   storage.local `settings`: the user's choices, stored as what differs from the
//              defaults (the security mark always). The OAuth client ids of both providers and
//              the auto-lock live here (background/migrations.js moved them in).
//   trust      the roots the core is given: the policy's (full trust) and those the user
//              imported (`userRoots`, V1 at most), as verifyOptions.
//   endpoints  the Gmail API, Google's OAuth, Microsoft Graph and the Microsoft identity
//              platform: production addresses, the demo policy's in the demo build.
import { ext, DEMO } from './platform.js';

const production = Object.freeze({
  graphBase: 'https://graph.microsoft.com/v1.0',
  authority: 'https://login.microsoftonline.com/common',
  gmailApiBase: 'https://gmail.googleapis.com',
  googleAuthorize: 'https://accounts.google.com/o/oauth2/v2/auth',
});

let cached = null;

async function managed() {
  try {
    return (await ext.storage.managed.get(null)) ?? {};
  } catch {
    return {}; // no policy configured (Firefox throws when there is none)
  }
}

async function demoPolicy() {
  // __DEMO__ is the build-time constant itself (not an imported copy), so that esbuild removes
  // this branch, file name included, from the production build.
  if (__DEMO__) {
    const res = await fetch(ext.runtime.getURL('demo-policy.json'));
    return res.ok ? res.json() : {};
  }
  return {};
}

/**
 * @typedef {{roots: string[], providers?: {gmail?: boolean, outlook?: boolean}, revocation: string,
 *   hosts: Record<string, string>, outlookClientId?: string, googleClientId?: string,
 *   senderExpectations: {domain: string, level: string}[],
 *   graphBase: string, authority: string, gmailApiBase: string, googleAuthorize: string}} Policy
 */

/**
 * The administrator's policy (and, in the demo build, the demo's).
 * @returns {Promise<Policy>}
 */
export function policy() {
  cached ??= (async () => {
    const [m, d] = await Promise.all([managed(), demoPolicy()]);
    const p = { ...m, ...d };
    // Only the demo policy may name extra hosts and endpoints: managed storage cannot point the
    // extension at other origins than the manifest's.
    const demo = (key) => (DEMO && d[key] ? d[key] : production[key]);
    return {
      roots: [...asList(m.roots), ...asList(d.roots)],
      providers: p.providers,
      revocation: p.revocation, // undefined: the user's switch decides (background/revocation.js)
      outlookClientId: p.outlookClientId,
      // Mail the administrator expects signed: [{domain, level}] (background/memory.js).
      senderExpectations: Array.isArray(p.senderExpectations) ? p.senderExpectations : [],
      googleClientId: DEMO ? d.googleClientId : undefined,
      hosts: DEMO ? d.hosts ?? {} : {},
      graphBase: demo('graphBase'),
      authority: demo('authority'),
      gmailApiBase: demo('gmailApiBase'),
      googleAuthorize: demo('googleAuthorize'),
    };
  })();
  cached.catch(() => { cached = null; });
  return cached;
}

function asList(v) {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
}

ext.storage.onChanged?.addListener((_, area) => {
  if (area === 'managed') cached = null;
});

const markWords = ['harbor', 'maple', 'comet', 'lantern', 'orchid', 'falcon', 'glacier', 'saffron',
  'meadow', 'cobalt', 'ember', 'willow', 'quartz', 'juniper', 'pebble', 'tundra'];
const markColors = ['#7b1fa2', '#00695c', '#c62828', '#1565c0', '#ef6c00', '#2e7d32', '#ad1457', '#4e342e'];

export const defaults = Object.freeze({
  providers: { gmail: true, outlook: true },
  showUnsignedChip: true,
  checkRevocation: false,
  outlookClientId: '',
  googleClientId: '',
  autoLockMinutes: 30,
});

// randomMark picks a first security mark the page cannot guess; the first-run page, opened on
// install, lets the user choose their own.
export function randomMark() {
  const r = crypto.getRandomValues(new Uint32Array(2));
  return { word: markWords[r[0] % markWords.length], color: markColors[r[1] % markColors.length] };
}

// The settings as last read here, until storage.local says they changed (a save, from here or
// from another page of the extension, or a migration): a banner's report, a verify and the
// content script's start each read them, and each read is a round trip to the browser.
/** @type {Promise<object> | null} */
let settingsHeld = null;
ext.storage?.onChanged?.addListener((changes, area) => {
  if (area === 'local' && Object.hasOwn(changes, 'settings')) settingsHeld = null;
});

/** loadSettings is the user's settings over the defaults (policy is applied by who reads them). */
export async function loadSettings() {
  const held = (settingsHeld ??= readSettings());
  held.catch(() => { if (settingsHeld === held) settingsHeld = null; });
  return structuredClone(await held);
}

async function readSettings() {
  const { settings = {} } = await ext.storage.local.get('settings');
  const merged = { ...defaults, ...settings, providers: { ...defaults.providers, ...settings.providers } };
  if (!merged.mark) {
    merged.mark = randomMark();
    await ext.storage.local.set({ settings: { ...settings, mark: merged.mark } });
  }
  return merged;
}

const markColor = /^#[0-9a-f]{6}$/i;

/** saveSettings keeps what change sets, each value checked; a bad one refuses the whole change. */
export async function saveSettings(change) {
  const { settings = {} } = await ext.storage.local.get('settings');
  const next = { ...settings };
  if (change.providers) {
    next.providers = { ...settings.providers };
    for (const name of ['gmail', 'outlook']) {
      if (typeof change.providers[name] === 'boolean') next.providers[name] = change.providers[name];
    }
  }
  if (typeof change.showUnsignedChip === 'boolean') next.showUnsignedChip = change.showUnsignedChip;
  if (typeof change.checkRevocation === 'boolean') next.checkRevocation = change.checkRevocation;
  if (change.mark) {
    const word = String(change.mark.word ?? '').trim().slice(0, 24);
    if (!word || !markColor.test(change.mark.color ?? '')) throw new Error('settings: a mark needs a word and a #rrggbb colour');
    next.mark = { word, color: change.mark.color };
  }
  if (typeof change.outlookClientId === 'string') {
    const id = change.outlookClientId.trim();
    if (id && !/^[0-9a-f-]{36}$/i.test(id)) throw new Error('settings: an app registration id is a GUID');
    next.outlookClientId = id;
  }
  if (typeof change.googleClientId === 'string') {
    const id = change.googleClientId.trim();
    if (id && !/^[0-9]+-[0-9a-z]+\.apps\.googleusercontent\.com$/.test(id)) {
      throw new Error('a Google OAuth client id looks like 1234-abc.apps.googleusercontent.com');
    }
    next.googleClientId = id;
  }
  if (change.autoLockMinutes !== undefined) {
    const m = Math.round(Number(change.autoLockMinutes));
    if (!(m >= 1 && m <= 24 * 60)) throw new Error('auto-lock is between 1 minute and 24 hours');
    next.autoLockMinutes = m;
  }
  await ext.storage.local.set({ settings: next });
  settingsHeld = null;
  return loadSettings();
}

// verifyOptions are the trust inputs for the core's verify().
export async function verifyOptions() {
  const [{ roots }, users] = await Promise.all([policy(), userRoots()]);
  return { roots, userRoots: users.map((r) => r.pem) };
}

/** userRoots are the roots the user imported: {pem, sha256, subject, addedAt} each (background/trust.js). */
export async function userRoots() {
  const { userRoots = [] } = await ext.storage.local.get('userRoots');
  return userRoots;
}

/** signingSettings are the settings the identity page shows and sets. */
export async function signingSettings() {
  const s = await loadSettings();
  return { googleClientId: s.googleClientId, autoLockMinutes: s.autoLockMinutes };
}

/** saveSigningSettings sets the identity page's settings, and no other. */
export async function saveSigningSettings(change) {
  const { googleClientId, autoLockMinutes } = change ?? {};
  await saveSettings({ googleClientId, autoLockMinutes });
  return signingSettings();
}

/**
 * endpoints says where mailseal talks to, and the OAuth client of each provider: an
 * administrator's (or the demo's) before the user's.
 * @returns {Promise<{gmailApiBase: string, googleAuthorize: string, googleClientId: string,
 *   graphBase: string, authority: string, outlookClientId: string}>}
 */
export async function endpoints() {
  const [p, s] = await Promise.all([policy(), loadSettings()]);
  return {
    gmailApiBase: p.gmailApiBase,
    googleAuthorize: p.googleAuthorize,
    googleClientId: p.googleClientId || s.googleClientId,
    graphBase: p.graphBase,
    authority: p.authority,
    outlookClientId: p.outlookClientId || s.outlookClientId,
  };
}
