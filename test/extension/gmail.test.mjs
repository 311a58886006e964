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
