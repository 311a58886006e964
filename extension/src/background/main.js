// The background (Chrome: service worker; Firefox: event page). Everything it does is a named
// request in handlers.js; this file only checks who asks and routes.
import { ext } from '../platform.js';
import { handlers } from './handlers.js';
import { allows, callerOf } from './sender.js';
import { loadSettings } from './settings.js';
import { forgetTab } from './cache.js';

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = Object.hasOwn(handlers, message?.request ?? '') ? handlers[message.request] : null;
  (async () => {
    const caller = await callerOf(sender);
    if (!allows(handler, caller)) return { error: 'refused' };
    return { result: await handler.run(message.args ?? {}, caller) };
  })().then(sendResponse, (err) => sendResponse({ error: String(err?.message ?? err) }));
  return true; // the answer comes asynchronously
});

ext.runtime.onInstalled.addListener(async ({ reason }) => {
  await loadSettings(); // picks the first security mark
  if (reason === 'install' && !(await isAutomated())) ext.runtime.openOptionsPage();
});

ext.tabs.onRemoved.addListener((tabId) => { forgetTab(tabId); });

// Test browsers start with the extension installed; the welcome tab would only get in the way.
async function isAutomated() {
  return Boolean(globalThis.navigator?.webdriver);
}
