// Red team: decrypted HTML smuggles what inertHTML takes out past it (mutation by re-parsing).
//
// view/content-frame.js parses the decrypted HTML once (DOMParser), removes <meta>, <base>, link
// targets and the like, serialises what is left and hands that string to the frame as srcdoc,
// where the browser parses it a second time. HTML does not survive a parse-serialise-parse round
// trip unchanged: a <style> inside MathML (mglyph) or a nested <form> is text the first time and
// markup the second (the mutation-XSS family that broke DOMPurify 2.0). What the first parse saw
// as text is never looked at, and the frame's own parse makes elements of it: a
// <meta http-equiv="refresh">, an <a href>, a <link rel="preconnect">. CSP does not govern a meta
// refresh or a link the user follows; an EFAIL-style CBC gadget (the attacker edits a captured
// AES-CBC message, which is not tamper-evident) needs exactly that to send the plaintext out.
//
// The test runs the window's own module in the browser (no extension needed: the page has
// decrypt.html's policy), checks what the frame's parse makes of inertHTML's output, and counts
// what reaches a listener when the frame shows it; redteam3-html-{chromium,firefox}.test.mjs run
// it per browser.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { browsers, root } from './harness.mjs';

const decryptPolicy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/
  .exec(readFileSync(join(root, 'extension', 'src', 'pages', 'decrypt.html'), 'utf8'))[1];

function listen(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export function htmlSuite(kind) {
  describe(`red team: decrypted HTML re-parsed in the frame (${kind})`, { skip: !existsSync(browsers[kind]) && `no ${kind}` }, () => {
    let browser, page, site, sink;
    const seen = []; // requests and connections that reached the listener

    // Each payload hides what inertHTML removes where the first parse sees text only.
    const payloads = (port) => ({
      'MathML style': `<p>Dear customer</p><math><mi><table><mglyph><style><meta http-equiv="refresh" content="0;url=http://127.0.0.1:${port}/refresh-mathml"><a href="http://127.0.0.1:${port}/link-mathml">your statement</a></style></mglyph></table></mi></math>`,
      'SVG link, animated': `<svg width="200" height="60"><a><animate attributeName="href" values="http://127.0.0.1:${port}/animate" /><set attributeName="xlink:href" to="http://127.0.0.1:${port}/set" /><text x="10" y="20">your statement</text></a><a xlink:href="http://127.0.0.1:${port}/xlink"><text x="10" y="40">or here</text></a></svg>`,
      'declarative shadow root': `<div><template shadowrootmode="open"><a href="http://127.0.0.1:${port}/shadow">your statement</a><meta http-equiv="refresh" content="0;url=http://127.0.0.1:${port}/refresh-shadow"><img src="x" srcset="http://127.0.0.1:${port}/img-shadow 1x"></template></div>`,
      'nested form': `<p>Dear customer</p><form><math><mtext></form><form><mglyph><style></math><meta http-equiv="refresh" content="0;url=http://127.0.0.1:${port}/refresh-form"><link rel="preconnect" href="http://127.0.0.1:${port}/"><a href="http://127.0.0.1:${port}/link-form">your statement</a>`,
    });

    before(async () => {
      sink = await listen((req, res) => { seen.push(req.url); res.end('ok'); });
      sink.on('connection', () => seen.push('connection'));
      const module = readFileSync(join(root, 'extension', 'src', 'view', 'content-frame.js'));
      site = await listen((req, res) => {
        if (req.url === '/content-frame.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(module);
        res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': `${decryptPolicy}; script-src 'self'` });
        res.end('<!doctype html><meta charset="utf-8"><body><div id="content"></div>');
      });
      browser = await puppeteer.launch(kind === 'chromium'
        ? { executablePath: browsers.chromium, headless: true, pipe: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] }
        : { browser: 'firefox', executablePath: browsers.firefox, headless: true });
      page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${site.address().port}/`);
    });
    after(async () => {
      await browser?.close();
      site?.close();
      sink?.close();
    });

    for (const name of Object.keys(payloads(0))) {
      it(`${name}: the frame's parse of inertHTML's output has no refresh, base, link target, animation or template`, async () => {
        const html = payloads(sink.address().port)[name];
        const found = await page.evaluate(async (html) => {
          const { inertHTML } = await import('/content-frame.js');
          const again = new DOMParser().parseFromString(inertHTML(html), 'text/html');
          // A refresh, a base, an attribute named href in any namespace, an animation that sets one,
          // or a template (DOMParser leaves it inert; the frame's parse makes a shadow root of it).
          return [...again.querySelectorAll('*')].filter((n) => (n.localName === 'meta' && /refresh/i.test(n.getAttribute('http-equiv') ?? '')) ||
            n.localName === 'base' || /^(animate|set|template)$/i.test(n.localName) || [...n.attributes].some((a) => a.localName === 'href')).map((n) => n.outerHTML);
        }, html);
        assert.deepEqual(found, []);
      });
    }

    it('shown in the frame, no payload reaches the network', async () => {
      seen.length = 0;
      const port = sink.address().port;
      await page.evaluate(async (list) => {
        const { contentFrame } = await import('/content-frame.js');
        for (const html of list) document.getElementById('content').append(contentFrame(html, 'Decrypted message'));
      }, Object.values(payloads(port)));
      await new Promise((r) => setTimeout(r, 2500));
      // A user who clicks "your statement" follows a link inertHTML meant to take out.
      for (const f of page.frames().slice(1)) {
        await f.evaluate(() => {
          // Links in the document and in any shadow root the frame's parse attached.
          const roots = [document, ...[...document.querySelectorAll('*')].map((n) => n.shadowRoot).filter(Boolean)];
          for (const a of roots.flatMap((r) => [...r.querySelectorAll('a')])) a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
        }).catch(() => {});
      }
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(seen, []);
    });
  });
}
