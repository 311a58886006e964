import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gmail, messageId, selectors } from '../../extension/src/providers/gmail.js';
import { dom, gmailThread } from './fixtures.mjs';

function gmail(url = 'https://mail.google.com/mail/u/1/#inbox/FMfcgz') {
  const { document, location } = dom(gmailThread, url);
  const fetched = [];
  const fetcher = { fetchBytes: async (u, init) => { fetched.push([u, init]); return new Uint8Array([1, 2, 3]); } };
  return { provider: new Gmail({ document, location, fetcher }), document, fetched };
}

test('finds the open messages of a conversation, not collapsed ones or fakes inside a body', () => {
  const { provider } = gmail();
  const opened = provider.scan();
  assert.deepEqual(opened.map((o) => o.id), ['18c5d2a6f1b30001', BigInt('1785000000000000002').toString(16)]);
});

test('names the account by the address in the title, else by the /u/<n>/ index', () => {
  const { provider, document } = gmail();
  assert.equal(provider.scan()[0].account, 'gmail:alice.example@gmail.com');
  document.title = 'Gmail';
  assert.equal(provider.account, 'gmail:u/1');
});

test('fetches the download-original route of the right account with the session', async () => {
  const { provider, fetched } = gmail();
  const [first] = provider.scan();
  const { bytes } = await first.source();
  assert.deepEqual([...bytes], [1, 2, 3]);
  assert.equal(fetched[0][0], 'https://mail.google.com/mail/u/1/?view=att&th=18c5d2a6f1b30001&attid=0&disp=comp&safe=1&zw');
  assert.equal(fetched[0][1].credentials, 'include');
});

test('places the banner above the body container, outside it', () => {
  const { provider, document } = gmail();
  const [first] = provider.scan();
  const host = document.createElement('div');
  first.place(host);
  assert.equal(host.nextElementSibling.matches(selectors.bodyContainer), true);
  assert.equal(host.closest(selectors.body), null);
  assert.equal(host.closest(selectors.message), first.container);
});

test('reports a message again only when its container shows another message or lost its banner', () => {
  const { provider, document } = gmail();
  assert.equal(provider.scan().length, 2);
  assert.equal(provider.scan().length, 0);
  assert.equal(provider.scan(() => false).length, 2); // banners removed by a re-render
  const el = document.querySelector('[data-legacy-message-id="18C5D2A6F1B30001"]');
  el.setAttribute('data-legacy-message-id', '18c5d2a6f1b3ffff');
  assert.deepEqual(provider.scan().map((o) => o.id), ['18c5d2a6f1b3ffff']);
});

test('message ids: legacy hex preferred, decimal converted, garbage refused', () => {
  const { document } = gmail();
  const el = document.createElement('div');
  el.setAttribute('data-message-id', '#msg-f:255');
  assert.equal(messageId(el), 'ff');
  el.setAttribute('data-message-id', '#msg-f:25x');
  assert.equal(messageId(el), null);
  el.setAttribute('data-legacy-message-id', '<img src=x>');
  assert.equal(messageId(el), null);
});

test('observe reports a message expanded later, and stops when aborted', async () => {
  const { provider, document } = gmail();
  const seen = [];
  const stop = new AbortController();
  provider.observe(stop.signal, (o) => seen.push(o.id));
  assert.equal(seen.length, 2);
  const collapsed = document.querySelector('[data-legacy-message-id="18c5d2a6f1b30003"] .gs');
  const body = document.createElement('div');
  body.className = 'ii gt';
  collapsed.append(body);
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(seen.slice(2), ['18c5d2a6f1b30003']);
  stop.abort();
  document.querySelector('.nH').append(Object.assign(document.createElement('div'), { className: 'adn' }));
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(seen.length, 3);
});

test('observe scans the first change after a quiet spell at once, and a busy page at most once per gap', async () => {
  const { provider, document } = gmail();
  const seen = [];
  const stop = new AbortController();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  provider.observe(stop.signal, (o) => seen.push(o.id), undefined, undefined, 300);
  await sleep(320); // quiet
  const expand = (id) => {
    const body = document.createElement('div');
    body.className = 'ii gt';
    document.querySelector(`[data-legacy-message-id="${id}"] .gs`).append(body);
  };
  expand('18c5d2a6f1b30003');
  await sleep(30);
  assert.deepEqual(seen.slice(2), ['18c5d2a6f1b30003'], 'the first change waits for no timer');
  const late = document.createElement('div');
  late.innerHTML = '<div class="adn" data-legacy-message-id="18c5d2a6f1b30009"><div class="ii gt"><div class="a3s">x</div></div></div>';
  document.querySelector('.nH').append(late.firstChild);
  await sleep(30);
  assert.equal(seen.length, 3, 'a change right after a scan waits for the gap');
  await sleep(320);
  assert.deepEqual(seen.slice(3), ['18c5d2a6f1b30009']);
  stop.abort();
});

