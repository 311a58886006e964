// @ts-check
// "mailseal cannot read this page layout": a content script whose provider found no message on a
// page that plainly shows one (content/layout-watch.js) says so here, and the toolbar button of
// that tab shows it (a badge, and the sentence as its title) until the page reads again or the
// tab loads another document. The popup asks tabLayout. Kept in storage.session, like the tab's
// banners (banner-channels.js), as l:<tabId>.
import { ext } from '../platform.js';
import { showLastVerdict } from './badge.js';
import { webmailOf } from '../providers/hosts.js';

const area = ext.storage.session;
const keyOf = (tabId) => `l:${tabId}`;

async function showOnButton(tabId, problem) {
  if (!problem) return showLastVerdict(tabId);
  await Promise.all([
    ext.action.setBadgeText({ tabId, text: '!' }),
    ext.action.setBadgeBackgroundColor({ tabId, color: '#b3261e' }),
    ext.action.setTitle({ tabId, title: ext.i18n.getMessage('layoutUnreadable') }),
  ]).catch(() => {}); // the tab closed meanwhile
}

// forgetLayout is for a new document in the tab (its content script starts) and a closed tab.
export async function forgetLayout(tabId, { closed = false } = {}) {
  if (typeof tabId !== 'number') return;
  const key = keyOf(tabId);
  const { [key]: known } = await area.get(key);
  if (!known) return;
  await area.remove(key);
  if (!closed) await showOnButton(tabId, false);
}

export const layoutHandlers = {
  // layoutProblem: {provider, unreadable: boolean} from the content script of the caller's tab.
  async layoutProblem(args, caller) {
    if (!args.unreadable) return forgetLayout(caller.tabId).then(() => false);
    const provider = webmailOf(args.provider) ? args.provider : 'gmail';
    await area.set({ [keyOf(caller.tabId)]: { provider, origin: new URL(caller.url).origin, since: Date.now() } });
    await showOnButton(caller.tabId, true);
    return true;
  },
  // tabLayout: the tab's layout problem, or null. A problem recorded for another site than the
  // one the tab shows now is stale (the tab went elsewhere, where no content script runs).
  async tabLayout(args) {
    const tabId = Number(args.tabId);
    const { [keyOf(tabId)]: problem } = await area.get(keyOf(tabId));
    if (!problem) return null;
    const tab = await ext.tabs.get(tabId).catch(() => null);
    const origin = tab?.url ? new URL(tab.url).origin : null;
    return origin === problem.origin ? { provider: problem.provider, since: problem.since } : null;
  },
};
