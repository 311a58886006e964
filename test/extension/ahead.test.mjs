// Ahead of intent (extension/src/content/ahead.js): the user's own pointer or focus on a row of
// the message list fetches that message's bytes and starts the core, a few messages at most; the
// page's synthetic events do nothing, and nothing is verified ahead.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Gmail } from '../../extension/src/providers/gmail.js';
import { watchIntent } from '../../extension/src/content/ahead.js';
import { dom } from './fixtures.mjs';

// Gmail's list: each row names its conversation's last message on the subject's span.
const ids = Array.from({ length: 12 }, (_, i) => `18c5d2a6f1b3${String(i).padStart(4, '0')}`);
const list = `<!doctype html><html><head><title>Inbox - alice.example@gmail.com - Gmail</title></head><body><table><tbody>
${ids.map((id) => `<tr class="zA"><td class="yX">Bank</td><td class="xY"><span class="bog"><span data-thread-id="#thread-f:1" data-legacy-thread-id="${id}" data-legacy-last-message-id="${id}">Subject ${id}</span></span></td></tr>`).join('\n')}
<tr class="zA"><td class="xY"><span class="bog"><span data-legacy-last-message-id="not-an-id">x</span></span></td></tr>
</tbody></table></body></html>`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every setting's watcher is stopped after its test, so that no timer of a message held keeps
// the test process alive (each is let go of after two minutes otherwise).
const stops = [];
after(() => { for (const s of stops) s.abort(); });

function setting() {
  const { document, location } = dom(list, 'https://mail.google.com/mail/u/0/#inbox');
  const fetched = [];
  const fetcher = { fetchBytes: async (u) => { fetched.push(new URL(u).searchParams.get('th')); return new Uint8Array([7]); } };
  const provider = new Gmail({ document, location, fetcher });
  const requests = [];
  const stop = new AbortController();
  stops.push(stop);
  watchIntent(provider, async (name, args) => { requests.push([name, args]); return true; }, stop.signal, { dwellMillis: 5 });
  const rows = [...document.querySelectorAll('tr.zA')];
  // gesture dispatches an event on a row's cell, as the user's (trusted) or as a page script's.
  const gesture = (i, type = 'pointerover', trusted = true) => {
    const e = new document.defaultView.Event(type, { bubbles: true });
    if (trusted) Object.defineProperty(e, 'isTrusted', { value: true });
    rows[i].querySelector('td.xY').dispatchEvent(e);
  };
  return { provider, fetched, requests, gesture, stop };
}

test('the user resting the pointer on a row fetches that message once, and its opening takes the bytes', async () => {
  const { provider, fetched, requests, gesture } = setting();
  gesture(0);
  await sleep(20);
  gesture(0);
  await sleep(20);
  assert.deepEqual(fetched, [ids[0]]);
  assert.deepEqual(requests.map(([n]) => n), ['prepare'], 'the background only starts its core: nothing is looked up or verified ahead');
  const early = provider.takeAhead(ids[0]);
  assert.deepEqual([...(await early)], [7]);
  assert.equal(provider.takeAhead(ids[0]), null, 'taken once');
});

test('a pointer passing over rows fetches only where it rests; focus fetches at once', async () => {
  const { fetched, gesture } = setting();
  gesture(1);
  gesture(2);
  gesture(3);
  await sleep(20);
  assert.deepEqual(fetched, [ids[3]]);
  gesture(4, 'focusin');
  assert.deepEqual(fetched, [ids[3], ids[4]]);
});

test('synthetic events from the page do nothing', async () => {
  const { fetched, requests, gesture } = setting();
  for (let i = 0; i < 12; i++) { gesture(i, 'pointerover', false); gesture(i, 'focusin', false); }
  await sleep(20);
  assert.deepEqual(fetched, []);
  assert.deepEqual(requests, []);
});

test('however many rows the user is made to point at, a few messages a minute at most, three held', async () => {
  const { provider, fetched, gesture } = setting();
  for (let i = 0; i < 13; i++) gesture(i, 'focusin');
  assert.equal(fetched.length, 6, 'six a minute');
  assert.ok(provider.ahead.size <= 3, 'three held at once');
  assert.ok(!fetched.includes('not-an-id'));
});

test('stopping lets go of what was fetched', async () => {
  const { provider, gesture, stop } = setting();
  gesture(0, 'focusin');
  stop.abort();
  assert.equal(provider.ahead.size, 0);
  gesture(1, 'focusin');
  assert.equal(provider.ahead.size, 0);
});
