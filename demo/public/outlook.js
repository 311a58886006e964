// The demo's Outlook on the web: a message list with data-convid rows and a reading pane
// ([data-app-section="MailReadCompose"]) holding each message's [aria-label="Message body"],
// with deep links /mail/inbox/id/<conversation id>.
import { inbox, applyTheme, markInserted, el, body, changedLayout } from './common.js';

const data = await inbox();
applyTheme();
const app = document.getElementById('app');
const listbox = el('div', { role: 'listbox', 'aria-label': 'Message list', 'aria-activedescendant': '' });
// OWA's names, or after the demo's redesign (?layout=changed).
const names = changedLayout ? { pane: 'ReadingPaneV2', body: 'Message content' } : { pane: 'MailReadCompose', body: 'Message body' };
const pane = el('div', { 'data-app-section': names.pane, class: 'reading-pane' });
app.replaceChildren(el('div', { class: 'owa' }, listbox, pane));

for (const [i, t] of data.threads.entries()) {
  listbox.append(el('div', { role: 'option', id: `row-${i}`, 'data-convid': t.convId, 'aria-selected': 'false', tabindex: '0', onclick: () => open(t, true) },
    el('div', { class: 'row-from', text: t.members[0].from }),
    el('div', { class: 'row-subject', text: t.subject }),
    el('div', { class: 'demo-case', text: t.label })));
}

function open(t, push) {
  if (push) history.pushState(null, '', `/mail/inbox/id/${encodeURIComponent(t.convId)}${location.search}`);
  for (const row of listbox.children) row.setAttribute('aria-selected', String(row.dataset.convid === t.convId));
  listbox.setAttribute('aria-activedescendant', [...listbox.children].find((r) => r.dataset.convid === t.convId)?.id ?? '');
  pane.replaceChildren(el('div', { role: 'heading', 'aria-level': '2', class: 'subject', text: t.subject }));
  for (const m of t.members) {
    const item = el('div', { class: 'item', 'data-demo-name': m.name },
      el('div', { class: 'hdr' }, el('strong', { text: m.from }), ' ', el('span', { text: `<${m.fromEmail}>` }), ' ', el('span', { class: 'date', text: m.date })),
      el('div', { 'aria-label': names.body, class: 'body' }, body(m)),
      m.attachments.length ? el('div', { class: 'attachments' }, m.attachments.map((a) => el('span', { class: 'att', text: a }))) : null);
    pane.append(item);
    markInserted(item);
  }
}

function route() {
  const id = /\/id\/([^/?#]+)/.exec(location.pathname)?.[1];
  const want = id && decodeURIComponent(id);
  // /id/AAQk… opens a conversation; /id/AAMk… one item (OWA's item view).
  const t = want && (data.threads.find((x) => x.convId === want)
    ?? data.threads.filter((x) => x.members.length === 1).find((x) => x.members[0].itemId === want));
  if (t) open(t, false);
  else pane.replaceChildren(el('p', { class: 'empty', text: 'Select an item to read' }));
}

window.addEventListener('popstate', route);
route();
