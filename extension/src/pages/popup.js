// The toolbar popup: the user's security mark, the messages open in the current tab now, each
// named (the sender as its verified report gives it, the subject from its raw source, never the
// page's text) with its verdict (or that mailseal cannot read the page layout), the Outlook
// connection, and the way back to the first-run page.
import { ext } from '../platform.js';
import { request } from '../request.js';
import { el, sentence, t, untrusted, mark, localize } from '../view/dom.js';
import { icons } from '../view/verdict.js';
import { headline, warningList } from '../view/headline.js';
import { connectOutlookButton } from '../view/connect-outlook.js';
import { webmailName } from '../providers/hosts.js';

// named is the message's subject and sender, from what was verified: the From mailbox of the
// report (the core read it from the raw message) and the raw Subject field. A message whose raw
// source could not be read has no name to give.
function named(report, message) {
  const from = report.from ? (report.from.displayName ? `${report.from.displayName} <${report.from.address}>` : report.from.address) : '';
  if (!from && !message?.subject) return null;
  return el('p', { class: 'message-name' }, sentence('popupMessage', message?.subject || t('popupNoSubject'), from));
}

async function main() {
  localize();
  const { settings } = await request('getSettings');
  document.getElementById('mark').replaceChildren(mark(settings.mark));
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  const items = tab ? await request('tabStatus', { tabId: tab.id }) : [];
  const layout = tab ? await request('tabLayout', { tabId: tab.id }) : null;
  const box = document.getElementById('status');
  const verdicts = items.map(({ report, view, message }) => el('li', { class: 'status-item', 'data-severity': view.severity },
    el('span', { class: 'icon', 'aria-hidden': 'true', text: icons[view.severity] }), ' ',
    el('strong', { text: t(view.word) }), ' ',
    untrusted(headline(report)), named(report, message), warningList(report)));
  // The webmail changed its page (content/layout-watch.js): say so rather than show nothing.
  const unreadable = layout && el('div', { class: 'status-item', id: 'layout-problem', 'data-severity': 'caution' },
    el('span', { class: 'icon', 'aria-hidden': 'true', text: icons.caution }), ' ',
    el('strong', { text: t('layoutUnreadable') }),
    el('p', { class: 'hint', text: t('layoutUnreadableHint', webmailName(layout.provider)) }));
  box.replaceChildren(...[unreadable, verdicts.length ? el('ul', { class: 'open-messages' }, verdicts) : null].filter(Boolean));
  if (!box.childElementCount) box.append(el('p', { class: 'hint', text: t('popupNothingOpen') }));
  const openTab = (page) => () => ext.tabs.create({ url: ext.runtime.getURL(`pages/${page}.html`) });
  document.getElementById('open-options').addEventListener('click', () => ext.runtime.openOptionsPage());
  document.getElementById('open-identity').addEventListener('click', openTab('identity'));
  document.getElementById('open-first-run').addEventListener('click', openTab('first-run'));
  document.getElementById('first-run-pending').hidden = (await request('firstRun')).done;
  connectOutlookButton(document.getElementById('connect-outlook'), document.getElementById('outlook-result'));
}

main();
