// Red team: a hostile sender fills storage.session and the user can no longer sign (Chromium).
//
// Every opaque-signed message the user opens keeps its signed content (up to 1 MB, base64) in
// storage.session for the banner's "show signed content" (extension/src/reports.js storeReport), with
// no bound on how many, and its banner channel (c:<id>) is never forgotten once the tab has more
// than 20. Chromium gives storage.session 10 MB in all. Anyone who can mail the user sends nine
// opaque-signed messages of about 1 MB (no XSS needed: a valid signature is not even needed);
// once the user has read them, every storage.session write fails: the compose window's channel,
// the unlocked session key, the send token, the next banner channels. Seen: storage.session at
// 10485624 of 10485760 bytes, every later banner stays "pending" (a genuine valid message gets
// no verdict), and Write signed opens no window, until the browser restarts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld, launch, close, settle, banners } from './harness.mjs';
import { skip, identityFiles, importIdentity, writeSigned, review, pressSend, passphrase, p12Password, account } from './signing-helpers.mjs';
import { demoGoogleClientId } from '../../demo/send-api.mjs';

// Seven messages of about 1 MB, then halving sizes: blind, they fill what is left to a few hundred bytes.
const sizes = [...Array(7).fill(740_000), 370_000, 185_000, 92_000, 46_000, 23_000, 11_500, 5_700, 2_800, 1_400, 700, 350, 170];
const hostileCount = sizes.length;

describe('red team: hostile mail exhausts storage.session, in chromium', { skip }, () => {
  let world, b, page, ids;

  before(async () => {
    ids = identityFiles();
    world = await startWorld('redteam-quota-chromium');
    b = await launch('chromium', world.extDirs.chromium);
    page = await b.browser.newPage();
    await page.setViewport({ width: 1200, height: 800 });
    const thread = world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${thread.id}`);
    await settle(page, 1);
    const imported = await importIdentity(b, page, ids);
    assert.equal(imported?.ok, true, imported?.message);
  });
  after(async () => {
    if (b) await close(b);
    if (world) await world.demo.close();
  });

  // hostileMessages delivers n opaque-signed messages of about 1 MB into the demo inbox (through
  // the demo's Gmail send route, which files what it receives in the inbox) and returns their ids.
  async function hostileMessages() {
    const cert = join(ids.dir, 'cert.pem');
    const key = join(ids.dir, 'key.der');
    writeFileSync(key, ids.key);
    const certArgs = ['pkcs12', '-in', ids.p12, '-passin', `pass:${p12Password}`, '-nokeys', '-clcerts', '-out', cert];
    try { execFileSync('openssl', certArgs, { stdio: 'pipe' }); } catch { execFileSync('openssl', [...certArgs, '-legacy'], { stdio: 'pipe' }); }
    const auth = new URL('/o/oauth2/v2/auth', world.demo.gmail);
    auth.search = new URLSearchParams({ client_id: demoGoogleClientId, response_type: 'token', scope: 'https://www.googleapis.com/auth/gmail.send', redirect_uri: 'http://127.0.0.1/cb', state: 's' });
    const back = await fetch(auth, { redirect: 'manual' });
    const token = new URLSearchParams(new URL(back.headers.get('location')).hash.slice(1)).get('access_token');
    const out = [];
    for (let i = 0; i < sizes.length; i++) {
      const lines = randomBytes(sizes[i]).toString('base64').match(/.{1,76}/g).join('\r\n');
      const entity = join(ids.dir, `big-${i}.txt`);
      writeFileSync(entity, `Content-Type: text/plain; charset=us-ascii\r\n\r\n${lines}\r\n`);
      const signed = execFileSync('openssl', ['cms', '-sign', '-nodetach', '-binary', '-in', entity, '-signer', cert, '-inkey', key, '-keyform', 'DER', '-outform', 'SMIME'], { maxBuffer: 64 << 20 });
      const raw = Buffer.concat([Buffer.from(`From: <${account}>\r\nTo: <${account}>\r\nSubject: Big signed ${i}\r\nDate: Mon, 01 Jun 2026 ${String(i).padStart(2, '0')}:00:00 +0000\r\nMessage-ID: <big-${i}@mailseal.test>\r\n`), signed]);
      const res = await fetch(new URL('/upload/gmail/v1/users/me/messages/send?uploadType=media', world.demo.gmail), {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' }, body: raw,
      });
      const body = await res.text();
      assert.equal(res.status, 200, body);
      out.push(JSON.parse(body).id);
    }
    return out;
  }

  // sessionBytes is how much of storage.session is used, as the background sees it.
  async function sessionBytes() {
    const worker = await (await b.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'))).worker();
    return worker.evaluate(() => chrome.storage.session.getBytesInUse(null));
  }

  it('reading big opaque-signed mail leaves Write signed, unlock and send working', { timeout: 240_000 }, async () => {
    const sent = world.demo.state.sent.length;
    const seen = [];
    for (const id of await hostileMessages()) {
      await page.goto('about:blank');
      await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${id}`);
      const ok = await settle(page, 1, 10_000).then(() => true, () => false);
      const hosts = await page.evaluate(() => [...document.querySelectorAll('[data-mailseal]')].map((n) => n.getAttribute('data-mailseal')));
      seen.push(`${ok ? 'shown' : hosts.join('/') || 'none'} (${await sessionBytes()} B)`);
    }
    const thread = world.demo.threads.find((t) => t.members.length === 1 && t.members[0].expect.expect === 'valid');
    await page.goto('about:blank');
    await page.goto(`${world.demo.gmail}/mail/u/0/#inbox/${thread.id}`);
    // A genuine signed message still gets its verdict.
    await settle(page, 1, 20_000).catch(() => {});
    const verdicts = await banners(page, b.origin);
    assert.equal(verdicts[0]?.status, 'valid', `no verdict once storage.session is full: ${seen.join(', ')}`);
    await page.click('.demo-reply');
    const win = await writeSigned(b, page, '.btC');
    await win.click('#text');
    await win.keyboard.type('Still works.');
    await review(win, passphrase);
    const out = await pressSend(win);
    assert.equal(out.kind, 'ok', out.text);
    assert.equal(world.demo.state.sent.length, sent + hostileCount + 1);
  });
});
