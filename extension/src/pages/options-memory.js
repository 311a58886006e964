// The options page's sender memory section: what is kept for each webmail account and for how
// long, pin or forget a sender, forget all, export to a file and import one (the background's
// memory* requests, which only this page may send; background/memory.js).
import { request } from '../request.js';
import { el, t, untrusted } from '../view/dom.js';

const $ = (id) => document.getElementById(id);
const shown = 200; // rows drawn at once; the filter finds the rest

let list = [];

function day(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleDateString();
}

function say(text) {
  $('memory-result').textContent = text;
}

async function edit(edit) {
  try {
    await request('memoryEdit', { account: $('memory-account').value, edit });
  } catch (err) {
    say(err.message);
  }
  await showAccount();
}

function draw() {
  const filter = $('memory-filter').value.trim().toLowerCase();
  const rows = list.filter((s) => !filter || s.address.includes(filter) || s.shown.toLowerCase().includes(filter));
  $('memory-senders').replaceChildren(...rows.slice(0, shown).map((s) => el('tr', {},
    el('td', {}, untrusted(s.address)),
    el('td', {}, s.level, ' ', untrusted(s.level === 'V1' ? '' : s.shown)),
    el('td', {}, String(s.count)),
    el('td', {}, day(s.firstSeen), ' – ', day(s.lastSeen)),
    el('td', {},
      el('button', { type: 'button', text: t(s.pinned ? 'memoryUnpin' : 'memoryPin'), 'aria-pressed': String(s.pinned),
        onclick: () => edit({ [s.pinned ? 'unpin' : 'pin']: s.address }) }),
      el('button', { type: 'button', text: t('memoryForget'), onclick: () => edit({ forget: s.address }) })))));
  $('memory-count').textContent = t('memoryCount', list.length, Math.min(rows.length, shown));
}

async function showAccount() {
  const account = $('memory-account').value;
  list = account ? await request('memoryList', { account }) : [];
  draw();
}

export async function refreshMemory() {
  const { accounts, expectations } = await request('memoryAccounts');
  const current = $('memory-account').value;
  $('memory-account').replaceChildren(...accounts.map((a) => el('option', { value: a, text: a, selected: a === current })));
  $('memory-none').hidden = accounts.length > 0;
  for (const id of ['memory-export', 'memory-import-label', 'memory-forget-all']) $(id).hidden = accounts.length === 0;
  $('memory-expectations').replaceChildren(...(expectations.length
    ? [t('memoryExpectations'), ' ', ...expectations.map((e, i) => [i ? ', ' : '', untrusted(`${e.domain} ≥ ${e.level}`)])].flat()
    : []));
  await showAccount();
}

export function setUpMemory() {
  $('memory-account').addEventListener('change', showAccount);
  $('memory-filter').addEventListener('input', draw);
  $('memory-forget-all').addEventListener('click', () => {
    // A second click within 5 s confirms: no dialog the page could imitate, nothing undone by one slip.
    const b = $('memory-forget-all');
    if (b.dataset.armed) return edit({ forgetAll: true }).then(() => { delete b.dataset.armed; b.textContent = t('memoryForgetAll'); });
    b.dataset.armed = '1';
    b.textContent = t('memoryForgetAllConfirm');
    setTimeout(() => { delete b.dataset.armed; b.textContent = t('memoryForgetAll'); }, 5000);
  });
  $('memory-export').addEventListener('click', async () => {
    const account = $('memory-account').value;
    const text = await request('memoryExport', { account });
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })), download: `mailseal-senders-${account.replace(/[^a-z0-9@.-]+/gi, '_')}.json` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  });
  $('memory-import').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > 48 << 20) return say(t('memoryImportTooLarge'));
    try {
      const { senders } = await request('memoryImport', { account: $('memory-account').value, text: await file.text() });
      say(t('memoryImported', senders));
    } catch (err) {
      say(t('memoryImportRefused', err.message));
    }
    await showAccount();
  });
}
