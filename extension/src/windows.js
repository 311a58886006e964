// @ts-check
// mailseal's own popup windows, each with a channel (channels.js): the compose window
// (signing/compose-window.js) and the decrypt window (decrypt/window.js). A window's page can ask
// for its channel before windows.create has said which tab the window got; windowChannel waits
// for that answer rather than refuse the page, and the first page of that tab to ask claims it.
import { ext } from './platform.js';
import { channelFor, channelKey, readChannel, writeChannel } from './channels.js';

const opening = new Map(); // channel key → Promise

/** openWindow opens pages/<page>#<id> in a popup window and binds the channel to its tab. */
export async function openWindow(/** @type {import('./channels.js').ChannelKind} */ kind, id, page, { width, height }) {
  const key = channelKey(kind, id);
  const open = (async () => {
    const win = await ext.windows.create({ url: ext.runtime.getURL(`pages/${page}#${id}`), type: 'popup', width, height, focused: true });
    const windowTab = win.tabs?.[0]?.id ?? (await ext.tabs.query({ windowId: win.id }))[0]?.id;
    const now = await readChannel(kind, id);
    if (now) await writeChannel(kind, id, { ...now, windowId: win.id, tabId: now.tabId ?? windowTab });
  })();
  opening.set(key, open);
  try {
    await open;
  } finally {
    opening.delete(key);
  }
}

/** windowChannel gives the window page in tab tabId its channel, or null (another tab's, or none). */
export async function windowChannel(/** @type {import('./channels.js').ChannelKind} */ kind, id, tabId) {
  const key = channelKey(kind, id);
  if (!key) return null;
  await opening.get(key)?.catch(() => {});
  return channelFor(kind, id, tabId, { claim: true });
}
