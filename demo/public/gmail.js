// The demo's Gmail: an inbox and a thread view with Gmail's message structure
// (div.adn[data-message-id][data-legacy-message-id] > div.gs > div.ii.gt > div.a3s).
import { inbox, applyTheme, markInserted, el, body, changedLayout } from './common.js';

const data = await inbox();
applyTheme();
const app = document.getElementById('app');

function list() {
  return el('div', { role: 'main', class: 'gmail-list' },
    el('table', { class: 'F' }, el('tbody', {}, data.threads.map((t) => el('tr', { class: 'zA', 'data-thread': t.id, tabindex: '0', onclick: () => { location.hash = `#inbox/${t.id}`; } },
      el('td', { class: 'yX', text: t.members[0].from }),
      // Gmail names the conversation's last message on the subject's span (providers/gmail.js).
      el('td', { class: 'xY' }, el('span', { class: 'bog' }, el('span', { 'data-thread-id': `#thread-f:${t.id}`, 'data-legacy-thread-id': t.id, 'data-legacy-last-message-id': t.members.at(-1).legacy, text: t.subject }))),
      el('td', { class: 'demo-case', text: t.label }))))));
}

// Gmail's names, or after the demo's redesign (?layout=changed).
const names = changedLayout
  ? { message: 'msg-v2', id: 'data-msg-key', legacyId: 'data-legacy-msg-key', bodyContainer: 'msg-body-v2', body: 'msg-text-v2' }
  : { message: 'adn ads', id: 'data-message-id', legacyId: 'data-legacy-message-id', bodyContainer: 'ii gt', body: 'a3s aiL' };

function message(m) {
  return el('div', { class: names.message, [names.id]: `#msg-f:${m.perm}`, [names.legacyId]: m.legacy, 'data-demo-name': m.name },
    el('div', { class: 'gs' },
      el('div', { class: 'gE iv gt' },
        el('span', { class: 'gD', email: m.fromEmail, name: m.from, text: m.from }), ' ',
        el('span', { class: 'go', text: `<${m.fromEmail}>` }), ' ',
        el('span', { class: 'g3', text: m.date })),
      el('div', { class: names.bodyContainer }, el('div', { class: names.body }, body(m))),
      m.attachments.length ? el('div', { class: 'hq gt' }, m.attachments.map((a) => el('span', { class: 'aQH', text: a }))) : null));
}

function thread(t) {
  return el('div', { role: 'main' },
    el('div', { class: 'nH' },
      el('h2', { class: 'hP', 'data-legacy-thread-id': t.id, text: t.subject }),
      el('a', { href: '#inbox', class: 'back', text: '← Inbox' })));
}

function route() {
  const id = /^#inbox\/(.+)$/.exec(location.hash)?.[1];
  const t = data.threads.find((x) => x.id === id);
  if (!t) return app.replaceChildren(list());
  const view = thread(t);
  app.replaceChildren(view);
  for (const m of t.members) {
    const container = message(m);
    view.firstChild.append(container);
    markInserted(container);
  }
}

window.addEventListener('hashchange', route);
route();
