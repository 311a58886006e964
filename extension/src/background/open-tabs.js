// @ts-check
// Content scripts for webmail tabs that were open before an install or update. Chrome puts
// manifest content scripts only into pages loaded afterwards, and an update leaves the old ones
// cut off from the new background: without this, open Gmail and Outlook tabs show nothing until
// reloaded. (Firefox injects into open tabs itself; a second copy stands down, see
// content/instance.js.)
import { ext } from '../platform.js';

/**
 * injectIntoOpenTabs runs each content_scripts entry of the manifest (its matches include the
 * demo build's hosts) in the top frame of every open tab it matches.
 * @returns {Promise<number>} how many tabs were injected
 */
export async function injectIntoOpenTabs() {
  let injected = 0;
  for (const script of ext.runtime.getManifest().content_scripts ?? []) {
    const tabs = await ext.tabs.query({ url: script.matches });
    await Promise.all(tabs.map(async (tab) => {
      try {
        await ext.scripting.executeScript({ target: { tabId: tab.id }, files: script.js });
        injected++;
      } catch (err) {
        // A discarded tab, or a page that navigated away meanwhile: its next load gets the scripts.
        console.warn(`mailseal: could not inject into tab ${tab.id}:`, err?.message ?? err);
      }
    }));
  }
  return injected;
}
