// @ts-check
// The toolbar button of a webmail tab shows the verdict of the message last opened in it: the
// level on green for an identity (V2–V4), on slate for an address alone (V1), "!" for a
// display-name warning or any verdict that needs care (view/verdict.js, badgeOf), with the
// banner's word and line as the button's title. A layout problem (layout.js) draws over it.
import { ext } from '../platform.js';
import { badgeOf, viewOf } from '../view/verdict.js';
import { headline } from '../view/headline.js';
import { channel, tabChannels } from './banner-channels.js';
import { cachedReport } from '../reports.js';

// A tab whose page hid or moved a banner keeps its warning badge until it loads a new document:
// a verdict shown afterwards must not paint over it (the page could otherwise make the warning
// vanish by opening another message).
const tamperedKey = (tabId) => `tampered:${tabId}`;

/** markTampered records that the page of tabId tampered with a banner. */
export async function markTampered(tabId, what) {
  await ext.storage.session.set({ [tamperedKey(tabId)]: what });
}

/** forgetTampered: the tab loaded a new document, or closed. */
export async function forgetTampered(tabId) {
  await ext.storage.session.remove(tamperedKey(tabId));
}

export async function showVerdict(tabId, report) {
  if (typeof tabId !== 'number' || !report) return;
  try {
    if ((await ext.storage.session.get(tamperedKey(tabId)))[tamperedKey(tabId)]) return;
    const { text, color } = badgeOf(report);
    const title = text ? `mailseal: ${ext.i18n.getMessage(viewOf(report).word)} · ${headline(report)}` : ext.i18n.getMessage('extName');
    await Promise.all([
      ext.action.setBadgeText({ tabId, text }),
      color ? ext.action.setBadgeBackgroundColor({ tabId, color }) : null,
      ext.action.setTitle({ tabId, title }),
    ]);
  } catch (err) {
    // The tab closed meanwhile: the button is gone with it. A verdict never waits on its badge.
    if (!/tab/i.test(String(err?.message))) console.warn('mailseal: badge:', err?.message ?? err);
  }
}

// showLastVerdict puts the tab's last verdict back on its button (or nothing, when it has none):
// after a layout problem is cleared, the button says again what the last banner said.
export async function showLastVerdict(tabId) {
  const [id] = await tabChannels(tabId);
  const ch = id ? await channel(id) : null;
  const entry = ch ? ch.entry ?? (await cachedReport(ch.key)) : null;
  await showVerdict(tabId, entry?.report ?? { status: 'unsigned' });
}
