// The background (Chrome: service worker; Firefox: event page). Everything it does is a named
// request in handlers.js; this file only checks who asks and routes.
import { ext } from '../platform.js';
import { handlers } from './handlers.js';
import { allows, callerOf } from './sender.js';
import { loadSettings } from './settings.js';
import { forgetTab } from './cache.js';
import { forgetLayout } from './layout.js';
import { forgetTampered } from './badge.js';
import { migrate } from './migrations.js';
import { openFirstRun } from './first-run.js';
import { injectIntoOpenTabs } from './open-tabs.js';

// Stored data is brought to the current schema before any request reads it (migrations.js).
const storageReady = migrate(ext.storage.local).catch((err) => console.error('mailseal: storage migration failed:', err));

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = Object.hasOwn(handlers, message?.request ?? '') ? handlers[message.request] : null;
  (async () => {
    await storageReady;
    const caller = await callerOf(sender);
    if (!allows(handler, caller)) return { error: 'refused' };
    return { result: await handler.run(message.args ?? {}, caller) };
  })().then(sendResponse, (err) => sendResponse({ error: String(err?.message ?? err) }));
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