// Writing goes through the same provider: its compose windows, the toolbar, and the message a
// reply answers (the conversation's last, by its hex id, with the thread's id).
const composeFixture = `<div gh="mtb"></div><h2 class="hP" data-legacy-thread-id="18c5d2a6f1b30000">Subject</h2>
<div class="adn" data-legacy-message-id="18c5d2a6f1b30001"><div class="ii gt"><div class="a3s">one</div></div></div>
<div class="adn" data-message-id="#msg-f:1785000000000000002"><div class="ii gt"><div class="a3s">two</div></div></div>
<div role="dialog" id="reply"><input name="subjectbox"><div aria-label="Message Body"><p>Thanks</p><div class="gmail_quote">On Monday…</div></div><div class="btC"></div></div>
<div role="dialog" id="new"><input name="subjectbox"><div aria-label="Message Body"><p>Hello</p></div><div class="btC"></div></div>`;

test('compose: finds each compose window and its bar; a reply names the last message and the thread, new mail nothing', () => {
  const { document, location } = dom(composeFixture, 'https://mail.google.com/mail/u/0/#inbox/FMfcgz');
  const provider = new Gmail({ document, location });
  const wins = provider.composeWindows();
  assert.deepEqual(wins.map((w) => w.id), ['reply', 'new']);
  assert.ok(provider.composeBar(wins[0]).matches('.btC'));
  assert.deepEqual(provider.replyReference(wins[0]), { messageId: BigInt('1785000000000000002').toString(16), threadId: '18c5d2a6f1b30000' });
  assert.equal(provider.replyReference(wins[1]), null);
  assert.equal(provider.replyReference(null), null);
  const toolbar = provider.mailboxToolbar();
  assert.equal(toolbar.inside, true);
  assert.equal(toolbar.element.getAttribute('gh'), 'mtb');
});

test('the verdict: the cache first, else the raw bytes fetched and verified; a failed fetch is unavailable, in words', async () => {
  const { provider } = gmail();
  const [first] = provider.scan();
  const asked = [];
  const answer = (hit) => async (name, args) => { asked.push([name, args]); return name === 'lookup' ? hit : { channel: 'c', view: { status: name } }; };
  assert.deepEqual(await provider.verdict(first, answer({ channel: 'cached' })), { channel: 'cached' });
  assert.deepEqual(asked.map(([n]) => n), ['lookup']);
  asked.length = 0;
  assert.equal((await provider.verdict(first, answer(null))).view.status, 'verify');
  assert.deepEqual([...asked[1][1].raw], [1, 2, 3]);
  asked.length = 0;
  const { RequestError } = await import('../../extension/src/protocol.js');
  provider.fetcher = { fetchBytes: async () => { throw new RequestError('unavailable', 'the server answered 404'); } };
  assert.equal((await provider.verdict(first, answer(null))).view.status, 'unavailable');
  assert.deepEqual(asked[1], ['unavailable', { account: first.account, messageId: first.id, code: 'unchecked_fetch', reason: 'the server answered 404' }]);
});

test('a message not yet asked about in this page is fetched while the background looks; a hit cancels it; one asked about before is not fetched first', async () => {
  const { provider, fetched } = gmail();
  const [first] = provider.scan();
  let answerLookup;
  const ask = async (name) => (name === 'lookup' ? new Promise((r) => { answerLookup = r; }) : { channel: 'c', view: { status: name } });
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const pending = provider.verdict(first, ask);
  await tick();
  assert.equal(fetched.length, 1, 'the fetch started before the lookup answered');
  answerLookup({ channel: 'cached' });
  assert.deepEqual(await pending, { channel: 'cached' });
  assert.equal(fetched[0][1].signal.aborted, true, 'the fetch the cache made needless is cancelled');
  // Opened again: the background's cache has it, so only the lookup goes, and a miss fetches then.
  const again = provider.verdict(first, ask);
  await tick();
  assert.equal(fetched.length, 1);
  answerLookup(null);
  assert.equal((await again).view.status, 'verify');
  assert.equal(fetched.length, 2);
  assert.equal(fetched[1][1].signal, undefined);
  // A lookup that fails cancels the fetch it started.
  const other = provider.verdict({ ...first, id: 'ffff' }, async (name) => { if (name === 'lookup') throw new Error('no answer'); return null; });
  await assert.rejects(other, /no answer/);
  assert.equal(fetched[2][1].signal.aborted, true);
});

test('a page that starts learns what the session cache has, and fetches none of it at once', async () => {
  const { provider, fetched } = gmail();
  const [first, second] = provider.scan();
  let named;
  provider.learnCached(async (account) => { named = account; await new Promise((r) => setTimeout(r, 20)); return [first.id]; });
  assert.equal(named, first.account);
  const misses = async (name) => (name === 'lookup' ? null : { channel: 'c', view: { status: name } });
  const pending = provider.verdict(first, misses);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(fetched.length, 0, 'the first verdict waits for what is cached before fetching');
  assert.equal((await pending).view.status, 'verify', 'the background forgot it after all: fetched then');
  assert.equal(fetched.length, 1);
  assert.equal(fetched[0][1].signal, undefined);
  await provider.verdict(second, misses);
  assert.equal(fetched[1][1].signal.aborted, false, 'one not cached is fetched at once');
  // A failed or malformed answer leaves the page fetching at once, as without it.
  const { provider: p2, fetched: f2 } = gmail();
  const both = p2.scan();
  p2.learnCached(async () => { throw new Error('no answer'); });
  await p2.verdict(both[0], misses);
  p2.learnCached(async () => 'not a list');
  await p2.verdict(both[1], misses);
  assert.equal(f2.filter(([, init]) => init.signal).length, 2);
});
