// @ts-check
// The background (Chrome: service worker; Firefox: event page). Everything it does is a named
// request of protocol.js, answered by handlers.js; this file only checks who asks and routes,
// and answers a failure as {error: {code, message}}.
import { ext } from './platform.js';
import { errorOf, RequestError } from './protocol.js';
import { handlers } from './handlers.js';
import { allows, callerOf } from './background/sender.js';
import { loadSettings } from './config.js';
import { forgetTab } from './background/banner-channels.js';
import { forgetLayout } from './background/layout.js';
import { forgetTampered } from './background/badge.js';
import { migrate } from './background/migrations.js';
import { openFirstRun } from './background/first-run.js';
import { injectIntoOpenTabs } from './background/open-tabs.js';
import { keepPorts } from './background/keep-awake.js';
import { prepareReading } from './core.js';

// Stored data is brought to the current schema before any request reads it (migrations.js).
const storageReady = migrate(ext.storage.local).catch((err) => console.error('mailseal: storage migration failed:', err));

// Firefox: a webmail tab keeps this event page, and its core, for a while after a verdict
// (keep-awake.js); Chrome keeps the core itself (kept-core/) and its content script opens no port.
const idleKey = 'keepIdleMillis';
const keptPorts = keepPorts({
  isContent: async (sender) => (await callerOf(sender))?.kind === 'content',
  prepare: prepareReading,
  store: {
    get: async () => Number((await ext.storage.session.get(idleKey))[idleKey]) || 0,
    set: (ms) => ext.storage.session.set({ [idleKey]: ms }),
  },
});
ext.runtime.onConnect.addListener((port) => { keptPorts.connect(port); });
ext.runtime.onSuspend?.addListener(() => { keptPorts.suspending(); });

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  keptPorts.heard();
  const name = String(message?.request ?? '');
  (async () => {
    await storageReady;
    const caller = await callerOf(sender);
    if (!Object.hasOwn(handlers, name) || !allows(name, caller)) throw new RequestError('refused', `mailseal: ${name}: refused`);
    const args = message.args && typeof message.args === 'object' ? message.args : {};
    return { result: await handlers[name](args, caller) };
  })().then(sendResponse, (err) => sendResponse({ error: errorOf(err) }));
  return true; // the answer comes asynchronously
});

ext.runtime.onInstalled.addListener(async ({ reason }) => {
  await storageReady;
  await loadSettings(); // picks the first security mark, which the first-run page shows
  if (reason === 'install' && !(await isAutomated())) openFirstRun();
  // Webmail tabs open since before this install or update would otherwise stay silent.
  if (reason === 'install' || reason === 'update') await injectIntoOpenTabs();
});

ext.tabs.onRemoved.addListener((tabId) => { forgetTab(tabId); forgetLayout(tabId, { closed: true }); forgetTampered(tabId); });

// Test browsers start with the extension installed; the first-run tab would only get in the way.
async function isAutomated() {
  return Boolean(globalThis.navigator?.webdriver);
}
