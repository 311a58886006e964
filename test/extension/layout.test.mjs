// "mailseal cannot read this page layout": a page that plainly shows a message (its address
// says so) where the provider, after a while, finds none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gmail } from '../../extension/src/providers/gmail.js';
import { Outlook } from '../../extension/src/providers/outlook.js';
import { LayoutWatch, graceMillis } from '../../extension/src/content/layout-watch.js';
import { dom, gmailThread, gmailThreadChanged, outlookConversation, outlookConversationChanged } from './fixtures.mjs';

const gmailThreadURL = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQbdrzXcvbnmLkjhgfdsaPoiuytr';
const outlookThreadURL = 'https://outlook.office.com/mail/inbox/id/AAQkADk3%2FY%2Bz%3D';

// manualTimers runs timers when the test says time has passed.
function manualTimers() {
  let next = 1;
  const due = new Map();
  return {
    setTimeout(fn, ms) { due.set(next, { fn, ms }); return next++; },
    clearTimeout(id) { due.delete(id); },
    pending: () => due.size,
    elapse(ms) {
      for (const [id, t] of [...due]) if (t.ms <= ms) { due.delete(id); t.fn(); }
    },
  };
}

function watch(Provider, html, url) {
  const { document, location } = dom(html, url);
  const provider = new Provider({ document, location });
  const verdicts = [];
  const timers = manualTimers();
  return { provider, document, timers, verdicts, watch: new LayoutWatch(provider, (v) => verdicts.push(v), { timers }) };
}

for (const [name, Provider, html, changed, url] of [
  ['Gmail', Gmail, gmailThread, gmailThreadChanged, gmailThreadURL],
  ['Outlook', Outlook, outlookConversation, outlookConversationChanged, outlookThreadURL],
]) {
  test(`${name}: a changed layout is reported after the grace period, once, and cleared when it reads again`, () => {
    const w = watch(Provider, changed, url);
    assert.equal(w.provider.expectsMessage(), true);
    assert.equal(w.provider.hasOpenMessage(), false);
    w.watch.check();
    w.watch.check(); // more mutations: still one timer
    assert.equal(w.timers.pending(), 1);
    w.timers.elapse(graceMillis - 1);
    assert.deepEqual(w.verdicts, []);
    w.timers.elapse(graceMillis);
    assert.deepEqual(w.verdicts, [true]);
    w.watch.check();
    assert.deepEqual(w.verdicts, [true]);
    assert.equal(w.timers.pending(), 0);
    // The webmail renders the layout the provider knows again.
    w.document.body.innerHTML = dom(html, url).document.body.innerHTML;
    w.watch.check();
    assert.deepEqual(w.verdicts, [true, false]);
  });

  test(`${name}: the layout the provider knows is never reported`, () => {
    const w = watch(Provider, html, url);
    assert.equal(w.provider.hasOpenMessage(), true);
    w.watch.check();
    assert.equal(w.timers.pending(), 0);
    assert.deepEqual(w.verdicts, []);
  });

  test(`${name}: a message that appears within the grace period is not reported`, () => {
    const w = watch(Provider, changed, url);
    w.watch.check();
    w.document.body.innerHTML = dom(html, url).document.body.innerHTML;
    w.watch.check();
    assert.equal(w.timers.pending(), 0);
    w.timers.elapse(graceMillis);
    assert.deepEqual(w.verdicts, []);
  });
}

test('a mailbox list, not a message, expects nothing (changed layout or not)', () => {
  for (const [Provider, html, url] of [
    [Gmail, gmailThreadChanged, 'https://mail.google.com/mail/u/0/#inbox'],
    [Outlook, outlookConversationChanged, 'https://outlook.office.com/mail/inbox'],
  ]) {
    const w = watch(Provider, html, url);
    w.watch.check();
    w.timers.elapse(graceMillis);
    assert.deepEqual(w.verdicts, []);
  }
});

test('Gmail: which addresses show a conversation', () => {
  const expects = (hash, path = '/mail/u/0/') => new Gmail({ document: null, location: new URL(`https://mail.google.com${path}${hash}`) }).expectsMessage();
  for (const hash of ['#inbox/FMfcgzQbdrzXcvbnmLkjhgfdsaPoiuytr', '#label/Work/18c5d2a6f1b30001', '#search/invoice/FMfcgzQbdrzXcvbnmLkjhgf',
    '#category/promotions/FMfcgzQbdrzXcvbnmLkjhgf', '#sent/18c5d2a6f1b30001']) assert.equal(expects(hash), true, hash);
  for (const hash of ['', '#inbox', '#inbox/p2', '#label/Work', '#search/averyveryverylongsearchquery', '#label/Averyveryverylonglabelname',
    '#search/invoice+from%3Abob', '#settings/general']) assert.equal(expects(hash), false, hash);
  assert.equal(expects('#inbox/FMfcgzQbdrzXcvbnmLkjhgf', '/chat/'), false);
});

test('Outlook: which addresses show a message', () => {
  const expects = (path) => new Outlook({ document: null, location: new URL(`https://outlook.office.com${path}`) }).expectsMessage();
  assert.equal(expects('/mail/inbox/id/AAQkADk3%2FY%2Bz%3D'), true);
  assert.equal(expects('/mail/id/AAMkAGI2'), true);
  assert.equal(expects('/mail/inbox'), false);
  assert.equal(expects('/calendar/view/month'), false);
});
