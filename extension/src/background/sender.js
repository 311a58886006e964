// Who is asking. The background answers only its own content scripts and its own pages; a web
// page cannot reach it at all (the manifest has no externally_connectable), and this check is
// the second line: every request names the kind of caller it accepts (handlers.js).
import { ext, extensionOrigin } from '../platform.js';
import { providerNameFor } from '../providers/hosts.js';
import { policy } from './trust.js';

/**
 * @returns {Promise<null | {kind: 'content'|'page', tabId?: number, frameId?: number, url: string}>}
 */
export async function callerOf(sender) {
  if (!sender || sender.id !== ext.runtime.id) return null;
  const url = sender.url ?? '';
  if (url.startsWith(extensionOrigin + '/')) {
    return { kind: 'page', tabId: sender.tab?.id, frameId: sender.frameId, url };
  }
  // Content scripts run only in the top frame of a webmail tab (manifest: all_frames false).
  if (sender.tab && sender.frameId === 0) {
    const { hosts } = await policy();
    if (providerNameFor(url, hosts)) return { kind: 'content', tabId: sender.tab.id, frameId: 0, url };
  }
  return null;
}
