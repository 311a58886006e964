// The Microsoft sign-in (extension/src/oauth.js): two Outlook tabs that need a token at
// once share one sign-in. The browser refuses a second authorization flow while one runs, which
// used to end one tab's message as "could not be fetched".
import { test } from 'node:test';
import assert from 'node:assert/strict';

function area(data = {}) {
  return {
    data,
    async get(k) { return k == null ? { ...data } : Object.fromEntries([k].flat().filter((x) => x in data).map((x) => [x, data[x]])); },
    async set(items) { Object.assign(data, items); },
    async remove(k) { for (const x of [k].flat()) delete data[x]; },
  };
}

let flows = 0;
let running = false;
globalThis.__BROWSER__ = 'chrome';
globalThis.__DEMO__ = false;
globalThis.chrome = {
  runtime: { id: 'ext', getURL: (p) => `chrome-extension://ext/${p}` },
  storage: { managed: { get: async () => ({ outlookClientId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' }) }, onChanged: { addListener() {} }, local: area(), session: area(), sync: area() },
  identity: {
    getRedirectURL: () => 'https://ext.chromiumapp.org/',
    // As the browser does: one flow at a time, the second refused while the first runs.
    async launchWebAuthFlow({ url }) {
      if (running) throw new Error('another authorization flow is in progress');
      running = true;
      flows++;
      await new Promise((r) => setTimeout(r, 30));
      running = false;
      return `https://ext.chromiumapp.org/?code=c${flows}&state=${new URL(url).searchParams.get('state')}`;
    },
  },
};
globalThis.fetch = async () => new Response(JSON.stringify({ access_token: `token-${flows}`, expires_in: 3600 }), { status: 200 });
const { microsoftToken } = await import('../../extension/src/oauth.js');
const graphToken = (o) => microsoftToken('read', o);

test('two requests that need a token at once share one sign-in', async () => {
  const [a, b] = await Promise.all([graphToken(), graphToken()]);
  assert.equal(flows, 1);
  assert.equal(a, 'token-1');
  assert.equal(b, 'token-1');
  assert.equal(await graphToken(), 'token-1', 'the token is kept');
  assert.equal(flows, 1);
});

test('an interactive sign-in waits for a silent one instead of racing it', async () => {
  await chrome.storage.session.remove('graphToken');
  const [silent, connect] = await Promise.all([graphToken(), graphToken({ interactive: true })]);
  assert.equal(silent, connect);
  assert.equal(flows, 2);
});
