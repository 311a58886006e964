// @ts-check
// Who is asking. The background answers only its own content scripts and its own pages; a web
// page cannot reach it at all (the manifest has no externally_connectable), and this check is
// the second line: every request lists the callers it accepts (protocol.js), 'content' for our
// content script or the file name of one of our pages, and allows() refuses everyone else.
import { ext, extensionOrigin } from '../platform.js';
import { providerNameFor } from '../providers/hosts.js';
import { mayCall } from '../protocol.js';
import { policy } from '../config.js';

// The only page a web page may frame (web_accessible_resources); every other page counts as
// itself only at the top of its own tab or window (or in the toolbar popup, which has no tab).
const framedPages = new Set(['banner.html']);

/**
 * @typedef {{kind: 'content'|'page', page?: string, tabId?: number, frameId?: number, url: string, provider?: string, incognito?: boolean}} CallerInfo
 * @returns {Promise<null | CallerInfo>}
 */
export async function callerOf(sender) {
  if (!sender || sender.id !== ext.runtime.id) return null;
  const url = sender.url ?? '';
  if (url.startsWith(extensionOrigin + '/')) {
    const m = /^\/pages\/([a-z-]+\.html)$/.exec(new URL(url).pathname);
    const page = m?.[1];
    const topLevel = !sender.tab || sender.frameId === 0;
    if (!page || (!topLevel && !framedPages.has(page)) || (topLevel && framedPages.has(page) && sender.tab)) {
      return { kind: 'page', page: null, tabId: sender.tab?.id, frameId: sender.frameId, url };
    }
    return { kind: 'page', page, tabId: sender.tab?.id, frameId: sender.frameId, url };
  }
  // Content scripts run only in the top frame of a webmail tab (manifest: all_frames false).
  if (sender.tab && sender.frameId === 0) {
    const { hosts } = await policy();
    const provider = providerNameFor(url, hosts);
    // incognito: the sender memory learns nothing in a private window (memory.js).
    if (provider) return { kind: 'content', tabId: sender.tab.id, frameId: 0, url, provider, incognito: Boolean(sender.tab.incognito) };
  }
  return null;
}

/** allows says whether the request called name accepts this caller (protocol.js lists them). */
export function allows(name, caller) {
  if (!caller) return false;
  return mayCall(name, caller.kind === 'content' ? 'content' : caller.page);
}
